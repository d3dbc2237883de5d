"""``khabar rules add|list|delete|alerts`` as the real console script."""

from __future__ import annotations

from pathlib import Path

from tests.integration.cli.helpers import json_out, khabar, one_error_line, sqlite_url


def test_add_list_and_delete_rules(tmp_path: Path) -> None:
    db = ("--db", sqlite_url(tmp_path / "k.db"))
    add = ("rules", "add", "غزة والأمم المتحدة", "--action", "alert", "-k", "غزة")
    add += ("-k", "الأمم المتحدة", "--all", "-r", r"مجلس\s+الامن")
    add += ("--webhook-url", "https://hooks.example/k", "--webhook-secret", "own")
    added = json_out(khabar(*add, *db, "--json", cwd=tmp_path))
    assert added["name"] == "غزة والأمم المتحدة" and added["webhook_secret"] == "********"
    assert added["conditions"] == [
        {"kind": "keyword", "values": ["غزة", "الأمم المتحدة"], "match": "all"},
        {"kind": "regex", "values": [r"مجلس\s+الامن"], "match": "all"},
    ]
    second = khabar("rules", "add", "رياضة", "--action", "hide", "-k", "كرة", *db, cwd=tmp_path)
    assert second.returncode == 0 and "rule 2 added: رياضة" in second.stdout
    listed = json_out(khabar("rules", "list", *db, "--json", cwd=tmp_path))
    assert [(r["id"], r["action"]) for r in listed] == [(1, "alert"), (2, "hide")]
    table = khabar("rules", "list", *db, cwd=tmp_path).stdout
    assert "رياضة" in table and "keyword any: كرة" in table
    assert khabar("rules", "delete", "1", *db, cwd=tmp_path).returncode == 0
    assert [r["id"] for r in json_out(khabar("rules", "list", *db, "--json", cwd=tmp_path))] == [2]
    assert json_out(khabar("rules", "alerts", *db, "--json", cwd=tmp_path)) == []


def test_a_bad_rule_is_one_error_line_naming_the_field(tmp_path: Path) -> None:
    db = ("--db", sqlite_url(tmp_path / "k.db"))
    result = khabar("rules", "add", "x", "--action", "hide", "-r", "(غزة", *db, cwd=tmp_path)
    assert "conditions[0].values[0]: the pattern does not compile" in one_error_line(result)
    missing = khabar("rules", "delete", "7", *db, cwd=tmp_path)
    assert "no rule with id 7" in one_error_line(missing)

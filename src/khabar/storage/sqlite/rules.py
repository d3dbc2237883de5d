"""Rules, rule hits and alerts in SQLite (see ``RuleStoreType`` for the contract).

A rule is stored as the JSON of :func:`khabar.rules.model.rule_to_data` and read back through
:func:`~khabar.rules.model.rule_from_data`. What rules did to an article is kept twice: the
hits (``rule_hits``, one row per rule and article) and, for cheap lists, the article's own
``hidden`` flag and ``marks`` (JSON list of labels), recomputed from its hits on every change.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from khabar.errors import NotFoundError, StorageError
from khabar.rules.alerts import Alert, DeliveryAttempt, NewAlert, RuleHit
from khabar.rules.model import Rule, RuleSpec, rule_from_data, rule_to_data
from khabar.storage.sqlite.convert import from_ts, to_ts
from khabar.types import Article

if TYPE_CHECKING:
    from khabar.storage.sqlite.storage import SqliteStorage

__all__ = ["SqliteRules"]

RULE_DELETED = "rule deleted: delivery cancelled"


class SqliteRules:
    """The rules part of one :class:`SqliteStorage`."""

    def __init__(self, storage: SqliteStorage) -> None:
        self._storage = storage

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        try:
            return self._storage.connection.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StorageError(f"query failed: {exc}") from exc

    # --- rules -------------------------------------------------------------------------

    def add_rule(self, spec: RuleSpec) -> Rule:
        data = json.dumps(rule_to_data(spec), ensure_ascii=False)
        with self._storage.write(f"add rule {spec.name!r}") as conn:
            cur = conn.execute(
                "INSERT INTO rules (spec, created_at) VALUES (?, ?)",
                (data, to_ts(datetime.now(UTC))),
            )
        return self.get_rule(int(cur.lastrowid or 0))

    def get_rule(self, rule_id: int) -> Rule:
        rows = self._read("SELECT * FROM rules WHERE id = ?", (rule_id,))
        if not rows:
            raise NotFoundError(f"no rule with id {rule_id}")
        return _rule(rows[0])

    def list_rules(self) -> list[Rule]:
        return [_rule(r) for r in self._read("SELECT * FROM rules ORDER BY id")]

    def delete_rule(self, rule_id: int) -> None:
        with self._storage.write(f"delete rule {rule_id}") as conn:
            touched = [
                int(r[0])
                for r in conn.execute(
                    "SELECT article_id FROM rule_hits WHERE rule_id = ?", (rule_id,)
                )
            ]
            conn.execute(
                """UPDATE alerts SET next_attempt_at = NULL, last_error = ?
                   WHERE rule_id = ? AND next_attempt_at IS NOT NULL""",
                (RULE_DELETED, rule_id),
            )
            cur = conn.execute("DELETE FROM rules WHERE id = ?", (rule_id,))
            if cur.rowcount == 0:
                raise NotFoundError(f"no rule with id {rule_id}")
            for article_id in touched:
                _reflag(conn, article_id)

    def record_hits(self, article_id: int, hits: Sequence[RuleHit]) -> Article:
        with self._storage.write(f"record rule hits on article {article_id}") as conn:
            found = conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
            if found is None:
                raise NotFoundError(f"no article with id {article_id}")
            conn.executemany(
                """INSERT INTO rule_hits (rule_id, article_id, action, label)
                   SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM rules WHERE id = ?)
                   ON CONFLICT (rule_id, article_id) DO UPDATE
                   SET action = excluded.action, label = excluded.label""",
                [(h.rule_id, article_id, h.action, h.label, h.rule_id) for h in hits],
            )
            _reflag(conn, article_id)
        return self._storage.get_article(article_id)

    # --- alerts ------------------------------------------------------------------------

    def add_alert(self, alert: NewAlert) -> Alert | None:
        due = to_ts(alert.created_at) if alert.target else None
        with self._storage.write(f"queue alert of rule {alert.rule_id}") as conn:
            cur = conn.execute(
                """INSERT INTO alerts (rule_id, rule_name, kind, subject_id, title, matched,
                   payload, target, created_at, next_attempt_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (rule_id, kind, subject_id) DO NOTHING""",
                (
                    alert.rule_id,
                    alert.rule_name,
                    alert.kind,
                    alert.subject_id,
                    alert.title,
                    json.dumps(list(alert.matched), ensure_ascii=False),
                    alert.payload,
                    alert.target,
                    to_ts(alert.created_at),
                    due,
                ),
            )
        if cur.rowcount == 0:
            return None
        return self.get_alert(int(cur.lastrowid or 0))

    def get_alert(self, alert_id: int) -> Alert:
        rows = self._read("SELECT * FROM alerts WHERE id = ?", (alert_id,))
        if not rows:
            raise NotFoundError(f"no alert with id {alert_id}")
        return _alert(rows[0])

    def list_alerts(self, limit: int = 50, before: int | None = None) -> list[Alert]:
        rows = self._read(
            "SELECT * FROM alerts WHERE id < ? ORDER BY id DESC LIMIT ?",
            (before if before is not None else 2**62, limit),
        )
        return [_alert(r) for r in rows]

    def due_alerts(self, now: datetime, limit: int = 20) -> list[Alert]:
        rows = self._read(
            """SELECT * FROM alerts WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= ?
               ORDER BY next_attempt_at, id LIMIT ?""",
            (to_ts(now), limit),
        )
        return [_alert(r) for r in rows]

    def record_delivery(self, alert_id: int, attempt: DeliveryAttempt) -> Alert:
        delivered = to_ts(attempt.at) if attempt.error is None else None
        with self._storage.write(f"record delivery of alert {alert_id}") as conn:
            cur = conn.execute(
                """UPDATE alerts SET attempts = attempts + 1, last_error = ?,
                   delivered_at = coalesce(?, delivered_at), next_attempt_at = ?
                   WHERE id = ?""",
                (attempt.error, delivered, to_ts(attempt.next_attempt_at), alert_id),
            )
        if cur.rowcount == 0:
            raise NotFoundError(f"no alert with id {alert_id}")
        return self.get_alert(alert_id)


def _reflag(conn: sqlite3.Connection, article_id: int) -> None:
    """Recompute an article's ``hidden`` and ``marks`` from its hits."""
    rows = conn.execute(
        "SELECT action, label FROM rule_hits WHERE article_id = ? ORDER BY rule_id",
        (article_id,),
    ).fetchall()
    hidden = any(r["action"] == "hide" for r in rows)
    marks = list(dict.fromkeys(r["label"] for r in rows if r["action"] == "mark"))
    conn.execute(
        "UPDATE articles SET hidden = ?, marks = ? WHERE id = ?",
        (hidden, json.dumps(marks, ensure_ascii=False), article_id),
    )


def _rule(row: sqlite3.Row) -> Rule:
    return Rule(
        id=int(row["id"]),
        spec=rule_from_data(json.loads(row["spec"]), stored=True),
        created_at=datetime.fromisoformat(row["created_at"]),
    )


def _alert(row: sqlite3.Row) -> Alert:
    return Alert(
        id=int(row["id"]),
        rule_id=row["rule_id"],
        rule_name=row["rule_name"],
        kind=row["kind"],
        subject_id=int(row["subject_id"]),
        title=row["title"],
        matched=tuple(json.loads(row["matched"])),
        payload=row["payload"],
        target=row["target"],
        created_at=datetime.fromisoformat(row["created_at"]),
        attempts=int(row["attempts"]),
        next_attempt_at=from_ts(row["next_attempt_at"]),
        last_error=row["last_error"],
        delivered_at=from_ts(row["delivered_at"]),
    )

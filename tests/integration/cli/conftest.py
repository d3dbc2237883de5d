"""Shared by the CLI tests of a session: one demo mirror, one database ingested from it, and one
``khabar demo --no-serve`` run started in the background with the first test (it overlaps the
other tests: it takes about 15 s, and the whole directory should stay within about a minute)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.integration.cli.helpers import json_out, khabar, sqlite_url, start_khabar

from khabar.demo.server import DemoMirror


@pytest.fixture(scope="session")
def mirror() -> Iterator[DemoMirror]:
    with DemoMirror() as running:
        yield running


@dataclass(frozen=True)
class DemoRun:
    """``khabar demo --no-serve --db <tmp>`` running in the background."""

    process: subprocess.Popen[str]
    db_file: Path

    def wait(self) -> subprocess.CompletedProcess[str]:
        stdout, stderr = self.process.communicate(timeout=180)
        return subprocess.CompletedProcess(
            self.process.args, self.process.returncode, stdout, stderr
        )


@pytest.fixture(scope="session", autouse=True)
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoRun]:
    work = tmp_path_factory.mktemp("cli-demo")
    db_file = work / "demo.db"
    process = start_khabar("demo", "--no-serve", "--db", sqlite_url(db_file), cwd=work)
    try:
        yield DemoRun(process, db_file)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


@dataclass(frozen=True)
class Ingested:
    """A database that followed the mirror's OPML and was updated once."""

    dir: Path
    db: str
    import_stdout: str
    first_update: list[dict[str, Any]]

    def run(self, *args: str) -> Any:
        """``khabar ARGS --db <this db>``'s JSON output."""
        return json_out(khabar(*args, "--db", self.db, cwd=self.dir))


@pytest.fixture(scope="session")
def ingested(mirror: DemoMirror, tmp_path_factory: pytest.TempPathFactory) -> Ingested:
    """The mirror's OPML imported and updated once."""
    work = tmp_path_factory.mktemp("cli-ingested")
    opml = work / "mirror.opml"
    opml.write_text(mirror.opml(), encoding="utf-8")
    db = sqlite_url(work / "k.db")
    imported = khabar("import-opml", str(opml), "--db", db, cwd=work)
    assert imported.returncode == 0, imported.stderr
    update = json_out(khabar("update", "--json", "--db", db, cwd=work))
    return Ingested(work, db, imported.stdout, update)

"""A throwaway PostgreSQL cluster for tests: initdb into a temp dir, start, hand out databases.

The server binaries come from Debian's ``postgresql`` package (``/usr/lib/postgresql/*/bin``)
or ``PATH``. When they are missing the tests that need a cluster skip, unless
``KHABAR_TEST_REQUIRE_POSTGRES=1`` (set by ``.ci/run``) makes that a failure.

PostgreSQL refuses to run as root, so as root (CI) ``initdb``/``pg_ctl`` run through
``runuser`` as the ``postgres`` user (created by the Debian package) or ``nobody``, and the
temp dir is handed to that user. The server listens on 127.0.0.1 on a free port, with its
unix socket inside the temp dir; it trusts local connections (a throwaway cluster: nothing in
it outlives the test session) and runs with fsync off.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["REQUIRE_ENV", "PostgresCluster", "PostgresUnavailable", "find_bin_dir"]

REQUIRE_ENV = "KHABAR_TEST_REQUIRE_POSTGRES"
SUPERUSER = "khabar"
START_TIMEOUT = 30  # seconds for pg_ctl to see the server accept connections
INITDB_OPTIONS = ("-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
# Durability is pointless in a throwaway cluster; these make every commit cheap.
SERVER_OPTIONS = (
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
    "-c shared_buffers=32MB -c max_connections=40 -c listen_addresses=127.0.0.1"
)


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def find_bin_dir() -> Path:
    """The directory holding ``initdb`` and ``pg_ctl`` (newest Debian version first)."""
    debian = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
        reverse=True,
    )
    for candidate in debian:
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return Path(initdb).resolve().parent
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as() -> str | None:
    """The user to run the server as when we are root (PostgreSQL refuses root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise PostgresUnavailable("running as root and no 'postgres' or 'nobody' user to run as")


@dataclass
class PostgresCluster:
    """One cluster under a temp dir. Use as a context manager, or ``start()``/``stop()``."""

    bin_dir: Path = field(default_factory=find_bin_dir)
    root: Path | None = None
    port: int = 0
    _user: str | None = None
    _created: int = 0

    @property
    def data_dir(self) -> Path:
        if self.root is None:
            raise RuntimeError("the cluster is not started")
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def start(self) -> PostgresCluster:
        """initdb into a new temp dir and start the server; everything is removed on failure."""
        self._user = _run_as()
        self.root = Path(tempfile.mkdtemp(prefix="khabar-pg-"))
        try:
            if self._user is not None:
                info = pwd.getpwnam(self._user)
                os.chown(self.root, info.pw_uid, info.pw_gid)
            self._pg("initdb", ["-D", str(self.data_dir), *INITDB_OPTIONS])
            self._start_on_a_free_port()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_on_a_free_port(self, tries: int = 3) -> None:
        for attempt in range(1, tries + 1):  # a free port can be taken between probe and bind
            self.port = _free_port()
            try:
                self._start_server()
                return
            except subprocess.CalledProcessError:
                if attempt == tries:
                    raise

    def _start_server(self) -> None:
        options = f"{SERVER_OPTIONS} -p {self.port} -k {self.root}"
        log = str(self.data_dir / "server.log")
        wait = ["-w", "-t", str(START_TIMEOUT)]
        self._pg("pg_ctl", ["-D", str(self.data_dir), "-o", options, "-l", log, *wait, "start"])

    def stop(self) -> None:
        if self.root is None:
            return
        try:
            if (self.data_dir / "postmaster.pid").exists():
                self._pg("pg_ctl", ["-D", str(self.data_dir), "-m", "immediate", "-w", "stop"])
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def create_database(self, prefix: str = "khabar_test") -> str:
        """A new empty database; returns its URL."""
        import psycopg

        self._created += 1
        name = f"{prefix}_{os.getpid()}_{self._created}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
        return self.url(name)

    def _pg(self, program: str, args: list[str]) -> None:
        command = [str(self.bin_dir / program), *args]
        if self._user is not None:
            command = ["runuser", "-u", self._user, "--", *command]
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=120, cwd=self.root, check=False
        )
        if result.returncode != 0:
            raise subprocess.CalledProcessError(
                result.returncode, command, result.stdout, result.stderr + self._log_tail()
            )

    def _log_tail(self) -> str:
        log = self.data_dir / "server.log" if self.root else None
        if log is None or not log.exists():
            return ""
        return "\n--- server.log ---\n" + log.read_text(errors="replace")[-2000:]

    def __enter__(self) -> PostgresCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

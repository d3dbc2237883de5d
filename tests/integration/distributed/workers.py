"""Worker processes for the distributed tests: real ``khabar worker`` subprocesses.

Each worker gets its own User-Agent (``khabar-test-worker-N``) so the outlets' servers can
tell which worker sent a request.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from tests.integration.cli.helpers import KHABAR, environment

__all__ = ["AGENT", "Workers", "wait_until"]

AGENT = "khabar-test-worker-{}"
STALLED_AFTER = 3  # seconds: a killed worker's jobs go back to the queue this soon
SETTINGS = {
    "KHABAR_ALLOW_HOSTS": "127.0.0.0/8",
    "KHABAR_EXTRACT_WORKERS": "1",
    "KHABAR_MIN_INTERVAL": "3600",
}


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


@dataclass
class Workers:
    """``count`` workers on ``url``; ``settings`` are extra ``KHABAR_*`` variables."""

    url: str
    logs: Path
    settings: Mapping[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, count: int, concurrency: int = 1) -> Workers:
        for number in range(1, count + 1):
            agent = AGENT.format(number)
            env = environment(
                {
                    **SETTINGS,
                    **self.settings,
                    "KHABAR_DATABASE_URL": self.url,
                    "KHABAR_USER_AGENT": agent,
                },
                local=False,
            )
            args = [str(KHABAR), "worker", "--name", agent, "--tick", "1"]
            args += ["--stalled-after", str(STALLED_AFTER), "--concurrency", str(concurrency)]
            log = (self.logs / f"{agent}.log").open("wb")
            self.processes[agent] = subprocess.Popen(args, env=env, stdout=log, stderr=log)
        wait_until(lambda: self.registered() >= count, 60, f"{count} workers to start")
        return self

    def registered(self) -> int:
        for agent, process in self.processes.items():
            if process.poll() is not None and agent not in self.killed:
                log = (self.logs / f"{agent}.log").read_text(errors="replace")
                raise AssertionError(f"{agent} exited with {process.returncode}:\n{log[-3000:]}")
        with psycopg.connect(self.url) as conn:
            if not conn.execute("SELECT to_regclass('procrastinate_workers')").fetchone()[0]:
                return 0
            row = conn.execute("SELECT count(*) FROM procrastinate_workers").fetchone()
        return int(row[0]) if row else 0

    @property
    def killed(self) -> set[str]:
        return {a for a, p in self.processes.items() if p.returncode == -signal.SIGKILL}

    def kill(self, agent: str) -> None:
        """SIGKILL: no cleanup, no goodbye to the database."""
        process = self.processes[agent]
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)

    def log(self, agent: str) -> str:
        return (self.logs / f"{agent}.log").read_text(errors="replace")

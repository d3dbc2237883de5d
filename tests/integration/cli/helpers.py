"""Run the real ``khabar`` console script as a subprocess, with a clean ``KHABAR_*`` environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "KHABAR",
    "environment",
    "json_out",
    "khabar",
    "one_error_line",
    "sqlite_url",
    "start_khabar",
]

KHABAR = Path(sys.executable).with_name("khabar")

LOCAL = {"KHABAR_ALLOW_HOSTS": "127.0.0.1", "KHABAR_PER_HOST_DELAY": "0"}


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def khabar(
    *args: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    local: bool = True,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run ``khabar ARGS`` in ``cwd``; ``local`` lets it reach 127.0.0.1 without delay."""
    return subprocess.run(
        [str(KHABAR), *args],
        cwd=cwd,
        env=environment(env, local=local),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )


def environment(env: Mapping[str, str] | None = None, *, local: bool = True) -> dict[str, str]:
    """This process's environment without its ``KHABAR_*`` variables, plus ``env``."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    environ |= {"NO_COLOR": "1", "COLUMNS": "200", "PYTHONUTF8": "1"}
    return environ | (LOCAL if local else {}) | dict(env or {})


def start_khabar(*args: str, cwd: Path) -> subprocess.Popen[str]:
    """Start ``khabar ARGS`` in the background (local settings); see :func:`khabar`."""
    return subprocess.Popen(
        [str(KHABAR), *args],
        cwd=cwd,
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def json_out(result: subprocess.CompletedProcess[str]) -> Any:
    """The JSON a successful command printed on stdout."""
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single ``error: …`` line a failed command printed (exit code 1, no traceback)."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    return lines[0]

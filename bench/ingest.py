"""Ingest benchmark: bare trafilatura vs Khabar's full pipeline, side by side in one run.

(a) ``trafilatura.extract`` on the HTML bytes of every demo page (downloaded beforehand);
(b) Khabar's pipeline on the same pages: fetch over local HTTP + feed parse + extract + store +
    index, into a fresh SQLite file;
(c) peak RSS of ``khabar run`` ingesting the same mirror (a separate process).

Usage: python bench/ingest.py --pages 2000 [--write bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import trafilatura

from khabar.demo.run import demo_settings
from khabar.feeds import parse_feed, parse_opml
from khabar.service import Khabar
from khabar.settings import load_settings
from khabar.workers import worker_count

CORPUS_SIZE = 500


class MirrorProcess:
    """The demo mirror in its own process, so it does not compete for our GIL."""

    def __init__(self, scale: int) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        args = ["-m", "khabar.demo.mirror", "--port", str(self.port), "--scale", str(scale)]
        self._proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.opml_text = fetch(self.base_url + "/feeds.opml").decode("utf-8")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("demo mirror did not start")

    def opml(self) -> str:
        return self.opml_text

    def article_urls(self) -> list[str]:
        urls: list[str] = []
        for source in parse_opml(self.opml_text.encode(), "mirror"):
            feed = parse_feed(fetch(source.url), source.url)
            urls.extend(entry.url for entry in feed.entries)
        return list(dict.fromkeys(urls))

    def stop(self) -> None:
        self._proc.terminate()
        self._proc.wait(timeout=30)


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return bytes(response.read())


def download(urls: list[str]) -> list[bytes]:
    return [fetch(u) for u in urls]


def bare_trafilatura(pages: list[bytes]) -> float:
    start = time.perf_counter()
    for html in pages:
        trafilatura.extract(html)
    return len(pages) / (time.perf_counter() - start)


def khabar_pipeline(mirror: MirrorProcess, workdir: Path, workers: int = 0) -> tuple[float, int]:
    db = workdir / f"pipeline-{workers}.db"
    settings = demo_settings(load_settings({"database_url": f"sqlite:///{db}"}, environ={}))
    settings = settings.replace(max_entries_per_update=100_000, extract_workers=workers)
    with Khabar(settings) as service:
        service.import_opml(mirror.opml().encode(), "bench")
        start = time.perf_counter()
        asyncio.run(service.update())
        elapsed = time.perf_counter() - start
        count = service.count_articles()
    return count / elapsed, count


def khabar_run_peak_rss(
    mirror: MirrorProcess, workdir: Path, expected: int
) -> tuple[float, float, int]:
    """Peak RSS (MiB) of a ``khabar run`` process ingesting the mirror, and of its workers."""
    db = workdir / "run.db"
    opml = workdir / "mirror.opml"
    opml.write_text(mirror.opml(), encoding="utf-8")
    env = {
        **os.environ,
        "KHABAR_ALLOW_HOSTS": "127.0.0.1",
        "KHABAR_PER_HOST_DELAY": "0",
        "KHABAR_PER_HOST_CONCURRENCY": "8",
        "KHABAR_MAX_ENTRIES_PER_UPDATE": "100000",
    }
    khabar = shutil.which("khabar") or str(Path(sys.executable).with_name("khabar"))
    db_url = f"sqlite:///{db}"
    subprocess.run(
        [khabar, "import-opml", str(opml), "--db", db_url], env=env, check=True, capture_output=True
    )
    proc = subprocess.Popen(
        [khabar, "run", "--no-starter", "--port", "0", "--db", db_url],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        count = _wait_for(db, expected, timeout=1800)
        peak = _vm_hwm(proc.pid)
        workers = sum(_vm_hwm(child) for child in _descendants(proc.pid))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return peak, workers, count


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in map(int, children):
            found.extend([child, *_descendants(child)])
    return found


def _wait_for(db: Path, expected: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    count = 0
    while time.monotonic() < deadline:
        time.sleep(2)
        try:
            with sqlite3.connect(db) as conn:
                count = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.Error:
            continue
        if count >= expected:
            time.sleep(3)
            return int(count)
    return int(count)


def _vm_hwm(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    python = platform.python_version()
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}, Python {python}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--write", type=Path, default=None, help="append results to this file")
    args = parser.parse_args()
    scale = -(-args.pages // CORPUS_SIZE)
    mirror = MirrorProcess(scale)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            urls = mirror.article_urls()
            pages = download(urls)
            rate_a = bare_trafilatura(pages)
            rate_b, stored = khabar_pipeline(mirror, Path(tmp))
            rate_b1, _ = khabar_pipeline(mirror, Path(tmp), workers=1)
            peak, workers, run_count = khabar_run_peak_rss(mirror, Path(tmp), stored)
    finally:
        mirror.stop()
    lines = [
        f"### Ingest — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — {machine()}",
        "",
        f"Demo mirror at scale {scale}: {len(urls)} article pages, {stored} stored.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| (a) bare `trafilatura.extract` on the same HTML | {rate_a:.1f} pages/s |",
        f"| (b) Khabar pipeline (HTTP fetch + parse + extract + store + index) "
        f"| {rate_b:.1f} pages/s |",
        f"| ratio b/a (goal ≥ 0.8) | {rate_b / rate_a:.2f} |",
        f"| (b1) the same with extract_workers=1 (one thread, no worker process) "
        f"| {rate_b1:.1f} pages/s, ratio {rate_b1 / rate_a:.2f} |",
        f"| peak RSS of `khabar run` after ingesting {run_count} pages (goal ≤ 250 MB) "
        f"| {peak:.0f} MiB main process; {peak + workers:.0f} MiB with its extraction workers |",
        "",
        "The mirror runs in its own process on the same 2 cores (its CPU time counts against",
        "(b), not (a)). It serves five outlets from one host, so the pipeline runs with",
        "per_host_concurrency=8 (≈ the default 2 per host × five real hosts), per_host_delay=0",
        f"and extract_workers=0 (auto: {worker_count(0)} here).",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        with args.write.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

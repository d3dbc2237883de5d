"""The load generator of ``bench/web_load.py``, run as its own process (never the server's).

Closed loop: ``--clients`` asyncio tasks share one ``httpx.AsyncClient`` with as many
keep-alive connections; each picks a URL kind at random (equal weights), a random path of
that kind, sends GET, waits for the whole body, records, and goes again until ``--seconds``
have passed. Redirects are not followed (a 3xx counts as an answer). An error is a status
outside 200–399 or any exception (connect, read, timeout after ``--timeout`` s).

Input: a JSON plan ``{"base_url": …, "paths": {kind: [path, …]}}``. Output (``--out``): one
JSON object ``{"records": [[kind, path, start_s, latency_ms, status_or_error, server_ms], …],
"cpu_s": …, "wall_s": …}`` — latency from just before the request is sent to the last body byte
(end to end: queueing included); ``server_ms`` is the app's own time from the response's
``Server-Timing: app;dur=<ms>`` header (null when the answer has none).

Usage: python bench/web_load_client.py --plan plan.json --clients 50 --seconds 60 --out r.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import resource
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

Record = tuple[str, str, float, float, int | str, float | None]
Outcome = tuple[int | str, float | None]

APP_TIMING = re.compile(r"(?:^|,)\s*app;(?:[^,]*;)?\s*dur=([\d.]+)")


@dataclass
class Plan:
    base_url: str
    paths: dict[str, list[str]]

    @classmethod
    def read(cls, path: Path) -> Plan:
        data = json.loads(path.read_text(encoding="utf-8"))
        paths = {kind: list(found) for kind, found in data["paths"].items() if found}
        return cls(data["base_url"], paths)


@dataclass
class Run:
    plan: Plan
    seconds: float
    seed: int
    records: list[Record] = field(default_factory=list)

    async def worker(self, client: httpx.AsyncClient, number: int, started: float) -> None:
        rng = random.Random(self.seed * 1000 + number)
        kinds = sorted(self.plan.paths)
        deadline = started + self.seconds
        while time.perf_counter() < deadline:
            kind = rng.choice(kinds)
            path = rng.choice(self.plan.paths[kind])
            begin = time.perf_counter()
            status, server_ms = await fetch(client, path)
            latency = (time.perf_counter() - begin) * 1000
            self.records.append((kind, path, begin - started, latency, status, server_ms))


async def fetch(client: httpx.AsyncClient, path: str) -> Outcome:
    """The status of GET ``path`` (body read in full) and the app's own milliseconds; an
    exception becomes its class name."""
    try:
        response = await client.get(path)
        await response.aread()
    except httpx.HTTPError as exc:
        return type(exc).__name__, None
    return response.status_code, app_ms(response.headers.get("server-timing"))


def app_ms(header: str | None) -> float | None:
    """The ``dur`` of the ``app`` metric in a Server-Timing header value."""
    found = APP_TIMING.search(header or "")
    return float(found.group(1)) if found else None


async def run(plan: Plan, clients: int, seconds: float, timeout: float, seed: int) -> Run:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    state = Run(plan, seconds, seed)
    async with httpx.AsyncClient(
        base_url=plan.base_url, limits=limits, timeout=timeout, follow_redirects=False
    ) as client:
        started = time.perf_counter()
        await asyncio.gather(*(state.worker(client, n, started) for n in range(clients)))
    return state


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--plan", type=Path, required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    plan = Plan.read(args.plan)
    cpu, wall = cpu_seconds(), time.perf_counter()
    state = asyncio.run(run(plan, args.clients, args.seconds, args.timeout, args.seed))
    result = {
        "records": state.records,
        "cpu_s": cpu_seconds() - cpu,
        "wall_s": time.perf_counter() - wall,
    }
    args.out.write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

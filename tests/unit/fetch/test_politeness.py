"""Politeness without a network: cooldowns fail fast, spacing reserves start times."""

from __future__ import annotations

import anyio
import pytest

from khabar.fetch.politeness import HostCoolingDownError, Politeness
from khabar.settings import Settings

pytestmark = pytest.mark.anyio


async def test_cooling_host_fails_fast_other_hosts_go_on() -> None:
    politeness = Politeness(Settings(per_host_delay=0.0))
    politeness.cool_down("busy.example", 30)
    with pytest.raises(HostCoolingDownError, match=r"busy\.example asked us to wait") as caught:
        async with politeness.slot("busy.example", "https://busy.example/a"):
            pass
    assert 29 < caught.value.retry_after <= 30
    async with politeness.slot("calm.example", "https://calm.example/a"):
        pass


async def test_cooldown_is_capped_by_max_interval() -> None:
    politeness = Politeness(Settings(max_interval=600.0))
    politeness.cool_down("h", 10**9)
    assert 599 < politeness.cooling_for("h") <= 600
    assert politeness.cooling_for("never-seen") == 0.0


async def test_starts_are_spaced_per_host_not_across_hosts() -> None:
    politeness = Politeness(Settings(per_host_delay=0.1))
    started: dict[str, list[float]] = {"a": [], "b": []}

    async def one(host: str) -> None:
        async with politeness.slot(host, f"https://{host}/"):
            started[host].append(anyio.current_time())

    begin = anyio.current_time()
    async with anyio.create_task_group() as group:
        for host in ("a", "a", "a", "b"):
            group.start_soon(one, host)
    a_times = sorted(started["a"])
    assert a_times[2] - begin >= 0.19
    assert started["b"][0] - begin < 0.05

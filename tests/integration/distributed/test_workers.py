"""Three ``khabar worker`` processes on one machine against local outlets (issue 9).

One database and one set of three workers serve the whole module (starting a worker takes a
few seconds); each test follows its own outlets on their own hosts. Workers run one job at a
time (``--concurrency 1``), so two requests in flight at once come from two workers. The test
that kills a worker runs last.
"""

from __future__ import annotations

import asyncio
import itertools
import subprocess
import threading
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import psycopg
import pytest
from procrastinate import App
from tests.integration.cli.helpers import KHABAR, environment
from tests.integration.distributed.outlets import Outlet
from tests.integration.distributed.workers import Workers, wait_until
from tests.support.httpserver import Request
from tests.support.postgres import PostgresCluster

from khabar.distributed.app import SOURCE_TASK, build_app, defer_source
from khabar.distributed.schema import ensure_schema
from khabar.storage.postgres.storage import PostgresStorage
from khabar.types import Article, NewSource, Source

DELAY = 0.4  # per_host_delay of the workers, in seconds
JITTER = 0.15  # a request may reach the server this much later than its reserved start
_hosts = (f"127.0.0.{n}" for n in itertools.count(2))
WIRE = [  # one wire story, published by two outlets
    "قال مسؤولون في وزارة الخارجية إن جولة جديدة من المحادثات ستعقد الأسبوع المقبل في "
    "العاصمة بمشاركة وفود من عشر دول، لبحث سبل وقف إطلاق النار وتبادل الأسرى.",
    "وأضاف المسؤولون أن الوسطاء قدموا مقترحا من ثلاث مراحل يتضمن انسحابا تدريجيا للقوات "
    "وإدخال المساعدات الإنسانية إلى المناطق المتضررة وإعادة فتح المعابر.",
    "ولم يصدر تعليق فوري من الأطراف المعنية، فيما أكدت مصادر دبلوماسية أن فرص التوصل إلى "
    "اتفاق باتت أكبر من أي وقت مضى بعد أشهر من الجمود في المفاوضات.",
]
PORT_WIRE = [  # another one (the module's tests share one database)
    "أعلنت هيئة الموانئ أن حركة الحاويات في الميناء الرئيسي ارتفعت خلال الربع الثالث بنسبة "
    "كبيرة مقارنة بالعام الماضي، مدفوعة بزيادة الصادرات الزراعية وعودة خطوط الشحن الدولية.",
    "وأوضحت الهيئة في بيان أن أعمال توسعة الرصيف الشمالي اكتملت، ما سمح باستقبال سفن أكبر "
    "وتقليص زمن الانتظار في المرسى إلى أقل من يومين.",
    "وتوقع خبراء في قطاع النقل البحري أن يستمر النمو حتى نهاية العام مع افتتاح منطقة "
    "لوجستية جديدة قرب الميناء وتحسن الطلب في الأسواق المجاورة.",
]


@pytest.fixture(scope="module")
def db(cluster: PostgresCluster) -> str:
    url = cluster.create_database("khabar_workers")
    PostgresStorage(url).close()
    ensure_schema(url)
    return url


@pytest.fixture(scope="module")
def workers(db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workers]:
    logs = tmp_path_factory.mktemp("worker-logs")
    running = Workers(db, logs, {"KHABAR_PER_HOST_DELAY": str(DELAY)})
    try:
        yield running.start(3)
    finally:
        running.stop()


@pytest.fixture
def storage(db: str) -> Iterator[PostgresStorage]:
    store = PostgresStorage(db)
    yield store
    store.close()


def with_app(url: str, action: Callable[[App], Awaitable[Any]]) -> Any:
    async def run() -> Any:
        app = build_app(url)
        async with app.open_async():
            return await action(app)

    return asyncio.run(run())


def follow(storage: PostgresStorage, outlet: Outlet) -> Source:
    return storage.add_source(NewSource(url=outlet.feed_url, title=outlet.name, kind="feed"))


def articles_of(storage: PostgresStorage, source: Source) -> list[Article]:
    rows = storage.read("SELECT id FROM articles WHERE source_id = %s ORDER BY id", (source.id,))
    return [storage.get_article(int(r["id"])) for r in rows]


def queue_is_empty(url: str) -> bool:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')"
            " AND task_name IN ('khabar.update_source', 'khabar.process_page')"
        ).fetchone()
    return row is not None and row[0] == 0


def test_three_workers_store_each_article_once_politely(
    workers: Workers, storage: PostgresStorage, db: str
) -> None:
    outlets = [Outlet(next(_hosts), f"outlet{n}", feed_delay=0.3) for n in range(3)]
    with outlets[0], outlets[1], outlets[2]:
        pages = {
            o.name: [o.add_page(f"a{i}", f"خبر {o.name} رقم {i}") for i in range(5)]
            for o in outlets
        }
        sources = [follow(storage, o) for o in outlets]

        async def three_updates_each(app: App) -> None:
            for source in sources:  # the same lock, no queueing lock: three jobs wait at once
                for _ in range(3):
                    deferrer = app.configure_task(SOURCE_TASK, lock=f"source:{source.id}")
                    await deferrer.defer_async(source_id=source.id, force=True)

        with_app(db, three_updates_each)
        wait_until(
            lambda: all(len(articles_of(storage, s)) == 5 for s in sources) and queue_is_empty(db),
            60,
            "15 articles",
        )

    for outlet, source in zip(outlets, sources, strict=True):
        stored = articles_of(storage, source)
        assert sorted(a.url for a in stored) == sorted(
            outlet.server.url(p) for p in pages[outlet.name]
        )
        for path in pages[outlet.name]:  # each page fetched once, by one worker
            assert len(outlet.requests_to(path)) == 1, (path, outlet.requests_to(path))
        assert len(outlet.requests_to("/feed.xml")) >= 3
        assert outlet.max_in_flight["/feed.xml"] == 1  # one worker at a time per source
        starts = outlet.all_starts()
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        assert min(gaps) >= DELAY - JITTER, (outlet.host, gaps)
        assert starts[-1] - starts[0] >= (len(starts) - 1) * DELAY - JITTER
    agents = {h.agent for o in outlets for h in o.hits}
    assert len(agents) == 3, agents  # the work really was shared
    assert any(len({h.agent for h in o.hits}) >= 2 for o in outlets)  # …on one host too


def _meeting(timeout: float) -> tuple[Callable[[Request], None], list[str]]:
    """A page hook that answers two requests only once both have arrived (both pages are
    answered at the same moment), and the user agents that asked."""
    together = threading.Barrier(2, timeout=timeout)
    agents: list[str] = []

    def meet(request: Request) -> None:
        agents.append(request.header("user-agent") or "")
        together.wait()

    return meet, agents


def test_two_copies_written_at_once_on_two_workers(
    workers: Workers, storage: PostgresStorage, db: str
) -> None:
    wire = WIRE
    meet, agents = _meeting(timeout=20)
    first, second = Outlet(next(_hosts), "الوكالة"), Outlet(next(_hosts), "الصحيفة")
    with first, second:
        first.add_page("wire", "جولة محادثات جديدة الأسبوع المقبل", wire, hours_ago=2, before=meet)
        second.add_page("copy", "محادثات جديدة الأسبوع المقبل", wire, hours_ago=1, before=meet)
        sources = [follow(storage, first), follow(storage, second)]
        with_app(db, lambda app: asyncio.gather(*(defer_source(app, s.id) for s in sources)))
        wait_until(
            lambda: all(articles_of(storage, s) for s in sources) and queue_is_empty(db),
            60,
            "both copies",
        )
    assert len(set(agents)) == 2  # fetched at the same moment by two workers
    [original] = articles_of(storage, sources[0])
    [copy] = articles_of(storage, sources[1])
    assert original.copy_kind is None and original.group_id == original.id
    assert copy.copy_kind == "republication" and copy.copy_of == original.id
    assert copy.group_id == original.id and copy.original_id == original.id
    assert original.story_id is not None and copy.story_id == original.story_id
    assert storage.get_story(original.story_id).size == 2


def test_a_copy_written_by_khabar_update_while_a_worker_writes_the_other(
    workers: Workers, storage: PostgresStorage, db: str
) -> None:
    """`khabar update` on PostgreSQL takes the workers' write lock and keeps their write log."""
    meet, agents = _meeting(timeout=30)
    first, second = Outlet(next(_hosts), "الوكالة"), Outlet(next(_hosts), "الصحيفة")
    with first, second:
        first.add_page(
            "wire", "ارتفاع حركة الحاويات في الميناء", PORT_WIRE, hours_ago=2, before=meet
        )
        second.add_page(
            "copy", "حركة الحاويات ترتفع في الميناء", PORT_WIRE, hours_ago=1, before=meet
        )
        by_worker, by_update = follow(storage, first), follow(storage, second)
        storage.set_source_paused(by_update.id, True)  # no worker picks it up
        env = {"KHABAR_DATABASE_URL": db, "KHABAR_ALLOW_HOSTS": "127.0.0.0/8"}
        update = subprocess.Popen(
            [str(KHABAR), "update", "--source", str(by_update.id), "--json"],
            env=environment(env | {"KHABAR_EXTRACT_WORKERS": "1"}, local=False),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        with_app(db, lambda app: defer_source(app, by_worker.id))
        _, err = update.communicate(timeout=120)
        assert update.returncode == 0, err.decode(errors="replace")
        wait_until(
            lambda: bool(articles_of(storage, by_worker)) and queue_is_empty(db), 60, "the copy"
        )
    assert sum(a.startswith("khabar-test-worker-") for a in agents) == 1  # one worker, one update
    [original] = articles_of(storage, by_worker)
    [copy] = articles_of(storage, by_update)
    assert original.copy_kind is None and original.group_id == original.id
    assert copy.copy_kind == "republication" and copy.copy_of == original.id
    assert original.story_id is not None and copy.story_id == original.story_id
    assert storage.get_story(original.story_id).size == 2
    with psycopg.connect(db) as conn:  # both writes are in the log the workers read
        logged = conn.execute(
            "SELECT count(*) FROM khabar_write_log WHERE story_id = %s", (original.story_id,)
        ).fetchone()
    assert logged is not None and logged[0] == 2


def test_a_worker_killed_mid_job_loses_nothing(
    workers: Workers, storage: PostgresStorage, db: str
) -> None:
    started = threading.Event()
    agents: list[str] = []

    def stall_the_first_time(request: Request) -> None:
        agents.append(request.header("user-agent") or "")
        if len(agents) == 1:
            started.set()
            threading.Event().wait(20)  # the worker is killed while it waits for this page

    outlet = Outlet(next(_hosts), "outlet-killed")
    with outlet:
        slow = outlet.add_page("slow", "خبر بطيء", before=stall_the_first_time)
        others = [outlet.add_page(f"b{i}", f"خبر آخر رقم {i}") for i in range(3)]
        source = follow(storage, outlet)
        with_app(db, lambda app: defer_source(app, source.id))
        assert started.wait(30), "the slow page was never requested"
        workers.kill(agents[0])
        wait_until(
            lambda: len(articles_of(storage, source)) == 4 and queue_is_empty(db),
            60,
            "the killed worker's page to be written by another worker",
        )
    stored = articles_of(storage, source)
    assert sorted(a.url for a in stored) == sorted(outlet.server.url(p) for p in [slow, *others])
    assert len(agents) == 2 and agents[1] != agents[0]  # retried by another worker
    [slow_article] = [a for a in stored if a.url.endswith(slow)]
    assert slow_article.extraction_error is None  # the page itself, not the feed's summary

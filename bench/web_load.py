"""Web reader and API under load: render time and 50 concurrent clients, with and without an update.

Database (cached; built once per ``--articles``/``--rich``/``BUILD_VERSION``): N articles made
from the real ANT texts (../shared/data/ant/train.jsonl.gz, 24,206 articles), one source per
ANT outlet desk (26 sources, paused so an update leaves them alone), dates spread evenly over
60 days up to the build time. The newest ``--rich`` articles take distinct ANT texts and go
through Khabar's real analysis and writer (``analyze_article`` + ``ArticleWriter.write``:
section, entities, keywords, related-article features, copies, stories), oldest first. Every
older article takes the next text of a seeded shuffle of ANT (cycling, so each text returns
~N/24,206 times, its title given a prefix such as «تحديث:» on each return) and is stored with
``upsert_article``: with the analysis of its text when that text was analyzed (entities,
keywords, features, section; no story), otherwise with the section of its ANT desk.
``search.update()`` indexes every 1,000 articles, in the default search engine (tantivy: its
index directory ``<db>.tantivy`` is cached and copied with the database).

Run, for each ``--workers`` count (default 1 then 2), on a fresh copy of the cached database:
- the server on 127.0.0.1: one worker is ``khabar serve`` (uvicorn, one process, as users run
  it); N workers are uvicorn's supervisor running N processes of the same app
  (:func:`serve_workers`; ``khabar serve`` has no such option), so the two are measured side
  by side in one run;
- the load: ``bench/web_load_client.py`` in a second process (asyncio + httpx, ``--clients``
  keep-alive connections, closed loop; each request picks one of the URL kinds with equal
  weight, then a random URL of that kind); and, when ``wrk`` is on PATH, wrk with the same
  URL mix as a cross-check of the overall numbers (wrk reports no per-kind split; Debian
  package ``wrk``, not installed by the project: without it the cross-check is skipped);
- phase 0 "render": one client, one request at a time: the server's own render time plus the
  loopback round trip, nothing queued;
- phase 1 "load": ``--clients`` clients for ``--seconds``;
- phase 2 "load + update": the same while ``khabar update`` runs in a third process against
  the demo mirror (``python -m khabar.demo.mirror``: real pages of five outlets, in a fourth
  process), fetching, extracting (its default worker processes), analyzing and writing new
  articles into the same SQLite file; the load starts once the update has stored its first
  article, and the update is stopped when the phase ends.
Errors: any status outside 200–399 or an exception in the client. Every URL in the mix exists.
Two times per request: end to end (what the client waited, queueing in the server included)
and the server's own render time (the app's ``Server-Timing: app;dur=<ms>`` header).
If a kind's server render p95 in phase 0 of the first configuration is above the 50 ms goal,
one request of it is profiled in this process (cProfile, the app called through httpx's ASGI
transport on the same database).

Usage: python bench/web_load.py [--articles 100000] [--seconds 60] [--clients 50]
       [--workers 1,2] [--append]
Quick: python bench/web_load.py --articles 5000 --seconds 10 --render-seconds 5 --workers 1
The database is cached in ``--cache-dir`` (default: $TMPDIR/khabar-bench; 100k articles ≈ 1.3 GB,
~6.5 min to build on 2 cores); each run works on a copy of it, removed afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import dataclasses
import gzip
import io
import json
import os
import platform
import pstats
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from khabar.analyze.article import analyze_article
from khabar.analyze.section_keys import SECTIONS
from khabar.analyze.sections import FEED_CONFIDENCE
from khabar.arabic.stopwords import is_stopword_text
from khabar.demo.outlets import SECTION_NAMES_AR, outlet_for_src
from khabar.jsonl_import import ImportRecord, article_from_record
from khabar.settings import Settings
from khabar.storage import StorageType, open_storage
from khabar.types import AnalyzedArticle, ExtractedArticle, FeedEntry, NewSource, Source
from khabar.writer import ArticleWriter, draft_from

ROOT: Final = Path(__file__).resolve().parents[1]
ANT: Final = ROOT.parent / "shared" / "data" / "ant" / "train.jsonl.gz"
RESULTS: Final = ROOT / "bench" / "RESULTS.md"
CLIENT: Final = Path(__file__).with_name("web_load_client.py")
KHABAR: Final = Path(sys.executable).with_name("khabar")

BUILD_VERSION: Final = 2  # change when the database recipe changes: old caches are ignored
SEED: Final = 11
DAYS: Final = 60
INDEX_BATCH: Final = 1000
GOAL_MS: Final = 50.0
# ANT desk → Khabar section key (the desk is the outlet's own, so it decides as a feed would).
DESK_SECTION: Final = {
    "culture": "culture",
    "economy": "economy",
    "sport": "sports",
    "technology": "technology",
    "internationalNews": "politics",
    "middleEast": "politics",
}
RETURN_PREFIXES: Final = ("", "تحديث: ", "بالصور: ", "متابعة: ", "عاجل: ", "تقرير: ", "بالفيديو: ")
# Fields of one client record: [kind, path, start_s, latency_ms, status or exception name,
# the app's own ms from its Server-Timing header or None].
KIND, PATH, START, LATENCY, STATUS, SERVER = range(6)
SAMPLES: Final = {"article": 2000, "story": 500, "entity": 500, "search": 300, "tag": 200}


# --- ANT ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AntRow:
    docno: str
    src: str
    desk: str
    title: str
    text: str
    abstract: str | None
    author: str | None


def load_ant(path: Path = ANT) -> list[AntRow]:
    if not path.is_file():
        sys.exit(f"MISSING DATA: {path} not found (the ANT corpus); nothing was measured.")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return [
        AntRow(
            r["docno"],
            r["src"],
            r["cat"],
            r["title"],
            r["text"],
            r.get("abstract"),
            r.get("author"),
        )
        for r in rows
        if r.get("title") and r.get("text")
    ]


# --- building the database ---------------------------------------------------------------


@dataclass
class Builder:
    """Writes the bench database: the writer for the newest articles, plain upserts after."""

    storage: StorageType
    writer: ArticleWriter
    sources: dict[tuple[str, str], Source]
    end: datetime
    step: timedelta
    analyzed: dict[int, AnalyzedArticle] = field(default_factory=dict)
    pending: int = 0

    def published(self, j: int) -> datetime:
        """The date of the j-th newest article: evenly spaced, newest at ``end``."""
        return self.end - self.step * j

    def entry(self, row: AntRow, j: int, returns: int) -> tuple[FeedEntry, ExtractedArticle]:
        prefix = RETURN_PREFIXES[returns % len(RETURN_PREFIXES)]
        title = prefix + row.title if returns < len(RETURN_PREFIXES) else f"({returns}) {row.title}"
        url = f"https://{row.src.lower()}.bench.example/{row.desk}/{row.docno}-{returns}"
        entry = FeedEntry(
            url=url,
            title=title,
            summary=row.abstract,
            published=self.published(j),
            author=row.author,
            categories=(SECTION_NAMES_AR[row.desk],),
            language="ar",
        )
        record = ImportRecord(j, row.src, entry, row.text, None)
        return article_from_record(record)

    def write_rich(self, index: int, row: AntRow, j: int) -> None:
        entry, article = self.entry(row, j, 0)
        analyzed = analyze_article(article, entry)
        self.writer.write(self.sources[row.src, row.desk], entry, analyzed)
        self.analyzed[index] = analyzed
        self.tick()

    def write_plain(self, index: int, row: AntRow, j: int, returns: int) -> None:
        entry, article = self.entry(row, j, returns)
        known = self.analyzed.get(index)
        if known is not None:
            analyzed = dataclasses.replace(known, extracted=article)
        else:
            analyzed = AnalyzedArticle(
                article, DESK_SECTION[row.desk], FEED_CONFIDENCE["strong"], "feed"
            )
        self.storage.upsert_article(draft_from(self.sources[row.src, row.desk], entry, analyzed))
        self.tick()

    def tick(self) -> None:
        self.pending += 1
        if self.pending >= INDEX_BATCH:
            self.flush()

    def flush(self) -> None:
        self.storage.search.update()
        self.pending = 0


def add_sources(storage: StorageType, rows: Sequence[AntRow]) -> dict[tuple[str, str], Source]:
    """One source per ANT outlet desk, paused (``khabar update`` must not try to fetch it)."""
    sources = {}
    for src, desk in sorted({(r.src, r.desk) for r in rows}):
        outlet = outlet_for_src(src)
        new = NewSource(
            url=f"https://{src.lower()}.bench.example/{desk}/feed",
            title=f"{outlet.name_ar} — {SECTION_NAMES_AR[desk]}",
            kind="feed",
            language="ar",
            site_url=outlet.homepage,
        )
        source = storage.add_source(new)
        sources[src, desk] = storage.set_source_paused(source.id, True)
    return sources


def build_database(path: Path, articles: int, rich: int) -> dict[str, float]:
    """Write the database at ``path`` (a fresh file); returns timings."""
    rows = load_ant()
    order = list(range(len(rows)))
    random.Random(SEED).shuffle(order)
    url = f"sqlite:///{path}"
    storage = open_storage(url)
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    builder = Builder(
        storage,
        ArticleWriter(storage, Settings(database_url=url)),
        add_sources(storage, rows),
        end,
        timedelta(days=DAYS) / articles,
    )
    rich = min(rich, articles, len(rows))
    started = time.perf_counter()
    for j in reversed(range(rich)):  # oldest first, as they would arrive
        builder.write_rich(order[j], rows[order[j]], j)
        progress("analyzed + written", rich - j, rich, started)
    builder.flush()
    middle = time.perf_counter()
    for j in range(rich, articles):
        index = order[j % len(order)]
        builder.write_plain(index, rows[index], j, j // len(order))
        progress("stored", j - rich + 1, articles - rich, middle)
    builder.flush()
    storage.close()
    return {"rich_s": middle - started, "plain_s": time.perf_counter() - middle}


def progress(what: str, done: int, total: int, started: float) -> None:
    if done % 2000 == 0 or done == total:
        rate = done / max(time.perf_counter() - started, 1e-9)
        print(f"  {what}: {done:,}/{total:,} ({rate:.0f}/s)", file=sys.stderr, flush=True)


def cached_database(args: argparse.Namespace) -> tuple[Path, dict[str, float]]:
    """The cached database for these options, built first if needed."""
    name = f"web_load-v{BUILD_VERSION}-n{args.articles}-r{args.rich}.db"
    path = args.cache_dir / name
    meta = path.with_suffix(".json")
    if path.is_file() and meta.is_file() and not args.rebuild:
        print(f"cached database: {path}", file=sys.stderr)
        return path, json.loads(meta.read_text())
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for stale in [*args.cache_dir.glob(partial.name + "*"), index_of(path)]:
        remove(stale)
    print(f"building {path} ({args.articles:,} articles, {args.rich:,} analyzed)", file=sys.stderr)
    timings = build_database(partial, args.articles, args.rich)
    index_of(partial).rename(index_of(path))
    partial.rename(path)
    meta.write_text(json.dumps(timings))
    return path, timings


def index_of(db: Path) -> Path:
    """The tantivy index directory of the database ``db`` (the default search engine)."""
    return Path(f"{db}.tantivy")


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def copy_database(cached: Path, db: Path) -> None:
    """``cached`` and its search index copied to ``db`` (replacing an earlier copy)."""
    for old in (db, index_of(db), Path(f"{db}-wal"), Path(f"{db}-shm")):
        remove(old)
    shutil.copyfile(cached, db)
    shutil.copytree(index_of(cached), index_of(db))


# --- the processes -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_get(url: str, timeout: float = 30.0) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return bytes(response.read())


def khabar_env(db_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    return env | {"KHABAR_DATABASE_URL": db_url} | extra


class Process:
    """A child process in its own session, stopped by its id when done."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("wb") as out:
            self.proc = subprocess.Popen(
                list(argv), env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def running(self) -> bool:
        return self.proc.poll() is None

    def cpu_seconds(self) -> float:
        """User + system CPU of the live processes of its group (it and its workers, from
        /proc)."""
        ticks = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended meanwhile
            if int(fields[2]) == self.proc.pid:  # its process group
                ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.running():
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def served_app() -> Any:
    """The app for ``uvicorn --factory --workers N`` (``khabar serve`` has no ``--workers``):
    what ``khabar serve`` builds, from the same settings (``KHABAR_*`` variables)."""
    from khabar.settings import load_settings
    from khabar.web.app import create_app

    return create_app(load_settings({}))


def serve_workers(workers: int, port: int) -> None:
    """What ``uvicorn --workers N`` does (its supervisor, N processes sharing one listening
    socket), but with the socket made as asyncio makes it for one process: with
    ``IPPROTO_TCP``. uvicorn's own leaves ``proto`` at 0, so asyncio never sets TCP_NODELAY
    on the accepted connections and each keep-alive request waits ~40 ms for a delayed ACK
    (uvicorn issue #3149; measured here: 66 ms instead of 31 ms for one request)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(
        "web_load:served_app",
        factory=True,
        host="127.0.0.1",
        port=port,
        workers=workers,
        log_level="warning",
    )
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.set_inheritable(True)
    Multiprocess(config, sockets=[sock]).run()


def server_argv(db_url: str, port: int, workers: int) -> list[str]:
    """``khabar serve`` for one process (as users run it); more worker processes through
    uvicorn's supervisor with the same app (:func:`serve_workers`, :func:`served_app`)."""
    if workers == 1:
        return [str(KHABAR), "serve", "--host", "127.0.0.1", "--port", str(port), "--db", db_url]
    script = str(Path(__file__).resolve())
    return [sys.executable, script, "--serve-workers", str(workers), "--port", str(port)]


def start_server(db_url: str, workdir: Path, workers: int) -> tuple[Process, str]:
    port = free_port()
    argv = server_argv(db_url, port, workers)
    server = Process(argv, khabar_env(db_url), workdir / f"server-{workers}.log")
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if not server.running():
            sys.exit(f"khabar serve exited; see {server.log}")
        try:
            http_get(base + "/api/v1/sources", timeout=5)
            return server, base
        except OSError:
            time.sleep(0.3)
    server.stop()
    sys.exit(f"khabar serve did not answer within 120 s; see {server.log}")


def start_mirror(scale: int, workdir: Path) -> tuple[Process, str]:
    port = free_port()
    argv = [sys.executable, "-m", "khabar.demo.mirror", "--port", str(port), "--scale", str(scale)]
    mirror = Process(argv, dict(os.environ), workdir / "mirror.log")
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            return mirror, http_get(base + "/feeds.opml", timeout=5).decode("utf-8")
        except OSError:
            time.sleep(0.3)
    mirror.stop()
    sys.exit("the demo mirror did not start")


def follow_mirror(db_url: str, opml: str, workdir: Path) -> None:
    path = workdir / "mirror.opml"
    path.write_text(opml, encoding="utf-8")
    subprocess.run(
        [str(KHABAR), "import-opml", str(path), "--db", db_url],
        env=khabar_env(db_url),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def update_env(db_url: str) -> dict[str, str]:
    """``khabar update`` against the local mirror: allow-listed, no politeness delay."""
    return khabar_env(
        db_url,
        KHABAR_ALLOW_HOSTS="127.0.0.1",
        KHABAR_PER_HOST_DELAY="0",
        KHABAR_PER_HOST_CONCURRENCY="8",
        KHABAR_MAX_ENTRIES_PER_UPDATE="100000",
    )


# --- the URL mix -------------------------------------------------------------------------


def sample(conn: sqlite3.Connection, sql: str, limit: int) -> list[Any]:
    return [row[0] for row in conn.execute(sql, (limit,))]


def search_words(limit: int) -> list[str]:
    """Content words of seeded random ANT titles (Arabic, ≥ 3 letters, not stopwords)."""
    rng = random.Random(SEED)
    titles = [row.title for row in rng.sample(load_ant(), 3000)]
    words: dict[str, None] = {}
    for title in titles:
        kept = "".join(ch if unicodedata.category(ch)[0] in "LM" else " " for ch in title)
        for word in kept.split():
            if len(word) >= 3 and "\u0600" <= word[0] <= "\u06ff" and not is_stopword_text(word):
                words.setdefault(word)
    return rng.sample(sorted(words), min(limit, len(words)))


def url_plan(db_path: Path, base: str) -> dict[str, list[str]]:
    """Every URL kind with the paths to draw from (all of them exist in the database)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        articles = sample(
            conn, "SELECT id FROM articles ORDER BY random() LIMIT ?", SAMPLES["article"]
        )
        stories = sample(
            conn,
            "SELECT id FROM stories WHERE size >= 2 ORDER BY random() LIMIT ?",
            SAMPLES["story"],
        )
        entities = sample(
            conn,
            "SELECT entity_key FROM (SELECT entity_key, count(*) AS n FROM article_entities "
            "GROUP BY entity_key HAVING n >= 2) ORDER BY random() LIMIT ?",
            SAMPLES["entity"],
        )
        sources = sample(conn, "SELECT id FROM sources WHERE paused = 1 LIMIT ?", 1000)
        sections = sample(conn, "SELECT DISTINCT section FROM articles LIMIT ?", 100)
        tags = sample(conn, "SELECT DISTINCT tag FROM article_tags LIMIT ?", SAMPLES["tag"])
    finally:
        conn.close()
    words = search_words(SAMPLES["search"])
    quote = urllib.parse.quote
    return {
        "home": ["/"],
        "home page 2": [home_page_two(base)],
        "section": [f"/sections/{s}" for s in SECTIONS if s in sections],
        "tag": [f"/tags/{quote(t, safe='')}" for t in tags],
        "source": [f"/sources/{i}" for i in sources],
        "article": [f"/articles/{i}" for i in articles],
        "story": [f"/stories/{i}" for i in stories],
        "entity": [f"/entities/{quote(k, safe='')}" for k in entities],
        "search": [f"/search?q={quote(w)}" for w in words],
        "api articles": ["/api/v1/articles"] + [f"/api/v1/articles?source_id={i}" for i in sources],
        "api search": [f"/api/v1/search?q={quote(w)}" for w in words],
    }


def home_page_two(base: str) -> str:
    page = http_get(base + "/").decode("utf-8")
    found = re.search(r'href="(/?\?before=[^"]+)"', page)
    if found is None:
        sys.exit("the home page has no link to its next page")
    link = found.group(1).replace("&amp;", "&")
    return link if link.startswith("/") else "/" + link


# --- phases ------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    clients: int
    seconds: float
    records: list[list[Any]]
    client_cpu_s: float
    server_cpu_s: float
    wall_s: float
    load: tuple[float, float, float]
    note: str = ""
    workers: int = 1

    def errors(self, kind: str | None = None) -> list[list[Any]]:
        return [r for r in self.of(kind) if not ok(r[STATUS])]

    def of(self, kind: str | None) -> list[list[Any]]:
        return [r for r in self.records if kind is None or r[KIND] == kind]


def ok(status: int | str) -> bool:
    """An answer the reader can use: 2xx, or a 3xx redirect."""
    return isinstance(status, int) and 200 <= status < 400


def run_client(
    plan: Path, base: str, clients: int, seconds: float, server: Process, workdir: Path, name: str
) -> Phase:
    out = workdir / f"client-{name.replace(' ', '_')}.json"
    argv = [sys.executable, str(CLIENT), "--plan", str(plan), "--clients", str(clients)]
    argv += ["--seconds", str(seconds), "--out", str(out)]
    cpu = server.cpu_seconds()
    subprocess.run(argv, check=True)
    data = json.loads(out.read_text(encoding="utf-8"))
    return Phase(
        name,
        clients,
        seconds,
        data["records"],
        data["cpu_s"],
        server.cpu_seconds() - cpu,
        data["wall_s"],
        os.getloadavg(),
    )


def count_articles(db_path: Path) -> int:
    return query_int(db_path, "SELECT count(*) FROM articles")


def query_int(db_path: Path, sql: str) -> int:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


DB_FACTS: Final = {
    "articles": "SELECT count(*) FROM articles",
    "with entities": "SELECT count(DISTINCT article_id) FROM article_entities",
    "with related-article features": "SELECT count(DISTINCT article_id) FROM article_features",
    "in a story": "SELECT count(*) FROM articles WHERE story_id IS NOT NULL",
    "copies": "SELECT count(*) FROM articles WHERE group_id IS NOT NULL AND group_id <> id",
    "stories": "SELECT count(*) FROM stories",
    "stories of 2+ articles": "SELECT count(*) FROM stories WHERE size >= 2",
    "entities": "SELECT count(*) FROM entities",
}


def db_facts(db_path: Path) -> str:
    return ", ".join(f"{name} {query_int(db_path, sql):,}" for name, sql in DB_FACTS.items())


def phase_with_update(
    args: argparse.Namespace,
    plan: Path,
    base: str,
    server: Process,
    db: Path,
    workdir: Path,
    tag: str,
) -> Phase:
    """Phase 2: the load starts once the update has written its first article, and the
    update is stopped when the load ends (the mirror holds more than a phase can take)."""
    url = f"sqlite:///{db}"
    before = count_articles(db)
    update = Process(
        [str(KHABAR), "update", "--db", url], update_env(url), workdir / f"update-{tag}.log"
    )
    waited = wait_for_writes(db, before, update)
    start = count_articles(db)
    phase = run_client(plan, base, args.clients, args.seconds, server, workdir, f"update-{tag}")
    still = update.running()
    update.stop()
    added = count_articles(db) - start
    state = "running until the end" if still else f"ended early (exit {update.proc.returncode})"
    phase.note = (
        f"`khabar update` of the demo mirror (scale {args.mirror_scale}: "
        f"{args.mirror_scale * 500:,} pages; {waited:.0f} s from its start to its first "
        f"article) {state}, "
        f"{added:,} articles written during the phase ({added / phase.wall_s:.1f}/s)"
    )
    return phase


def wait_for_writes(db: Path, before: int, update: Process, limit: float = 180.0) -> float:
    """Seconds until ``update`` has stored an article; exits if it never does."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if count_articles(db) > before:
            return time.monotonic() - started
        if not update.running():
            break
        time.sleep(0.5)
    update.stop()
    sys.exit(f"khabar update wrote nothing in {limit:.0f} s; see {update.log}")


@dataclass(frozen=True)
class WrkResult:
    requests: int
    errors: int
    p50: float
    p95: float
    p99: float
    rps: float


WRK_SCRIPT: Final = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local counter = 0
function setup(thread) counter = counter + 1; thread:set("id", counter) end
function init(args) math.randomseed(id * 7919) end
function request() return wrk.format("GET", paths[math.random(#paths)]) end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRKRESULT %%d %%d %%.3f %%.3f %%.3f %%.3f\\n", summary.requests,
    e.connect + e.read + e.write + e.timeout + e.status, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6)))
end
"""


def run_wrk(
    paths: dict[str, list[str]], base: str, args: argparse.Namespace, workdir: Path
) -> WrkResult | None:
    """The same mix through wrk (each kind equally often); None when wrk is not installed."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    rng = random.Random(SEED)
    lines = [rng.choice(found) for found in paths.values() for _ in range(200)]
    (workdir / "wrk-paths.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    script = workdir / "wrk.lua"
    script.write_text(WRK_SCRIPT % (workdir / "wrk-paths.txt"), encoding="utf-8")
    argv = [wrk, "-t2", f"-c{args.clients}", f"-d{int(args.seconds)}s", "--timeout", "30s"]
    out = subprocess.run(
        [*argv, "-s", str(script), base], capture_output=True, text=True, check=True
    )
    found = re.search(r"WRKRESULT (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)", out.stdout)
    if found is None:
        sys.exit(f"wrk printed no result:\n{out.stdout}\n{out.stderr}")
    n, errors, p50, p95, p99, rps = found.groups()
    return WrkResult(int(n), int(errors), float(p50), float(p95), float(p99), float(rps))


# --- profiling ---------------------------------------------------------------------------


def profile_request(db: Path, path: str) -> str:
    """cProfile of one GET of ``path`` (after one warm-up) in this process, and the time of
    each SQL statement it ran (traced, then run again alone); a short summary."""
    import httpx

    from khabar.service import Khabar
    from khabar.web.app import create_app

    settings = Settings(database_url=f"sqlite:///{db}")
    statements: list[str] = []

    async def main() -> tuple[int, cProfile.Profile, float, list[tuple[float, str]]]:
        with Khabar(settings) as service:
            conn = getattr(service.storage, "connection", None)
            transport = httpx.ASGITransport(app=create_app(settings, service))
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                await client.get(path)  # warm-up: templates compiled, caches filled
                profiler = cProfile.Profile()
                if isinstance(conn, sqlite3.Connection):
                    conn.set_trace_callback(statements.append)
                started = time.perf_counter()
                profiler.enable()
                response = await client.get(path)
                profiler.disable()
                ms = (time.perf_counter() - started) * 1000
                if isinstance(conn, sqlite3.Connection):
                    conn.set_trace_callback(None)
                    timed = [(sql_ms(conn, sql), sql) for sql in dict.fromkeys(statements)]
                return response.status_code, profiler, ms, timed

    status, profiler, ms, timed = asyncio.run(main())
    inner = sum(1 for sql in statements if sql.startswith("--"))  # run inside FTS5 (bm25)
    head = (
        f"{path} → {status} in {ms:.1f} ms under cProfile, {len(statements) - inner} SQL "
        f"statements (+{inner:,} run by FTS5 itself)"
    )
    return "\n".join([head, profile_summary(profiler), sql_summary(timed)])


def sql_ms(conn: sqlite3.Connection, sql: str) -> float:
    """Milliseconds to run ``sql`` (with its values, as traced) and fetch every row; the best
    of two runs. Statements other than SELECT are not run again (0)."""
    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
        return 0.0
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        conn.execute(sql).fetchall()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def sql_summary(timed: Sequence[tuple[float, str]], top: int = 4) -> str:
    lines = ["  slowest SQL (ms, run again alone):"]
    for ms, sql in sorted(timed, reverse=True)[:top]:
        lines.append(f"  {ms:10.1f} | {' '.join(sql.split())[:150]}")
    return "\n".join(lines)


def profile_summary(profiler: cProfile.Profile, top: int = 8) -> str:
    stats = pstats.Stats(profiler, stream=io.StringIO())
    rows = []
    for (filename, line, name), (_, calls, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = short_place(filename, line, name)
        rows.append((cumulative, own, calls, where))
    lines = ["  cumulative ms | own ms | calls | khabar function"]
    chosen = [r for r in rows if "khabar/" in r[3] and not r[3].startswith("__call__")]
    for cumulative, own, calls, where in sorted(chosen, reverse=True)[:top]:
        lines.append(f"  {cumulative * 1000:10.1f} | {own * 1000:6.1f} | {calls:5d} | {where}")
    lines.append("  top self time (any code):")
    for cumulative, own, calls, where in sorted(rows, key=lambda r: r[1], reverse=True)[:5]:
        lines.append(f"  {cumulative * 1000:10.1f} | {own * 1000:6.1f} | {calls:5d} | {where}")
    return "\n".join(lines)


def short_place(filename: str, line: int, name: str) -> str:
    if filename == "~":
        return name  # a builtin, e.g. <method 'execute' of 'sqlite3.Connection' objects>
    marker = "site-packages/"
    short = filename.split(marker, 1)[1] if marker in filename else filename
    short = short.split("/src/", 1)[1] if "/src/khabar/" in short else short
    return f"{name} ({short}:{line})"


# --- report ------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 10) - 1]


def phase_rows(phase: Phase, kinds: Sequence[str]) -> Iterator[list[str]]:
    """Per URL kind: end-to-end latency (what a client waited, queueing included) and the
    server's own render time (its ``Server-Timing``); ✗ marks a render p95 above the goal."""
    for kind in [*kinds, None]:
        found = phase.of(kind)
        latencies = sorted(r[LATENCY] for r in found)
        renders = sorted(r[SERVER] for r in found if r[SERVER] is not None)
        p95 = percentile(renders, 95)
        mark = " ✗" if kind is not None and p95 > GOAL_MS else ""
        yield [
            phase.name,
            kind or "**all**",
            f"{len(found):,}",
            f"{len(found) / phase.seconds:.1f}",
            *(f"{percentile(latencies, q):.1f}" for q in (50, 95, 99)),
            f"{percentile(renders, 50):.1f}",
            f"{p95:.1f}{mark}",
            f"{percentile(renders, 99):.1f}",
            f"{len(phase.errors(kind))}",
        ]


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def machine_line(started: datetime) -> str:
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    model = next(
        (ln.split(":", 1)[1].strip() for ln in lscpu.splitlines() if ln.startswith("Model name")),
        "?",
    )
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()
    return (
        f"{started:%Y-%m-%d %H:%M} UTC — {platform.system()} {platform.machine()}, nproc {nproc}, "
        f"{model}, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


@dataclass
class Outcome:
    """Everything one run measured, for the report."""

    started: datetime
    build: dict[str, float]
    db_bytes: int
    facts: str
    phases: list[Phase]
    kinds: list[str]
    wrk: dict[int, WrkResult | None]
    profiles: dict[str, str] = field(default_factory=dict)


TABLE_HEADER: Final = (
    "phase",
    "URL kind",
    "requests",
    "req/s",
    "end-to-end p50 ms",
    "end-to-end p95 ms",
    "end-to-end p99 ms",
    "server render p50 ms",
    "server render p95 ms",
    "server render p99 ms",
    "errors",
)


def report(args: argparse.Namespace, outcome: Outcome) -> str:
    build, phases = outcome.build, outcome.phases
    rows = [row for phase in phases for row in phase_rows(phase, outcome.kinds)]
    workers = ",".join(str(n) for n in args.workers)
    lines = [
        f"### Web reader and API under load — {machine_line(outcome.started)}",
        "",
        f"`python bench/web_load.py --articles {args.articles} --rich {args.rich} "
        f"--seconds {args.seconds:g} --clients {args.clients} "
        f"--render-seconds {args.render_seconds:g} --workers {workers}`: "
        f"{args.articles:,} articles ({args.rich:,} through analysis + writer), "
        f"{outcome.db_bytes / 2**20:,.0f} MiB database + its tantivy index (the default search "
        f"engine), built in {build['rich_s'] + build['plain_s']:.0f} s "
        f"({build['rich_s']:.0f} s analysis + writer); {outcome.facts}. "
        "Server: 1 worker = `khabar serve` (one uvicorn process, as users run it); N workers = "
        "uvicorn's supervisor with N processes of the same app (`serve_workers`: its "
        "listening socket made with IPPROTO_TCP so TCP_NODELAY holds, uvicorn issue #3149). "
        "Load from a second process "
        "(`bench/web_load_client.py`, asyncio + httpx, closed loop, each URL kind equally "
        "often). **End-to-end** = from sending the request to the last body byte, as the "
        "client saw it (queueing in the server included); **server render** = the app's own "
        "time, from its `Server-Timing: app;dur=` header (request in → response headers out; "
        f"pages are rendered whole before that). ✗ = server render p95 above the "
        f"{GOAL_MS:.0f} ms goal.",
        "",
        markdown_table(TABLE_HEADER, rows),
        "",
    ]
    lines += [phase_line(phase) for phase in phases]
    lines += [wrk_line(args, n, found) for n, found in outcome.wrk.items() if found is not None]
    if outcome.profiles:
        lines += ["", "Profiles (one request each, in-process, slowest kinds first):", "", "```"]
        for kind, text in outcome.profiles.items():
            lines += [f"[{kind}] {text}", ""]
        lines.append("```")
    return "\n".join(lines) + "\n"


def phase_line(phase: Phase) -> str:
    cpu = phase.server_cpu_s / phase.wall_s * 100
    client_cpu = phase.client_cpu_s / phase.wall_s * 100
    return (
        f"- {phase.name}: {phase.clients} client(s), {phase.wall_s:.0f} s; server CPU "
        f"{cpu:.0f}% of one core (all its processes), load client CPU {client_cpu:.0f}%, "
        f"load average {phase.load[0]:.2f}" + (f"; {phase.note}" if phase.note else "")
    )


def wrk_line(args: argparse.Namespace, workers: int, wrk: WrkResult) -> str:
    return (
        f"- wrk 4 cross-check, {workers} worker(s) (same mix, {args.clients} connections, "
        f"2 threads, {args.seconds:g} s, no update): {wrk.requests:,} requests "
        f"({wrk.rps:.1f}/s), end-to-end p50 {wrk.p50:.1f} ms, p95 {wrk.p95:.1f} ms, "
        f"p99 {wrk.p99:.1f} ms, {wrk.errors} errors"
    )


# --- main --------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument(
        "--rich",
        type=int,
        default=None,
        help="articles through analysis + writer (default: 6%% of --articles, at most 6,000)",
    )
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--render-seconds", type=float, default=30.0)
    parser.add_argument(
        "--workers",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[1, 2],
        help="server worker processes, one configuration each, comma-separated (default 1,2)",
    )
    parser.add_argument(
        "--mirror-scale",
        type=int,
        default=12,
        help="demo mirror copies (500 pages each) for the update",
    )
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "khabar-bench"
    )
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--no-wrk", action="store_true")
    parser.add_argument("--no-update", action="store_true", help="skip phase 2 (quick checks)")
    parser.add_argument("--serve-workers", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="keep the run's folder (logs, records)")
    parser.add_argument(
        "--append", action="store_true", help="append the section to bench/RESULTS.md"
    )
    args = parser.parse_args(argv)
    if args.rich is None:
        args.rich = min(6000, max(1, args.articles * 6 // 100))
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.serve_workers:
        serve_workers(args.serve_workers, args.port)
        return 0
    started = datetime.now(UTC)
    cached, build = cached_database(args)
    workdir = Path(tempfile.mkdtemp(prefix="web_load-", dir=args.cache_dir))
    db = workdir / "khabar.db"
    copy_database(cached, db)
    facts = db_facts(db)  # on the copy, before the update adds to it
    mirror, opml = start_mirror(args.mirror_scale, workdir)
    phases: list[Phase] = []
    wrk: dict[int, WrkResult | None] = {}
    try:
        for workers in args.workers:
            copy_database(cached, db)  # every configuration starts from the same database
            follow_mirror(f"sqlite:///{db}", opml, workdir)
            found, kinds, wrk[workers] = run_phases(args, db, workdir, workers)
            phases += found
    finally:
        mirror.stop()
    outcome = Outcome(started, build, cached.stat().st_size, facts, phases, kinds, wrk)
    copy_database(cached, db)
    outcome.profiles = profile_slow_kinds(phases[0], kinds, db)
    text = report(args, outcome)
    print(text)
    if args.append:
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write("\n" + text)
    if args.keep or any(phase.errors() for phase in phases):
        log(f"logs and records kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def run_phases(
    args: argparse.Namespace, db: Path, workdir: Path, workers: int
) -> tuple[list[Phase], list[str], WrkResult | None]:
    server, base = start_server(f"sqlite:///{db}", workdir, workers)
    label = f"{workers} worker{'s' if workers > 1 else ''}"
    try:
        paths = url_plan(db, base)
        plan = workdir / "plan.json"
        plan.write_text(json.dumps({"base_url": base, "paths": paths}), encoding="utf-8")
        kinds = [k for k, found in paths.items() if found]
        log(
            f"{label}, server {base}; URL kinds: "
            + ", ".join(f"{k} ({len(paths[k])})" for k in kinds)
        )
        tag = f"{workers}w"
        phases = [run_client(plan, base, 1, args.render_seconds, server, workdir, f"render-{tag}")]
        phases[0].name = f"{label} · 0 render (1 client)"
        log(f"{label}: phase 1")
        phases.append(
            run_client(plan, base, args.clients, args.seconds, server, workdir, f"load-{tag}")
        )
        phases[1].name = f"{label} · 1 load"
        wrk = None if args.no_wrk else run_wrk(paths, base, args, workdir)
        if not args.no_update:
            log(f"{label}: phase 2")
            phases.append(phase_with_update(args, plan, base, server, db, workdir, tag))
            phases[2].name = f"{label} · 2 load + update"
    finally:
        server.stop()
    for phase in phases:
        phase.workers = workers
    return phases, kinds, wrk


def profile_slow_kinds(render: Phase, kinds: Sequence[str], db: Path) -> dict[str, str]:
    """Profile one request of every kind whose server-side p95 with one client is above the
    goal: the request of phase 0 nearest that p95 (a typical slow one), slowest kind first."""
    slow: list[tuple[float, str, str]] = []
    for kind in kinds:
        found = [r for r in render.of(kind) if r[SERVER] is not None]
        target = percentile(sorted(r[SERVER] for r in found), 95)
        if found and target > GOAL_MS:
            nearest = min(found, key=lambda r: abs(r[SERVER] - target))
            slow.append((target, kind, nearest[PATH]))
    return {kind: profile_request(db, path) for _, kind, path in sorted(slow, reverse=True)}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())

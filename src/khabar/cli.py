"""The ``khabar`` command line (Typer + Rich). It only talks to :class:`khabar.service.Khabar`."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from khabar import presenters
from khabar.browse_cli import stories as stories_command
from khabar.browse_cli import trending as trending_command
from khabar.clean_cli import clean as clean_command
from khabar.cli_options import ConfigOption, DbOption, JsonOption, print_json, settings_from
from khabar.distributed.cli import migrate_db_command, worker_command
from khabar.errors import KhabarError
from khabar.process_cli import process as process_command
from khabar.rules.cli import rules_app
from khabar.search.query import Sort
from khabar.sections_cli import sections_app
from khabar.service import Khabar
from khabar.settings import Settings
from khabar.sources_cli import pause as pause_command
from khabar.sources_cli import remove as remove_command
from khabar.sources_cli import resume as resume_command
from khabar.text_cli import text_app
from khabar.types import ExtractedArticle, SourceUpdateResult

__all__ = ["app", "main"]

app = typer.Typer(
    name="khabar",
    help="Khabar (خبر): a self-hosted, Arabic-first news aggregator.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)


@contextmanager
def _service(settings: Settings) -> Iterator[Khabar]:
    with Khabar(settings) as service:
        yield service


def _print_json(data: Any) -> None:
    print_json(out, data)


# --- sources ---------------------------------------------------------------------------


@app.command()
def add(
    url: Annotated[str, typer.Argument(help="Feed, sitemap or site URL (the feed is discovered).")],
    category: Annotated[str | None, typer.Option(help="Category for OPML export.")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Follow a source by feed URL or by site URL."""
    with _service(settings_from(db, config)) as service:
        source = asyncio.run(service.add_source(url, category=category))
    if as_json:
        _print_json(presenters.source_dict(source))
    else:
        out.print(f"[green]added[/] source {source.id}: {source.display_name} ({source.url})")


@app.command("import-opml")
def import_opml(
    file: Annotated[Path, typer.Argument(help="OPML file to import.", exists=True, dir_okay=False)],
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Follow every feed listed in an OPML file (categories kept)."""
    with _service(settings_from(db, config)) as service:
        report = service.import_opml(file.read_bytes(), str(file))
    out.print(f"added {report.added}, already followed {report.existing}")


@app.command("export-opml")
def export_opml(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write.")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Write the followed sources as OPML (stdout by default)."""
    with _service(settings_from(db, config)) as service:
        text = service.export_opml()
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        out.print(f"wrote {output}")


@app.command()
def sources(db: DbOption = None, config: ConfigOption = None, as_json: JsonOption = False) -> None:
    """List followed sources with their health."""
    with _service(settings_from(db, config)) as service:
        rows = service.sources()
    if as_json:
        _print_json([presenters.source_dict(s) for s in rows])
        return
    table = Table("id", "source", "state", "articles", "last fetch", "errors", "last error")
    for s in rows:
        table.add_row(
            str(s.id),
            s.display_name,
            "paused" if s.paused else "active",
            str(s.article_count),
            presenters.when(s.last_fetched_at),
            str(s.error_count),
            (s.last_error or "")[:80],
        )
    out.print(table)


app.command("pause")(pause_command)
app.command("resume")(resume_command)
app.command("remove")(remove_command)


# --- updating --------------------------------------------------------------------------


@app.command()
def update(
    source: Annotated[int | None, typer.Option("--source", help="Only this source id.")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Fetch sources now and store their new articles."""
    with _service(settings_from(db, config)) as service:
        results = _update_with_progress(service, source, quiet=as_json)
    if as_json:
        _print_json([presenters.update_dict(r) for r in results])
    else:
        out.print(_summary_table(results))
    if results and all(r.status == "failed" for r in results):
        raise typer.Exit(1)


def _update_with_progress(
    service: Khabar, source_id: int | None, *, quiet: bool
) -> list[SourceUpdateResult]:
    total = 1 if source_id is not None else len([s for s in service.sources() if not s.paused])
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, disable=quiet, transient=True) as bar:
        task = bar.add_task("updating", total=total)

        def advance(result: SourceUpdateResult) -> None:
            bar.advance(task)

        return asyncio.run(service.update(source_id, progress=advance))


def _summary_table(results: list[SourceUpdateResult]) -> Table:
    table = Table("id", "source", "status", "new", "unchanged", "failed", "error")
    for r in results:
        style = {"failed": "red", "new": "green"}.get(r.status, "")
        table.add_row(
            str(r.source_id),
            r.source_url,
            f"[{style}]{r.status}[/]" if style else r.status,
            str(r.new),
            str(r.unchanged),
            str(r.failed),
            (r.error or "")[:100],
        )
    new = sum(r.new for r in results)
    failed = sum(1 for r in results if r.status == "failed")
    table.caption = f"{len(results)} sources, {new} new articles, {failed} sources failed"
    return table


# --- reading ---------------------------------------------------------------------------


@app.command()
def articles(
    source: Annotated[int | None, typer.Option("--source", help="Only this source id.")] = None,
    section: Annotated[
        str | None, typer.Option(help="Only this section (key such as sports, or رياضة).")
    ] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.", min=1, max=1000)] = 20,
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """List stored articles, newest first."""
    with _service(settings_from(db, config)) as service:
        rows = service.articles(source_id=source, section=section, limit=limit)
    if as_json:
        _print_json([presenters.article_dict(a, full=False) for a in rows])
        return
    table = Table("id", "time", "source", "section", "title")
    for a in rows:
        table.add_row(
            str(a.id), presenters.when(a.sort_time), a.source_title or "", a.section or "", a.title
        )
    out.print(table)


@app.command()
def search(
    query: Annotated[
        str,
        typer.Argument(
            help='Words to look for (any spelling); "a phrase", OR, -word, prefix*, and the '
            "filters source: section: lang: from:YYYY-MM-DD to:YYYY-MM-DD sort:date."
        ),
    ],
    sort: Annotated[
        Sort | None,
        typer.Option(
            help="Order by relevance or date (newest first); overrides sort: in the query."
        ),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Full-text search over titles and bodies."""
    with _service(settings_from(db, config)) as service:
        page = service.search(query, limit=limit, offset=offset, sort=sort)
    if as_json:
        _print_json(presenters.search_dict(page))
        return
    table = Table("id", "score", "title", "snippet")
    for hit in page.hits:
        table.add_row(
            str(hit.article.id),
            f"{hit.score:.2f}",
            hit.article.title,
            presenters.plain_snippet(hit.snippet),
        )
    table.caption = presenters.total_text(page)
    out.print(table)


app.command("stories")(stories_command)
app.command("trending")(trending_command)


@app.command()
def extract(
    targets: Annotated[
        list[str],
        typer.Argument(
            help="Saved pages (.html, .html.gz), directories of them, or http(s) URLs to fetch.",
            metavar="PATH_OR_URL...",
        ),
    ],
    url: Annotated[str | None, typer.Option(help="The page's URL (one file only).")] = None,
    as_json: Annotated[
        bool, typer.Option("--json/--text", help="JSON lines (default) or readable text.")
    ] = True,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Extract articles from saved pages or URLs: one JSON line per page."""
    web = [t for t in targets if t.startswith(("http://", "https://"))]
    files = presenters.expand_pages([Path(t) for t in targets if t not in web])
    if url is not None and (len(files) != 1 or web):
        raise typer.BadParameter("--url applies only when one file is given")
    for path in files:
        _print_extracted(str(path), Khabar.extract_file(path, url), as_json)
    if web:
        with _service(settings_from(db, config)) as service:
            for page_url in web:
                _print_extracted(page_url, asyncio.run(service.extract_url(page_url)), as_json)


def _print_extracted(origin: str, article: ExtractedArticle, as_json: bool) -> None:
    if as_json:
        data = presenters.extracted_dict(origin, article)
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        return
    out.rule(escape(origin))
    out.print(escape(article.title or "(no title)"), style="bold", soft_wrap=True)
    out.print(escape(article.text), soft_wrap=True)
    if article.error:
        err.print(f"[yellow]note:[/] {escape(article.error)}", soft_wrap=True)


@app.command("import")
def import_jsonl(
    jsonl: Annotated[
        Path,
        typer.Option(
            "--jsonl", help="JSON lines file (.jsonl or .jsonl.gz).", exists=True, dir_okay=False
        ),
    ],
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Store already-collected articles through extraction and analysis (no fetching)."""
    with _service(settings_from(db, config)) as service:
        report = service.import_jsonl(jsonl)
    if as_json:
        _print_json(
            {"added": report.added, "existing": report.existing, "errors": list(report.errors)}
        )
    else:
        out.print(
            f"added {report.added}, already stored {report.existing}, errors {len(report.errors)}"
        )
        for line in report.errors[:20]:
            err.print(f"[red]error[/] {escape(line)}", highlight=False, soft_wrap=True)
    if report.errors and not (report.added or report.existing):
        raise typer.Exit(1)


@app.command("reanalyze")
def reanalyze_command(
    model: Annotated[
        Path | None,
        typer.Option(
            "--model",
            help="Section model (model.npz from `khabar sections train`; default: the "
            "section_model setting, else the shipped model).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    source: Annotated[int | None, typer.Option("--source", help="Only this source id.")] = None,
    missing: Annotated[
        bool, typer.Option("--missing", help="Only articles stored without a section.")
    ] = False,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most N articles.")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Analyze stored articles again, newest first: section, entities, keywords, features."""
    with _service(settings_from(db, config)) as service:
        report = service.reanalyze(
            section_model=str(model) if model else None,
            source_id=source,
            only_missing=missing,
            limit=limit,
        )
    if as_json:
        _print_json(dataclasses.asdict(report))
    else:
        out.print(
            f"read {report.seen}, analyzed {report.analyzed}, section changed "
            f"{report.sections_changed}, errors {len(report.errors)}"
        )
        for line in report.errors[:20]:
            err.print(f"[red]error[/] {escape(line)}", highlight=False, soft_wrap=True)
    if report.errors and not report.analyzed:
        raise typer.Exit(1)


# --- serving ---------------------------------------------------------------------------


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Listen address.")] = None,
    port: Annotated[int | None, typer.Option(help="Listen port.")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Serve the web reader and the API only (no fetching)."""
    from khabar.runner import serve_forever

    settings = settings_from(db, config, host=host, port=port)
    asyncio.run(serve_forever(settings, with_scheduler=False))


@app.command()
def run(
    host: Annotated[str | None, typer.Option(help="Listen address.")] = None,
    port: Annotated[int | None, typer.Option(help="Listen port.")] = None,
    starter: Annotated[
        bool,
        typer.Option(help="Follow the bundled starter outlets when no source is followed yet."),
    ] = True,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Scheduler + workers + web reader: follow sources and serve them."""
    from khabar.runner import serve_forever

    settings = settings_from(db, config, host=host, port=port)
    asyncio.run(serve_forever(settings, with_scheduler=True, starter=starter))


@app.command()
def demo(
    serve_web: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the reader after ingesting.")
    ] = True,
    host: Annotated[str | None, typer.Option(help="Listen address.")] = None,
    port: Annotated[int | None, typer.Option(help="Listen port for the reader.")] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL (default: sqlite:///./khabar-demo.db, recreated)."),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Offline demo: a local mirror of real Arabic outlets, ingested through the real pipeline."""
    from khabar.demo.run import run_demo

    settings = settings_from(db or "sqlite:///./khabar-demo.db", config, host=host, port=port)
    # With --no-serve, stdout carries only the JSON summary; progress and messages go to stderr.
    console = out if serve_web else err
    summary = run_demo(settings, serve=serve_web, fresh=db is None, console=console)
    if not serve_web:
        _print_json(summary)


app.add_typer(text_app, name="text", help="See what the Arabic analyzer does with a text.")
app.command("clean")(clean_command)
app.add_typer(sections_app, name="sections", help="Train and inspect the section classifier.")
app.command("process")(process_command)
app.command("worker")(worker_command)
app.command("migrate-db")(migrate_db_command)
app.add_typer(rules_app, name="rules", help="Rules (hide, mark, alert) and their alerts.")


def main() -> None:
    """Entry point: run the app, turning Khabar errors into one clear line and exit code 1.

    Standalone mode lets Typer print usage errors (exit code 2) and turn ``typer.Exit`` into
    the process exit code.
    """
    try:
        app()
    except KhabarError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        sys.exit(1)

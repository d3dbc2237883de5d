"""``khabar rules …``: add, list and delete rules; list the alerts they raised.

Registered in :mod:`khabar.cli` as ``app.add_typer(rules_app, name="rules")``. Each list flag
given (``--keyword``, ``--entity``, ``--regex``) makes one condition; a rule needs all its
conditions, and a condition one of its values (``--all``: every value).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from khabar.cli_options import ConfigOption, DbOption, JsonOption, print_json, settings_from
from khabar.rules.alerts import Alert
from khabar.rules.book import RuleBook, rule_data
from khabar.rules.model import Rule, rule_to_data
from khabar.service import Khabar

__all__ = ["rules_app"]

rules_app = typer.Typer(
    name="rules",
    help="Rules (hide, mark, alert on keywords, entities, patterns) and their alerts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_out = Console(soft_wrap=True)

Keywords = Annotated[
    list[str] | None,
    typer.Option(
        "--keyword", "-k", help="A word or phrase to find (repeat for more).", show_default=False
    ),
]
Entities = Annotated[
    list[str] | None,
    typer.Option("--entity", "-e", help="An entity name (repeat for more).", show_default=False),
]
Patterns = Annotated[
    list[str] | None,
    typer.Option(
        "--regex", "-r", help="A regular expression (repeat for more).", show_default=False
    ),
]


def _print_json(data: Any) -> None:
    print_json(_out, data)


def rule_dict(rule: Rule) -> dict[str, Any]:
    """A rule for ``--json`` output (its secret masked)."""
    data = rule_to_data(rule.spec, with_secret=False)
    return {"id": rule.id, **data, "created_at": rule.created_at.isoformat()}


def alert_dict(alert: Alert) -> dict[str, Any]:
    return {
        "id": alert.id,
        "rule_id": alert.rule_id,
        "rule_name": alert.rule_name,
        "kind": alert.kind,
        "subject_id": alert.subject_id,
        "title": alert.title,
        "matched": list(alert.matched),
        "target": alert.target,
        "state": alert.state,
        "attempts": alert.attempts,
        "last_error": alert.last_error,
        "created_at": alert.created_at.isoformat(),
        "delivered_at": alert.delivered_at.isoformat() if alert.delivered_at else None,
    }


@rules_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The rule's name.", show_default=False)],
    action: Annotated[str, typer.Option(help="hide, mark or alert.", show_default=False)],
    on: Annotated[str, typer.Option(help="article, or story (alerts only).")] = "article",
    keyword: Keywords = None,
    entity: Entities = None,
    regex: Patterns = None,
    match_all: Annotated[
        bool, typer.Option("--all", help="Each condition needs all its values, not one.")
    ] = False,
    source: Annotated[
        list[int] | None, typer.Option(help="Only this source id (repeat; none: every source).")
    ] = None,
    label: Annotated[str | None, typer.Option(help="What a mark rule shows.")] = None,
    webhook_url: Annotated[str | None, typer.Option(help="POST alerts here (signed).")] = None,
    webhook_secret: Annotated[
        str | None, typer.Option(help="HMAC secret (default: the webhook_secret setting).")
    ] = None,
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a rule. --keyword, --entity and --regex may each be repeated."""
    data = rule_data(
        name=name, action=action, on=on, keywords=keyword or (), entities=entity or (),
        regexes=regex or (), match_all=match_all, sources=source or (), label=label,
        webhook_url=webhook_url, webhook_secret=webhook_secret,
    )  # fmt: skip
    settings = settings_from(db, config)
    with Khabar(settings) as service:
        rule = RuleBook(service.storage, settings).add(data)
    if as_json:
        _print_json(rule_dict(rule))
    else:
        _out.print(f"rule {rule.id} added: {escape(rule.spec.name)}", highlight=False)


@rules_app.command("list")
def list_rules(
    db: DbOption = None, config: ConfigOption = None, as_json: JsonOption = False
) -> None:
    """List the rules, oldest first."""
    settings = settings_from(db, config)
    with Khabar(settings) as service:
        rules = RuleBook(service.storage, settings).rules()
    if as_json:
        _print_json([rule_dict(r) for r in rules])
        return
    table = Table("id", "name", "action", "on", "conditions", "sources", "webhook")
    for r in rules:
        spec = r.spec
        conditions = "; ".join(
            f"{c.kind} {c.match}: {' | '.join(c.values)}" for c in spec.conditions
        )
        sources = ",".join(map(str, spec.sources)) or "all"
        table.add_row(
            str(r.id), spec.name, spec.action, spec.on, conditions, sources, spec.webhook_url or ""
        )
    _out.print(table)


@rules_app.command("delete")
def delete(
    rule_id: Annotated[int, typer.Argument(help="The rule's id.", show_default=False)],
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Delete a rule: what it hid or marked shows again; its alerts are kept."""
    settings = settings_from(db, config)
    with Khabar(settings) as service:
        RuleBook(service.storage, settings).delete(rule_id)
    _out.print(f"rule {rule_id} deleted")


@rules_app.command("alerts")
def alerts(
    limit: Annotated[int, typer.Option(help="How many, newest first.", min=1, max=1000)] = 20,
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the alerts rules raised, newest first, with their webhook delivery state."""
    settings = settings_from(db, config)
    with Khabar(settings) as service:
        found = RuleBook(service.storage, settings).alerts(limit)
    if as_json:
        _print_json([alert_dict(a) for a in found])
        return
    table = Table("id", "time", "rule", "kind", "title", "state", "tries", "last error")
    for a in found:
        table.add_row(
            str(a.id), a.created_at.strftime("%Y-%m-%d %H:%M"), a.rule_name, a.kind, a.title,
            a.state, str(a.attempts), (a.last_error or "")[:60],
        )  # fmt: skip
    _out.print(table)

"""Rules, rule hits and alerts in PostgreSQL (see ``RuleStoreType`` for the contract).

The same rules as ``khabar.storage.sqlite.rules``: a rule's spec is ``jsonb`` (the JSON of
:func:`khabar.rules.model.rule_to_data`), an article's ``hidden`` flag and ``marks`` are
recomputed from its ``rule_hits`` on every change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from khabar.errors import NotFoundError
from khabar.rules.alerts import Alert, DeliveryAttempt, NewAlert, RuleHit
from khabar.rules.model import Rule, RuleSpec, rule_from_data, rule_to_data
from khabar.storage.postgres.convert import clean_text, utc, utc_or_none
from khabar.types import Article

if TYPE_CHECKING:
    from khabar.storage.postgres.storage import PostgresStorage

__all__ = ["PostgresRules"]

Connection = psycopg.Connection[DictRow]
RULE_DELETED = "rule deleted: delivery cancelled"


class PostgresRules:
    """The rules part of one :class:`PostgresStorage`."""

    def __init__(self, storage: PostgresStorage) -> None:
        self._storage = storage

    # --- rules -------------------------------------------------------------------------

    def add_rule(self, spec: RuleSpec) -> Rule:
        data = _clean(rule_to_data(spec))
        with self._storage.write(f"add rule {spec.name!r}") as conn:
            row = conn.execute(
                "INSERT INTO rules (spec, created_at) VALUES (%s, %s) RETURNING id",
                (Jsonb(data), datetime.now(UTC)),
            ).fetchone()
        assert row is not None  # INSERT … RETURNING gives one row
        return self.get_rule(int(row["id"]))

    def get_rule(self, rule_id: int) -> Rule:
        rows = self._storage.read("SELECT * FROM rules WHERE id = %s", (rule_id,))
        if not rows:
            raise NotFoundError(f"no rule with id {rule_id}")
        return _rule(rows[0])

    def list_rules(self) -> list[Rule]:
        return [_rule(r) for r in self._storage.read("SELECT * FROM rules ORDER BY id")]

    def delete_rule(self, rule_id: int) -> None:
        with self._storage.write(f"delete rule {rule_id}") as conn:
            touched = [
                int(r["article_id"])
                for r in conn.execute(
                    "SELECT article_id FROM rule_hits WHERE rule_id = %s", (rule_id,)
                )
            ]
            conn.execute(
                """UPDATE alerts SET next_attempt_at = NULL, last_error = %s
                   WHERE rule_id = %s AND next_attempt_at IS NOT NULL""",
                (RULE_DELETED, rule_id),
            )
            cur = conn.execute("DELETE FROM rules WHERE id = %s", (rule_id,))
            if cur.rowcount == 0:
                raise NotFoundError(f"no rule with id {rule_id}")
            for article_id in touched:
                _reflag(conn, article_id)

    def record_hits(self, article_id: int, hits: Sequence[RuleHit]) -> Article:
        with self._storage.write(f"record rule hits on article {article_id}") as conn:
            found = conn.execute(
                "SELECT 1 AS one FROM articles WHERE id = %s FOR UPDATE", (article_id,)
            ).fetchone()
            if found is None:
                raise NotFoundError(f"no article with id {article_id}")
            for hit in hits:
                conn.execute(
                    """INSERT INTO rule_hits (rule_id, article_id, action, label)
                       SELECT %s, %s, %s, %s WHERE EXISTS (SELECT 1 FROM rules WHERE id = %s)
                       ON CONFLICT (rule_id, article_id) DO UPDATE
                       SET action = excluded.action, label = excluded.label""",
                    (hit.rule_id, article_id, hit.action, clean_text(hit.label), hit.rule_id),
                )
            _reflag(conn, article_id)
        return self._storage.get_article(article_id)

    # --- alerts ------------------------------------------------------------------------

    def add_alert(self, alert: NewAlert) -> Alert | None:
        created = utc(alert.created_at)
        with self._storage.write(f"queue alert of rule {alert.rule_id}") as conn:
            row = conn.execute(
                """INSERT INTO alerts (rule_id, rule_name, kind, subject_id, title, matched,
                   payload, target, created_at, next_attempt_at)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
                   ON CONFLICT (rule_id, kind, subject_id) DO NOTHING RETURNING id""",
                (
                    alert.rule_id,
                    clean_text(alert.rule_name),
                    alert.kind,
                    alert.subject_id,
                    clean_text(alert.title),
                    [clean_text(m) for m in alert.matched],
                    clean_text(alert.payload),
                    clean_text(alert.target),
                    created,
                    created if alert.target else None,
                ),
            ).fetchone()
        return None if row is None else self.get_alert(int(row["id"]))

    def get_alert(self, alert_id: int) -> Alert:
        rows = self._storage.read("SELECT * FROM alerts WHERE id = %s", (alert_id,))
        if not rows:
            raise NotFoundError(f"no alert with id {alert_id}")
        return _alert(rows[0])

    def list_alerts(self, limit: int = 50, before: int | None = None) -> list[Alert]:
        rows = self._storage.read(
            """SELECT * FROM alerts WHERE (%s::bigint IS NULL OR id < %s)
               ORDER BY id DESC LIMIT %s""",
            (before, before, limit),
        )
        return [_alert(r) for r in rows]

    def due_alerts(self, now: datetime, limit: int = 20) -> list[Alert]:
        rows = self._storage.read(
            """SELECT * FROM alerts WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= %s
               ORDER BY next_attempt_at, id LIMIT %s""",
            (utc(now), limit),
        )
        return [_alert(r) for r in rows]

    def record_delivery(self, alert_id: int, attempt: DeliveryAttempt) -> Alert:
        delivered = utc(attempt.at) if attempt.error is None else None
        with self._storage.write(f"record delivery of alert {alert_id}") as conn:
            cur = conn.execute(
                """UPDATE alerts SET attempts = attempts + 1, last_error = %s,
                   delivered_at = coalesce(%s, delivered_at), next_attempt_at = %s
                   WHERE id = %s""",
                (
                    clean_text(attempt.error),
                    delivered,
                    utc_or_none(attempt.next_attempt_at),
                    alert_id,
                ),
            )
        if cur.rowcount == 0:
            raise NotFoundError(f"no alert with id {alert_id}")
        return self.get_alert(alert_id)


def _reflag(conn: Connection, article_id: int) -> None:
    """Recompute an article's ``hidden`` and ``marks`` from its hits."""
    rows = conn.execute(
        "SELECT action, label FROM rule_hits WHERE article_id = %s ORDER BY rule_id",
        (article_id,),
    ).fetchall()
    hidden = any(r["action"] == "hide" for r in rows)
    marks = list(dict.fromkeys(r["label"] for r in rows if r["action"] == "mark"))
    conn.execute(
        "UPDATE articles SET hidden = %s, marks = %s WHERE id = %s", (hidden, marks, article_id)
    )


def _clean(value: Any) -> Any:
    """``value`` with NUL characters removed from every string (PostgreSQL refuses them)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Mapping):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _rule(row: DictRow) -> Rule:
    return Rule(
        id=int(row["id"]),
        spec=rule_from_data(row["spec"], stored=True),
        created_at=utc(row["created_at"]),
    )


def _alert(row: DictRow) -> Alert:
    return Alert(
        id=int(row["id"]),
        rule_id=row["rule_id"],
        rule_name=row["rule_name"],
        kind=row["kind"],
        subject_id=int(row["subject_id"]),
        title=row["title"],
        matched=tuple(row["matched"]),
        payload=row["payload"],
        target=row["target"],
        created_at=utc(row["created_at"]),
        attempts=int(row["attempts"]),
        next_attempt_at=utc_or_none(row["next_attempt_at"]),
        last_error=row["last_error"],
        delivered_at=utc_or_none(row["delivered_at"]),
    )

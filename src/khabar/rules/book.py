"""What the CLI, the admin pages and the API do with rules: add, list, delete, read alerts.

Adding checks what the pure validation of :func:`~khabar.rules.model.rule_from_data` cannot:
that each source id is followed, that a webhook has a secret to be signed with, and that its
URL passes the SSRF guard's URL check (the address is checked again at every delivery).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from khabar.errors import SSRFBlockedError
from khabar.fetch.ssrf import AllowList, check_url
from khabar.rules.alerts import Alert
from khabar.rules.model import InvalidRuleError, Rule, RuleSpec, rule_from_data
from khabar.settings import Settings

if TYPE_CHECKING:
    from khabar.storage.protocol import StorageType

__all__ = ["RuleBook", "rule_data"]


class RuleBook:
    """Rules and alerts of one storage, for people (the facade the web and CLI call)."""

    def __init__(self, storage: StorageType, settings: Settings) -> None:
        self._storage = storage
        self._settings = settings

    def add(self, data: Mapping[str, object]) -> Rule:
        """Validate and store a rule given in its JSON form; raise InvalidRuleError."""
        spec = rule_from_data(data)
        self._check_sources(spec)
        self._check_webhook(spec)
        return self._storage.rules.add_rule(spec)

    def rules(self) -> list[Rule]:
        return self._storage.rules.list_rules()

    def rule(self, rule_id: int) -> Rule:
        return self._storage.rules.get_rule(rule_id)

    def delete(self, rule_id: int) -> None:
        self._storage.rules.delete_rule(rule_id)

    def alerts(self, limit: int = 50, before: int | None = None) -> list[Alert]:
        """Alerts, newest first; ``before`` is an alert id to page from."""
        return self._storage.rules.list_alerts(limit, before)

    def _check_sources(self, spec: RuleSpec) -> None:
        known = {s.id for s in self._storage.list_sources()}
        for i, source_id in enumerate(spec.sources):
            if source_id not in known:
                raise InvalidRuleError(
                    f"sources[{i}]",
                    f"no followed source has id {source_id}",
                    f"لا مصدر متابَع برقم {source_id}",
                )

    def _check_webhook(self, spec: RuleSpec) -> None:
        if spec.webhook_url is None:
            return
        if not (spec.webhook_secret or self._settings.webhook_secret):
            raise InvalidRuleError(
                "webhook_secret",
                "a webhook needs a secret to sign with (give one or set webhook_secret)",
                "يحتاج خطاف الويب إلى سرّ للتوقيع (أدخله أو اضبط webhook_secret)",
            )
        try:
            check_url(spec.webhook_url, AllowList.parse(self._settings.allow_hosts))
        except SSRFBlockedError as exc:
            raise InvalidRuleError(
                "webhook_url",
                f"the address is refused ({exc.reason})",
                "هذا العنوان غير مسموح به (عنوان داخلي أو محجوز)",
            ) from exc


def rule_data(
    *,
    name: str,
    action: str,
    on: str = "article",
    keywords: Iterable[str] = (),
    entities: Iterable[str] = (),
    regexes: Iterable[str] = (),
    match_all: bool = False,
    sources: Iterable[int | str] = (),
    label: str | None = None,
    webhook_url: str | None = None,
    webhook_secret: str | None = None,
) -> dict[str, object]:
    """The JSON form of a rule given as lists (the CLI's flags, the admin form's fields):
    each non-empty list is one condition; ``match_all`` makes each need all its values."""
    lists = (("keyword", keywords), ("entity", entities), ("regex", regexes))
    conditions = [
        {"kind": kind, "values": kept, "match": "all" if match_all else "any"}
        for kind, values in lists
        if (kept := [v.strip() for v in values if v.strip()])
    ]
    return {
        "name": name,
        "action": action,
        "on": on,
        "conditions": conditions,
        "sources": list(sources),
        "label": label or None,
        "webhook_url": webhook_url or None,
        "webhook_secret": webhook_secret or None,
    }

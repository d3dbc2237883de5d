"""One declarative table of settings.

Each setting is read, in increasing priority, from its default, a TOML file (``--config`` or
``KHABAR_CONFIG``), the environment (``KHABAR_<NAME>``) and explicit overrides (CLI flags).
Unknown keys in the file or in ``KHABAR_*`` variables are an error. Secrets are masked in dumps.
There is no global instance: build one with :func:`load_settings` and pass it along.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.errors import SettingsError

__all__ = ["SETTINGS", "Setting", "Settings", "load_settings", "mask_password"]


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {value!r}")


def _count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(f"must be 0 or more, not {number}")
    return number


def _search_engine(value: str) -> str:
    engine = value.strip().lower()
    if engine not in ("fts5", "tantivy"):
        raise ValueError(f"must be fts5 or tantivy, not {value!r}")
    return engine


def _model_file(value: str) -> str:
    path = value.strip()
    if not path:
        return ""
    if not (file := Path(path).expanduser()).is_file():
        raise ValueError(f"no such file: {path!r} (make one with `khabar sections train`)")
    return str(file)


def _csv(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    parse: Callable[[str], Any]
    default: Any
    help: str
    secret: bool = False


DEFAULT_USER_AGENT = (
    "Khabar/0.1 (+https://github.com/khabar-news/khabar; self-hosted Arabic news aggregator)"
)

SETTINGS: tuple[Setting, ...] = (
    Setting(
        "database_url",
        str,
        "sqlite:///./khabar.db",
        "Database URL: sqlite:///PATH, or postgresql://USER:PASSWORD@HOST:PORT/DB.",
    ),
    Setting(
        "search_engine",
        _search_engine,
        "tantivy",
        "Search engine of a SQLite database: fts5 (inside the database file) or tantivy "
        "(an index directory beside it, DB.tantivy/). PostgreSQL uses its own.",
    ),
    Setting("host", str, "127.0.0.1", "Address the web server listens on."),
    Setting("port", int, 8000, "Port the web server listens on."),
    Setting(
        "admin_token",
        str,
        "",
        "Token required for changes through the API and admin pages; empty disables them.",
        secret=True,
    ),
    Setting(
        "allow_hosts",
        _csv,
        (),
        "Comma-separated host names, addresses or CIDR networks that the SSRF guard lets "
        "through (tests, demo, intranet feeds).",
    ),
    Setting("user_agent", str, DEFAULT_USER_AGENT, "User-Agent sent with every request."),
    Setting("connect_timeout", float, 10.0, "Seconds to wait for a connection."),
    Setting("read_timeout", float, 20.0, "Seconds to wait between two reads."),
    Setting(
        "fetch_deadline",
        float,
        60.0,
        "Overall seconds one fetch may take, however slowly bytes arrive.",
    ),
    Setting(
        "max_body_bytes",
        int,
        10 * 1024 * 1024,
        "Largest body downloaded; bigger bodies are refused.",
    ),
    Setting("max_redirects", int, 5, "Most redirects followed for one fetch."),
    Setting("per_host_concurrency", int, 2, "Most simultaneous requests to one host."),
    Setting("per_host_delay", float, 0.5, "Seconds between two requests to the same host."),
    Setting("concurrency", int, 8, "Most simultaneous requests in all."),
    Setting("respect_robots", _bool, True, "Honour robots.txt for article pages."),
    Setting(
        "fetch_pages",
        _bool,
        True,
        "Fetch each new entry's page and extract the article (off: keep the feed text).",
    ),
    Setting(
        "extract_workers",
        _count,
        0,
        "Processes extracting articles in parallel: 0 = one per CPU core (at most 4), "
        "1 = a thread of the main process (least memory).",
    ),
    Setting("min_interval", float, 300.0, "Shortest polling interval for a source, in seconds."),
    Setting("max_interval", float, 86400.0, "Longest polling interval for a source, in seconds."),
    Setting(
        "max_entries_per_update",
        int,
        200,
        "Most new entries whose page is fetched in one update of one source.",
    ),
    Setting("timezone", str, "Asia/Riyadh", "Time zone used to show times in the reader."),
    Setting(
        "dedupe_window_hours",
        float,
        168.0,
        "How far apart in time two near-identical texts may be and still count as copies "
        "(same URL or identical text count at any distance).",
    ),
    Setting(
        "story_window_hours",
        float,
        72.0,
        "How far apart in time two articles may be and still join one story.",
    ),
    Setting(
        "section_model",
        _model_file,
        "",
        "Section model file (model.npz) written by `khabar sections train`; empty: the shipped "
        "model. New articles use it; `khabar reanalyze` applies it to stored ones.",
    ),
    Setting(
        "webhook_secret",
        str,
        "",
        "HMAC secret signing alert webhooks (X-Khabar-Signature) of rules without their own.",
        secret=True,
    ),
    Setting("webhook_max_attempts", int, 5, "Most tries to deliver one alert webhook."),
    Setting(
        "webhook_backoff",
        float,
        30.0,
        "Seconds before the first retry of a failed webhook; doubles after each try (≤ 1 h).",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = "sqlite:///./khabar.db"
    search_engine: str = "tantivy"
    host: str = "127.0.0.1"
    port: int = 8000
    admin_token: str = ""
    allow_hosts: tuple[str, ...] = ()
    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    fetch_deadline: float = 60.0
    max_body_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    per_host_concurrency: int = 2
    per_host_delay: float = 0.5
    concurrency: int = 8
    respect_robots: bool = True
    fetch_pages: bool = True
    extract_workers: int = 0
    min_interval: float = 300.0
    max_interval: float = 86400.0
    max_entries_per_update: int = 200
    timezone: str = "Asia/Riyadh"
    dedupe_window_hours: float = 168.0
    story_window_hours: float = 72.0
    section_model: str = ""
    webhook_secret: str = ""
    webhook_max_attempts: int = 5
    webhook_backoff: float = 30.0

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    def dump(self) -> dict[str, Any]:
        """All settings with secrets masked."""
        out: dict[str, Any] = {}
        for s in SETTINGS:
            value = getattr(self, s.name)
            out[s.name] = "********" if s.secret and value else value
        out["database_url"] = mask_password(self.database_url)
        return out


def mask_password(url: str) -> str:
    """``url`` with the password of its user part (``user:password@``) masked."""
    scheme, sep, rest = url.partition("://")
    userinfo, at, host = rest.rpartition("@")
    if not sep or not at or ":" not in userinfo:
        return url
    return f"{scheme}://{userinfo.split(':', 1)[0]}:********@{host}"


def _coerce(setting: Setting, raw: Any, origin: str) -> Any:
    try:
        if isinstance(raw, str):
            return setting.parse(raw)
        if setting.parse is _csv and isinstance(raw, list):
            return tuple(str(item) for item in raw)
        if setting.parse is float and isinstance(raw, int | float):
            return float(raw)
        if isinstance(raw, bool) and setting.parse is _bool:
            return raw
        if setting.parse is int and isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        return setting.parse(str(raw))
    except (ValueError, TypeError) as exc:
        raise SettingsError(f"setting {setting.name!r} from {origin}: {exc}") from exc


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    config_file: Path | None = None,
) -> Settings:
    """Build settings from defaults, a TOML file, ``KHABAR_*`` variables and overrides."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    path = config_file or (Path(env["KHABAR_CONFIG"]) if env.get("KHABAR_CONFIG") else None)
    if path is not None:
        values.update(_from_file(path))
    values.update(_from_env(env))
    for name, raw in (overrides or {}).items():
        if raw is None:
            continue
        setting = _lookup(name, "command line")
        values[name] = _coerce(setting, raw, "command line")
    return Settings(**values)


def _lookup(name: str, origin: str) -> Setting:
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join(sorted(_BY_NAME))
        raise SettingsError(f"unknown setting {name!r} in {origin} (known: {known})") from None


def _from_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SettingsError(f"config file {path} does not exist") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"config file {path}: {exc}") from exc
    section = data.get("khabar", data)
    out: dict[str, Any] = {}
    for name, raw in section.items():
        setting = _lookup(name, f"config file {path}")
        out[name] = _coerce(setting, raw, f"config file {path}")
    return out


# KHABAR_CONFIG names the file; KHABAR_TEST_* belong to the test suite, not to Khabar.
_ENV_IGNORED = {"KHABAR_CONFIG"}


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, raw in env.items():
        if not key.startswith("KHABAR_") or key in _ENV_IGNORED or key.startswith("KHABAR_TEST_"):
            continue
        name = key.removeprefix("KHABAR_").lower()
        setting = _lookup(name, f"environment variable {key}")
        out[name] = _coerce(setting, raw, f"environment variable {key}")
    return out

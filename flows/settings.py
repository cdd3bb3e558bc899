"""The one typed configuration: `rassegna.toml` (or $RASSEGNA_CONFIG), every default below.

Relative paths are relative to the config file's folder (the working folder when there is no file).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from nlp.settings import DATA, NLPSettings

CONFIG_ENV = "RASSEGNA_CONFIG"
DEFAULT_CONFIG = Path("rassegna.toml")


class Source(BaseModel):
    name: str
    kind: Literal["folder", "feed", "page"]
    location: str  # folder path, feed URL or file, page URL
    allow_private: bool = False  # loopback/private/link-local targets (a local test server, an intranet feed)
    # home province (sigla "MO", name or ISTAT code) near which local place names are resolved ("CASTELNUOVO.");
    # None: the province its stored articles name most (flows/home_province.py)
    province: str | None = None


class HttpSettings(BaseModel):
    user_agent: str = "rassegna/0.1 (+https://github.com/rassegna/rassegna)"
    timeout_s: float = 20.0
    connect_timeout_s: float = 10.0
    max_redirects: int = 5
    max_bytes: int = 5_000_000
    per_host_delay_s: float = 1.0
    retries: int = 3
    backoff_s: float = 1.0
    max_retry_after_s: float = 120.0
    request_deadline_s: float = 60.0  # one URL's whole GET: connection, body, retries and the waits between them
    source_deadline_s: float = 600.0  # one source's whole collection; items not fetched by then are rejected
    run_deadline_s: float = 1800.0  # all sources of one run together (they are collected side by side)
    respect_robots: bool = True
    cache_file: Path | None = None  # None: http_cache.json in the warehouse folder


class FolderSettings(BaseModel):
    max_bytes: int = 5_000_000  # a bigger file is rejected as too_large before it is read


class DedupSettings(BaseModel):
    near_duplicate_threshold: float = 0.8
    shingle_words: int = 5
    num_perm: int = 128
    seed: int = 1  # MinHash permutations; changing it (or num_perm, shingle_words) orphans stored signatures


class DateSettings(BaseModel):
    """Plausible publication dates: a post dated outside them is kept without a date (published_at None)."""

    earliest_year: int = 1900
    max_future_days: int = 2  # after the post was collected: time zones, scheduled posts


class WarehouseSettings(BaseModel):
    """The dataset. `folder` is always local (staging, writer lock, HTTP cache, send log, `rassegna.duckdb`); the
    tables live there too unless `url` puts them on object storage."""

    folder: Path = Path("data/warehouse")
    url: str | None = None  # e.g. "s3://bucket/rassegna" (any fsspec URL; s3 needs `pip install rassegna[s3]`)
    # fsspec options for `url`, e.g. {endpoint_url = "http://127.0.0.1:9000"}; credentials default to AWS_* variables
    storage_options: dict[str, str] = Field(default_factory=dict)

    @field_validator("url")
    @classmethod
    def _url_readable(cls, url: str | None) -> str | None:
        if url is not None:
            import fsspec

            try:
                fsspec.get_filesystem_class(fsspec.utils.get_protocol(url))
                import upath  # noqa: F401
            except (ImportError, ValueError) as exc:
                raise ValueError(f"cannot store the tables at {url}: {exc} (pip install 'rassegna[s3]')") from None
        return url


class AnalysisSettings(BaseModel):
    """How the `ingest` flow spreads the analysis: tasks of `chunk_articles` posts, paths in and paths out."""

    chunk_articles: int = Field(default=64, ge=1)  # articles per analysis task
    # where the `ingest` flow runs those tasks. None: one after another in the flow's process; "tcp://host:8786":
    # on that Dask scheduler's workers, each loading the models once (they need rassegna installed, and the config
    # file and the warehouse folder at the same paths). `rassegna run` without Prefect always analyses in-process.
    dask_address: str | None = None


class PrefectSettings(BaseModel):
    home: Path = Path(".prefect")


class Subscription(BaseModel):
    """One editor's digest: what they follow (any topic list may be empty; all empty = every article)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")  # stable: keys the send log and outbox file names
    name: str | None = None  # shown in the subject; None: the topics
    editor: str
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    frequency: Literal["daily", "weekly"] = "daily"
    themes: list[str] = Field(default_factory=list)  # theme ids or labels (data/themes.yaml)
    entities: list[str] = Field(default_factory=list)  # canonical entity names
    places: list[str] = Field(default_factory=list)  # canonical places or region names
    keywords: list[str] = Field(default_factory=list)  # matched as words in title and summary
    window_days: float | None = None  # None: DigestSettings.window_days[frequency]
    max_items: int | None = None  # None: DigestSettings.max_items


class SmtpSettings(BaseModel):
    host: str = "localhost"
    port: int = 587
    starttls: bool = True
    ca_file: Path | None = None  # extra CA bundle to trust (private relay, self-signed test server)
    from_address: str = "Rassegna <rassegna@localhost>"
    secret_block: str | None = None  # Prefect Secret block {"user": ..., "password": ...}; env vars win
    timeout_s: float = 30.0


class DigestSettings(BaseModel):
    subscriptions: list[Subscription] = Field(default_factory=list)
    transport: Literal["outbox", "smtp"] = "outbox"
    outbox: Path = Path("outbox")
    send_log: Path | None = None  # None: digests_sent.jsonl in the warehouse folder
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    window_days: dict[Literal["daily", "weekly"], float] = Field(default_factory=lambda: {"daily": 1.0, "weekly": 7.0})
    max_items: int = 10
    recency_weight: float = 0.5  # score = relevance + recency_weight * recency (0..1)
    key_entities: int = 5  # per article
    top_entities: int = 5  # organisations and places in the "what moved" box
    timezone: str = "Europe/Rome"


class ReportSettings(BaseModel):
    path: Path = Path("reports/rassegna.html")
    top_n: int = 15
    timezone: str = "Europe/Rome"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RASSEGNA_", env_nested_delimiter="__", extra="forbid")

    sources: list[Source] = Field(
        default_factory=lambda: [
            Source(name="samples", kind="folder", location=str(DATA / "samples" / "posts")),
            Source(name="samples-feed", kind="feed", location=str(DATA / "samples" / "feed.xml")),
        ]
    )
    http: HttpSettings = Field(default_factory=HttpSettings)
    folders: FolderSettings = Field(default_factory=FolderSettings)
    dedup: DedupSettings = Field(default_factory=DedupSettings)
    dates: DateSettings = Field(default_factory=DateSettings)
    warehouse: WarehouseSettings = Field(default_factory=WarehouseSettings)
    analysis: AnalysisSettings = Field(default_factory=AnalysisSettings)
    prefect: PrefectSettings = Field(default_factory=PrefectSettings)
    nlp: NLPSettings = Field(default_factory=NLPSettings)
    digests: DigestSettings = Field(default_factory=DigestSettings)
    report: ReportSettings = Field(default_factory=ReportSettings)

    @model_validator(mode="after")
    def _files_beside_the_warehouse(self) -> Settings:
        if self.http.cache_file is None:
            self.http.cache_file = self.warehouse.folder / "http_cache.json"
        if self.digests.send_log is None:
            self.digests.send_log = self.warehouse.folder / "digests_sent.jsonl"
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls)


class ConfigError(ValueError):
    """The configuration file is missing or invalid."""


def config_path(path: str | Path | None = None) -> Path:
    return Path(path or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG)


def load(path: str | Path | None = None) -> Settings:
    """Settings from `path` (else $RASSEGNA_CONFIG, else ./rassegna.toml if there is one) over the defaults.

    Environment variables RASSEGNA_<SECTION>__<FIELD> override the file. Relative paths are relative to
    the file's folder.
    """
    toml = config_path(path)
    if path is not None and not toml.is_file():
        raise ConfigError(f"config file not found: {toml}")

    class FileSettings(Settings):
        model_config = SettingsConfigDict(**{**Settings.model_config, "toml_file": toml})

    try:
        settings = FileSettings()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConfigError(f"{toml}: {where}: {first['msg']}") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{toml}: {exc}") from None
    _resolve(settings, toml.parent.resolve())
    return settings


def _resolve(model: BaseModel, base: Path) -> None:
    """Make relative paths absolute against the config file's folder (in place)."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, Path) and not value.is_absolute():
            object.__setattr__(model, name, base / value)
        elif isinstance(value, BaseModel):
            _resolve(value, base)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, BaseModel):
                    _resolve(item, base)
    if isinstance(model, Source) and "://" not in model.location and not Path(model.location).is_absolute():
        object.__setattr__(model, "location", str(base / model.location))

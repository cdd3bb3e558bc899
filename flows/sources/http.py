"""A polite, bounded HTTP client: robots.txt, per-host delays, retries, size and time limits, conditional GET."""

from __future__ import annotations

import json
import logging
import math
import os
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from flows.records import Reason
from flows.settings import HttpSettings
from flows.sources.addresses import BlockedAddress, reachable_addresses
from flows.sources.content_coding import ACCEPTED, BoundedDecoder, TooLarge, UnsupportedCoding
from flows.sources.encoding import content_charset, decode_bytes
from flows.sources.transport import GuardedTransport

log = logging.getLogger(__name__)

REDIRECTS = {301, 302, 303, 307, 308}
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass
class FetchResult:
    url: str  # after redirects
    status: int | None = None
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    not_modified: bool = False
    error: str | None = None  # a Reason value: fetch_error | robots_disallowed | too_large | blocked_address
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None and not self.not_modified

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    @property
    def text(self) -> str:
        decoded = decode_bytes(self.content, content_charset(self.content_type))
        return self.content.decode("utf-8", errors="replace") if decoded is None else decoded


def retry_after_seconds(value: str | None, cap: float) -> float | None:
    """Seconds to wait from a Retry-After value (delta seconds or an HTTP date), at most `cap`."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), cap)


class ValidatorCache:
    """ETag / Last-Modified per URL, kept in a small JSON file written atomically."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.entries: dict[str, dict[str, str]] = self._load()
        self.changed = False

    def request_headers(self, url: str) -> dict[str, str]:
        entry = self.entries.get(url, {})
        headers = {}
        if "etag" in entry:
            headers["If-None-Match"] = entry["etag"]
        if "last_modified" in entry:
            headers["If-Modified-Since"] = entry["last_modified"]
        return headers

    def merge(self, other: ValidatorCache) -> None:
        """Take `other`'s validators, where they differ from these."""
        for url, entry in other.entries.items():
            if self.entries.get(url) != entry:
                self.entries[url], self.changed = entry, True

    def remember(self, url: str, headers: dict[str, str]) -> None:
        entry = {
            key: headers[name]
            for key, name in (("etag", "etag"), ("last_modified", "last-modified"))
            if name in headers
        }
        if self.entries.get(url) != (entry or None):
            if entry:
                self.entries[url] = entry
            else:
                self.entries.pop(url, None)
            self.changed = True

    def forget(self, url: str) -> None:
        if self.entries.pop(url, None) is not None:
            self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=self.path.parent, suffix=".tmp", delete=False) as handle:
                json.dump(self.entries, handle, indent=1, sort_keys=True)
            os.replace(handle.name, self.path)
        except OSError as exc:  # losing validators only costs full downloads next time
            log.warning("could not write HTTP cache %s: %s", self.path, exc)
            return
        self.changed = False

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable HTTP cache %s: %s", self.path, exc)
            return {}
        return data if isinstance(data, dict) else {}


class PoliteClient:
    """Use as a context manager, one client per source; `fetch` never raises, errors come back in the result.

    Only http(s) URLs are fetched, and unless `allow_private` only from hosts that resolve to public
    addresses, checked again on every redirect hop and at every connection. From entering the client,
    everything it does ends within `settings.source_deadline_s`: later fetches fail at once.
    """

    def __init__(self, settings: HttpSettings, allow_private: bool = False) -> None:
        self.settings = settings
        self.allow_private = allow_private
        self.validators = ValidatorCache(settings.cache_file)
        self._client: httpx.Client | None = None
        self._robots: dict[str, Protego | None] = {}  # origin -> rules, None = everything disallowed
        self._last_request: dict[str, float] = {}
        self._source_deadline = math.inf  # time.monotonic() instants
        self._request_deadline = math.inf

    def __enter__(self) -> PoliteClient:
        self._source_deadline = time.monotonic() + self.settings.source_deadline_s
        timeout = httpx.Timeout(self.settings.timeout_s, connect=self.settings.connect_timeout_s)
        transport = GuardedTransport(self.allow_private, deadline=lambda: self._request_deadline)
        self._client = httpx.Client(
            headers={"User-Agent": self.settings.user_agent, "Accept-Encoding": ACCEPTED},
            timeout=timeout,
            transport=transport,
        )
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        self.validators.save()

    @property
    def out_of_time(self) -> bool:
        """Whether the source deadline has passed, so nothing more will be fetched."""
        return time.monotonic() >= self._source_deadline

    def fetch(self, url: str, conditional: bool = True) -> FetchResult:
        """GET `url` following redirects; with `conditional`, an unchanged resource answers 304 (not_modified)."""
        if self.out_of_time:
            return FetchResult(url=url, error=Reason.FETCH_ERROR, detail=self._deadline_detail())
        return self._follow(url, conditional=conditional, obey_robots=self.settings.respect_robots)

    def _follow(self, url: str, conditional: bool, obey_robots: bool) -> FetchResult:
        current = url
        for _ in range(self.settings.max_redirects + 1):
            refused = self._refused(current)
            if refused:
                return refused
            if obey_robots and not self._allowed(current):
                return FetchResult(url=current, error=Reason.ROBOTS, detail=f"robots.txt disallows {current}")
            headers = self.validators.request_headers(current) if conditional else {}
            result = self._get_with_retries(current, headers)
            location = result.headers.get("location")
            if result.status not in REDIRECTS or not location:
                if conditional and result.ok:
                    self.validators.remember(current, result.headers)
                return result
            try:
                current = urljoin(current, location)
            except ValueError:
                return FetchResult(url=current, error=Reason.FETCH_ERROR, detail=f"invalid URL: {location}")
        return FetchResult(
            url=current, error=Reason.FETCH_ERROR, detail=f"over {self.settings.max_redirects} redirects"
        )

    def _refused(self, url: str) -> FetchResult | None:
        """Why `url` is not requested: invalid, not http(s), or a host that is not public (with allow_private, a
        link-local or metadata one).

        Answered before robots.txt is read, for a clear reason; the transport checks each connection again.
        """
        try:
            parts = urlsplit(url)
            host, port = parts.hostname, parts.port
        except ValueError:  # "http://[object Object]/", a port that is no number
            return FetchResult(url=url, error=Reason.FETCH_ERROR, detail=f"invalid URL: {url}")
        if parts.scheme not in DEFAULT_PORTS or not host:
            return FetchResult(url=url, error=Reason.FETCH_ERROR, detail=f"not an http(s) URL: {url}")
        try:
            reachable_addresses(host, port or DEFAULT_PORTS[parts.scheme], self.allow_private)
        except BlockedAddress as exc:
            return FetchResult(url=url, error=Reason.BLOCKED_ADDRESS, detail=str(exc))
        except (OSError, ValueError) as exc:  # no such host, a bad port or host name
            return FetchResult(url=url, error=Reason.FETCH_ERROR, detail=f"cannot resolve {url}: {exc}")
        return None

    def _allowed(self, url: str) -> bool:
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        rules = self._robots[origin]
        return rules is not None and rules.can_fetch(url, self.settings.user_agent)

    def _read_robots(self, origin: str) -> Protego | None:
        """Rules per RFC 9309: a 4xx means no rules, a server or network failure means stay away."""
        result = self._follow(f"{origin}/robots.txt", conditional=False, obey_robots=False)
        if result.ok:
            return Protego.parse(result.text)
        if result.status is not None and 400 <= result.status < 500:
            return Protego.parse("")
        log.warning("robots.txt of %s unavailable (%s): not fetching from it", origin, result.detail)
        return None

    def _get_with_retries(self, url: str, headers: dict[str, str]) -> FetchResult:
        """GET `url`, retrying transient failures; the attempts and the waits between them share a request deadline."""
        time.sleep(self._politeness_wait(url))
        self._request_deadline = min(time.monotonic() + self.settings.request_deadline_s, self._source_deadline)
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            try:
                result = self._get_once(url, headers)
            except BlockedAddress as exc:
                return FetchResult(url=url, error=Reason.BLOCKED_ADDRESS, detail=str(exc))
            except httpx.TransportError as exc:
                if time.monotonic() >= self._request_deadline:
                    return FetchResult(url=url, error=Reason.FETCH_ERROR, detail=self._deadline_detail())
                result = FetchResult(url=url, error=Reason.FETCH_ERROR, detail=f"{type(exc).__name__}: {exc}")
                wait = None
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                return FetchResult(url=url, error=Reason.FETCH_ERROR, detail=f"{type(exc).__name__}: {exc}")
            else:
                if not _retryable(result.status):
                    return result
                wait = retry_after_seconds(result.headers.get("retry-after"), self.settings.max_retry_after_s)
            finally:
                self._last_request[_origin(url)] = time.monotonic()
            if attempt + 1 < attempts:
                wait = self.settings.backoff_s * 2**attempt if wait is None else wait
                wait = max(wait, self._politeness_wait(url))
                if time.monotonic() + wait >= self._request_deadline:
                    result.detail = f"{result.detail}; no time left for attempt {attempt + 2}"
                    return result
                log.info("retrying %s in %.1fs (%s)", url, wait, result.detail)
                time.sleep(wait)
        result.detail = f"{result.detail} after {attempts} attempts"
        return result

    def _get_once(self, url: str, headers: dict[str, str]) -> FetchResult:
        if self._client is None:
            raise RuntimeError("PoliteClient must be used as a context manager")
        max_bytes = self.settings.max_bytes
        with self._client.stream("GET", url, headers=headers) as response:
            result = FetchResult(url=str(response.url), status=response.status_code, headers=dict(response.headers))
            if response.status_code == 304:
                result.not_modified = True
                return result
            if response.status_code >= 400:
                result.error, result.detail = Reason.FETCH_ERROR, f"HTTP {response.status_code}"
                return result
            if response.status_code in REDIRECTS:
                return result
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                result.error, result.detail = Reason.TOO_LARGE, f"Content-Length {declared} > {max_bytes} bytes"
                return result
            body = bytearray()
            try:
                decoder = BoundedDecoder(response.headers.get("content-encoding", ""), max_bytes)
                for chunk in response.iter_raw():  # each read ends by the deadline too (GuardedTransport)
                    body.extend(decoder.decode(chunk))
                    if len(body) > max_bytes:
                        result.error, result.detail = Reason.TOO_LARGE, f"body over {max_bytes} bytes"
                        return result
                    if time.monotonic() >= self._request_deadline:
                        result.error, result.detail = Reason.FETCH_ERROR, self._deadline_detail()
                        return result
            except TooLarge as exc:
                result.error, result.detail = Reason.TOO_LARGE, str(exc)
                return result
            except (UnsupportedCoding, zlib.error) as exc:
                result.error, result.detail = Reason.FETCH_ERROR, f"undecodable body: {exc}"
                return result
            result.content = bytes(body)
            return result

    def _politeness_wait(self, url: str) -> float:
        """Seconds until the host may be asked again (per-host delay, crawl-delay), never past the source deadline."""
        origin = _origin(url)
        last = self._last_request.get(origin)
        if last is None:
            return 0.0
        delay = self.settings.per_host_delay_s
        rules = self._robots.get(origin)
        crawl_delay = rules.crawl_delay(self.settings.user_agent) if rules is not None else None
        if crawl_delay:
            delay = max(delay, min(float(crawl_delay), self.settings.max_retry_after_s))
        now = time.monotonic()
        return max(0.0, min(last + delay, self._source_deadline) - now)

    def _deadline_detail(self) -> str:
        if time.monotonic() >= self._source_deadline:
            return f"source deadline of {self.settings.source_deadline_s:g}s reached"
        return f"request deadline of {self.settings.request_deadline_s:g}s reached"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _retryable(status: int | None) -> bool:
    return status == 429 or (status is not None and status >= 500)

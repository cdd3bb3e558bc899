"""Between collection and analysis: normalise, detect the language, bound length and date, drop what is already
stored or duplicated."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flows.dedup import Deduplicator, Known
from flows.records import Post, PreparedPost, Reason, Rejection
from flows.settings import DateSettings, Settings
from nlp.settings import NLPSettings
from nlp.text.language import detect
from nlp.text.normalise import normalise, normalise_line, word_count

RETRYABLE = {Reason.FETCH_ERROR, Reason.TOO_LARGE}

log = logging.getLogger(__name__)


@dataclass
class Prepared:
    accepted: list[PreparedPost] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    already_known: int = 0


def prepare(items: Iterable[Post | Rejection], settings: Settings, known: Known, known_items: set[str]) -> Prepared:
    """Every new item ends up accepted or rejected with a reason; items stored by an earlier run are skipped."""
    out = Prepared()
    dedup = Deduplicator(settings.dedup, known)
    for item in items:
        if item.item_id in known_items:
            out.already_known += 1
        elif isinstance(item, Rejection):
            out.rejected.append(item)
        else:
            verdict = _check(item, settings, dedup, out)
            if verdict is not None:
                dedup.add(item.item_id, verdict)
    return out


def length_limit(text: str, settings: NLPSettings, article: bool = True) -> tuple[Reason, str] | None:
    """Why `text` is not analysed for its length, naming the limit (too_long over `max_chars` characters; an
    article also too_short under `min_words` words, any other text only when empty); None within the limits.
    Ingest checks articles here, `rassegna analyse` any text (a headline, a sentence)."""
    if len(text) > settings.max_chars:
        return Reason.TOO_LONG, f"{len(text)} characters (max_chars {settings.max_chars})"
    words = word_count(text)
    if not words:
        return Reason.EMPTY, "no words"
    if article and words < settings.min_words:
        return Reason.TOO_SHORT, f"{words} words (min_words {settings.min_words})"
    return None


def plausible_date(post: Post, dates: DateSettings) -> str | None:
    """`post.published_at` when it is an ISO 8601 date from January 1st of `earliest_year` up to `max_future_days`
    after the post was collected (a time without offset is UTC); otherwise None, with a warning naming the post."""
    if post.published_at is None:
        return None
    try:
        published = _aware(post.published_at)
    except ValueError:
        problem = "not an ISO 8601 date"
    else:
        if published.year < dates.earliest_year:
            problem = f"before {dates.earliest_year}"
        elif published > _aware(post.collected_at) + timedelta(days=dates.max_future_days):
            problem = f"more than {dates.max_future_days} days after it was collected"
        else:
            return post.published_at
    log.warning("%s: publication date %r dropped, %s", post.location, post.published_at, problem)
    return None


def _aware(iso: str) -> datetime:
    moment = datetime.fromisoformat(iso)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _check(post: Post, settings: Settings, dedup: Deduplicator, out: Prepared):
    text = normalise(post.text)
    words = word_count(text)

    def reject(reason: Reason, detail: str, **extra) -> None:
        out.rejected.append(Rejection(post.item_id, post.source, post.location, reason, detail, **extra))

    if not words:
        return reject(Reason.EMPTY, "no text after extraction")
    language = detect(text, settings.nlp).language
    if language not in settings.nlp.languages:
        return reject(Reason.LANGUAGE, f"detected language '{language}'", language=language)
    limit = length_limit(text, settings.nlp)
    if limit is not None:
        return reject(*limit, language=language)
    verdict = dedup.check(post.item_id, text, post.url)
    if verdict.reason is not None:
        similarity = f" (similarity {verdict.similarity:.2f})" if verdict.similarity is not None else ""
        return reject(
            verdict.reason,
            f"copy of {verdict.duplicate_of}{similarity}",
            duplicate_of=verdict.duplicate_of,
            language=language,
        )
    out.accepted.append(
        PreparedPost(
            **{
                **post.to_dict(),
                "text": text,
                "title": normalise_line(post.title),  # bidi overrides and zero-width marks go from titles too
                "author": normalise_line(post.author),
                "published_at": plausible_date(post, settings.dates),
            },
            language=language,
            word_count=words,
            canonical_url=verdict.canonical_url,
            content_hash=verdict.content_hash,
            minhash=verdict.minhash,
        )
    )
    return verdict

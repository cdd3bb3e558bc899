"""Between collection and analysis: normalise, detect the language, drop what is already stored or duplicated."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flows.dedup import Deduplicator, Known
from flows.records import Post, Reason, Rejection
from flows.settings import Settings
from nlp.text.language import detect
from nlp.text.normalise import normalise, word_count

RETRYABLE = {Reason.FETCH_ERROR, Reason.TOO_LARGE}


@dataclass
class Prepared:
    accepted: list[dict] = field(default_factory=list)  # Post fields + language, canonical_url, content_hash, minhash
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


def _check(post: Post, settings: Settings, dedup: Deduplicator, out: Prepared):
    text = normalise(post.text)
    words = word_count(text)

    def reject(reason: Reason, detail: str, **extra) -> None:
        out.rejected.append(Rejection(post.item_id, post.source, post.location, reason, detail, **extra))

    if not words:
        return reject(Reason.EMPTY, "no text after extraction")
    language = detect(text).language
    if language not in settings.nlp.languages:
        return reject(Reason.LANGUAGE, f"detected language '{language}'", language=language)
    if words < settings.nlp.min_words:
        return reject(Reason.TOO_SHORT, f"{words} words (minimum {settings.nlp.min_words})", language=language)
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
        {
            **post.to_dict(),
            "text": text,
            "language": language,
            "word_count": words,
            "canonical_url": verdict.canonical_url,
            "content_hash": verdict.content_hash,
            "minhash": verdict.minhash,
        }
    )
    return verdict

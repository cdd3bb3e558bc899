"""Turn an analysed `Doc` into the records the batch contract and the warehouse store."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from nlp.text.normalise import word_count


def _sentence_index(doc: Doc) -> dict[int, int]:
    return {sent.start: i for i, sent in enumerate(doc.sents)}


def entity(span: Span) -> dict:
    return {
        "text": span.text,
        "label": span.label_,
        "start": span.start_char,
        "end": span.end_char,
        "canonical": span._.canonical or span.text,
    }


def mentions(doc: Doc) -> list[dict]:
    index = _sentence_index(doc)
    rows = []
    for span in doc.ents:
        place = span._.place or {}
        rows.append(
            {
                **entity(span),
                "entity_id": span._.entity_id,
                "sentence_index": index.get(span.sent.start),
                "tone_label": span._.tone,
                "tone_score": span._.tone_score,
                "place_kind": place.get("kind"),
                "istat_code": place.get("istat_code"),
                "region": place.get("region"),
                "country_code": place.get("country_code"),
                "latitude": place.get("latitude"),
                "longitude": place.get("longitude"),
            }
        )
    return rows


def summary_record(doc: Doc, language: str) -> dict:
    """The `rassegna analyse` output fields for one document (id is added by the caller)."""
    sentiment = doc._.sentiment or {"label": "neutral", "score": 0.0}
    return {
        "language": language,
        "entities": [entity(span) for span in doc.ents],
        "sentiment": {"label": sentiment["label"], "score": sentiment["score"]},
        "themes": [{"id": t["id"], "label": t["label"], "score": t["score"]} for t in doc._.themes or []],
        "summary": doc._.summary or "",
        "keyphrases": list(doc._.keyphrases or []),
        "word_count": word_count(doc.text),
    }


def pipe_safely(nlp, texts: list[str], batch_size: int = 32) -> list[Doc | Exception]:
    """Analyse texts in batches; when a batch fails, retry its texts one by one so one bad text fails alone."""
    out: list[Doc | Exception] = []
    for first in range(0, len(texts), batch_size):
        chunk = texts[first : first + batch_size]
        try:
            out += list(nlp.pipe(chunk, batch_size=batch_size))
        except Exception:
            for text in chunk:
                try:
                    out.append(nlp(text))
                except Exception as exc:
                    out.append(exc)
    return out

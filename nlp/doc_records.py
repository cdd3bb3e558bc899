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
        "tone": span._.tone,
    }


def mentions(doc: Doc) -> list[dict]:
    index = _sentence_index(doc)
    rows = []
    for span in doc.ents:
        place = span._.place or {}
        rows.append(
            {
                **{k: v for k, v in entity(span).items() if k != "tone"},
                "entity_id": span._.entity_id,
                "sentence_index": index.get(span.sent.start),
                "tone_label": (span._.tone or {}).get("label"),
                "tone_score": (span._.tone or {}).get("tone"),
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
    tone = doc._.tone or {"label": "neutral", "score": 0.0, "tone": 0.0, "shares": {}}
    return {
        "language": language,
        "entities": [entity(span) for span in doc.ents],
        "sentiment": {
            "label": tone["label"],
            "score": tone["score"],
            "tone": tone["tone"],
            "share_positive": tone["shares"].get("positive", 0.0),
            "share_negative": tone["shares"].get("negative", 0.0),
        },
        "entity_tones": doc._.entity_tones or [],
        "dateline": dateline(doc),
        "themes": [{"id": t["id"], "label": t["label"], "score": t["score"]} for t in doc._.themes or []],
        "summary": doc._.summary or "",
        "keyphrases": list(doc._.keyphrases or []),
        "word_count": word_count(doc.text),
    }


def titled_doc(nlp, text: str, title: str | None) -> Doc:
    """A tokenised, not yet analysed `Doc` that carries its title (the tone reads it)."""
    doc = nlp.make_doc(text)
    doc._.title = title
    return doc


def dateline(doc: Doc) -> str | None:
    """The name of the place in the dateline opening the article ("ROMA — ..."), if any."""
    return doc._.dateline.name if doc._.dateline is not None else None


def pipe_safely(
    nlp, texts: list[str], titles: list[str | None] | None = None, batch_size: int = 32
) -> list[Doc | Exception]:
    """Analyse texts in batches; when a batch fails, retry its texts one by one so one bad text fails alone."""
    titles = titles or [None] * len(texts)
    out: list[Doc | Exception] = []
    for first in range(0, len(texts), batch_size):
        chunk = list(zip(texts[first : first + batch_size], titles[first : first + batch_size], strict=True))
        try:
            out += list(nlp.pipe((titled_doc(nlp, t, title) for t, title in chunk), batch_size=batch_size))
        except Exception:
            for text, title in chunk:
                try:
                    out.append(nlp(titled_doc(nlp, text, title)))
                except Exception as exc:
                    out.append(exc)
    return out

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
        "tone": span._.tone,  # the article's tone towards the entity
        "mention_tone": span._.mention_tone,  # what this mention's own sentence says of it
        "place": span._.place,  # a LOC's place: kind, name, istat_code, region, country_code, latitude, longitude
    }


def mentions(doc: Doc) -> list[dict]:
    index = _sentence_index(doc)
    rows = []
    for span in doc.ents:
        place = span._.place or {}
        rows.append(
            {
                **{k: v for k, v in entity(span).items() if k not in ("tone", "mention_tone", "place")},
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


def titled_doc(nlp, text: str, title: str | None, province: str | None = None) -> Doc:
    """A tokenised, not yet analysed `Doc` that carries its title (the tone reads it) and its source's home province
    (the places read it)."""
    doc = nlp.make_doc(text)
    doc._.title = title
    doc._.home_province = province
    return doc


def dateline(doc: Doc) -> str | None:
    """The name of the place in the dateline opening the article ("ROMA — ..."), if any."""
    return doc._.dateline.name if doc._.dateline is not None else None


def pipe_safely(
    nlp,
    texts: list[str],
    titles: list[str | None] | None = None,
    provinces: list[str | None] | None = None,
    batch_size: int = 32,
) -> list[Doc | Exception]:
    """Analyse texts (with their titles and home provinces) in batches; when a batch fails, retry its texts one by
    one so one bad text fails alone."""
    items = list(zip(texts, titles or [None] * len(texts), provinces or [None] * len(texts), strict=True))
    out: list[Doc | Exception] = []
    for first in range(0, len(items), batch_size):
        chunk = items[first : first + batch_size]
        try:
            out += list(nlp.pipe((titled_doc(nlp, *item) for item in chunk), batch_size=batch_size))
        except Exception:
            for item in chunk:
                try:
                    out.append(nlp(titled_doc(nlp, *item)))
                except Exception as exc:
                    out.append(exc)
    return out

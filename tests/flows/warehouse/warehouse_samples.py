"""A small warehouse of real Italian business news: four articles, their mentions, themes, a rejection and a run."""

from __future__ import annotations

import hashlib
import json

from datasketch import MinHash

from flows.warehouse import Warehouse

RUN_ID = "20240322T070000Z"

MILANO = {"place_kind": "comune", "istat_code": "015146", "region": "Lombardia", "country_code": "IT",
          "latitude": 45.4642, "longitude": 9.19}  # fmt: skip
BERGAMO = {"place_kind": "comune", "istat_code": "016024", "region": "Lombardia", "country_code": "IT",
           "latitude": 45.6983, "longitude": 9.6773}  # fmt: skip
TORINO = {"place_kind": "comune", "istat_code": "001272", "region": "Piemonte", "country_code": "IT",
          "latitude": 45.0703, "longitude": 7.6869}  # fmt: skip


def signature(text: str) -> list[int]:
    minhash = MinHash(num_perm=16, seed=1, scheme="affine32")
    minhash.update_batch([word.encode() for word in text.lower().split()])
    return minhash.hashvalues.tolist()


def article(
    article_id: str,
    source: str,
    title: str,
    text: str,
    published_at: str | None,
    sentiment: str,
    shares: tuple[float, float, float],
    keyphrases: list[str],
    collected_at: str = "2024-03-22T07:00:00+00:00",
) -> dict:
    url = f"https://www.{source}.it/economia/{article_id}"
    positive, neutral, negative = shares
    return {
        "article_id": article_id,
        "url": url + "?utm_source=rss",
        "canonical_url": url,
        "source": source,
        "location": url,
        "title": title,
        "published_at": published_at,
        "collected_at": collected_at,
        "language": "it",
        "word_count": len(text.split()),
        "content_hash": hashlib.sha1(text.encode()).hexdigest(),
        "minhash": signature(text),
        "text": text,
        "summary": text.split(". ")[0] + ".",
        "keyphrases": keyphrases,
        "sentiment_label": sentiment,
        "sentiment_score": max(shares),
        "tone": round(positive - negative, 4),
        "share_positive": positive,
        "share_neutral": neutral,
        "share_negative": negative,
        "models": json.dumps({"ner": "ner-kind-e5", "tone": "tone-e5"}),
    }


A1 = article(
    "a1",
    "ilsole24ore",
    "Intesa Sanpaolo, utile record nel trimestre",
    "Intesa Sanpaolo chiude il trimestre con un utile record. La banca conferma la guida per il 2024.",
    "2024-03-04T08:30:00+01:00",
    "positive",
    (0.8, 0.15, 0.05),
    ["utile record", "guida"],
    collected_at="2024-03-04T09:00:00+01:00",
)
A2 = article(
    "a2",
    "corriere",
    "Pirelli investe a Bergamo",
    "Pirelli annuncia nuovi investimenti nello stabilimento di Bergamo. Intesa finanzia il piano.",
    "2024-03-12T10:00:00Z",
    "positive",
    (0.6, 0.3, 0.1),
    ["nuovi investimenti", "stabilimento"],
)
A3 = article(
    "a3",
    "corriere",
    "Stellantis taglia la produzione a Mirafiori",
    "Stellantis riduce la produzione a Mirafiori, a Torino. I sindacati protestano per i turni.",
    "2024-02-20T09:00:00Z",
    "negative",
    (0.1, 0.2, 0.7),
    ["produzione", "sindacati"],
)
A4 = article(
    "a4",
    "repubblica",
    "Stellantis e Intesa Sanpaolo firmano un accordo",
    "Stellantis e Intesa Sanpaolo firmano a Milano un accordo per il credito ai fornitori.",
    None,
    "neutral",
    (0.2, 0.6, 0.2),
    ["accordo", "credito ai fornitori"],
    collected_at="2024-03-21T07:00:00Z",
)
ARTICLES = [A1, A2, A3, A4]


def mention(article: dict, entity_id: str, text: str, label: str, canonical: str, **extra) -> dict:
    """A mention of `text` at its first place in the article's text."""
    start = article["text"].index(text)
    return {"article_id": article["article_id"], "entity_id": entity_id, "text": text, "label": label,
            "canonical": canonical, "start": start, "end": start + len(text),
            "sentence_index": article["text"][:start].count(". "), **extra}  # fmt: skip


MENTIONS = [
    mention(A1, "Q-intesa", "Intesa Sanpaolo", "ORG", "Intesa Sanpaolo", tone_label="positive", tone_score=0.91),
    mention(A2, "Q-pirelli", "Pirelli", "ORG", "Pirelli", tone_label="positive", tone_score=0.88),
    mention(A2, "Q-bergamo", "Bergamo", "LOC", "Bergamo", **BERGAMO),
    mention(A2, "Q-intesa", "Intesa", "ORG", "Intesa", tone_label="positive", tone_score=0.7),
    mention(A3, "Q-stellantis", "Stellantis", "ORG", "Stellantis", tone_label="negative", tone_score=-0.83),
    mention(A3, "Q-torino", "Torino", "LOC", "Torino", **TORINO),
    mention(A4, "Q-stellantis", "Stellantis", "ORG", "Stellantis", tone_label="neutral", tone_score=0.05),
    mention(A4, "Q-intesa", "Intesa Sanpaolo", "ORG", "Intesa Sanpaolo", tone_label="neutral", tone_score=-0.02),
    mention(A4, "Q-milano", "Milano", "LOC", "Milano", **MILANO),
]

FINANCE, INDUSTRY, LABOUR = "Banche e finanza", "Industria e manifattura", "Lavoro e sindacati"
THEMES = [
    {"article_id": "a1", "theme_id": "finanza", "theme_label": FINANCE, "score": 0.92},
    {"article_id": "a2", "theme_id": "industria", "theme_label": INDUSTRY, "score": 0.81},
    {"article_id": "a2", "theme_id": "finanza", "theme_label": FINANCE, "score": 0.55},
    {"article_id": "a3", "theme_id": "industria", "theme_label": INDUSTRY, "score": 0.77},
    {"article_id": "a3", "theme_id": "lavoro", "theme_label": LABOUR, "score": 0.74},
    {"article_id": "a4", "theme_id": "finanza", "theme_label": FINANCE, "score": 0.69},
]

REJECTED = [
    {"item_id": "r1", "source": "corriere", "location": "https://www.corriere.it/economia/r1", "reason": "language",
     "detail": "detected en", "language": "en", "collected_at": "2024-03-22T07:00:00Z"},
    {"item_id": "r2", "source": "repubblica", "location": "https://www.repubblica.it/economia/r2",
     "reason": "duplicate_url", "detail": "", "duplicate_of": "a4", "collected_at": "2024-03-22T07:00:00Z"},
]  # fmt: skip

RUNS = [
    {"run_id": RUN_ID, "started_at": "2024-03-22T07:00:00Z", "finished_at": "2024-03-22T07:02:10Z",
     "stored": 4, "rejected": 2, "flow": "ingest"},
]  # fmt: skip


def fill(warehouse: Warehouse) -> Warehouse:
    for table, rows in [("articles", ARTICLES), ("mentions", MENTIONS), ("themes", THEMES),
                        ("rejected", REJECTED), ("runs", RUNS)]:  # fmt: skip
        warehouse.append(table, rows, RUN_ID)
    warehouse.rebuild_entities()
    return warehouse

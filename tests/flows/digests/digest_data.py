"""A small real warehouse (built with the warehouse API) of Italian business news around one daily digest.

The digest window ends on 10 March 2025 at 07:00 in Rome (06:00 UTC); `collected_at` places each article in the
current window, the previous one, or before both. Article texts are short real-style Italian news items.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flows.dedup import signature
from flows.settings import Subscription
from flows.warehouse import Warehouse

AS_OF = datetime(2025, 3, 10, 6, 0, tzinfo=UTC)  # 07:00 Europe/Rome
RUN = "test-run"

PLACES = {  # canonical -> (region, country, latitude, longitude)
    "Milano": ("Lombardia", "IT", 45.4643, 9.1895),
    "Torino": ("Piemonte", "IT", 45.0705, 7.6868),
    "Firenze": ("Toscana", "IT", 43.7793, 11.2463),
    "Siena": ("Toscana", "IT", 43.3188, 11.3308),
    "Maranello": ("Emilia-Romagna", "IT", 44.5258, 10.8664),
    "Francoforte": (None, "DE", 50.1109, 8.6821),
}

# id, hours before AS_OF collected, source, url, title, summary, sentiment, themes,
# mentions (canonical, label, n[, tone towards it when not the article's])
ARTICLES = [
    (
        "a1",
        11,
        "il-sole",
        "https://www.example.it/finanza/unicredit-dividendo",
        "UniCredit alza il dividendo dopo un anno record",
        "UniCredit distribuirà agli azionisti un dividendo in crescita del 30% dopo un utile netto record. "
        "L'amministratore delegato Andrea Orcel conferma il piano di riacquisto di azioni proprie.",
        "positive",
        [("banche-finanza", "Banche e finanza", 0.82)],
        [("UniCredit", "ORG", 3), ("Andrea Orcel", "PER", 1), ("Milano", "LOC", 1)],
    ),
    (
        "a2",
        8,
        "corriere",
        "https://www.example.it/economia/stellantis-mirafiori",
        "Stellantis, cassa integrazione a Mirafiori per altre due settimane",
        "Stellantis prolunga la cassa integrazione per gli operai di Mirafiori a causa del calo della domanda "
        "di auto elettriche. La Fiom chiede un incontro urgente al governo.",
        "negative",
        [("automotive", "Automotive e mobilità", 0.9), ("lavoro", "Lavoro e occupazione", 0.61)],
        [("Stellantis", "ORG", 2), ("FIOM", "ORG", 1), ("Torino", "LOC", 2)],
    ),
    (
        "a3",
        5,
        "il-sole",
        "https://www.example.it/finanza/bce-capitale-banche",
        "Intesa Sanpaolo e UniCredit: la Bce chiede più capitale",
        "La Banca centrale europea chiede alle grandi banche italiane di rafforzare i cuscinetti di capitale. "
        "Intesa Sanpaolo e UniCredit ritengono di avere margini sufficienti.",
        "neutral",
        [("banche-finanza", "Banche e finanza", 0.7)],
        [
            ("Intesa Sanpaolo", "ORG", 2, "negative"),
            ("UniCredit", "ORG", 1),
            ("BCE", "ORG", 2),
            ("Francoforte", "LOC", 1),
        ],
    ),
    (
        "a4",
        3,
        "blog-mercati",
        "javascript:alert(document.cookie)",
        "Piazza Affari chiude in rialzo <script>alert('x')</script> con i titoli bancari",
        "La Borsa di Milano guadagna l'1,2% trainata dai titoli bancari <img src=x onerror=alert(1)>.",
        "positive",
        [("banche-finanza", "Banche e finanza", 0.55)],
        [("Borsa Italiana", "ORG", 1), ("Milano", "LOC", 2)],
    ),
    (
        "a5",
        2,
        "la-nazione",
        "https://www.example.it/toscana/vendemmia-record",
        "Vendemmia record in Toscana, cresce l'export del vino",
        "Le cantine toscane chiudono l'anno con esportazioni in aumento del 12%, trainate da Stati Uniti "
        "e Germania. Bene il Chianti e il Brunello di Montalcino.",
        "positive",
        [("agroalimentare", "Agroalimentare", 0.8)],
        [("Firenze", "LOC", 1), ("Siena", "LOC", 1)],
    ),
    (
        "p1",
        30,
        "il-sole",
        "https://www.example.it/finanza/unicredit-banco-bpm",
        "UniCredit, avanzano le trattative su Banco BPM",
        "UniCredit prosegue le trattative per l'offerta su Banco BPM; il mercato attende il parere del governo.",
        "neutral",
        [("banche-finanza", "Banche e finanza", 0.8)],
        [("UniCredit", "ORG", 2), ("Banco BPM", "ORG", 2), ("Milano", "LOC", 1)],
    ),
    (
        "p2",
        40,
        "corriere",
        "https://www.example.it/motori/ferrari-utili",
        "Ferrari, utili in aumento del 20% nel 2024",
        "Ferrari chiude il 2024 con utili in aumento del 20% e conferma la guida per l'anno in corso.",
        "positive",
        [("automotive", "Automotive e mobilità", 0.85)],
        [("Ferrari", "ORG", 2), ("Maranello", "LOC", 1)],
    ),
    (
        "o1",
        24 * 9,
        "corriere",
        "https://www.example.it/archivio/mps",
        "Monte dei Paschi torna all'utile",
        "Monte dei Paschi di Siena torna all'utile e valuta la distribuzione di un dividendo.",
        "positive",
        [("banche-finanza", "Banche e finanza", 0.75)],
        [("Monte dei Paschi di Siena", "ORG", 1), ("Siena", "LOC", 1)],
    ),
]


def _article_row(entry: tuple) -> dict:
    article_id, hours, source, url, title, summary, sentiment, _, _ = entry
    collected = AS_OF - timedelta(hours=hours)
    text = f"{title}. {summary}"
    shares = {label: (0.8 if label == sentiment else 0.1) for label in ("positive", "neutral", "negative")}
    return {
        "article_id": article_id,
        "url": url,
        "canonical_url": url,
        "source": source,
        "location": url,
        "title": title,
        "published_at": collected - timedelta(hours=1),
        "collected_at": collected,
        "language": "it",
        "word_count": len(text.split()),
        "content_hash": hashlib.sha1(text.encode()).hexdigest(),
        "minhash": signature(text),
        "text": text,
        "summary": summary,
        "keyphrases": [],
        "sentiment_label": sentiment,
        "sentiment_score": 0.8,
        "tone": {"positive": 0.6, "neutral": 0.0, "negative": -0.6}[sentiment],
        "share_positive": shares["positive"],
        "share_neutral": shares["neutral"],
        "share_negative": shares["negative"],
        "models": json.dumps({"tone": "test"}),
    }


def _mention_rows(entry: tuple) -> list[dict]:
    article_id, sentiment, mentions = entry[0], entry[6], entry[8]
    rows = []
    for canonical, label, count, *tone in mentions:
        tone_label = tone[0] if tone else sentiment
        region, country, lat, lon = PLACES.get(canonical, (None, None, None, None))
        for i in range(count):
            rows.append(
                {
                    "article_id": article_id,
                    "entity_id": f"{label}:{canonical}",
                    "text": canonical,
                    "label": label,
                    "canonical": canonical,
                    "start": i * 10,
                    "end": i * 10 + len(canonical),
                    "sentence_index": i,
                    "tone_label": tone_label,
                    "tone_score": {"positive": 0.7, "neutral": 0.0, "negative": -0.7}[tone_label],
                    "place_kind": "comune" if label == "LOC" and country == "IT" else None,
                    "region": region,
                    "country_code": country,
                    "latitude": lat,
                    "longitude": lon,
                }
            )
    return rows


def build_warehouse(folder: Path) -> Warehouse:
    warehouse = Warehouse(folder)
    warehouse.ensure()
    themes = [
        {"article_id": e[0], "theme_id": theme_id, "theme_label": label, "score": score}
        for e in ARTICLES
        for theme_id, label, score in e[7]
    ]
    rows = {
        "articles": [_article_row(e) for e in ARTICLES],
        "mentions": [row for e in ARTICLES for row in _mention_rows(e)],
        "themes": themes,
    }
    warehouse.store(RUN, rows, started_at="2024-03-22T07:00:00Z")
    return warehouse


BANKS = Subscription(
    id="banche",
    name="Banche",
    editor="Giulia Rossi",
    email="giulia.rossi@example.it",
    themes=["banche-finanza"],
    entities=["UniCredit"],
    keywords=["dividendo"],
)
PIEDMONT = Subscription(
    id="auto-piemonte",
    editor="Marco Bianchi",
    email="marco.bianchi@example.it",
    places=["Piemonte"],
    keywords=["cassa integrazione"],
)
WEEKLY_ALL = Subscription(id="tutto", editor="Redazione", email="redazione@example.it", frequency="weekly")

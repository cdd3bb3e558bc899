"""Analyse accepted posts and turn them into warehouse rows (articles, mentions, themes, rejected)."""

from __future__ import annotations

import json
from collections.abc import Callable

from flows.records import PreparedPost, Reason, Rejection
from flows.warehouse.records import Rows
from nlp import load
from nlp.doc_records import dateline, mentions, pipe_safely
from nlp.pipeline import models_used
from nlp.settings import NLPSettings

CHUNK = 32
ARTICLE_FIELDS = (
    "url",
    "canonical_url",
    "source",
    "location",
    "title",
    "author",
    "published_at",
    "collected_at",
    "language",
    "word_count",
    "content_hash",
    "minhash",
    "text",
)


def analyse_posts(
    posts: list[PreparedPost], settings: NLPSettings, advance: Callable[[int], None] = lambda n: None
) -> Rows:
    rows = Rows()
    if not posts:
        return rows
    nlp = load(settings)
    models = json.dumps(models_used(nlp, settings))
    for first in range(0, len(posts), CHUNK):
        chunk = posts[first : first + CHUNK]
        for post, doc in zip(
            chunk,
            pipe_safely(nlp, [p.text for p in chunk], [p.title for p in chunk], [p.province for p in chunk]),
            strict=True,
        ):
            _add(rows, post, doc, models)
        advance(len(chunk))
    return rows


def _add(rows: Rows, post: PreparedPost, doc, models: str) -> None:
    if isinstance(doc, Exception):  # one failing article is recorded, the batch goes on
        rejection = Rejection(post.item_id, post.source, post.location, Reason.ANALYSIS_ERROR, str(doc))
        rows.rejected.append(rejection.to_dict())
        return
    article_id = post.item_id
    tone = doc._.tone
    rows.articles.append(
        {
            "article_id": article_id,
            **{name: getattr(post, name) for name in ARTICLE_FIELDS},
            "summary": doc._.summary,
            "keyphrases": list(doc._.keyphrases or []),
            "sentiment_label": tone["label"],
            "sentiment_score": tone["score"],
            "tone": tone["tone"],
            "dateline": dateline(doc),
            "share_positive": tone["shares"]["positive"],
            "share_neutral": tone["shares"]["neutral"],
            "share_negative": tone["shares"]["negative"],
            "models": models,
        }
    )
    rows.mentions += [{"article_id": article_id, **mention} for mention in mentions(doc)]
    rows.themes += [
        {"article_id": article_id, "theme_id": t["id"], "theme_label": t["label"], "score": t["score"]}
        for t in doc._.themes or []
    ]

"""Relevance to a subscription, combined with recency: which window articles go into a digest, in what order."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime

from flows.digests.select import Candidate
from flows.digests.subscriptions import Window
from flows.settings import Subscription


@dataclass(frozen=True)
class Ranked:
    article: Candidate
    keyword_hits: int
    relevance: float
    recency: float
    score: float


def keyword_hits(keywords: list[str], *texts: str | None) -> int:
    """How many of `keywords` occur as whole words (case-insensitive) in any of `texts`."""
    joined = "\n".join(text for text in texts if text)
    return sum(1 for keyword in keywords if keyword.strip() and _word_pattern(keyword).search(joined))


def _word_pattern(keyword: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(keyword.strip())}(?!\w)", re.IGNORECASE)


def relevance(article: Candidate, hits: int) -> float:
    """Theme scores + log-damped entity/place mentions + keyword hits; 0 means no topic matched."""
    return article.theme_score + math.log1p(article.entity_mentions + article.place_mentions) + hits


def recency(article: Candidate, window: Window) -> float:
    """1 for an article published at the window end, halving every window length before it."""
    when = _when(article)
    length = (window.end - window.start).total_seconds() or 1.0
    age = max(0.0, (window.end - when).total_seconds())
    return 0.5 ** (age / length)


def _when(article: Candidate) -> datetime:
    return article.published_at or article.collected_at


def rank(articles: list[Candidate], subscription: Subscription, window: Window, recency_weight: float) -> list[Ranked]:
    """The articles matching at least one topic (all, for a subscription without topics), best first."""
    has_topics = any((subscription.themes, subscription.entities, subscription.places, subscription.keywords))
    ranked = []
    for article in articles:
        hits = keyword_hits(subscription.keywords, article.title, article.summary)
        value = relevance(article, hits)
        if has_topics and value <= 0:
            continue
        fresh = recency(article, window)
        ranked.append(Ranked(article, hits, value, fresh, value + recency_weight * fresh))
    ranked.sort(key=lambda r: (-r.score, -_when(r.article).timestamp(), r.article.article_id))
    return ranked

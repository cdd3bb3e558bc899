"""Window selection, topic matching and ranking over a real (temporary) warehouse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from flows.digests.rank import keyword_hits, rank
from flows.digests.select import candidates, entity_counts
from flows.digests.subscriptions import Window, parse_as_of, plan
from flows.settings import DigestSettings
from flows.warehouse import Warehouse
from tests.flows.digests.digest_data import AS_OF, BANKS, PIEDMONT, WEEKLY_ALL

DAY = Window(start=AS_OF - timedelta(days=1), end=AS_OF)


@pytest.fixture
def con(warehouse_folder):
    with Warehouse(warehouse_folder).connect() as connection:
        yield connection


def test_window_holds_the_articles_collected_in_it(con):
    found = {c.article_id for c in candidates(con, BANKS, DAY, key_entities=5)}
    assert found == {"a1", "a2", "a3", "a4", "a5"}
    assert {c.article_id for c in candidates(con, BANKS, DAY.previous, key_entities=5)} == {"p1", "p2"}


def test_candidates_measure_themes_entities_and_places(con):
    by_id = {c.article_id: c for c in candidates(con, BANKS, DAY, key_entities=2)}
    assert by_id["a1"].theme_score == pytest.approx(0.82)
    assert by_id["a1"].entity_mentions == 3  # UniCredit, case-insensitive canonical match
    assert by_id["a1"].key_entities == ["UniCredit", "Andrea Orcel"]
    assert by_id["a2"].theme_score == 0 and by_id["a2"].entity_mentions == 0
    assert by_id["a2"].themes == ["Automotive e mobilità", "Lavoro e occupazione"]
    piedmont = {c.article_id: c for c in candidates(con, PIEDMONT, DAY, key_entities=5)}
    assert piedmont["a2"].place_mentions == 2  # Torino, through its region
    assert piedmont["a1"].place_mentions == 0


def test_rank_keeps_matching_articles_best_first(con):
    ranked = rank(candidates(con, BANKS, DAY, 5), BANKS, DAY, recency_weight=0.5)
    assert [r.article.article_id for r in ranked] == ["a1", "a3", "a4"]
    assert ranked[0].keyword_hits == 1  # "dividendo" in the title
    assert all(0 < r.recency <= 1 for r in ranked)
    everything = rank(candidates(con, WEEKLY_ALL, DAY, 5), WEEKLY_ALL, DAY, recency_weight=0.5)
    assert [r.article.article_id for r in everything] == ["a5", "a4", "a3", "a2", "a1"]  # no topics: newest first


def test_keywords_match_whole_words_with_accents():
    assert keyword_hits(["città"], "La Città di Torino investe") == 1
    assert keyword_hits(["cit"], "La città di Torino investe") == 0
    assert keyword_hits(["cassa integrazione", "Fiom"], "Cassa integrazione a Mirafiori", None) == 1
    assert keyword_hits(["c++"], "Un corso di C++ a Milano") == 1


def test_entity_counts_compare_with_the_previous_window(con):
    counts = entity_counts(con, "ORG", ["a1", "a3"], ["p1"], limit=3)
    assert [(e.canonical, e.articles, e.previous) for e in counts] == [
        ("UniCredit", 2, 1),
        ("BCE", 1, 0),
        ("Intesa Sanpaolo", 1, 0),
    ]
    places = entity_counts(con, "LOC", ["a1", "a4"], [], limit=5)
    assert [(e.canonical, e.articles) for e in places] == [("Milano", 2)]


def test_plan_gives_each_subscription_of_the_frequency_its_window():
    settings = DigestSettings(subscriptions=[BANKS, PIEDMONT, WEEKLY_ALL])
    daily = plan(settings, "daily", AS_OF, sent_until={})
    assert [j.subscription.id for j in daily] == ["banche", "auto-piemonte"]
    assert daily[0].window == DAY and daily[0].max_items == 10
    (weekly,) = plan(settings, "weekly", AS_OF, sent_until={})
    assert weekly.window.start == AS_OF - timedelta(days=7)
    assert weekly.window.previous.start == AS_OF - timedelta(days=14)


def test_plan_continues_after_the_last_window_sent():
    settings = DigestSettings(subscriptions=[BANKS])
    sent = AS_OF - timedelta(hours=5)
    (job,) = plan(settings, "daily", AS_OF, sent_until={"banche": sent})
    assert job.window == Window(start=sent, end=AS_OF)
    (again,) = plan(settings, "daily", AS_OF, sent_until={"banche": AS_OF})
    assert again.window.empty


def test_plan_rejects_unknown_frequency_and_duplicated_ids():
    with pytest.raises(ValueError, match="unknown frequency"):
        plan(DigestSettings(), "monthly", AS_OF, {})
    with pytest.raises(ValueError, match="duplicated subscription ids"):
        plan(DigestSettings(subscriptions=[BANKS, BANKS]), "daily", AS_OF, {})


def test_as_of_is_read_in_the_digest_timezone():
    assert parse_as_of("2025-03-10T07:00", "Europe/Rome") == AS_OF
    assert parse_as_of("2025-03-10T06:00:00+00:00", "Europe/Rome") == AS_OF
    assert parse_as_of(None, "Europe/Rome").tzinfo is UTC
    assert parse_as_of(None, "Europe/Rome") <= datetime.now(UTC)

from __future__ import annotations

from datetime import UTC, datetime

from flows.warehouse import Warehouse
from tests.flows.warehouse.warehouse_samples import A3, A4, ARTICLES, MILANO, RUN_ID, article, mention

ENTITY_COLUMNS = "entity_id, label, canonical, variants, article_count, mention_count, first_seen, last_seen"


def entities(warehouse: Warehouse, where: str = "true") -> list[tuple]:
    with warehouse.connect() as con:
        return con.execute(f"SELECT {ENTITY_COLUMNS} FROM entities WHERE {where} ORDER BY entity_id").fetchall()


def test_rebuild_merges_mentions_by_entity_id(sample_warehouse):
    intesa, pirelli = entities(sample_warehouse, "entity_id IN ('Q-intesa', 'Q-pirelli')")

    assert intesa == (
        "Q-intesa",
        "ORG",
        "Intesa Sanpaolo",  # 2 of its 3 mentions; "Intesa" once
        ["Intesa", "Intesa Sanpaolo"],
        3,
        3,
        datetime(2024, 3, 4, 7, 30, tzinfo=UTC),  # a1 published_at
        datetime(2024, 3, 21, 7, 0, tzinfo=UTC),  # a4 has no published_at: its collected_at
    )
    assert pirelli[2:6] == ("Pirelli", ["Pirelli"], 1, 1)
    assert len(entities(sample_warehouse)) == 6


def test_place_fields_come_from_the_most_frequent_resolution(tmp_path):
    warehouse = Warehouse(tmp_path / "wh")
    borsa = article(
        "b1",
        "ilsole24ore",
        "Piazza Affari chiude in rialzo",
        "A Milano la Borsa chiude in rialzo. Gli operatori di Milano guardano alla Bce.",
        "2024-03-14T17:45:00Z",
        "positive",
        (0.7, 0.25, 0.05),
        ["Borsa", "Bce"],
    )
    city_area = {**MILANO, "place_kind": "provincia", "istat_code": "215", "latitude": None, "longitude": None}
    mentions = [
        mention(borsa, "Q-milano", "A Milano", "LOC", "Milano"),  # not resolved: no vote
        mention(borsa, "Q-milano", "Borsa", "ORG", "Borsa di Milano"),
        mention(borsa, "Q-milano", "di Milano", "LOC", "Milano", **city_area),
        mention(borsa, "Q-milano", "Milano guardano", "LOC", "Milano", **MILANO),
        mention(A4, "Q-milano", "Milano", "LOC", "Milano", **MILANO),
        mention(borsa, "Q-bce", "Bce", "ORG", "Banca centrale europea"),
    ]

    warehouse.store(RUN_ID, {"articles": [A4, borsa], "mentions": mentions}, started_at="2024-03-22T07:00:00Z")

    with warehouse.connect() as con:
        places = con.execute(
            "SELECT entity_id, label, canonical, mention_count, place_kind, istat_code, region, country_code, "
            "latitude, longitude FROM entities ORDER BY entity_id"
        ).fetchall()
    assert places == [
        ("Q-bce", "ORG", "Banca centrale europea", 1, None, None, None, None, None, None),
        ("Q-milano", "LOC", "Milano", 5, *MILANO.values()),
    ]


def test_rebuild_replaces_one_file_with_the_current_mentions(sample_warehouse):
    later = {"mentions": [mention(A3, "Q-stellantis", "Mirafiori", "ORG", "Stellantis")]}

    sample_warehouse.store("20240323T070000Z", later, started_at="2024-03-23T07:00:00Z")

    assert [path.name for path in (sample_warehouse.folder / "entities").iterdir()] == ["entities.parquet"]
    (stellantis,) = entities(sample_warehouse, "entity_id = 'Q-stellantis'")
    assert stellantis[2:6] == ("Stellantis", ["Mirafiori", "Stellantis"], 2, 3)


def test_rebuild_without_mentions_gives_an_empty_table(tmp_path):
    warehouse = Warehouse(tmp_path / "wh")

    warehouse.store(RUN_ID, {"articles": ARTICLES}, started_at="2024-03-22T07:00:00Z")

    assert entities(warehouse) == []

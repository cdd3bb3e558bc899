"""The theme taxonomy in data/themes.yaml: its content and its validation."""

from __future__ import annotations

import pytest
import yaml
from pydantic import ValidationError

from nlp.settings import ThemeSettings
from nlp.themes import Taxonomy, Theme, load_taxonomy

REQUIRED = {
    "innovazione",
    "internazionalizzazione",
    "credito-finanza",
    "lavoro",
    "formazione",
    "digitale",
    "sostenibilita-energia",
    "pmi",
    "startup",
    "reti-partnership",
    "crisi-aziendali",
    "fusioni-acquisizioni",
    "incentivi-pnrr",
    "fisco",
    "manifattura",
    "agroalimentare",
    "moda",
    "turismo",
    "logistica",
    "automotive",
    "aerospazio-difesa",
    "mercati-finanziari",
    "commercio-retail",
    "edilizia-immobiliare",
    "sanita-farmaceutico",
    "telecomunicazioni",
    "ricerca-universita",
    "welfare-relazioni-industriali",
}


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy(ThemeSettings().taxonomy)


def test_shipped_taxonomy_covers_the_business_themes(taxonomy):
    ids = {theme.id for theme in taxonomy.themes}
    assert len(taxonomy) >= 25
    assert ids >= REQUIRED


def test_shipped_themes_are_complete(taxonomy):
    for theme in taxonomy.themes:
        assert 8 <= len(theme.keywords) <= 20, theme.id
        assert 1 <= theme.description.count(".") <= 2, theme.id  # one or two sentences
        assert all(keyword == keyword.lower() for keyword in theme.keywords), theme.id


def test_taxonomy_text_is_normalised(taxonomy):
    moda = taxonomy.get("moda")
    assert moda is not None and moda.label == "Moda e lusso"
    assert "\n" not in moda.description and "  " not in moda.description
    assert "seta" in moda.keywords and "sfilata" in moda.keywords
    assert taxonomy.get("astrologia") is None


def _theme(**changes) -> dict:
    theme = {
        "id": "nautica",
        "label": "Nautica",
        "description": "Cantieri navali e nautica da diporto: yacht, barche e saloni nautici.",
        "keywords": ["nautica", "yacht", "cantiere navale"],
    }
    return theme | changes


@pytest.mark.parametrize(
    "changes",
    [
        {"id": "Nautica da diporto"},  # not a slug
        {"keywords": ["Yacht"]},  # not lowercase
        {"keywords": ["yacht", "yacht"]},
        {"keywords": []},
        {"keywords": ["yacht", "  "]},
        {"description": ""},
        {"colour": "blu"},  # unknown field
    ],
)
def test_invalid_themes_are_rejected(changes):
    with pytest.raises(ValidationError):
        Theme.model_validate(_theme(**changes))


def test_duplicate_theme_ids_are_rejected():
    with pytest.raises(ValidationError, match="duplicate theme ids"):
        Taxonomy.model_validate({"themes": [_theme(), _theme(label="Nautica bis")]})


def test_a_new_theme_needs_only_the_yaml_file(tmp_path, taxonomy):
    data = yaml.safe_load(ThemeSettings().taxonomy.read_text(encoding="utf-8"))
    data["themes"].append(_theme(keywords=["  nautica   da diporto ", "yacht"]))
    path = tmp_path / "themes.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    extended = load_taxonomy(path)

    assert len(extended) == len(taxonomy) + 1
    assert extended.get("nautica").keywords == ("nautica da diporto", "yacht")

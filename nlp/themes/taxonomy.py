"""The theme taxonomy: business themes with an Italian label, a description and keyword lemmas, read from YAML."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class Theme(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=SLUG)
    label: str = Field(min_length=1)
    description: str = Field(min_length=10)  # embedded as an e5 query and compared with the article
    keywords: tuple[str, ...] = Field(min_length=1)  # Italian lemmas, lowercase; multiword allowed

    @field_validator("label", "description")
    @classmethod
    def _single_spaced(cls, value: str) -> str:
        return " ".join(value.split())

    @field_validator("keywords")
    @classmethod
    def _clean_keywords(cls, keywords: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(" ".join(str(keyword).split()) for keyword in keywords)
        if any(not keyword for keyword in cleaned):
            raise ValueError("empty keyword")
        if upper := [keyword for keyword in cleaned if keyword != keyword.lower()]:
            raise ValueError(f"keywords must be lowercase lemmas: {upper}")
        if len(set(cleaned)) != len(cleaned):
            raise ValueError(f"duplicate keywords: {sorted({k for k in cleaned if cleaned.count(k) > 1})}")
        return cleaned


class Taxonomy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    themes: tuple[Theme, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Taxonomy:
        ids = [theme.id for theme in self.themes]
        if duplicates := sorted({theme_id for theme_id in ids if ids.count(theme_id) > 1}):
            raise ValueError(f"duplicate theme ids: {duplicates}")
        return self

    def __len__(self) -> int:
        return len(self.themes)

    def get(self, theme_id: str) -> Theme | None:
        return next((theme for theme in self.themes if theme.id == theme_id), None)


def load_taxonomy(path: Path | str) -> Taxonomy:
    """Read and validate a taxonomy file: a mapping with a `themes` list (see data/themes.yaml)."""
    with Path(path).open(encoding="utf-8") as handle:
        return Taxonomy.model_validate(yaml.safe_load(handle))

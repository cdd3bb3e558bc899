"""The business-theme taxonomy that `rassegna_themes` assigns to articles."""

from nlp.themes.taxonomy import Taxonomy, Theme, load_taxonomy

__all__ = ["Taxonomy", "Theme", "load_taxonomy"]

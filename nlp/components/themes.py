"""`rassegna_themes`: the taxonomy's business themes that fit an article, best first, in `Doc._.themes`.

Each theme's score in [0, 1] is `keyword_weight * keywords + (1 - keyword_weight) * embedding`:
- keywords: the theme's keywords found in the article, on the lowercased words or on their lowercased
  lemmas (multiword keywords also in lemmatized form). Each distinct keyword adds 1 + ln(occurrences)
  hits, saturating as 1 - exp(-hits / keyword_saturation).
- embedding: cosine between the article's lead (e5 passage, at most `passage_chars` characters) and the
  theme's label + description (e5 query, embedded once per component), as a z-score against all themes
  for that article, mapped linearly from [embedding_min_z, embedding_full_z] to [0, 1] and clipped. The
  base encoder reads the lead (`rassegna_encoder`'s lead graph): the NER-tuned trunk of
  the one pass does not keep e5's semantics (see docs/scaling.md), so the lead gets a short pass of its own.

Defaults (nlp/settings.py, ThemeSettings) were tuned on the MEANTIME business articles and three written
test articles: weight 0.6, saturation 3 (one keyword 0.28, three 0.63, six 0.86), z from 0.5 to 2.5.
Embedding the first 300 or 1500 characters ranked themes alike there; the lead pass is the themes' cost, so
the lead is kept short. `pipe` embeds a batch of leads in one call.
"""

from __future__ import annotations

import math
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cached_property
from itertools import islice, product
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from nlp.components.encoding import encoder_of
from nlp.components.saved_data import SavedWithPipeline
from nlp.settings import ThemeSettings
from nlp.themes import Taxonomy, load_taxonomy

# pipes that set lemmas; a multiword keyword runs through them to get its lemmatized variant
LEMMA_PIPES = ("tok2vec", "tagger", "morphologizer", "attribute_ruler", "lemmatizer", "trainable_lemmatizer")

PASSAGE, QUERY = "passage: ", "query: "  # e5's prefixes

if not Doc.has_extension("themes"):
    Doc.set_extension("themes", default=None)


def lead(doc: Doc, chars: int) -> str:
    """The article's start: the whole sentences that end within `chars` (at least the first, cut to `chars`)."""
    end = max((sent.end_char for sent in doc.sents if sent.end_char <= chars), default=chars)
    return doc.text[:end]


class KeywordMatcher:
    """Counts, per theme, the keyword hits in a Doc (see the module docstring)."""

    def __init__(self, nlp: Language, taxonomy: Taxonomy):
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.theme_of: dict[int, int] = {}
        lemmatizers = [proc for name, proc in nlp.pipeline if name in LEMMA_PIPES]
        for index, theme in enumerate(taxonomy.themes):
            for keyword in theme.keywords:
                label = f"{theme.id}:{keyword}"
                self.theme_of[nlp.vocab.strings.add(label)] = index
                self.matcher.add(label, self._variants(nlp, lemmatizers, keyword))
        self.size = len(taxonomy)

    @staticmethod
    def _variants(nlp: Language, lemmatizers: list, keyword: str) -> list[Doc]:
        doc = nlp.make_doc(keyword)
        if len(doc) == 1:  # a single word's own lemma may be a common verb (porto -> portare): match it as written
            return [doc]
        for proc in lemmatizers:
            doc = proc(doc)
        choices = [dict.fromkeys([token.lower_, (token.lemma_ or token.lower_).lower()]) for token in doc]
        return [Doc(nlp.vocab, words=list(words)) for words in product(*choices)]

    def hits(self, doc: Doc) -> np.ndarray:
        lemmas = Doc(doc.vocab, words=[(token.lemma_ or token.text).lower() for token in doc])
        keyword_at: dict[tuple[int, int], int] = {}  # (theme, token) -> keyword: a token counts once per theme
        for text in (doc, lemmas):
            for key, start, _ in self.matcher(text):
                keyword_at.setdefault((self.theme_of[key], start), key)
        occurrences = Counter(keyword_at.values())
        totals = np.zeros(self.size, dtype=np.float32)
        for key, count in occurrences.items():
            totals[self.theme_of[key]] += 1 + math.log(count)
        return totals


class ThemeTagger(SavedWithPipeline):
    path_settings = ("taxonomy",)
    saved_file = "themes.yaml"

    def __init__(
        self,
        nlp: Language,
        taxonomy: str,
        top_k: int,
        min_score: float,
        keyword_weight: float,
        keyword_saturation: float,
        embedding_min_z: float,
        embedding_full_z: float,
        passage_chars: int,
    ):
        self.nlp = nlp
        if taxonomy:
            self.read(Path(taxonomy))
        self.top_k, self.min_score = top_k, min_score
        self.keyword_weight, self.keyword_saturation = keyword_weight, keyword_saturation
        self.embedding_z = (embedding_min_z, embedding_full_z)
        self.passage_chars = passage_chars

    def read(self, taxonomy: Path) -> None:
        self.taxonomy_file, self.taxonomy = taxonomy, load_taxonomy(taxonomy)
        for derived in ("keywords", "themes"):
            self.__dict__.pop(derived, None)

    def to_disk(self, path: str | Path, *, exclude=()) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.taxonomy_file, Path(path) / self.saved_file)

    def use(self, folder: Path) -> None:
        self.read(folder / self.saved_file)

    @cached_property
    def keywords(self) -> KeywordMatcher:
        """Built on first use, when the pipeline's lemmatizer has its tables."""
        return KeywordMatcher(self.nlp, self.taxonomy)

    @cached_property
    def encoder(self):
        return encoder_of(self.nlp)

    @cached_property
    def themes(self) -> np.ndarray:
        """The themes' label + description as e5 queries, embedded once per component."""
        return self.encoder.embed([f"{QUERY}{theme.label}. {theme.description}" for theme in self.taxonomy.themes])

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        docs = iter(docs)
        while batch := list(islice(docs, batch_size)):
            texts = [doc for doc in batch if doc.text.strip()]
            passages = self.encoder.embed([PASSAGE + lead(doc, self.passage_chars).strip() for doc in texts])
            ranked = {
                id(doc): self._rank(self.scores(doc, passage)) for doc, passage in zip(texts, passages, strict=True)
            }
            for doc in batch:
                doc._.themes = ranked.get(id(doc), [])
                yield doc

    def scores(self, doc: Doc, passage: np.ndarray) -> np.ndarray:
        """Every theme's score for `doc`, in taxonomy order; `passage` is the embedding of its lead."""
        keyword = 1.0 - np.exp(-self.keywords.hits(doc) / self.keyword_saturation)
        similarity = self.themes @ passage
        z = (similarity - similarity.mean()) / max(float(similarity.std()), 1e-6)
        low, full = self.embedding_z
        embedding = np.clip((z - low) / (full - low), 0.0, 1.0)
        return self.keyword_weight * keyword + (1.0 - self.keyword_weight) * embedding

    def _rank(self, scores: np.ndarray) -> list[dict]:
        order = np.argsort(-scores, kind="stable")[: self.top_k]
        themes = self.taxonomy.themes
        return [
            {"id": themes[i].id, "label": themes[i].label, "score": round(float(scores[i]), 4)}
            for i in order
            if scores[i] >= self.min_score
        ]


_DEFAULTS = ThemeSettings()


@Language.factory(
    "rassegna_themes",
    default_config={
        "taxonomy": str(_DEFAULTS.taxonomy),
        "top_k": _DEFAULTS.top_k,
        "min_score": _DEFAULTS.min_score,
        "keyword_weight": _DEFAULTS.keyword_weight,
        "keyword_saturation": _DEFAULTS.keyword_saturation,
        "embedding_min_z": _DEFAULTS.embedding_min_z,
        "embedding_full_z": _DEFAULTS.embedding_full_z,
        "passage_chars": _DEFAULTS.passage_chars,
    },
    requires=["doc.sents", "token.lemma"],
    assigns=["doc._.themes"],
)
def make_theme_tagger(
    nlp: Language,
    name: str,
    taxonomy: str,
    top_k: int,
    min_score: float,
    keyword_weight: float,
    keyword_saturation: float,
    embedding_min_z: float,
    embedding_full_z: float,
    passage_chars: int,
) -> ThemeTagger:
    return ThemeTagger(
        nlp,
        taxonomy,
        top_k,
        min_score,
        keyword_weight,
        keyword_saturation,
        embedding_min_z,
        embedding_full_z,
        passage_chars,
    )

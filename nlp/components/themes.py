"""`rassegna_themes`: the taxonomy's business themes a desk would file an article under, best first, in
`Doc._.themes`.

Evidence for each theme (`ThemeTagger.features`, in `FEATURES` order):
- body, title, lead: the theme's keywords found in the body, the title and the first `lead_sentences`
  sentences, on the lowercased words or their lowercased lemmas (multiword keywords also in lemmatized form).
  Each distinct keyword adds 1 + ln(occurrences) hits, saturating as 1 - exp(-hits / keyword_saturation)
  (the title: 1 - exp(-hits));
- similarity: cosine between the article's lead (e5 passage, at most `passage_chars` characters) and the theme's
  label + description (e5 query), as a z-score against all themes for that article. The base encoder reads the
  lead (`rassegna_encoder`'s lead graph): the NER-tuned trunk of the one pass does not keep e5's semantics.

A theme's probability is a logistic function of its evidence, with weights shared by all themes and a bias of
its own (its calibration), fitted on readers' labels by `rassegna train themes` (`calibration.json`, see its model
card). The themes given are those with a probability of at least `min_probability` and `relative_cut` times the
best one's, at most `top_k`, best first; none when no theme fits. Digests, the report and the `themes` rows read
this one decision. `pipe` embeds a batch of leads in one call.
"""

from __future__ import annotations

import json
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
from spacy.tokens import Doc, Span

from nlp.components.encoding import encoder_of
from nlp.components.saved_data import SavedWithPipeline
from nlp.settings import ThemeSettings
from nlp.themes import Taxonomy, load_taxonomy

# pipes that set lemmas; a multiword keyword runs through them to get its lemmatized variant
LEMMA_PIPES = ("tok2vec", "tagger", "morphologizer", "attribute_ruler", "lemmatizer", "trainable_lemmatizer")

PASSAGE, QUERY = "passage: ", "query: "  # e5's prefixes
FEATURES = ("body", "title", "lead", "similarity")
TAXONOMY_FILE, CALIBRATION_FILE = "themes.yaml", "calibration.json"

if not Doc.has_extension("themes"):
    Doc.set_extension("themes", default=None)


def lead(doc: Doc, chars: int) -> str:
    """The article's start: the whole sentences that end within `chars` (at least the first, cut to `chars`)."""
    end = max((sent.end_char for sent in doc.sents if sent.end_char <= chars), default=chars)
    return doc.text[:end]


class KeywordMatcher:
    """Counts, per theme, the keyword hits in a Doc or Span (see the module docstring)."""

    def __init__(self, nlp: Language, taxonomy: Taxonomy):
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.theme_of: dict[int, int] = {}
        self.lemmatizers = [proc for name, proc in nlp.pipeline if name in LEMMA_PIPES]
        for index, theme in enumerate(taxonomy.themes):
            for keyword in theme.keywords:
                label = f"{theme.id}:{keyword}"
                self.theme_of[nlp.vocab.strings.add(label)] = index
                self.matcher.add(label, self._variants(nlp, keyword))
        self.size = len(taxonomy)

    def _variants(self, nlp: Language, keyword: str) -> list[Doc]:
        doc = nlp.make_doc(keyword)
        if len(doc) == 1:  # a single word's own lemma may be a common verb (porto -> portare): match it as written
            return [doc]
        doc = self.lemmatized(doc)
        choices = [dict.fromkeys([token.lower_, (token.lemma_ or token.lower_).lower()]) for token in doc]
        return [Doc(nlp.vocab, words=list(words)) for words in product(*choices)]

    def lemmatized(self, doc: Doc) -> Doc:
        for proc in self.lemmatizers:
            doc = proc(doc)
        return doc

    def hits(self, text: Doc | Span) -> np.ndarray:
        totals = np.zeros(self.size, dtype=np.float32)
        if not len(text):
            return totals
        lemmas = Doc(text.vocab, words=[(token.lemma_ or token.text).lower() for token in text])
        keyword_at: dict[tuple[int, int], int] = {}  # (theme, token) -> keyword: a token counts once per theme
        for tokens in (text, lemmas):
            for key, start, _ in self.matcher(tokens):
                keyword_at.setdefault((self.theme_of[key], start), key)
        occurrences = Counter(keyword_at.values())
        for key, count in occurrences.items():
            totals[self.theme_of[key]] += 1 + math.log(count)
        return totals


class ThemeTagger(SavedWithPipeline):
    path_settings = ("taxonomy", "calibration")

    def __init__(
        self,
        nlp: Language,
        taxonomy: str,
        calibration: str,
        top_k: int,
        min_probability: float,
        relative_cut: float,
        keyword_saturation: float,
        lead_sentences: int,
        passage_chars: int,
    ):
        self.nlp = nlp
        if taxonomy:
            self.read(Path(taxonomy), Path(calibration) if calibration else None)
        self.top_k, self.min_probability, self.relative_cut = top_k, min_probability, relative_cut
        self.keyword_saturation, self.lead_sentences, self.passage_chars = (
            keyword_saturation,
            lead_sentences,
            passage_chars,
        )

    def read(self, taxonomy: Path, calibration: Path | None) -> None:
        """The taxonomy, and the calibration fitted for it (none before `rassegna train themes` has run)."""
        self.taxonomy_file, self.taxonomy = taxonomy, load_taxonomy(taxonomy)
        self.calibration_file = calibration if calibration and calibration.exists() else None
        self.calibration = Calibration.read(self.calibration_file, self.taxonomy) if self.calibration_file else None
        for derived in ("keywords", "themes"):
            self.__dict__.pop(derived, None)

    def to_disk(self, path: str | Path, *, exclude=()) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.taxonomy_file, Path(path) / TAXONOMY_FILE)
        if self.calibration_file:
            shutil.copyfile(self.calibration_file, Path(path) / CALIBRATION_FILE)

    def use(self, folder: Path) -> None:
        self.read(folder / TAXONOMY_FILE, folder / CALIBRATION_FILE)

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
            texts = [doc for doc in batch if doc.text.strip() or (doc._.title or "").strip()]
            for doc, passage in zip(texts, self.passages(texts), strict=True):
                doc._.themes = self.decide(self.probabilities(self.features(doc, passage)))
            for doc in batch:
                if doc._.themes is None:
                    doc._.themes = []
                yield doc

    def passages(self, docs: list[Doc]) -> np.ndarray:
        """Each article's lead (its title where the body is empty) embedded as an e5 passage."""
        leads = [lead(doc, self.passage_chars).strip() or (doc._.title or "").strip() for doc in docs]
        return self.encoder.embed([PASSAGE + text for text in leads])

    def features(self, doc: Doc, passage: np.ndarray) -> np.ndarray:
        """(themes, FEATURES) evidence for `doc`, in taxonomy order; `passage` is the embedding of its lead."""
        saturation = self.keyword_saturation
        sentences = list(doc.sents)
        lead_end = sentences[min(self.lead_sentences, len(sentences)) - 1].end if sentences else 0
        title = self.keywords.lemmatized(self.nlp.make_doc(doc._.title or ""))
        similarity = self.themes @ passage
        return np.stack(
            [
                1.0 - np.exp(-self.keywords.hits(doc) / saturation),
                1.0 - np.exp(-self.keywords.hits(title)),
                1.0 - np.exp(-self.keywords.hits(doc[:lead_end]) / saturation),
                (similarity - similarity.mean()) / max(float(similarity.std()), 1e-6),
            ],
            axis=1,
        )

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        if self.calibration is None:
            raise ValueError("no theme calibration: run `rassegna train themes` (see data/models/themes-e5)")
        return self.calibration.probabilities(features)

    def decide(self, probabilities: np.ndarray) -> list[dict]:
        order = np.argsort(-probabilities, kind="stable")[: self.top_k]
        best = float(probabilities[order[0]])
        themes = self.taxonomy.themes
        return [
            {"id": themes[i].id, "label": themes[i].label, "score": round(float(probabilities[i]), 4)}
            for i in order
            if probabilities[i] >= self.min_probability and probabilities[i] >= self.relative_cut * best
        ]


class Calibration:
    """Logistic weights over `FEATURES` shared by the themes, and a bias per theme (0 for a theme it never saw)."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray):
        self.weights, self.bias = weights, bias

    @classmethod
    def read(cls, path: Path, taxonomy: Taxonomy) -> Calibration:
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path} was fitted on features {data['features']}, this code computes {FEATURES}")
        bias = np.array([data["bias"] + data["theme_bias"].get(t.id, 0.0) for t in taxonomy.themes])
        return cls(np.asarray(data["weights"], dtype=np.float64), bias)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(features @ self.weights + self.bias)))


_DEFAULTS = ThemeSettings()


@Language.factory(
    "rassegna_themes",
    default_config=_DEFAULTS.model_dump(mode="json", exclude={"factory"}),
    requires=["doc.sents", "token.lemma"],
    assigns=["doc._.themes"],
)
def make_theme_tagger(
    nlp: Language,
    name: str,
    taxonomy: str,
    calibration: str,
    top_k: int,
    min_probability: float,
    relative_cut: float,
    keyword_saturation: float,
    lead_sentences: int,
    passage_chars: int,
) -> ThemeTagger:
    return ThemeTagger(nlp, taxonomy, calibration, top_k, min_probability, relative_cut, keyword_saturation,
                       lead_sentences, passage_chars)  # fmt: skip

"""`rassegna_encoder`: the one encoder pass over an article's title and sentences, in `Doc._.encoded`.

Like spacy-transformers' `transformer` component, it runs the model once and leaves its output on the Doc for the
components that read it: `rassegna_entities` (the NER tower's tags) and `rassegna_tone` (sentence and
entity tone); `rassegna_themes` embeds each lead with the base encoder through `Encoder.embed`. Texts are
shown to the model as the NER was trained to read them: names in capitals inside ordinary text in title
case (`nlp.text.casing`, offsets unchanged).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from nlp.components.saved_data import SavedWithPipeline
from nlp.onepass.runtime import Encoded, OnePass, one_pass
from nlp.settings import NLPSettings
from nlp.text.casing import unshouted

MODELS = "models.json"  # in a saved pipeline: which subfolder holds which model

if not Doc.has_extension("encoded"):
    Doc.set_extension("encoded", default=None)
if not Doc.has_extension("title"):
    Doc.set_extension("title", default=None)


@dataclass
class EncodedUnit:
    """The title (start None) or a sentence (its first character in the Doc), and what the pass says about it."""

    start: int | None
    text: str
    encoded: Encoded


@dataclass
class EncodedDoc:
    units: list[EncodedUnit]
    ner_labels: list[str]
    tone_labels: list[str]

    def sentences(self) -> list[EncodedUnit]:
        return [unit for unit in self.units if unit.start is not None]

    def title(self) -> EncodedUnit | None:
        return next((unit for unit in self.units if unit.start is None), None)


def units(doc: Doc) -> list[tuple[int | None, str]]:
    """(start char or None for the title, text) for the title and each non-blank sentence."""
    title = (doc._.title or "").strip()
    found: list[tuple[int | None, str]] = [(None, title)] if title else []
    return found + [(sent.start_char, sent.text) for sent in doc.sents if sent.text.strip()]


def encoder_of(nlp: Language) -> Encoder:
    """The pipeline's `rassegna_encoder` (the components that read its output find it this way, as spaCy
    listeners find their tok2vec), disabled or not: the themes embed leads through it even when it does not run."""
    found = [component for _, component in nlp.components if isinstance(component, Encoder)]
    if not found:
        raise ValueError("this pipeline has no rassegna_encoder")
    return found[0]


class Encoder(SavedWithPipeline):
    path_settings = ("ner_model", "tone_model")

    def __init__(
        self,
        ner_model: str,
        tone_model: str,
        encoder: str,
        int8: bool,
        batch_size: int,
        max_tokens: int,
        threads: int | None,
    ):
        self.models = {"ner_model": ner_model, "tone_model": tone_model}
        self.encoder = encoder
        self.int8, self.batch_size, self.max_tokens, self.threads = int8, batch_size, max_tokens, threads

    @property
    def runtime(self) -> OnePass:
        """The process's one-pass model for these folders, loaded (and built into the cache) on first use."""
        return one_pass(self.models["ner_model"], self.models["tone_model"], self.encoder, self.int8,
                        self.max_tokens, self.threads)  # fmt: skip

    def embed(self, texts: list[str]) -> np.ndarray:
        """L2-normalised base-encoder embeddings of `texts` (with their e5 prefixes): the themes' lead pass."""
        return self.runtime.embed(texts, self.batch_size)

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """The titles and sentences of `batch_size` articles at a time, in batches of similar token length."""
        docs = iter(docs)
        runtime = self.runtime
        while batch := list(islice(docs, batch_size)):
            found = [(doc, start, text) for doc in batch for start, text in units(doc)]
            encoded = runtime.encode([unshouted(text) for _, _, text in found], self.batch_size)
            grouped: dict[int, list[EncodedUnit]] = {id(doc): [] for doc in batch}
            for (doc, start, text), result in zip(found, encoded, strict=True):
                grouped[id(doc)].append(EncodedUnit(start, text, result))
            for doc in batch:
                doc._.encoded = EncodedDoc(grouped[id(doc)], runtime.ner_labels, runtime.tone_labels)
                yield doc

    def to_disk(self, path: str | Path, *, exclude=()) -> None:
        """Each model folder under its own name, so the tone model still finds its trunk beside it (`tone.json`)."""
        names = {setting: Path(folder).name for setting, folder in self.models.items()}
        for setting, folder in self.models.items():
            shutil.copytree(folder, Path(path) / names[setting], dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
        (Path(path) / MODELS).write_text(json.dumps(names, indent=2), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude=()):
        names = json.loads((Path(path) / MODELS).read_text(encoding="utf-8"))
        self.models = {setting: str(Path(path) / name) for setting, name in names.items()}
        return self


_DEFAULTS = NLPSettings()


@Language.factory(
    "rassegna_encoder",
    default_config={
        "ner_model": str(_DEFAULTS.entities.model),
        "tone_model": str(_DEFAULTS.tone.model),
        "encoder": _DEFAULTS.encoder,
        **_DEFAULTS.encoding.model_dump(mode="json", exclude={"factory"}),
        "threads": _DEFAULTS.threads,
    },
    requires=["doc.sents"],
    assigns=["doc._.encoded"],
)
def make_encoder(
    nlp: Language,
    name: str,
    ner_model: str,
    tone_model: str,
    encoder: str,
    int8: bool,
    batch_size: int,
    max_tokens: int,
    threads: int | None,
) -> Encoder:
    return Encoder(ner_model, tone_model, encoder, int8, batch_size, max_tokens, threads)

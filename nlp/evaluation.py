"""Scorers behind `rassegna eval`: exact-span NER scores and classification scores."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from nlp.corpora import CharSpan, TaggedSentence, bio_to_token_spans, spans_to_token_tags


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class NerScores:
    by_type: dict[str, PRF] = field(default_factory=dict)
    per_sentence: list[dict[str, tuple[int, int, int]]] = field(default_factory=list)  # type → (tp, fp, fn)

    @property
    def micro(self) -> PRF:
        total = PRF()
        for prf in self.by_type.values():
            total.tp, total.fp, total.fn = total.tp + prf.tp, total.fp + prf.fp, total.fn + prf.fn
        return total

    def f1_interval(self, label: str | None = None, resamples: int = 1000, seed: int = 2026) -> tuple[float, float]:
        """A 95% bootstrap interval (over sentences) of F1 for `label`, or micro-F1: the spread of the dev set."""
        import numpy as np

        labels = [label] if label else list(self.by_type)
        counts = np.array([[sum(s[k][i] for k in labels) for i in range(3)] for s in self.per_sentence])
        rng = np.random.default_rng(seed)
        tp, fp, fn = counts[rng.integers(0, len(counts), (resamples, len(counts)))].sum(1).T
        f1 = np.sort(np.where(tp > 0, 2 * tp / np.maximum(2 * tp + fp + fn, 1), 0.0))
        return float(f1[int(0.025 * resamples)]), float(f1[int(0.975 * resamples) - 1])


def score_ner(gold: list[TaggedSentence], predicted: list[list[CharSpan]], labels=("PER", "LOC", "ORG")) -> NerScores:
    """Exact span-and-type match on the gold tokenisation; predicted char spans are projected on it."""
    scores = NerScores({label: PRF() for label in labels})
    for sentence, spans in zip(gold, predicted, strict=True):
        _, offsets = sentence.text_and_offsets()
        wanted = {s for s in bio_to_token_spans(sentence.tags) if s[2] in labels}
        found = {s for s in bio_to_token_spans(spans_to_token_tags(offsets, spans)) if s[2] in labels}
        counts = {}
        for label in labels:
            gold_l = {s for s in wanted if s[2] == label}
            pred_l = {s for s in found if s[2] == label}
            counts[label] = (len(gold_l & pred_l), len(pred_l - gold_l), len(gold_l - pred_l))
            prf = scores.by_type[label]
            prf.tp, prf.fp, prf.fn = prf.tp + counts[label][0], prf.fp + counts[label][1], prf.fn + counts[label][2]
        scores.per_sentence.append(counts)
    return scores


@dataclass
class ClassificationScores:
    labels: list[str]
    confusion: dict[tuple[str, str], int]

    def prf(self, label: str) -> PRF:
        tp = self.confusion.get((label, label), 0)
        fp = sum(n for (g, p), n in self.confusion.items() if p == label and g != label)
        fn = sum(n for (g, p), n in self.confusion.items() if g == label and p != label)
        return PRF(tp, fp, fn)

    @property
    def macro_f1(self) -> float:
        return sum(self.prf(label).f1 for label in self.labels) / len(self.labels)

    @property
    def accuracy(self) -> float:
        total = sum(self.confusion.values())
        return sum(n for (g, p), n in self.confusion.items() if g == p) / total if total else 0.0


def score_classes(gold: list[str], predicted: list[str], labels: list[str]) -> ClassificationScores:
    return ClassificationScores(list(labels), dict(Counter(zip(gold, predicted, strict=True))))


def macro_f1_interval(
    gold: list[str], predicted: list[str], labels: list[str], resamples: int = 1000, seed: int = 2026
) -> tuple[float, float]:
    """A 95% bootstrap interval of macro-F1: the spread a dev set of this size leaves on the figure."""
    rng = random.Random(seed)
    pairs = list(zip(gold, predicted, strict=True))
    scores = sorted(
        score_classes(*zip(*rng.choices(pairs, k=len(pairs)), strict=True), labels).macro_f1 for _ in range(resamples)
    )
    return scores[int(0.025 * resamples)], scores[int(0.975 * resamples) - 1]


@dataclass
class ToneEvaluation:
    """What `rassegna eval tone` scored: which set, which level (sentence or entity), and the scores."""

    description: str
    level: str
    scores: ClassificationScores
    texts: int


def tone_examples(path, held_out: bool = True) -> tuple[str, list]:
    """The examples a tone file holds: news-tone JSONL, a Financial PhraseBank file or the SEntFiN CSV.

    With `held_out`, only what `rassegna train tone` never trained on: for PhraseBank, the sentences
    outside the training part of `Sentences_66Agree.txt` beside the file; for SEntFiN, its held-out 20%.
    """
    from pathlib import Path

    from nlp.corpora import held_out_split, read_news_tone, read_phrasebank, read_sentfin

    path = Path(path)
    if path.suffix == ".csv":
        examples = read_sentfin(path)
        return ("SEntFiN held-out 20%", held_out_split(examples)[1]) if held_out else ("SEntFiN, all", examples)
    if path.name.startswith("Sentences_") and path.suffix == ".txt":
        examples = read_phrasebank(path)
        if not held_out:
            return f"Financial PhraseBank {path.stem}, all", examples
        trained = {e.text for e in held_out_split(read_phrasebank(path.parent / "Sentences_66Agree.txt"))[0]}
        return f"Financial PhraseBank {path.stem}, held out", [e for e in examples if e.text not in trained]
    return f"news tone {path.name}", read_news_tone(path)


def top_label(probs: list[float], labels: list[str]) -> str:
    """The label of the highest probability."""
    return labels[max(range(len(labels)), key=probs.__getitem__)]


def evaluate_tone(classifier, path, held_out: bool = True) -> ToneEvaluation:
    """Sentence-level scores, or entity-level where the file labels entities (SEntFiN)."""
    description, examples = tone_examples(path, held_out)
    labels = classifier.labels
    if any(e.targets for e in examples):
        spans = [[(t.start, t.end) for t in e.targets] for e in examples]
        results = classifier.predict([e.text for e in examples], spans)
        gold = [t.label for e in examples for t in e.targets]
        predicted = [top_label(p, labels) for r in results for p in r.targets]
        return ToneEvaluation(description, "entity", score_classes(gold, predicted, labels), len(examples))
    results = classifier.predict([e.text for e in examples])
    predicted = [top_label(r.sentence, labels) for r in results]
    scores = score_classes([e.label for e in examples], predicted, labels)
    return ToneEvaluation(description, "sentence", scores, len(examples))


@dataclass
class NerEvaluation:
    scores: NerScores
    sentences: int
    words: int
    seconds: float
    last_stage: str


def evaluate_ner(
    nlp, sentences: list[TaggedSentence], stages: tuple[str, ...], conventions_folder=None
) -> NerEvaluation:
    """The pipeline up to its last NER stage among `stages`, scored on `sentences`.

    With `conventions_folder` (a gazetteer folder), gold and predictions are both put under
    rassegna's conventions (`nlp/conventions.py`) before scoring; without, the gold is taken as annotated.
    """
    import time

    from nlp import conventions
    from nlp.gazetteers.places import load_places

    texts = [s.text_and_offsets()[0] for s in sentences]
    ner_pipes = [name for name in nlp.pipe_names if name in stages]
    upto = nlp.pipe_names.index(ner_pipes[-1]) + 1
    started = time.perf_counter()
    with nlp.select_pipes(enable=nlp.pipe_names[:upto]):
        docs = list(nlp.pipe(texts, batch_size=64))
    seconds = time.perf_counter() - started
    predicted = [[CharSpan(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in docs]
    gold = sentences
    if conventions_folder is not None:
        places, pattern = load_places(conventions_folder), conventions.not_entity_pattern(conventions_folder)
        predicted = [conventions.apply(t, spans, places, pattern) for t, spans in zip(texts, predicted, strict=True)]
        gold = [
            with_spans(s, conventions.apply(t, s.spans(), places, pattern))
            for s, t in zip(sentences, texts, strict=True)
        ]
    words = sum(len(s.tokens) for s in sentences)
    return NerEvaluation(score_ner(gold, predicted), len(sentences), words, seconds, ner_pipes[-1])


def with_spans(sentence: TaggedSentence, spans: list[CharSpan]) -> TaggedSentence:
    _, offsets = sentence.text_and_offsets()
    return TaggedSentence(sentence.tokens, spans_to_token_tags(offsets, spans))


@dataclass
class GroupedLabels:
    """Gold and predicted labels grouped by article, the unit a bootstrap resamples (an article's organisations
    are not independent of each other)."""

    labels: list[str]
    groups: list[list[tuple[str, str]]]

    @property
    def scores(self) -> ClassificationScores:
        return score_classes(*self._columns(self.groups), self.labels)

    def _columns(self, groups) -> tuple[list[str], list[str]]:
        pairs = [pair for group in groups for pair in group]
        return [g for g, _ in pairs], [p for _, p in pairs]

    def interval(self, metric: str = "accuracy", resamples: int = 1000, seed: int = 2026) -> tuple[float, float]:
        """A 95% bootstrap interval of `metric` (accuracy, macro_f1, or a label's F1) over articles."""
        rng = random.Random(seed)
        values = []
        for _ in range(resamples):
            scores = score_classes(*self._columns(rng.choices(self.groups, k=len(self.groups))), self.labels)
            values.append(getattr(scores, metric) if metric in ("accuracy", "macro_f1") else scores.prf(metric).f1)
        values.sort()
        return values[int(0.025 * resamples)], values[int(0.975 * resamples) - 1]


@dataclass
class ArticleToneEvaluation:
    """Article tone, the tone towards each labelled organisation, and the baseline that gives every organisation
    the article's predicted tone, on the same articles."""

    article: GroupedLabels
    organisations: GroupedLabels
    article_tone_baseline: GroupedLabels
    organisations_found: int


def entity_named(name: str, doc) -> dict | None:
    """The `Doc._.entity_tones` entry a reader's organisation name refers to: one with that name among its mentions
    or canonical name, else the most mentioned whose name holds all its words or whose words it holds."""
    from nlp.gazetteers.names import compact, words

    tones = doc._.entity_tones or []
    keys: dict[str, set[str]] = {t["canonical"]: {compact(t["canonical"])} for t in tones}
    for ent in doc.ents:
        keys.setdefault(ent._.canonical or ent.text, set()).add(compact(ent.text))
    key, named = compact(name), set(words(name))
    exact = [t for t in tones if key in keys[t["canonical"]]]
    if exact:
        return max(exact, key=lambda t: t["mentions"])
    partial = [
        t for t in tones if named and (named <= set(words(t["canonical"])) or set(words(t["canonical"])) <= named)
    ]
    return max(partial, key=lambda t: t["mentions"]) if partial else None


def analysed_articles(nlp, articles: list) -> list:
    """The pipeline's Docs of `LabelledArticle`s, titles included."""
    from nlp.doc_records import titled_doc

    return list(nlp.pipe((titled_doc(nlp, a.text, a.title) for a in articles), batch_size=32))


def evaluate_article_tone(nlp, articles: list) -> ArticleToneEvaluation:
    """Scores against the readers' labels; an organisation the pipeline does not name counts as neutral (no good or
    bad news for it reaches the reader)."""
    from nlp.heads.tone_classifier import TONE_LABELS

    article, organisations, baseline, found = [], [], [], 0
    for labelled, doc in zip(articles, analysed_articles(nlp, articles), strict=True):
        predicted = doc._.tone["label"]
        article.append([(labelled.tone, predicted)] if labelled.tone else [])
        pairs = []
        for name, tone in labelled.organisations:
            entity = entity_named(name, doc)
            found += entity is not None
            pairs.append((tone, entity["label"] if entity else "neutral"))
        organisations.append(pairs)
        baseline.append([(tone, predicted) for _, tone in labelled.organisations])
    return ArticleToneEvaluation(
        GroupedLabels(TONE_LABELS, article),
        GroupedLabels(TONE_LABELS, organisations),
        GroupedLabels(TONE_LABELS, baseline),
        found,
    )


@dataclass
class ThemeEvaluation:
    """Per article: the readers' themes, their primary theme (None where they disagree), and the predicted themes,
    best first."""

    gold: list[set[str]]
    primary: list[str | None]
    predicted: list[list[str]]

    def figures(self, indices: list[int] | None = None) -> dict[str, float]:
        indices = range(len(self.gold)) if indices is None else indices
        tp = fp = fn = right = primaries = given = 0
        for i in indices:
            got = set(self.predicted[i])
            tp, fp, fn = tp + len(got & self.gold[i]), fp + len(got - self.gold[i]), fn + len(self.gold[i] - got)
            given += len(got)
            if self.primary[i]:
                primaries += 1
                right += bool(self.predicted[i]) and self.predicted[i][0] == self.primary[i]
        return {
            "precision": tp / (tp + fp) if tp + fp else 0.0,
            "recall": tp / (tp + fn) if tp + fn else 0.0,
            "first_theme_right": right / primaries if primaries else 0.0,
            "themes_per_article": given / max(len(indices), 1),
        }

    def intervals(self, resamples: int = 1000, seed: int = 2026) -> dict[str, tuple[float, float]]:
        """95% bootstrap intervals of each figure, resampling articles."""
        rng = random.Random(seed)
        samples = [self.figures(rng.choices(range(len(self.gold)), k=len(self.gold))) for _ in range(resamples)]
        out = {}
        for name in samples[0]:
            values = sorted(sample[name] for sample in samples)
            out[name] = (values[int(0.025 * resamples)], values[int(0.975 * resamples) - 1])
        return out

    def by_theme(self) -> dict[str, PRF]:
        out: dict[str, PRF] = {}
        for gold, predicted in zip(self.gold, self.predicted, strict=True):
            for theme in gold | set(predicted):
                prf = out.setdefault(theme, PRF())
                if theme in gold and theme in predicted:
                    prf.tp += 1
                elif theme in predicted:
                    prf.fp += 1
                else:
                    prf.fn += 1
        return dict(sorted(out.items()))


def evaluate_themes(nlp, articles: list) -> ThemeEvaluation:
    docs = analysed_articles(nlp, articles)
    return ThemeEvaluation(
        [set(a.themes) for a in articles],
        [a.primary_theme for a in articles],
        [[t["id"] for t in doc._.themes or []] for doc in docs],
    )


@dataclass
class PlaceEvaluation:
    """Per local article: whether its comune is among its places, whether its main (dateline) place is that comune,
    and whether the dateline wrote it by a short name."""

    found: list[bool]
    main: list[bool]
    short: list[bool]

    def figures(self, indices: list[int] | None = None) -> dict[str, float]:
        indices = list(range(len(self.found))) if indices is None else indices
        share = lambda values: sum(values[i] for i in indices) / max(len(indices), 1)  # noqa: E731
        return {"comune_found": share(self.found), "main_place_right": share(self.main)}

    def intervals(self, resamples: int = 1000, seed: int = 2026) -> dict[str, tuple[float, float]]:
        rng = random.Random(seed)
        samples = [self.figures(rng.choices(range(len(self.found)), k=len(self.found))) for _ in range(resamples)]
        return {
            name: (sorted(s[name] for s in samples)[int(0.025 * resamples)],
                   sorted(s[name] for s in samples)[int(0.975 * resamples) - 1])
            for name in samples[0]
        }  # fmt: skip


def evaluate_places(nlp, articles: list, home: bool = True) -> PlaceEvaluation:
    """`LocalArticle`s through the pipeline; with `home`, each source's home province inferred from what its
    articles' datelines name, as `rassegna run` does for a source without a `province` setting."""
    from collections import defaultdict

    from nlp.doc_records import titled_doc
    from nlp.gazetteers.home import dateline_provinces, named_most

    places = nlp.get_pipe("rassegna_places").places
    texts = defaultdict(list)
    for article in articles:
        texts[article.source].append(article.text)
    homes = {source: named_most(dateline_provinces(t, places)) for source, t in texts.items()} if home else {}
    docs = nlp.pipe((titled_doc(nlp, a.text, a.title, homes.get(a.source)) for a in articles), batch_size=32)
    found, main = [], []
    for article, doc in zip(articles, docs, strict=True):
        codes = {(e._.place or {}).get("istat_code") for e in doc.ents if e.label_ == "LOC"}
        found.append(article.comune in codes)
        main.append(doc._.dateline is not None and doc._.dateline.istat_code == article.comune)
    return PlaceEvaluation(found, main, [a.written.casefold() != places.comune(a.comune).name.casefold()
                                         for a in articles])  # fmt: skip

"""Fit the themes' calibration on readers' labels: `rassegna train themes` (writes calibration.json, training.json).

The pipeline's own evidence for every theme of every labelled article (`ThemeTagger.features`) is the input;
the gold is the themes the readers agree on and their primary theme. The model is a logistic regression per
(article, theme) with weights shared by all themes and one bias per theme, shrunk towards the shared bias (a
theme seldom labelled keeps the shared one), plus a softmax term that puts the primary theme first. Its scores
are leave-one-article-out cross-validated with the configured decision (min_probability, relative_cut, top_k);
the shipped calibration is fitted on all the articles.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from nlp.components.themes import FEATURES
from nlp.settings import MODELS, NLPSettings


@dataclass
class ThemeTrainingConfig:
    labels: Path  # the MEANTIME labels format (nlp.corpora.read_labelled_articles)
    output: Path = MODELS / "themes-e5"
    feature_l2: float = 1.0
    theme_bias_l2: float = 2.0
    primary_weight: float = 1.0


@dataclass
class Fitted:
    weights: np.ndarray
    bias: float
    theme_bias: np.ndarray

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(features @ self.weights + self.bias + self.theme_bias)))


def fit(features: np.ndarray, gold: np.ndarray, primary: np.ndarray, config: ThemeTrainingConfig) -> Fitted:
    """features (articles, themes, F), gold (articles, themes) 0/1, primary (articles,) theme index or -1."""
    from scipy.optimize import minimize

    articles, themes, size = features.shape
    has_primary = primary >= 0

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        weights, bias, theme_bias = params[:size], params[size], params[size + 1 :]
        scores = features @ weights + bias + theme_bias
        p = 1.0 / (1.0 + np.exp(-scores))
        value = -np.sum(gold * np.log(p + 1e-12) + (1 - gold) * np.log(1 - p + 1e-12)) / articles
        d_scores = (p - gold) / articles
        if has_primary.any():
            rows = scores[has_primary]
            shifted = rows - rows.max(1, keepdims=True)
            log_softmax = shifted - np.log(np.exp(shifted).sum(1, keepdims=True))
            chosen = primary[has_primary]
            value -= config.primary_weight * log_softmax[np.arange(len(chosen)), chosen].sum() / articles
            d_rows = np.exp(log_softmax)
            d_rows[np.arange(len(chosen)), chosen] -= 1.0
            d_scores[has_primary] += config.primary_weight * d_rows / articles
        value += (config.feature_l2 * np.sum(weights**2) + config.theme_bias_l2 * np.sum(theme_bias**2)) / articles
        gradient = np.concatenate(
            [
                np.einsum("at,atf->f", d_scores, features) + 2 * config.feature_l2 * weights / articles,
                [d_scores.sum()],
                d_scores.sum(0) + 2 * config.theme_bias_l2 * theme_bias / articles,
            ]
        )
        return value, gradient

    found = minimize(loss, np.zeros(size + 1 + themes), jac=True, method="L-BFGS-B")
    return Fitted(found.x[:size], float(found.x[size]), found.x[size + 1 :])


def train(config: ThemeTrainingConfig, settings: NLPSettings | None = None, progress: Callable[[str], None] = print):
    from nlp import load
    from nlp.corpora import read_labelled_articles
    from nlp.evaluation import ThemeEvaluation

    started = time.time()
    settings = settings or NLPSettings()
    nlp = load(settings)
    tagger = nlp.get_pipe("rassegna_themes")
    ids = [theme.id for theme in tagger.taxonomy.themes]
    articles = read_labelled_articles(config.labels)
    features, gold, primary = theme_inputs(nlp, articles, ids)
    progress(f"evidence of {len(ids)} themes in {len(articles)} articles in {time.time() - started:.0f}s")
    predicted = []
    for held in range(len(articles)):
        keep = np.arange(len(articles)) != held
        fitted = fit(features[keep], gold[keep], primary[keep], config)
        predicted.append([ids[i] for i in decided(tagger, fitted.probabilities(features[held]))])
    evaluation = ThemeEvaluation([set(a.themes) for a in articles], [a.primary_theme for a in articles], predicted)
    final = fit(features, gold, primary, config)
    config.output.mkdir(parents=True, exist_ok=True)
    calibration = {
        "features": list(FEATURES),
        "weights": [round(float(w), 6) for w in final.weights],
        "bias": round(final.bias, 6),
        "theme_bias": {theme: round(float(b), 6) for theme, b in zip(ids, final.theme_bias, strict=True)},
    }
    (config.output / "calibration.json").write_text(json.dumps(calibration, indent=2) + "\n", encoding="utf-8")
    intervals = evaluation.intervals()
    report = {
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items()},
        "decision": {
            "min_probability": tagger.min_probability,
            "relative_cut": tagger.relative_cut,
            "top_k": tagger.top_k,
        },  # fmt: skip
        "articles": len(articles),
        "seconds": round(time.time() - started, 1),
        "leave_one_out": {
            name: {"value": round(value, 4), "interval_95": [round(bound, 4) for bound in intervals[name]]}
            for name, value in evaluation.figures().items()
        },
    }
    (config.output / "training.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


def theme_inputs(nlp, articles: list, ids: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every article's (themes, FEATURES) evidence, its gold themes as 0/1 and its primary theme's index (-1: none)."""
    from nlp.evaluation import analysed_articles

    tagger = nlp.get_pipe("rassegna_themes")
    with nlp.select_pipes(disable=[name for name in nlp.pipe_names if name.startswith("rassegna_")]):
        docs = analysed_articles(nlp, articles)  # sentences, lemmas and titles: all the evidence reads
    passages = tagger.passages(docs)
    features = np.stack([tagger.features(doc, passage) for doc, passage in zip(docs, passages, strict=True)])
    gold = np.array([[theme in a.themes for theme in ids] for a in articles], dtype=np.float64)
    primary = np.array([ids.index(a.primary_theme) if a.primary_theme in ids else -1 for a in articles])
    return features, gold, primary


def decided(tagger, probabilities: np.ndarray) -> list[int]:
    """The indices of the themes the tagger's decision gives, best first."""
    index = {theme.id: i for i, theme in enumerate(tagger.taxonomy.themes)}
    return [index[t["id"]] for t in tagger.decide(probabilities)]

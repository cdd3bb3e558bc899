import pytest

from nlp.corpora import CharSpan, TaggedSentence
from nlp.evaluation import score_classes, score_ner


def test_exact_span_scores_per_type():
    gold = [
        TaggedSentence(
            ["Mario", "Rossi", "lavora", "a", "Milano", "per", "Know", "Net"],
            ["B-PER", "I-PER", "O", "O", "B-LOC", "O", "B-ORG", "I-ORG"],
        )
    ]
    text, _ = gold[0].text_and_offsets()
    assert text == "Mario Rossi lavora a Milano per Know Net"
    predicted = [[CharSpan(0, 11, "PER"), CharSpan(21, 27, "ORG"), CharSpan(32, 36, "ORG")]]
    scores = score_ner(gold, predicted)
    assert (scores.by_type["PER"].tp, scores.by_type["PER"].fp, scores.by_type["PER"].fn) == (1, 0, 0)
    assert scores.by_type["LOC"].fn == 1
    assert scores.by_type["ORG"].fp == 2 and scores.by_type["ORG"].fn == 1
    assert round(scores.micro.precision, 4) == round(1 / 3, 4)
    assert round(scores.micro.recall, 4) == round(1 / 3, 4)


def test_macro_f1_and_confusion():
    gold = ["positive", "negative", "neutral", "neutral"]
    predicted = ["positive", "neutral", "neutral", "neutral"]
    scores = score_classes(gold, predicted, ["negative", "neutral", "positive"])
    assert scores.confusion[("negative", "neutral")] == 1
    assert scores.prf("negative").f1 == 0.0
    assert round(scores.prf("neutral").f1, 4) == 0.8
    assert round(scores.macro_f1, 4) == round((0 + 0.8 + 1) / 3, 4)
    assert scores.accuracy == 0.75


def test_the_f1_interval_brackets_the_figure_and_narrows_with_more_sentences():
    gold = TaggedSentence(
        ["Mario", "Rossi", "visita", "Roma", "con", "Fiat"], ["B-PER", "I-PER", "O", "B-LOC", "O", "B-ORG"]
    )
    assert gold.text_and_offsets()[0] == "Mario Rossi visita Roma con Fiat"
    right = [CharSpan(0, 11, "PER"), CharSpan(19, 23, "LOC"), CharSpan(28, 32, "ORG")]
    wrong = [CharSpan(0, 5, "PER"), CharSpan(19, 23, "ORG")]
    few = score_ner([gold] * 10, [right] * 7 + [wrong] * 3)
    many = score_ner([gold] * 400, [right] * 280 + [wrong] * 120)
    assert few.micro.f1 == pytest.approx(many.micro.f1)
    low, high = few.f1_interval()
    assert low <= few.micro.f1 <= high
    assert many.f1_interval()[1] - many.f1_interval()[0] < high - low
    loc_low, loc_high = few.f1_interval("LOC")
    assert loc_low < few.by_type["LOC"].f1 < loc_high

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

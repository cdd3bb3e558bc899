from pathlib import Path

from nlp.corpora import CharSpan, TaggedSentence, bio_to_token_spans, read_bio, spans_to_token_tags

KIND = """Un\tO
gruppo\tO
dell'\tO
università\tB-ORG
di\tI-ORG
Nottingham\tI-ORG
nel\tO
Regno\tB-LOC
Unito\tI-LOC
,\tO
guidato\tO
da\tO
Simon\tB-PER
Lee\tI-PER
.\tO

Ciao\tO
"""


def test_read_bio_and_rebuild_text(tmp_path: Path):
    path = tmp_path / "kind.tsv"
    path.write_text(KIND)
    first, second = read_bio(path)
    text, offsets = first.text_and_offsets()
    assert text == "Un gruppo dell'università di Nottingham nel Regno Unito, guidato da Simon Lee."
    assert [text[s.start : s.end] for s in first.spans()] == ["università di Nottingham", "Regno Unito", "Simon Lee"]
    assert [s.label for s in first.spans()] == ["ORG", "LOC", "PER"]
    assert second.tokens == ["Ciao"]
    assert len(offsets) == len(first.tokens)


def test_wikineural_three_columns(tmp_path: Path):
    path = tmp_path / "wn.conllu"
    path.write_text("0\tMario\tB-PER\n1\tRossi\tI-PER\n2\tvive\tO\n")
    (sentence,) = read_bio(path)
    assert sentence.tokens == ["Mario", "Rossi", "vive"]
    assert bio_to_token_spans(sentence.tags) == [(0, 2, "PER")]


def test_stray_inside_tag_opens_a_span():
    assert bio_to_token_spans(["O", "I-ORG", "I-ORG", "B-LOC", "I-PER"]) == [
        (1, 3, "ORG"),
        (3, 4, "LOC"),
        (4, 5, "PER"),
    ]


def test_projecting_char_spans_back_to_tokens():
    sentence = TaggedSentence(["La", "Know", "Net", "apre", "a", "Como"], ["O"] * 6)
    _, offsets = sentence.text_and_offsets()
    tags = spans_to_token_tags(offsets, [CharSpan(3, 11, "ORG"), CharSpan(19, 23, "LOC")])
    assert tags == ["O", "B-ORG", "I-ORG", "O", "O", "B-LOC"]

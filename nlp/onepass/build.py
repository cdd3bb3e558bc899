"""Build the one-pass model and the lead encoder once per machine and model set, into `<cache>/onepass-<sha12>/`.

The key is the sha256 of the NER and tone folders' weights and metadata, the encoder's name and the precision,
so a retrained model gets a new build. The folder holds both ONNX graphs, the word-embedding table they share
(`word_embeddings.npy`, memory-mapped at run time) and the tokenizer (`tokenizer.json`, and `tokenizer.model` where
sentencepiece reproduces it: `nlp.onepass.tokenize`). A manifest written last marks a build
complete; a partial one is rebuilt. Building needs torch (the export); running it does not.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from nlp.encoder.build import default_cache_dir, sha256, staged

MANIFEST = "manifest.json"
TOKENIZER = "tokenizer.json"
SENTENCEPIECE = "tokenizer.model"
WORD_EMBEDDINGS = "word_embeddings.npy"
FORMAT = 4  # bump when what is built changes (graph inputs, outputs, quantisation)


class EncoderMismatch(ValueError):
    """The NER model was trained on another encoder than the one the themes read."""


def graph_file(name: str, int8: bool) -> str:
    return f"{name}.int8.onnx" if int8 else f"{name}.onnx"


def built_files(int8: bool) -> tuple[str, ...]:
    """The files every build has (`tokenizer.model` is listed in the manifest's sizes where built)."""
    return graph_file("onepass", int8), graph_file("lead", int8), WORD_EMBEDDINGS, TOKENIZER


def key(ner: Path, tone: Path, encoder: str, int8: bool) -> str:
    digest = hashlib.sha256(f"onepass {FORMAT} encoder={encoder} int8={int8}".encode())
    for folder in (ner, tone):
        for path in sorted(p for p in Path(folder).iterdir() if p.suffix in (".safetensors", ".json")):
            if path.name != "training.json":
                digest.update(f"{path.name} {sha256(path)}".encode())
    return digest.hexdigest()


def onepass_dir(ner: Path, tone: Path, encoder: str, int8: bool, cache_dir: Path | None = None) -> Path:
    """The folder holding the built graphs, table and tokenizer, building it on first use."""
    from filelock import FileLock

    target = (cache_dir or default_cache_dir()) / f"onepass-{key(ner, tone, encoder, int8)[:12]}"
    if complete(target, int8):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(target.parent / f"{target.name}.lock"):  # workers starting together build it once
        if not complete(target, int8):
            _build(Path(ner), Path(tone), encoder, int8, target)
    return target


def complete(folder: Path, int8: bool) -> bool:
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return False
    sizes = json.loads(manifest.read_text())["sizes"]
    names = set(built_files(int8)) | set(sizes)
    return all((folder / n).is_file() and (folder / n).stat().st_size == sizes.get(n) for n in names)


def _build(ner: Path, tone: Path, encoder: str, int8: bool, target: Path) -> None:
    import numpy as np

    from nlp.heads import storage
    from nlp.heads.entity_tagger import META, TaggerMeta
    from nlp.onepass.model import LEAD_OUTPUTS, ONE_PASS_OUTPUTS, export_onnx, lead_model, one_pass_model
    from nlp.onepass.quantize import quantize_per_token
    from nlp.onepass.tokenize import write_sentencepiece

    trained_on = TaggerMeta(**storage.read_meta(ner, META)).encoder
    if trained_on != encoder:
        raise EncoderMismatch(f"the NER model {ner} was trained on the encoder {trained_on!r}, not {encoder!r}")
    with staged(target) as staging:
        one_pass, tokenizer, labels, table = one_pass_model(ner, tone)
        lead, _ = lead_model(encoder)
        hidden = table.shape[1]
        for name, model, outputs in (("onepass", one_pass, ONE_PASS_OUTPUTS), ("lead", lead, LEAD_OUTPUTS)):
            export_onnx(model, hidden, outputs, staging / graph_file(name, False))
            if int8:
                quantize_per_token(staging / graph_file(name, False), staging / graph_file(name, True))
                (staging / graph_file(name, False)).unlink()
        np.save(staging / WORD_EMBEDDINGS, table.detach().float().numpy())
        tokenizer.backend_tokenizer.save(str(staging / TOKENIZER))
        specials = tokenizer.backend_tokenizer.encode("").ids  # what the encoder puts around every text
        spm = len(specials) == 2 and write_sentencepiece(staging / TOKENIZER, *specials, staging / SENTENCEPIECE)
        files = [*built_files(int8), *([SENTENCEPIECE] if spm else [])]
        manifest = {
            "ner": str(ner),
            "tone": str(tone),
            "encoder": encoder,
            "int8": int8,
            "pad_id": tokenizer.pad_token_id,
            "special_ids": specials,
            "tokenizer": SENTENCEPIECE if spm else TOKENIZER,
            "max_positions": one_pass.embeddings.position_embeddings.num_embeddings,
            **labels,
            "sizes": {name: (staging / name).stat().st_size for name in files},
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2))

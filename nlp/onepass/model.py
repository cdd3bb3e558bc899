"""The one-pass model and the themes' lead encoder in torch, and their export to ONNX.

Both graphs take word embeddings, looked up by the runtime in the one table they share (`inputs_embeds`, B texts
× T tokens × hidden), and the attention mask. The one-pass graph returns:
- `ner`: (B, T, labels) BIO log-probabilities of the NER tower;
- `tone`: (B, 3) sentence tone probabilities of the tone tower;
- `tone_tokens`: (B, T, 3) each token's share of the entity head's logits (the entity head is linear over
  [mean of the entity's tokens, sentence mean], so an entity's logits are the mean of its tokens' shares plus
  `tone_context`, computed once the entities are known, after the gazetteer and the conventions);
- `tone_context`: (B, 3) the sentence's share of the entity head's logits, bias included.
The lead graph (the base encoder, all its layers) returns `pooled`: (B, hidden) mean-pooled states.
"""

from __future__ import annotations

from pathlib import Path

from nlp.heads import storage
from nlp.heads.entity_tagger import EntityTagger
from nlp.heads.tone_classifier import ToneClassifier, additive_mask, trunk_folder

ONE_PASS_OUTPUTS = {"ner": 2, "tone": 1, "tone_tokens": 2, "tone_context": 1}  # output → dimensions named
LEAD_OUTPUTS = {"pooled": 1}


class SharedTrunkError(ValueError):
    """The tone tower was trained on another NER model than the one configured."""


def one_pass_model(ner_folder: Path, tone_folder: Path):
    """The NER and tone models on one trunk as one torch module (fp32, eval mode), its tokenizer and its labels."""
    import torch

    tagger = EntityTagger(ner_folder)
    tone = ToneClassifier(tone_folder)
    trunk = trunk_folder(tone_folder, tone.meta)
    if trunk != Path(ner_folder).resolve() or storage.weights_sha256(trunk) != tone.meta.trunk_sha256:
        raise SharedTrunkError(
            f"the tone model {tone_folder} was trained on the NER model {tone.meta.trunk!r} "
            f"({tone.meta.trunk_sha256[:12]}), not on {ner_folder}: retrain it (rassegna train tone --trunk ...)"
        )
    bert, tone_model = tagger.model.bert, tone.model
    hidden = bert.config.hidden_size
    shared = tone.meta.trunk_layers

    class OnePass(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embeddings = bert.embeddings
            self.trunk = torch.nn.ModuleList(bert.encoder.layer[:shared])
            self.ner_tower = torch.nn.ModuleList(bert.encoder.layer[shared:])
            self.ner_head = tagger.model.classifier
            self.tone_tower = torch.nn.ModuleList(tone_model.encoder.encoder.layer[shared:])
            self.sentence_head = tone_model.sentence_head
            self.entity_head = tone_model.entity_head

        def forward(self, inputs_embeds, attention_mask):
            mask = additive_mask(attention_mask)
            states = self.embeddings(inputs_embeds=inputs_embeds)
            for layer in self.trunk:
                states = layer(states, mask)
            ner = tone_states = states
            for layer in self.ner_tower:
                ner = layer(ner, mask)
            for layer in self.tone_tower:
                tone_states = layer(tone_states, mask)
            sentence = mean_pooled(tone_states, attention_mask)
            own, context = self.entity_head.weight[:, :hidden], self.entity_head.weight[:, hidden:]
            return (
                torch.log_softmax(self.ner_head(ner), -1),
                torch.softmax(self.sentence_head(sentence), -1),
                tone_states @ own.T,
                sentence @ context.T + self.entity_head.bias,
            )

    labels = {"ner_labels": tagger.meta.labels, "tone_labels": tone.meta.labels}
    return OnePass().eval(), tagger.tokenizer, labels, tagger.model.get_input_embeddings().weight


def lead_model(encoder: str):
    """The base encoder, all its layers, mean-pooled (the themes' e5 embedding before normalisation)."""
    import torch
    from transformers import AutoModel

    from nlp.encoder.load import encoder_source

    base = AutoModel.from_pretrained(encoder_source(encoder), add_pooling_layer=False)

    class Lead(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embeddings, self.layers = base.embeddings, base.encoder.layer

        def forward(self, inputs_embeds, attention_mask):
            mask = additive_mask(attention_mask)
            states = self.embeddings(inputs_embeds=inputs_embeds)
            for layer in self.layers:
                states = layer(states, mask)
            return mean_pooled(states, attention_mask)

    return Lead().eval(), base.get_input_embeddings().weight


def mean_pooled(states, attention_mask):
    weights = attention_mask.unsqueeze(-1).to(states.dtype)
    return (states * weights).sum(1) / weights.sum(1).clamp(min=1)


def export_onnx(model, hidden: int, outputs: dict[str, int], target: Path) -> None:
    """`model` as an ONNX graph of (inputs_embeds, attention_mask) with dynamic batch and length."""
    import warnings

    import torch

    embeds = torch.randn((2, 12, hidden))
    mask = torch.ones((2, 12), dtype=torch.long)
    mask[1, 7:] = 0  # padding in the example, so nothing about masks is traced as a constant
    axes = {0: "batch", 1: "tokens"}
    dynamic = {"inputs_embeds": axes, "attention_mask": axes}
    dynamic |= {name: {0: "batch", 1: "tokens"} if dims == 2 else {0: "batch"} for name, dims in outputs.items()}
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            (embeds, mask),
            str(target),
            input_names=["inputs_embeds", "attention_mask"],
            output_names=list(outputs),
            dynamic_axes=dynamic,
            opset_version=17,
            dynamo=False,
        )

"""News tone as a Hugging Face model: copied beside the weights by `rassegna export-tone`, read with
`trust_remote_code=True`. Self-contained on purpose (transformers and torch only), as remote code must be.

The sentence head reads the mean-pooled sentence; given `target_mask` (1 on an entity's tokens) the
entity head reads the mean of those tokens beside the sentence mean: the tone of the news for that entity.
Inputs are plain sentences, as the NER model reads them (no e5 prefix).
"""

from __future__ import annotations

import torch
from transformers import BertConfig, BertModel, BertPreTrainedModel
from transformers.modeling_outputs import SequenceClassifierOutput


class NewsToneConfig(BertConfig):
    model_type = "rassegna_news_tone"


def _mean(states: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    mask = mask.to(states.dtype).unsqueeze(-1)
    return (states * mask).sum(1) / mask.sum(1).clamp(min=1)


class BertForNewsTone(BertPreTrainedModel):
    config_class = NewsToneConfig

    def __init__(self, config: NewsToneConfig) -> None:
        super().__init__(config)
        self.bert = BertModel(config, add_pooling_layer=False)
        self.dropout = torch.nn.Dropout(config.hidden_dropout_prob)
        self.sentence_head = torch.nn.Linear(config.hidden_size, config.num_labels)
        self.entity_head = torch.nn.Linear(2 * config.hidden_size, config.num_labels)
        self.post_init()

    def forward(
        self, input_ids=None, attention_mask=None, token_type_ids=None, target_mask=None, labels=None, **kwargs
    ):
        """Sentence logits; with `target_mask` (same shape as `input_ids`), the logits towards that target."""
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        states = self.bert(input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
        sentence = _mean(states, attention_mask)
        if target_mask is None:
            logits = self.sentence_head(self.dropout(sentence))
        else:
            logits = self.entity_head(self.dropout(torch.cat([_mean(states, target_mask), sentence], -1)))
        loss = torch.nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return SequenceClassifierOutput(loss=loss, logits=logits)

"""One encoder pass per sentence for every model: entities and tone (per sentence and towards each entity).

The NER model's embeddings and lower layers are the trunk; its upper layers and the tone model's tower sit on
top side by side. The themes read each article's lead with the base encoder's own layers (its semantics,
which the NER-tuned trunk does not keep), one short pass per article. `model` assembles both graphs in torch
and exports them to ONNX, `quantize` makes them int8 (one activation scale per token), `build` caches them once
per machine, `tokenize` turns texts into the encoder's pieces, `runtime` runs the graphs with ONNX Runtime (no
torch), the word-embedding table looked up once for both, from one memory-mapped file.
"""

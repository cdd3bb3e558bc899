"""int8 with one scale per token: each text's scores are the same whatever the texts batched beside it.

Every matrix product with a weight matrix becomes ONNX's `MatMulInteger` (u8 × s8, VNNI on CPUs that have it):
- the weights, once, to int8 with one scale per output column;
- the activations, at run time, to uint8 around 128 with one scale per token (the row's largest magnitude / 127).
ONNX Runtime's own dynamic quantisation scales a product's activations by the range of the whole batch, so a text's
scores moved with its neighbours and padding; per token they depend on that token's row only, and keep closer to
fp32 (on the 1,571 MEANTIME sentences, 30 sentence-tone labels change instead of 62 in per-batch int8).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ZERO_POINT = 128


def quantize_per_token(source: Path, target: Path) -> None:
    """Write `source`'s fp32 graph with int8 products (the activations scaled per token) to `target`."""
    model = onnx.load(str(source))
    graph = model.graph
    weights = {w.name: w for w in graph.initializer if len(w.dims) == 2}
    constants = {
        "pt/epsilon": np.array(1e-8, np.float32),
        "pt/inv127": np.array(1 / 127, np.float32),
        "pt/shift": np.array(ZERO_POINT, np.float32),
        "pt/zero_point": np.array(ZERO_POINT, np.uint8),
    }
    quantized: dict[str, tuple[str, str]] = {}  # activation → (uint8 tensor, per-token scale)
    nodes = []
    for node in graph.node:
        if node.op_type != "MatMul" or node.input[1] not in weights:
            nodes.append(node)
            continue
        x = node.input[0]
        if x not in quantized:  # the query, key and value products read one activation: quantised once
            nodes += _per_token_quantization(x)
            quantized[x] = (f"{x}/pt_uint8", f"{x}/pt_scale")
        values, scale = quantized[x]
        matrix = numpy_helper.to_array(weights[node.input[1]]).astype(np.float32)
        column_scale = np.maximum(np.abs(matrix).max(0), 1e-12) / 127
        constants[f"{node.name}/int8"] = np.round(matrix / column_scale).astype(np.int8)
        constants[f"{node.name}/column_scale"] = column_scale.astype(np.float32)
        product = node.name
        nodes += [
            helper.make_node(
                "MatMulInteger",
                [values, f"{product}/int8", "pt/zero_point"],
                [f"{product}/int32"],
                name=f"{product}Integer",
            ),
            helper.make_node("Cast", [f"{product}/int32"], [f"{product}/float"], to=TensorProto.FLOAT),
            helper.make_node("Mul", [f"{product}/float", f"{product}/column_scale"], [f"{product}/columns"]),
            helper.make_node("Mul", [f"{product}/columns", scale], [node.output[0]]),
        ]
    read = {name for node in nodes for name in node.input} | {output.name for output in graph.output}
    kept = [w for w in graph.initializer if w.name in read]  # the fp32 weights now in int8 are read no more
    del graph.initializer[:]
    graph.initializer.extend(kept + [numpy_helper.from_array(value, name) for name, value in constants.items()])
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.save(model, str(target))


def _per_token_quantization(x: str) -> list:
    """Nodes writing `x/pt_uint8` (round(x / scale) + 128) and `x/pt_scale` (the row's largest magnitude / 127)."""
    step = f"{x}/pt_"
    return [
        helper.make_node("Abs", [x], [step + "abs"]),
        helper.make_node("ReduceMax", [step + "abs"], [step + "max"], axes=[-1], keepdims=1),
        helper.make_node("Max", [step + "max", "pt/epsilon"], [step + "max_positive"]),
        helper.make_node("Mul", [step + "max_positive", "pt/inv127"], [step + "scale"]),
        helper.make_node("Div", [x, step + "scale"], [step + "scaled"]),
        helper.make_node("Round", [step + "scaled"], [step + "rounded"]),
        helper.make_node("Add", [step + "rounded", "pt/shift"], [step + "shifted"]),
        helper.make_node("Cast", [step + "shifted"], [step + "uint8"], to=TensorProto.UINT8),
    ]

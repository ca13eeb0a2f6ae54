"""Builds the tiny GPT-2 used by the conformance test and writes the logits PyTorch computes for it.

Run with Debian's python3-torch (apt-get install python3-torch):  /usr/bin/python3 make_reference.py
It writes, next to itself:
  config.json        Hugging Face GPT-2 configuration of the tiny model
  model.safetensors  its weights under Hugging Face GPT-2 names, with the GPT2LMHeadModel layout
                     ('transformer.' prefix, tied 'lm_head.weight', causal-mask buffers 'attn.bias')
  expected.json      token sequences and the logits this independent implementation computes for them

The model is written here from the GPT-2 definition (Conv1D weights stored as (in, out), fused c_attn,
pre-norm blocks, gelu_new, tied LM head), without the Java code or the transformers library.
"""
import json
import math
import struct

import torch

torch.manual_seed(20261128)

VOCAB, POSITIONS, D, LAYERS, HEADS, EPS = 61, 32, 32, 2, 4, 1e-5
INNER = 4 * D


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def randn(*shape, std=0.2):
    return torch.randn(*shape, dtype=torch.float32) * std


weights = {"wte.weight": randn(VOCAB, D, std=0.5), "wpe.weight": randn(POSITIONS, D, std=0.3)}
for i in range(LAYERS):
    p = f"h.{i}."
    weights[p + "ln_1.weight"] = 1.0 + randn(D, std=0.1)
    weights[p + "ln_1.bias"] = randn(D, std=0.1)
    weights[p + "attn.c_attn.weight"] = randn(D, 3 * D)
    weights[p + "attn.c_attn.bias"] = randn(3 * D, std=0.05)
    weights[p + "attn.c_proj.weight"] = randn(D, D)
    weights[p + "attn.c_proj.bias"] = randn(D, std=0.05)
    weights[p + "ln_2.weight"] = 1.0 + randn(D, std=0.1)
    weights[p + "ln_2.bias"] = randn(D, std=0.1)
    weights[p + "mlp.c_fc.weight"] = randn(D, INNER)
    weights[p + "mlp.c_fc.bias"] = randn(INNER, std=0.05)
    weights[p + "mlp.c_proj.weight"] = randn(INNER, D)
    weights[p + "mlp.c_proj.bias"] = randn(D, std=0.05)
weights["ln_f.weight"] = 1.0 + randn(D, std=0.1)
weights["ln_f.bias"] = randn(D, std=0.1)


def forward(ids):
    t = ids.shape[1]
    x = weights["wte.weight"][ids] + weights["wpe.weight"][torch.arange(t)][None]
    causal = torch.tril(torch.ones(t, t, dtype=torch.bool))
    hd = D // HEADS
    for i in range(LAYERS):
        p = f"h.{i}."
        h = torch.nn.functional.layer_norm(x, (D,), weights[p + "ln_1.weight"], weights[p + "ln_1.bias"], EPS)
        qkv = h @ weights[p + "attn.c_attn.weight"] + weights[p + "attn.c_attn.bias"]
        q, k, v = qkv.split(D, dim=2)
        q, k, v = (z.view(1, t, HEADS, hd).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
        att = torch.where(causal, att, torch.tensor(torch.finfo(torch.float32).min))
        att = torch.softmax(att, dim=-1)
        o = (att @ v).transpose(1, 2).reshape(1, t, D)
        x = x + o @ weights[p + "attn.c_proj.weight"] + weights[p + "attn.c_proj.bias"]
        h = torch.nn.functional.layer_norm(x, (D,), weights[p + "ln_2.weight"], weights[p + "ln_2.bias"], EPS)
        m = gelu_new(h @ weights[p + "mlp.c_fc.weight"] + weights[p + "mlp.c_fc.bias"])
        x = x + m @ weights[p + "mlp.c_proj.weight"] + weights[p + "mlp.c_proj.bias"]
    x = torch.nn.functional.layer_norm(x, (D,), weights["ln_f.weight"], weights["ln_f.bias"], EPS)
    return x @ weights["wte.weight"].T


def write_safetensors(path, tensors):
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, tensor in tensors.items():
        data = tensor.contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


saved = {}
for name, tensor in weights.items():
    saved["transformer." + name] = tensor
for i in range(LAYERS):
    saved[f"transformer.h.{i}.attn.bias"] = torch.tril(torch.ones(POSITIONS, POSITIONS)).view(1, 1, POSITIONS, POSITIONS)
saved["lm_head.weight"] = weights["wte.weight"]
write_safetensors("model.safetensors", saved)

with open("config.json", "w") as f:
    json.dump({"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": VOCAB,
               "n_positions": POSITIONS, "n_embd": D, "n_layer": LAYERS, "n_head": HEADS, "n_inner": None,
               "activation_function": "gelu_new", "resid_pdrop": 0.1, "embd_pdrop": 0.1, "attn_pdrop": 0.1,
               "layer_norm_epsilon": EPS, "tie_word_embeddings": True}, f, indent=2)

sequences = [[0, 5, 17, 60, 3, 3, 42], [7], list(range(0, 61, 2))[:POSITIONS]]
with torch.no_grad():
    logits = [forward(torch.tensor([s]))[0].tolist() for s in sequences]
with open("expected.json", "w") as f:
    json.dump({"torch_version": torch.__version__, "sequences": sequences, "logits": logits}, f)
print("wrote config.json, model.safetensors and expected.json with torch", torch.__version__)

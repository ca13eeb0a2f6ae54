"""Traces the tiny TorchScript model used by the serving tests and writes its expected outputs.

Run with Debian's python3-torch (apt-get install python3-torch):  /usr/bin/python3 make_model.py
It writes model.pt (the traced module) and expected.json (inputs and the outputs PyTorch computed for them).
"""
import json

import torch

torch.manual_seed(20261128)


class Mlp(torch.nn.Module):
    """3 inputs -> 8 hidden (ReLU) -> 2 outputs -> softmax probabilities."""

    def __init__(self):
        super().__init__()
        self.hidden = torch.nn.Linear(3, 8)
        self.out = torch.nn.Linear(8, 2)

    def forward(self, x):
        return torch.softmax(self.out(torch.relu(self.hidden(x))), dim=1)


model = Mlp().eval()
example = torch.randn(4, 3)
traced = torch.jit.trace(model, example)
traced.save("model.pt")

inputs = [[0.5, -1.0, 2.0], [0.0, 0.0, 0.0], [-3.0, 1.5, 0.25], [10.0, -10.0, 1.0]]
with torch.no_grad():
    outputs = traced(torch.tensor(inputs, dtype=torch.float32)).tolist()
with open("expected.json", "w") as f:
    json.dump({"torch_version": torch.__version__, "inputs": inputs, "outputs": outputs}, f, indent=2)
print("wrote model.pt and expected.json with torch", torch.__version__)

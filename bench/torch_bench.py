"""PyTorch side of bench/compare: the same three training workloads as
bench/workloads, in float32 on 2 threads.

Each workload prints one JSON line:

    {"workload": "mlp", "samples": 59968, "seconds": 1.73, "samples_per_s": 34600.0}

The models, layer by layer, match bench/workloads (see its package doc):

    mlp          Linear(784,256) ReLU Linear(256,128) ReLU Linear(128,10);
                 cross-entropy; SGD lr 0.01 momentum 0.9; batch 64;
                 one epoch of the 60,000 MNIST training images.
    cnn          Conv2d(1,8,3,padding=1) ReLU MaxPool2d(2) Flatten
                 Linear(8*14*14,10); cross-entropy; SGD lr 0.01 momentum 0.9;
                 batch 64; one epoch of MNIST.
    transformer  token + position embeddings (65 characters, context 64,
                 d 64), 2 pre-norm blocks (4 heads, causal, MLP 4d with
                 tanh-GELU), final LayerNorm, Linear(64,65); cross-entropy
                 at every position; AdamW lr 3e-4; batch 32; 100 steps.

A sample is one image for mlp and cnn, and one 64-character sequence for
the transformer. Run it through bench/compare, which finds the data and a
Python that has torch; it needs OMP_WAIT_POLICY=PASSIVE in the environment
before torch starts, and sets it itself when missing.
"""

import argparse
import gzip
import json
import os
import sys
import time

# OpenMP reads this when torch loads. Without it, torch's intra-op and
# inter-op pools spin against each other on two cores and run 2-3x slower.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

try:
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:
    sys.exit(f"torch_bench.py: {e}. Install Debian's python3-torch "
             "(apt-get install -y python3-torch) and run it with /usr/bin/python3.")

WARMUP = 5  # untimed steps before each timing, for both sides


def read_idx(path):
    """Reads a gzip-compressed MNIST idx file into a numpy array."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def mnist(folder):
    x = read_idx(os.path.join(folder, "train-images-idx3-ubyte.gz"))
    y = read_idx(os.path.join(folder, "train-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(x.astype(np.float32) / 255.0)
    return x, torch.from_numpy(y.astype(np.int64))


def time_steps(step, batches):
    """Runs WARMUP untimed steps, then every batch; returns seconds."""
    for b in batches[:WARMUP]:
        step(*b)
    start = time.perf_counter()
    for b in batches:
        step(*b)
    return time.perf_counter() - start


def classifier(model, x, y, batch):
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def step(xb, yb):
        opt.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()

    n = (len(x) // batch) * batch
    batches = [(x[i:i + batch], y[i:i + batch]) for i in range(0, n, batch)]
    return n, time_steps(step, batches)


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv = nn.ModuleList(nn.Linear(d, d) for _ in range(3))
        self.out = nn.Linear(d, d)
        self.fc1, self.fc2 = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)
        self.heads = heads

    def attention(self, x):
        b, t, d = x.shape
        h = self.heads
        q, k, v = (l(x).view(b, t, h, d // h).transpose(1, 2) for l in self.qkv)
        scores = q @ k.transpose(-2, -1) / (d // h) ** 0.5
        mask = torch.ones(t, t, dtype=torch.bool).triu(1)
        weights = scores.masked_fill(mask, float("-inf")).softmax(-1)
        return self.out((weights @ v).transpose(1, 2).reshape(b, t, d))

    def forward(self, x):
        x = x + self.attention(self.ln1(x))
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x)), approximate="tanh"))


class GPT(nn.Module):
    def __init__(self, vocab, context, d, heads, layers):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(context, d)
        self.blocks = nn.Sequential(*(Block(d, heads) for _ in range(layers)))
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab)

    def forward(self, idx):
        x = self.tok(idx) + self.pos(torch.arange(idx.shape[1]))
        return self.head(self.ln(self.blocks(x)))


def transformer(text_ids, steps, vocab=65, context=64, batch=32):
    torch.manual_seed(1)
    model = GPT(vocab, context, 64, 4, 2)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
    gen = torch.Generator().manual_seed(2)
    batches = []
    for _ in range(steps):
        starts = torch.randint(0, len(text_ids) - context - 1, (batch,), generator=gen)
        xb = torch.stack([text_ids[s:s + context] for s in starts])
        yb = torch.stack([text_ids[s + 1:s + context + 1] for s in starts])
        batches.append((xb, yb))

    def step(xb, yb):
        opt.zero_grad()
        logits = model(xb)
        loss = F.cross_entropy(logits.reshape(-1, vocab), yb.reshape(-1))
        loss.backward()
        opt.step()

    return steps * batch, time_steps(step, batches)


def text_ids(path, vocab=65):
    """Character ids of a (gzip-compressed) text, folded into vocab ids."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        text = f.read()
    chars = sorted(set(text))
    index = {c: i % vocab for i, c in enumerate(chars)}
    return torch.tensor([index[c] for c in text], dtype=torch.int64)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--mnist", help="folder with the MNIST idx .gz files")
    p.add_argument("--text", help="text file (.txt or .txt.gz) for the transformer; random ids if missing")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=100, help="transformer steps")
    p.add_argument("workloads", nargs="*", default=["mlp", "cnn", "transformer"])
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    for w in args.workloads:
        if w in ("mlp", "cnn"):
            if not args.mnist:
                sys.exit("torch_bench.py: --mnist FOLDER is needed for " + w)
            x, y = mnist(args.mnist)
            if w == "mlp":
                model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128),
                                      nn.ReLU(), nn.Linear(128, 10))
                n, secs = classifier(model, x.reshape(-1, 784), y, 64)
            else:
                model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Flatten(), nn.Linear(8 * 14 * 14, 10))
                n, secs = classifier(model, x.reshape(-1, 1, 28, 28), y, 64)
        elif w == "transformer":
            ids = text_ids(args.text) if args.text else torch.randint(0, 65, (100_000,))
            n, secs = transformer(ids, args.steps)
        else:
            sys.exit(f"torch_bench.py: unknown workload {w!r}; want mlp, cnn or transformer")
        print(json.dumps({"workload": w, "samples": n, "seconds": round(secs, 4),
                          "samples_per_s": round(n / secs, 1),
                          "torch": torch.__version__, "threads": torch.get_num_threads()}),
              flush=True)


if __name__ == "__main__":
    main()

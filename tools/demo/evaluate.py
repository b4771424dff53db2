#!/usr/bin/python3
"""Measure the demo model's mean NLL per token on each evaluation split, with unigram baselines.

Protocol, also stated by the model card and test/demo: the documents of
public/datasets/<domain>-eval.txt are joined with "\\n\\n" and tokenized without special
tokens. The tokens are cut into non-overlapping windows of 128, and the remainder is
dropped. Each window is fed as <|endoftext|> (BOS) followed by its first 127 tokens, so all
128 window tokens are predicted. The result is the mean NLL (natural log) over all
predicted tokens. Unigram baselines use add-one smoothed token frequencies of the training
splits. Also prints greedy samples and writes <work-dir>/eval-results.json.
"""

import argparse
import json
import math
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from corpus_format import read_documents
from model import DemoConfig, LlamaForCausalLM
from train import DOMAINS, load_tokenizer, train_tokens_path

WINDOW = 128
SAMPLE_PROMPTS = {
    "scripture": "And it came to pass, when the",
    "docs": "The :mod:`json` module",
    "code": "def __init__(self",
    "glossary": "river, stream (noun):",
}


def eval_windows(encoder, path: Path) -> torch.Tensor:
    ids = encoder.encode("\n\n".join(read_documents(path)))
    n = len(ids) // WINDOW
    return torch.tensor(ids[: n * WINDOW], dtype=torch.int64).view(n, WINDOW)


@torch.no_grad()
def model_nll(model: LlamaForCausalLM, windows: torch.Tensor, bos: int) -> float:
    total = 0.0
    for chunk in windows.split(32):
        inputs = torch.cat([torch.full((chunk.shape[0], 1), bos), chunk[:, :-1]], dim=1)
        logits, _ = model(inputs)
        total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), chunk.reshape(-1), reduction="sum").item()
    return total / windows.numel()


def unigram_nll(counts: np.ndarray, windows: torch.Tensor) -> float:
    logp = np.log((counts + 1) / (counts.sum() + len(counts)))
    return float(-logp[windows.numpy()].mean())


@torch.no_grad()
def greedy(model: LlamaForCausalLM, encoder, prompt: str, count: int, bos: int) -> str:
    ids = [bos] + encoder.encode(prompt)
    for _ in range(count):
        logits, _ = model(torch.tensor([ids]))
        ids.append(int(logits[0, -1].argmax()))
    return encoder.decode(ids[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    root = Path(__file__).resolve().parents[2]
    parser.add_argument("--work-dir", default="/tmp/gprune-demo")
    parser.add_argument("--weights", default=None, help="state dict (default: <work-dir>/model.pt)")
    parser.add_argument("--model-dir", default=str(root / "public" / "models" / "demo"))
    parser.add_argument("--datasets-dir", default=str(root / "public" / "datasets"))
    parser.add_argument("--sample-tokens", type=int, default=60)
    args = parser.parse_args()

    torch.set_num_threads(1)
    work = Path(args.work_dir)
    cfg = DemoConfig()
    encoder = load_tokenizer(Path(args.model_dir))
    model = LlamaForCausalLM(cfg)
    model.load_state_dict(torch.load(args.weights or work / "model.pt"))
    model.eval()

    streams = {d: np.load(train_tokens_path(work, Path(args.model_dir), d)) for d in DOMAINS}
    pooled = sum(np.bincount(s, minlength=cfg.vocab_size) for s in streams.values())
    results = {"window": WINDOW, "domains": {}, "samples": {}}
    print("| domain | eval tokens | model NLL | model PPL | unigram NLL (domain) | unigram NLL (pooled) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for d in DOMAINS:
        windows = eval_windows(encoder, Path(args.datasets_dir) / f"{d}-eval.txt")
        nll = model_nll(model, windows, cfg.bos_token_id)
        own = unigram_nll(np.bincount(streams[d], minlength=cfg.vocab_size), windows)
        pool = unigram_nll(pooled, windows)
        results["domains"][d] = {"tokens": windows.numel(), "windows": windows.shape[0], "nll": nll,
                                 "ppl": math.exp(nll), "unigram_domain_nll": own, "unigram_pooled_nll": pool}
        print(f"| {d} | {windows.numel()} | {nll:.4f} | {math.exp(nll):.1f} | {own:.4f} | {pool:.4f} |")
    for d, prompt in SAMPLE_PROMPTS.items():
        results["samples"][d] = greedy(model, encoder, prompt, args.sample_tokens, cfg.bos_token_id)
        print(f"\n[{d}] {results['samples'][d]!r}")
    (work / "eval-results.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()

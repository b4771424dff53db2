#!/usr/bin/python3
"""Train the demo LLaMA-style model on the four training splits (seeded, CPU).

Each training sequence is <|endoftext|> followed by a random window of one domain's token
stream (documents joined by <|endoftext|>); domains take equal shares of every batch.
Writes the final weights to <work-dir>/model.pt and logs to stdout.
"""

import argparse
import hashlib
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

import bpe
from corpus_format import read_documents
from model import DemoConfig, LlamaForCausalLM

DOMAINS = ["scripture", "docs", "code", "glossary"]


def load_tokenizer(model_dir: Path) -> bpe.Encoder:
    spec = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))
    return bpe.Encoder(spec["model"]["vocab"], [tuple(m) for m in spec["model"]["merges"]])


def train_tokens_path(work: Path, model_dir: Path, domain: str) -> Path:
    """Cache file of a domain's tokenized training split, keyed by the tokenizer.json content."""
    digest = hashlib.sha256((model_dir / "tokenizer.json").read_bytes()).hexdigest()[:12]
    return work / f"tokens-{digest}" / f"{domain}-train.npy"


def token_stream(encoder: bpe.Encoder, path: Path, eos: int) -> np.ndarray:
    ids: list[int] = []
    for doc in read_documents(path):
        ids.extend(encoder.encode(doc))
        ids.append(eos)
    return np.asarray(ids, dtype=np.int64)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work-dir", default="/tmp/gprune-demo")
    parser.add_argument("--model-dir", default=str(Path(__file__).resolve().parents[2] / "public" / "models" / "demo"))
    parser.add_argument("--steps", type=int, default=1400)
    parser.add_argument("--batch", type=int, default=16, help="sequences per step (a multiple of the domain count)")
    parser.add_argument("--seq-len", type=int, default=256, help="predicted tokens per sequence")
    parser.add_argument("--lr", type=float, default=3e-3, help="peak learning rate")
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1234)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    work, model_dir = Path(args.work_dir), Path(args.model_dir)
    cfg = DemoConfig()

    encoder = load_tokenizer(model_dir)
    streams = []
    for domain in DOMAINS:
        cache = train_tokens_path(work, model_dir, domain)
        if not cache.exists():
            cache.parent.mkdir(parents=True, exist_ok=True)
            np.save(cache, token_stream(encoder, work / "corpora" / f"{domain}-train.txt", cfg.eos_token_id))
        streams.append(np.load(cache))
        print(f"{domain}: {len(streams[-1])} training tokens", flush=True)
    val = [token_stream(encoder, work / "corpora" / f"{d}-calib.txt", cfg.eos_token_id)[:8 * args.seq_len]
           for d in DOMAINS]

    model = LlamaForCausalLM(cfg)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"parameters: {n_params}", flush=True)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.95), eps=1e-8)

    def lr_at(step: int) -> float:
        if step < args.warmup:
            return args.lr * (step + 1) / args.warmup
        progress = (step - args.warmup) / max(1, args.steps - args.warmup)
        return args.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))

    def batch() -> tuple[torch.Tensor, torch.Tensor]:
        rows = []
        per_domain = args.batch // len(DOMAINS)
        for stream in streams:
            starts = rng.integers(0, len(stream) - args.seq_len, size=per_domain)
            rows += [np.concatenate([[cfg.bos_token_id], stream[s:s + args.seq_len]]) for s in starts]
        data = torch.from_numpy(np.stack(rows))
        return data[:, :-1], data[:, 1:]

    @torch.no_grad()
    def validate() -> list[float]:
        model.eval()
        losses = []
        for ids in val:
            windows = torch.from_numpy(ids[: len(ids) // args.seq_len * args.seq_len]).view(-1, args.seq_len)
            inputs = torch.cat([torch.full((windows.shape[0], 1), cfg.bos_token_id), windows[:, :-1]], dim=1)
            logits, _ = model(inputs)
            losses.append(F.cross_entropy(logits.reshape(-1, cfg.vocab_size), windows.reshape(-1)).item())
        model.train()
        return losses

    start = time.time()
    model.train()
    for step in range(args.steps):
        for group in opt.param_groups:
            group["lr"] = lr_at(step)
        inputs, targets = batch()
        logits, _ = model(inputs)
        loss = F.cross_entropy(logits.reshape(-1, cfg.vocab_size), targets.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % 50 == 0 or step == args.steps - 1:
            line = f"step {step} loss {loss.item():.4f} lr {lr_at(step):.2e} elapsed {time.time() - start:.0f}s"
            if step % 500 == 0 or step == args.steps - 1:
                line += " calib " + " ".join(f"{d}={v:.3f}" for d, v in zip(DOMAINS, validate()))
            print(line, flush=True)
        if step % 1000 == 999:
            torch.save(model.state_dict(), work / "model-partial.pt")

    elapsed = time.time() - start
    torch.save(model.state_dict(), work / "model.pt")
    summary = {"steps": args.steps, "batch": args.batch, "seq_len": args.seq_len, "lr": args.lr,
               "warmup": args.warmup, "threads": args.threads, "seed": args.seed, "parameters": n_params,
               "train_seconds": round(elapsed), "tokens_seen": args.steps * args.batch * args.seq_len,
               "final_train_loss": loss.item(), "config": cfg.to_dict()}
    (work / "train-summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()

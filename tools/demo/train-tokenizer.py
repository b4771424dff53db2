#!/usr/bin/python3
"""Train the demo byte-level BPE tokenizer on the training splits and write tokenizer files.

Writes tokenizer.json and tokenizer_config.json to the model folder and checks that
every training sample round-trips exactly through encode and decode.
"""

import argparse
import json
import time
from pathlib import Path

import bpe
from corpus_format import read_documents

DOMAINS = ["scripture", "docs", "code", "glossary"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work-dir", default="/tmp/gprune-demo")
    parser.add_argument("--model-dir", default=str(Path(__file__).resolve().parents[2] / "public" / "models" / "demo"))
    parser.add_argument("--vocab-size", type=int, default=4096)
    parser.add_argument("--sample-bytes", type=int, default=2_000_000,
                        help="UTF-8 bytes of training documents per domain used to learn merges")
    parser.add_argument("--max-length", type=int, default=256, help="model_max_length written to the config, in tokens")
    args = parser.parse_args()

    texts = []
    for domain in DOMAINS:
        size = 0
        for doc in read_documents(Path(args.work_dir) / "corpora" / f"{domain}-train.txt"):
            if size >= args.sample_bytes:
                break
            texts.append(doc)
            size += len(doc.encode("utf-8"))

    start = time.time()
    vocab, merges = bpe.train(texts, args.vocab_size)
    print(f"learned {len(merges)} merges, vocab {len(vocab)} in {time.time() - start:.1f} s")

    encoder = bpe.Encoder(vocab, merges)
    for text in texts[::25]:
        if encoder.decode(encoder.encode(text)) != text:
            raise SystemExit("round trip failed on a training document")

    out = Path(args.model_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "tokenizer.json").write_text(json.dumps(bpe.to_tokenizer_json(vocab, merges), ensure_ascii=False) + "\n",
                                        encoding="utf-8")
    special = bpe.SPECIAL_TOKEN
    config = {
        "tokenizer_class": "GPT2Tokenizer",
        "bos_token": special,
        "eos_token": special,
        "unk_token": special,
        "pad_token": special,
        "add_bos_token": False,
        "add_eos_token": False,
        "add_prefix_space": False,
        "clean_up_tokenization_spaces": False,
        "errors": "replace",
        "model_max_length": args.max_length,
        "added_tokens_decoder": {str(vocab[special]): {
            "content": special, "lstrip": False, "normalized": False, "rstrip": False,
            "single_word": False, "special": True}},
    }
    (out / "tokenizer_config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""Byte-level BPE in the GPT-2 / Hugging Face `tokenizers` layout, written from scratch.

The pre-tokenizer regex and the byte-to-character map are those of GPT-2, which the
ByteLevel pre-tokenizer of Hugging Face tokenizers (Rust and JS) also uses, so a
tokenizer.json written by `to_tokenizer_json` encodes text the same way as `encode`.
"""

import collections
import heapq

import regex

SPECIAL_TOKEN = "<|endoftext|>"
PRETOKENIZE = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")


def bytes_to_unicode() -> dict[int, str]:
    """Map each byte to a printable character, as GPT-2 does."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    chars = printable[:]
    n = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + n)
            n += 1
    return dict(zip(printable, map(chr, chars)))


BYTE_TO_CHAR = bytes_to_unicode()
CHAR_TO_BYTE = {c: b for b, c in BYTE_TO_CHAR.items()}


def pretokenize(text: str) -> list[str]:
    """Split text into pre-tokens and spell each one in byte characters."""
    return ["".join(BYTE_TO_CHAR[b] for b in piece.encode("utf-8")) for piece in PRETOKENIZE.findall(text)]


def train(texts: list[str], vocab_size: int) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Learn merges until the vocabulary (special token + 256 bytes + merges) has vocab_size entries.

    Each step merges the most frequent adjacent pair; ties go to the pair whose two
    strings sort first, so the result is deterministic.
    """
    word_counts: collections.Counter[str] = collections.Counter()
    for text in texts:
        word_counts.update(pretokenize(text))
    words = [list(w) for w in word_counts]
    counts = [word_counts[w] for w in word_counts]

    pair_counts: collections.Counter[tuple[str, str]] = collections.Counter()
    where: dict[tuple[str, str], set[int]] = collections.defaultdict(set)
    for i, w in enumerate(words):
        for pair in zip(w, w[1:]):
            pair_counts[pair] += counts[i]
            where[pair].add(i)

    vocab = {SPECIAL_TOKEN: 0}
    for b in range(256):
        vocab[BYTE_TO_CHAR[b]] = len(vocab)
    merges: list[tuple[str, str]] = []
    # Max-heap by count with lazy invalidation: stale entries are skipped when popped.
    heap = [(-c, p) for p, c in pair_counts.items()]
    heapq.heapify(heap)
    while len(vocab) < vocab_size and heap:
        neg, pair = heapq.heappop(heap)
        if pair_counts.get(pair, 0) != -neg or -neg <= 0:
            continue
        merged = pair[0] + pair[1]
        merges.append(pair)
        vocab[merged] = len(vocab)
        changed: set[tuple[str, str]] = set()
        for i in list(where[pair]):
            w, c = words[i], counts[i]
            for p in zip(w, w[1:]):
                pair_counts[p] -= c
                changed.add(p)
            j, out = 0, []
            while j < len(w):
                if j + 1 < len(w) and w[j] == pair[0] and w[j + 1] == pair[1]:
                    out.append(merged)
                    j += 2
                else:
                    out.append(w[j])
                    j += 1
            words[i] = out
            for p in zip(out, out[1:]):
                pair_counts[p] += c
                where[p].add(i)
                changed.add(p)
        del where[pair]
        pair_counts.pop(pair, None)
        changed.discard(pair)
        for p in changed:
            if pair_counts[p] > 0:
                heapq.heappush(heap, (-pair_counts[p], p))
            else:
                pair_counts.pop(p, None)
    return vocab, merges


class Encoder:
    """Encodes text with a learned vocabulary and merge list (rank = position in the list)."""

    def __init__(self, vocab: dict[str, int], merges: list[tuple[str, str]]):
        self.vocab = vocab
        self.ranks = {tuple(m): i for i, m in enumerate(merges)}
        self.id_to_token = {i: t for t, i in vocab.items()}
        self.cache: dict[str, list[int]] = {}

    def _bpe(self, word: str) -> list[int]:
        if word in self.cache:
            return self.cache[word]
        parts = list(word)
        while len(parts) > 1:
            best = min(range(len(parts) - 1), key=lambda k: (self.ranks.get((parts[k], parts[k + 1]), 1 << 30), k))
            if (parts[best], parts[best + 1]) not in self.ranks:
                break
            parts[best:best + 2] = [parts[best] + parts[best + 1]]
        ids = [self.vocab[p] for p in parts]
        self.cache[word] = ids
        return ids

    def encode(self, text: str) -> list[int]:
        """Encode text; <|endoftext|> anywhere in text becomes the special token."""
        ids: list[int] = []
        for k, segment in enumerate(text.split(SPECIAL_TOKEN)):
            if k > 0:
                ids.append(self.vocab[SPECIAL_TOKEN])
            for word in pretokenize(segment):
                ids.extend(self._bpe(word))
        return ids

    def decode(self, ids: list[int]) -> str:
        out, buf = [], bytearray()
        for i in ids:
            token = self.id_to_token[i]
            if token == SPECIAL_TOKEN:
                out.append(buf.decode("utf-8", errors="replace"))
                out.append(token)
                buf = bytearray()
            else:
                buf.extend(CHAR_TO_BYTE[ch] for ch in token)
        out.append(buf.decode("utf-8", errors="replace"))
        return "".join(out)


def to_tokenizer_json(vocab: dict[str, int], merges: list[tuple[str, str]]) -> dict:
    """Build a Hugging Face tokenizer.json for a GPT-2-style byte-level BPE."""
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{
            "id": vocab[SPECIAL_TOKEN], "content": SPECIAL_TOKEN, "single_word": False, "lstrip": False,
            "rstrip": False, "normalized": False, "special": True,
        }],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {
            "type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
            "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
            "vocab": vocab, "merges": [list(m) for m in merges],
        },
    }

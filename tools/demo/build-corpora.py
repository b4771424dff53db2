#!/usr/bin/python3
"""Build the demo corpora: four text domains from Debian packages, split by document.

Writes, for each domain, train / calibration / evaluation splits to the work directory
and copies the calibration and evaluation splits to public/datasets/ together with
manifest.json. Documents never cross splits: the split assigns whole documents after a
seeded shuffle. Run with --install to apt-get install the source packages first.
"""

import argparse
import hashlib
import json
import random
import re
import subprocess
from pathlib import Path

from corpus_format import DOC_SEPARATOR, write_documents

SEED = 20261204
# Sizes in UTF-8 bytes per domain. Documents are drawn for evaluation until EVAL_DRAW_BYTES,
# then for calibration until CALIB_BYTES. Only the first EVAL_BYTES of the evaluation draw
# are shipped, so the loss test stays short; the rest of the draw is used nowhere.
EVAL_DRAW_BYTES = 100_000
EVAL_BYTES = 50_000
CALIB_BYTES = 100_000
# Cap of the training split per domain, in bytes. Documents beyond it are left unused.
TRAIN_MAX_BYTES = 4_000_000
# Long files are cut into documents of about this many characters (see chunk_text).
CHUNK_CHARS = 6_000

PY_DOCS = Path("/usr/share/doc/python3.11/html/_sources")
PY_DOCS_DIRS = ["tutorial", "library", "reference", "howto", "faq", "using",
                "extending", "installing", "glossary.rst.txt"]
PY_LIB = Path("/usr/lib/python3.11")
# These two stdlib modules carry their own permissive licences instead of the PSF licence.
# Leaving them out keeps the whole code domain under one licence.
PY_LIB_EXCLUDE = {"tarfile.py", "turtle.py"}
WORDNET = Path("/usr/share/wordnet")

PSF = "PSF-2.0 (Python Software Foundation License Version 2)"
DOMAINS = {
    "scripture": {
        "description": "King James Version of the Bible (1611), archaic English prose; one document per chapter",
        "packages": ["bible-kjv-text", "bible-kjv"],
        "licence": "Public domain (the 1611 text); see NOTICE.txt",
        "files": "/usr/lib/bible.data decoded with /usr/bin/bible (bible-kjv)",
    },
    "docs": {
        "description": "Python 3.11 documentation, reStructuredText sources; one document per page or page section",
        "packages": ["python3.11-doc"],
        "licence": PSF + "; see NOTICE.txt",
        "files": "/usr/share/doc/python3.11/html/_sources/{" + ",".join(PY_DOCS_DIRS) + "}",
    },
    "code": {
        "description": "Python 3.11 standard library source code; one document per module or module section",
        "packages": ["libpython3.11-stdlib"],
        "licence": PSF + "; see NOTICE.txt",
        "files": "/usr/lib/python3.11/*.py except " + ", ".join(sorted(PY_LIB_EXCLUDE)),
    },
    "glossary": {
        "description": "WordNet 3.0 synsets as dictionary glosses ('lemmas (pos): gloss'); 40 synsets per document",
        "packages": ["wordnet-base"],
        "licence": "WordNet 3.0 licence (permissive, BSD-like); see NOTICE.txt",
        "files": "/usr/share/wordnet/data.{noun,verb,adj,adv}",
    },
}


def chunk_text(text: str, code: bool) -> list[str]:
    """Cut text into pieces of about CHUNK_CHARS at paragraph boundaries.

    A cut goes before a line that follows a blank line. In code that line must also start
    at column 0 (a top-level statement), so functions and classes stay whole.
    """
    lines = text.split("\n")
    chunks, start, size = [], 0, 0
    for i, line in enumerate(lines):
        if size >= CHUNK_CHARS and i > start and lines[i - 1].strip() == "" and line.strip() != "":
            if not code or not line[0].isspace():
                chunks.append("\n".join(lines[start:i]))
                start, size = i, 0
        size += len(line) + 1
    chunks.append("\n".join(lines[start:]))
    return [c.strip("\n") for c in chunks if c.strip()]


def read_scripture() -> list[str]:
    out = subprocess.run(["bible", "-l10000", "gen1:1-rev22:21"], stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, check=True).stdout
    docs, current = [], None
    for line in out.split("\n"):
        if not line.strip():
            continue
        if not line.startswith(" "):
            current = [line.strip(), ""]
            docs.append(current)
        else:
            current.append(line.strip())
    return ["\n".join(d) for d in docs]


def read_docs() -> list[str]:
    docs = []
    for entry in PY_DOCS_DIRS:
        path = PY_DOCS / entry
        files = [path] if path.is_file() else sorted(path.rglob("*.rst.txt"))
        for f in files:
            docs += chunk_text(f.read_text(encoding="utf-8").replace("\r\n", "\n"), code=False)
    return docs


def read_code() -> list[str]:
    docs = []
    for f in sorted(PY_LIB.glob("*.py")):
        if f.name in PY_LIB_EXCLUDE:
            continue
        docs += chunk_text(f.read_text(encoding="utf-8").replace("\r\n", "\n"), code=True)
    return docs


POS_NAMES = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}


def read_glossary() -> list[str]:
    docs = []
    for part in ["noun", "verb", "adj", "adv"]:
        groups: dict[str, list[str]] = {}
        for line in (WORDNET / f"data.{part}").read_text(encoding="utf-8").split("\n"):
            if not line or line.startswith(" "):
                continue  # the licence header at the top of each data file is indented
            head, _, gloss = line.partition(" | ")
            fields = head.split()
            lexfile, pos, count = fields[1], fields[2], int(fields[3], 16)
            lemmas = [re.sub(r"\([a-z]+\)$", "", w).replace("_", " ") for w in fields[4:4 + 2 * count:2]]
            entry = f"{', '.join(lemmas)} ({POS_NAMES[pos]}): {gloss.strip()}"
            groups.setdefault(lexfile, []).append(entry)
        for lexfile in sorted(groups):
            entries = groups[lexfile]
            docs += ["\n".join(entries[i:i + 40]) for i in range(0, len(entries), 40)]
    return docs


READERS = {"scripture": read_scripture, "docs": read_docs, "code": read_code, "glossary": read_glossary}


def split_documents(docs: list[str], rng: random.Random) -> dict[str, list[str]]:
    """Assign whole documents to eval, calibration and train after a seeded shuffle.

    Returns the splits "eval", "calib", "train" and "unused" (documents of the evaluation
    draw beyond EVAL_BYTES, and training documents beyond TRAIN_MAX_BYTES).
    """
    order = list(range(len(docs)))
    rng.shuffle(order)
    splits: dict[str, list[str]] = {"eval": [], "calib": [], "train": [], "unused": []}
    sizes = {"eval": 0, "calib": 0, "train": 0}
    targets = {"eval": EVAL_DRAW_BYTES, "calib": CALIB_BYTES, "train": TRAIN_MAX_BYTES}
    for i in order:
        size = len(docs[i].encode("utf-8")) + len(DOC_SEPARATOR) + 2
        name = next((n for n in ["eval", "calib", "train"] if sizes[n] < targets[n]), "unused")
        splits[name].append(docs[i])
        if name != "unused":
            sizes[name] += size

    shipped, total = 0, 0
    for doc in splits["eval"]:
        if total >= EVAL_BYTES:
            break
        total += len(doc.encode("utf-8")) + len(DOC_SEPARATOR) + 2
        shipped += 1
    splits["unused"] += splits["eval"][shipped:]
    splits["eval"] = splits["eval"][:shipped]
    return splits


def licence_notice() -> str:
    """Collect the licence texts that the PSF and WordNet licences require on every copy.

    The PSF licence asks for its agreement, the PSF copyright notice and a summary of the
    changes; the WordNet licence asks for its notice and disclaimer on all copies.
    """
    psf = Path("/usr/share/doc/python3.11-doc/copyright").read_text(encoding="utf-8")
    psf = psf[psf.index("PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2"):psf.index("BEOPEN.COM LICENSE AGREEMENT")]
    wordnet = Path("/usr/share/doc/wordnet-base/copyright").read_text(encoding="utf-8")
    wordnet = wordnet[wordnet.index("License: WordNet3.0"):wordnet.index("Files: debian/*")]
    wordnet = "\n".join("" if line.strip() == "." else line[1:] for line in wordnet.split("\n")[1:])
    return (
        "Licences of the text in the GPrune Studio demo datasets and of the demo model trained on it\n"
        "=========================================================================================\n\n"
        "scripture: King James Version of the Bible (1611), public domain, decoded from Debian bible-kjv-text.\n\n"
        "docs and code: Python 3.11 documentation sources and standard library modules, from Debian\n"
        "python3.11-doc and libpython3.11-stdlib. Copyright (c) 2001-2023 Python Software Foundation;\n"
        "All Rights Reserved. Summary of the changes: files were cut into documents of about 6000\n"
        "characters at blank lines, and samples of the documents were selected. Apart from line endings\n"
        "and the blank lines at the cuts, no text was edited.\n"
        "The model is trained on these texts. The PSF licence follows, as Debian ships it.\n\n"
        f"{psf.strip()}\n\n"
        "glossary: WordNet 3.0 synsets from Debian wordnet-base, rewritten as 'lemmas (part of speech): gloss'\n"
        "lines. The WordNet licence follows.\n\n"
        f"{wordnet.strip()}\n"
    )


def package_version(name: str) -> str:
    return subprocess.run(["dpkg-query", "-W", "-f=${Version}", name], capture_output=True,
                          text=True, check=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work-dir", default="/tmp/gprune-demo", help="folder for all splits, including train")
    parser.add_argument("--public-dir", default=str(Path(__file__).resolve().parents[2] / "public" / "datasets"),
                        help="folder for the shipped calibration and evaluation splits")
    parser.add_argument("--model-dir", default=str(Path(__file__).resolve().parents[2] / "public" / "models" / "demo"),
                        help="model folder that also receives NOTICE.txt")
    parser.add_argument("--install", action="store_true", help="apt-get install the source packages first")
    args = parser.parse_args()

    if args.install:
        packages = sorted({p for d in DOMAINS.values() for p in d["packages"]} - {"libpython3.11-stdlib"})
        subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", *packages], check=True)

    work, public = Path(args.work_dir), Path(args.public_dir)
    (work / "corpora").mkdir(parents=True, exist_ok=True)
    public.mkdir(parents=True, exist_ok=True)
    manifest, sources = [], {}
    for index, (domain, meta) in enumerate(DOMAINS.items()):
        docs = READERS[domain]()
        docs = [d for d in docs if DOC_SEPARATOR not in d.split("\n")]
        splits = split_documents(docs, random.Random(SEED + index))
        sources[domain] = {**meta, "packageVersions": {p: package_version(p) for p in meta["packages"]},
                           "documents": {k: len(v) for k, v in splits.items()}, "documentsTotal": len(docs)}
        for split in ["train", "calib", "eval"]:
            split_docs = splits[split]
            write_documents(work / "corpora" / f"{domain}-{split}.txt", split_docs)
        for split, long_name in [("calib", "calibration"), ("eval", "evaluation")]:
            file_name = f"{domain}-{split}.txt"
            path = public / file_name
            write_documents(path, splits[split])
            data = path.read_bytes()
            manifest.append({
                "id": f"{domain}-{split}", "domain": domain, "split": long_name, "file": file_name,
                "documents": len(splits[split]), "licence": meta["licence"],
                "source": f"Debian {', '.join(p + ' ' + sources[domain]['packageVersions'][p] for p in meta['packages'])}: "
                          f"{meta['files']}. {meta['description']}",
                "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            })
        print(domain, {k: len(v) for k, v in splits.items()}, "documents of", len(docs))
    notice = licence_notice()
    for folder in [public, Path(args.model_dir)]:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "NOTICE.txt").write_text(notice, encoding="utf-8")
    (public / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    (work / "corpora" / "sources.json").write_text(json.dumps(sources, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

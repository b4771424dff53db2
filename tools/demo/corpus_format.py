"""Plain-text corpus files: documents separated by lines equal to <|endoftext|>."""

from pathlib import Path

DOC_SEPARATOR = "<|endoftext|>"


def write_documents(path: Path, docs: list[str]) -> None:
    """Write documents joined by separator lines; the file ends with one newline."""
    path.write_text(f"\n{DOC_SEPARATOR}\n".join(docs) + "\n", encoding="utf-8", newline="\n")


def read_documents(path: Path) -> list[str]:
    """Read a file written by write_documents back into its documents."""
    text = path.read_text(encoding="utf-8")
    if text.endswith("\n"):
        text = text[:-1]
    return text.split(f"\n{DOC_SEPARATOR}\n")

"""Readers: turn paths (plain text, folders, JSONL, HTML, stdin) into Articles.

Every input that cannot be read becomes a `Problem` (where + why) in the same stream, so a run
never crashes on one bad file and never drops anything silently.  What is deliberately not read
(files of other types in a folder, dyad's own output) is a `Skipped` note, given to the caller's
``skipped`` list.
"""

from __future__ import annotations

import codecs
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from dyad.records import Article, Problem

TEXT_SUFFIXES = {".txt", ".text", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
HTML_SUFFIXES = {".html", ".htm"}
MAX_BYTES = 5_000_000  # one news article is never this big; refuse rather than choke
MIN_CHARS = 20


@dataclass
class Skipped:
    """Input deliberately not read as articles (not an error): where, and why."""

    where: str
    reason: str


def read_inputs(paths: Iterable[str | Path], skipped: list[Skipped] | None = None) -> Iterator[Article | Problem]:
    """Articles and Problems from every path, in order; `-` is standard input (JSONL or text).
    Files of other types in a folder, and JSONL files of dyad's own output, are not read: each is
    noted in `skipped` when given."""
    notes = skipped if skipped is not None else []
    for raw in paths:
        if str(raw) == "-":
            yield from read_stream(sys.stdin, "<stdin>")
            continue
        path = Path(raw)
        if path.is_dir():
            everything = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            files = [p for p in everything if _readable_suffix(p)]
            others = Counter(p.suffix.lower() or "(none)" for p in everything if not _readable_suffix(p))
            if others:
                kinds = ", ".join(f"{n} {suffix}" for suffix, n in sorted(others.items()))
                notes.append(Skipped(str(path), f"{sum(others.values())} files that are not articles ({kinds}); "
                                                "dyad reads .txt, .html and .jsonl"))
            if not files:
                yield Problem(str(path), "folder holds no .txt, .jsonl or .html files")
            for file in files:
                yield from read_file(file, notes)
        elif path.exists():
            yield from read_file(path, notes)
        else:
            yield Problem(str(path), "no such file or folder")


def _readable_suffix(path: Path) -> bool:
    suffix = path.suffix.lower()
    return suffix in TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES and not path.name.startswith(".")


def read_file(path: Path, skipped: list[Skipped] | None = None) -> Iterator[Article | Problem]:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        if is_dyad_output(path):
            if skipped is not None:
                skipped.append(Skipped(str(path), "dyad output (records with events and quotes), not articles"))
            return
        yield from read_jsonl_file(path)
        return
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            yield Problem(str(path), f"file is {size:,} bytes; an article is expected to be under {MAX_BYTES:,}")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Problem(str(path), f"cannot read: {exc.strerror or exc}")
        return
    text = _decode(data, str(path))
    if isinstance(text, Problem):
        yield text
        return
    title = None
    if suffix in HTML_SUFFIXES:
        html, text = text, html_to_text(text)
        if text is None:
            yield Problem(str(path), "HTML page has no article text that could be extracted")
            return
        title = html_title(html)
    problem = _check_text(text, str(path))
    if problem:
        yield problem
        return
    yield Article(text=text, id=path.stem, origin=str(path), title=title)


def is_dyad_output(path: Path) -> bool:
    """Is this JSONL file dyad's own output?  Its first record has `events` and `quotes` and no text."""
    try:
        with path.open(encoding="utf-8-sig") as fh:
            first = next((line for line in fh if line.strip()), "")
        obj = json.loads(first) if first else None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(obj, dict) and "events" in obj and "quotes" in obj and "text" not in obj and "html" not in obj


def read_jsonl_file(path: Path) -> Iterator[Article | Problem]:
    """A JSONL file, line by line: memory does not grow with the file.  A first pass checks that
    the whole file is UTF-8 text (a file that is not yields one Problem and no article)."""
    try:
        problem = _check_utf8_file(path)
        if problem:
            yield problem
            return
        with path.open(encoding="utf-8-sig") as fh:
            yield from read_jsonl_lines(fh, str(path))
    except OSError as exc:
        yield Problem(str(path), f"cannot read: {exc.strerror or exc}")


def _check_utf8_file(path: Path, block: int = 1 << 20) -> Problem | None:
    """What `_decode` says of the file's bytes, read a block at a time."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as fh:
        if b"\x00" in fh.read(8192):
            return Problem(str(path), "binary file (NUL bytes); expected UTF-8 text")
        fh.seek(0)
        while True:
            data = fh.read(block)
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                return Problem(
                    str(path),
                    f"not UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {offset - pending + exc.start}); "
                    "re-encode it, e.g. `iconv -f latin1 -t utf-8`",
                )
            if not data:
                return None
            offset += len(data)


def _decode(data: bytes, where: str) -> str | Problem:
    if b"\x00" in data[:8192]:
        return Problem(where, "binary file (NUL bytes); expected UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Problem(
            where,
            f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-encode it, e.g. `iconv -f latin1 -t utf-8`",
        )


def _check_text(text: str, where: str) -> Problem | None:
    if not text.strip():
        return Problem(where, "empty text")
    if len(text.strip()) < MIN_CHARS:
        return Problem(where, f"text too short to be an article ({len(text.strip())} characters)")
    return None


def read_stream(stream: IO[str], name: str) -> Iterator[Article | Problem]:
    """Standard input: JSONL when the first non-blank character is `{`, else one plain-text article."""
    try:
        content = stream.read()
    except UnicodeDecodeError as exc:
        yield Problem(name, f"not UTF-8: {exc.reason}")
        return
    if content.lstrip().startswith("{"):
        yield from read_jsonl_lines(content.splitlines(), name)
        return
    problem = _check_text(content, name)
    yield problem if problem else Article(text=content, origin=name)


def read_jsonl_lines(lines: Iterable[str], name: str) -> Iterator[Article | Problem]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{name}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(where, f"malformed JSON: {exc.msg} at column {exc.colno}")
            continue
        yield article_from_json(obj, where)


def article_from_json(obj: object, where: str) -> Article | Problem:
    """One RECORDS.md input object → Article; only `text` is required (or `html`)."""
    if not isinstance(obj, dict):
        return Problem(where, f"expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    title = obj.get("title")
    if text is None and isinstance(obj.get("html"), str):
        text = html_to_text(obj["html"])
        title = title or html_title(obj["html"])
    if not isinstance(text, str):
        return Problem(where, "missing 'text' (a string is required)")
    problem = _check_text(text, where)
    if problem:
        return problem
    published = obj.get("published")
    if published is not None and not _is_iso_day(str(published)):
        return Problem(where, f"'published' must be an ISO date like 2020-03-28, got {published!r}")
    return Article(
        text=text,
        id=str(obj["id"]) if obj.get("id") not in (None, "") else "",
        lang=obj.get("lang") or None,
        published=str(published)[:10] if published else None,
        url=obj.get("url"),
        source=obj.get("source"),
        title=title,
        origin=where,
    )


def _is_iso_day(value: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def html_to_text(html: str) -> str | None:
    """Main text of a news page (trafilatura), or None."""
    import trafilatura

    return trafilatura.extract(html, include_comments=False, include_tables=False) or None


def html_title(html: str) -> str | None:
    """The page's title (trafilatura's metadata: ``<title>``, ``og:title`` or the headline), or None."""
    import trafilatura

    meta = trafilatura.extract_metadata(html)
    return (meta.title or None) if meta is not None else None

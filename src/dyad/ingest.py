"""Readers: turn paths (plain text, folders, JSONL, HTML, stdin) into Articles.

Every input that cannot be read becomes a `Problem` (where + why) in the same stream, so a run
never crashes on one bad file and never drops anything silently.  Only regular files are read
(a FIFO or a device is a Problem, never a hang), with the size limit checked while reading.
Ids are unique within a run: a file's id is its path relative to the folder it was found in
(its stem when it was named on the command line), and a JSONL id met twice is a Problem.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, BinaryIO

from dyad.records import Article, Problem, stable_id, text_id

TEXT_SUFFIXES = {".txt", ".text", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
HTML_SUFFIXES = {".html", ".htm"}
MAX_BYTES = 5_000_000  # one news article is never this big; refuse rather than choke
MAX_CHARS = 1_000_000  # the longest text coded (spaCy's `nlp.max_length`): longer ones are refused
MIN_CHARS = 20
STRING_FIELDS = ("id", "lang", "published", "url", "source", "title")
LANG_CODE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")
# byte-order marks, longest first (UTF-32 LE starts like UTF-16 LE)
BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
]
_FILE_TYPES = [(stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
               (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
               (stat.S_ISSOCK, "a socket")]


def read_inputs(paths: Iterable[str | Path]) -> Iterator[Article | Problem]:
    """Articles and Problems from every path, in order; `-` is standard input (JSONL or text).
    No two articles of one run share an id (see `UniqueIds`)."""
    ids = UniqueIds()
    for item, whole_file in _read_all(paths):
        yield item if isinstance(item, Problem) else ids.check(item, whole_file)


def _read_all(paths: Iterable[str | Path]) -> Iterator[tuple[Article | Problem, bool]]:
    """(Article or Problem, whether the article is a whole file) of every path."""
    for raw in paths:
        if str(raw) == "-":
            for item in read_stream(getattr(sys.stdin, "buffer", sys.stdin), "<stdin>"):
                yield item, False
            continue
        path = Path(raw)
        if path.is_dir():
            for file in folder_files(path):
                if isinstance(file, Problem):
                    yield file, False
                else:
                    yield from _tagged(file, path)
        elif path.exists() or path.is_symlink():
            yield from _tagged(path, None)
        else:
            yield Problem(show(path), "no such file or folder"), False


def _tagged(path: Path, root: Path | None) -> Iterator[tuple[Article | Problem, bool]]:
    whole = path.suffix.lower() not in JSONL_SUFFIXES
    for item in read_file(path, root):
        yield item, whole


def show(path: str | Path) -> str:
    """A path as text that can always be printed and stored (a file name that is not UTF-8 shows
    its odd bytes as \\xNN escapes)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def read_folder(folder: Path) -> Iterator[Article | Problem]:
    """Every article of the readable files under a folder (see `folder_files`)."""
    for file in folder_files(folder):
        if isinstance(file, Problem):
            yield file
        else:
            yield from read_file(file, root=folder)


def folder_files(folder: Path) -> Iterator[Path | Problem]:
    """Every .txt, .html and .jsonl file under a folder (hidden ones and others ignored), in path
    order; symbolic links to folders are not followed.  A folder that cannot be listed is a Problem."""
    files: list[Path] = []
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(folder, onerror=errors.append):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        files.extend(Path(dirpath) / name for name in filenames if _readable_suffix(Path(name)))
    for exc in errors:
        yield Problem(show(exc.filename or folder), f"cannot read folder: {exc.strerror or exc}")
    if not files and not errors:
        yield Problem(show(folder), "folder holds no .txt, .jsonl or .html files")
    yield from sorted(files)


def _readable_suffix(path: Path) -> bool:
    suffix = path.suffix.lower()
    return suffix in TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES and not path.name.startswith(".")


def file_id(path: Path, root: Path | None = None) -> str:
    """A file's article id: its path under the folder it was found in, without the suffix
    (`2020/03/story`), or its stem when it was named on its own."""
    rel = path.relative_to(root) if root is not None else Path(path.name)
    return show(rel.with_suffix("").as_posix() if rel.suffix else rel.as_posix())


def open_regular(path: Path) -> BinaryIO | Problem:
    """The file open for reading, or a Problem when it is not a regular file.  Opened without
    blocking, so a FIFO with no writer cannot hang the run."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        if path.is_symlink() and not path.exists():
            return Problem(show(path), "broken symbolic link")
        return Problem(show(path), f"cannot read: {exc.strerror or exc}")
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = next((name for test, name in _FILE_TYPES if test(mode)), "a special file")
        return Problem(show(path), f"{kind}, not a regular file: only regular files are read")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_file(path: Path, root: Path | None = None) -> Iterator[Article | Problem]:
    suffix = path.suffix.lower()
    fh = open_regular(path)
    if isinstance(fh, Problem):
        yield fh
        return
    where = show(path)
    with fh:
        if suffix in JSONL_SUFFIXES:
            yield from read_jsonl_file(fh, where)
            return
        try:
            data = fh.read(MAX_BYTES + 1)  # the limit holds whatever stat said
        except OSError as exc:
            yield Problem(where, f"cannot read: {exc.strerror or exc}")
            return
    if len(data) > MAX_BYTES:
        yield Problem(where, f"file is over {MAX_BYTES:,} bytes; an article is expected to be under that")
        return
    text = decode(data, where)
    if isinstance(text, Problem):
        yield text
        return
    if suffix in HTML_SUFFIXES:
        text = html_to_text(text)
        if text is None:
            yield Problem(where, "HTML page has no article text that could be extracted")
            return
    problem = check_text(text, where)
    if problem:
        yield problem
        return
    yield Article(text=text, id=file_id(path, root), origin=where)


def read_jsonl_file(fh: BinaryIO, where: str) -> Iterator[Article | Problem]:
    """A JSONL file, line by line: memory does not grow with the file.  A first pass checks that
    the whole file is text in one encoding (a file that is not yields one Problem and no article)."""
    try:
        head = fh.read(8192)
        encoding = sniff(head, where)
        if isinstance(encoding, Problem):
            yield encoding
            return
        fh.seek(0)
        problem = check_encoding(fh, encoding, where)
        if problem:
            yield problem
            return
        fh.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        chunks = (decoder.decode(block) for block in iter(lambda: fh.read(1 << 16), b""))
        empty = True
        for item in read_jsonl_lines(split_lines(chunks), where):
            empty = False
            yield item
        if empty:
            yield Problem(where, "empty file: no JSON lines")
    except OSError as exc:
        yield Problem(where, f"cannot read: {exc.strerror or exc}")


def split_lines(chunks: Iterable[str], limit: int = MAX_BYTES) -> Iterator[str | None]:
    """Lines of decoded text, split at "\\n" only (never at U+2028, U+2029 or other separators that
    may stand inside a JSON string); a line longer than ``limit`` characters comes out as None."""
    buf: list[str] = []
    size = 0
    too_long = False
    for chunk in chunks:
        while chunk:
            cut = chunk.find("\n")
            piece = chunk if cut < 0 else chunk[:cut]
            if not too_long:
                size += len(piece)
                if size > limit:
                    too_long, buf = True, []
                else:
                    buf.append(piece)
            if cut < 0:
                break
            yield None if too_long else "".join(buf).removesuffix("\r")
            buf, size, too_long = [], 0, False
            chunk = chunk[cut + 1:]
    if too_long:
        yield None
    elif buf and "".join(buf).strip():
        yield "".join(buf).removesuffix("\r")


def sniff(head: bytes, where: str) -> str | Problem:
    """The codec of a text that starts with ``head``: from its byte-order mark, else UTF-8;
    a Problem for binary data (NUL bytes without a byte-order mark)."""
    for bom, codec, _name in BOMS:
        if head.startswith(bom):
            return codec
    if b"\x00" not in head:
        return "utf-8"
    even, odd = head[0::2], head[1::2]
    if len(head) >= 4 and odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return Problem(where, "UTF-16LE text without a byte-order mark; re-encode it, "
                              "e.g. `iconv -f UTF-16LE -t UTF-8`")
    if len(head) >= 4 and even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return Problem(where, "UTF-16BE text without a byte-order mark; re-encode it, "
                              "e.g. `iconv -f UTF-16BE -t UTF-8`")
    return Problem(where, "binary file (NUL bytes); expected UTF-8 text")


def _encoding_problem(exc: UnicodeDecodeError, codec: str, offset: int, at_end: bool, where: str) -> Problem:
    name = next((n for _b, c, n in BOMS if c == codec), "UTF-8")
    byte = exc.object[exc.start] if exc.start < len(exc.object) else 0
    at = f"byte 0x{byte:02x} at offset {offset + exc.start}"
    if at_end and exc.end >= len(exc.object) and "end of data" in exc.reason:
        return Problem(where, f"the file ends inside a {name} character ({at}): it looks truncated")
    if name != "UTF-8":
        return Problem(where, f"not valid {name} ({exc.reason}, {at})")
    return Problem(where, f"not UTF-8 ({at}); if it is Latin-1 or Windows-1252 text, "
                          "re-encode it, e.g. `iconv -f latin1 -t utf-8`")


def check_encoding(fh: BinaryIO, codec: str, where: str, block: int = 1 << 20) -> Problem | None:
    """A Problem when the bytes from here on do not decode with ``codec``; read a block at a time."""
    decoder = codecs.getincrementaldecoder(codec)()
    offset = 0
    while True:
        data = fh.read(block)
        pending = decoder.getstate()[0]
        try:
            decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            exc.object = pending + data
            return _encoding_problem(exc, codec, offset - len(pending), not data, where)
        if not data:
            return None
        offset += len(data)


def _check_utf8_file(path: Path, block: int = 1 << 20) -> Problem | None:
    """What `decode` says of a UTF-8 file's bytes, read a block at a time."""
    with path.open("rb") as fh:
        return check_encoding(fh, "utf-8", show(path), block)


def decode(data: bytes, where: str) -> str | Problem:
    """Text of a file's bytes: UTF-8, or UTF-16/32 with a byte-order mark."""
    codec = sniff(data[:8192], where)
    if isinstance(codec, Problem):
        return codec
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        return _encoding_problem(exc, codec, 0, True, where)
    if "\x00" in text:
        return Problem(where, "binary file (NUL characters); expected text")
    return text


def check_text(text: str, where: str) -> Problem | None:
    """A Problem when a text cannot be an article: empty, too short, too long, invalid Unicode."""
    if not text.strip():
        return Problem(where, "empty text")
    if len(text.strip()) < MIN_CHARS:
        return Problem(where, f"text too short to be an article ({len(text.strip())} characters)")
    if len(text) > MAX_CHARS:
        return Problem(where, f"text is {len(text):,} characters; the longest article coded is "
                              f"{MAX_CHARS:,}: split it into several articles")
    return _invalid_unicode(text, "text", where)


def _invalid_unicode(value: str, name: str, where: str) -> Problem | None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return Problem(where, f"'{name}' holds a lone surrogate (\\u{ord(value[exc.start]):04x} at "
                              f"character {exc.start}), which is not valid Unicode")
    if "\x00" in value:
        return Problem(where, f"'{name}' holds a NUL character (at character {value.index(chr(0))})")
    return None


def read_stream(stream: IO[bytes] | IO[str], name: str) -> Iterator[Article | Problem]:
    """Standard input: JSONL when the first non-blank character is `{`, else one plain-text
    article (at most MAX_BYTES).  JSONL is read line by line, split at "\\n" only."""
    try:
        first = stream.read(8192)
        if isinstance(first, str):  # a text stream (tests, embedding): bytes again
            first = first.encode("utf-8", "surrogatepass")
            rest: Iterator[bytes] = (b.encode("utf-8", "surrogatepass") for b in iter(lambda: stream.read(1 << 16), ""))
        else:
            rest = iter(lambda: stream.read(1 << 16), b"")
        codec = sniff(first, name)
        if isinstance(codec, Problem):
            yield codec
            return
        if codec == "utf-8" and first.lstrip().startswith((b"{", codecs.BOM_UTF8 + b"{")):
            yield from read_jsonl_lines(_utf8_lines([first], rest, name), name)
            return
        data = bytearray(first)
        limit = MAX_BYTES if codec == "utf-8" else 4 * MAX_BYTES  # UTF-32 takes 4 bytes a character
        for block in rest:
            data += block
            if len(data) > limit:
                yield Problem(name, f"standard input is over {limit:,} bytes of text; an article is "
                                    "expected to be under that (UTF-8 JSONL has no limit)")
                return
    except OSError as exc:
        yield Problem(name, f"cannot read: {exc.strerror or exc}")
        return
    content = decode(bytes(data), name)
    if isinstance(content, Problem):
        yield content
        return
    if content.lstrip().startswith("{"):
        yield from read_jsonl_lines(split_lines([content]), name)
        return
    problem = check_text(content, name)
    yield problem if problem else Article(text=content, origin=name)


def _utf8_lines(head: list[bytes], rest: Iterable[bytes], name: str) -> Iterator[str | Problem | None]:
    """UTF-8 lines of a byte stream, each decoded on its own (a bad line is that line's Problem)."""
    n = 0
    for line in _byte_lines(head, rest):
        n += 1
        if line is None:
            yield None
            continue
        try:
            yield line.decode("utf-8-sig" if n == 1 else "utf-8").removesuffix("\r")
        except UnicodeDecodeError as exc:
            yield Problem(f"{name}:{n}", f"not UTF-8 (byte 0x{line[exc.start]:02x} at column {exc.start + 1})")


def _byte_lines(head: list[bytes], rest: Iterable[bytes], limit: int = MAX_BYTES) -> Iterator[bytes | None]:
    buf = bytearray()
    too_long = False
    for chunk in _chain(head, rest):
        while chunk:
            cut = chunk.find(b"\n")
            piece = chunk if cut < 0 else chunk[:cut]
            if not too_long:
                buf += piece
                if len(buf) > limit:
                    too_long, buf = True, bytearray()
            if cut < 0:
                break
            yield None if too_long else bytes(buf)
            buf, too_long = bytearray(), False
            chunk = chunk[cut + 1:]
    if too_long:
        yield None
    elif buf.strip():
        yield bytes(buf)


def _chain(head: list[bytes], rest: Iterable[bytes]) -> Iterator[bytes]:
    yield from head
    yield from rest


def read_jsonl_lines(lines: Iterable[str | Problem | None], name: str) -> Iterator[Article | Problem]:
    """One Article or Problem per non-blank line; None stands for a line over the size limit."""
    for n, line in enumerate(lines, 1):
        if isinstance(line, Problem):
            yield line
            continue
        where = f"{name}:{n}"
        if line is None:
            yield Problem(where, f"line is over {MAX_BYTES:,} characters; an article is expected to be under that")
            continue
        if not line.strip():
            continue
        yield parse_json_line(line, where)


def parse_json_line(line: str, where: str) -> Article | Problem:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        at = "column" if exc.msg.endswith(" at") else "at column"
        return Problem(where, f"malformed JSON: {exc.msg} {at} {exc.colno}")
    except RecursionError:
        return Problem(where, "malformed JSON: nested too deeply")
    except ValueError as exc:  # an integer of more than 4,300 digits
        return Problem(where, f"malformed JSON: {exc}")
    return article_from_json(obj, where)


def _field_problem(obj: dict, where: str) -> Problem | None:
    for name in STRING_FIELDS:
        value = obj.get(name)
        if value is None:
            continue
        if name == "id" and isinstance(value, int) and not isinstance(value, bool):
            continue
        if not isinstance(value, str):
            shown = json.dumps(value)[:40] if not isinstance(value, int) or len(str(value)) < 40 else "a long number"
            return Problem(where, f"'{name}' must be a string, got {type(value).__name__} {shown}")
        problem = _invalid_unicode(value, name, where)
        if problem:
            return problem
    lang = obj.get("lang")
    if lang and not LANG_CODE.fullmatch(lang.strip()):
        return Problem(where, f"'lang' must be a language code like 'en', got {lang[:40]!r}")
    return None


def article_from_json(obj: object, where: str) -> Article | Problem:
    """One RECORDS.md input object → Article; only `text` is required (or `html`).  A field of
    the wrong type is a Problem for this object only."""
    if not isinstance(obj, dict):
        return Problem(where, f"expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    if text is None and isinstance(obj.get("html"), str):
        html = obj["html"]
        problem = _invalid_unicode(html, "html", where)
        if problem:
            return problem
        if len(html) > MAX_BYTES:
            return Problem(where, f"'html' is over {MAX_BYTES:,} characters")
        text = html_to_text(html)
        if text is None:
            return Problem(where, "'html' has no article text that could be extracted")
    if text is None:
        return Problem(where, "missing 'text' (a string is required)")
    if not isinstance(text, str):
        return Problem(where, f"'text' must be a string, got {type(text).__name__}")
    problem = check_text(text, where) or _field_problem(obj, where)
    if problem:
        return problem
    published = obj.get("published")
    if published is not None and not _is_iso_day(published):
        return Problem(where, f"'published' must be an ISO date like 2020-03-28, got {published[:40]!r}")
    lang = obj.get("lang")
    return Article(
        text=text,
        id=str(obj["id"]) if obj.get("id") not in (None, "") else "",
        lang=lang_code(lang) if lang else None,
        published=published[:10] if published else None,
        url=obj.get("url"),
        source=obj.get("source"),
        title=obj.get("title"),
        origin=where,
    )


def lang_code(value: str) -> str:
    """A language tag as a pack code: its primary subtag, lower case ("EN-us" → "en")."""
    return re.split(r"[-_]", value.strip(), maxsplit=1)[0].lower()


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

    try:
        return trafilatura.extract(html, include_comments=False, include_tables=False) or None
    except Exception:  # a page that breaks the HTML parser has no text we can use
        return None


def whole_file(article: Article) -> bool:
    """Read from a whole .txt or .html file (its id comes from its path), not a JSONL line or stdin."""
    origin = article.origin or ""
    return bool(origin) and origin != "<stdin>" and not re.search(r"(?:\.(?:jsonl|ndjson|json)|<stdin>):\d+$",
                                                                  origin, re.IGNORECASE)


class UniqueIds:
    """No two articles of a run share an id.  A whole file whose id (its relative path) another
    file already has gets a suffix from its text; a JSONL id used twice, or the same text read
    twice, is a Problem naming the first input."""

    def __init__(self) -> None:
        self.seen: dict[str, tuple[str, str]] = {}  # id → (where, text hash)

    def check(self, article: Article, whole_file: bool = False) -> Article | Problem:
        digest = text_id(article.text)
        where = article.origin or article.id
        first = self.seen.get(article.id)
        if first is not None and first[1] != digest and whole_file:
            article.id = f"{article.id}~{stable_id(digest, length=8)}"
            first = self.seen.get(article.id)
        if first is not None:
            if first[1] == digest:
                return Problem(where, f"same id ({article.id!r}) and text as {first[0]}; read once")
            return Problem(where, f"id {article.id!r} is already used by {first[0]} for another text; "
                                  "give each article its own id")
        self.seen[article.id] = (where, digest)
        return article

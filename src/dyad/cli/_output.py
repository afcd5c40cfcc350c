"""Options and output shared by the read commands (events, actors, dyads, quotes, export, serve).

- ``add_db_option``: ``--db`` (default ``$DYAD_DB`` or ``dyad.duckdb``); ``open_store`` opens it
  read-only and turns a missing file into a :class:`CommandError` that says to run extract first.
- ``add_output_options``: ``--json`` (JSON lines), ``--csv``, ``--limit``, ``--offset``.
- ``add_event_filters``/``event_filter``: the event filters every event-shaped command takes.
- ``emit``: an aligned table for people, or JSON lines / CSV for scripts.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

from dyad.cli import CommandError
from dyad.query import PLOVER_TYPES, QUADS, EventFilter, QueryError
from dyad.store import Store, StoreError

DEFAULT_DB = "dyad.duckdb"


def about(doc: str | None) -> str:
    """A command's description from its module docstring ("`dyad x`: does y." → "Does y.")."""
    text = (doc or "").split(":", 1)[-1].strip()
    return text[:1].upper() + text[1:]


def default_db() -> str:
    return os.environ.get("DYAD_DB") or DEFAULT_DB


def add_db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=None, metavar="PATH",
                   help=f"DuckDB file to read (default: $DYAD_DB or {DEFAULT_DB})")


def add_output_options(p: argparse.ArgumentParser, limit: int = 20) -> None:
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON lines, one record per line")
    fmt.add_argument("--csv", action="store_true", help="print CSV with a header row")
    p.add_argument("--limit", type=_non_negative, default=limit, help=f"at most N rows (default {limit}; 0 = all)")
    p.add_argument("--offset", type=_non_negative, default=0, help="skip the first N rows")


def add_event_filters(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("filters")
    g.add_argument("--actor", help="source or target name/alias contains this (accents ignored)")
    g.add_argument("--country", help="source or target country, ISO-3 (CHN, FRA, IGO)")
    g.add_argument("--dyad", help="two countries, either direction: CHN-FRA")
    g.add_argument("--directed", action="store_true", help="--dyad A-B means source A, target B only")
    g.add_argument("--type", help=f"PLOVER type(s), comma-separated: {', '.join(PLOVER_TYPES)}")
    g.add_argument("--quad", help=f"quad class(es): {', '.join(QUADS)}, coop, conflict, verbal, material")
    g.add_argument("--since", metavar="YYYY-MM-DD", help="events on or after this day")
    g.add_argument("--until", metavar="YYYY-MM-DD", help="events on or before this day")
    g.add_argument("--text", help="evidence sentence contains this (accents ignored)")
    g.add_argument("--article", metavar="ID", help="events of one article")
    g.add_argument("--min-confidence", metavar="X", help="events with confidence X or more (0..1; a corpus "
                   "event's is the noisy-or of its articles' confidences)")
    p.add_argument("--mentions", action="store_true",
                   help="one row per article reporting an event, not one per corpus event")


def event_filter(args: argparse.Namespace) -> EventFilter:
    with query_errors():
        return EventFilter(actor=args.actor, country=args.country, dyad=args.dyad, directed=args.directed,
                           type=args.type, quad=args.quad, since=args.since, until=args.until, text=args.text,
                           article=args.article, min_confidence=args.min_confidence, mentions=args.mentions)


@contextmanager
def query_errors() -> Iterator[None]:
    """Bad filter values and store failures become CLI errors (message on stderr, exit 1)."""
    try:
        yield
    except (QueryError, StoreError) as exc:
        raise CommandError(str(exc)) from exc


@contextmanager
def open_store(args: argparse.Namespace) -> Iterator[Store]:
    """The store named by ``--db``, read-only."""
    path = args.db or default_db()
    if path != ":memory:" and not os.path.exists(path):
        raise CommandError(f"no database at {path}: run `dyad extract INPUT --db {path}` first "
                           "(or point --db / $DYAD_DB at an existing file)")
    with query_errors():
        store = Store(path, read_only=True)
    try:
        yield store
    finally:
        store.close()


def limit_of(args: argparse.Namespace) -> int | None:
    return args.limit or None


# --------------------------------------------------------------------------------------------------
# Output


def emit(rows: Sequence[dict[str, Any]], args: argparse.Namespace, table: Sequence[Column],
         out: TextIO | None = None, total: int | None = None, noun: str = "rows") -> None:
    """Print rows: JSON lines with --json, CSV (all fields) with --csv, else an aligned table,
    followed, when `total` says more rows match than are shown, by how many and how to see them."""
    out = out or sys.stdout
    if getattr(args, "json", False):
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
    elif getattr(args, "csv", False):
        if rows:
            w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            for r in rows:
                w.writerow({k: _csv_cell(v) for k, v in r.items()})
    else:
        out.write(render_table(rows, table))
        if total is not None:
            out.write(footer(len(rows), total, getattr(args, "offset", 0), noun))


def footer(shown: int, total: int, offset: int, noun: str) -> str:
    """'rows 1-20 of 37 events (--limit 0 shows all; --offset 20 the next)' when some are not shown."""
    if shown >= total or (shown == 0 and offset == 0):
        return ""
    first, last = offset + 1, offset + shown
    hint = ["--limit 0 shows all"] + ([f"--offset {last} the next"] if last < total else [])
    span = f"{first}-{last}" if shown else "none"
    return f"rows {span} of {total} {noun} ({'; '.join(hint)})\n"


class Column:
    """A table column: a header and how to get its text from a row; ``wide`` takes the spare width."""

    def __init__(self, header: str, get: str | Callable[[dict[str, Any]], Any], wide: bool = False,
                 max_width: int = 40):
        self.header, self.wide, self.max_width = header, wide, max_width
        self.get = (lambda r, k=get: r.get(k)) if isinstance(get, str) else get

    def text(self, row: dict[str, Any]) -> str:
        v = self.get(row)
        return "" if v is None else " ".join(str(v).split())


def render_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], width: int | None = None) -> str:
    """Aligned columns fitted to the terminal; long cells end with '…'."""
    if not rows:
        return "(no rows)\n"
    width = width or shutil.get_terminal_size((120, 24)).columns
    cells = [[c.text(r) for c in columns] for r in rows]
    widths = [min(max(len(c.header), *(len(row[i]) for row in cells)), c.max_width)
              for i, c in enumerate(columns)]
    for i, c in enumerate(columns):
        if c.wide:
            fixed = sum(w + 2 for j, w in enumerate(widths) if j != i)
            widths[i] = max(20, min(max(len(row[i]) for row in cells), width - fixed))
    lines = ["  ".join(c.header.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for row in cells:
        lines.append("  ".join(_fit(v, w).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"


def _fit(text: str, width: int) -> str:
    """The text cut to `width`, at a word boundary when one is near, ending with '…'; a trailing
    country code ("Subrahmanyam Jaishankar (IND)") is kept whole."""
    if len(text) <= width:
        return text
    tail = _CODE_TAIL.search(text)
    if tail and width >= len(tail.group(0)) + 6:
        return _cut(text[: tail.start()], width - len(tail.group(0))) + tail.group(0)
    return _cut(text, width)


_CODE_TAIL = re.compile(r" \([A-Z]{3}\)$")


def _cut(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    cut = text[: max(width - 1, 0)]
    space = cut.rfind(" ")
    if space >= width // 2:  # never mid-word, unless the word is most of the cell
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"


def _csv_cell(v: Any) -> Any:
    return json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v


def who(prefix: str) -> Callable[[dict[str, Any]], str]:
    """'Wang Yi (CHN)' from a row's {prefix}_name and {prefix}_country."""
    def get(r: dict[str, Any]) -> str:
        name, country = r.get(f"{prefix}_name"), r.get(f"{prefix}_country")
        if not name:
            return "?"
        return f"{name} ({country})" if country else name
    return get


def _non_negative(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return n

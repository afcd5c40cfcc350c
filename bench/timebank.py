"""FR-TimeBank benchmark for dyad.when: how often do we give a gold DATE timex its exact value?

Usage:
    .venv/bin/python bench/timebank.py [--shared ../shared] [--markdown] [--errors N]

Each TimeML file's DCT (the TIMEX3 with functionInDocument="CREATION_TIME") is the reference
date; the article text (tags stripped, character offsets kept) goes through
``dyad.when.find_dates(text, "fr", dct)``.  For every gold TIMEX3 of type DATE we ask whether a
predicted mention overlaps it (found) and whether one overlapping mention carries exactly the
gold value (exact).

Two measures are reported:

* **calendar** (the headline figure): gold DATEs whose value is a plain ISO day, month or year
  ("1999-05-17", "1999-05", "1999") -- what our API can express;
* **all**: every gold DATE, including values we never produce ("PRESENT_REF", "XXXX-06",
  "1999-W27", "1999-SU", "196X").  For this measure a predicted week is written as an ISO week
  ("1999-W27") before comparison.

The data are read from ../shared (never copied into the repo).
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from dyad.when import DateMention, find_dates  # noqa: E402

TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
ATTR = re.compile(r'(\w+)="([^"]*)"')
CALENDAR = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


@dataclass
class Gold:
    start: int
    end: int
    text: str
    value: str


@dataclass
class Doc:
    name: str
    dct: str | None
    text: str
    dates: list[Gold]


def parse_tml(path: Path) -> Doc:
    """The DCT, the plain text of <TEXT> and its DATE timexes with plain-text offsets."""
    raw = path.read_text(encoding="utf-8")
    dct_m = re.search(r"<TIMEX3[^>]*functionInDocument=\"CREATION_TIME\"[^>]*>", raw)
    dct = dict(ATTR.findall(dct_m.group(0))).get("value") if dct_m else None
    body_m = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    body = body_m.group(1) if body_m else ""
    parts: list[str] = []
    n, pos = 0, 0
    open_timex: list[tuple[dict[str, str], int]] = []
    spans: list[tuple[dict[str, str], int, int]] = []
    for m in TAG.finditer(body):
        chunk = html.unescape(body[pos:m.start()])
        parts.append(chunk)
        n += len(chunk)
        pos = m.end()
        if m.group(2) != "TIMEX3" or m.group(4):
            continue
        if m.group(1):
            if open_timex:
                attrs, start = open_timex.pop()
                spans.append((attrs, start, n))
        else:
            open_timex.append((dict(ATTR.findall(m.group(3))), n))
    parts.append(html.unescape(body[pos:]))
    text = "".join(parts)
    dates = [Gold(s, e, text[s:e], a.get("value", "")) for a, s, e in spans if a.get("type") == "DATE"]
    return Doc(path.stem, dct, text, dates)


def as_timeml(m: DateMention) -> str | None:
    """Our value in TimeML's spelling (weeks become ISO weeks)."""
    if m.value and m.granularity == "week":
        y, w, _ = date.fromisoformat(m.value).isocalendar()
        return f"{y:04d}-W{w:02d}"
    return m.value


@dataclass
class Tally:
    gold: int = 0
    found: int = 0
    exact: int = 0

    def add(self, found: bool, exact: bool) -> None:
        self.gold += 1
        self.found += found
        self.exact += exact

    @property
    def accuracy(self) -> float:
        return self.exact / self.gold if self.gold else 0.0


def evaluate(docs: list[Doc]) -> tuple[Tally, Tally, list[tuple[str, str, Gold, list[str | None]]]]:
    calendar, every = Tally(), Tally()
    errors: list[tuple[str, str, Gold, list[str | None]]] = []
    for doc in docs:
        mentions = find_dates(doc.text, "fr", doc.dct)
        for g in doc.dates:
            over = [m for m in mentions if m.start < g.end and g.start < m.end]
            values = [as_timeml(m) for m in over]
            found, exact = bool(over), g.value in values
            every.add(found, exact)
            if CALENDAR.match(g.value):
                calendar.add(found, exact)
                if not exact:
                    errors.append((doc.name, doc.dct or "", g, values))
    return calendar, every, errors


def table(calendar: Tally, every: Tally, ndocs: int, seconds: float, markdown: bool) -> str:
    rows = [
        ("calendar DATEs (ISO day/month/year values) — headline", calendar),
        ("all DATEs (incl. PRESENT_REF, XXXX-.., weeks, seasons, decades)", every),
    ]
    if markdown:
        out = [
            f"### FR-TimeBank DATE values (`bench/timebank.py`, {ndocs} documents, {seconds:.1f} s)",
            "",
            "| gold set | gold | found (overlap) | exact value | accuracy |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        out += [f"| {n} | {t.gold} | {t.found} | {t.exact} | {t.accuracy:.3f} |" for n, t in rows]
        out.append("")
        out.append("accuracy = exact / gold; reference date = each document's DCT.")
        return "\n".join(out)
    width = max(len(n) for n, _ in rows)
    out = [f"FR-TimeBank: {ndocs} documents, {seconds:.2f} s",
           f"{'gold set':<{width}}  {'gold':>5} {'found':>6} {'exact':>6} {'accuracy':>9}"]
    out += [f"{n:<{width}}  {t.gold:>5} {t.found:>6} {t.exact:>6} {t.accuracy:>9.3f}" for n, t in rows]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared",
                    help="the shared folder holding bench/FR-TimeBank (default: <repo>/../shared)")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown block for BENCHMARKS.md")
    ap.add_argument("--errors", type=int, default=0, metavar="N", help="list N calendar-value misses")
    args = ap.parse_args(argv)
    files = sorted((args.shared / "bench" / "FR-TimeBank" / "Data").glob("*.tml"))
    if not files:
        print(f"no .tml files under {args.shared / 'bench' / 'FR-TimeBank' / 'Data'}", file=sys.stderr)
        return 0
    t0 = time.perf_counter()
    docs = [parse_tml(f) for f in files]
    calendar, every, errors = evaluate(docs)
    print(table(calendar, every, len(docs), time.perf_counter() - t0, args.markdown))
    for name, dct, g, values in errors[: args.errors]:
        print(f"  {name} dct={dct} gold={g.value:<10} {g.text!r:<28} predicted={values}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

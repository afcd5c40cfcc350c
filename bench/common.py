"""Shared pieces of the event-coding benchmarks: gold items, country codes, matching, P/R/F1.

Every benchmark reduces gold and predictions to *items* of one sentence:
``(label, source country, target country)``, where ``label`` is a PLOVER type (PLOVER gold) or a
CAMEO root code (PETRARCH validation sets), and a country is an ISO-3 code, ``IGO``, or ``None``.

Matching rules (the same for every set):

* a gold side that is ``None`` (the gold gives no country: "---", an agent-only code such as
  "~CV", an NGO, or no target at all) accepts any predicted side, including none;
* for the symmetric types (AGREE, CONSULT, COOPERATE and their CAMEO roots 03, 04, 06) source and
  target may be swapped, as in ../shared/tools/score.py;
* matching is one-to-one within a sentence; predictions are first reduced to distinct items
  (two events of Sergey Lavrov and of Russia against the same target are one RUS item).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

SYMMETRIC = {"AGREE", "CONSULT", "COOPERATE", "03", "04", "06"}

# CAMEO / PLOVER-GSR country codes that are not ISO 3166-1 alpha-3.
CAMEO_TO_ISO = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM", "ROM": "ROU", "GER": "DEU", "ZAR": "COD",
                "UAE": "ARE", "BUR": "MMR", "SPN": "ESP", "KSV": "XKX", "TMP": "TLS", "YUG": "SRB",
                "DRC": "COD"}
# Codes for non-state actors that name no country: the side is unknown for scoring.
NO_COUNTRY = {"NGO", "IMG", "ISM", "MNC", "UIS", "INT", "REL", "BUS", "CVL", "MED", "EDU", "OPP", "REB",
              "GOV", "MIL", "COP", "JUD", "LEG", "AGR", "HLH", "LAB", "ELI", "SPY", "CRM", "PPL", "REF", "UAF"}


def country(code: str | None) -> str | None:
    """A gold actor code ("HUN", "USAGOV", "JAP", "IGOREL", "~CV", "---") → ISO-3, "IGO" or None."""
    if not code:
        return None
    code = code.strip().upper()
    head = code[:3]
    if not head.isalpha() or len(head) < 3 or head in NO_COUNTRY:
        return None
    return CAMEO_TO_ISO.get(head, head)


@dataclass(frozen=True)
class Item:
    """One event reduced to what is scored."""

    label: str
    source: str | None
    target: str | None

    def matches(self, pred: Item) -> bool:
        """Does a predicted item match this gold item?"""
        if pred.label != self.label:
            return False
        if _sides_ok(self.source, pred.source) and _sides_ok(self.target, pred.target):
            return True
        return self.label in SYMMETRIC and _sides_ok(self.source, pred.target) and _sides_ok(self.target, pred.source)


def _sides_ok(gold: str | None, pred: str | None) -> bool:
    return gold is None or gold == pred


def unique_items(items: Iterable[Item]) -> list[Item]:
    """Distinct items; for symmetric labels (A, B) and (B, A) are one."""
    seen: set[tuple] = set()
    out = []
    for it in items:
        key = (it.label, *sorted([it.source or "", it.target or ""])) if it.label in SYMMETRIC else \
            (it.label, it.source, it.target)
        if key not in seen:
            seen.add(key)
            out.append(it)
    return out


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class SentenceResult:
    """Gold and predicted items of one sentence, with what matched."""

    id: str
    text: str
    gold: list[Item]
    pred: list[Item]
    matched: list[tuple[Item, Item]] = field(default_factory=list)

    @property
    def misses(self) -> list[Item]:
        hit = {id(g) for g, _ in self.matched}
        return [g for g in self.gold if id(g) not in hit]

    @property
    def false_alarms(self) -> list[Item]:
        hit = {id(p) for _, p in self.matched}
        return [p for p in self.pred if id(p) not in hit]


def match_sentence(sid: str, text: str, gold: Sequence[Item], pred: Sequence[Item]) -> SentenceResult:
    """One-to-one matching, most specific gold items (fewest unknown sides) first."""
    gold, pred = unique_items(gold), unique_items(pred)
    result = SentenceResult(sid, text, gold, pred)
    free = list(pred)
    for g in sorted(gold, key=lambda g: (g.source is None) + (g.target is None)):
        hit = next((p for p in free if g.matches(p)), None)
        if hit is not None:
            free.remove(hit)
            result.matched.append((g, hit))
    return result


@dataclass
class Score:
    """Totals and per-label counts over a benchmark set."""

    name: str
    overall: Counts = field(default_factory=Counts)
    by_label: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    sentences: list[SentenceResult] = field(default_factory=list)

    def add(self, res: SentenceResult) -> None:
        self.sentences.append(res)
        for g, _ in res.matched:
            self.by_label[g.label].tp += 1
        for g in res.misses:
            self.by_label[g.label].fn += 1
        for p in res.false_alarms:
            self.by_label[p.label].fp += 1
        self.overall.add(Counts(len(res.matched), len(res.false_alarms), len(res.misses)))


def score(name: str, results: Iterable[SentenceResult]) -> Score:
    out = Score(name)
    for res in results:
        out.add(res)
    return out


def labels_only(results: Iterable[SentenceResult]) -> Iterator[SentenceResult]:
    """The same sentences scored on the label alone (both sides unknown)."""
    for r in results:
        yield match_sentence(r.id, r.text, [Item(g.label, None, None) for g in r.gold],
                             [Item(p.label, None, None) for p in r.pred])


# ---------------------------------------------------------------------- running dyad
@dataclass
class Sentence:
    """One benchmark sentence, coded by dyad as a one-sentence article."""

    id: str
    text: str
    lang: str
    published: str | None
    gold: list[Item]
    extra: dict = field(default_factory=dict)


def clean_text(text: str) -> str:
    """Line-wrapped validation text → one line (a line break would start a new sentence)."""
    return " ".join(text.split())


def iso_date(value: str | None) -> str | None:
    """"20080804" → "2008-08-04"; ISO dates pass through."""
    if not value:
        return None
    value = value.strip()
    if len(value) == 8 and value.isdigit():
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return value[:10]


def run_dyad(sentences: Sequence[Sentence], batch_size: int = 64) -> list[list]:
    """dyad's events (records.Event) for each sentence, in order; a Problem gives no events."""
    from dyad.pipeline import extract_many
    from dyad.records import Article

    articles = (Article(text=s.text, lang=s.lang, published=s.published, id=s.id) for s in sentences)
    out = []
    for res in extract_many(articles, batch_size=batch_size):
        out.append(list(getattr(res, "events", []) or []))
    return out


def event_items(events: Iterable, label: str = "type") -> list[Item]:
    """Predicted items of dyad's events: label "type" (PLOVER) or "root" (CAMEO root); negated
    events are left out (the gold sets code what happened, not what did not)."""
    out = []
    for e in events:
        if e.negated:
            continue
        lab = e.type if label == "type" else (e.cameo or "")[:2]
        out.append(Item(lab, e.source.country if e.source else None, e.target.country if e.target else None))
    return out


# ---------------------------------------------------------------------- reporting
def fmt(x: float) -> str:
    return f"{x:.3f}"


def prf_row(name: str, c: Counts) -> str:
    return f"| {name} | {fmt(c.precision)} | {fmt(c.recall)} | {fmt(c.f1)} | {c.tp}/{c.fp}/{c.fn} |"


def per_label_table(s: Score, title: str = "label") -> list[str]:
    """Markdown table: per-label precision/recall/F1."""
    lines = [f"| {title} | P | R | F1 | tp/fp/fn |", "| --- | ---: | ---: | ---: | ---: |"]
    for lab in sorted(s.by_label):
        lines.append(prf_row(lab, s.by_label[lab]))
    return lines


def errors(s: Score, limit: int = 20) -> list[str]:
    """A few misses and false alarms, for error analysis (--errors)."""
    lines = []
    for r in s.sentences:
        if not r.misses and not r.false_alarms:
            continue
        lines.append(f"[{r.id}] {r.text[:220]}")
        lines += [f"    MISS  {g.label} {g.source}->{g.target}" for g in r.misses]
        lines += [f"    FALSE {p.label} {p.source}->{p.target}" for p in r.false_alarms]
        if len(lines) > limit * 4:
            break
    return lines


def replace_section(text: str, title: str, new: str) -> str:
    """BENCHMARKS.md with the section `title` ("## …", up to the next "## ") replaced by `new`,
    or `new` appended when there is no such section."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == title), None)
    if start is None:
        return text.rstrip() + "\n\n" + new
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return "".join(lines[:start]) + new + ("\n" + "".join(lines[end:]) if end < len(lines) else "")


def write_section(title: str, body: list[str]) -> None:
    """Replace one section of BENCHMARKS.md (the others are kept)."""
    path = REPO / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    path.write_text(replace_section(text, title, "\n".join([title, *body]).rstrip() + "\n"), encoding="utf-8")

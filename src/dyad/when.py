"""Dates in news text: find date expressions and resolve them against the publication date.

Everything language-specific (weekday and month names, "hier"/"yesterday"/"ayer", "il y a deux
jours", "l'an prochain", number words, future-tense cues, the surface templates themselves)
lives in ``langs/<code>/dates.yaml``; this module only knows calendar arithmetic and news
conventions.  Adding a language is adding one YAML file (see docs/dates.md).

Conventions (reference = the publication date):

* a bare weekday ("on Friday", "vendredi", "el viernes") is the most recent such day strictly
  before publication, or publication day itself when it is the same weekday; a future-tense
  cue in its clause ("will", "sera", "viajará") makes it the next such day instead;
  "last Friday"/"vendredi dernier" is strictly before, "next Monday"/"lundi prochain" strictly
  after; "ce dimanche"/"este martes" is that day of the publication week (the coming one
  with a future cue);
* a bare weekday that matches a fully dated weekday elsewhere in the text ("samedi 29 mai")
  and lies within a week or two of publication takes that date;
* a day or month without a year takes the publication year, or the previous year when that
  would land more than ~6 months after publication; "dernier"/"prochain" force past/future;
* weeks are reported by the ISO date of their Monday with granularity "week".

The module never imports spaCy and never raises on odd input.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANGS_DIR = Path(__file__).parent / "langs"
HEAD_CHARS = 300  # find_published looks at this many leading characters
FUTURE_WINDOW_DAYS = 183  # a year-less date further ahead than this is taken from the year before
ANCHOR_BEFORE_DAYS, ANCHOR_AFTER_DAYS = 7, 14  # how far a dated weekday may lie from publication
CUE_WINDOW = 80  # characters of context searched for tense cues

_BUILTIN_TEMPLATES: list[dict[str, Any]] = [
    # ISO 8601, language-independent: 2020-08-30, 2020-08-30T10:15:00+02:00
    {"kind": "date",
     "pattern": r"{year}-{mm}-{day}(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?"},
]
_START = r"(?:(?<!\w)|(?=[^\w\s]))"
_END = r"(?:(?!\w)|(?<=[^\w\s]))"
_PLACEHOLDER = re.compile(r"\{([a-z]+)(?:_(\d+))?\}")
_CLAUSE_BREAK = re.compile(r"[.!?;:\n,()«»\"“”]")
_SENTENCE_BREAK = re.compile(r"[.!?;\n]")
_YEAR_IN_TEXT = re.compile(r"(?<![\d.,])(?:19|20)\d\d(?![\d])")


@dataclass
class DateMention:
    start: int  # char offset in the text passed in
    end: int
    text: str
    value: str | None  # ISO "YYYY-MM-DD" for a day; "YYYY-MM" or "YYYY" for coarser; None if unresolvable
    granularity: str  # "day" | "week" | "month" | "year"
    relative: bool  # resolved against the reference date
    # date | weekday | named | offset | period | relation ("la veille", "a day after ...")
    kind: str = "date"
    # a relation is `shift` days from the story's day ("la veille": -1, "the next day": 1); its
    # scope is "story" (the day of the story so far) or "clause" (the clause it introduces is
    # `shift` days from the sentence's own day: "a day after Xing expressed ..." is -1)
    shift: int = 0
    scope: str | None = None
    # the start or end of a span ("since Monday", "depuis lundi", "hasta el viernes"), not a day
    # on which something happened
    bound: bool = False


# --------------------------------------------------------------------------- language data


@dataclass(frozen=True)
class _Template:
    kind: str  # date | named | offset | period
    regex: re.Pattern[str]
    direction: str | None = None  # past | future | this
    shift: int = 0
    sign: int = -1
    header_only: bool = False
    scope: str | None = None  # relation: story | clause


@dataclass(frozen=True)
class _Lang:
    code: str
    templates: tuple[_Template, ...]
    weekdays: dict[str, int]
    months: dict[str, int]
    numbers: dict[str, int]
    units: dict[str, str]
    named: dict[str, int]
    day_words: dict[str, int]
    future_cues: tuple[re.Pattern[str], ...]
    published_cues: re.Pattern[str] | None
    bound_cues: re.Pattern[str] | None = None


def _key(word: str) -> str:
    """Normalised lookup key of a vocabulary word or a matched string."""
    return " ".join(word.replace("’", "'").lower().split()).rstrip(".")


def _literal(word: str) -> str:
    """Regex for a literal vocabulary word: any whitespace run for a space, ' matches ’."""
    out = re.escape(" ".join(str(word).split()))
    return out.replace(r"\ ", r"\s+").replace("'", "['’]")


def _alternation(words: list[str] | set[str]) -> str:
    uniq = sorted({str(w) for w in words if str(w).strip()}, key=lambda w: (-len(w), w))
    return "|".join(_literal(w) for w in uniq) or r"(?!x)x"


def _vocab(groups: list[list[str]] | None) -> dict[str, int]:
    """[[monday, mon], [tuesday], ...] -> {"monday": 0, "mon": 0, "tuesday": 1, ...}."""
    out: dict[str, int] = {}
    for i, names in enumerate(groups or []):
        for name in names if isinstance(names, list) else [names]:
            out[_key(str(name))] = i
    return out


def _spaces(pattern: str) -> str:
    """Template syntax: ' ' matches whitespace, ' ?' optional whitespace, ' matches ’."""
    pattern = pattern.replace(" ?", r"\s*").replace(" ", r"\s+")
    return pattern.replace("'", "['’]")


def _words(groups: list[list[str]] | None) -> list[str]:
    """The surface words of a grouped vocabulary, as written (abbreviation dots kept)."""
    return [str(w) for names in groups or [] for w in (names if isinstance(names, list) else [names])]


def _placeholders(data: dict[str, Any], vocab: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Regex bodies of the template placeholders (without the named group)."""
    day_alt = _alternation(list(vocab["day_words"]))
    period_words = [k for k, u in vocab["units"].items() if u != "day"]
    return {
        "weekday": _alternation(_words(data.get("weekdays"))),
        "month": _alternation(_words(data.get("months"))),
        "day": rf"(?<!\d)(?:3[01]|[12]\d|0?[1-9])(?!\d)|{day_alt}",
        "mm": r"(?<!\d)(?:1[0-2]|0?[1-9])(?!\d)",
        "year": r"(?<![\d.,])(?:1\d{3}|20\d{2})(?!\d|[.,]\d)",
        "yy": r"(?<![\d.,])\d{2}(?!\d|[.,]\d)",
        "num": rf"(?<!\d)\d{{1,3}}(?!\d)|{_alternation(list(vocab['numbers']))}",
        "unit": _alternation(list(vocab["units"])),
        "period": _alternation(period_words),
        "named": _alternation(list(vocab["named"])),
        "part": _alternation(data.get("parts_of_day") or []),
    }


def _compile_template(pattern: str, bodies: dict[str, str], suffix: str) -> re.Pattern[str]:
    def sub(m: re.Match[str]) -> str:
        name, n = m.group(1), m.group(2)
        if name not in bodies:
            raise ValueError(f"unknown placeholder {{{name}}} in date template {pattern!r}")
        if name == "part":
            return f"(?:{bodies[name]})"
        group = f"{name}_{n}" if n else name
        tail = suffix if name == "day" else ""
        return f"(?P<{group}>{bodies[name]}){tail}"

    body = _PLACEHOLDER.sub(sub, _spaces(pattern))
    try:
        return re.compile(f"{_START}(?:{body}){_END}", re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"bad date template {pattern!r}: {exc}") from exc


def _build_templates(data: dict[str, Any], vocab: dict[str, dict[str, Any]]) -> tuple[_Template, ...]:
    bodies = _placeholders(data, vocab)
    suffix = str(data.get("day_suffix") or "")
    out = []
    for spec in list(data.get("templates") or []) + _BUILTIN_TEMPLATES:
        out.append(_Template(
            kind=str(spec.get("kind", "date")),
            regex=_compile_template(str(spec["pattern"]), bodies, suffix),
            direction=spec.get("direction"),
            shift=int(spec.get("shift", 0)),
            sign=int(spec.get("sign", -1)),
            header_only=bool(spec.get("header_only", False)),
            scope=spec.get("scope"),
        ))
    return tuple(out)


def _lang_from_yaml(code: str, data: dict[str, Any]) -> _Lang:
    vocab: dict[str, dict[str, Any]] = {
        "weekdays": _vocab(data.get("weekdays")),
        "months": {k: v + 1 for k, v in _vocab(data.get("months")).items()},
        "numbers": {_key(str(k)): int(v) for k, v in (data.get("numbers") or {}).items()},
        "units": {_key(str(w)): unit for unit, words in (data.get("units") or {}).items() for w in words},
        "named": {_key(str(k)): int(v) for k, v in (data.get("named_days") or {}).items()},
        "day_words": {_key(str(k)): int(v) for k, v in (data.get("day_words") or {}).items()},
    }
    cues = data.get("published_cues") or []
    bounds = data.get("bound_cues") or []
    return _Lang(
        bound_cues=re.compile(rf"(?<!\w)(?:{_alternation(bounds)})\s*$", re.IGNORECASE) if bounds else None,
        code=code,
        templates=_build_templates(data, vocab),
        future_cues=tuple(re.compile(c, re.IGNORECASE) for c in data.get("future_cues") or []),
        published_cues=re.compile(_alternation(cues), re.IGNORECASE) if cues else None,
        **vocab,
    )


@cache
def _neutral() -> _Lang:
    """Language-independent fallback: ISO dates only."""
    return _lang_from_yaml("", {})


@cache
def load_language(lang: str) -> _Lang | None:
    """The compiled date knowledge of a language, or None when it has no dates.yaml."""
    if not lang or not re.fullmatch(r"[A-Za-z_-]{2,12}", lang):
        return None
    path = LANGS_DIR / lang.lower() / "dates.yaml"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return _lang_from_yaml(lang.lower(), data)


def available_languages() -> list[str]:
    """Codes of the languages with a dates.yaml."""
    return sorted(p.parent.name for p in LANGS_DIR.glob("*/dates.yaml"))


def _languages(lang: str | None) -> list[_Lang]:
    if lang:
        loaded = load_language(lang)
        return [loaded] if loaded else [_neutral()]
    return [lg for code in available_languages() if (lg := load_language(code))]


# --------------------------------------------------------------------------- matching


@dataclass
class _Candidate:
    start: int
    end: int
    template: _Template
    lang: _Lang
    match: re.Match[str]
    order: int


def _candidates(text: str, langs: list[_Lang], header: bool) -> list[_Candidate]:
    """Every template match, with the span trimmed of its `lead` group."""
    out: list[_Candidate] = []
    order = 0
    for lg in langs:
        for tpl in lg.templates:
            order += 1
            if tpl.header_only and not header:
                continue
            for m in tpl.regex.finditer(text):
                start = m.end("lead") if "lead" in m.re.groupindex and m.group("lead") else m.start()
                if m.end() > start:
                    out.append(_Candidate(start, m.end(), tpl, lg, m, order))
    return out


def _select(cands: list[_Candidate]) -> list[_Candidate]:
    """Non-overlapping candidates, longest first (then earliest, then template order)."""
    chosen: list[_Candidate] = []
    starts: list[int] = []  # the chosen spans, disjoint, in text order: their ends are in order too
    ends: list[int] = []
    for c in sorted(cands, key=lambda c: (c.start - c.end, c.start, c.order)):
        k = bisect_left(starts, c.end)  # spans [k:] start at or after c's end
        if k and ends[k - 1] > c.start:  # the last span starting before c's end overlaps it
            continue
        chosen.append(c)
        starts.insert(k, c.start)
        ends.insert(k, c.end)
    return sorted(chosen, key=lambda c: c.start)


# --------------------------------------------------------------------------- calendar helpers


def _parse_iso(value: str | None) -> date | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    n = year * 12 + (month - 1) + delta
    return n // 12, n % 12 + 1


def _expand_yy(yy: int, base: int) -> int:
    """Two-digit year -> the four-digit year with those digits closest to (not far after) base."""
    century = base - base % 100
    for cand in (century + yy, century - 100 + yy, century + 100 + yy):
        if cand <= base + 10 and base - cand < 90:
            return cand
    return century + yy


def _iso_month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _weekday_date(wd: int, ref: date, mode: str) -> date:
    """Resolve a weekday against ref.  mode: past | future | upcoming | week | recent."""
    back = (ref.weekday() - wd) % 7
    ahead = (wd - ref.weekday()) % 7
    if mode == "past":
        return ref - timedelta(days=back or 7)
    if mode == "future":
        return ref + timedelta(days=ahead or 7)
    if mode == "upcoming":
        return ref + timedelta(days=ahead)
    if mode == "week":  # the same ISO (Monday-first) week as ref
        return ref + timedelta(days=wd - ref.weekday())
    if mode == "nearest":  # the closest such day, the past one on a tie
        return ref - timedelta(days=back) if back <= ahead else ref + timedelta(days=ahead)
    return ref - timedelta(days=back)


def _year_for(month: int, day: int | None, direction: str | None, ref: date) -> int:
    """The year of a year-less day or month, as seen from ref."""
    here = (month, day or 0)
    now = (ref.month, ref.day if day else 0)
    if direction == "past":  # strictly before ref ("le 6 mai dernier", "septembre dernier")
        return ref.year - 1 if here >= now else ref.year
    if direction == "future":  # strictly after ref ("lundi 1er septembre prochain")
        return ref.year + 1 if here <= now else ref.year
    cand = _safe_date(ref.year, month, day or 1) or date(ref.year, month, 28)
    return ref.year - 1 if (cand - ref).days > FUTURE_WINDOW_DAYS else ref.year


# --------------------------------------------------------------------------- resolution


@dataclass
class _Fields:
    weekday: int | None = None
    day: int | None = None
    month: int | None = None
    year: int | None = None
    yy: int | None = None


@dataclass
class _Resolved:
    mention: DateMention
    fields: _Fields = field(default_factory=_Fields)
    bare_weekday: bool = False
    explicit_day: date | None = None
    guessed_year: bool = False  # a day/month whose year came from the window around ref


def _group(m: re.Match[str], name: str) -> str | None:
    return m.group(name) if name in m.re.groupindex else None


def _fields(m: re.Match[str], lg: _Lang) -> _Fields:
    f = _Fields()
    if (wd := _group(m, "weekday")) is not None:
        f.weekday = lg.weekdays.get(_key(wd))
    if (mo := _group(m, "month")) is not None:
        f.month = lg.months.get(_key(mo))
    elif (mm := _group(m, "mm")) is not None:
        f.month = int(mm)
    if (d := _group(m, "day")) is not None:
        f.day = int(d) if d.isdigit() else lg.day_words.get(_key(d))
    if (y := _group(m, "year")) is not None:
        f.year = int(y)
    elif (yy := _group(m, "yy")) is not None:
        f.yy = int(yy)
    return f


def _future_context(text: str, start: int, end: int, lg: _Lang) -> bool:
    """Is there a future-tense cue in the clause of the expression at [start, end)?"""
    before = text[max(0, start - CUE_WINDOW):start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    window = before
    if len(before.split()) <= 1:  # expression opens its clause: look at what follows
        after = text[end:end + CUE_WINDOW]
        stop = _SENTENCE_BREAK.search(after)
        window = after[:stop.start()] if stop else after
    for cue in lg.future_cues:
        for m in cue.finditer(window):
            word = m.group(0)
            if word[:1].isupper() and not word.isupper():  # proper noun, not a verb
                continue
            return True
    return False


def _resolve_date(c: _Candidate, text: str, ref: date | None, default_year: int | None) -> _Resolved | None:
    f = _fields(c.match, c.lang)
    direction = c.template.direction
    if f.yy is not None:
        f.year = _expand_yy(f.yy, ref.year if ref else default_year or date.today().year)
    mention = DateMention(c.start, c.end, text[c.start:c.end], None, "day", False)
    res = _Resolved(mention, f)
    if f.month is None and f.day is None:
        if f.year is not None and f.weekday is None:
            if not 1900 <= f.year <= 2099 and not _group(c.match, "lead"):
                return None
            mention.value, mention.granularity = f"{f.year:04d}", "year"
            return res
        if f.weekday is None:
            return None
        mention.kind = "weekday"
        return _resolve_weekday(res, c, text, ref)
    if f.month is None:  # weekday + day number: "vendredi 22"
        return _resolve_day_only(res, ref)
    return _resolve_calendar(res, direction, ref, default_year)


def _resolve_weekday(res: _Resolved, c: _Candidate, text: str, ref: date | None) -> _Resolved:
    direction = c.template.direction
    res.mention.relative = True
    res.bare_weekday = direction is None
    if ref is None or res.fields.weekday is None:
        return res
    if direction == "this":  # "ce dimanche", "este martes": this week's, or the coming one
        mode = "upcoming" if _future_context(text, c.start, c.end, c.lang) else "nearest"
    elif direction in ("past", "future"):
        mode = direction
    else:
        mode = "future" if _future_context(text, c.start, c.end, c.lang) else "recent"
    res.mention.value = _weekday_date(res.fields.weekday, ref, mode).isoformat()
    return res


def _resolve_day_only(res: _Resolved, ref: date | None) -> _Resolved | None:
    """A day number with a weekday and no month: the nearest such date around ref."""
    f = res.fields
    res.mention.relative = True
    if ref is None or f.day is None:
        return res
    best: tuple[int, int, date] | None = None
    for off in range(-20, 21):
        d = ref + timedelta(days=off)
        if d.day != f.day:
            continue
        key = (0 if f.weekday is None or d.weekday() == f.weekday else 1, abs(off), d)
        best = key if best is None or key < best else best
    if best is None:
        return None
    res.mention.value = best[2].isoformat()
    res.explicit_day = best[2] if best[0] == 0 else None
    return res


def _resolve_calendar(res: _Resolved, direction: str | None, ref: date | None,
                      default_year: int | None) -> _Resolved | None:
    f, mention = res.fields, res.mention
    assert f.month is not None
    year = f.year
    if year is None:
        mention.relative = True
        res.guessed_year = direction is None
        if ref is not None:
            year = _year_for(f.month, f.day, direction, ref)
        else:
            year = default_year
    if f.day is None:
        mention.granularity = "month"
        mention.value = _iso_month(year, f.month) if year is not None else None
        return res
    if year is None:
        if _safe_date(2000, f.month, f.day) is None:  # 2000 is a leap year
            return None
        return res
    d = _safe_date(year, f.month, f.day)
    if res.guessed_year and f.weekday is not None:  # "jeudi 12 septembre": the year that fits
        fits = [x for y in (year, year - 1, year + 1) if (x := _safe_date(y, f.month, f.day))
                and x.weekday() == f.weekday]
        d = fits[0] if fits else d
    if d is None:
        return None
    mention.value = d.isoformat()
    if f.weekday is not None and d.weekday() == f.weekday:
        res.explicit_day = d
    return res


def _resolve_named(c: _Candidate, text: str, ref: date | None) -> _Resolved | None:
    offset = c.lang.named.get(_key(c.match.group("named")))
    if offset is None:
        return None
    mention = DateMention(c.start, c.end, text[c.start:c.end], None, "day", True, kind="named")
    if ref is not None:
        mention.value = (ref + timedelta(days=offset)).isoformat()
    return _Resolved(mention)


def _number(word: str, lg: _Lang) -> int | None:
    return int(word) if word.isdigit() else lg.numbers.get(_key(word))


def _shifted(unit: str, n: int, ref: date) -> tuple[str, str]:
    """(value, granularity) of ref moved by n units."""
    if unit == "day":
        return (ref + timedelta(days=n)).isoformat(), "day"
    if unit == "week":
        return (ref + timedelta(weeks=n)).isoformat(), "day"
    if unit == "month":
        return _iso_month(*_add_months(ref.year, ref.month, n)), "month"
    return f"{ref.year + n:04d}", "year"


def _resolve_offset(c: _Candidate, text: str, ref: date | None) -> _Resolved | None:
    n = _number(c.match.group("num"), c.lang)
    unit = c.lang.units.get(_key(c.match.group("unit")))
    if n is None or unit is None:
        return None
    mention = DateMention(c.start, c.end, text[c.start:c.end], None, "day", True, kind="offset")
    if ref is not None:
        mention.value, mention.granularity = _shifted(unit, c.template.sign * n, ref)
    elif unit in ("month", "year"):
        mention.granularity = unit
    return _Resolved(mention)


def _period_value(unit: str, shift: int, ref: date) -> str:
    if unit == "week":
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=shift)
        return monday.isoformat()
    if unit == "month":
        return _iso_month(*_add_months(ref.year, ref.month, shift))
    if unit == "year":
        return f"{ref.year + shift:04d}"
    return (ref + timedelta(days=shift)).isoformat()


def _resolve_period(c: _Candidate, text: str, ref: date | None) -> _Resolved | None:
    unit = c.lang.units.get(_key(c.match.group("period")))
    if unit is None:
        return None
    mention = DateMention(c.start, c.end, text[c.start:c.end], None, unit, True, kind="period")
    if ref is not None:
        mention.value = _period_value(unit, c.template.shift, ref)
    return _Resolved(mention)


_UNIT_DAYS = {"day": 1, "week": 7}


def _resolve_relation(c: _Candidate, text: str) -> _Resolved | None:
    """ "la veille", "the next day", "two days later", "a day after <clause>": `shift` days from
    the story's day (scope story) or from the day of the sentence's main clause (scope clause).
    Its value is resolved later, against the day mentioned last before it (_apply_relations)."""
    shift = c.template.shift
    if "num" in c.match.re.groupindex and c.match.group("num"):
        n = _number(c.match.group("num"), c.lang)
        unit = c.lang.units.get(_key(c.match.group("unit") or ""))
        if n is None or unit not in _UNIT_DAYS:
            return None
        shift = c.template.sign * n * _UNIT_DAYS[unit]
    mention = DateMention(c.start, c.end, text[c.start:c.end], None, "day", True, kind="relation",
                          shift=shift, scope=c.template.scope or "story")
    return _Resolved(mention)


def _resolve(c: _Candidate, text: str, ref: date | None, default_year: int | None) -> _Resolved | None:
    kind = c.template.kind
    if kind == "date":
        return _resolve_date(c, text, ref, default_year)
    if kind == "named":
        return _resolve_named(c, text, ref)
    if kind == "offset":
        return _resolve_offset(c, text, ref)
    if kind == "period":
        return _resolve_period(c, text, ref)
    if kind == "relation":
        return _resolve_relation(c, text)
    return None


def _apply_anchors(resolved: list[_Resolved], ref: date | None) -> None:
    """A bare weekday repeating a fully dated weekday of the text near ref takes that date."""
    if ref is None:
        return
    anchors: dict[int, date] = {}
    for r in resolved:
        d = r.explicit_day
        if d is not None and -ANCHOR_BEFORE_DAYS <= (d - ref).days <= ANCHOR_AFTER_DAYS:
            anchors.setdefault(d.weekday(), d)
    for r in resolved:
        if r.bare_weekday and r.fields.weekday in anchors:
            r.mention.value = anchors[r.fields.weekday].isoformat()


def _apply_relations(resolved: list[_Resolved], ref: date | None) -> None:
    """A relation counts from the last day mentioned before it in the text, else from ref."""
    last = ref
    for r in resolved:
        m = r.mention
        if m.kind == "relation":
            if last is not None:
                m.value = (last + timedelta(days=m.shift)).isoformat()
            if m.scope == "story" and m.value:
                last = _parse_iso(m.value)
        elif m.granularity == "day" and m.value and (ref is None or m.value <= ref.isoformat()):
            last = _parse_iso(m.value)


def _apply_year_context(resolved: list[_Resolved], text: str) -> None:
    """A year-less day or month takes the year of an explicit year earlier in its sentence:
    "deux ruptures en 97 (en janvier ..., en octobre ...)"."""
    last_year: tuple[int, int] | None = None  # (end offset, year)
    for r in resolved:
        m, f = r.mention, r.fields
        if last_year and _SENTENCE_BREAK.search(text, last_year[0], m.start):
            last_year = None
        if r.guessed_year and last_year and f.month is not None:
            if f.day is None:
                m.value = _iso_month(last_year[1], f.month)
            elif r.explicit_day is None and (d := _safe_date(last_year[1], f.month, f.day)):
                m.value = d.isoformat()
        elif not r.guessed_year and m.value and m.value[:4].isdigit():
            last_year = (m.end, int(m.value[:4]))


def _find(text: str, langs: list[_Lang], ref: date | None, default_year: int | None,
          header: bool = False) -> list[_Resolved]:
    if not isinstance(text, str) or not text:
        return []
    out: list[_Resolved] = []
    for c in _select(_candidates(text, langs, header)):
        try:
            r = _resolve(c, text, ref, default_year)
        except (ValueError, OverflowError, KeyError):
            r = None
        if r is not None:
            cue = c.lang.bound_cues
            r.mention.bound = bool(cue and cue.search(text, max(0, c.start - 20), c.start))
            out.append(r)
    _apply_year_context(out, text)
    _apply_anchors(out, ref)
    _apply_relations(out, ref)
    return out


# --------------------------------------------------------------------------- public API


def find_dates(text: str, lang: str, published: str | None) -> list[DateMention]:
    """All date expressions in text, resolved against `published` (ISO date) when relative."""
    try:
        return [r.mention for r in _find(text, _languages(lang), _parse_iso(published), None)]
    except Exception:  # noqa: BLE001 - a date resolver must never take the pipeline down
        return []


def find_published(text: str, lang: str | None = None, year_hint: int | None = None) -> str | None:
    """Publication date from a dateline/header in the first ~300 chars, e.g. "Dernière mise à jour à 12h10 le 28/03" (needs a year: use year_hint, else a year in the text, else None), "PARIS, March 28, 2020 (AFP)", "Updated: 2020-08-30 10:15", "Publié le 28 mars 2020". Return ISO date or None."""
    if not isinstance(text, str) or not text:
        return None
    head = text[:HEAD_CHARS]
    if year_hint is None and (m := _YEAR_IN_TEXT.search(head)):
        year_hint = int(m.group(0))
    best: tuple[int, int] | None = None
    value: str | None = None
    for lg in _languages(lang):
        for r in _find(head, [lg], None, year_hint, header=True):
            key = _published_rank(head, r.mention, lg)
            if key is not None and (best is None or key < best):
                best, value = key, r.mention.value
    return value


def _published_rank(head: str, m: DateMention, lg: _Lang) -> tuple[int, int] | None:
    """Sort key of a publication-date candidate: cue-introduced first, then earliest."""
    if m.granularity != "day" or not m.value or len(m.value) != 10:
        return None
    cue = lg.published_cues is not None and lg.published_cues.search(head[max(0, m.start - 60):m.start])
    return (0 if cue else 1, m.start)

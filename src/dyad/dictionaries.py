"""Actor dictionaries: our YAML/CSV format and PETRARCH/CAMEO `.actors` files, read into `Entry` records.

Three formats (see docs/actors.md):

* **YAML** (ours): a list under ``actors:`` (with optional ``defaults:`` for every item); each item has ``name`` (canonical, English), ``country``
  (ISO-3, ``IGO`` or empty), ``sector``, ``kind`` (person/state/org/group, default person), ``title``,
  ``surname`` (the word(s) a bare surname mention uses, when not the last word), and aliases: ``aliases``
  (any language) and ``en``/``fr``/``es``/... (one language).
* **CSV** (ours): a header row with ``name,country,sector,kind,title,aliases``; ``aliases`` holds
  ``;``-separated names, each optionally prefixed with its language (``fr:Sergueï Lavrov``).
* **PETRARCH/TABARI actors** (``.actors``/``.txt``): ``NAME [CODE]`` lines, ``_`` for spaces, ``+ALIAS``
  continuation lines, codes on indented lines after the name, date-restricted codes
  (``[CODE <YYMMDD]``, ``[CODE >YYYYMMDD]``, ``[CODE YYYYMMDD-YYYYMMDD]``), ``#`` comments and ``<!-- -->``
  blocks.  CAMEO codes become fields: the first three letters are the country (an ISO-3 code, ``IGO``,
  ...), the next three-letter role codes give the sector.
* **PETRARCH agents** (``[~GOV]`` codes): generic role nouns ("FOREIGN_MINISTER"), read with
  :func:`load_petrarch_agents` into a noun → sector table; they are not actors by themselves.

Every loader returns a list of :class:`Entry`; :class:`dyad.registry.Registry` indexes them.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data"
BUILTIN = DATA / "actors.yaml"  # the first built-in file (current leaders); kept for existing callers
# Every built-in dictionary file: actors.yaml (2015 →), actors_world.yaml (historical figures, armed
# groups, movements and parties), actors_leaders.yaml (office holders 2005–2026) and
# actors_institutions.yaml (named national institutions and news agencies), all with the source
# label "builtin".
BUILTIN_FILES: tuple[Path, ...] = tuple(sorted(DATA.glob("actors*.yaml")))
ANY_LANG = "und"  # aliases valid in every language
KINDS = ("person", "state", "org", "group")

# CAMEO role codes (second and later three-letter groups) → our sector.
CAMEO_SECTORS: dict[str, str] = {
    "GOV": "GOV", "ELI": "GOV", "LEG": "GOV", "SPY": "GOV", "HLH": "GOV", "AGR": "GOV", "DEV": "GOV",
    "MIL": "MIL", "COP": "COP", "JUD": "JUD",
    "REB": "REB", "INS": "REB", "SEP": "REB", "UAF": "REB", "IMG": "REB",
    "OPP": "OPP", "PTY": "OPP", "ACT": "OPP",
    "BUS": "BUS", "MNC": "BUS",
    "MED": "MED", "EDU": "EDU", "CVL": "CVL", "LAB": "CVL", "REF": "CVL", "REL": "CVL", "HRI": "NGO",
    "NGO": "NGO", "NGM": "NGO", "IGO": "IGO",
}
# CAMEO first-position codes that are not states.
CAMEO_NON_STATE: dict[str, tuple[str | None, str | None]] = {
    "IGO": ("IGO", "IGO"), "UNO": ("IGO", "IGO"), "NGO": (None, "NGO"), "NGM": (None, "NGO"),
    "IMG": (None, "REB"), "MNC": (None, "BUS"),
}
# Older CAMEO/TABARI country codes that are not ISO-3 (or are a different state in ISO-3).
CAMEO_COUNTRY_FIXES: dict[str, str] = {"PAL": "PSE", "ROM": "ROU", "NZE": "NZL", "JAP": "JPN", "UAR": "EGY",
                                       "ZAM": "ZMB", "ROC": "TWN", "KUW": "KWT", "LEB": "LBN", "INS": "IDN",
                                       "ZBW": "ZWE", "UAE": "ARE", "BUL": "BGR", "LTH": "LTU", "MOM": "OMN",
                                       "IVO": "CIV", "SAF": "ZAF", "UNK": "GBR", "USR": "RUS", "GMW": "DEU"}

# Words that mark an entry as an organisation or a group rather than a person (PETRARCH has no kind).
_ORG_WORDS = {"ministry", "house", "council", "court", "organization", "organisation", "bank", "fund", "party",
              "government", "union", "agency", "committee", "nations", "television", "radio", "news",
              "command", "wing", "front", "movement", "company", "corporation", "office", "assembly",
              "parliament", "congress", "senate", "cross", "international", "tower", "group", "army", "navy",
              "police", "service", "kingdom", "republic", "state", "states", "tanks", "city", "stronghold"}
_GROUP_WORDS = {"troops", "gunmen", "rebels", "soldiers", "forces", "orcs", "militants", "fighters", "police"}
_PERSON_TITLES = ("president", "prime minister", "premier", "foreign minister", "minister", "chancellor",
                  "king", "queen", "prince", "princess", "emir", "sheikh", "general", "secretary general",
                  "secretary-general", "secretary of state", "chairman", "leader", "pope", "ayatollah",
                  "senator", "governor", "mayor", "vice president", "crown prince")


@dataclass
class Period:
    """A code in force between two days (inclusive; None = open)."""

    code: str | None
    country: str | None
    sector: str | None
    start: str | None = None  # ISO day
    end: str | None = None

    def covers(self, day: str | None) -> bool:
        if day is None:
            return self.start is None and self.end is None
        day = day[:10]
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass
class Entry:
    """One actor of a dictionary: its canonical identity and the names it goes by."""

    name: str
    country: str | None = None
    sector: str | None = None
    kind: str = "person"
    title: str | None = None
    aliases: dict[str, list[str]] = field(default_factory=dict)  # lang (or "und") → names
    surnames: list[str] = field(default_factory=list)  # bare-surname forms ("Lavrov"); default: derived
    surnames_given: bool = False  # `surname:` was written, so [] means "no bare form" ("Charles III")
    code: str | None = None  # the CAMEO code as written in a PETRARCH file
    periods: list[Period] = field(default_factory=list)  # date-restricted codes
    source: str = "builtin"  # "builtin", a file name, or "store"

    def names(self, lang: str | None = None) -> list[str]:
        """The canonical name and the aliases usable in `lang` (all languages when None)."""
        out = [self.name]
        for key, names in self.aliases.items():
            if lang is None or key in (lang, ANY_LANG):
                out.extend(names)
        return list(dict.fromkeys(out))

    def add_alias(self, alias: str, lang: str = ANY_LANG) -> None:
        alias = " ".join(alias.split())
        if alias and alias not in self.aliases.get(lang, []) and alias != self.name:
            self.aliases.setdefault(lang, []).append(alias)

    def on(self, day: str | None) -> tuple[str | None, str | None]:
        """(country, sector) in force on `day` (ISO): a date-restricted code covering it, else the default."""
        if day:
            for p in self.periods:
                if (p.start or p.end) and p.covers(day):
                    return p.country, p.sector
        return self.country, self.sector


# --------------------------------------------------------------------------------------------- dispatch


def load(path: str | Path) -> list[Entry]:
    """Entries of a dictionary file, the format chosen by extension (``.yaml``/``.yml``, ``.csv``) or, for
    anything else, read as a PETRARCH actors file (agents files are refused: use load_petrarch_agents)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in {".yaml", ".yml"}:
        return load_yaml(path)
    if suffix in {".csv", ".tsv"}:
        return load_csv(path)
    text = path.read_text(encoding="utf-8", errors="replace")
    if is_agents_text(text):
        raise ValueError(f"{path} is a PETRARCH agents dictionary (role nouns such as [~GOV]), not actors")
    return parse_petrarch(text, source=path.name)


# --------------------------------------------------------------------------------------------- ours


def load_yaml(path: str | Path) -> list[Entry]:
    """Entries of a YAML dictionary in our format (a list under ``actors:``, or a bare list)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    items = data.get("actors", []) if isinstance(data, dict) else data
    defaults = (data.get("defaults") or {}) if isinstance(data, dict) else {}
    source = "builtin" if Path(path).resolve() in BUILTIN_FILES else Path(path).name
    return [entry_from_dict({**defaults, **item}, source=source) for item in items]


def load_builtin() -> list[Entry]:
    """The entries of every built-in dictionary file (:data:`BUILTIN_FILES`), in file order."""
    return [entry for path in BUILTIN_FILES for entry in load_yaml(path)]


def entry_from_dict(item: dict[str, Any], source: str = "builtin") -> Entry:
    """One YAML item → Entry.  Language keys (``en``, ``fr``, ``es``, ...) hold that language's aliases."""
    if not item.get("name"):
        raise ValueError(f"dictionary entry without a name: {item!r}")
    kind = item.get("kind") or "person"
    if kind not in KINDS:
        raise ValueError(f"{item['name']}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    entry = Entry(name=str(item["name"]).strip(), country=_upper(item.get("country")),
                  sector=_upper(item.get("sector")), kind=kind, title=item.get("title") or None,
                  code=item.get("code") or None, source=source, surnames=_as_list(item.get("surname")),
                  surnames_given="surname" in item)
    if entry.country is None and kind == "org" and entry.sector == "IGO":
        entry.country = "IGO"
    for alias in _as_list(item.get("aliases")):
        entry.add_alias(alias)
    for key, value in item.items():
        if re.fullmatch(r"[a-z]{2}", key):
            for alias in _as_list(value):
                entry.add_alias(alias, key)
    return entry


def load_csv(path: str | Path) -> list[Entry]:
    """Entries of a CSV dictionary: ``name,country,sector,kind,title,aliases`` (aliases ``;``-separated,
    each optionally ``lang:`` prefixed)."""
    path = Path(path)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=delimiter):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
            if not row.get("name"):
                continue
            item: dict[str, Any] = {k: row.get(k) or None for k in ("name", "country", "sector", "kind", "title",
                                                                   "surname")}
            entry = entry_from_dict(item, source=path.name)
            for alias in filter(None, (a.strip() for a in (row.get("aliases") or "").split(";"))):
                lang, _, name = alias.partition(":")
                if name and re.fullmatch(r"[a-z]{2}", lang):
                    entry.add_alias(name.strip(), lang)
                else:
                    entry.add_alias(alias)
            out.append(entry)
    return out


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _upper(value: Any) -> str | None:
    return str(value).strip().upper() or None if value else None


# --------------------------------------------------------------------------------------------- PETRARCH

_COMMENT_BLOCK = re.compile(r"<!?\s*-?-.*?-->", re.S)
_CODE = re.compile(r"\[([^\]]*)\]")


def load_petrarch(path: str | Path) -> list[Entry]:
    """Entries of a PETRARCH/TABARI actors dictionary file."""
    path = Path(path)
    return parse_petrarch(path.read_text(encoding="utf-8", errors="replace"), source=path.name)


def parse_petrarch(text: str, source: str = "petrarch") -> list[Entry]:
    """Entries of PETRARCH actors text: a name line (optionally with its code), ``+ALIAS`` lines and
    indented ``[CODE]`` lines until the next name.  Entries whose only codes are discards (``---``,
    ``+++``) or that have no code are skipped."""
    entries: list[Entry] = []
    current: dict[str, Any] | None = None
    for line in _COMMENT_BLOCK.sub("", text).splitlines():
        body = line.split("#", 1)[0].rstrip()
        if not body.strip():
            continue
        stripped = body.strip()
        if stripped.startswith("+") and current is not None:
            current["aliases"].append(_CODE.sub("", stripped[1:]).strip())
            current["codes"] += _CODE.findall(stripped)
        elif stripped.startswith("[") and current is not None:
            current["codes"] += _CODE.findall(stripped)
        elif stripped.startswith("<"):
            continue  # a stray tag line
        else:
            _flush(current, entries, source)
            current = {"name": _CODE.sub("", stripped).strip(), "aliases": [], "codes": _CODE.findall(stripped)}
    _flush(current, entries, source)
    return entries


def _flush(raw: dict[str, Any] | None, entries: list[Entry], source: str) -> None:
    if raw is None or not raw["name"]:
        return
    periods = [p for p in (parse_code(c) for c in raw["codes"]) if p is not None]
    if not periods:
        return
    default = next((p for p in periods if p.start is None and p.end is None), periods[-1])
    entries.append(petrarch_entry(raw["name"], raw["aliases"], default, periods, source))


def petrarch_entry(raw_name: str, raw_aliases: list[str], default: Period, periods: list[Period],
                   source: str) -> Entry:
    """An Entry from a PETRARCH name: "PRESIDENT_GEORGE_W._BUSH" → name "George W. Bush", title
    "President", aliases "President George W. Bush"; country names become the state (geo's name)."""
    phrase = petrarch_phrase(raw_name)
    title, bare = split_title(phrase)
    kind, name, country = _kind_and_name(bare, default.country, default.sector)
    entry = Entry(name=name, country=country, sector=default.sector, kind=kind,
                  title=title.title() if title else None, code=default.code, source=source,
                  periods=[p for p in periods if p.start or p.end])
    for alias in [phrase, *(petrarch_phrase(a) for a in raw_aliases)]:
        entry.add_alias(pretty_name(alias))
    if title and kind == "person":
        entry.add_alias(pretty_name(bare))
    return entry


def petrarch_phrase(raw: str) -> str:
    """A PETRARCH phrase as words: underscores as spaces, the end-of-word marker dropped."""
    return " ".join(raw.replace("_", " ").split())


def split_title(phrase: str) -> tuple[str | None, str]:
    """("President", "George W. Bush") from "PRESIDENT GEORGE W. BUSH"; (None, phrase) when no title leads."""
    low = phrase.lower()
    for title in sorted(_PERSON_TITLES, key=len, reverse=True):
        rest = low[len(title) + 1:]
        if low.startswith(title + " ") and rest and not rest.startswith(("of ", "de ", "du ")):
            return phrase[: len(title)], phrase[len(title) + 1:]
    return None, phrase


def pretty_name(phrase: str) -> str:
    """Upper-case dictionary words in name case: "GEORGE W. BUSH" → "George W. Bush", "GROUP OF 77" →
    "Group of 77"; a one-word acronym ("PLO", "U.S.") and words without vowels stay in capitals."""
    if phrase != phrase.upper():
        return phrase
    words = phrase.split()
    return " ".join(_pretty_word(w, len(words) == 1, i == 0) for i, w in enumerate(words))


_SMALL_WORDS = {"of", "the", "and", "for", "de", "la", "le", "du", "des", "el", "y", "et", "al", "bin"}


def _pretty_word(word: str, alone: bool, first: bool) -> str:
    if "." in word or any(c.isdigit() for c in word) or not re.search(r"[AEIOUY]", word):
        return word
    if alone and len(word) <= 4:
        return word
    if word.lower() in _SMALL_WORDS and not first:
        return word.lower()
    return "-".join(p.capitalize() for p in word.split("-"))


def _kind_and_name(bare: str, country: str | None, sector: str | None) -> tuple[str, str, str | None]:
    """Kind, canonical name and country of a PETRARCH entry: a country/capital name is the state (geo's
    English name), an IGO is an org, organisation words make an org or group, anything else a person."""
    from dyad import geo

    words = set(bare.lower().split())
    hit = geo.lookup(bare.title(), "en") or geo.lookup(bare, "en")
    if hit is not None and hit.kind in {"country", "capital", "demonym"} and (country in (None, hit.iso3)):
        return "state", hit.name, hit.iso3
    if hit is not None and hit.kind == "igo":
        return "org", hit.name, "IGO"
    if country == "IGO" or sector in {"IGO", "NGO", "MED", "BUS"} or words & _ORG_WORDS:
        return ("group" if words & _GROUP_WORDS else "org"), pretty_name(bare), country
    if words & _GROUP_WORDS or sector in {"REB", "OPP", "MIL", "COP"}:
        return "group", pretty_name(bare), country
    if sector is None and country is not None:
        return "org", pretty_name(bare), country  # "GAZA_CITY [PSEGZA]": a place or body of a state
    return "person", pretty_name(bare), country


def parse_code(raw: str) -> Period | None:
    """One bracketed code, maybe date-restricted: "USAGOV", "HOB <950601", "HOBREB >990816",
    "HOBGOV 19950601 - 19990815".  Discard codes (``---``, ``+++``, ``###``) give None."""
    raw = raw.strip()
    match = re.match(r"^([A-Za-z~+\-#][A-Za-z0-9~/+\-#]*)?\s*(.*)$", raw)
    if not match:
        return None
    code, restriction = (match.group(1) or "").upper(), match.group(2).strip()
    if not code or set(code) <= set("-+#") or "/" in code:
        return None  # discard codes, or TABARI's alternatives "FRO/BIL/SAM"
    country, sector = cameo_fields(code)
    start = end = None
    if restriction.startswith("<"):
        end = _petrarch_day(restriction[1:])
    elif restriction.startswith(">"):
        start = _petrarch_day(restriction[1:])
    elif "-" in restriction:
        a, _, b = restriction.partition("-")
        start, end = _petrarch_day(a), _petrarch_day(b)
    return Period(code=code, country=country, sector=sector, start=start, end=end)


def _petrarch_day(raw: str) -> str | None:
    """YYMMDD or YYYYMMDD → ISO day (two-digit years: 50–99 → 19xx, else 20xx)."""
    digits = re.sub(r"\D", "", raw)
    if len(digits) == 6:
        year = int(digits[:2])
        digits = f"{1900 + year if year >= 50 else 2000 + year}{digits[2:]}"
    if len(digits) != 8:
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:])).isoformat()
    except ValueError:
        return None


def cameo_fields(code: str) -> tuple[str | None, str | None]:
    """(country, sector) of a CAMEO actor code: "USAGOV" → ("USA", "GOV"), "IGOCOPITP" → ("IGO", "COP"),
    "RUS" → ("RUS", None), "NGO" → (None, "NGO").  Unknown first codes (fantasy or regional) give no
    country; the first known role code among the following triples gives the sector."""
    code = code.strip().upper().lstrip("~")
    head, rest = code[:3], code[3:]
    if head in CAMEO_NON_STATE:
        country, sector = CAMEO_NON_STATE[head]
    else:
        country, sector = _cameo_country(head), None
    role = next((CAMEO_SECTORS[rest[i:i + 3]] for i in range(0, len(rest) - 2, 3)
                 if rest[i:i + 3] in CAMEO_SECTORS), None)
    if role and sector in (None, "IGO"):
        sector = role
    return country, sector


def _cameo_country(head: str) -> str | None:
    if head in CAMEO_COUNTRY_FIXES:
        return CAMEO_COUNTRY_FIXES[head]
    return head if head in _iso3_codes() else None


@cache
def _iso3_codes() -> frozenset[str]:
    from dyad import geo

    return frozenset(geo.iso2_to_iso3().values()) | frozenset(geo.states())


# --------------------------------------------------------------------------------------------- agents


def is_agents_text(text: str) -> bool:
    """Does this PETRARCH text hold agents (codes like ``[~GOV]``) rather than actors?"""
    codes = _CODE.findall(_COMMENT_BLOCK.sub("", text))
    agents = sum(1 for c in codes if "~" in c)
    return bool(codes) and agents > len(codes) / 2


def load_petrarch_agents(path: str | Path) -> dict[str, str]:
    """A PETRARCH agents file as {noun phrase (lower case, spaces): sector}, e.g. "foreign minister" → GOV.
    ``!PERSON!``-style substitution sets are expanded; plurals in ``{...}`` are added."""
    text = _COMMENT_BLOCK.sub("", Path(path).read_text(encoding="utf-8", errors="replace"))
    subs: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for line in text.splitlines():
        body = line.split("#", 1)[0].strip()
        sub = re.match(r"^(![A-Z]+!)\s*=\s*(.*)$", body)
        if sub:
            subs[sub.group(1)] = [w.strip() for w in sub.group(2).split(",") if w.strip()]
            continue
        codes = _CODE.findall(body)
        if not codes:
            continue
        sector = CAMEO_SECTORS.get(codes[0].replace("~", "").strip()[:3])
        head = _CODE.sub("", body)
        plurals = re.findall(r"\{([^}]*)\}", head)
        head = re.sub(r"\{[^}]*\}", "", head).strip()
        for phrase in _expand(head, subs) + [p for pl in plurals for p in _expand(pl, subs)]:
            phrase = petrarch_phrase(phrase).lower()
            if phrase and sector:
                out.setdefault(phrase, sector)
    return out


def _expand(phrase: str, subs: dict[str, list[str]]) -> list[str]:
    for key, words in subs.items():
        if key in phrase:
            return [p for w in words for p in _expand(phrase.replace(key, w), subs)]
    return [phrase] if phrase.strip() else []

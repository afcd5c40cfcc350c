"""Actor identity across articles and languages: one canonical name and id per actor.

A :class:`Registry` holds dictionary entries (canonical English name, country, sector, kind, title,
aliases per language) from three places: the built-in dictionaries ``data/actors*.yaml``, user
dictionaries (our YAML/CSV, PETRARCH ``.actors`` files; :meth:`Registry.load`) and what a store has
learned (``dyad.actor_store``, the store side, reads and writes them: this module knows nothing of
DuckDB or of the pipeline).

`Registry.resolve(article)` rewrites the actors of an article's events and quotes in place to their
canonical identity ("Sergueï Lavrov" → "Sergey Lavrov", RUS), so one person has one id
(``records.actor_id(name, country, kind)``) in every language.  Matching, in order (docs/actors.md):

1. the normalised name (accents, case, honorifics, hyphens and dots folded) is a name or alias of
   an entry of a compatible kind and country;
2. a transliteration variant: rapidfuzz ratio >= 90 against a full name, same country when the
   mention has one;
3. a bare surname ("Lavrov", "M. Wang"): only when exactly one compatible entry has that surname
   (the article's own resolved actors and the mention's country narrow the choice).

Anything else is left as the coder found it: ambiguity is kept, not guessed.  States are named by
:mod:`dyad.geo` ("Pékin" → China); `resolve` only makes sure every state actor carries geo's English
name for its country.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from unidecode import unidecode

from dyad import dictionaries, geo
from dyad.dictionaries import Entry
from dyad.merge import merge_events
from dyad.records import Actor, Article, actor_id

if TYPE_CHECKING:
    from spacy.tokens import Doc

FUZZY_MIN = 90  # rapidfuzz ratio for a transliteration variant of a full name
FUZZY_MIN_LEN = 8  # shorter names are matched exactly only
ENV_DICTIONARIES = "DYAD_ACTORS"  # extra dictionary files for the default registry (os.pathsep-separated)
HONORIFICS = {"mr", "mrs", "ms", "dr", "sir", "madam", "m", "mme", "mlle", "monsieur", "madame", "mademoiselle",
              "sr", "sra", "srta", "senor", "senora", "senorita", "don", "dona", "herr", "frau"}
_SPLIT = re.compile(r"[\s\-‐‑_]+")


def key(name: str) -> str:
    """The matching key of a name: accent-free, lower-case, dots and apostrophes dropped, hyphens as
    spaces, leading honorifics removed ("M. Sergueï Lavrov" → "serguei lavrov")."""
    text = unidecode(name).lower().replace("’", "'")
    text = re.sub(r"[.,'`\"()]", " ", text)
    words = [w for w in _SPLIT.split(text) if w]
    while len(words) > 1 and words[0] in HONORIFICS:
        words.pop(0)
    return " ".join(words)


def token_key(text: str) -> str:
    """One token's matching form (as :func:`key`, without honorific stripping)."""
    return " ".join(w for w in _SPLIT.split(re.sub(r"[.'’`\"]", "", unidecode(text).lower())) if w)


@dataclass
class _Context:
    """What one article has already resolved: entries used, and its actors' countries."""

    used: set[int]
    countries: set[str]
    day: str | None


class Registry:
    """Canonical identities of actors, with their names in every language seen."""

    def __init__(self, entries: Iterable[Entry] = (), builtin: bool = True):
        self.entries: list[Entry] = []
        self._by_key: dict[str, list[int]] = {}
        self._by_surname: dict[str, list[int]] = {}
        self._fuzzy: dict[str, int] = {}  # full-name key → entry (persons from dictionaries)
        self._by_id: dict[str, int] = {}
        self._states: dict[str, int] = {}
        self._merged_from: dict[int, set[str]] = {}  # entry → sources merged into it
        self._patterns: dict[str, dict[tuple[str, ...], list[_Pattern]]] = {}
        self._firsts: dict[str, frozenset[str]] = {}
        if builtin:
            self.extend(dictionaries.load_builtin())
        self.extend(entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    # ------------------------------------------------------------------ building
    def load(self, path: str | Path) -> int:
        """Add the entries of a dictionary file (YAML, CSV or PETRARCH actors); returns how many it had."""
        entries = dictionaries.load(path)
        self.extend(entries)
        return len(entries)

    def extend(self, entries: Iterable[Entry]) -> None:
        for entry in entries:
            self.add(entry)

    def add(self, entry: Entry) -> Entry:
        """Add an entry, or merge it into the entry it names already (same name or alias, or a unique
        surname of the same country): its aliases, periods and blank fields join that entry."""
        target = self._merge_target(entry)
        if target is None:
            self.entries.append(entry)
            self._index(len(self.entries) - 1)
            return entry
        old = self.entries[target]
        self._merged_from.setdefault(target, set()).add(entry.source)
        for lang, names in entry.aliases.items():
            for alias in names:
                old.add_alias(alias, lang)
        if entry.name != old.name:
            old.add_alias(entry.name)
        old.sector = old.sector or entry.sector
        old.title = old.title or entry.title
        old.code = old.code or entry.code
        old.periods += [p for p in entry.periods if p not in old.periods]
        self._index(target)
        return old

    def _merge_target(self, entry: Entry) -> int | None:
        if entry.kind == "state":
            return self._states.get(entry.country or "")
        for name in entry.names():
            hits = [i for i in self._by_key.get(key(name), []) if self._same_actor(self.entries[i], entry)]
            if len(hits) == 1:
                return hits[0]
        if entry.kind == "person" and len(key(entry.name).split()) == 1 and entry.country:
            hits = [i for i in self._by_surname.get(key(entry.name), []) if self.entries[i].country == entry.country]
            if len(hits) == 1:
                return hits[0]
        return None

    @staticmethod
    def _same_actor(a: Entry, b: Entry) -> bool:
        kinds_ok = a.kind == b.kind or {a.kind, b.kind} <= {"org", "group"}
        return kinds_ok and (a.country == b.country or not a.country or not b.country)

    def _index(self, i: int) -> None:
        entry = self.entries[i]
        self._patterns.clear()
        self._firsts.clear()
        self._by_id[actor_id(entry.name, entry.country, entry.kind)] = i
        if entry.kind == "state" and entry.country:
            self._states.setdefault(entry.country, i)
        for name in entry.names():
            _add(self._by_key, key(name), i)
        if entry.kind != "person":
            return
        for surname in self._surnames(entry):
            _add(self._by_surname, key(surname), i)
        if entry.source != "store":
            for name in entry.names():
                k = key(name)
                if len(k.split()) > 1 and len(k) >= FUZZY_MIN_LEN:
                    self._fuzzy.setdefault(k, i)

    @staticmethod
    def _surnames(entry: Entry) -> list[str]:
        """The entry's bare-surname forms: given ones, else the last word of the name (East Asian names
        list their family name first with ``surname:``)."""
        if entry.surnames or entry.surnames_given or entry.source == "store":
            return entry.surnames
        words = key(entry.name).split()
        return [words[-1]] if len(words) > 1 else []

    # ------------------------------------------------------------------ lookup
    def lookup(self, name: str, country: str | None = None, kind: str = "person",
               day: str | None = None) -> Entry | None:
        """The one entry a name stands for (None when unknown or ambiguous)."""
        i = self._match(Actor(name=name, country=country, kind=kind), _Context(set(), set(), day))
        return self.entries[i] if i is not None else None

    def candidates(self, name: str, country: str | None = None, kind: str = "person") -> list[Entry]:
        """Every entry a name may stand for (several when it is ambiguous)."""
        return [self.entries[i] for i in dict.fromkeys(self._candidates(Actor(name=name, country=country, kind=kind)))]

    def _match(self, actor: Actor, ctx: _Context) -> int | None:
        hits = self._candidates(actor)
        return self._choose(hits, actor, ctx) if hits else None

    def _candidates(self, actor: Actor) -> list[int]:
        """The entries a name may stand for: those of the first step that finds any (exact name,
        then transliteration, then bare surname)."""
        k = key(actor.name)
        if not k or actor.kind == "state":
            return []
        for step in (self._exact, self._fuzzy_match, self._surname):
            hits = step(k, actor)
            if hits:
                return hits
        return []

    def _exact(self, k: str, actor: Actor) -> list[int]:
        hits = [i for i in self._by_key.get(k, []) if self._kind_ok(self.entries[i], actor)]
        same = [i for i in hits if self.entries[i].country == actor.country]
        if actor.country and same:
            return same
        if actor.country and len(k.split()) == 1:  # a bare word of another country: not this one
            return [i for i in hits if not self.entries[i].country]
        return hits  # a full name the dictionary knows: its country wins over the article's guess

    def _fuzzy_match(self, k: str, actor: Actor) -> list[int]:
        if actor.kind != "person" or len(k.split()) < 2 or len(k) < FUZZY_MIN_LEN or not self._fuzzy:
            return []
        found = process.extract(k, list(self._fuzzy), scorer=fuzz.ratio, score_cutoff=FUZZY_MIN, limit=5)
        hits = list(dict.fromkeys(self._fuzzy[name] for name, _, _ in found))
        return [i for i in hits if not actor.country or self.entries[i].country == actor.country]

    def _surname(self, k: str, actor: Actor) -> list[int]:
        if actor.kind != "person":
            return []
        hits = self._by_surname.get(k, [])
        return [i for i in hits if not actor.country or self.entries[i].country == actor.country]

    @staticmethod
    def _kind_ok(entry: Entry, actor: Actor) -> bool:
        if entry.kind == "state":
            return False
        if actor.kind == "person":
            return True  # NER calls some organisations people, and the other way round
        return entry.kind != "person" or actor.kind == "person"

    def _choose(self, hits: list[int], actor: Actor, ctx: _Context) -> int | None:
        """One entry among candidates, or None: the article's own choice first, then its countries."""
        hits = list(dict.fromkeys(hits))
        if len(hits) == 1:
            return hits[0]
        for narrowed in ([i for i in hits if i in ctx.used],
                         [i for i in hits if not actor.country and self.entries[i].country in ctx.countries]):
            if len(narrowed) == 1:
                return narrowed[0]
        return None

    # ------------------------------------------------------------------ resolve
    def resolve(self, article: Article) -> Article:
        """Every event and quote actor of the article → its canonical identity (in place).  Full names
        resolve before bare ones, so "Wang" follows the "Wang Yi" the article named.  `mention` is
        kept; events that become one (same key) are merged."""
        actors = list(_actors_of(article))
        if not actors:
            return article
        ctx = _Context(set(), {a.country for a in actors if a.country and a.country != "IGO"},
                       article.published)
        resolved: dict[str, Actor] = {}
        for actor in sorted({a.id: a for a in actors}.values(), key=lambda a: -len(key(a.name).split())):
            resolved[actor.id] = self.resolve_actor(actor, ctx)
        changed = False
        for ev in article.events:
            for side in ("source", "target"):
                old = getattr(ev, side)
                if old is not None:
                    new = _as_named(resolved[old.id], old)
                    changed |= new.id != old.id
                    setattr(ev, side, new)
        for qt in article.quotes:
            if qt.speaker is not None:
                qt.speaker = _as_named(resolved[qt.speaker.id], qt.speaker)
        if changed:
            article.events = merge_events(article.id, article.events)
        return article

    def resolve_actor(self, actor: Actor, ctx: _Context | None = None) -> Actor:
        """One actor's canonical identity (a new Actor; the same one when nothing matches)."""
        ctx = ctx or _Context(set(), set(), None)
        if actor.kind == "state":
            return _state(actor)
        hits = self._candidates(actor)
        i = self._choose(hits, actor, ctx) if hits else None
        if i is None:
            return self._with_shared_country(actor, hits)
        ctx.used.add(i)
        return self.actor_for(self.entries[i], ctx.day, like=actor)

    def _with_shared_country(self, actor: Actor, hits: list[int]) -> Actor:
        """A bare name several entries share ("President Assad": Hafez and Bashar al-Assad) names
        no one for sure, but when they all act for one state, the actor's country is known."""
        if actor.country or actor.kind != "person" or not hits:
            return actor
        countries = {self.entries[i].country for i in hits}
        if len(countries) != 1 or None in countries:
            return actor
        found = dataclasses.replace(actor, country=countries.pop(), id="")
        found.__post_init__()
        return found

    def actor_for(self, entry: Entry, day: str | None = None, like: Actor | None = None) -> Actor:
        """The Actor of an entry on a day; `like`'s sector and title are kept when it has them."""
        country, sector = entry.on(day)
        if entry.kind == "state" and country:
            return _state(Actor(name=entry.name, country=country, sector=sector or "GOV", kind="state",
                                mention=like.mention if like else entry.name))
        like = like or Actor(name=entry.name)
        return Actor(name=entry.name, country=country, sector=like.sector or sector,
                     kind=entry.kind, mention=like.mention or entry.name, title=like.title or entry.title)

    # ------------------------------------------------------------------ phrase patterns for the coder
    def patterns(self, lang: str) -> dict[tuple[str, ...], list[_Pattern]]:
        """Phrase patterns for finding dictionary actors in a parsed text: normalised token sequences
        (tokenised by the language's spaCy tokenizer, accent-free, lower-case) → the patterns (entry +
        alias) they stand for.  States and names :mod:`dyad.geo` knows are left to geo."""
        if lang not in self._patterns:
            self._patterns[lang] = self._build_patterns(lang)
        return self._patterns[lang]

    def _build_patterns(self, lang: str) -> dict[tuple[str, ...], list[_Pattern]]:
        from dyad.language import nlp

        tokenizer = nlp(lang).tokenizer
        out: dict[tuple[str, ...], list[_Pattern]] = {}
        for i, entry in enumerate(self.entries):
            if entry.kind == "state" or entry.source == "store":
                continue
            for alias in entry.names(lang):
                if geo.lookup(alias, lang) is not None:
                    continue
                tokens = tuple(t for t in (token_key(tok.text) for tok in tokenizer(alias)) if t)
                if tokens and len("".join(tokens)) >= 2:
                    bucket = out.setdefault(tokens, [])
                    if all(p.entry != i for p in bucket):
                        bucket.append(_Pattern(i, alias, any(c.isupper() for c in alias)))
        return out

    def find(self, doc: Doc, lang: str, day: str | None = None) -> list[tuple[int, int, Actor]]:
        """Dictionary actors in a parsed text: (start token, end token, Actor), longest match first,
        never overlapping.  A pattern written with capitals needs a capitalised word in the text;
        a phrase two entries share is skipped (ambiguous)."""
        patterns = self.patterns(lang)
        if not patterns:
            return []
        longest = max(len(k) for k in patterns)
        firsts = self._first_words(lang)
        norms = [token_key(t.text) for t in doc]
        out: list[tuple[int, int, Actor]] = []
        i = 0
        while i < len(doc):
            hit = self._match_at(doc, norms, i, patterns, longest) if norms[i] in firsts else None
            if hit is None:
                i += 1
                continue
            end, pattern = hit
            actor = self.actor_for(self.entries[pattern.entry], day)
            out.append((i, end, dataclasses.replace(actor, mention=doc[i:end].text)))
            i = end
        return out

    def _first_words(self, lang: str) -> frozenset[str]:
        """The words a pattern of the language can start with (most tokens start none)."""
        if lang not in self._firsts:
            self._firsts[lang] = frozenset(k[0] for k in self.patterns(lang))
        return self._firsts[lang]

    @staticmethod
    def _match_at(doc: Doc, norms: list[str], i: int, patterns: dict[tuple[str, ...], list[_Pattern]],
                  longest: int) -> tuple[int, _Pattern] | None:
        if not norms[i]:
            return None
        for n in range(min(longest, len(doc) - i), 0, -1):
            if not norms[i + n - 1]:
                continue
            found = patterns.get(tuple(t for t in norms[i:i + n] if t))
            if not found or len(found) != 1:
                continue
            if found[0].cased and not any(t.text[:1].isupper() for t in doc[i:i + n]):
                continue
            return i + n, found[0]
        return None

    # ------------------------------------------------------------------ persistence (dyad.actor_store)
    def entries_from(self, sources: Iterable[str] | None = None) -> list[Entry]:
        """The dictionary entries (all, or those from or merged with `sources`), states and entries
        learned from a store aside: what a store should keep of this registry."""
        wanted = set(sources) if sources is not None else None
        return [e for i, e in enumerate(self.entries) if e.source != "store" and e.kind != "state"
                and (wanted is None or e.source in wanted or self._merged_from.get(i, set()) & wanted)]


@dataclass(frozen=True)
class _Pattern:
    entry: int  # index into Registry.entries
    alias: str  # the dictionary's form
    cased: bool  # written with capitals: the text must have one too


def _add(index: dict[str, list[int]], k: str, i: int) -> None:
    if k and i not in index.setdefault(k, []):
        index[k].append(i)


def _actors_of(article: Article) -> Iterator[Actor]:
    for ev in article.events:
        yield from (a for a in (ev.source, ev.target) if a is not None)
    yield from (q.speaker for q in article.quotes if q.speaker is not None)


def _as_named(canonical: Actor, found: Actor) -> Actor:
    """The canonical actor as the article named it: its mention, and every form the article used
    (the in-article name "Sergueï Lavrov" too, now that the actor is "Sergey Lavrov")."""
    forms = [f for f in [*found.aliases, found.name] if f and f != canonical.name]
    return dataclasses.replace(canonical, mention=found.mention, aliases=list(dict.fromkeys(forms)))


def _state(actor: Actor) -> Actor:
    """A state actor named by geo's English name for its country (the same id in every language)."""
    if not actor.country or actor.country == "IGO":
        return actor
    name = geo.country_name(actor.country) or actor.name
    if name == actor.name:
        return actor
    return Actor(name=name, country=actor.country, sector=actor.sector or "GOV", kind="state",
                 mention=actor.mention, title=actor.title)


def build(dictionaries: Iterable[Entry] = (), files: Iterable[str | Path] = ()) -> Registry:
    """The registry an article is coded with: the built-in dictionary, then `dictionaries` (entries
    saved in the store), then dictionary `files`, always in this order, so that every process
    (the writer, each worker) builds the same one."""
    reg = Registry()
    reg.extend(copy.deepcopy(list(dictionaries)))
    for path in files:
        reg.load(path)
    return reg


_DEFAULT: Registry | None = None
_DICTIONARIES: list[Entry] = []  # the store's saved dictionaries, part of the default registry


def env_files() -> list[str]:
    """The dictionary files named in ``$DYAD_ACTORS`` (paths separated by ``os.pathsep``)."""
    return [p for p in os.environ.get(ENV_DICTIONARIES, "").split(os.pathsep) if p]


def default() -> Registry:
    """The registry used when the caller gives none (built once per process): the built-in dictionary,
    the dictionaries given to :func:`set_dictionaries`, and the files named in ``$DYAD_ACTORS``."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = build(_DICTIONARIES, env_files())
    return _DEFAULT


def set_default(registry: Registry | None) -> None:
    """Replace the process-wide registry (None: rebuild it on next use)."""
    global _DEFAULT
    _DEFAULT = registry


def set_dictionaries(entries: Iterable[Entry]) -> None:
    """Code with these saved dictionary entries too (a store's; ``dyad extract`` gives them to its
    workers); the default registry is rebuilt on next use."""
    global _DICTIONARIES
    _DICTIONARIES = list(entries)
    set_default(None)


def saved_dictionaries() -> list[Entry]:
    """The entries given to :func:`set_dictionaries`."""
    return list(_DICTIONARIES)

"""The actor registry in a store (the store side of identity): what a store has learned becomes a
:class:`~dyad.registry.Registry`, and dictionary entries are saved into a store.

    reg = registry_from_store(store)           # built-in dictionary + saved dictionaries + actors seen
    entries = store_dictionaries(store)        # the saved dictionaries only: what coding uses
    save_registry(reg, store, sources={"my_actors.yaml"})

Saved dictionaries live in ``actor_dictionary`` (source, CAMEO code, surnames, date-restricted
codes), next to the ``actors`` and ``actor_aliases`` rows the coder writes.  See docs/actors.md.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from typing import Any

from dyad.dictionaries import ANY_LANG, Entry, Period
from dyad.records import actor_id
from dyad.registry import Registry, key
from dyad.store import Store

REGISTRY_TABLE = "actor_dictionary"
_REGISTRY_DDL = f"""CREATE TABLE IF NOT EXISTS {REGISTRY_TABLE} (
    actor_id VARCHAR PRIMARY KEY,  -- actors.id of a dictionary entry
    source VARCHAR,                -- builtin, or the dictionary file it came from
    code VARCHAR,                  -- the CAMEO code of a PETRARCH entry
    surnames VARCHAR,              -- JSON list of bare-surname forms
    periods VARCHAR                -- JSON list of date-restricted codes
)"""


def registry_from_store(store: Store, builtin: bool = True, learned: bool = True) -> Registry:
    """A registry with the built-in dictionary, the dictionaries saved in the store
    (``actor_dictionary`` rows) and, when ``learned``, the people and organisations the store has
    seen (exact names and name-like aliases only); ``dyad actors lookup`` uses it.  Coding does not:
    ``dyad extract`` codes with the saved dictionaries only (:func:`store_dictionaries`, i.e.
    ``learned=False``), so an article's coding does not depend on what the store already holds
    (docs/scale.md)."""
    reg = Registry(builtin=builtin)
    reg.extend(store_dictionaries(store, learned=learned))
    return reg


def store_dictionaries(store: Store, learned: bool = False) -> list[Entry]:
    """The entries of the dictionaries saved in a store (``dyad dictionary import``), in actor id
    order; with ``learned``, also the people and organisations its articles named (source "store").
    ``dyad extract`` gives the saved ones to :func:`dyad.registry.set_dictionaries` (and so to
    every worker)."""
    con = store.con
    saved = _saved_entries(con)
    aliases: dict[str, list[tuple[str, str]]] = {}
    for actor_id_, alias, lang in con.execute(
            "SELECT actor_id, alias, lang FROM actor_aliases ORDER BY actor_id, lang, alias").fetchall():
        aliases.setdefault(actor_id_, []).append((alias, lang))
    rows = con.execute("SELECT id, name, country, sector, kind, title FROM actors ORDER BY id").fetchall()
    out = []
    for aid, name, country, sector, kind, title in rows:
        if not name or kind not in ("person", "org", "group"):
            continue
        meta = saved.get(aid)
        if meta is None and not learned:
            continue
        entry = Entry(name=name, country=country, sector=sector, kind=kind, title=title,
                      source=meta["source"] if meta else "store")
        if meta:
            entry.code, entry.surnames = meta["code"], meta["surnames"]
            entry.periods = meta["periods"]
        for alias, lang in aliases.get(aid, []):
            if meta or _name_like(alias, name):
                entry.add_alias(alias, lang if lang != "und" else ANY_LANG)
        out.append(entry)
    return out


def save_registry(registry: Registry, store: Store, sources: Iterable[str] | None = None) -> int:
    """Write dictionary entries (all, or those from or merged with `sources`) to the store: `actors`
    rows (the dictionary's country, sector and title win over blanks and earlier values),
    `actor_aliases` with each alias's language, and `actor_dictionary` (source, code, surnames,
    periods).  Entries learned from the store itself are not written back.  Returns the number of
    entries written."""
    entries = registry.entries_from(sources)
    con = store.con
    con.execute(_REGISTRY_DDL)
    con.begin()
    try:
        for entry in entries:
            _save_entry(con, entry)
        con.commit()
    except Exception:
        con.rollback()
        raise
    return len(entries)


def _name_like(alias: str, name: str) -> bool:
    """Is a stored alias a full form of the name ("Sergueï Lavrov" of "Sergey Lavrov"), not a pronoun, a
    title ("he", "le ministre russe") or a bare surname ("Bonne": another article's Bonne may be another
    person)?"""
    words, alias_words = set(key(name).split()), key(alias).split()
    return (len(alias_words) > 1 and alias[:1].isupper()
            and any(len(w) > 2 and w in words for w in alias_words))


def _saved_entries(con: Any) -> dict[str, dict[str, Any]]:
    exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                         [REGISTRY_TABLE]).fetchone()[0]
    if not exists:
        return {}
    out = {}
    for aid, source, code, surnames, periods in con.execute(
            f"SELECT actor_id, source, code, surnames, periods FROM {REGISTRY_TABLE}").fetchall():
        out[aid] = {"source": source or "dictionary", "code": code, "surnames": json.loads(surnames or "[]"),
                    "periods": [Period(**p) for p in json.loads(periods or "[]")]}
    return out


def _save_entry(con: Any, entry: Entry) -> None:
    aid = actor_id(entry.name, entry.country, entry.kind)
    con.execute(
        """INSERT INTO actors (id, name, country, sector, kind, title, n_mentions) VALUES (?, ?, ?, ?, ?, ?, 0)
           ON CONFLICT (id) DO UPDATE SET country = COALESCE(excluded.country, actors.country),
               sector = COALESCE(excluded.sector, actors.sector), title = COALESCE(excluded.title, actors.title)""",
        [aid, entry.name, entry.country, entry.sector, entry.kind, entry.title])
    rows = [(aid, alias, lang) for lang, names in entry.aliases.items() for alias in names]
    rows.append((aid, entry.name, "en"))
    con.executemany("INSERT OR IGNORE INTO actor_aliases (actor_id, alias, lang) VALUES (?, ?, ?)", rows)
    con.execute(f"INSERT OR REPLACE INTO {REGISTRY_TABLE} VALUES (?, ?, ?, ?, ?)",
                [aid, entry.source, entry.code, json.dumps(entry.surnames),
                 json.dumps([dataclasses.asdict(p) for p in entry.periods])])

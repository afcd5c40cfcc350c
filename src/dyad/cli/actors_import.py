"""`dyad dictionary`: actor dictionaries: import YAML/CSV/PETRARCH files into a store, check a file, look a name up."""

from __future__ import annotations

import argparse
import json
import textwrap
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from dyad.cli import CommandError
from dyad.cli._output import about, default_db

if TYPE_CHECKING:
    from dyad.dictionaries import Entry
    from dyad.registry import Registry

NAME = "dictionary"
PETRARCH = "../shared/bench/UniversalPetrarch/UniversalPetrarch/validate/PETR_Validate_actors_2_02.txt"
EXAMPLE_IMPORT = "dyad dictionary import docs/examples/my_actors.yaml --db dyad.duckdb"
EXAMPLE_CHECK = f"dyad dictionary check {PETRARCH}"
EXAMPLE_LOOKUP = 'dyad dictionary lookup "Sergueï Lavrov"'
EXAMPLE_LOOKUP_DB = "dyad dictionary lookup Lavrov --country RUS --db dyad.duckdb"
EXAMPLES = "Examples:\n" + "\n".join(
    f"  {e}" for e in (EXAMPLE_IMPORT, EXAMPLE_CHECK, EXAMPLE_LOOKUP, EXAMPLE_LOOKUP_DB))


def _wrap(text: str) -> str:
    return textwrap.fill(text, 95)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(NAME, help="import, check and query actor dictionaries", description=about(__doc__),
                       epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    cmds = p.add_subparsers(dest="dictionary_command", metavar="ACTION")

    raw = argparse.RawDescriptionHelpFormatter
    imp = cmds.add_parser(
        "import", help="load dictionary files into a store (used by later runs on it)", formatter_class=raw,
        description=_wrap("Read actor dictionaries (our YAML or CSV, PETRARCH .actors files) and write their "
                    "entries to a store's actors, actor_aliases and actor_dictionary tables; later "
                    "`dyad extract --db` runs on that store code with them."),
        epilog=f"Example: {EXAMPLE_IMPORT}")
    imp.add_argument("files", nargs="+", metavar="FILE", help=".yaml/.yml, .csv or a PETRARCH actors file")
    imp.add_argument("--db", default=None, metavar="PATH", help="DuckDB file to write (default: $DYAD_DB or dyad.duckdb)")
    imp.add_argument("--with-builtin", action="store_true", help="also write all the built-in dictionary's entries")
    imp.set_defaults(func=run_import)

    chk = cmds.add_parser(
        "check", help="read dictionary files and summarise them (nothing is written)", formatter_class=raw,
        description=_wrap("Read actor dictionaries and print, per file, how many entries and actors they hold "
                    "by kind and sector, and how many lack a country; --list prints every entry."),
        epilog=f"Example: {EXAMPLE_CHECK}")
    chk.add_argument("files", nargs="+", metavar="FILE")
    chk.add_argument("--list", action="store_true", help="print every entry as a JSON line")
    chk.set_defaults(func=run_check)

    look = cmds.add_parser(
        "lookup", help="the canonical actor a name resolves to (or why it does not)", formatter_class=raw,
        description=_wrap("Resolve a name as the coder does (built-in dictionary, --dictionary files, and what "
                    "--db holds) and print the actor it stands for as JSON, or the candidates when "
                    "it is ambiguous (exit status 1)."),
        epilog=f"Examples:\n  {EXAMPLE_LOOKUP}\n  {EXAMPLE_LOOKUP_DB}")
    look.add_argument("name")
    look.add_argument("--country", help="ISO-3 country the mention is known to have")
    look.add_argument("--kind", default="person", choices=["person", "org", "group"])
    look.add_argument("--date", help="ISO day, for date-restricted codes")
    look.add_argument("--dictionary", action="append", default=[], metavar="FILE", help="extra dictionary file")
    look.add_argument("--db", default=None, metavar="PATH", help="also use what this store holds")
    look.set_defaults(func=run_lookup)
    p.set_defaults(func=lambda args: p.print_help() or 2)


def run_import(args: argparse.Namespace) -> int:
    from dyad.actor_store import save_registry
    from dyad.registry import Registry
    from dyad.store import Store, StoreError

    reg = Registry()  # entries of the files that name a built-in actor join it (PUTIN → Vladimir Putin)
    loaded = {}
    for path in args.files:
        loaded[Path(path).name] = _load(reg, path)
    sources = None if args.with_builtin else set(loaded)
    db = args.db or default_db()
    try:
        store = Store(db)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    try:
        written = save_registry(reg, store, sources=sources)
    finally:
        store.close()
    for name, n in loaded.items():
        print(f"{name}: {n} entries read")
    print(f"{written} actors written to {db} (states are left to the gazetteer)")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from dyad.registry import Registry

    for path in args.files:
        reg = Registry(builtin=False)
        n = _load(reg, path)
        kinds = Counter(e.kind for e in reg)
        sectors = Counter(e.sector or "-" for e in reg)
        no_country = sum(1 for e in reg if not e.country)
        dated = sum(1 for e in reg if e.periods)
        print(f"{path}: {n} entries, {len(reg)} actors after merging duplicates")
        print("  kinds:   " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
        print("  sectors: " + ", ".join(f"{k} {v}" for k, v in sectors.most_common()))
        print(f"  without a country: {no_country}; with date-restricted codes: {dated}")
        if args.list:
            for e in reg:
                print(json.dumps(_entry_json(e), ensure_ascii=False))
    return 0


def run_lookup(args: argparse.Namespace) -> int:
    reg = _registry_for_lookup(args)
    entry = reg.lookup(args.name, args.country, args.kind, args.date)
    if entry is None:
        candidates = reg.candidates(args.name, args.country, args.kind)
        if candidates:
            names = "; ".join(f"{e.name} ({e.country or '?'})" for e in candidates[:10])
            print(f"{args.name!r}: ambiguous, left as written by the coder; it may be {names}"
                  + (" (give --country, or the full name)" if not args.country else " (give the full name)"))
        else:
            print(f"{args.name!r}: unknown (no dictionary entry or stored actor has this name)")
        return 1
    actor = reg.actor_for(entry, args.date)
    print(json.dumps({**_entry_json(entry), "id": actor.id, "country_on_date": actor.country,
                      "sector_on_date": actor.sector}, ensure_ascii=False))
    return 0


def _registry_for_lookup(args: argparse.Namespace) -> Registry:
    from dyad.registry import Registry

    if args.db:
        from dyad.actor_store import registry_from_store
        from dyad.store import Store, StoreError

        if not Path(args.db).exists():
            raise CommandError(f"no database at {args.db}")
        try:
            store = Store(args.db, read_only=True)
        except StoreError as exc:
            raise CommandError(str(exc)) from exc
        try:
            reg = registry_from_store(store)
        finally:
            store.close()
    else:
        reg = Registry()
    for path in args.dictionary:
        _load(reg, path)
    return reg


def _load(reg: Registry, path: str) -> int:
    if not Path(path).exists():
        raise CommandError(f"no such file: {path}")
    try:
        return reg.load(path)
    except (ValueError, OSError) as exc:
        raise CommandError(f"{path}: {exc}") from exc


def _entry_json(e: Entry) -> dict:
    return {"name": e.name, "country": e.country, "sector": e.sector, "kind": e.kind, "title": e.title,
            "aliases": e.aliases, "code": e.code, "source": e.source,
            "periods": [[p.code, p.start, p.end] for p in e.periods]}

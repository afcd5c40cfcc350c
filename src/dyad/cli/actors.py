"""`dyad actors`: the actor registry with event and quote counts."""

from __future__ import annotations

import argparse

from dyad import query
from dyad.cli._output import (
    Column,
    about,
    add_db_option,
    add_output_options,
    emit,
    limit_of,
    open_store,
    query_errors,
)

NAME = "actors"
EXAMPLE = "dyad actors --country FRA --limit 10 --db dyad.duckdb"
TABLE = [
    Column("name", "name", max_width=32),
    Column("country", "country", max_width=7),
    Column("kind", "kind", max_width=6),
    Column("sector", "sector", max_width=6),
    Column("mentions", "n_mentions"),
    Column("events", "n_events"),
    Column("quotes", "n_quotes"),
    Column("first", "first_seen", max_width=10),
    Column("last", "last_seen", max_width=10),
    Column("aliases", lambda r: "; ".join(r.get("aliases") or []), wide=True),
]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(NAME, help="list actors with counts", description=about(__doc__),
                       epilog=f"Example: {EXAMPLE}", formatter_class=argparse.RawDescriptionHelpFormatter)
    add_db_option(p)
    g = p.add_argument_group("filters")
    g.add_argument("--name", help="name or alias contains this (accents ignored)")
    g.add_argument("--country", help="ISO-3 country code, or IGO")
    g.add_argument("--kind", choices=["person", "state", "org", "group"])
    g.add_argument("--sector", help="GOV, MIL, REB, OPP, IGO, NGO, BUS, MED, CVL, …")
    p.add_argument("--sort", default="mentions", choices=sorted(query.ACTOR_SORTS), help="sort key (default mentions)")
    p.add_argument("--asc", action="store_true", help="ascending order")
    p.add_argument("--mentions", action="store_true", help="count article-level events, not corpus events")
    add_output_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_store(args) as store, query_errors():
        kw = {"name": args.name, "country": args.country, "kind": args.kind, "sector": args.sector}
        rows = query.actors(store.con, **kw, limit=limit_of(args), offset=args.offset, sort=args.sort,
                            descending=not args.asc, mentions=args.mentions)
        total = query.count_actors(store.con, **kw) if limit_of(args) and len(rows) == args.limit else None
    emit(rows, args, TABLE, total=total, noun="actors")
    return 0

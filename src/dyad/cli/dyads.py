"""`dyad dyads`: event counts and mean intensity per dyad per day/week/month, cooperation vs conflict."""

from __future__ import annotations

import argparse

from dyad import query
from dyad.cli._output import (
    Column,
    about,
    add_db_option,
    add_event_filters,
    add_output_options,
    emit,
    event_filter,
    limit_of,
    open_store,
    query_errors,
)

NAME = "dyads"
EXAMPLE = "dyad dyads --dyad CHN-FRA --by week --db dyad.duckdb"
TABLE = [
    Column("period", "period", max_width=10),
    Column("dyad", "dyad", max_width=40),
    Column("events", "events"),
    Column("coop", "coop"),
    Column("conflict", "conflict"),
    Column("v-coop", "verbal_coop"),
    Column("m-coop", "material_coop"),
    Column("v-conf", "verbal_conflict"),
    Column("m-conf", "material_conflict"),
    Column("intensity", "mean_intensity"),
]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(NAME, help="count events per dyad over time", description=about(__doc__),
                       epilog=f"Example: {EXAMPLE}", formatter_class=argparse.RawDescriptionHelpFormatter)
    add_db_option(p)
    add_event_filters(p)
    p.add_argument("--by", default="month", choices=list(query.PERIODS), help="time bucket (default month)")
    p.add_argument("--level", default="country", choices=query.LEVELS,
                   help="pair countries (default) or individual actors")
    add_output_options(p, limit=100)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    f = event_filter(args)
    with open_store(args) as store, query_errors():
        rows = query.dyads(store.con, f, by=args.by, level=args.level, directed=args.directed,
                           limit=limit_of(args), offset=args.offset)
    emit(rows, args, TABLE)
    return 0

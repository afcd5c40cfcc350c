"""`dyad events`: list events from the store, filtered by actor, country, dyad, type, dates, text."""

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
    who,
)

NAME = "events"
EXAMPLE = "dyad events --dyad CHN-FRA --since 2020-08-01 --db dyad.duckdb"
TABLE = [
    Column("date", "day", max_width=10),
    Column("type", "type", max_width=9),
    Column("mode", "mode", max_width=12),
    Column("source", who("source"), max_width=28),
    Column("target", who("target"), max_width=28),
    Column("place", "place_name", max_width=16),
    Column("evidence", "evidence", wide=True),
]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(NAME, help="list events", description=about(__doc__),
                       epilog=f"Example: {EXAMPLE}", formatter_class=argparse.RawDescriptionHelpFormatter)
    add_db_option(p)
    add_event_filters(p)
    p.add_argument("--sort", default="date", choices=sorted(query.EVENT_SORTS), help="sort key (default date)")
    p.add_argument("--asc", action="store_true", help="ascending order (default: newest / largest first)")
    p.add_argument("--after", metavar="DAY,ID", help="start after this event (sort by date): the day and id of the "
                   "last row of the previous page; reads no rows before it, unlike --offset")
    add_output_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    f = event_filter(args)
    with open_store(args) as store, query_errors():
        rows = query.events(store.con, f, limit=limit_of(args), offset=args.offset, sort=args.sort,
                            descending=not args.asc, after=args.after)
        full = limit_of(args) and len(rows) == args.limit
        total = query.count_events(store.con, f) if full and not args.after else None
    emit(rows, args, TABLE, total=total, noun="events")
    if args.after and full and args.sort == "date" and not (args.json or args.csv):
        print(f"(--after {query.next_after(rows, args.limit)} the next)")
    return 0

"""`dyad quotes`: quotes by speaker, speaker country, text or date."""

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

NAME = "quotes"
EXAMPLE = "dyad quotes --speaker lavrov --db dyad.duckdb"
TABLE = [
    Column("published", "published", max_width=10),
    Column("speaker", lambda r: f"{r['speaker_name']} ({r['speaker_country']})" if r.get("speaker_country")
           else r.get("speaker_name") or "?", max_width=30),
    Column("cue", "cue", max_width=14),
    Column("quote", "text", wide=True),
]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(NAME, help="list quotes", description=about(__doc__),
                       epilog=f"Example: {EXAMPLE}", formatter_class=argparse.RawDescriptionHelpFormatter)
    add_db_option(p)
    g = p.add_argument_group("filters")
    g.add_argument("--speaker", help="speaker name or alias contains this (accents ignored)")
    g.add_argument("--country", help="speaker's country, ISO-3")
    g.add_argument("--text", help="quote contains this (accents ignored)")
    g.add_argument("--since", metavar="YYYY-MM-DD", help="articles published on or after this day")
    g.add_argument("--until", metavar="YYYY-MM-DD", help="articles published on or before this day")
    g.add_argument("--lang", help="article language (en, fr, es)")
    g.add_argument("--article", metavar="ID", help="quotes of one article")
    add_output_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    kw = {"speaker": args.speaker, "country": args.country, "text": args.text, "since": args.since,
          "until": args.until, "lang": args.lang, "article": args.article}
    with open_store(args) as store, query_errors():
        rows = query.quotes(store.con, **kw, limit=limit_of(args), offset=args.offset)
        total = query.count_quotes(store.con, **kw) if limit_of(args) and len(rows) == args.limit else None
    emit(rows, args, TABLE, total=total, noun="quotes")
    return 0

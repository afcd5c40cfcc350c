"""`dyad export`: write events (and actors, quotes) as CSV, Parquet, or a GDELT 2.0 Event table."""

from __future__ import annotations

import argparse
import sys

from dyad.cli import CommandError
from dyad.cli._output import about, add_db_option, add_event_filters, event_filter, open_store, query_errors
from dyad.export import FORMATS, ExportError, export

NAME = "export"
EXAMPLE = "dyad export --format gdelt --out events.tsv --db dyad.duckdb"
DETAILS = """
--out FILE writes the events only; --out FOLDER/ writes events, actors and quotes (csv, parquet)
or FOLDER/events.gdelt.tsv (gdelt).  The GDELT table has GDELT 2.0's 61 columns, tab-separated,
without a header row unless --header is given.  Existing files are kept unless --force is given.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(NAME, help="export events as CSV, Parquet or GDELT TSV",
                       description=about(__doc__) + "\n" + DETAILS,
                       epilog=f"Example: {EXAMPLE}", formatter_class=argparse.RawDescriptionHelpFormatter)
    add_db_option(p)
    p.add_argument("--format", required=True, choices=FORMATS, help="output format")
    p.add_argument("--out", required=True, metavar="PATH", help="output file, or folder ending in /")
    p.add_argument("--header", action="store_true", help="gdelt: write a header row of column names")
    p.add_argument("--force", action="store_true", help="overwrite existing files")
    add_event_filters(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    f = event_filter(args)
    with open_store(args) as store, query_errors():
        try:
            written = export(store.con, args.out, args.format, f, header=args.header, force=args.force)
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
    for path, rows in written.items():
        print(f"{path}: {rows} rows", file=sys.stderr)
    return 0

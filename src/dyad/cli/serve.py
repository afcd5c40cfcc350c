"""`dyad serve`: the JSON API and the web page over a store, on localhost."""

from __future__ import annotations

import argparse
import os

from dyad.cli import CommandError
from dyad.cli._output import about, add_db_option, default_db

NAME = "serve"
EXAMPLE = "dyad serve --db dyad.duckdb --port 8000   # then open http://127.0.0.1:8000/"
DETAILS = """
The database is opened read-only unless --allow-ingest is given; then POST /api/extract
(paste an article, get its events) is enabled and may store what it extracts.  DuckDB allows
one writing process: stop `dyad serve --allow-ingest` before running `dyad extract` on the same file.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(NAME, help="serve the JSON API and web page", formatter_class=argparse.RawDescriptionHelpFormatter,
                       description=about(__doc__) + "\n" + DETAILS, epilog=f"Example: {EXAMPLE}")
    add_db_option(p)
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--allow-ingest", action="store_true",
                   help="enable POST /api/extract and open the database for writing")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from dyad.api import create_app
    from dyad.store import StoreError

    path = args.db or default_db()
    if not args.allow_ingest and path != ":memory:" and not os.path.exists(path):
        raise CommandError(f"no database at {path}: run `dyad extract INPUT --db {path}` first, "
                           "or start with --allow-ingest to create it")
    try:
        app = create_app(path, allow_ingest=args.allow_ingest)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    print(f"dyad: serving {path} on http://{args.host}:{args.port}/  (Ctrl-C to stop)")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0

"""`dyad serve`: the JSON API and the web page over a store, on localhost."""

from __future__ import annotations

import argparse
import os

from dyad.cli import CommandError
from dyad.cli._output import about, add_db_option, default_db

HEADER_TIMEOUT = 10.0  # dyad.server's defaults (not imported here: `dyad --help` stays light)
MAX_CONNECTIONS = 100

NAME = "serve"
EXAMPLE = "dyad serve --db dyad.duckdb --port 8000   # then open http://127.0.0.1:8000/"
DETAILS = """
Without --allow-ingest every request reads through its own read-only connection, closed after
it: `dyad extract` can write the same file while the page is open, and the page shows the new
articles on its next request (requests made while the writer holds the file get a 503).
--allow-ingest enables POST /api/extract (paste an article, get its events), which may store
what it extracts; the server then holds the file for writing: stop it before `dyad extract`.
A connection that does not send its request headers within --header-timeout seconds is closed;
at most --max-connections connections are open at once (others get a 503).
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(NAME, help="serve the JSON API and web page", formatter_class=argparse.RawDescriptionHelpFormatter,
                       description=about(__doc__) + "\n" + DETAILS, epilog=f"Example: {EXAMPLE}")
    add_db_option(p)
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--allow-ingest", action="store_true",
                   help="enable POST /api/extract and open the database for writing")
    p.add_argument("--header-timeout", type=float, default=HEADER_TIMEOUT, metavar="SECONDS",
                   help=f"close connections that have not sent their headers by then (default {HEADER_TIMEOUT:g})")
    p.add_argument("--max-connections", type=int, default=MAX_CONNECTIONS, metavar="N",
                   help=f"connections open at once; more get a 503 (default {MAX_CONNECTIONS})")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dyad import server
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
    if args.header_timeout <= 0 or args.max_connections < 1:
        raise CommandError("--header-timeout must be positive and --max-connections at least 1")
    server.run(app, host=args.host, port=args.port, header_timeout=args.header_timeout,
               max_connections=args.max_connections)
    return 0

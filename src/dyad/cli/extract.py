"""`dyad extract`: read articles, code their events and quotes, write JSONL and the store."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from dyad.cli import CommandError

NAME = "extract"
EXAMPLE = "dyad extract ../shared/gold/seeds.inputs.jsonl -o events.jsonl --db dyad.duckdb"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        NAME,
        help="extract events and quotes from articles",
        description="Read articles (.txt files, folders of them, JSONL, HTML, or - for stdin), "
        "code their PLOVER events and quotes, print/write one JSON line per article and store them.",
        epilog=f"Example: {EXAMPLE}",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt/.html files, folders, .jsonl files, or -")
    p.add_argument("-o", "--output", help="write JSONL here (default: standard output; '-' too)")
    p.add_argument("--db", default=os.environ.get("DYAD_DB", "dyad.duckdb"),
                   help="DuckDB file to store the results in (default: $DYAD_DB or dyad.duckdb)")
    p.add_argument("--no-db", action="store_true", help="do not write to a database")
    p.add_argument("--lang", help="force a language code (default: detected per article)")
    p.add_argument("--batch-size", type=int, default=32, help="articles parsed together (default 32)")
    p.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    p.add_argument("--quiet", action="store_true", help="no progress summary on stderr")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dyad.ingest import read_inputs
    from dyad.records import Problem

    out_path = args.output if args.output not in (None, "-") else None
    if out_path and Path(out_path).exists() and not args.force:
        raise CommandError(f"{out_path} exists; pass --force to overwrite it")
    problems: list[Problem] = []

    def articles():
        for item in read_inputs(args.inputs):
            if isinstance(item, Problem):
                problems.append(item)
                print(f"dyad: skipped {item.where}: {item.reason}", file=sys.stderr)
                continue
            if args.lang:
                item.lang = args.lang
            yield item

    started = time.monotonic()
    results = extract_and_store(articles(), args, problems)
    out = open(out_path, "w", encoding="utf-8") if out_path else sys.stdout
    n_articles = n_events = n_quotes = 0
    try:
        for article in results:
            out.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
            n_articles += 1
            n_events += len(article.events)
            n_quotes += len(article.quotes)
    finally:
        if out_path:
            out.close()
    if not args.quiet:
        took = time.monotonic() - started
        print(f"dyad: {n_articles} articles, {n_events} events, {n_quotes} quotes in {took:.1f}s"
              + (f"; {len(problems)} inputs failed" if problems else "")
              + ("" if args.no_db else f"; stored in {args.db}"), file=sys.stderr)
    return 1 if problems else 0


def extract_and_store(articles, args, problems):
    """Extract, and write each batch to the store as it is done, so a long run keeps its work."""
    from dyad.language import ModelNotInstalled
    from dyad.pipeline import extract_many
    from dyad.records import Problem

    store = None
    if not args.no_db:
        from dyad.store import Store, StoreError

        try:
            store = Store(args.db)
        except StoreError as exc:
            raise CommandError(str(exc)) from exc
    pending = []
    try:
        for article in extract_many(articles, batch_size=args.batch_size):
            if isinstance(article, Problem):
                problems.append(article)
                print(f"dyad: failed {article.where}: {article.reason}", file=sys.stderr)
                continue
            pending.append(article)
            if len(pending) >= args.batch_size:
                if store:
                    store.add(pending)
                yield from pending
                pending = []
        if store and pending:
            store.add(pending)
        yield from pending
        if store and problems:
            store.add_problems(problems)
    except ModelNotInstalled as exc:
        raise CommandError(str(exc)) from exc
    finally:
        if store:
            store.close()

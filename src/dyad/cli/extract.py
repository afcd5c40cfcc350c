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
    p.add_argument("--actors", action="append", default=[], metavar="FILE",
                   help="an actor dictionary to code with (our YAML/CSV, or a PETRARCH .actors file); "
                   "repeatable; dictionaries imported into --db with `dyad dictionary import` are used too")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="code articles on N local processes (default 1: this process)")
    p.add_argument("--scheduler", metavar="ADDR",
                   help="run on the Dask cluster whose scheduler is ADDR (tcp://host:port); "
                        "results are written here, to one store")
    p.add_argument("--reprocess", action="store_true",
                   help="code articles already in the store again (default: skip them, so an "
                        "interrupted run resumes where it stopped)")
    p.add_argument("--progress", action="store_true",
                   help="print a line on stderr after each batch is committed to the store")
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
    if out_path:
        Path(out_path).parent.mkdir(parents=True, exist_ok=True)
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
    """Extract, and write each batch to the store as it is done, so a long run keeps its work.

    Articles already in the store (by id) are not coded again unless ``--reprocess``: their stored
    records are emitted instead, so an interrupted run restarted with the same input resumes, and
    a finished one adds nothing."""
    from dyad.distributed import extract
    from dyad.language import ModelNotInstalled
    from dyad.records import Problem

    if args.workers < 1:
        raise CommandError("--workers must be at least 1")
    store = _open_store(args)
    _use_registry(store, args.actors)
    stored: list = []
    todo = articles if store is None or args.reprocess else _unseen(articles, store, stored)
    pending = []
    n_stored = 0
    try:
        for article in extract(todo, batch_size=args.batch_size, workers=args.workers,
                               scheduler=args.scheduler):
            if isinstance(article, Problem):
                problems.append(article)
                print(f"dyad: failed {article.where}: {article.reason}", file=sys.stderr)
                continue
            pending.append(article)
            if len(pending) >= args.batch_size:
                n_stored += _commit(store, pending, args, n_stored)
                yield from _reload(store, stored)
                yield from pending
                pending = []
        n_stored += _commit(store, pending, args, n_stored)
        yield from _reload(store, stored)
        yield from pending
        if store and problems:
            store.add_problems(problems)
    except ModelNotInstalled as exc:
        raise CommandError(str(exc)) from exc
    except OSError as exc:  # a Dask scheduler that cannot be reached
        if args.scheduler:
            raise CommandError(f"cannot use the Dask scheduler at {args.scheduler}: {exc}") from exc
        raise
    finally:
        if store:
            store.close()


def _use_registry(store, files: list[str]) -> None:
    """Code with the built-in dictionary, the dictionaries saved in the store and `--actors` files,
    never with what the store learned from articles: an article's coding depends only on the
    article and the dictionaries.  Workers get the same: the files through $DYAD_ACTORS (they
    inherit the environment), the store's dictionaries from `distributed.extract`."""
    from dyad import registry as actor_registry

    for path in files:
        if not Path(path).exists():
            raise CommandError(f"--actors {path}: no such file")
    if files:
        known = actor_registry.env_files()
        os.environ[actor_registry.ENV_DICTIONARIES] = os.pathsep.join(known + [str(Path(f).resolve()) for f in files])
    saved = actor_registry.store_dictionaries(store) if store is not None else []
    actor_registry.set_dictionaries(saved)
    try:
        actor_registry.default()
    except (OSError, ValueError) as exc:
        raise CommandError(f"cannot read an actor dictionary ({', '.join(actor_registry.env_files())}): {exc}") from exc


def _open_store(args):
    if args.no_db:
        return None
    from dyad.store import WRITER_MEMORY_LIMIT, Store, StoreError

    try:  # a capped buffer pool: the writer's memory stays flat as the store grows (docs/scale.md)
        return Store(args.db, memory_limit=WRITER_MEMORY_LIMIT)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc


def _unseen(articles, store, stored: list, chunk: int = 256):
    """The articles whose id is not in the store yet; the ids of stored ones go to ``stored``."""
    from dyad.distributed import chunks

    for group in chunks(articles, chunk):
        seen = store.articles_seen(a.id for a in group)
        for article in group:
            if article.id in seen:
                stored.append(article.id)
            else:
                yield article


def _reload(store, ids: list):
    """The stored records of skipped articles (emptying ``ids``)."""
    while ids:
        article = store.get_article(ids.pop(0))
        if article is not None:
            yield article


def _commit(store, batch: list, args, done: int) -> int:
    """Write one batch (one transaction per ``BATCH_SIZE`` articles); report progress."""
    if store is None or not batch:
        return len(batch)
    store.add(batch)
    if args.progress:
        print(f"dyad: stored {done + len(batch)} articles", file=sys.stderr, flush=True)
    return len(batch)

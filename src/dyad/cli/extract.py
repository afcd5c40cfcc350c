"""`dyad extract`: read articles, code their events and quotes, write JSONL and the store."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
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


class ProblemLog:
    """Every input that could not be read or coded, reported once per (where, reason): on stderr
    at once, and in the store's ``problems`` table with this run's id as the run goes (every
    ``FLUSH`` problems, after each committed batch, and when the run ends or fails), so a crash
    loses none."""

    FLUSH = 200

    def __init__(self, store, run_id: str):
        self.store = store
        self.run_id = run_id
        self.seen: set[tuple[str, str]] = set()
        self.pending: list = []

    @property
    def count(self) -> int:
        return len(self.seen)

    def report(self, problem, verb: str = "skipped") -> None:
        from dyad.records import Problem

        where, reason = (_printable(problem.where), _printable(problem.reason))
        if (where, reason) in self.seen:
            return
        self.seen.add((where, reason))
        print(f"dyad: {verb} {where}: {reason}", file=sys.stderr, flush=True)
        self.pending.append(Problem(where, reason))
        if len(self.pending) >= self.FLUSH:
            self.flush()

    def flush(self) -> None:
        if self.store is not None and self.pending:
            pending, self.pending = self.pending, []
            self.store.add_problems(pending, run_id=self.run_id)


def _printable(text: str) -> str:
    """Text that can be printed and stored whatever it holds (lone surrogates become escapes)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def run(args: argparse.Namespace) -> int:
    from dyad.cli import EXIT_OK, EXIT_PROBLEMS
    from dyad.ingest import Skipped

    out_path = args.output if args.output not in (None, "-") else None
    if out_path and Path(out_path).exists() and not args.force:
        raise CommandError(f"{out_path} exists; pass --force to overwrite it")
    if args.lang:
        args.lang = _check_lang(args.lang)
    if args.workers < 1 or args.batch_size < 1:
        raise CommandError("--workers and --batch-size must be at least 1")
    store = _open_store(args)
    log = ProblemLog(store, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
    notes: list[Skipped] = []
    already: list[str] = []
    started = time.monotonic()
    n_articles = n_events = n_quotes = 0
    try:
        _use_registry(store, args.actors)
        results = extract_inputs(args.inputs, args, store, log, notes, already,
                                 outputs=[out_path] if out_path else [])
        if out_path:
            Path(out_path).parent.mkdir(parents=True, exist_ok=True)
        out = open(out_path, "w", encoding="utf-8") if out_path else sys.stdout
        try:
            for article in results:
                out.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
                n_articles += 1
                n_events += len(article.events)
                n_quotes += len(article.quotes)
        finally:
            if out_path:
                out.close()
        log.flush()
    finally:
        if store is not None:
            try:
                log.flush()  # problems met before a failure are kept too
            except Exception:  # the store itself failed; the first error is the one to report
                pass
            store.close()
    if not args.quiet:
        took = time.monotonic() - started
        print(f"dyad: {n_articles} articles, {n_events} events, {n_quotes} quotes in {took:.1f}s"
              + (f" ({len(already)} already in {args.db}: not coded again, --reprocess codes them again)"
                 if already else "")
              + (f"; {log.count} inputs reported as problems" if log.count else "")
              + (f"; {len(notes)} inputs skipped (not articles)" if notes else "")
              + ("" if args.no_db else f"; stored in {args.db}"), file=sys.stderr)
    return EXIT_PROBLEMS if log.count else EXIT_OK


def extract_inputs(inputs: list[str], args: argparse.Namespace, store, log: ProblemLog,
                   notes: list | None = None, already: list | None = None, outputs: list | None = None):
    """The coded articles of these inputs (stored as they are coded, when ``store`` is given);
    what cannot be read or coded goes to ``log``.  Inputs deliberately not read (files that are
    not articles, dyad's own output) are noted on stderr and added to ``notes``; the ids of
    articles already stored, and so not coded again, go to ``already``; ``outputs`` (the files the
    run writes) are never read.  `run` is this plus the output and the summary."""
    from dyad.ingest import Skipped, read_inputs
    from dyad.records import Problem

    skipped: list[Skipped] = []
    noted = notes if notes is not None else []

    def note_skipped():
        while skipped:
            note = skipped.pop(0)
            noted.append(note)
            print(f"dyad: note: skipped {_printable(note.where)}: {_printable(note.reason)}",
                  file=sys.stderr, flush=True)

    def articles():
        for item in read_inputs(inputs, skipped, outputs or ()):
            note_skipped()
            if isinstance(item, Problem):
                log.report(item, "skipped")
                continue
            if args.lang:
                item.lang = args.lang
            yield item
        note_skipped()

    yield from extract_and_store(articles(), args, store, log, already)


def _check_lang(value: str) -> str:
    from dyad.ingest import LANG_CODE, lang_code
    from dyad.language import supported_languages

    code = lang_code(value) if LANG_CODE.fullmatch(value.strip()) else None
    if code not in supported_languages():
        raise CommandError(f"--lang {value!r}: no language pack; supported: {', '.join(supported_languages())}")
    return code


def extract_and_store(articles, args, store, log: ProblemLog, already: list | None = None):
    """Extract, and write each batch to the store as it is done, so a long run keeps its work.

    Articles already in the store (by id) are not coded again unless ``--reprocess``: their stored
    records are emitted instead (and their ids added to ``already``), so an interrupted run
    restarted with the same input resumes, and a finished one adds nothing."""
    from dyad.cli import EXIT_STORE
    from dyad.distributed import extract
    from dyad.language import ModelNotInstalled
    from dyad.records import Problem

    stored: list = []
    todo = articles if store is None or args.reprocess else _unseen(articles, store, stored, log, already)
    pending = []
    n_stored = 0
    try:
        for article in extract(todo, batch_size=args.batch_size, workers=args.workers,
                               scheduler=args.scheduler):
            if isinstance(article, Problem):
                log.report(article, "failed")
                continue
            pending.append(article)
            if len(pending) >= args.batch_size:
                n_stored += _commit(store, pending, args, n_stored)
                log.flush()
                yield from _reload(store, stored)
                yield from pending
                pending = []
        n_stored += _commit(store, pending, args, n_stored)
        yield from _reload(store, stored)
        yield from pending
    except ModelNotInstalled as exc:
        raise CommandError(str(exc), EXIT_STORE) from exc
    except OSError as exc:  # a Dask scheduler that cannot be reached
        if args.scheduler:
            raise CommandError(f"cannot use the Dask scheduler at {args.scheduler}: {exc}", EXIT_STORE) from exc
        raise


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
    from dyad.actor_store import store_dictionaries

    saved = store_dictionaries(store) if store is not None else []
    actor_registry.set_dictionaries(saved)
    try:
        actor_registry.default()
    except (OSError, ValueError) as exc:
        raise CommandError(f"cannot read an actor dictionary ({', '.join(actor_registry.env_files())}): {exc}") from exc


def _open_store(args):
    if args.no_db:
        return None
    from dyad.cli import EXIT_STORE, EXIT_USAGE
    from dyad.store import WRITER_MEMORY_LIMIT, NotAStore, Store, StoreError

    try:  # a capped buffer pool: the writer's memory stays flat as the store grows (docs/scale.md)
        return Store(args.db, memory_limit=WRITER_MEMORY_LIMIT)
    except StoreError as exc:
        raise CommandError(str(exc), EXIT_USAGE if isinstance(exc, NotAStore) else EXIT_STORE) from exc


def _unseen(articles, store, stored: list, log: ProblemLog, already: list | None = None, chunk: int = 256):
    """The articles whose id is not in the store yet; the ids of stored ones go to ``stored`` (and
    ``already``).

    An id stored for another text is no resume but a clash: a whole file (`a/story.txt` after
    `b/story.txt`) gets a suffix from its text, as two such files do within a run; a JSONL line is
    a Problem (``--reprocess`` replaces the stored article)."""
    from dyad.distributed import chunks
    from dyad.ingest import whole_file
    from dyad.records import Problem, stable_id, text_id

    for group in chunks(articles, chunk):
        texts = store.texts(a.id for a in group)
        clashes = [a for a in group if a.id in texts and text_id(texts[a.id]) != text_id(a.text) and whole_file(a)]
        for article in clashes:
            article.id = f"{article.id}~{stable_id(text_id(article.text), length=8)}"
        if clashes:
            texts.update(store.texts(a.id for a in clashes))
        for article in group:
            if article.id not in texts:
                yield article
            elif text_id(texts[article.id]) == text_id(article.text):
                stored.append(article.id)
                if already is not None:
                    already.append(article.id)
            else:
                log.report(Problem(article.origin or article.id,
                                   f"id {article.id!r} is stored already, for another text; pass --reprocess "
                                   "to replace it, or give this article another id"))


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

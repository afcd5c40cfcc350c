"""The DuckDB store: one file holding articles, their events, evidence, quotes and the actor registry.

    with Store("dyad.duckdb") as store:
        result = store.add(articles)          # idempotent upsert
        store.add_problems(problems, run_id)  # what could not be read

Writes are repeatable.  Every event id is ``stable_id(article_id, *event.key())`` and every quote id
a hash of its article and offsets, so adding the same article twice changes nothing, and adding a
re-extraction of an article (a newer coder) replaces that article's events, evidence and quotes in
one transaction instead of duplicating them.

DuckDB allows ONE writing process per database file (any number of threads inside it).  While a
``dyad extract … --db FILE`` run holds the file, other processes can neither write nor open it
read-only; ``Store`` reports that as :class:`StoreLocked`.  Readers in other processes
(``dyad serve``, ``dyad events``) open it ``read_only=True`` once the writer has finished.

The schema is declared once, in the ``TABLES`` column specs below; the DDL, the Arrow batches used
for bulk inserts and docs/store.md all follow from them.  See docs/store.md.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from dyad import corpus, dedup, postings
from dyad.records import (
    Actor,
    Article,
    Event,
    Evidence,
    Place,
    Problem,
    Quote,
    stable_id,
)

SCHEMA_VERSION = 1
_EVENT_FIELDS = {f.name for f in fields(Event)}
BATCH_SIZE = 500  # articles per write transaction
WRITER_MEMORY_LIMIT = 64 << 20  # DuckDB buffer pool of `dyad extract`'s writer (doubled on demand)
MAX_MEMORY_LIMIT = 64 << 30


class StoreError(Exception):
    """A store failure whose message says what to do."""


class StoreNotFound(StoreError):
    """The database file does not exist (and was opened read-only)."""


class StoreLocked(StoreError):
    """Another process holds the database file (DuckDB allows one writer process)."""


class NotAStore(StoreError):
    """The file is not a dyad store (a CSV, a SQLite file, another application's DuckDB file…);
    it is refused before anything is written to it."""


class StoreWriteError(StoreError):
    """A write failed (disk full, damaged file); the message gives the cause and what to do."""


DATA_SUFFIXES = {".csv", ".tsv", ".json", ".jsonl", ".ndjson", ".parquet", ".txt", ".html", ".htm",
                 ".xlsx", ".sqlite", ".sqlite3", ".gz", ".zip"}
_DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of a DuckDB file


def check_store_file(path: str | Path) -> None:
    """Refuse a path that is not, and cannot become, a dyad store, before DuckDB opens it: DuckDB
    would read a CSV as an empty database, and download an extension to open a SQLite file."""
    p = Path(path)
    if p.suffix.lower() in DATA_SUFFIXES:
        raise NotAStore(f"{p} looks like a data file ({p.suffix}), not a dyad store; "
                        f"give a DuckDB file, e.g. --db dyad.duckdb")
    if not p.exists():
        return
    if not p.is_file():
        raise NotAStore(f"{p} is not a file; give a DuckDB file, e.g. --db dyad.duckdb")
    try:
        with p.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise StoreError(f"cannot open {p}: {exc.strerror or exc}") from exc
    if head[8:12] == _DUCKDB_MAGIC:
        return
    kind = ("a SQLite database" if head.startswith(b"SQLite format 3") else
            "an empty file" if not head else "not a DuckDB database")
    raise NotAStore(f"{p} is {kind}, not a dyad store; give a dyad store, or a path where none exists yet to create one")


def _check_is_dyad(con: duckdb.DuckDBPyConnection, path: str) -> None:
    """A DuckDB file with tables must be a dyad store (meta.schema_version, or the articles and
    events of an early version); another application's database is never altered."""
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    if not tables:
        return
    if "meta" in tables and con.execute("SELECT key FROM meta WHERE key = 'schema_version'").fetchall():
        return
    if {"articles", "events"} <= tables and {"id", "text", "digest"} <= set(columns(con, "articles")):
        return
    shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
    raise NotAStore(f"{path} is a DuckDB database but not a dyad store (its tables: {shown}); "
                    "it was left as it is: give a dyad store, or a path where none exists yet")


def _write_failed(path: str, exc: BaseException) -> StoreWriteError:
    """What a failed write says: its first cause (not the "transaction is aborted" that follows)."""
    cause = exc
    while cause.__context__ is not None and "abort" in str(cause).lower():
        cause = cause.__context__
    text = str(cause)
    hint = ("the disk is full: free some space and run again" if "space" in text.lower() else
            "the file may be damaged or the disk failing: check it, or use another --db file")
    return StoreWriteError(f"writing to {path} failed ({text.splitlines()[0] if text else type(cause).__name__}); "
                           f"{hint}.  Batches committed before are kept: a re-run resumes after them.")


# --------------------------------------------------------------------------------------------------
# Schema: (column, SQL type, Arrow type).  The first column of each table is its key unless noted.

_S, _I, _F, _B = pa.string(), pa.int64(), pa.float64(), pa.bool_()

TABLES: dict[str, list[tuple[str, str, pa.DataType]]] = {
    "articles": [
        ("id", "VARCHAR PRIMARY KEY", _S),
        ("lang", "VARCHAR", _S),
        ("published", "VARCHAR", _S),  # as given: ISO day or ISO date-time
        ("source", "VARCHAR", _S),
        ("url", "VARCHAR", _S),
        ("title", "VARCHAR", _S),
        ("origin", "VARCHAR", _S),
        ("text", "VARCHAR", _S),
        ("n_events", "INTEGER", _I),
        ("n_quotes", "INTEGER", _I),
        ("extracted_at", "TIMESTAMP", pa.timestamp("us")),
        ("digest", "VARCHAR", _S),  # hash of the article's extraction; unchanged digest = no write
        ("duplicate_of", "VARCHAR", _S),  # near-duplicate (wire copy, update) of this article (dedup.py)
    ],
    "actors": [
        ("id", "VARCHAR PRIMARY KEY", _S),
        ("name", "VARCHAR", _S),
        ("country", "VARCHAR", _S),
        ("sector", "VARCHAR", _S),
        ("kind", "VARCHAR", _S),
        ("title", "VARCHAR", _S),
        ("first_seen", "DATE", _S),
        ("last_seen", "DATE", _S),
        ("n_mentions", "INTEGER", _I),
    ],
    "actor_aliases": [
        ("actor_id", "VARCHAR NOT NULL", _S),
        ("alias", "VARCHAR NOT NULL", _S),
        ("lang", "VARCHAR NOT NULL", _S),  # "und" when the article's language is unknown
    ],
    "events": [
        ("id", "VARCHAR PRIMARY KEY", _S),
        ("article_id", "VARCHAR NOT NULL", _S),
        ("type", "VARCHAR", _S),
        ("mode", "VARCHAR", _S),
        ("cameo", "VARCHAR", _S),
        ("quad", "VARCHAR", _S),
        ("intensity", "DOUBLE", _F),
        ("date", "DATE", _S),
        ("date_inferred", "BOOLEAN", _B),  # the date came from the story's context, not the clause
        ("source_id", "VARCHAR", _S),
        ("target_id", "VARCHAR", _S),
        ("source_name", "VARCHAR", _S),
        ("source_country", "VARCHAR", _S),
        ("target_name", "VARCHAR", _S),
        ("target_country", "VARCHAR", _S),
        ("source_mention", "VARCHAR", _S),
        ("target_mention", "VARCHAR", _S),
        ("place_name", "VARCHAR", _S),
        ("place_country", "VARCHAR", _S),
        ("place_lat", "DOUBLE", _F),
        ("place_lon", "DOUBLE", _F),
        ("place_kind", "VARCHAR", _S),
        ("negated", "BOOLEAN", _B),
        ("confidence", "DOUBLE", _F),
        ("trigger", "VARCHAR", _S),
        ("cluster_id", "VARCHAR", _S),  # the corpus event: smallest event id of its cluster (dedup.py)
        ("num_mentions", "INTEGER", _I),  # evidence sentences of the cluster over all articles
        ("num_sources", "INTEGER", _I),  # distinct outlets reporting the cluster (wire copies once)
        ("num_articles", "INTEGER", _I),  # distinct articles reporting the cluster (wire copies once)
    ],
    "evidence": [
        ("event_id", "VARCHAR NOT NULL", _S),
        ("article_id", "VARCHAR NOT NULL", _S),
        ("n", "INTEGER", _I),  # order within the event's evidence list
        ("text", "VARCHAR", _S),
        ("start", "INTEGER", _I),
        ("end", "INTEGER", _I),
    ],
    "quotes": [
        ("id", "VARCHAR PRIMARY KEY", _S),
        ("article_id", "VARCHAR NOT NULL", _S),
        ("speaker_id", "VARCHAR", _S),
        ("speaker_name", "VARCHAR", _S),
        ("speaker_country", "VARCHAR", _S),
        ("speaker_mention", "VARCHAR", _S),
        ("text", "VARCHAR", _S),
        ("direct", "BOOLEAN", _B),
        ("cue", "VARCHAR", _S),
        ("start", "INTEGER", _I),
        ("end", "INTEGER", _I),
    ],
    "problems": [
        ("where", "VARCHAR", _S),
        ("reason", "VARCHAR", _S),
        ("run_id", "VARCHAR", _S),
        ("at", "TIMESTAMP", pa.timestamp("us")),
    ],
}

_EXTRA_DDL = ["CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)"]
# secondary indexes (DuckDB ART): the evidence sentences of given events (an event's detail, the
# word index of a cluster, a text search's candidates) without reading every sentence
_INDEXES = ["CREATE INDEX IF NOT EXISTS evidence_event ON evidence (event_id)"]


def q(name: str) -> str:
    """Quote an identifier (``end``, ``where`` and ``trigger`` are SQL keywords)."""
    return '"' + name.replace('"', '""') + '"'


def _ddl(table: str) -> str:
    cols = [f"{q(c)} {t}" for c, t, _ in TABLES[table]]
    if table == "actor_aliases":
        cols.append("PRIMARY KEY (actor_id, alias, lang)")
    return f"CREATE TABLE IF NOT EXISTS {q(table)} ({', '.join(cols)})"


def _base_type(sql_type: str) -> str:
    return sql_type.replace(" PRIMARY KEY", "").replace(" NOT NULL", "")


def _arrow(table: str, rows: list[dict[str, Any]]) -> pa.Table:
    schema = pa.schema([(c, a) for c, _, a in TABLES[table]])
    return pa.Table.from_pylist(rows, schema=schema)


def _select_list(table: str) -> str:
    """Columns of a staged Arrow batch, cast to their SQL types (dates arrive as ISO strings)."""
    out = []
    for c, t, _ in TABLES[table]:
        base = _base_type(t)
        out.append(f"TRY_CAST({q(c)} AS DATE)" if base == "DATE" else q(c))
    return ", ".join(out)


def _cols(table: str) -> str:
    return ", ".join(q(c) for c, _, _ in TABLES[table])


# --------------------------------------------------------------------------------------------------
# Records → rows


@dataclass
class AddResult:
    """What one :meth:`Store.add` call did."""

    articles_new: int = 0  # articles not in the store before
    articles_seen: int = 0  # articles already in the store (unchanged or re-extracted)
    events: int = 0  # event rows written
    quotes: int = 0  # quote rows written
    actors: int = 0  # distinct actors written to the registry
    articles_updated: int = 0  # of articles_seen: re-extractions whose events/quotes were replaced

    def __iadd__(self, other: AddResult) -> AddResult:
        for k in self.__dataclass_fields__:
            setattr(self, k, getattr(self, k) + getattr(other, k))
        return self


def event_id(article_id: str, event: Event) -> str:
    """The stable id of an event: a hash of its article id and its key."""
    return stable_id(article_id, *event.key())


def quote_id(article_id: str, quote: Quote) -> str:
    """The stable id of a quote: a hash of its article id, offsets and speaker."""
    return stable_id(article_id, "quote", quote.start, quote.end, quote.speaker.id if quote.speaker else None)


def digest(article: Article) -> str:
    """A fingerprint of everything stored for an article; equal digests mean nothing to write."""
    d = article.to_dict(with_text=True)
    d.update(title=article.title, origin=article.origin)
    blob = json.dumps(d, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(blob.encode("utf-8")).hexdigest()


def assign_ids(article: Article) -> None:
    """Give every event and quote its stable id, merging events that share a key.

    Mutates ``article`` so callers writing JSONL after storing see the same ids as the store.
    """
    merged: dict[str, Event] = {}
    for ev in article.events:
        ev.id = event_id(article.id, ev)
        if ev.id in merged:  # the coder emitted one key twice: keep one event, pool the evidence
            first = merged[ev.id]
            seen = {(e.start, e.end) for e in first.evidence}
            first.evidence.extend(e for e in ev.evidence if (e.start, e.end) not in seen)
        else:
            merged[ev.id] = ev
    article.events = list(merged.values())
    quotes: dict[str, Quote] = {}
    for qt in article.quotes:
        qt.id = quote_id(article.id, qt)
        quotes.setdefault(qt.id, qt)
    article.quotes = list(quotes.values())


def _iso(value: str | None) -> str | None:
    return value[:10] if value else None


@dataclass
class _Rows:
    """Rows of one write batch, table by table."""

    articles: list[dict[str, Any]]
    actors: dict[str, dict[str, Any]]
    actor_aliases: dict[tuple[str, str, str], dict[str, Any]]
    events: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    quotes: list[dict[str, Any]]

    @classmethod
    def empty(cls) -> _Rows:
        return cls([], {}, {}, [], [], [])

    def add_actor(self, actor: Actor | None, lang: str | None) -> None:
        if actor is None:
            return
        row = self.actors.setdefault(
            actor.id,
            {"id": actor.id, "name": actor.name, "country": actor.country, "sector": actor.sector,
             "kind": actor.kind, "title": actor.title, "first_seen": None, "last_seen": None,
             "n_mentions": 0},
        )
        for k in ("country", "sector", "title"):  # fill blanks from later mentions in the batch
            if row[k] is None and getattr(actor, k) is not None:
                row[k] = getattr(actor, k)
        for alias in {actor.name, actor.mention, *actor.aliases}:
            alias = " ".join((alias or "").split())
            if alias:
                key = (actor.id, alias, lang or "und")
                self.actor_aliases[key] = {"actor_id": actor.id, "alias": alias, "lang": lang or "und"}

    def add_article(self, art: Article, stamp: datetime) -> None:
        self.articles.append({
            "id": art.id, "lang": art.lang, "published": art.published, "source": art.source,
            "url": art.url, "title": art.title, "origin": art.origin, "text": art.text,
            "n_events": len(art.events), "n_quotes": len(art.quotes), "extracted_at": stamp,
            "digest": digest(art),
        })
        for ev in art.events:
            self.add_actor(ev.source, art.lang)
            self.add_actor(ev.target, art.lang)
            self.events.append(_event_row(art.id, ev))
            for n, e in enumerate(ev.evidence):
                self.evidence.append({"event_id": ev.id, "article_id": art.id, "n": n, "text": e.text,
                                      "start": e.start, "end": e.end})
        for qt in art.quotes:
            self.add_actor(qt.speaker, art.lang)
            sp = qt.speaker
            self.quotes.append({
                "id": qt.id, "article_id": art.id, "speaker_id": sp.id if sp else None,
                "speaker_name": sp.name if sp else None, "speaker_country": sp.country if sp else None,
                "speaker_mention": sp.mention if sp else None, "text": qt.text, "direct": qt.direct,
                "cue": qt.cue, "start": qt.start, "end": qt.end,
            })


def _event_row(article_id: str, ev: Event) -> dict[str, Any]:
    src, tgt, pl = ev.source, ev.target, ev.place
    return {
        "id": ev.id, "article_id": article_id, "type": ev.type, "mode": ev.mode, "cameo": ev.cameo,
        "quad": ev.quad, "intensity": ev.intensity, "date": _iso(ev.date),
        "date_inferred": bool(getattr(ev, "date_inferred", False)),
        "source_id": src.id if src else None, "target_id": tgt.id if tgt else None,
        "source_name": src.name if src else None, "source_country": src.country if src else None,
        "target_name": tgt.name if tgt else None, "target_country": tgt.country if tgt else None,
        "source_mention": src.mention if src else None, "target_mention": tgt.mention if tgt else None,
        "place_name": pl.name if pl else None, "place_country": pl.country if pl else None,
        "place_lat": pl.lat if pl else None, "place_lon": pl.lon if pl else None,
        "place_kind": pl.kind if pl else None, "negated": bool(ev.negated),
        "confidence": ev.confidence, "trigger": ev.trigger,
    }


def _out_of_memory(exc: BaseException | None) -> bool:
    """DuckDB ran out of memory (perhaps reported as the aborted transaction that followed, or as a
    commit that failed: "Failed to commit: could not allocate block of size …")."""
    while exc is not None:
        if isinstance(exc, duckdb.OutOfMemoryException):
            return True
        if isinstance(exc, duckdb.TransactionException) and "could not allocate block" in str(exc):
            return True
        exc = exc.__context__
    return False


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


# --------------------------------------------------------------------------------------------------


class Store:
    """A DuckDB file of articles, events, evidence, quotes, actors and problems."""

    def __init__(self, path: str | Path = "dyad.duckdb", read_only: bool = False, dedup: bool = True,
                 memory_limit: int | None = None):
        """``memory_limit`` (bytes) caps DuckDB's buffer pool for a long writer (``dyad extract``):
        without it the pool keeps every block the per-batch queries read, and grows with the store.
        A batch that needs more doubles the limit and runs again (its transaction rolled back)."""
        self.path = str(path)
        self.read_only = read_only
        self.dedup = dedup  # keep corpus events, counts and near-duplicates up to date on every write
        in_memory = self.path == ":memory:"
        if read_only and not in_memory and not Path(self.path).exists():
            raise StoreNotFound(
                f"no store at {self.path}: run `dyad extract INPUT --db {self.path}` first"
            )
        if not in_memory:
            check_store_file(self.path)
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.con = self._connect(read_only=read_only and not in_memory)
        if not in_memory and Path(self.path).exists():
            try:
                _check_is_dyad(self.con, self.path)
            except BaseException:
                self.con.close()
                raise
        if not self.con_read_only:
            try:
                self._create_schema()
                if self.dedup:
                    self._reindex_stale_minhash()
            except duckdb.Error as exc:
                self.con.close()
                raise _write_failed(self.path, exc) from exc
        self.memory_limit = memory_limit
        if memory_limit:
            self._set_memory_limit(memory_limit)

    def _connect(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        """Open the file with DuckDB (no extension is ever loaded to read it)."""
        try:
            return duckdb.connect(self.path, read_only=read_only,
                                  config={"autoload_known_extensions": False,
                                          "autoinstall_known_extensions": False})
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreLocked(
                    f"{self.path} is in use by another process (DuckDB allows one writer process); "
                    f"wait for it to finish, or copy the file and read the copy. ({exc})"
                ) from exc
            raise StoreError(f"cannot open {self.path}: it is damaged or not a complete DuckDB file "
                             f"({str(exc).splitlines()[0]}); restore it from a copy, or give another --db file") from exc
        except duckdb.Error as exc:
            raise StoreError(f"cannot open {self.path}: {str(exc).splitlines()[0]}") from exc

    def _set_memory_limit(self, limit: int) -> None:
        """Set the limit, or the first double of it that holds what DuckDB has in memory now."""
        reopened = False
        while True:
            try:
                self.con.execute(f"SET memory_limit = '{int(limit)}B'")
                self.memory_limit = limit
                return
            except duckdb.OutOfMemoryException:
                if not reopened and self.path != ":memory:" and not self.con_read_only:
                    # a connection that ran out of memory may not even run the SET (its pool is
                    # full of what the failed work left): a new connection to the file starts empty
                    self._reopen()
                    reopened = True
                    continue
                if limit >= MAX_MEMORY_LIMIT:
                    raise
                limit = min(2 * limit, MAX_MEMORY_LIMIT)

    @property
    def con_read_only(self) -> bool:
        return self.read_only and self.path != ":memory:"

    # -- schema ------------------------------------------------------------------------------------

    def _create_schema(self) -> None:
        for stmt in _EXTRA_DDL:
            self.con.execute(stmt)
        for table in TABLES:
            self.con.execute(_ddl(table))
            for c, t, _ in TABLES[table]:  # tables made by an older version get new columns
                if "PRIMARY KEY" not in t and "NOT NULL" not in t:
                    self.con.execute(f"ALTER TABLE {q(table)} ADD COLUMN IF NOT EXISTS {q(c)} {_base_type(t)}")
        for stmt in _INDEXES:
            self.con.execute(stmt)
        dedup.create_schema(self.con)
        if corpus.create_schema(self.con):  # new, or a view in a file made by an older version
            corpus.rebuild(self.con)
        self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])

    def _reindex_stale_minhash(self) -> None:
        """A store indexed with older MinHash functions (meta ``minhash``) is deduplicated again."""
        row = self.con.execute("SELECT value FROM meta WHERE key = 'minhash'").fetchone()
        if row and row[0] == dedup.MINHASH_VERSION:
            return
        self.con.begin()
        try:
            if self.con.execute("SELECT count(*) FROM article_minhash").fetchone()[0]:
                dedup.rebuild(self.con)
                corpus.rebuild(self.con)
            self.con.execute("INSERT OR REPLACE INTO meta VALUES ('minhash', ?)", [dedup.MINHASH_VERSION])
            self.con.commit()
        except Exception:
            self.con.rollback()
            raise

    def columns(self, table: str) -> list[str]:
        """Column names of a table as they are in this file (others may have added some)."""
        return columns(self.con, table)

    # -- writes ------------------------------------------------------------------------------------

    def add(self, articles: Iterable[Article]) -> AddResult:
        """Upsert articles with their events and quotes; returns what was written.

        Articles already stored with the same extraction are skipped; a changed extraction replaces
        the article's events, evidence and quotes.  Each batch of ``BATCH_SIZE`` articles is one
        transaction.  Assigns ``Event.id``/``Quote.id`` on the given records.
        """
        self._writable()
        total = AddResult()
        for chunk in _chunks(articles, BATCH_SIZE):
            total += self._growing_memory(lambda chunk=chunk: self._add_batch(chunk))
        if self.dedup:
            self.maintain()
        return total

    def _growing_memory(self, work: Any) -> Any:
        """Run ``work`` (one transaction); out of memory under a cap, double the cap and run it again."""
        while True:
            try:
                return work()
            except duckdb.Error as exc:
                if not _out_of_memory(exc) or not self.memory_limit or self.memory_limit >= MAX_MEMORY_LIMIT:
                    raise _write_failed(self.path, exc) from exc
                self._reopen_if_invalidated(exc)
                self._set_memory_limit(min(2 * self.memory_limit, MAX_MEMORY_LIMIT))

    def _reopen_if_invalidated(self, exc: BaseException) -> None:
        """A commit that ran out of memory leaves DuckDB's database invalidated ("must be
        restarted"): open the file again.  Its transaction was not written, so the file holds the
        batches committed before, and the batch runs again."""
        try:
            self.con.execute("SELECT 1").fetchall()
            return
        except duckdb.FatalException:
            if self.path == ":memory:":
                raise _write_failed(self.path, exc) from exc
        except duckdb.Error:  # valid but out of memory: _set_memory_limit opens it again if need be
            return
        self._reopen()

    def _reopen(self) -> None:
        """A new connection to the file for writing (the old one closed if it still can be)."""
        try:
            self.con.close()
        except duckdb.Error:
            pass
        self.con = self._connect(read_only=False)

    def maintain(self) -> None:
        """Rewrite in order the corpus tables whose appended rows pass their threshold
        (``corpus.needs_compaction``, ``postings.needs_compaction``); ``add`` calls this."""
        if corpus.needs_compaction(self.con):
            self._growing_memory(self.optimize_corpus)
        which = postings.needs_compaction(self.con)
        if which:
            self._growing_memory(lambda: self._compact_postings(which))

    def refresh_corpus(self, clusters: list[str]) -> None:
        """Bring the corpus rows of these clusters up to date with ``events`` (one transaction)."""
        self._transaction(lambda: corpus.refresh(self.con, clusters))

    def rebuild_corpus(self) -> None:
        """Refill ``corpus_events`` and ``dyad_months`` from the clusters in ``events`` (after a bulk
        load that set ``cluster_id`` and the counts itself), ordered by dyad and day."""
        self._writable()
        self._transaction(lambda: corpus.rebuild(self.con))
        self.con.execute("CHECKPOINT").fetchall()

    def _transaction(self, work: Any) -> None:
        self.con.begin()
        try:
            work()
            self.con.commit()
        except Exception:
            self.con.rollback()
            raise

    def optimize(self) -> None:
        """Rewrite ``corpus_events`` and the posting tables in their order (see corpus.py and
        postings.py); ``add`` does it for a table once ``COMPACT_FRACTION`` of its rows came after the
        last rewrite."""
        self.optimize_corpus()
        self._compact_postings(("keys", "words", "mentions"))

    def optimize_corpus(self) -> None:
        """Rewrite ``corpus_events`` ordered by dyad and day."""
        self._writable()
        self._transaction(lambda: corpus.compact(self.con))
        self.con.execute("CHECKPOINT").fetchall()

    def _compact_postings(self, which: tuple[str, ...]) -> None:
        self._writable()
        self._transaction(lambda: postings.compact(self.con, which))
        self.con.execute("CHECKPOINT").fetchall()

    def add_problems(self, problems: Iterable[Problem], run_id: str | None = None) -> None:
        """Record inputs that could not be read: one row per (where, reason), whose ``run_id`` and
        ``at`` are those of the latest run that met it (a re-run adds no copies)."""
        self._writable()
        stamp = datetime.now(UTC).replace(tzinfo=None)
        rows = list({(p.where, p.reason): {"where": p.where, "reason": p.reason, "run_id": run_id, "at": stamp}
                     for p in problems}.values())
        if not rows:
            return
        self.con.register("_stage_problems", _arrow("problems", rows))
        self.con.begin()
        try:
            self.con.execute('DELETE FROM problems WHERE ("where", reason) IN '
                             '(SELECT "where", reason FROM _stage_problems)')
            self.con.execute(f"INSERT INTO problems ({_cols('problems')}) SELECT {_select_list('problems')} "
                             "FROM _stage_problems")
            self.con.commit()
        except duckdb.Error as exc:
            self._rollback()
            raise _write_failed(self.path, exc) from exc
        finally:
            self.con.unregister("_stage_problems")

    def rebuild_dedup(self) -> None:
        """Recompute near-duplicates, corpus event clusters and their counts from scratch."""
        self._writable()
        self.con.begin()
        try:
            dedup.rebuild(self.con)
            corpus.rebuild(self.con)
            self.con.commit()
        except Exception:
            self.con.rollback()
            raise

    def articles_seen(self, ids: Iterable[str]) -> set[str]:
        """Which of these article ids are already stored (so a run can skip them)."""
        ids = list(dict.fromkeys(ids))
        if not ids:
            return set()
        staged = pa.table({"id": pa.array(ids, pa.string())})
        self.con.register("_ids", staged)
        try:
            rows = self.con.execute("SELECT a.id FROM articles a JOIN _ids USING (id)").fetchall()
        finally:
            self.con.unregister("_ids")
        return {r[0] for r in rows}

    def texts(self, ids: Iterable[str]) -> dict[str, str]:
        """The stored text of each of these articles that is stored."""
        ids = list(dict.fromkeys(ids))
        if not ids:
            return {}
        return dict(self.con.execute("SELECT id, text FROM articles WHERE id IN (SELECT unnest(?))",
                                     [ids]).fetchall())

    def _writable(self) -> None:
        if self.con_read_only:
            raise StoreError(f"{self.path} is open read-only")

    def _insert(self, table: str, rows: list[dict[str, Any]], verb: str) -> None:
        name = f"_stage_{table}"
        self.con.register(name, _arrow(table, rows))
        try:
            self.con.execute(f"{verb} {q(table)} ({_cols(table)}) SELECT {_select_list(table)} FROM {name}")
        finally:
            self.con.unregister(name)

    def _add_batch(self, batch: list[Article]) -> AddResult:
        latest: dict[str, Article] = {}
        for art in batch:  # the same article twice in a batch: the last one wins
            assign_ids(art)
            latest.pop(art.id, None)
            latest[art.id] = art
        known = dict(self.con.execute(
            "SELECT id, digest FROM articles WHERE id IN (SELECT unnest(?))", [list(latest)]
        ).fetchall())
        result = AddResult()
        rows = _Rows.empty()
        stamp = datetime.now(UTC).replace(tzinfo=None)
        for art in latest.values():
            if art.id in known:
                result.articles_seen += 1
                if known[art.id] == digest(art):
                    continue
                result.articles_updated += 1
            else:
                result.articles_new += 1
            rows.add_article(art, stamp)
        if not rows.articles:
            return result
        changed = [r["id"] for r in rows.articles]
        self.con.begin()
        try:
            clusters = dedup.stale_clusters(self.con, changed) if self.dedup else []
            stale = self._delete_children(changed)
            self._insert("articles", rows.articles, verb="INSERT OR REPLACE INTO")
            self._insert("events", rows.events, verb="INSERT INTO")
            self._insert("evidence", rows.evidence, verb="INSERT INTO")
            self._insert("quotes", rows.quotes, verb="INSERT INTO")
            self._upsert_actors(list(rows.actors.values()), list(rows.actor_aliases.values()))
            self._refresh_actor_stats(set(rows.actors) | stale)
            if self.dedup:
                corpus.refresh(self.con, dedup.update(self.con, rows.articles, clusters))
            else:  # events without clusters: the article-level posting rows no longer hold them all
                postings.mark_mentions_stale(self.con)
            self.con.commit()
        except Exception:
            self._rollback()
            raise
        result.events, result.quotes, result.actors = len(rows.events), len(rows.quotes), len(rows.actors)
        return result

    def _rollback(self) -> None:
        """Roll back; a rollback that fails too (a full disk) must not hide the first error."""
        try:
            self.con.rollback()
        except duckdb.Error:
            pass

    def _delete_children(self, article_ids: list[str]) -> set[str]:
        """Delete the events, evidence and quotes of these articles; return the actors they named."""
        ids = [article_ids]
        stale = self.con.execute(
            """SELECT source_id FROM events WHERE article_id IN (SELECT unnest(?))
               UNION SELECT target_id FROM events WHERE article_id IN (SELECT unnest(?))
               UNION SELECT speaker_id FROM quotes WHERE article_id IN (SELECT unnest(?))""",
            ids * 3,
        ).fetchall()
        for table in ("evidence", "events", "quotes"):
            self.con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", ids)
        return {r[0] for r in stale if r[0]}

    def _upsert_actors(self, actors: list[dict[str, Any]], aliases: list[dict[str, Any]]) -> None:
        """Add new actors; for known ones, fill blank fields only (the registry may be curated)."""
        if actors:
            self.con.register("_stage_actors", _arrow("actors", actors))
            try:
                self.con.execute(
                    f"""INSERT INTO actors ({_cols('actors')}) SELECT {_select_list('actors')} FROM _stage_actors
                        ON CONFLICT (id) DO UPDATE SET
                          country = COALESCE(actors.country, excluded.country),
                          sector = COALESCE(actors.sector, excluded.sector),
                          title = COALESCE(actors.title, excluded.title)"""
                )
            finally:
                self.con.unregister("_stage_actors")
        if aliases:
            self._insert("actor_aliases", aliases, verb="INSERT OR IGNORE INTO")

    def _refresh_actor_stats(self, actor_ids: set[str]) -> None:
        """Recount mentions and first/last dates of these actors from the stored rows."""
        if not actor_ids:
            return
        ids = [sorted(actor_ids)]
        self.con.execute(
            """
            WITH touched AS (SELECT unnest(?) AS id),
            m AS (
              SELECT e.source_id AS actor_id, COALESCE(e.date, TRY_CAST(left(a.published, 10) AS DATE)) AS d
                FROM events e JOIN articles a ON a.id = e.article_id WHERE e.source_id IN (SELECT id FROM touched)
              UNION ALL
              SELECT e.target_id, COALESCE(e.date, TRY_CAST(left(a.published, 10) AS DATE))
                FROM events e JOIN articles a ON a.id = e.article_id WHERE e.target_id IN (SELECT id FROM touched)
              UNION ALL
              SELECT qt.speaker_id, TRY_CAST(left(a.published, 10) AS DATE)
                FROM quotes qt JOIN articles a ON a.id = qt.article_id WHERE qt.speaker_id IN (SELECT id FROM touched)
            ),
            s AS (
              SELECT t.id, count(m.actor_id) AS n, min(m.d) AS d_first, max(m.d) AS d_last
                FROM touched t LEFT JOIN m ON m.actor_id = t.id GROUP BY t.id
            )
            UPDATE actors SET n_mentions = s.n, first_seen = s.d_first, last_seen = s.d_last
              FROM s WHERE actors.id = s.id
            """,
            ids,
        )

    # -- reads -------------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Row counts of every table."""
        return {t: self.con.execute(f"SELECT count(*) FROM {q(t)}").fetchone()[0] for t in TABLES}

    def get_article(self, article_id: str) -> Article | None:
        """Rebuild an Article (with its events and quotes) from the store."""
        return load_article(self.con, article_id)

    # -- lifecycle ---------------------------------------------------------------------------------

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Column names of a table as they are in the open file (others may have added some)."""
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def load_article(con: duckdb.DuckDBPyConnection, article_id: str) -> Article | None:
    """Rebuild an Article (with its events and quotes) from the store; None when unknown."""
    row = con.execute("SELECT * FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        return None
    a = dict(zip(columns(con, "articles"), row, strict=True))
    art = Article(text=a["text"], id=a["id"], lang=a["lang"], published=a["published"], url=a["url"],
                  source=a["source"], title=a["title"], origin=a["origin"])
    actors = _actors_of(con, article_id)
    evidence: dict[str, list[Evidence]] = {}
    for ev_id, text, start, end in con.execute(
        'SELECT event_id, text, start, "end" FROM evidence WHERE article_id = ? ORDER BY event_id, n',
        [article_id],
    ).fetchall():
        evidence.setdefault(ev_id, []).append(Evidence(text=text, start=start, end=end))
    ecols = columns(con, "events")
    for row in con.execute("SELECT * FROM events WHERE article_id = ? ORDER BY rowid", [article_id]).fetchall():
        art.events.append(_event_from_row(dict(zip(ecols, row, strict=True)), actors, evidence))
    qcols = columns(con, "quotes")
    for row in con.execute("SELECT * FROM quotes WHERE article_id = ? ORDER BY rowid", [article_id]).fetchall():
        r = dict(zip(qcols, row, strict=True))
        art.quotes.append(Quote(
            speaker=_actor(actors, r["speaker_id"], r["speaker_name"], r["speaker_country"], r["speaker_mention"]),
            text=r["text"], direct=r["direct"], cue=r["cue"], start=r["start"], end=r["end"], id=r["id"],
        ))
    return art


def _actors_of(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, dict[str, Any]]:
    rows = con.execute(
        """SELECT id, name, country, sector, kind, title FROM actors WHERE id IN (
             SELECT source_id FROM events WHERE article_id = $1
             UNION SELECT target_id FROM events WHERE article_id = $1
             UNION SELECT speaker_id FROM quotes WHERE article_id = $1)""",
        [article_id],
    ).fetchall()
    keys = ("id", "name", "country", "sector", "kind", "title")
    return {r[0]: dict(zip(keys, r, strict=True)) for r in rows}


def _actor(actors: dict[str, dict[str, Any]], actor_id: str | None, name: str | None,
           country: str | None, mention: str | None) -> Actor | None:
    """An Actor as it stood in one article: the per-article name/country/mention, registry details."""
    if actor_id is None:
        return None
    reg = actors.get(actor_id, {})
    return Actor(name=name or reg.get("name", ""), country=country, sector=reg.get("sector"),
                 kind=reg.get("kind") or "person", id=actor_id, mention=mention or "", title=reg.get("title"))


def _event_from_row(r: dict[str, Any], actors: dict[str, dict[str, Any]],
                    evidence: dict[str, list[Evidence]]) -> Event:
    place = None
    if r["place_name"] is not None:
        place = Place(name=r["place_name"], country=r["place_country"], lat=r["place_lat"], lon=r["place_lon"],
                      kind=r["place_kind"] or "city")
    kw: dict[str, Any] = dict(
        type=r["type"], mode=r["mode"], cameo=r["cameo"], quad=r["quad"], intensity=r["intensity"],
        date=r["date"].isoformat() if r["date"] else None, date_inferred=bool(r.get("date_inferred")),
        source=_actor(actors, r["source_id"], r["source_name"], r["source_country"], r["source_mention"]),
        target=_actor(actors, r["target_id"], r["target_name"], r["target_country"], r["target_mention"]),
        place=place, negated=r["negated"], evidence=evidence.get(r["id"], []), confidence=r["confidence"],
        trigger=r["trigger"] or "", id=r["id"],
    )
    return Event(**{k: v for k, v in kw.items() if k in _EVENT_FIELDS})

"""Corpus-level deduplication: one real-world event reported by many articles, and wire copies.

Two things are computed incrementally, inside the store's write transaction for each batch:

* **Event clusters.**  Events of different articles (and languages) are the same corpus event when
  they have the same PLOVER type and negation, the same source and target identity and the same
  day.  Identity across languages is robust to transliteration: same country, and for persons or
  organisations a shared normalised name token ("Sergueï Lavrov" ~ "Sergey Lavrov"); for ``state``
  actors the country alone.  CONSULT, COOPERATE and AGREE match with source and target swapped.
  An event whose date is null (its article's publication day is used) or only inferred from the
  story's context may join an event one day apart.  ``events.cluster_id`` is the smallest event id
  of the cluster (a connected component of that relation), so the same input always gives the same
  cluster ids, whatever the order or batching of the articles.

* **Near-duplicate articles** (wire copies, updates): MinHash signatures of word 5-shingles,
  LSH bands stored in ``article_bands``; articles whose estimated Jaccard similarity is at least
  ``NEAR_DUP_JACCARD`` form a group, and ``articles.duplicate_of`` is the group's smallest article
  id (NULL on that article itself).

Every event of a cluster carries the cluster's counts, as GDELT counts them: ``num_mentions`` (evidence
sentences over all articles), ``num_articles`` (distinct articles, a wire copy counted once) and
``num_sources`` (distinct outlets: ``articles.source``, else the URL host, else the article id).
The table ``corpus_events`` (``corpus.py``) holds one row per cluster (its representative: the event
whose id is the cluster id), refreshed by the store with the clusters :func:`update` returns.
See docs/scale.md.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from hashlib import blake2b
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

SYMMETRIC = frozenset({"CONSULT", "COOPERATE", "AGREE"})
NUM_PERM = 128
BANDS = 32  # 32 bands of 4 rows: pairs with Jaccard >= 0.6 are candidates with p > 0.98
ROWS = NUM_PERM // BANDS
SHINGLE = 5
NEAR_DUP_JACCARD = 0.6
_STOP = frozenset("the of and for de la le les des du el los las del y et da di van von al bin".split())

DDL = [
    """CREATE TABLE IF NOT EXISTS article_bands (
         article_id VARCHAR NOT NULL, band SMALLINT NOT NULL, hash BIGINT NOT NULL)""",
    "CREATE TABLE IF NOT EXISTS article_minhash (article_id VARCHAR PRIMARY KEY, sig BLOB)",
    """CREATE OR REPLACE VIEW corpus_evidence AS
         SELECT e.cluster_id, v.* FROM evidence v JOIN events e ON e.id = v.event_id""",
]


# --------------------------------------------------------------------------------------------------
# Actor and event identity


@dataclass(frozen=True)
class ActorKey:
    """What cross-article matching knows of an actor."""

    name: str | None
    country: str | None
    kind: str | None


@dataclass(frozen=True)
class EventKey:
    """What cross-article matching knows of an event."""

    id: str
    type: str | None
    negated: bool
    day: date | None  # the event's date, else its article's publication day
    fuzzy: bool  # the date was inferred or missing: may match one day apart
    source: ActorKey | None
    target: ActorKey | None


@lru_cache(maxsize=65536)
def name_tokens(name: str | None) -> frozenset[str]:
    """Normalised name tokens: transliterated to ASCII, lower case, without particles."""
    if not name:
        return frozenset()
    from unidecode import unidecode

    words = re.findall(r"[a-z0-9]+", unidecode(name).lower())
    return frozenset(w for w in words if len(w) > 1 and w not in _STOP)


@lru_cache(maxsize=65536)
def last_token(name: str | None) -> str | None:
    """The last normalised name token (a surname, the head noun of an organisation's name)."""
    if not name:
        return None
    from unidecode import unidecode

    words = [w for w in re.findall(r"[a-z0-9]+", unidecode(name).lower()) if len(w) > 1 and w not in _STOP]
    return words[-1] if words else None


def same_actor(a: ActorKey | None, b: ActorKey | None) -> bool:
    """Two mentions name one actor: same country, and states by country, others by a shared name
    token that ends one of the names ("Sergueï Lavrov" ~ "Sergey Lavrov", "Xi" ~ "Xi Jinping"; a
    shared first name alone, "Emmanuel Macron" / "Emmanuel Bonne", is not enough)."""
    if a is None or b is None:
        return a is None and b is None
    if a.country != b.country:
        return False
    a_state, b_state = a.kind == "state", b.kind == "state"
    if a_state or b_state:
        return a_state and b_state and a.country is not None
    shared = name_tokens(a.name) & name_tokens(b.name)
    return bool(shared) and (last_token(a.name) in shared or last_token(b.name) in shared)


def events_match(a: EventKey, b: EventKey) -> bool:
    """The two events are one real-world event (the relation clusters are components of)."""
    if a.type != b.type or a.negated != b.negated or a.day is None or b.day is None:
        return False
    gap = abs((a.day - b.day).days)
    if gap > 1 or (gap == 1 and not (a.fuzzy or b.fuzzy)):
        return False
    if same_actor(a.source, b.source) and same_actor(a.target, b.target):
        return True
    return a.type in SYMMETRIC and same_actor(a.source, b.target) and same_actor(a.target, b.source)


def merge_labels(labels: Iterable[str], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Union-find over labels: each label → the smallest label of its connected component."""
    parent: dict[str, str] = {x: x for x in labels}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            parent[hi] = lo
    return {x: find(x) for x in list(parent)}


# --------------------------------------------------------------------------------------------------
# Near-duplicate articles: MinHash + LSH


MINHASH_VERSION = "2"  # stored in meta: a store indexed with other hash functions is re-indexed


def _perm() -> tuple[np.ndarray, np.ndarray]:
    """Coefficients of the NUM_PERM hash functions ``(a * x + b) mod 2**64 mod (2**61 - 1)``.

    ``a`` is drawn from the whole 61-bit range so that ``a * x`` wraps: with small coefficients
    (version 1 drew them below 2**31) ``a * x + b`` never wraps for a quarter of the crc32 values,
    every function is then increasing in ``x`` there, and most of them pick the same few shingles
    as their minimum; unrelated articles got estimated similarities of 0.85 and up.
    """
    rng = np.random.RandomState(20200328)
    a = rng.randint(1, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)
    b = rng.randint(0, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)
    return a, b


_A, _B = _perm()
_PRIME = np.uint64((1 << 61) - 1)


def shingles(text: str) -> np.ndarray:
    """crc32 hashes of the word 5-shingles of a text (lower case, punctuation ignored)."""
    words = re.findall(r"\w+", text.lower())
    if len(words) < SHINGLE:
        grams = [" ".join(words)]
    else:
        grams = [" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)]
    return np.unique(np.fromiter((zlib.crc32(g.encode("utf-8")) for g in grams), dtype=np.uint64))


def minhash(text: str) -> np.ndarray:
    """The MinHash signature (NUM_PERM uint64 values) of a text."""
    x = shingles(text)
    return ((_A[:, None] * x[None, :] + _B[:, None]) % _PRIME).min(axis=1)


def band_hashes(sig: np.ndarray) -> list[tuple[int, int]]:
    """(band, hash) pairs of a signature for the LSH index."""
    out = []
    for band in range(BANDS):
        chunk = sig[band * ROWS:(band + 1) * ROWS].tobytes()
        out.append((band, int.from_bytes(blake2b(chunk, digest_size=8).digest(), "little", signed=True)))
    return out


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(a == b))


# --------------------------------------------------------------------------------------------------
# In the store


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Tables and views of the dedup (the events/articles columns are declared in store.TABLES)."""
    for stmt in DDL:
        con.execute(stmt)


def stale_clusters(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> list[str]:
    """Clusters that hold events of these articles (call before their events are replaced)."""
    rows = con.execute(
        "SELECT DISTINCT cluster_id FROM events WHERE article_id IN (SELECT unnest(?)) AND cluster_id IS NOT NULL",
        [article_ids]).fetchall()
    return [r[0] for r in rows]


def update(con: duckdb.DuckDBPyConnection, articles: list[dict[str, Any]], stale: list[str]) -> list[str]:
    """Bring duplicates, clusters and counts up to date after ``articles`` (rows with ``id`` and
    ``text``) were written; ``stale`` are the clusters their previous events belonged to.

    Returns every cluster id the write touched, those merged away or emptied included."""
    ids = [a["id"] for a in articles]
    touched_articles = _near_duplicates(con, articles)
    clusters = _cluster(con, ids, stale)
    if touched_articles:
        rows = con.execute(
            "SELECT DISTINCT cluster_id FROM events WHERE article_id IN (SELECT unnest(?))",
            [sorted(touched_articles)]).fetchall()
        clusters |= {r[0] for r in rows}
    touched = sorted(c for c in clusters if c)
    recount(con, touched)
    return touched


_EVENT_SQL = """
    SELECT e.id, e.type, coalesce(e.negated, false),
           coalesce(e.date, TRY_CAST(left(a.published, 10) AS DATE)) AS day,
           (e.date IS NULL OR coalesce(e.date_inferred, false)) AS fuzzy,
           e.source_id, e.source_name, e.source_country, sa.kind,
           e.target_id, e.target_name, e.target_country, ta.kind,
           e.cluster_id
      FROM events e JOIN articles a ON a.id = e.article_id
      LEFT JOIN actors sa ON sa.id = e.source_id LEFT JOIN actors ta ON ta.id = e.target_id
"""


# Stored events that may match a new one: same type, same country pair (or swapped, for the
# symmetric types), a day at most one apart.  An equality join on all four (each new event stands
# for its three days), so the work per batch follows the number of candidates, not the number of
# stored events of the same type.
_CANDIDATES_SQL = f"""
    WITH n AS (
      SELECT id, type, sc, tc, day + s.o AS day FROM _new_ev, (VALUES (-1), (0), (1)) s(o)
      UNION ALL
      SELECT id, type, tc, sc, day + s.o FROM _new_ev, (VALUES (-1), (0), (1)) s(o)
       WHERE type IN ({", ".join(f"'{t}'" for t in sorted(SYMMETRIC))})
    ),
    o AS (
      SELECT e.id, e.type, e.source_country AS sc, e.target_country AS tc,
             coalesce(e.date, TRY_CAST(left(a.published, 10) AS DATE)) AS day
        FROM events e JOIN articles a ON a.id = e.article_id
    ),
    cand AS (
      SELECT DISTINCT n.id AS nid, o.id AS oid FROM n JOIN o
          ON o.type = n.type AND o.day = n.day
         AND o.sc IS NOT DISTINCT FROM n.sc AND o.tc IS NOT DISTINCT FROM n.tc
       WHERE o.id <> n.id
    )
    SELECT cand.nid, x.* FROM cand JOIN ({_EVENT_SQL} WHERE e.id IN (SELECT oid FROM cand)) x ON x.id = cand.oid
     ORDER BY cand.nid, x.id
"""


def _key(r: tuple) -> EventKey:
    src = ActorKey(r[6], r[7], r[8]) if r[5] is not None else None
    tgt = ActorKey(r[10], r[11], r[12]) if r[9] is not None else None
    return EventKey(id=r[0], type=r[1], negated=bool(r[2]), day=r[3], fuzzy=bool(r[4]), source=src, target=tgt)


def _cluster(con: duckdb.DuckDBPyConnection, article_ids: list[str], stale: list[str]) -> set[str]:
    """Cluster the events of these articles (and the rest of stale clusters) into the corpus."""
    members = [r[0] for r in con.execute(
        "SELECT id FROM events WHERE article_id IN (SELECT unnest(?)) OR cluster_id IN (SELECT unnest(?))",
        [article_ids, stale]).fetchall()]
    if not members:
        return set(stale)
    con.execute("UPDATE events SET cluster_id = id WHERE id IN (SELECT unnest(?))", [members])
    new = con.execute(_EVENT_SQL + " WHERE e.id IN (SELECT unnest(?))", [members]).fetchall()
    keys = {r[0]: _key(r) for r in new}
    con.register("_new_ev", pa.table({
        "id": [k.id for k in keys.values()], "type": [k.type for k in keys.values()],
        "day": pa.array([k.day for k in keys.values()], pa.date32()),
        "sc": [k.source.country if k.source else None for k in keys.values()],
        "tc": [k.target.country if k.target else None for k in keys.values()],
    }))
    try:
        others = con.execute(_CANDIDATES_SQL).fetchall()
    finally:
        con.unregister("_new_ev")
    label = {k: k for k in keys}
    pairs: list[tuple[str, str]] = []
    for row in others:
        other = _key(row[1:])
        label.setdefault(other.id, row[-1] or other.id)
        if events_match(keys[row[0]], other):
            pairs.append((label[row[0]], label[other.id]))
    final = merge_labels(label.values(), pairs)
    changes = {old: new for old, new in final.items() if old != new}
    if changes:
        con.register("_relabel", pa.table({"old": list(changes), "new": list(changes.values())}))
        try:
            con.execute("UPDATE events SET cluster_id = r.new FROM _relabel r WHERE events.cluster_id = r.old")
        finally:
            con.unregister("_relabel")
    return set(final) | set(final.values()) | set(stale)


def _near_duplicates(con: duckdb.DuckDBPyConnection, articles: list[dict[str, Any]]) -> set[str]:
    """Index the articles' MinHash bands; group near-duplicates; return articles whose group changed."""
    ids = [a["id"] for a in articles]
    con.execute("DELETE FROM article_bands WHERE article_id IN (SELECT unnest(?))", [ids])
    con.execute("DELETE FROM article_minhash WHERE article_id IN (SELECT unnest(?))", [ids])
    sigs = {a["id"]: minhash(a["text"] or "") for a in articles}
    bands = [(aid, band, h) for aid, sig in sigs.items() for band, h in band_hashes(sig)]
    con.register("_bands", pa.table({"article_id": [b[0] for b in bands], "band": [b[1] for b in bands],
                                     "hash": pa.array([b[2] for b in bands], pa.int64())}))
    con.register("_sigs", pa.table({"article_id": list(sigs), "sig": [s.tobytes() for s in sigs.values()]}))
    try:
        con.execute("INSERT INTO article_bands SELECT article_id, band, hash FROM _bands")
        con.execute("INSERT INTO article_minhash SELECT article_id, sig FROM _sigs")
        cand = con.execute("""
            SELECT DISTINCT n.article_id, b.article_id FROM _bands n
              JOIN article_bands b ON b.band = n.band AND b.hash = n.hash AND b.article_id <> n.article_id""").fetchall()
    finally:
        con.unregister("_bands")
        con.unregister("_sigs")
    if not cand:
        return set()
    others = sorted({o for _, o in cand})
    stored = dict(con.execute(
        """SELECT m.article_id, m.sig FROM article_minhash m WHERE m.article_id IN (SELECT unnest(?))""",
        [others]).fetchall())
    groups = dict(con.execute(
        "SELECT id, coalesce(duplicate_of, id) FROM articles WHERE id IN (SELECT unnest(?))",
        [sorted(set(others) | set(ids))]).fetchall())
    pairs = []
    for n, o in cand:
        sig_o = np.frombuffer(stored[o], dtype=np.uint64)
        if similarity(sigs[n], sig_o) >= NEAR_DUP_JACCARD:
            pairs.append((groups.get(n, n), groups.get(o, o)))
    if not pairs:
        return set()
    final = merge_labels(set(groups.values()), pairs)
    changes = {old: new for old, new in final.items() if old != new}
    if not changes:
        return set()
    con.register("_dup", pa.table({"old": list(changes), "new": list(changes.values())}))
    try:
        touched = [r[0] for r in con.execute(
            "SELECT a.id FROM articles a JOIN _dup d ON coalesce(a.duplicate_of, a.id) = d.old").fetchall()]
        con.execute("""UPDATE articles SET duplicate_of = CASE WHEN articles.id = d.new THEN NULL ELSE d.new END
                        FROM _dup d WHERE coalesce(articles.duplicate_of, articles.id) = d.old""")
    finally:
        con.unregister("_dup")
    return set(touched)


_RECOUNT_SQL = """
WITH t AS (SELECT unnest(?) AS cid),
m AS (
  SELECT e.cluster_id AS cid, e.id, coalesce(a.duplicate_of, a.id) AS canon
    FROM events e JOIN articles a ON a.id = e.article_id WHERE e.cluster_id IN (SELECT cid FROM t)
),
o AS (
  SELECT m.*, coalesce(nullif(lower(trim(ca.source)), ''),
                       nullif(regexp_extract(lower(ca.url), '^[a-z]+://(www\\.)?([^/:]+)', 2), ''),
                       ca.id) AS outlet
    FROM m JOIN articles ca ON ca.id = m.canon
),
v AS (SELECT event_id, count(*) AS n FROM evidence WHERE event_id IN (SELECT id FROM m) GROUP BY event_id),
agg AS (
  SELECT o.cid, sum(greatest(coalesce(v.n, 0), 1)) AS mentions, count(DISTINCT o.canon) AS arts,
         count(DISTINCT o.outlet) AS srcs
    FROM o LEFT JOIN v ON v.event_id = o.id GROUP BY o.cid
)
UPDATE events SET num_mentions = agg.mentions, num_articles = agg.arts, num_sources = agg.srcs
  FROM agg WHERE events.cluster_id = agg.cid
"""


def recount(con: duckdb.DuckDBPyConnection, clusters: list[str]) -> None:
    """Recompute num_mentions, num_articles and num_sources of these clusters from stored rows."""
    if clusters:
        con.execute(_RECOUNT_SQL, [clusters])


def rebuild(con: duckdb.DuckDBPyConnection, chunk: int = 500) -> None:  # then corpus.rebuild
    """Recompute duplicates, clusters and counts of the whole store from scratch."""
    con.execute("UPDATE articles SET duplicate_of = NULL")
    con.execute("UPDATE events SET cluster_id = NULL")
    con.execute("DELETE FROM article_bands")
    con.execute("DELETE FROM article_minhash")
    ids = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY id").fetchall()]
    for start in range(0, len(ids), chunk):  # clusters are order-independent: chunks give the same result
        rows = con.execute("SELECT id, text FROM articles WHERE id IN (SELECT unnest(?)) ORDER BY id",
                           [ids[start:start + chunk]]).fetchall()
        update(con, [{"id": i, "text": t} for i, t in rows], [])

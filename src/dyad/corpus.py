"""The corpus-event table: one row per cluster of article-level events, what every query counts.

``dedup.py`` decides which article-level events (``events``, one per article and key) report one
real-world event (``events.cluster_id``) and counts its mentions, articles and sources.  This module
keeps ``corpus_events``, a table with one row per cluster, up to date from those rows, in the same
write transaction:

* the cluster's **representative** is the event whose id is the cluster id (its smallest event id):
  type, mode, actors, date, place, trigger and the first evidence sentence are its;
* ``day`` is its date, else its article's publication day; ``dyad_lo``/``dyad_hi`` the two
  countries in code order (an undirected dyad is one equality on each);
* ``confidence`` is the **noisy-or** over the cluster's distinct original articles of each
  article's best mention: ``1 - Π(1 - cᵢ)``.  Independent reports of an event make it likelier,
  a wire copy (``articles.duplicate_of``) adds nothing, and one report keeps its own confidence;
* ``num_mentions``, ``num_sources``, ``num_articles`` as on ``events``; ``langs`` the languages
  of its articles; the representative article's ``published``, ``lang``, source, URL and title,
  so that a page of events reads this table alone.

Writes delete and re-insert the rows of the clusters a batch touched, so new rows land at the end
of the table.  Queries stay fast because DuckDB skips row groups by their min/max (zone maps)
when the table is ordered by ``(dyad_lo, dyad_hi, day)``: :func:`compact` rewrites it in that
order, and :func:`needs_compaction` says when the rows appended since the last rewrite pass
``COMPACT_FRACTION`` of the table (the store then compacts after the write).  ``dyad_months``
holds the counts per month and undirected country pair, split by quad class, refreshed with the same
clusters, for the dyad tables and timelines.  See docs/store.md.
"""

from __future__ import annotations

import duckdb

from dyad import postings

Con = duckdb.DuckDBPyConnection

COMPACT_FRACTION = 0.2  # rewrite the table in order when this share of its rows came after the last rewrite
COMPACT_MIN_ROWS = 10_000  # below this many appended rows, order does not matter
ORDER = "dyad_lo NULLS LAST, dyad_hi NULLS LAST, day NULLS LAST, id"

# (column, SQL type, expression over `e` (the representative event), `a` (its article), `v` (its
# first evidence), `c` (the cluster's aggregates))
COLUMNS: list[tuple[str, str, str]] = [
    ("id", "VARCHAR", "e.id"),
    ("cluster_id", "VARCHAR", "e.id"),
    ("article_id", "VARCHAR", "e.article_id"),
    ("type", "VARCHAR", "e.type"),
    ("mode", "VARCHAR", "e.mode"),
    ("cameo", "VARCHAR", "e.cameo"),
    ("quad", "VARCHAR", "e.quad"),
    ("intensity", "DOUBLE", "e.intensity"),
    ("date", "DATE", "e.date"),
    ("date_inferred", "BOOLEAN", "e.date_inferred"),
    ("day", "DATE", "coalesce(e.date, TRY_CAST(left(a.published, 10) AS DATE))"),
    ("dyad_lo", "VARCHAR", "least(e.source_country, e.target_country)"),
    ("dyad_hi", "VARCHAR", "greatest(e.source_country, e.target_country)"),
    ("source_id", "VARCHAR", "e.source_id"),
    ("target_id", "VARCHAR", "e.target_id"),
    ("source_name", "VARCHAR", "e.source_name"),
    ("source_country", "VARCHAR", "e.source_country"),
    ("target_name", "VARCHAR", "e.target_name"),
    ("target_country", "VARCHAR", "e.target_country"),
    ("source_mention", "VARCHAR", "e.source_mention"),
    ("target_mention", "VARCHAR", "e.target_mention"),
    ("place_name", "VARCHAR", "e.place_name"),
    ("place_country", "VARCHAR", "e.place_country"),
    ("place_lat", "DOUBLE", "e.place_lat"),
    ("place_lon", "DOUBLE", "e.place_lon"),
    ("place_kind", "VARCHAR", "e.place_kind"),
    ("negated", "BOOLEAN", "coalesce(e.negated, false)"),
    ("confidence", "DOUBLE", "c.confidence"),
    ("trigger", "VARCHAR", "e.trigger"),
    ("num_mentions", "INTEGER", "coalesce(e.num_mentions, 1)"),
    ("num_sources", "INTEGER", "coalesce(e.num_sources, 1)"),
    ("num_articles", "INTEGER", "coalesce(e.num_articles, 1)"),
    ("langs", "VARCHAR[]", "c.langs"),
    ("published", "VARCHAR", "a.published"),
    ("lang", "VARCHAR", "a.lang"),
    ("article_source", "VARCHAR", "a.source"),
    ("url", "VARCHAR", "a.url"),
    ("article_title", "VARCHAR", "a.title"),
    ("evidence", "VARCHAR", "v.text"),
    ("evidence_start", "INTEGER", "v.start"),
    ("evidence_end", "INTEGER", 'v."end"'),
    ("num", "UBIGINT", postings.num("e.id")),  # the id as a number: the key of the index and of the posting tables
    ("members", "VARCHAR[]", "c.members"),  # the cluster's article-level event ids, in order
]
# columns for the store's own use, not shown by queries and exports
HIDDEN = ("dyad_lo", "dyad_hi", "num", "members")
EXCLUDE = f"EXCLUDE ({', '.join(HIDDEN)})"
INDEX = "CREATE INDEX IF NOT EXISTS corpus_events_num ON corpus_events (num)"

DDL = [
    f"""CREATE TABLE IF NOT EXISTS corpus_events ({", ".join(f'"{c}" {t}' for c, t, _ in COLUMNS)})""",
    """CREATE TABLE IF NOT EXISTS dyad_months (
         month DATE, dyad_lo VARCHAR, dyad_hi VARCHAR, events BIGINT, coop BIGINT, conflict BIGINT,
         verbal_coop BIGINT, material_coop BIGINT, verbal_conflict BIGINT, material_conflict BIGINT,
         intensity_sum DOUBLE, intensity_n BIGINT)""",
]

# the rows of the clusters in `_touched(cid)` (or of every cluster when the condition says so)
_ROWS_SQL = f"""
WITH m AS (
  SELECT x.cluster_id AS cid, x.id, x.confidence, coalesce(ma.duplicate_of, ma.id) AS canon, ma.lang
    FROM events x JOIN articles ma ON ma.id = x.article_id
   WHERE {{members}}
),
c AS (
  SELECT cid, list(DISTINCT lang ORDER BY lang) FILTER (WHERE lang IS NOT NULL) AS langs,
         1 - product(1 - best) FILTER (WHERE best IS NOT NULL) AS confidence, list_sort(flatten(list(ids))) AS members
    FROM (SELECT cid, canon, any_value(lang) AS lang, max(least(greatest(confidence, 0), 1)) AS best,
                 list(id ORDER BY id) AS ids
            FROM m GROUP BY cid, canon)
   GROUP BY cid
)
SELECT {", ".join(f'{expr} AS "{col}"' for col, _, expr in COLUMNS)}
  FROM events e JOIN articles a ON a.id = e.article_id JOIN c ON c.cid = e.id
  LEFT JOIN evidence v ON v.event_id = e.id AND v.n = 0
 WHERE e.cluster_id = e.id AND {{representatives}}
"""

_MONTHS_SQL = """
SELECT date_trunc('month', day)::DATE AS month, dyad_lo, dyad_hi, count(*) AS events,
       count(*) FILTER (WHERE quad IN ('verbal-coop', 'material-coop')) AS coop,
       count(*) FILTER (WHERE quad IN ('verbal-conflict', 'material-conflict')) AS conflict,
       count(*) FILTER (WHERE quad = 'verbal-coop') AS verbal_coop,
       count(*) FILTER (WHERE quad = 'material-coop') AS material_coop,
       count(*) FILTER (WHERE quad = 'verbal-conflict') AS verbal_conflict,
       count(*) FILTER (WHERE quad = 'material-conflict') AS material_conflict,
       sum(intensity) AS intensity_sum, count(intensity) AS intensity_n
  FROM corpus_events
 WHERE day IS NOT NULL AND source_country IS NOT NULL AND target_country IS NOT NULL AND NOT negated
   AND {where}
 GROUP BY ALL
"""


def create_schema(con: Con) -> bool:
    """Create the tables; True when ``corpus_events`` (or a posting table) is new and must be filled
    (:func:`rebuild`).

    Stores made by an older version had a view of that name (one row per cluster, read from
    ``events``), or the table without ``num`` and ``members``; either is replaced.
    """
    kind = con.execute("SELECT table_type FROM information_schema.tables WHERE table_name = 'corpus_events'"
                       ).fetchall()
    kind = kind[0][0] if kind else None
    if kind == "VIEW":
        con.execute("DROP VIEW corpus_events")
    elif kind and "members" not in {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'corpus_events'").fetchall()}:
        con.execute("DROP TABLE corpus_events")
        kind = "old"
    for stmt in DDL:
        con.execute(stmt)
    con.execute(INDEX)
    new_postings = postings.create_schema(con)
    return kind != "BASE TABLE" or new_postings


def refresh(con: Con, clusters: list[str]) -> None:
    """Replace the rows of these clusters (ids before or after the write) by their current state,
    in ``corpus_events``, ``dyad_months`` and the posting tables."""
    if not clusters:
        return
    con.execute("CREATE OR REPLACE TEMP TABLE _touched AS SELECT DISTINCT unnest(?) AS cid", [clusters])
    gone = f"num IN (SELECT {postings.num('cid')} FROM _touched) AND id IN (SELECT cid FROM _touched)"
    try:
        pairs = "SELECT DISTINCT date_trunc('month', day)::DATE AS month, dyad_lo, dyad_hi FROM {rel} WHERE {where}"
        con.execute("CREATE OR REPLACE TEMP TABLE _months AS " + pairs.format(rel="corpus_events", where=gone))
        # the old members, whose mention rows go (postings.refresh)
        con.execute(f"CREATE OR REPLACE TEMP TABLE _gone AS SELECT unnest(members) AS eid FROM corpus_events WHERE {gone}")
        con.execute(f"DELETE FROM corpus_events WHERE {gone}")
        con.execute("CREATE OR REPLACE TEMP TABLE _fresh AS " + _ROWS_SQL.format(
            members="x.cluster_id IN (SELECT cid FROM _touched)",
            representatives="e.id IN (SELECT cid FROM _touched)"))
        added = con.execute("INSERT INTO corpus_events SELECT * FROM _fresh").fetchall()[0][0]
        con.execute("INSERT INTO _months " + pairs.format(rel="_fresh", where="TRUE"))
        _refresh_months(con)
        _add_appended(con, added)
        postings.refresh(con)
    finally:
        for t in ("_touched", "_months", "_gone", "_fresh"):
            con.execute(f"DROP TABLE IF EXISTS {t}")


def _refresh_months(con: Con) -> None:
    """Recount the (month, undirected country pair) cells listed in ``_months``."""
    cell = "(date_trunc('month', day)::DATE, dyad_lo, dyad_hi) IN (SELECT (month, dyad_lo, dyad_hi) FROM _months)"
    con.execute("""DELETE FROM dyad_months WHERE (month, dyad_lo, dyad_hi) IN
                     (SELECT (month, dyad_lo, dyad_hi) FROM _months)""")
    con.execute("INSERT INTO dyad_months " + _MONTHS_SQL.format(where=cell))


def rebuild(con: Con) -> None:
    """Fill ``corpus_events``, ``dyad_months`` and the posting tables from every cluster, in query order."""
    con.execute("DROP INDEX IF EXISTS corpus_events_num")
    con.execute("DELETE FROM corpus_events")
    # in slices of about REBUILD_SLICE clusters by their first country, each inserted in order, so
    # that the table is in order and memory does not grow with the store (lists of members)
    con.execute("""CREATE OR REPLACE TEMP TABLE _reps AS
                   SELECT id AS cid, least(source_country, target_country) AS lo FROM events WHERE cluster_id = id""")
    try:
        for cond, params in _slices(con):
            rows = _ROWS_SQL.format(members=f"x.cluster_id IN (SELECT cid FROM _reps WHERE {cond})",
                                    representatives=f"e.id IN (SELECT cid FROM _reps WHERE {cond})")
            con.execute(f"INSERT INTO corpus_events SELECT * FROM ({rows}) ORDER BY {ORDER}", params * 2)
    finally:
        con.execute("DROP TABLE IF EXISTS _reps")
    con.execute(INDEX)
    con.execute("DELETE FROM dyad_months")
    con.execute("INSERT INTO dyad_months " + _MONTHS_SQL.format(where="TRUE") + " ORDER BY 1, 2, 3")
    _set_meta(con, "corpus_appended", 0)
    postings.rebuild(con)


REBUILD_SLICE = 500_000  # clusters per statement of a rebuild


def _slices(con: Con) -> list[tuple[str, list[str]]]:
    """Conditions on ``_reps.lo`` (and their parameters) that cut the clusters into slices of about
    REBUILD_SLICE, in order."""
    counts = con.execute("SELECT lo, count(*) FROM _reps WHERE lo IS NOT NULL GROUP BY lo ORDER BY lo").fetchall()
    out, start, n = [], None, 0
    for lo, count in counts:
        if start is None:
            start = lo
        n += count
        if n >= REBUILD_SLICE:
            out.append((start, lo))
            start, n = None, 0
    if start is not None:
        out.append((start, counts[-1][0]))
    return [("lo BETWEEN ? AND ?", [a, b]) for a, b in out] + [("lo IS NULL", [])]


def compact(con: Con) -> None:
    """Rewrite ``corpus_events`` ordered by (dyad, day), so that filters skip whole row groups."""
    con.execute("DROP INDEX IF EXISTS corpus_events_num")
    con.execute(f"CREATE OR REPLACE TABLE corpus_events AS SELECT * FROM corpus_events ORDER BY {ORDER}")
    con.execute(INDEX)
    _set_meta(con, "corpus_appended", 0)


def needs_compaction(con: Con) -> bool:
    """Rows appended since the last ordered rewrite are more than COMPACT_FRACTION of the table."""
    appended = _get_meta(con, "corpus_appended")
    if appended < COMPACT_MIN_ROWS:
        return False
    total = con.execute("SELECT count(*) FROM corpus_events").fetchall()[0][0]
    return appended > COMPACT_FRACTION * max(total, 1)


def _add_appended(con: Con, n: int) -> None:
    _set_meta(con, "corpus_appended", _get_meta(con, "corpus_appended") + n)


def _get_meta(con: Con, key: str) -> int:
    rows = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
    return int(rows[0][0]) if rows else 0


def _set_meta(con: Con, key: str, value: int) -> None:
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, str(value)])

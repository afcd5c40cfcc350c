"""Posting tables over the corpus events: what lets a page of events read a few row groups.

DuckDB keeps no secondary index worth having at ten million rows; it skips row groups (122,880
rows) by their min/max values.  ``corpus_events`` is ordered by dyad and day, which serves a dyad's
timeline, but a page filtered by a country (as source *or* target), an actor, a type or nothing
at all would read the whole table for its 50 newest events.  So every write also keeps, for the
corpus events it touched:

* ``corpus_keys``: a narrow table with one row per (key, corpus event), ordered by
  ``(key, day DESC, num)``.  The keys of an event are ``*`` (every event), ``d:LO-HI`` (its
  undirected dyad, the countries in code order), ``c:XXX`` (each of its countries) and ``a:ID``
  (each of its actors), stored as DuckDB's 64-bit ``hash`` of that text (compared as integers, an
  unordered stretch of the table is read several times faster; two keys of a store share a hash
  with a chance of about n²/2⁶⁵, 10⁻⁸ for a million actors).  Its columns are those the filters
  and the dyad timelines read (countries, type, quad class, intensity, negation, confidence,
  languages as ``,en,fr,``), so "the 50 newest events of Russia" reads the first row group of the
  ``c:RUS`` block, and their total counts that block only.  ``num`` is the event's id as a number
  (:data:`NUM_SQL`), the key of ``corpus_events``'s index, through which the page's 50 rows are
  fetched.
* ``corpus_words``: one row per (word, corpus event) of the folded words of *all* the evidence
  sentences of the cluster's articles, ordered by ``(word, day DESC, num)``; and
  ``corpus_vocab(word, events)``, every indexed word with the number of corpus events it occurs
  in.  Words are split on anything that is not a letter or a digit, after :func:`fold`; words of
  one character, of ASCII digits only, and the function words in :data:`STOPWORDS` are not
  indexed (a search the index cannot answer exactly reads the evidence, as before).

* ``mention_keys``: ``corpus_keys`` for the article-level events (``--mentions`` pages), one row
  per (key, member of a corpus event), ordered by ``(key, day DESC, num)``, with the event's own
  countries, type, quad class, confidence, day (its date, else its article's publication day) and
  its article's language; an event is of dyad ``d:X-X`` only when both its countries are X (as
  ``query.EventFilter`` reads ``events``; a corpus event also with one).  ``num`` is the event's id
  as a number: an event id is 16 hex digits (``store.event_id``), read as a 64-bit integer
  (:data:`NUM_SQL`), which orders as the id does and gives it back (:func:`event_id`), so a page
  ordered by ``(day, num)`` is the page ordered by ``(day, id)``.  The countries, type, quad and
  language are integer codes (:data:`CODED`), numbered per kind in ``mention_values(kind, value,
  code)`` as they first occur and never renumbered (:func:`codes`): integers are rewritten in order
  about twice as fast as short texts, and take no more room.  Rows are replaced by event: those of
  the old and new members of a rewritten cluster.  Events outside every cluster (a store written
  with ``dedup=False``), or with an id of another form, have no rows: :func:`mentions_exact` is
  then false and queries read ``events``.

Rows of a rewritten cluster are deleted (by ``num``) and appended again, so the end of each table
is unordered; :func:`needs_compaction` says when the appended rows pass
``COMPACT_FRACTION`` of a table, and :func:`compact` rewrites it in order.  Everything here is a
function of ``corpus_events`` and ``evidence`` (``mention_keys`` once its codes are read as their
texts): :func:`rebuild` gives the same rows as any sequence of incremental writes
(tests/test_postings.py).
"""

from __future__ import annotations

import warnings

import duckdb

Con = duckdb.DuckDBPyConnection

COMPACT_FRACTION = 0.1  # rewrite a posting table in order when this share of its rows came after the last rewrite
COMPACT_MIN_ROWS = 10_000

# an event id of 16 hex digits (records.stable_id, store.event_id): its number orders as the id does
HEX_ID = "(length({x}) = 16 AND regexp_full_match({x}, '[0-9a-f]+'))"
# a corpus event id as a number (the id read as hex); other ids are hashed
NUM_SQL = f"CASE WHEN {HEX_ID} THEN ('0x' || {{x}})::UBIGINT ELSE hash({{x}}) END"

# letters folded for search: case, accents (strip_accents), and the letters NFD does not decompose
_FOLD_PAIRS = [("ł", "l"), ("ø", "o"), ("đ", "d"), ("ð", "d"), ("ı", "i"), ("ß", "ss"), ("æ", "ae"),
               ("œ", "oe"), ("þ", "th")]
SEPARATORS = r"[^\p{L}\p{N}]+"

# function words of en, fr and es (folded), not indexed: they occur in most sentences
STOPWORDS = tuple(sorted(set("""
    the of and to in on at by for from with as is are was were be been being it its this that these
    those an or but not no has have had will would said says than then there their they he she his
    her him we our you your who whom which what when where also into about after before over under
    up out more most such can could may might do does did so if all any some other new one two
    de la le les des du un une et en au aux pour par sur dans avec que qui est sont il elle ils elles
    ne pas se sa son ses leur leurs ce cette ces plus ont ete etait lui nous vous ou mais comme
    el los las del y por con para su sus al lo una es son fue ha han que como mas pero sin sobre
    entre este esta estos estas ese esa tambien muy ya hay
""".split())))

KEY_COLUMNS = [
    ("key", "UBIGINT"), ("day", "DATE"), ("num", "UBIGINT"), ("source_country", "VARCHAR"),
    ("target_country", "VARCHAR"), ("type", "VARCHAR"), ("quad", "VARCHAR"), ("intensity", "DOUBLE"),
    ("negated", "BOOLEAN"), ("confidence", "DOUBLE"), ("langs", "VARCHAR"),
]
KEY_ORDER = "key, day DESC NULLS LAST, num"
# the posting rows of the article-level events (``--mentions`` pages), keyed as corpus_keys; ``num``
# the event id as a number (:data:`HEX_ID`: pages are ordered by it, as by the id); countries, type,
# quad and language as their codes in ``mention_values`` (integers: a table of them is rewritten in
# order three times faster than one of short texts)
MENTION_COLUMNS = [
    ("key", "UBIGINT"), ("day", "DATE"), ("num", "UBIGINT"), ("source_country", "UINTEGER"),
    ("target_country", "UINTEGER"), ("type", "UINTEGER"), ("quad", "UINTEGER"), ("confidence", "DOUBLE"),
    ("lang", "UINTEGER"),
]
# the columns of mention_keys that are codes, with the kind of text they code: each kind is numbered 1, 2, …
CODED = {"source_country": "country", "target_country": "country", "type": "type", "quad": "quad", "lang": "lang"}
MENTION_ORDER = "key, day DESC NULLS LAST, num"
WORD_ORDER = "word, day DESC NULLS LAST, num"

DDL = [
    f"CREATE TABLE IF NOT EXISTS corpus_keys ({', '.join(f'{c} {t}' for c, t in KEY_COLUMNS)})",
    "CREATE TABLE IF NOT EXISTS corpus_words (word VARCHAR, day DATE, num UBIGINT)",
    "CREATE TABLE IF NOT EXISTS corpus_vocab (word VARCHAR, events BIGINT)",
    f"CREATE TABLE IF NOT EXISTS mention_keys ({', '.join(f'{c} {t}' for c, t in MENTION_COLUMNS)})",
    "CREATE TABLE IF NOT EXISTS mention_values (kind VARCHAR, value VARCHAR, code UINTEGER)",
]
TABLES = ("corpus_keys", "corpus_words", "corpus_vocab", "mention_keys")


def fold(expr: str) -> str:
    """SQL: the text of ``expr`` lower-cased, without accents, ł ø đ ð ı ß æ œ þ spelt l o d d i ss ae oe th
    (ASCII text, most of it, is only lower-cased: the same, faster)."""
    out = f"strip_accents(lower({expr}))"
    for a, b in _FOLD_PAIRS:
        out = f"replace({out}, '{a}', '{b}')"
    if expr == "?":  # a parameter is given once
        return out
    return f"CASE WHEN strlen({expr}) = length({expr}) THEN lower({expr}) ELSE {out} END"


def num(expr: str) -> str:
    """SQL: the number (``num``) of the corpus event id ``expr``."""
    return NUM_SQL.format(x=expr)


def event_id(n: int) -> str:
    """The event id of a ``mention_keys.num`` (16 hex digits)."""
    return f"{n:016x}"


def _indexed(word: str) -> str:
    """SQL: the folded word ``word`` is indexed (two characters or more, not only digits, no function word)."""
    stop = ", ".join(f"'{w}'" for w in STOPWORDS)
    return f"(length({word}) > 1 AND NOT regexp_full_match({word}, '[0-9]+') AND NOT list_contains([{stop}], {word}))"


def _key_rows(rows: str, columns: str, keys: list[tuple[str, str]]) -> str:
    """SQL: the rows ``rows`` (a query; its rows ``r``) once per key: ``hash(key) AS key`` and
    ``columns``, for each (key expression, condition) of ``keys`` whose condition holds (a key that
    is NULL or the same as an earlier one of the row is left out by its condition).  One scan of
    the materialised rows per key, several times faster than a list of keys unnested."""
    parts = [f"SELECT hash({key}) AS key, {columns} FROM r WHERE {cond}" for key, cond in keys]
    return f"WITH r AS MATERIALIZED ({rows})\n" + "\nUNION ALL ".join(parts)


def _keys(lo: str, hi: str, src: str, tgt: str, pair: str | None = None) -> list[tuple[str, str]]:
    """The keys of a row whose countries are ``lo`` and ``hi`` (least and greatest: both NULL or
    neither) and actors ``src`` and ``tgt``: ``*``, ``d:LO-HI`` (when ``pair`` holds: by default
    when there is a country), ``c:`` of each country, ``a:`` of each actor."""
    return [
        ("'*'", "TRUE"),
        (f"'d:' || {lo} || '-' || {hi}", pair or f"{lo} IS NOT NULL"),
        (f"'c:' || {lo}", f"{lo} IS NOT NULL"),
        (f"'c:' || {hi}", f"{hi} IS NOT NULL AND {hi} <> {lo}"),
        (f"'a:' || {src}", f"{src} IS NOT NULL"),
        (f"'a:' || {tgt}", f"{tgt} IS NOT NULL AND {tgt} IS DISTINCT FROM {src}"),
    ]


# the key rows of the corpus rows in relation `rel` (a key is stored as its hash: see the module's doc)
_KEYS_SQL = _key_rows(
    "SELECT day, num, source_country, target_country, type, quad, intensity, negated, confidence, "
    "',' || array_to_string(langs, ',') || ',' AS langs, dyad_lo, dyad_hi, source_id, target_id FROM {rel}",
    "day, num, source_country, target_country, type, quad, intensity, negated, confidence, langs",
    _keys("dyad_lo", "dyad_hi", "source_id", "target_id"))

# the article-level events of relation `x` (columns of `events`), with their article's day and
# language (as query.DAY_SQL); an event of another id than 16 hex digits is left out
_MEMBERS_SQL = f"""
SELECT coalesce(x.date, TRY_CAST(left(a.published, 10) AS DATE)) AS day, {NUM_SQL.format(x="x.id")} AS num,
       x.source_country, x.target_country, x.type, x.quad, x.confidence, a.lang, x.source_id, x.target_id
  FROM {{x}} x JOIN articles a ON a.id = x.article_id
 WHERE {HEX_ID.format(x="x.id")}"""
_EVENT_COLUMNS = "id, article_id, date, source_country, target_country, type, quad, confidence, source_id, target_id"

# the mention rows of the events in `_mrows` (_MEMBERS_SQL), once per key, their texts as codes (mention_values)
_MENTIONS_SQL = _key_rows(
    "SELECT m.day, m.num, m.confidence, m.source_id, m.target_id, "
    "least(m.source_country, m.target_country) AS lo, greatest(m.source_country, m.target_country) AS hi, "
    "m.source_country IS NOT NULL AND m.target_country IS NOT NULL AS pair, "
    + ", ".join(f"v{i}.code AS {c}" for i, c in enumerate(CODED))
    + " FROM _mrows m "
    + " ".join(f"LEFT JOIN mention_values v{i} ON v{i}.kind = '{kind}' AND v{i}.value = m.{c}"
               for i, (c, kind) in enumerate(CODED.items())),
    "day, num, source_country, target_country, type, quad, confidence, lang",
    # an article-level event is of a dyad when it has both countries (query.EventFilter.where), a
    # corpus event also with one (corpus_events.dyad_lo and dyad_hi: least and greatest skip NULL)
    _keys("lo", "hi", "source_id", "target_id", pair="pair"))


def _member_rows(con: Con, rel: str, ids: list[str] | None = None) -> None:
    """``_mrows``: the members of the corpus rows in relation ``rel`` as :data:`_MEMBERS_SQL`
    (``ids``: those members, read through the primary key of ``events`` when they are few)."""
    if ids is not None and len(ids) <= 20 * INDEX_LOOKUPS:
        con.execute(f"CREATE OR REPLACE TEMP TABLE _mx AS SELECT {_EVENT_COLUMNS} FROM events LIMIT 0")
        for at in range(0, len(ids), INDEX_LOOKUPS):
            con.execute(f"INSERT INTO _mx SELECT {_EVENT_COLUMNS} FROM events WHERE list_contains(?, id)",
                        [ids[at:at + INDEX_LOOKUPS]])
        con.execute("CREATE OR REPLACE TEMP TABLE _mrows AS " + _MEMBERS_SQL.format(x="_mx"))
        con.execute("DROP TABLE _mx")
        return
    con.execute("CREATE OR REPLACE TEMP TABLE _mrows AS " + _MEMBERS_SQL.format(
        x=f"(SELECT {_EVENT_COLUMNS} FROM events WHERE id IN (SELECT unnest(members) FROM {rel}))"))


def _add_values(con: Con) -> None:
    """Give a code in ``mention_values`` to every country, type, quad and language of ``_mrows``
    that has none: the next integers of its kind, in the order of the texts.  Codes are never
    changed nor removed, so every mention row keeps its meaning."""
    texts = " UNION ".join(f"SELECT '{kind}' AS kind, {c} AS value FROM _mrows" for c, kind in CODED.items())
    con.execute(f"""INSERT INTO mention_values
                    WITH known AS (SELECT kind, max(code) AS top FROM mention_values GROUP BY kind)
                    SELECT t.kind, t.value, coalesce(known.top, 0) + row_number() OVER (PARTITION BY t.kind ORDER BY t.value)
                      FROM ({texts}) t LEFT JOIN known USING (kind)
                     WHERE t.value IS NOT NULL AND (t.kind, t.value) NOT IN (SELECT (kind, value) FROM mention_values)""")


def codes(con: Con, texts: dict[str, list[str]]) -> dict[tuple[str, str], int]:
    """The codes in ``mention_values`` of these texts, by kind (``country``, ``type``, ``quad``,
    ``lang``), keyed by (kind, text); a text without one is in no mention row."""
    pairs = sorted({(kind, t) for kind, values in texts.items() for t in values})
    if not pairs:
        return {}
    return {(k, v): c for k, v, c in con.execute(
        "SELECT kind, value, code FROM mention_values WHERE list_contains(?, kind || '\x1f' || value)",
        [[f"{k}\x1f{v}" for k, v in pairs]]).fetchall()}


INDEX_LOOKUPS = 2000  # values per lookup through an ART index (DuckDB scans the table for more than 2048)


def _words_sql(rel: str, evidence: str = "evidence") -> str:
    """The word rows of the corpus rows in relation ``rel``: the words of every evidence sentence
    (in relation ``evidence``) of their members."""
    return f"""
SELECT DISTINCT w.word, c.day, c.num
  FROM (SELECT c.day, c.num, unnest(c.members) AS eid FROM {rel} c) c
  JOIN {evidence} v ON v.event_id = c.eid,
       unnest(regexp_split_to_array({fold('v.text')}, '{SEPARATORS}')) w(word)
 WHERE {_indexed('w.word')}
"""


def create_schema(con: Con) -> bool:
    """Create the tables; True when one was missing or had other columns (a store of an older
    version), so that they must be filled (:func:`rebuild`)."""
    have = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}
    keys = [(r[0], r[1]) for r in con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'corpus_keys' "
        "ORDER BY ordinal_position").fetchall()]
    stale = "corpus_keys" in have and keys != KEY_COLUMNS
    if stale:
        con.execute("DROP TABLE corpus_keys")
    mention = [(r[0], r[1]) for r in con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'mention_keys' "
        "ORDER BY ordinal_position").fetchall()]
    if "mention_keys" in have and mention != MENTION_COLUMNS:
        con.execute("DROP TABLE mention_keys")
        stale = True
    for stmt in DDL:
        con.execute(stmt)
    return stale or not set(TABLES) <= have


def refresh(con: Con) -> None:
    """Replace the posting rows of the clusters in ``_touched(cid)`` by those of their rows in
    ``_fresh`` (the new ``corpus_events`` rows of those clusters), and the mention rows of the
    events in ``_gone(eid)`` (the members of their old rows) and of the new members (corpus.refresh
    makes all three)."""
    gone = f"num IN (SELECT {num('cid')} FROM _touched)"
    con.execute(f"DELETE FROM corpus_keys WHERE {gone}")
    n = con.execute(f"INSERT INTO corpus_keys SELECT * FROM ({_KEYS_SQL.format(rel='_fresh')}) ORDER BY {KEY_ORDER}"
                    ).fetchall()[0][0]
    _add(con, "keys_appended", n)
    con.execute(f"""DELETE FROM mention_keys WHERE num IN
                    (SELECT {num('eid')} FROM _gone UNION SELECT {num('eid')} FROM (SELECT unnest(members) eid FROM _fresh))""")
    if con.execute(f"SELECT count(*) FROM (SELECT unnest(members) eid FROM _fresh) WHERE NOT {HEX_ID.format(x='eid')}"
                   ).fetchone()[0]:
        mark_mentions_stale(con)  # an event id mention_keys cannot hold
    ids = [r[0] for r in con.execute("SELECT unnest(members) FROM _fresh").fetchall()]
    _member_rows(con, "_fresh", ids)
    _add_values(con)
    n = con.execute(f"INSERT INTO mention_keys SELECT * FROM ({_MENTIONS_SQL}) ORDER BY {MENTION_ORDER}"
                    ).fetchall()[0][0]
    con.execute("DROP TABLE _mrows")
    _add(con, "mentions_appended", n)
    # the sentences of the new rows' members: through the index on evidence.event_id for a batch
    con.execute("CREATE OR REPLACE TEMP TABLE _ev (event_id VARCHAR, text VARCHAR)")
    for at in range(0, len(ids), INDEX_LOOKUPS) if len(ids) <= 20 * INDEX_LOOKUPS else ():
        con.execute("INSERT INTO _ev SELECT event_id, text FROM evidence WHERE list_contains(?, event_id)",
                    [ids[at:at + INDEX_LOOKUPS]])
    with warnings.catch_warnings():  # "Arrow output on a DB-API result makes an extra copy": one column, once
        warnings.simplefilter("ignore", UserWarning)
        old = con.execute(f"DELETE FROM corpus_words WHERE {gone} RETURNING word").to_arrow_table()
    try:
        con.register("_old_words", old)
        con.execute("CREATE OR REPLACE TEMP TABLE _dvocab AS SELECT word, -count(*) AS d FROM _old_words GROUP BY word")
        con.execute("CREATE OR REPLACE TEMP TABLE _nwords AS "
                    + _words_sql("_fresh", "_ev" if len(ids) <= 20 * INDEX_LOOKUPS else "evidence"))
        n = con.execute(f"INSERT INTO corpus_words SELECT * FROM _nwords ORDER BY {WORD_ORDER}").fetchall()[0][0]
        _add(con, "words_appended", n)
        con.execute("INSERT INTO _dvocab SELECT word, count(*) FROM _nwords GROUP BY word")
        con.execute("""CREATE OR REPLACE TEMP TABLE _dvocab AS
                       SELECT word, sum(d) AS d FROM _dvocab GROUP BY word HAVING sum(d) <> 0""")
        con.execute("""UPDATE corpus_vocab SET events = corpus_vocab.events + x.d FROM _dvocab x
                       WHERE corpus_vocab.word = x.word""")
        con.execute("""INSERT INTO corpus_vocab SELECT word, d FROM _dvocab
                       WHERE word NOT IN (SELECT word FROM corpus_vocab) ORDER BY word""")
        con.execute("DELETE FROM corpus_vocab WHERE events <= 0 AND word IN (SELECT word FROM _dvocab)")
    finally:
        con.unregister("_old_words")
        for t in ("_ev", "_nwords", "_dvocab"):
            con.execute(f"DROP TABLE IF EXISTS {t}")


def rebuild(con: Con) -> None:
    """Fill the posting tables from every row of ``corpus_events``, in order."""
    con.execute(f"CREATE OR REPLACE TABLE corpus_keys AS SELECT * FROM ({_KEYS_SQL.format(rel='corpus_events')}) "
                f"ORDER BY {KEY_ORDER}")
    con.execute(f"CREATE OR REPLACE TABLE corpus_words AS SELECT * FROM ({_words_sql('corpus_events')}) "
                f"ORDER BY {WORD_ORDER}")
    con.execute("CREATE OR REPLACE TABLE corpus_vocab AS SELECT word, count(*) AS events FROM corpus_words "
                "GROUP BY word ORDER BY word")
    _member_rows(con, "corpus_events")
    _add_values(con)
    con.execute(f"CREATE OR REPLACE TABLE mention_keys AS SELECT * FROM ({_MENTIONS_SQL}) ORDER BY {MENTION_ORDER}")
    con.execute("DROP TABLE _mrows")
    _set(con, "keys_appended", 0)
    _set(con, "words_appended", 0)
    _set(con, "mentions_appended", 0)
    # events outside every cluster (written without dedup), or of another id, have no mention rows:
    # queries read events
    covered = con.execute("SELECT (SELECT count(*) FROM events) = (SELECT count(*) FROM mention_keys "
                          "WHERE key = hash('*'))").fetchone()[0]
    _set(con, "mentions_stale", 0 if covered else 1)


def compact(con: Con, which: tuple[str, ...] = ("keys", "words", "mentions")) -> None:
    """Rewrite the posting tables (``keys``, ``words``, ``mentions``) in their order."""
    if "mentions" in which:
        con.execute(f"CREATE OR REPLACE TABLE mention_keys AS SELECT * FROM mention_keys ORDER BY {MENTION_ORDER}")
        _set(con, "mentions_appended", 0)
    if "keys" in which:
        con.execute(f"CREATE OR REPLACE TABLE corpus_keys AS SELECT * FROM corpus_keys ORDER BY {KEY_ORDER}")
        _set(con, "keys_appended", 0)
    if "words" in which:
        con.execute(f"CREATE OR REPLACE TABLE corpus_words AS SELECT * FROM corpus_words ORDER BY {WORD_ORDER}")
        con.execute("CREATE OR REPLACE TABLE corpus_vocab AS SELECT * FROM corpus_vocab ORDER BY word")
        _set(con, "words_appended", 0)


def needs_compaction(con: Con) -> tuple[str, ...]:
    """The posting tables (``keys``, ``words``) whose appended rows pass COMPACT_FRACTION."""
    out = []
    for which, table in (("keys", "corpus_keys"), ("words", "corpus_words"), ("mentions", "mention_keys")):
        appended = _get(con, f"{which}_appended")
        if appended >= COMPACT_MIN_ROWS:
            total = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
            if appended > COMPACT_FRACTION * max(total, 1):
                out.append(which)
    return tuple(out)


def mark_mentions_stale(con: Con) -> None:
    """Events were written without their clusters (a store kept with dedup=False): ``mention_keys``
    no longer holds every article-level event, and queries read ``events`` until a rebuild."""
    _set(con, "mentions_stale", 1)


def mentions_exact(con: Con) -> bool:
    """``mention_keys`` holds every article-level event (no write without dedup since the last rebuild)."""
    return _get(con, "mentions_stale") == 0


def _add(con: Con, key: str, n: int) -> None:
    _set(con, key, _get(con, key) + n)


def _get(con: Con, key: str) -> int:
    rows = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
    return int(rows[0][0]) if rows else 0


def _set(con: Con, key: str, value: int) -> None:
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, str(value)])

"""Read the store: events, actors, dyads, quotes, places, the actor network, stats.

Every function takes an open DuckDB connection (``Store.con`` or a per-thread ``con.cursor()``)
and returns plain, JSON-ready dicts.  User values only ever travel as SQL parameters; the few
things that shape the SQL itself (sort keys, time buckets, grouping level) are looked up in
whitelists below, and anything else is a :class:`QueryError` naming the valid values.

    from dyad.query import EventFilter, events
    events(store.con, EventFilter(dyad="CHN-FRA", since="2020-08-01"), limit=20)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import duckdb

from dyad import postings
from dyad.corpus import EXCLUDE, HIDDEN
from dyad.ontology import QUAD_CLASS, TYPES
from dyad.postings import fold
from dyad.store import load_article

Con = duckdb.DuckDBPyConnection

PLOVER_TYPES = tuple(TYPES)
QUADS = tuple(QUAD_CLASS)  # verbal-coop, material-coop, verbal-conflict, material-conflict
QUAD_GROUPS = {"coop": QUADS[:2], "conflict": QUADS[2:], "verbal": (QUADS[0], QUADS[2]),
               "material": (QUADS[1], QUADS[3])}
PERIODS = {"day": "day", "week": "week", "month": "month", "year": "year", "all": None}
LEVELS = ("country", "actor")
MAX_LIMIT = 10_000_000

_COUNTRY = re.compile(r"^(?:[A-Z]{3}|IGO)$")
EVENT_SORTS = {"date": "day", "type": "e.type", "intensity": "e.intensity", "confidence": "e.confidence",
               "mentions": "e.num_mentions", "source": "e.source_name", "target": "e.target_name", "id": "e.id"}
ACTOR_SORTS = {"mentions": "ac.n_mentions", "name": "ac.name", "country": "ac.country",
                "first_seen": "ac.first_seen", "last_seen": "ac.last_seen", "events": "n_events"}
QUOTE_SORTS = {"date": "a.published", "speaker": "qt.speaker_name"}
# the effective day of an event: its own date, else the day its article was published
DAY_SQL = "COALESCE(e.date, TRY_CAST(left(a.published, 10) AS DATE))"


class QueryError(ValueError):
    """A bad query parameter; the message names the parameter and the valid values."""


# --------------------------------------------------------------------------------------------------
# Parsing and validation of user values


def parse_date(value: str | date | None, name: str = "date") -> date | None:
    """An ISO day (YYYY-MM-DD) or None."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise QueryError(f"{name}: {value!r} is not an ISO date; use YYYY-MM-DD, e.g. 2020-08-28") from None


def parse_country(value: str | None, name: str = "country") -> str | None:
    """An ISO 3166-1 alpha-3 code (or IGO), upper-cased."""
    if not value:
        return None
    code = value.strip().upper()
    if not _COUNTRY.match(code):
        raise QueryError(f"{name}: {value!r} is not a country code; use ISO 3166-1 alpha-3 such as CHN, FRA, or IGO")
    return code


def parse_dyad(value: str | None) -> tuple[str, str] | None:
    """'CHN-FRA' → ('CHN', 'FRA')."""
    if not value:
        return None
    parts = value.strip().upper().replace("–", "-").split("-")
    if len(parts) != 2:
        raise QueryError(f"dyad: {value!r} should be two country codes joined by '-', e.g. CHN-FRA")
    return parse_country(parts[0], "dyad"), parse_country(parts[1], "dyad")  # type: ignore[return-value]


def _split(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [i.strip() for i in items if i and i.strip()]


def parse_types(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """PLOVER types, comma-separated or a list; case-insensitive."""
    out = []
    for t in _split(value):
        if t.upper() not in PLOVER_TYPES:
            raise QueryError(f"type: {t!r} is not a PLOVER type; use one of {', '.join(PLOVER_TYPES)}")
        out.append(t.upper())
    return tuple(out)


def parse_quads(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Quad classes (verbal-coop, …), or the groups coop, conflict, verbal, material; or 1..4."""
    out: list[str] = []
    for qd in _split(value):
        key = qd.lower()
        if key in QUAD_GROUPS:
            out.extend(QUAD_GROUPS[key])
        elif key in QUADS:
            out.append(key)
        elif key in ("1", "2", "3", "4"):
            out.append(QUADS[int(key) - 1])
        else:
            raise QueryError(f"quad: {qd!r} is not a quad class; use one of {', '.join(QUADS)}, "
                             f"{', '.join(QUAD_GROUPS)} or 1-4")
    return tuple(dict.fromkeys(out))


def _choice(value: str, allowed: Iterable[str], name: str) -> str:
    allowed = list(allowed)
    if value not in allowed:
        raise QueryError(f"{name}: {value!r} is not one of {', '.join(allowed)}")
    return value


def _page(limit: int | None, offset: int) -> tuple[int, int]:
    limit = MAX_LIMIT if limit is None else int(limit)
    if limit < 0 or offset < 0:
        raise QueryError("limit and offset must be zero or more")
    return min(limit, MAX_LIMIT), int(offset)


def _norm_sql(expr: str) -> str:
    """Folded SQL expression (case, accents, and ł ø ß æ œ đ þ: postings.fold), for accent-insensitive
    substring search: "lukasz" finds Łukasz, "store" finds Støre."""
    return fold(expr)


def _name_or_alias(pairs: list[tuple[str, str]], needle: str) -> tuple[str, list[str]]:
    """SQL condition (and its parameters) that one of the (name column, actor id column) pairs names
    the actor, by its name or any alias, accent- and case-insensitively."""
    like = _norm_sql("?")
    names = [f"contains({_norm_sql(name)}, {like})" for name, _ in pairs]
    aliases = [f"{actor_id} IN (SELECT actor_id FROM actor_aliases WHERE contains({_norm_sql('alias')}, {like}))"
               for _, actor_id in pairs]
    return "(" + " OR ".join(names + aliases) + ")", [needle] * (2 * len(pairs))


# --------------------------------------------------------------------------------------------------
# Event filters


@dataclass
class EventFilter:
    """What to select events by; every field is optional and values are validated on creation.

    By default queries read **corpus events** (``corpus_events``: one row per cluster of article-level
    events, with ``num_mentions``, ``num_sources`` and ``num_articles``); ``mentions=True`` reads the
    article-level rows (``events``), one per article that reports an event.
    """

    actor: str | None = None  # substring of a source/target name or alias, accent-insensitive
    country: str | None = None  # source or target country
    dyad: str | tuple[str, str] | None = None  # "CHN-FRA"
    directed: bool = False  # dyad means source→target only
    type: str | Iterable[str] | None = None
    quad: str | Iterable[str] | None = None
    since: str | date | None = None
    until: str | date | None = None
    text: str | None = None  # substring of the evidence, accent-insensitive
    article: str | None = None  # article id
    lang: str | None = None
    min_confidence: float | str | None = None  # 0..1; a corpus event's confidence is a noisy-or (corpus.py)
    mentions: bool = False  # article-level rows instead of corpus events
    types: tuple[str, ...] = field(init=False, default=())
    quads: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        self.actor = (self.actor or "").strip() or None
        self.text = (self.text or "").strip() or None
        self.country = parse_country(self.country)
        if isinstance(self.dyad, str) or self.dyad is None:
            self.dyad = parse_dyad(self.dyad)
        self.types = parse_types(self.type)
        self.quads = parse_quads(self.quad)
        self.since = parse_date(self.since, "since")
        self.until = parse_date(self.until, "until")
        if self.since and self.until and self.since > self.until:
            raise QueryError(f"since ({self.since}) is after until ({self.until})")
        self.min_confidence = parse_confidence(self.min_confidence)

    @property
    def relation(self) -> str:
        """The FROM clause the conditions of :meth:`where` apply to (alias ``e``)."""
        return _FROM_EVENTS if self.mentions else _FROM_CORPUS

    @property
    def day(self) -> str:
        """SQL expression of an event's day (its date, else its article's publication day)."""
        return DAY_SQL if self.mentions else "e.day"

    def where(self, con: Con | None = None) -> tuple[str, list[Any]]:
        """SQL condition over :attr:`relation` and its parameters.  With ``con``, the actors an
        ``actor`` filter names are looked up first, and the events compared with their ids."""
        conds: list[str] = []
        params: list[Any] = []
        corpus = not self.mentions
        if self.actor and con is not None:
            ids = _actor_ids(con, self.actor)
            conds.append("(list_contains(?, e.source_id) OR list_contains(?, e.target_id))")
            params += [ids, ids]
        elif self.actor:
            conds.append(f"(e.source_id IN ({_ACTOR_IDS}) OR e.target_id IN ({_ACTOR_IDS}))")
            params += [self.actor] * 4
        if self.country:
            if corpus:  # the same rows as source or target country, in the columns the table is ordered by
                conds.append("(e.dyad_lo = ? OR e.dyad_hi = ?)")
            else:
                conds.append("(e.source_country = ? OR e.target_country = ?)")
            params += [self.country] * 2
        if self.dyad:
            c1, c2 = self.dyad
            if corpus:
                conds.append("e.dyad_lo = ? AND e.dyad_hi = ?")
                params += sorted((c1, c2))
            if self.directed:
                conds.append("(e.source_country = ? AND e.target_country = ?)")
                params += [c1, c2]
            elif not corpus:
                conds.append("((e.source_country = ? AND e.target_country = ?) OR "
                             "(e.source_country = ? AND e.target_country = ?))")
                params += [c1, c2, c2, c1]
        if self.types:
            conds.append("list_contains(?, e.type)")
            params.append(list(self.types))
        if self.quads:
            conds.append("list_contains(?, e.quad)")
            params.append(list(self.quads))
        if self.since:
            conds.append(f"{self.day} >= ?")
            params.append(self.since)
        if self.until:
            conds.append(f"{self.day} <= ?")
            params.append(self.until)
        if self.min_confidence is not None:
            conds.append("e.confidence >= ?")
            params.append(self.min_confidence)
        if self.text:
            if corpus and con is not None and _has_postings(con):  # through the word index (postings.py)
                sql, values = _text_nums(con, self.text)
                conds.append(f"e.num IN ({sql})")
                params += values
            elif corpus:
                conds.append(f"e.id IN (SELECT cluster_id FROM events WHERE id IN ({_FOUND}))")
                params.append(self.text)
            else:
                conds.append(f"e.id IN ({_FOUND})")
                params.append(self.text)
        if self.article:
            conds.append("e.id IN (SELECT cluster_id FROM events WHERE article_id = ?)" if corpus
                         else "e.article_id = ?")
            params.append(self.article)
        if self.lang:
            conds.append("list_contains(e.langs, ?)" if corpus else "a.lang = ?")
            params.append(self.lang)
        return (" AND ".join(conds) or "TRUE"), params

    def months_where(self) -> tuple[str, list[Any]] | None:
        """The condition over ``dyad_months`` (monthly counts per undirected country pair, split by
        quad class) when it answers this filter exactly; None when only the events can."""
        if (self.mentions or self.actor or self.text or self.article or self.lang or self.types or self.quads
                or self.directed or self.min_confidence is not None
                or (self.since and self.since.day != 1) or (self.until and (self.until + timedelta(days=1)).day != 1)):
            return None
        conds: list[str] = []
        params: list[Any] = []
        if self.country:
            conds.append("(e.dyad_lo = ? OR e.dyad_hi = ?)")
            params += [self.country] * 2
        if self.dyad:
            conds.append("e.dyad_lo = ? AND e.dyad_hi = ?")
            params += sorted(self.dyad)
        if self.since:
            conds.append("e.month >= ?")
            params.append(self.since)
        if self.until:
            conds.append("e.month <= ?")
            params.append(self.until)
        return (" AND ".join(conds) or "TRUE"), params


def parse_confidence(value: float | str | None, name: str = "min_confidence") -> float | None:
    """A confidence threshold between 0 and 1, or None."""
    if value is None or value == "":
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise QueryError(f"{name}: {value!r} is not a number; use a value from 0 to 1, e.g. 0.6") from None
    if not 0 <= x <= 1:
        raise QueryError(f"{name}: {value!r} is outside 0..1; use a value from 0 to 1, e.g. 0.6")
    return x


# actors whose registry name or any alias contains the needle (the alias list holds every name and
# mention an event gave the actor)
_ACTOR_IDS = (f"SELECT id FROM actors WHERE contains({_norm_sql('name')}, {_norm_sql('?')}) UNION "
              f"SELECT actor_id FROM actor_aliases WHERE contains({_norm_sql('alias')}, {_norm_sql('?')})")



def _actor_ids(con: Con, needle: str) -> list[str]:
    """The actors whose registry name or any alias contains the needle (folded)."""
    folded = _folded(con, needle)
    return [r[0] for r in con.execute(
        f"SELECT id FROM actors WHERE contains({_norm_sql('name')}, ?) UNION "
        f"SELECT actor_id FROM actor_aliases WHERE contains({_norm_sql('alias')}, ?)", [folded] * 2).fetchall()]


# article-level events with an evidence sentence containing the needle (a scan of every sentence)
_FOUND = f"SELECT event_id FROM evidence WHERE contains({_norm_sql('text')}, {_norm_sql('?')})"
MAX_ACTOR_KEYS = 256  # an actor search naming more actors reads the corpus table instead of the posting table


# --------------------------------------------------------------------------------------------------
# The posting tables (postings.py): a page, a count or a timeline that reads a few row groups


def _hex_cursor(after: str | None) -> bool:
    """No cursor, or one whose id is 16 hex digits: ``mention_keys.num`` orders as it does (another
    id is compared as text, on ``events``)."""
    ident = (after or "").partition(",")[2].strip()
    return not ident or (len(ident) == 16 and all(c in "0123456789abcdef" for c in ident))


def _num(con: Con, ident: str) -> int:
    """The ``num`` of a corpus event id (postings.NUM_SQL)."""
    if len(ident) == 16 and all(c in "0123456789abcdef" for c in ident):
        return int(ident, 16)
    return int(con.execute("SELECT hash(?::VARCHAR)", [ident]).fetchone()[0])


def _has_postings(con: Con) -> bool:
    """The store has the posting tables (a store of an older version opened read-only has not)."""
    try:
        con.execute("SELECT 1 FROM corpus_vocab LIMIT 0")
        return True
    except duckdb.CatalogException:
        return False


def _has_mention_postings(con: Con) -> bool:
    """The store has ``mention_keys`` of this layout (its codes in ``mention_values``) and it holds
    every article-level event (postings.mentions_exact)."""
    try:
        con.execute("SELECT num, lang FROM mention_keys LIMIT 0")
        con.execute("SELECT kind, code FROM mention_values LIMIT 0")
    except (duckdb.CatalogException, duckdb.BinderException):
        return False
    return postings.mentions_exact(con)


def _folded(con: Con, needle: str) -> str:
    """The needle as the search compares it (postings.fold)."""
    return _split_needle(con, needle)[0]


def _token_rule(word: str, token: str, left: bool, right: bool) -> bool:
    """Can ``token``, bounded by separators on the left and/or right in the needle, occur in ``word``?"""
    if left and right:
        return word == token
    if left:
        return word.startswith(token)
    if right:
        return word.endswith(token)
    return token in word


_RULE_SQL = {(True, True): "word = ?", (True, False): "starts_with(word, ?)", (False, True): "suffix(word, ?)",
             (False, False): "contains(word, ?)"}


@dataclass
class _Text:
    """How the word index answers a text search: ``words``, the indexed words the needle's most
    selective token can be part of (None when no token can use the index); ``exact`` when their
    events are exactly the matches (one token, no separator), else candidates to verify, narrowed
    by ``others``, the words of the needle's other indexed tokens (an event must have one of each)."""

    needle: str
    words: list[str] | None
    exact: bool
    others: list[list[str]] = field(default_factory=list)


_SPLIT: dict[str, tuple[str, list[str]]] = {}  # needle → (folded, its parts): the same in every store


def _split_needle(con: Con, needle: str) -> tuple[str, list[str]]:
    """The folded needle and its parts split at separators (postings.SEPARATORS), as DuckDB makes them."""
    if needle not in _SPLIT:
        if len(_SPLIT) > 1000:
            _SPLIT.clear()
        _SPLIT[needle] = con.execute(
            f"SELECT n, regexp_split_to_array(n, '{postings.SEPARATORS}') FROM (SELECT {fold('?')} AS n)",
            [needle]).fetchone()
    return _SPLIT[needle]


def _text_plan(con: Con, needle: str) -> _Text:
    if not _has_postings(con):
        return _Text(needle, None, False)
    norm, parts = _split_needle(con, needle)
    tokens = [t for t in parts if t]
    if not tokens:
        return _Text(needle, None, False)
    lead, trail = parts[0] == "", parts[-1] == ""  # the needle starts / ends with a separator
    usable: list[tuple[int, list[str]]] = []
    for i, tok in enumerate(tokens):
        left, right = i > 0 or lead, i < len(tokens) - 1 or trail
        if len(tok) < 2 or (tok.isascii() and tok.isdigit()) or any(
                _token_rule(w, tok, left, right) for w in postings.STOPWORDS):
            continue  # the token may be (part of) a word the index leaves out
        found = con.execute(f"SELECT word, events FROM corpus_vocab WHERE {_RULE_SQL[left, right]}", [tok]).fetchall()
        usable.append((sum(n for _, n in found), sorted(w for w, _ in found)))
    if not usable:
        return _Text(needle, None, False)
    usable.sort()
    exact = len(tokens) == 1 and not lead and not trail and norm == tokens[0]
    return _Text(needle, usable[0][1], exact, [words for _, words in usable[1:4]])


INDEX_LOOKUPS = 2000  # values per index lookup (DuckDB scans the table for more than 2048)
MAX_VERIFY = 20_000  # candidates of a text search checked through the indexes; more: in one statement
FIRST_CHECK = 4  # a text search's page checks this many times its rows of candidates, in page order, first
MIN_CHECK = 200  # (at least this many); when fewer of them match, the page is read from every match


def _candidates(sets: list[list[str]]) -> str:
    """SQL: the ``num`` of the corpus events with a word of each list of ``sets`` (its parameters:
    the lists)."""
    return " INTERSECT ".join(["SELECT num FROM corpus_words WHERE word IN (SELECT unnest(?::VARCHAR[]))"] * len(sets))


def _check_sql(folded: str) -> tuple[str, list[Any]]:
    """SQL condition that the evidence sentence ``v.text`` contains the folded needle.  An ASCII
    needle found in the text as it is is found in its folded text (folding maps ASCII letters and
    digits to themselves): only the other sentences are folded."""
    if folded.isascii():
        return f"(contains(v.text, ?) OR contains({_norm_sql('v.text')}, ?))", [folded, folded]
    return f"contains({_norm_sql('v.text')}, ?)", [folded]


def _text_nums(con: Con, needle: str, t: _Text | None = None) -> tuple[str, list[Any]]:
    """SQL (and its parameters) of the ``num`` of every corpus event one of whose evidence sentences,
    in any of its articles, contains the needle (folded): from the word index, the candidates (the
    events with a word of each indexed token) verified against their sentences (through the indexes
    when they are few, else in one statement) when the index gives only candidates; a scan of every
    sentence when it cannot answer."""
    t = t or _text_plan(con, needle)
    if t.words is None:
        return _scan_text_nums(needle)
    postings_sql = "SELECT num FROM corpus_words WHERE word IN (SELECT unnest(?::VARCHAR[]))"
    if t.exact:
        return postings_sql, [t.words]
    sets = [t.words, *t.others]
    folded = _folded(con, needle)
    candidates = [r[0] for r in con.execute(_candidates(sets) + f" LIMIT {MAX_VERIFY + 1}", sets).fetchall()]
    if len(candidates) <= MAX_VERIFY:  # a few: through the indexes
        return "SELECT unnest(?::UBIGINT[])", [sorted(_verify(con, candidates, folded))]
    return _scan_text_nums(needle, folded)  # many: every sentence checked in one statement, cheaper than a join


def _verify(con: Con, nums: list[int], folded: str) -> set[int]:
    """The corpus events among ``nums`` one of whose sentences contains the folded needle, through
    the indexes on ``corpus_events.num`` and ``evidence.event_id``."""
    members: list[tuple[int, str]] = []
    for at in range(0, len(nums), INDEX_LOOKUPS):  # the numbers written out: the index answers
        chunk = ", ".join(str(int(n)) for n in nums[at:at + INDEX_LOOKUPS])
        members += con.execute(f"SELECT num, unnest(members) FROM corpus_events WHERE num IN ({chunk})").fetchall()
    ids = [eid for _, eid in members]
    check, values = _check_sql(folded)
    found: set[str] = set()
    for at in range(0, len(ids), INDEX_LOOKUPS):  # the check in the projection: the filter is the index's alone
        found |= {r[0] for r in con.execute(
            f"SELECT event_id, {check} FROM evidence v WHERE list_contains(?, v.event_id)",
            [*values, ids[at:at + INDEX_LOOKUPS]]).fetchall() if r[1]}
    return {n for n, eid in members if eid in found}


def _scan_text_nums(needle: str, folded: str | None = None) -> tuple[str, list[Any]]:
    """Every sentence checked (``folded``: the folded needle, which lets an ASCII one skip folding
    the sentences that contain it as they are)."""
    if folded is None:
        return f"SELECT {postings.num('cluster_id')} FROM events WHERE id IN ({_FOUND})", [needle]
    check, values = _check_sql(folded)
    return (f"SELECT {postings.num('x.cluster_id')} FROM evidence v JOIN events x ON x.id = v.event_id "
            f"WHERE {check}", values)


@dataclass
class _Plan:
    """A query over a posting table: rows whose ``col`` is one of ``keys`` and that meet ``conds``."""

    table: str  # corpus_keys or corpus_words
    col: str  # key (hashed: postings.py) or word
    keys: list[Any]
    conds: list[str]
    params: list[Any]
    # a text search of candidates to verify: the conditions and parameters of the candidates (instead
    # of conds and params, which hold the verified events) and the folded needle, so that a page
    # checks the first candidates in its order before it reads every match
    lazy: tuple[list[str], list[Any], str] | None = None
    pending: Any = None  # a function giving the condition (and parameters) of the verified events, called once

    def _resolve(self) -> None:
        if self.pending is not None:
            sql, values = self.pending()
            self.conds.append(f"e.num IN ({sql})")
            self.params.extend(values)
            self.pending = None

    @property
    def distinct(self) -> bool:
        """An event can have several of the keys (an actor search naming its source and its target)."""
        return len(self.keys) > 1

    def where(self, candidates: bool = False) -> tuple[str, list[Any]]:
        """The condition and its parameters (``candidates``: those of the unverified candidates of ``lazy``)."""
        if not (candidates and self.lazy):
            self._resolve()
        conds, params = (self.lazy[0], self.lazy[1]) if candidates and self.lazy else (self.conds, self.params)
        if not self.keys:
            return "FALSE", []
        if self.col == "key":  # integers, written out: the scan skips row groups by them
            key = f"e.key IN ({', '.join(str(int(k)) for k in self.keys)})"
            return " AND ".join([key, *conds]), params
        key = f"e.{self.col} = ?" if len(self.keys) == 1 else f"e.{self.col} IN (SELECT unnest(?::VARCHAR[]))"
        return " AND ".join([key, *conds]), [self.keys[0] if len(self.keys) == 1 else self.keys, *params]


def _plan(con: Con, f: EventFilter) -> _Plan | None:
    """The posting-table query for this filter, or None when only ``corpus_events`` (or ``events``)
    can answer it (an actor search naming hundreds of actors, a store without them; ``--mentions``
    with a text search or an article).  ``--mentions`` reads ``mention_keys``, the others
    ``corpus_keys`` or ``corpus_words``.

    The most selective filter picks the block: the actors (``a:ID``), else the dyad (``d:LO-HI``),
    else the country (``c:XXX``), else a text search (``corpus_words``) when only dates go with it,
    else every event (``*``); the other filters are columns of ``corpus_keys``."""
    if not _has_postings(con) or (f.mentions and (f.text or f.article or not _has_mention_postings(con))):
        return None
    conds: list[str] = []
    params: list[Any] = []
    keys: list[str] | None = None
    # mention_keys holds its texts as codes (postings.codes; they start at 1): a text without one is in no row
    known = postings.codes(con, {"country": [c for c in (*(f.dyad or ()), f.country) if c], "type": list(f.types),
                                 "quad": list(f.quads), "lang": [f.lang] if f.lang else []}) if f.mentions else None

    def code(kind: str, text: str) -> Any:
        return text if known is None else known.get((kind, text), 0)

    if f.actor:
        ids = _actor_ids(con, f.actor)
        if len(ids) > MAX_ACTOR_KEYS:
            return None
        keys = sorted(f"a:{i}" for i in ids)
    if f.dyad:
        c1, c2 = f.dyad
        lo, hi = sorted((c1, c2))
        if keys is None:
            keys = [f"d:{lo}-{hi}"]
        elif f.mentions:  # the events of the dyad's block (codes do not sort as the countries)
            conds.append("e.num IN (SELECT num FROM mention_keys WHERE key = hash(?))")
            params.append(f"d:{lo}-{hi}")
        else:
            conds.append("least(e.source_country, e.target_country) = ? AND "
                         "greatest(e.source_country, e.target_country) = ?")
            params += [lo, hi]
        if f.directed:
            conds.append("e.source_country = ? AND e.target_country = ?")
            params += [code("country", c1), code("country", c2)]
    if f.country:
        if keys is None:
            keys = [f"c:{f.country}"]
        else:
            conds.append("(e.source_country = ? OR e.target_country = ?)")
            params += [code("country", f.country)] * 2
    dates: list[str] = []
    if f.since:
        dates.append("e.day >= ?")
        params.append(f.since)
    if f.until:
        dates.append("e.day <= ?")
        params.append(f.until)
    conds += dates
    others = bool(f.types or f.quads or f.min_confidence is not None or f.lang or f.article)
    if f.types:
        conds.append("list_contains(?, e.type)")
        params.append([code("type", t) for t in f.types])
    if f.quads:
        conds.append("list_contains(?, e.quad)")
        params.append([code("quad", q) for q in f.quads])
    if f.min_confidence is not None:
        conds.append("e.confidence >= ?")
        params.append(f.min_confidence)
    if f.lang and f.mentions:  # the article's language
        conds.append("e.lang = ?")
        params.append(code("lang", f.lang))
    elif f.lang:
        conds.append("contains(e.langs, ?)" if "," not in f.lang else "FALSE")
        params += [f",{f.lang},"] if "," not in f.lang else []
    if f.article:
        conds.append(f"e.num IN (SELECT {postings.num('cluster_id')} FROM events WHERE article_id = ?)")
        params.append(f.article)
    if f.text:
        t = _text_plan(con, f.text)
        if keys is None and not others and t.words is not None:  # the word index alone
            if t.exact:
                return _Plan("corpus_words", "word", t.words, dates, params[:len(dates)])
            # the page's candidates: the rows of the rarest token's words (the check decides)
            lazy = (list(dates), params[:len(dates)], _folded(con, f.text))
            text = f.text
            return _Plan("corpus_words", "word", t.words, list(dates), params[:len(dates)], lazy,
                         lambda: _text_nums(con, text, t))
        sql, values = _text_nums(con, f.text, t)
        conds.append(f"e.num IN ({sql})")
        params += values
    keys = keys if keys is not None else ["*"]
    hashes = con.execute("SELECT list(hash(k) ORDER BY k) FROM unnest(?::VARCHAR[]) t(k)", [keys]).fetchone()[0]
    return _Plan("mention_keys" if f.mentions else "corpus_keys", "key", hashes or [], conds, params)


def _after(con: Con, after: str | None, day: str, key: str, descending: bool,
           as_num: bool = False) -> tuple[str, list[Any]]:
    """The condition "after this cursor" (``DAY,ID`` of the last row of the previous page; ``,ID``
    when its day is unknown) in the order ``day DESC|ASC NULLS LAST, id``."""
    if not after:
        return "TRUE", []
    d, sep, i = after.partition(",")
    if not sep or not i.strip():
        raise QueryError(f"after: {after!r} should be the day and id of the last event of the previous page, "
                         "DAY,ID (e.g. 2020-08-28,3f2a9c1e0b7d4a65), or ,ID when its day is unknown")
    ident: Any = _num(con, i.strip()) if as_num else i.strip()
    when = parse_date(d.strip(), "after") if d.strip() else None
    if when is None:
        return f"({day} IS NULL AND {key} > ?)", [ident]
    cmp = "<" if descending else ">"
    return f"(({day} {cmp} ? OR ({day} = ? AND {key} > ?)) OR {day} IS NULL)", [when, when, ident]


# --------------------------------------------------------------------------------------------------
# Helpers


def _jsonable(v: Any) -> Any:
    if isinstance(v, datetime | date):
        return v.isoformat()
    return v


def _rows(cur: Con) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [{k: _jsonable(v) for k, v in zip(names, row, strict=True)} for row in cur.fetchall()]


_FROM_EVENTS = "FROM events e JOIN articles a ON a.id = e.article_id"
_FROM_CORPUS = "FROM corpus_events e"


# --------------------------------------------------------------------------------------------------
# Queries


def events(con: Con, f: EventFilter | None = None, *, limit: int | None = 50, offset: int = 0,
           sort: str = "date", descending: bool = True, after: str | None = None) -> list[dict[str, Any]]:
    """Events matching ``f`` with their first evidence sentence and article details: corpus events
    (one per cluster, with ``num_mentions``, ``num_sources``, ``num_articles``), or with
    ``f.mentions`` one row per article that reports an event.

    ``after`` (``DAY,ID``, sort by date only) starts the page after that event (keyset pagination:
    :func:`next_after` of the previous page), without reading the events before it as ``offset`` does."""
    f = f or EventFilter()
    plan = _plan(con, f) if sort == "date" else None
    return _events(con, f, plan, limit=limit, offset=offset, sort=sort, descending=descending, after=after)


def page(con: Con, f: EventFilter | None = None, *, limit: int = 50, offset: int = 0, sort: str = "date",
         descending: bool = True, after: str | None = None) -> dict[str, Any]:
    """A page of :func:`events` with the total (:func:`count_events`) and the ``after`` cursor of
    the next page (None on the last one), as ``/api/events`` answers: the filter's actors and words
    are looked up once for both."""
    f = f or EventFilter()
    plan = _plan(con, f)
    rows = _events(con, f, plan if sort == "date" else None, limit=limit + 1, offset=offset, sort=sort,
                   descending=descending, after=after)  # one more: is there a next page?
    more, rows = len(rows) > limit, rows[:limit]
    return {"total": _count(con, f, plan), "limit": limit, "offset": offset, "after": after,
            "next": next_after(rows, limit) if more and sort == "date" else None, "events": rows}


def _events(con: Con, f: EventFilter, plan: _Plan | None, *, limit: int | None, offset: int, sort: str,
            descending: bool, after: str | None) -> list[dict[str, Any]]:
    limit, offset = _page(limit, offset)
    order = EVENT_SORTS[_choice(sort, EVENT_SORTS, "sort")]
    direction = "DESC" if descending else "ASC"
    if after and sort != "date":
        raise QueryError("after: works with sort=date only; use offset with other sorts")
    if plan is not None and plan.table == "mention_keys" and not _hex_cursor(after):
        plan = None  # a cursor of another form of id: compared as text, on events
    if plan is not None and plan.table == "mention_keys":
        # the page's event numbers (their ids: postings.event_id), then its rows by the primary key
        where, params = plan.where()
        cursor, values = _after(con, after, "e.day", "e.num", descending, as_num=True)
        nums = [r[1] for r in con.execute(f"""
            SELECT {"DISTINCT" if plan.distinct else ""} e.day, e.num FROM mention_keys e
            WHERE {where} AND {cursor}
            ORDER BY e.day {direction} NULLS LAST, e.num LIMIT ? OFFSET ?""", [*params, *values, limit, offset]).fetchall()]
        if not nums:
            return []
        return _mention_rows(con, "TRUE", [], "day", direction, None, 0, [postings.event_id(n) for n in nums])
    if plan is not None:  # the page's keys from a posting table, then its 50 rows by their index
        cursor, values = _after(con, after, "e.day", "e.num", descending, as_num=True)
        page_sql = f"""
            SELECT {"DISTINCT" if plan.distinct else ""} e.day, e.num FROM {plan.table} e
            WHERE {{where}} AND {cursor}
            ORDER BY e.day {direction} NULLS LAST, e.num LIMIT ? OFFSET ?"""
        nums = None
        need = offset + limit
        if plan.lazy and need <= 10 * MIN_CHECK:  # the first candidates in page order, checked
            where, params = plan.where(candidates=True)
            check = max(FIRST_CHECK * need, MIN_CHECK)
            first = [r[1] for r in con.execute(page_sql.format(where=where), [*params, *values, check, 0]).fetchall()]
            found = _verify(con, first, plan.lazy[2])
            hits = [n for n in first if n in found]
            if len(hits) >= need or len(first) < check:
                nums = hits[offset:need]
        if nums is None:
            where, params = plan.where()
            nums = [r[1] for r in con.execute(page_sql.format(where=where), [*params, *values, limit, offset]).fetchall()]
        if not nums:
            return []
        return _rows(con.execute(f"""
            SELECT * {EXCLUDE} {_FROM_CORPUS} WHERE e.num IN ({", ".join(str(int(n)) for n in nums)})
            ORDER BY e.day {direction} NULLS LAST, e.id"""))
    where, params = f.where(con)
    cursor, values = _after(con, after, f.day, "e.id", descending)
    if f.mentions:
        return _mention_rows(con, f"{where} AND {cursor}", [*params, *values], order, direction, limit, offset)
    # the corpus table holds the article fields and first evidence: a page reads it alone
    return _rows(con.execute(f"""
        SELECT * {corpus_exclude(con)} {_FROM_CORPUS}
        WHERE {where} AND {cursor}
        ORDER BY {order} {direction} NULLS LAST, e.id
        LIMIT ? OFFSET ?""", [*params, *values, limit, offset]))


def _mention_rows(con: Con, where: str, params: list[Any], order: str, direction: str, limit: int | None,
                  offset: int, ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Article-level events: the page first, then the first evidence sentence of its events.
    ``ids``: the page's events, read through the primary keys of ``events`` and ``articles``."""
    if ids is not None:  # two lookups by primary key (DuckDB joins them by scanning), merged here
        cur = con.execute("SELECT * FROM events WHERE list_contains(?, id)", [ids])
        names = [d[0] for d in cur.description]
        found = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        arts = {r[0]: r[1:] for r in con.execute(
            "SELECT id, TRY_CAST(left(published, 10) AS DATE), published, lang, source, url, title FROM articles "
            "WHERE list_contains(?, id)", [sorted({r["article_id"] for r in found})]).fetchall()}
        rows = []
        for r in found:
            pday, *art = arts[r["article_id"]]
            day = r["date"] if r["date"] is not None else pday
            r.update(zip(("day", "published", "lang", "article_source", "url", "article_title"), [day, *art],
                         strict=True))
            rows.append(r)
        dated = sorted((r for r in rows if r["day"] is not None), key=lambda r: r["id"])
        dated.sort(key=lambda r: r["day"], reverse=direction == "DESC")
        rows = [{k: _jsonable(v) for k, v in r.items()}
                for r in dated + sorted((r for r in rows if r["day"] is None), key=lambda r: r["id"])]
    else:
        page = "" if limit is None else f"LIMIT {int(limit)} OFFSET {int(offset)}"
        rows = _rows(con.execute(f"""
            SELECT e.*, {DAY_SQL} AS day, a.published, a.lang, a.source AS article_source, a.url,
                   a.title AS article_title
            {_FROM_EVENTS}
            WHERE {where}
            ORDER BY {order} {direction} NULLS LAST, e.id {page}""", params))
    first = {r[0]: r[1:] for r in con.execute(
        'SELECT event_id, text, start, "end" FROM evidence WHERE n = 0 AND event_id IN (SELECT unnest(?))',
        [[r["id"] for r in rows]]).fetchall()}
    for r in rows:
        r["evidence"], r["evidence_start"], r["evidence_end"] = first.get(r["id"], (None, None, None))
    return rows


def next_after(rows: list[dict[str, Any]], limit: int | None) -> str | None:
    """The ``after`` cursor of the page that follows these rows (None when this page was the last)."""
    if not rows or limit is None or len(rows) < limit:
        return None
    last = rows[-1]
    return f"{last.get('day') or ''},{last['id']}"


def count_events(con: Con, f: EventFilter | None = None) -> int:
    """How many events (corpus events, or with ``f.mentions`` article-level ones) match ``f``."""
    f = f or EventFilter()
    return _count(con, f, _plan(con, f))


def _count(con: Con, f: EventFilter, plan: _Plan | None) -> int:
    if plan is not None:
        where, params = plan.where()
        what = "DISTINCT e.num" if plan.distinct else "*"
        return con.execute(f"SELECT count({what}) FROM {plan.table} e WHERE {where}", params).fetchone()[0]
    where, params = f.where(con)
    return con.execute(f"SELECT count(*) {f.relation} WHERE {where}", params).fetchone()[0]


def event_detail(con: Con, event_id: str, *, mentions: bool = False) -> dict[str, Any] | None:
    """One event with its evidence (offsets into the text), its article (text included), and every
    mention of its corpus event: each reporting article with its evidence sentences.

    ``event_id`` is a corpus event id (a cluster id) or, with ``mentions`` or when it is no
    cluster id, an article-level event id."""
    rows = [] if mentions else _corpus_event(con, event_id)
    members = rows[0].pop("members") if rows else None
    if not rows:
        rows = _rows(con.execute(f"SELECT e.*, {DAY_SQL} AS day {_FROM_EVENTS} WHERE e.id = ?", [event_id]))
    if not rows:
        return None
    ev = rows[0]
    evidence = _rows(con.execute(
        'SELECT text, start, "end" FROM evidence WHERE event_id = ? ORDER BY n', [event_id]))
    article = _rows(con.execute(
        "SELECT id, lang, published, source, url, title, origin, text FROM articles WHERE id = ?",
        [ev["article_id"]]))[0]
    return {"event": ev, "evidence": evidence, "article": article,
            "mentions": cluster_mentions(con, ev.get("cluster_id") or event_id, members)}


def _corpus_event(con: Con, cluster_id: str) -> list[dict[str, Any]]:
    """The corpus row of a cluster id (with its ``members``), through the index on ``num``."""
    if not _has_postings(con):  # a store of an older version, read-only: no num, no members
        return [dict(r, members=None) for r in _rows(con.execute(
            f"SELECT * {corpus_exclude(con)} {_FROM_CORPUS} WHERE e.id = ?", [cluster_id]))]
    rows = _rows(con.execute(f"SELECT * EXCLUDE (dyad_lo, dyad_hi, num) {_FROM_CORPUS} "
                             f"WHERE e.num = {_num(con, cluster_id)}"))  # num alone: the index answers
    return [r for r in rows if r["id"] == cluster_id]


def corpus_exclude(con: Con) -> str:
    """The EXCLUDE clause of the store's own columns of ``corpus_events`` (fewer in an older store)."""
    if _has_postings(con):
        return EXCLUDE
    have = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                      "WHERE table_name = 'corpus_events'").fetchall()}
    return f"EXCLUDE ({', '.join(c for c in HIDDEN if c in have)})"


def cluster_mentions(con: Con, cluster_id: str, members: list[str] | None = None) -> list[dict[str, Any]]:
    """The article-level events of a corpus event: article, outlet, language, evidence sentences.
    ``members``: their ids (the corpus row's ``members``), looked up when not given."""
    if members is None and _has_postings(con):
        found = [m for i, m in con.execute(f"SELECT id, members {_FROM_CORPUS} WHERE e.num = {_num(con, cluster_id)}"
                                           ).fetchall() if i == cluster_id]
        members = found[0] if found else None
    cols = "x.id, x.article_id, x.type, x.mode, x.date, x.confidence, x.source_name, x.target_name"
    if members is None:  # an article-level event id without a corpus row (a store kept with dedup=False)
        rows = _rows(con.execute(f"SELECT {cols} FROM events x WHERE x.cluster_id = ?", [cluster_id]))
    else:  # by the indexes on events.id and evidence.event_id
        rows = _rows(con.execute(f"SELECT {cols} FROM events x WHERE list_contains(?, x.id)", [members]))
    articles = {r["id"]: r for r in _rows(con.execute(
        "SELECT id, published, lang, source AS article_source, url, title AS article_title, duplicate_of "
        "FROM articles WHERE list_contains(?, id)", [sorted({r["article_id"] for r in rows})]))}
    spans: dict[str, list[dict[str, Any]]] = {r["id"]: [] for r in rows}
    for r in _rows(con.execute('SELECT event_id, text, start, "end" FROM evidence '
                               "WHERE list_contains(?, event_id) ORDER BY event_id, n", [list(spans)])):
        spans[r.pop("event_id")].append(r)
    for r in rows:
        art = articles.get(r["article_id"], {})
        r.update({k: v for k, v in art.items() if k != "id"})
        r["evidence"] = spans[r["id"]]
    rows.sort(key=lambda r: (r["published"] is None, r["published"] or "", r["id"]))
    return rows


def article_detail(con: Con, article_id: str) -> dict[str, Any] | None:
    """An article as a record: text, title, events (with ids and evidence) and quotes."""
    art = load_article(con, article_id)
    if art is None:
        return None
    d = art.to_dict(with_text=True)
    d.update(title=art.title, origin=art.origin)
    return d


def actors(con: Con, *, name: str | None = None, country: str | None = None, kind: str | None = None,
           sector: str | None = None, limit: int | None = 50, offset: int = 0, sort: str = "mentions",
           descending: bool = True, include_unused: bool = False, mentions: bool = False) -> list[dict[str, Any]]:
    """The actor registry with counts: corpus events (``mentions``: article-level events) as source,
    as target, quotes; and aliases."""
    limit, offset = _page(limit, offset)
    order = ACTOR_SORTS[_choice(sort, ACTOR_SORTS, "sort")]
    conds, params = _actor_conditions(name, country, kind, sector, include_unused)
    table = "events" if mentions else "corpus_events"
    sql = f"""
        WITH src AS (SELECT source_id AS id, count(*) AS n FROM {table} GROUP BY 1),
             tgt AS (SELECT target_id AS id, count(*) AS n FROM {table} GROUP BY 1),
             quo AS (SELECT speaker_id AS id, count(*) AS n FROM quotes GROUP BY 1),
             ali AS (SELECT actor_id AS id, list(DISTINCT alias ORDER BY alias) AS aliases
                       FROM actor_aliases GROUP BY 1)
        SELECT ac.*, COALESCE(src.n, 0) AS n_source, COALESCE(tgt.n, 0) AS n_target,
               COALESCE(src.n, 0) + COALESCE(tgt.n, 0) AS n_events, COALESCE(quo.n, 0) AS n_quotes,
               COALESCE(ali.aliases, []) AS aliases
        FROM actors ac LEFT JOIN src USING (id) LEFT JOIN tgt USING (id) LEFT JOIN quo USING (id)
             LEFT JOIN ali USING (id)
        WHERE {conds}
        ORDER BY {order} {"DESC" if descending else "ASC"} NULLS LAST, ac.name, ac.id
        LIMIT ? OFFSET ?"""
    return _rows(con.execute(sql, [*params, limit, offset]))


def count_actors(con: Con, *, name: str | None = None, country: str | None = None, kind: str | None = None,
                 sector: str | None = None, include_unused: bool = False) -> int:
    conds, params = _actor_conditions(name, country, kind, sector, include_unused)
    return con.execute(f"SELECT count(*) FROM actors ac WHERE {conds}", params).fetchone()[0]


def _actor_conditions(name: str | None, country: str | None, kind: str | None, sector: str | None,
                      include_unused: bool) -> tuple[str, list[Any]]:
    conds: list[str] = [] if include_unused else ["ac.n_mentions > 0"]
    params: list[Any] = []
    if name and name.strip():
        cond, values = _name_or_alias([("ac.name", "ac.id")], name.strip())
        conds.append(cond)
        params += values
    if country:
        conds.append("ac.country = ?")
        params.append(parse_country(country))
    if kind:
        conds.append("ac.kind = ?")
        params.append(_choice(kind, ("person", "state", "org", "group"), "kind"))
    if sector:
        conds.append("ac.sector = ?")
        params.append(sector.strip().upper())
    return (" AND ".join(conds) or "TRUE"), params


def dyads(con: Con, f: EventFilter | None = None, *, by: str = "month", level: str = "country",
          directed: bool = False, limit: int | None = 1000, offset: int = 0) -> list[dict[str, Any]]:
    """Event counts and mean intensity per dyad per period, split cooperation / conflict.

    ``by``: day, week, month, year or all (one row per dyad).  ``level``: country (ISO-3 pairs) or
    actor (actor pairs).  Undirected dyads put the smaller code first.  Events whose source or
    target is unknown, and negated events, are left out.  Counts are corpus events (``f.mentions``:
    article-level events); by month or year at country level they come from the monthly table
    ``dyad_months`` when the filter allows it (same figures, without reading the events).
    """
    f = f or EventFilter()
    limit, offset = _page(limit, offset)
    bucket = PERIODS[_choice(by, PERIODS, "by")]
    _choice(level, LEVELS, "level")
    s, t = ("e.source_country", "e.target_country") if level == "country" else ("e.source_name", "e.target_name")
    a1, a2 = (s, t) if directed else (f"least({s}, {t})", f"greatest({s}, {t})")
    months = f.months_where() if level == "country" and bucket in ("month", "year") and not directed else None
    if months is not None:  # the monthly table: no NULL pair, day or negation in it, counts per quad class
        where, params = months
        counts = ["events", "coop", "conflict", "verbal_coop", "material_coop", "verbal_conflict", "material_conflict"]
        group = bucket != "month"
        period = f"date_trunc('{bucket}', e.month)::DATE" if group else "e.month"
        cols = ", ".join(f"sum(e.{c}) AS {c}" if group else f"e.{c}" for c in counts)
        mean = ("round(sum(e.intensity_sum) / nullif(sum(e.intensity_n), 0), 2)" if group
                else "round(e.intensity_sum / nullif(e.intensity_n, 0), 2)")
        sql = f"""
            SELECT {period} AS period, e.dyad_lo AS actor1, e.dyad_hi AS actor2, e.dyad_lo || '-' || e.dyad_hi AS dyad,
                   {cols}, {mean} AS mean_intensity
            FROM dyad_months e WHERE {where} {"GROUP BY ALL" if group else ""}
            ORDER BY period NULLS FIRST, events DESC, dyad
            LIMIT ? OFFSET ?"""
    else:
        plan = _plan(con, f) if level == "country" else None
        if plan is not None and not plan.distinct and plan.table == "corpus_keys":  # one block of corpus_keys
            where, params = plan.where()
            relation = "FROM corpus_keys e"
        else:
            where, params = f.where(con)
            relation = f.relation
        period = f"date_trunc('{bucket}', {f.day})::DATE" if bucket else "NULL::DATE"
        known = f"{s} IS NOT NULL AND {t} IS NOT NULL AND NOT e.negated" + (
            f" AND {f.day} IS NOT NULL" if bucket else "")
        sql = f"""
            SELECT {period} AS period, {a1} AS actor1, {a2} AS actor2,
                   {a1} || '-' || {a2} AS dyad,
                   count(*) AS events,
                   count(*) FILTER (WHERE e.quad IN ('verbal-coop', 'material-coop')) AS coop,
                   count(*) FILTER (WHERE e.quad IN ('verbal-conflict', 'material-conflict')) AS conflict,
                   count(*) FILTER (WHERE e.quad = 'verbal-coop') AS verbal_coop,
                   count(*) FILTER (WHERE e.quad = 'material-coop') AS material_coop,
                   count(*) FILTER (WHERE e.quad = 'verbal-conflict') AS verbal_conflict,
                   count(*) FILTER (WHERE e.quad = 'material-conflict') AS material_conflict,
                   round(avg(e.intensity), 2) AS mean_intensity
            {relation}
            WHERE {where} AND {known}
            GROUP BY ALL
            ORDER BY period NULLS FIRST, events DESC, dyad
            LIMIT ? OFFSET ?"""
    rows = _rows(con.execute(sql, [*params, limit, offset]))
    if months is not None:  # sums of BIGINT are HUGEINT: back to plain ints, zeros instead of NULLs
        for r in rows:
            for k in ("events", "coop", "conflict", "verbal_coop", "material_coop", "verbal_conflict",
                      "material_conflict"):
                r[k] = int(r[k] or 0)
    return rows


def quotes(con: Con, *, speaker: str | None = None, country: str | None = None, text: str | None = None,
           since: str | date | None = None, until: str | date | None = None, lang: str | None = None,
           article: str | None = None, limit: int | None = 50, offset: int = 0,
           sort: str = "date", descending: bool = True) -> list[dict[str, Any]]:
    """Quotes with their speaker and article, filtered by speaker (name or alias), country, text, dates."""
    limit, offset = _page(limit, offset)
    order = QUOTE_SORTS[_choice(sort, QUOTE_SORTS, "sort")]
    where, params = _quote_conditions(speaker, country, text, since, until, lang, article)
    sql = f"""
        SELECT qt.*, a.published, a.lang, a.source AS article_source, a.url, a.title AS article_title
        FROM quotes qt JOIN articles a ON a.id = qt.article_id
        WHERE {where}
        ORDER BY {order} {"DESC" if descending else "ASC"} NULLS LAST, qt.id
        LIMIT ? OFFSET ?"""
    return _rows(con.execute(sql, [*params, limit, offset]))


def count_quotes(con: Con, **kw: Any) -> int:
    where, params = _quote_conditions(kw.get("speaker"), kw.get("country"), kw.get("text"), kw.get("since"),
                                      kw.get("until"), kw.get("lang"), kw.get("article"))
    return con.execute(f"SELECT count(*) FROM quotes qt JOIN articles a ON a.id = qt.article_id WHERE {where}",
                       params).fetchone()[0]


def _quote_conditions(speaker: str | None, country: str | None, text: str | None, since: str | date | None,
                      until: str | date | None, lang: str | None, article: str | None) -> tuple[str, list[Any]]:
    conds: list[str] = []
    params: list[Any] = []
    if speaker and speaker.strip():
        cond, values = _name_or_alias([("qt.speaker_name", "qt.speaker_id")], speaker.strip())
        conds.append(cond)
        params += values
    if country:
        conds.append("qt.speaker_country = ?")
        params.append(parse_country(country))
    if text and text.strip():
        conds.append(f"contains({_norm_sql('qt.text')}, {_norm_sql('?')})")
        params.append(text.strip())
    day = "TRY_CAST(left(a.published, 10) AS DATE)"
    if since:
        conds.append(f"{day} >= ?")
        params.append(parse_date(since, "since"))
    if until:
        conds.append(f"{day} <= ?")
        params.append(parse_date(until, "until"))
    if lang:
        conds.append("a.lang = ?")
        params.append(lang)
    if article:
        conds.append("qt.article_id = ?")
        params.append(article)
    return (" AND ".join(conds) or "TRUE"), params


def places(con: Con, f: EventFilter | None = None, *, limit: int | None = 2000) -> list[dict[str, Any]]:
    """Event places with coordinates, counted and split cooperation / conflict (for maps)."""
    f = f or EventFilter()
    limit, _ = _page(limit, 0)
    where, params = f.where(con)
    sql = f"""
        SELECT e.place_name AS name, e.place_country AS country, round(e.place_lat, 4) AS lat,
               round(e.place_lon, 4) AS lon, count(*) AS events,
               count(*) FILTER (WHERE e.quad IN ('verbal-coop', 'material-coop')) AS coop,
               count(*) FILTER (WHERE e.quad IN ('verbal-conflict', 'material-conflict')) AS conflict,
               round(avg(e.intensity), 2) AS mean_intensity
        {f.relation}
        WHERE {where} AND e.place_lat IS NOT NULL AND e.place_lon IS NOT NULL
        GROUP BY ALL ORDER BY events DESC, name LIMIT ?"""
    return _rows(con.execute(sql, [*params, limit]))


def network(con: Con, f: EventFilter | None = None, *, limit: int | None = 200) -> dict[str, list[dict[str, Any]]]:
    """The actor network: nodes (actors) and edges (source→target with counts and mean intensity)."""
    f = f or EventFilter()
    limit, _ = _page(limit, 0)
    where, params = f.where(con)
    edges = _rows(con.execute(f"""
        SELECT e.source_id AS source, e.target_id AS target, count(*) AS events,
               count(*) FILTER (WHERE e.quad IN ('verbal-coop', 'material-coop')) AS coop,
               count(*) FILTER (WHERE e.quad IN ('verbal-conflict', 'material-conflict')) AS conflict,
               round(avg(e.intensity), 2) AS mean_intensity
        {f.relation}
        WHERE {where} AND e.source_id IS NOT NULL AND e.target_id IS NOT NULL
        GROUP BY ALL ORDER BY events DESC, source, target LIMIT ?""", [*params, limit]))
    ids = sorted({e["source"] for e in edges} | {e["target"] for e in edges})
    nodes = _rows(con.execute(
        "SELECT id, name, country, kind, sector, n_mentions FROM actors WHERE list_contains(?, id) ORDER BY id",
        [ids])) if ids else []
    return {"nodes": nodes, "edges": edges}


def stats(con: Con) -> dict[str, Any]:
    """Counts, date span, and breakdowns by type, quad class, language and country, of corpus events
    (``counts.events``; ``counts.mentions`` is the number of article-level events)."""
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # fixed table names
              for t in ("articles", "corpus_events", "events", "quotes", "actors", "problems")}
    counts["mentions"] = counts.pop("events")
    counts["events"] = counts.pop("corpus_events")
    first, last = con.execute(f"SELECT min(e.day), max(e.day) {_FROM_CORPUS}").fetchone()
    return {
        "counts": counts,
        "first_day": _jsonable(first),
        "last_day": _jsonable(last),
        "types": dict(con.execute("SELECT type, count(*) FROM corpus_events GROUP BY 1 ORDER BY 2 DESC, 1"
                                  ).fetchall()),
        "quads": dict(con.execute("SELECT quad, count(*) FROM corpus_events WHERE quad IS NOT NULL "
                                  "GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()),
        "langs": dict(con.execute("SELECT COALESCE(lang, 'und'), count(*) FROM articles "
                                  "GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()),
        "countries": dict(con.execute("""
            SELECT c, count(*) FROM (SELECT source_country AS c FROM corpus_events UNION ALL
                                     SELECT target_country FROM corpus_events) WHERE c IS NOT NULL
            GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 30""").fetchall()),
    }

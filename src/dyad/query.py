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
from datetime import date, datetime
from typing import Any

import duckdb

from dyad.ontology import QUAD_CLASS, TYPES
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
                "source": "e.source_name", "target": "e.target_name", "id": "e.id"}
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
    """Lower-cased, accent-stripped SQL expression (for accent-insensitive substring search)."""
    return f"strip_accents(lower({expr}))"


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
    """What to select events by; every field is optional and values are validated on creation."""

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

    def where(self) -> tuple[str, list[Any]]:
        """SQL condition over ``events e JOIN articles a`` and its parameters."""
        conds: list[str] = []
        params: list[Any] = []
        if self.actor:
            cond, values = _name_or_alias([("e.source_name", "e.source_id"), ("e.target_name", "e.target_id")],
                                          self.actor)
            conds.append(cond)
            params += values
        if self.country:
            conds.append("(e.source_country = ? OR e.target_country = ?)")
            params += [self.country] * 2
        if self.dyad:
            c1, c2 = self.dyad
            if self.directed:
                conds.append("(e.source_country = ? AND e.target_country = ?)")
                params += [c1, c2]
            else:
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
            conds.append(f"{DAY_SQL} >= ?")
            params.append(self.since)
        if self.until:
            conds.append(f"{DAY_SQL} <= ?")
            params.append(self.until)
        if self.text:
            conds.append(f"e.id IN (SELECT event_id FROM evidence WHERE contains({_norm_sql('text')}, {_norm_sql('?')}))")
            params.append(self.text)
        if self.article:
            conds.append("e.article_id = ?")
            params.append(self.article)
        if self.lang:
            conds.append("a.lang = ?")
            params.append(self.lang)
        return (" AND ".join(conds) or "TRUE"), params


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


# --------------------------------------------------------------------------------------------------
# Queries


def events(con: Con, f: EventFilter | None = None, *, limit: int | None = 50, offset: int = 0,
           sort: str = "date", descending: bool = True) -> list[dict[str, Any]]:
    """Events matching ``f``, with their first evidence sentence and article details."""
    f = f or EventFilter()
    limit, offset = _page(limit, offset)
    order = EVENT_SORTS[_choice(sort, EVENT_SORTS, "sort")]
    direction = "DESC" if descending else "ASC"
    where, params = f.where()
    sql = f"""
        SELECT e.*, {DAY_SQL} AS day, a.published, a.lang, a.source AS article_source, a.url,
               a.title AS article_title, v.text AS evidence, v.start AS evidence_start, v."end" AS evidence_end
        {_FROM_EVENTS}
        LEFT JOIN evidence v ON v.event_id = e.id AND v.n = 0
        WHERE {where}
        ORDER BY {order} {direction} NULLS LAST, e.id
        LIMIT ? OFFSET ?"""
    return _rows(con.execute(sql, [*params, limit, offset]))


def count_events(con: Con, f: EventFilter | None = None) -> int:
    """How many events match ``f``."""
    where, params = (f or EventFilter()).where()
    return con.execute(f"SELECT count(*) {_FROM_EVENTS} WHERE {where}", params).fetchone()[0]


def event_detail(con: Con, event_id: str) -> dict[str, Any] | None:
    """One event with all its evidence (offsets into the text) and its article, text included."""
    rows = _rows(con.execute(f"SELECT e.*, {DAY_SQL} AS day {_FROM_EVENTS} WHERE e.id = ?", [event_id]))
    if not rows:
        return None
    evidence = _rows(con.execute(
        'SELECT text, start, "end" FROM evidence WHERE event_id = ? ORDER BY n', [event_id]))
    article = _rows(con.execute(
        "SELECT id, lang, published, source, url, title, origin, text FROM articles WHERE id = ?",
        [rows[0]["article_id"]]))[0]
    return {"event": rows[0], "evidence": evidence, "article": article}


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
           descending: bool = True, include_unused: bool = False) -> list[dict[str, Any]]:
    """The actor registry with counts: events as source, as target, quotes; and aliases."""
    limit, offset = _page(limit, offset)
    order = ACTOR_SORTS[_choice(sort, ACTOR_SORTS, "sort")]
    conds, params = _actor_conditions(name, country, kind, sector, include_unused)
    sql = f"""
        WITH src AS (SELECT source_id AS id, count(*) AS n FROM events GROUP BY 1),
             tgt AS (SELECT target_id AS id, count(*) AS n FROM events GROUP BY 1),
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
    target is unknown are left out.
    """
    f = f or EventFilter()
    limit, offset = _page(limit, offset)
    bucket = PERIODS[_choice(by, PERIODS, "by")]
    _choice(level, LEVELS, "level")
    s, t = ("e.source_country", "e.target_country") if level == "country" else ("e.source_name", "e.target_name")
    a1, a2 = (s, t) if directed else (f"least({s}, {t})", f"greatest({s}, {t})")
    period = f"date_trunc('{bucket}', {DAY_SQL})::DATE" if bucket else "NULL::DATE"
    where, params = f.where()
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
        {_FROM_EVENTS}
        WHERE {where} AND {s} IS NOT NULL AND {t} IS NOT NULL AND NOT e.negated
              {"AND " + DAY_SQL + " IS NOT NULL" if bucket else ""}
        GROUP BY ALL
        ORDER BY period NULLS FIRST, events DESC, dyad
        LIMIT ? OFFSET ?"""
    return _rows(con.execute(sql, [*params, limit, offset]))


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
    where, params = f.where()
    sql = f"""
        SELECT e.place_name AS name, e.place_country AS country, round(e.place_lat, 4) AS lat,
               round(e.place_lon, 4) AS lon, count(*) AS events,
               count(*) FILTER (WHERE e.quad IN ('verbal-coop', 'material-coop')) AS coop,
               count(*) FILTER (WHERE e.quad IN ('verbal-conflict', 'material-conflict')) AS conflict,
               round(avg(e.intensity), 2) AS mean_intensity
        {_FROM_EVENTS}
        WHERE {where} AND e.place_lat IS NOT NULL AND e.place_lon IS NOT NULL
        GROUP BY ALL ORDER BY events DESC, name LIMIT ?"""
    return _rows(con.execute(sql, [*params, limit]))


def network(con: Con, f: EventFilter | None = None, *, limit: int | None = 200) -> dict[str, list[dict[str, Any]]]:
    """The actor network: nodes (actors) and edges (source→target with counts and mean intensity)."""
    f = f or EventFilter()
    limit, _ = _page(limit, 0)
    where, params = f.where()
    edges = _rows(con.execute(f"""
        SELECT e.source_id AS source, e.target_id AS target, count(*) AS events,
               count(*) FILTER (WHERE e.quad IN ('verbal-coop', 'material-coop')) AS coop,
               count(*) FILTER (WHERE e.quad IN ('verbal-conflict', 'material-conflict')) AS conflict,
               round(avg(e.intensity), 2) AS mean_intensity
        {_FROM_EVENTS}
        WHERE {where} AND e.source_id IS NOT NULL AND e.target_id IS NOT NULL
        GROUP BY ALL ORDER BY events DESC, source, target LIMIT ?""", [*params, limit]))
    ids = sorted({e["source"] for e in edges} | {e["target"] for e in edges})
    nodes = _rows(con.execute(
        "SELECT id, name, country, kind, sector, n_mentions FROM actors WHERE list_contains(?, id) ORDER BY id",
        [ids])) if ids else []
    return {"nodes": nodes, "edges": edges}


def stats(con: Con) -> dict[str, Any]:
    """Counts, date span, and breakdowns by type, quad class, language and country."""
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # fixed table names
              for t in ("articles", "events", "quotes", "actors", "problems")}
    first, last = con.execute(f"SELECT min({DAY_SQL}), max({DAY_SQL}) {_FROM_EVENTS}").fetchone()
    return {
        "counts": counts,
        "first_day": _jsonable(first),
        "last_day": _jsonable(last),
        "types": dict(con.execute("SELECT type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()),
        "quads": dict(con.execute("SELECT quad, count(*) FROM events WHERE quad IS NOT NULL "
                                  "GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()),
        "langs": dict(con.execute("SELECT COALESCE(lang, 'und'), count(*) FROM articles "
                                  "GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()),
        "countries": dict(con.execute("""
            SELECT c, count(*) FROM (SELECT source_country AS c FROM events UNION ALL
                                     SELECT target_country FROM events) WHERE c IS NOT NULL
            GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 30""").fetchall()),
    }

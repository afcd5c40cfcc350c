"""Queries, exports and the read commands (events, actors, dyads, quotes, export)."""

from __future__ import annotations

import csv
import json

import pyarrow.parquet as pq
import pytest

from conftest_store import filled_store
from dyad import query as Q
from dyad.cli import main
from dyad.export import GDELT_COLUMNS, ExportError, export, gdelt_rows
from dyad.query import EventFilter, QueryError


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("q") / "q.duckdb"
    filled_store(path).close()
    return path


@pytest.fixture
def con(db_path):
    from dyad.store import Store

    with Store(db_path, read_only=True) as s:
        yield s.con


def types(rows):
    return sorted(r["type"] for r in rows)


# -- events ------------------------------------------------------------------------------------------


def test_all_events_newest_first(con):
    rows = Q.events(con)
    assert len(rows) == 7 == Q.count_events(con)
    assert [r["day"] for r in rows] == sorted((r["day"] for r in rows), reverse=True)
    assert rows[0]["evidence"].startswith("Beijing rejected")


def test_dyad_either_direction_and_directed(con):
    assert types(Q.events(con, EventFilter(dyad="CHN-FRA"))) == ["ACCUSE", "AGREE", "CONSULT", "REJECT", "SUPPORT"]
    assert types(Q.events(con, EventFilter(dyad="fra-chn"))) == ["ACCUSE", "AGREE", "CONSULT", "REJECT", "SUPPORT"]
    assert types(Q.events(con, EventFilter(dyad="CHN-FRA", directed=True))) == ["AGREE", "CONSULT", "REJECT"]


def test_actor_filter_is_accent_insensitive_and_uses_aliases(con):
    assert types(Q.events(con, EventFilter(actor="Serguei"))) == ["ACCUSE", "REQUEST"]
    assert types(Q.events(con, EventFilter(actor="LAVROV"))) == ["ACCUSE", "REQUEST"]
    assert types(Q.events(con, EventFilter(actor="états-unis"))) == ["ACCUSE"]  # an alias (mention)
    assert types(Q.events(con, EventFilter(actor="le drian"))) == ["ACCUSE"]


def test_country_type_quad_dates_text(con):
    assert len(Q.events(con, EventFilter(country="rus"))) == 2
    assert types(Q.events(con, EventFilter(type="accuse,reject"))) == ["ACCUSE", "ACCUSE", "REJECT"]
    assert len(Q.events(con, EventFilter(quad="coop"))) == 3
    assert len(Q.events(con, EventFilter(quad="verbal-conflict"))) == 4
    assert len(Q.events(con, EventFilter(since="2020-08-28", until="2020-08-28"))) == 3
    assert types(Q.events(con, EventFilter(text="cooperation"))) == ["ACCUSE", "AGREE"]  # coopération too
    assert types(Q.events(con, EventFilter(text="cooperation internationale"))) == ["ACCUSE"]  # coopération
    assert len(Q.events(con, EventFilter(article="afp-2020-09-11-ledrian"))) == 2


def test_paging_and_sorting(con):
    first = Q.events(con, limit=3, sort="intensity")
    rest = Q.events(con, limit=10, offset=3, sort="intensity")
    assert len(first) == 3 and len(rest) == 4
    assert first[0]["intensity"] == 4.0 and rest[-1]["intensity"] == -4.0
    assert Q.events(con, limit=1, sort="intensity", descending=False)[0]["type"] == "REJECT"


@pytest.mark.parametrize("kw, match", [
    ({"since": "28/08/2020"}, "ISO date"),
    ({"type": "HUG"}, "PLOVER type"),
    ({"quad": "friendly"}, "quad class"),
    ({"dyad": "CHN"}, "two country codes"),
    ({"country": "France"}, "ISO 3166"),
    ({"since": "2020-09-01", "until": "2020-08-01"}, "after"),
])
def test_bad_filters_say_what_is_valid(kw, match):
    with pytest.raises(QueryError, match=match):
        EventFilter(**kw)


def test_sort_keys_are_whitelisted(con):
    with pytest.raises(QueryError, match="sort"):
        Q.events(con, sort="date; DROP TABLE events")


def test_injection_attempts_are_just_values(con):
    for f in (EventFilter(actor="' OR 1=1 --"), EventFilter(text="%' OR '1'='1"), EventFilter(article="x' OR 'a'='a")):
        assert Q.events(con, f) == []
    assert Q.quotes(con, speaker="' OR 1=1 --") == []
    assert Q.actors(con, name="%") == []
    assert Q.count_events(con) == 7


def test_event_and_article_detail(con):
    ev = Q.events(con, EventFilter(type="CONSULT"))[0]
    d = Q.event_detail(con, ev["id"])
    assert d["event"]["source_name"] == "Wang Yi"
    (e,) = d["evidence"]
    assert d["article"]["text"][e["start"]:e["end"]] == e["text"]
    art = Q.article_detail(con, ev["article_id"])
    assert art["title"] == "Wang Yi meets Macron in Paris" and len(art["events"]) == 3
    assert Q.event_detail(con, "nope") is None and Q.article_detail(con, "nope") is None


# -- actors, dyads, quotes, places, network, stats ---------------------------------------------------


def test_actors_with_counts(con):
    rows = Q.actors(con)
    assert rows[0]["name"] == "China" and rows[0]["n_events"] == 4
    lavrov = Q.actors(con, name="sergueï")[0]
    assert (lavrov["n_source"], lavrov["n_target"], lavrov["n_quotes"]) == (2, 0, 1)
    assert "M. Lavrov" in lavrov["aliases"]
    assert {r["name"] for r in Q.actors(con, country="FRA", kind="state")} == {"France"}
    assert Q.count_actors(con) == 9
    with pytest.raises(QueryError):
        Q.actors(con, kind="robot")


def test_dyads_by_week_split_coop_conflict(con):
    rows = Q.dyads(con, EventFilter(dyad="CHN-FRA"), by="week")
    assert [(r["period"], r["dyad"], r["coop"], r["conflict"]) for r in rows] == [
        ("2020-08-24", "CHN-FRA", 3, 0), ("2020-09-07", "CHN-FRA", 0, 2)]
    assert rows[0]["mean_intensity"] == pytest.approx((1.9 + 4.0 + 3.4) / 3, abs=0.01)
    total = Q.dyads(con, by="all")
    assert {r["dyad"]: r["events"] for r in total} == {"CHN-FRA": 5, "RUS-USA": 1, "IGO-RUS": 1}
    directed = Q.dyads(con, EventFilter(dyad="CHN-FRA"), by="all", directed=True)
    assert {r["dyad"]: r["events"] for r in directed} == {"CHN-FRA": 3, "FRA-CHN": 2}
    by_actor = Q.dyads(con, EventFilter(actor="wang"), by="month", level="actor")
    assert by_actor[0]["dyad"] == "Emmanuel Macron-Wang Yi"
    with pytest.raises(QueryError, match="by"):
        Q.dyads(con, by="fortnight")


def test_quotes_by_speaker_country_text(con):
    assert [q["speaker_name"] for q in Q.quotes(con, speaker="serguei")] == ["Sergey Lavrov"]
    assert len(Q.quotes(con, country="CHN")) == 2
    assert Q.quotes(con, text="volonte")[0]["cue"] == "a déclaré"
    assert len(Q.quotes(con, since="2020-08-01")) == 2 and Q.count_quotes(con, lang="fr") == 1


def test_places_network_stats(con):
    places = {p["name"]: p for p in Q.places(con)}
    assert places["Paris"]["events"] == 4 and places["Paris"]["coop"] == 3
    net = Q.network(con, EventFilter(dyad="CHN-FRA"))
    names = {n["name"] for n in net["nodes"]}
    assert {"Wang Yi", "Emmanuel Macron", "China", "France"} <= names and len(net["edges"]) == 4
    st = Q.stats(con)
    assert st["counts"]["events"] == 7 and st["first_day"] == "2020-03-27" and st["langs"] == {"en": 2, "fr": 1}


# -- exports -------------------------------------------------------------------------------------------


def test_gdelt_has_61_columns_in_order(con, tmp_path):
    assert len(GDELT_COLUMNS) == 61
    assert GDELT_COLUMNS[:5] == ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    assert GDELT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")
    out = tmp_path / "g.tsv"
    export(con, out, "gdelt")
    lines = out.read_text().splitlines()
    assert len(lines) == 7 and all(len(line.split("\t")) == 61 for line in lines)
    rows = {r["EventCode"]: r for r in gdelt_rows(con)}
    visit = rows["042"]
    assert (visit["SQLDATE"], visit["MonthYear"], visit["Year"]) == ("20200828", "202008", 2020)
    assert (visit["Actor1Code"], visit["Actor1Name"], visit["Actor1CountryCode"]) == ("CHNGOV", "WANG YI", "CHN")
    assert (visit["EventBaseCode"], visit["EventRootCode"], visit["QuadClass"]) == ("042", "04", 1)
    assert (visit["ActionGeo_Type"], visit["ActionGeo_CountryCode"], visit["ActionGeo_Lat"]) == (3, "FR", 48.8566)
    assert visit["NumMentions"] == 1 and visit["IsRootEvent"] == 1
    assert visit["SOURCEURL"] == "https://example.org/xinhua/wang-macron"
    assert rows["120"]["Actor1Code"] == "CHN" and rows["120"]["QuadClass"] == 3  # a state: country code alone
    assert rows["101"]["Actor2Code"] == "IGO"
    export(con, out, "gdelt", header=True, force=True)
    assert out.read_text().splitlines()[0].split("\t") == list(GDELT_COLUMNS)


def test_csv_and_parquet_to_a_folder(con, tmp_path):
    written = export(con, tmp_path / "out/", "csv", EventFilter(dyad="CHN-FRA"))
    assert {p.rsplit("/", 1)[1]: n for p, n in written.items()} == {"events.csv": 5, "actors.csv": 9, "quotes.csv": 3}
    with open(tmp_path / "out" / "events.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["source_country"] for r in rows} == {"CHN", "FRA"}
    export(con, tmp_path / "pq/", "parquet")
    assert pq.read_table(tmp_path / "pq" / "events.parquet").num_rows == 7
    export(con, tmp_path / "one.parquet", "parquet")
    assert pq.read_table(tmp_path / "one.parquet").column("type").to_pylist().count("ACCUSE") == 2


def test_export_never_overwrites_without_force(con, tmp_path):
    out = tmp_path / "e.csv"
    export(con, out, "csv")
    with pytest.raises(ExportError, match="--force"):
        export(con, out, "csv")
    export(con, out, "csv", force=True)
    with pytest.raises(ExportError, match="format"):
        export(con, tmp_path / "x.xml", "xml")


# -- CLI ------------------------------------------------------------------------------------------------


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_events_table_json_csv(db_path, capsys):
    code, out, _ = run(capsys, "events", "--db", str(db_path), "--dyad", "CHN-FRA")
    assert code == 0
    header, rule, *lines = out.splitlines()
    assert header.split()[:4] == ["date", "type", "mode", "source"] and set(rule) <= {"-", " "}
    assert len(lines) == 5 and "Wang Yi (CHN)" in out
    code, out, _ = run(capsys, "events", "--db", str(db_path), "--actor", "lavrov", "--json")
    recs = [json.loads(line) for line in out.splitlines()]
    assert sorted(r["type"] for r in recs) == ["ACCUSE", "REQUEST"]
    code, out, _ = run(capsys, "events", "--db", str(db_path), "--csv", "--limit", "2")
    assert len(list(csv.DictReader(out.splitlines()))) == 2


def test_cli_other_commands(db_path, capsys, tmp_path):
    assert "Sergey Lavrov" in run(capsys, "actors", "--db", str(db_path))[1]
    assert "CHN-FRA" in run(capsys, "dyads", "--db", str(db_path), "--by", "week")[1]
    assert "a déclaré" in run(capsys, "quotes", "--db", str(db_path), "--speaker", "lavrov")[1]
    code, _, err = run(capsys, "export", "--db", str(db_path), "--format", "gdelt", "--out", str(tmp_path / "g.tsv"))
    assert code == 0 and "7 rows" in err


def test_cli_db_from_environment(db_path, capsys, monkeypatch):
    monkeypatch.setenv("DYAD_DB", str(db_path))
    assert run(capsys, "events", "--json")[1].count("\n") == 7


def test_cli_errors_are_clear(db_path, capsys, tmp_path):
    code, _, err = run(capsys, "events", "--db", str(tmp_path / "missing.duckdb"))
    assert code == 2 and "dyad extract" in err and "--db" in err
    code, _, err = run(capsys, "events", "--db", str(db_path), "--since", "yesterday")
    assert code == 2 and "YYYY-MM-DD" in err
    code, _, err = run(capsys, "events", "--db", str(db_path), "--type", "HUG")
    assert code == 2 and "CONSULT" in err
    out = tmp_path / "e.csv"
    out.write_text("keep me")
    code, _, err = run(capsys, "export", "--db", str(db_path), "--format", "csv", "--out", str(out))
    assert code == 2 and "--force" in err and out.read_text() == "keep me"


@pytest.mark.parametrize("command", ["events", "actors", "dyads", "quotes", "export", "serve"])
def test_every_command_help_has_an_example(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert "Example: dyad " in capsys.readouterr().out

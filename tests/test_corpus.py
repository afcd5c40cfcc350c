"""Corpus events: one story reported by many articles is counted, listed and exported once.

The French seed (Wang Yi's phone call with Sergey Lavrov) is stored alone, then with two more
copies of it under other ids and outlets, then with an English report of the call.  Every query,
the CLI, the API and the exports must give the same events as for the one article; only the
mention counts grow.
"""

from __future__ import annotations

import copy
import csv
import json

import pytest
from fastapi.testclient import TestClient

from dyad import query as Q
from dyad.api import create_app
from dyad.cli import main
from dyad.export import export, gdelt_rows
from dyad.query import EventFilter, QueryError
from dyad.records import Article
from dyad.store import Store

ENGLISH = ("BEIJING, March 28 (Reuters) -- Chinese State Councilor and Foreign Minister Wang Yi held a phone "
           "call with Russian Foreign Minister Sergey Lavrov on Friday.")


@pytest.fixture(scope="module")
def coded(seed_inputs) -> list[Article]:
    """[French seed, copy under another id and outlet, another copy, English report], coded."""
    from dyad.ingest import article_from_json
    from dyad.pipeline import extract_many

    fr = next(d for d in seed_inputs if d["lang"] == "fr")
    inputs = [article_from_json(fr, "seed")]
    for n, outlet in enumerate(["Le Quotidien du Peuple", "CRI en français"]):
        inputs.append(article_from_json(dict(fr, id=f"{fr['id']}-copy{n}", source=outlet), "copy"))
    inputs.append(Article(text=ENGLISH, lang="en", published="2020-03-28", source="Reuters"))
    out = list(extract_many(inputs))
    assert all(isinstance(a, Article) for a in out)
    return out


@pytest.fixture(scope="module")
def stores(coded, tmp_path_factory) -> dict[int, str]:
    """Store files holding the first 1, 3 and 4 articles."""
    paths = {}
    for n in (1, 3, 4):
        path = tmp_path_factory.mktemp(f"corpus{n}") / "c.duckdb"
        with Store(path) as store:
            store.add(copy.deepcopy(coded[:n]))
        paths[n] = str(path)
    return paths


def _event_key(r: dict) -> tuple:
    return r["type"], r["day"], tuple(sorted((r["source_country"] or "", r["target_country"] or "")))


def _gdelt_key(r: dict) -> tuple:
    return r["EventRootCode"], r["SQLDATE"], tuple(sorted((r["Actor1CountryCode"], r["Actor2CountryCode"])))


def _snapshot(path: str, tmp_path) -> dict:
    with Store(path, read_only=True) as store:
        con = store.con
        dyads = [{k: v for k, v in r.items()} for r in Q.dyads(con, EventFilter(dyad="CHN-RUS"), by="month")]
        events = sorted(_event_key(r) for r in Q.events(con, limit=None))
        out = tmp_path / f"{len(events)}-{abs(hash(path))}.csv"
        export(con, out, "csv", force=True)
        with open(out, encoding="utf-8") as fh:
            exported = sorted(_event_key({**r, "day": r["day"]}) for r in csv.DictReader(fh))
        gdelt = sorted(_gdelt_key(r) for r in gdelt_rows(con))
        return {"dyads": dyads, "events": events, "count": Q.count_events(con), "csv": exported,
                "gdelt": gdelt, "stats": Q.stats(con)["counts"]["events"],
                "places": Q.places(con), "network": Q.network(con)["edges"]}


def _phone_call(path: str) -> dict:
    with Store(path, read_only=True) as store:
        (row,) = Q.events(store.con, EventFilter(dyad="CHN-RUS", type="CONSULT"))
        return row


def test_copies_and_a_translation_count_as_one_story(stores, tmp_path):
    one = _snapshot(stores[1], tmp_path)
    assert one["count"] == len(one["events"]) == len(one["csv"]) == len(one["gdelt"]) > one["dyads"][0]["events"]
    assert _snapshot(stores[3], tmp_path) == one, "two more copies of the article add no event"
    assert _snapshot(stores[4], tmp_path) == one, "an English report of the call adds no event"
    counts = [(r["num_mentions"], r["num_articles"], r["num_sources"], r["langs"])
              for r in (_phone_call(stores[n]) for n in (1, 3, 4))]
    assert counts == [(1, 1, 1, ["fr"]), (3, 1, 1, ["fr"]), (4, 2, 2, ["en", "fr"])]


def test_mentions_are_article_level_rows(stores):
    with Store(stores[1], read_only=True) as one, Store(stores[4], read_only=True) as four:
        per_article = Q.count_events(one.con, EventFilter(mentions=True))
        assert Q.count_events(four.con, EventFilter(mentions=True)) == 3 * per_article + 1
        rows = Q.dyads(four.con, EventFilter(dyad="CHN-RUS", mentions=True), by="month")
        assert rows[0]["events"] == 3 * Q.dyads(one.con, EventFilter(dyad="CHN-RUS", mentions=True))[0]["events"] + 1
        assert len(list(gdelt_rows(four.con, EventFilter(mentions=True)))) > len(list(gdelt_rows(four.con)))


def test_gdelt_row_of_the_call_counts_every_report(stores):
    with Store(stores[4], read_only=True) as store:
        rows = [r for r in gdelt_rows(store.con) if r["EventRootCode"] == "04"
                and {r["Actor1CountryCode"], r["Actor2CountryCode"]} == {"CHN", "RUS"}]
    assert len(rows) == 1
    assert (rows[0]["NumMentions"], rows[0]["NumSources"], rows[0]["NumArticles"]) == (4, 2, 2)


def test_event_detail_has_every_mention_with_its_evidence(stores):
    with Store(stores[4], read_only=True) as store:
        call = _phone_call(stores[4])
        d = Q.event_detail(store.con, call["id"])
        assert d["event"]["num_mentions"] == 4 and len(d["mentions"]) == 4
        assert {m["lang"] for m in d["mentions"]} == {"en", "fr"}
        texts = {m["article_id"]: store.get_article(m["article_id"]).text for m in d["mentions"]}
        for m in d["mentions"]:
            (ev,) = m["evidence"]
            assert texts[m["article_id"]][ev["start"]:ev["end"]].strip() == ev["text"].strip()
        assert any("Lavrov" in m["evidence"][0]["text"] for m in d["mentions"] if m["lang"] == "en")


def test_min_confidence_is_a_noisy_or_of_the_reports(stores):
    with Store(stores[1], read_only=True) as one, Store(stores[4], read_only=True) as four:
        call = _phone_call(stores[4])
        alone = _phone_call(stores[1])["confidence"]
        assert call["confidence"] == pytest.approx(1 - (1 - alone) * (1 - 0.8), abs=0.05) and call["confidence"] > alone
        strong = EventFilter(min_confidence=call["confidence"] - 1e-9)
        assert [r["type"] for r in Q.events(four.con, strong)] == ["CONSULT"]
        assert Q.events(one.con, strong) == []
        assert Q.count_events(four.con, EventFilter(min_confidence=0)) == Q.count_events(four.con)
        assert Q.dyads(four.con, strong, by="month")[0]["events"] == 1
    with pytest.raises(QueryError, match="0..1"):
        EventFilter(min_confidence=1.5)
    with pytest.raises(QueryError, match="number"):
        EventFilter(min_confidence="high")


def test_cli_counts_corpus_events_and_mentions_on_request(stores, capsys, tmp_path):
    def rows(*argv: str) -> list[dict]:
        assert main([*argv, "--db", stores[4], "--json"]) == 0
        return [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    with Store(stores[1], read_only=True) as one:
        expected = Q.dyads(one.con, EventFilter(dyad="CHN-RUS"))[0]["events"]
    assert rows("dyads", "--dyad", "CHN-RUS")[0]["events"] == expected
    assert rows("dyads", "--dyad", "CHN-RUS", "--mentions")[0]["events"] == 3 * (expected + 1) + 1
    assert len(rows("events", "--dyad", "CHN-RUS")) == expected
    strong = str(_phone_call(stores[4])["confidence"] - 1e-6)
    assert [r["type"] for r in rows("events", "--min-confidence", strong)] == ["CONSULT"]
    out = tmp_path / "g.tsv"
    assert main(["export", "--db", stores[4], "--format", "gdelt", "--out", str(out), "--min-confidence", strong]) == 0
    assert len(out.read_text().splitlines()) == 1
    assert main(["events", "--db", stores[4], "--min-confidence", "2"]) == 2  # a usage error
    assert "0..1" in capsys.readouterr().err


def test_api_counts_corpus_events_and_mentions_on_request(stores):
    with TestClient(create_app(stores[4])) as client:
        corpus = client.get("/api/events", params={"dyad": "CHN-RUS"}).json()
        mentions = client.get("/api/events", params={"dyad": "CHN-RUS", "mentions": "true"}).json()
        assert mentions["total"] == 3 * (corpus["total"] + 1) + 1
        call = next(e for e in corpus["events"] if e["type"] == "CONSULT")
        assert call["num_mentions"] == 4
        detail = client.get(f"/api/events/{call['id']}").json()
        assert len(detail["mentions"]) == 4
        strong = client.get("/api/events", params={"min_confidence": call["confidence"] - 1e-6}).json()
        assert [e["type"] for e in strong["events"]] == ["CONSULT"]
        assert client.get("/api/events", params={"min_confidence": 3}).status_code == 400
        dyads = client.get("/api/dyads", params={"dyad": "CHN-RUS", "by": "all"}).json()["dyads"]
        assert dyads[0]["events"] == corpus["total"]
        assert client.get("/api/stats").json()["counts"]["events"] < client.get("/api/stats").json()["counts"]["mentions"]


# ---- the corpus table kept by each write (hand-built records: no spaCy) ----------------------------


def _tables(store: Store) -> tuple[list, list]:
    rows = store.con.execute("SELECT * FROM corpus_events ORDER BY id").fetchall()
    months = store.con.execute("SELECT * FROM dyad_months ORDER BY ALL").fetchall()
    return rows, months


def _variants() -> list[Article]:
    """The three hand-built articles, then each again under another id and outlet."""
    from conftest_store import make_articles

    out = make_articles()
    for art in make_articles():
        art.id, art.source = art.id + "-copy", "Another outlet"
        out.append(art)
    return out


def test_incremental_writes_and_compaction_equal_a_rebuild(monkeypatch):
    from dyad import corpus

    monkeypatch.setattr(corpus, "COMPACT_MIN_ROWS", 1)
    with Store(":memory:") as store:
        for art in _variants():  # one article per write: rows appended, the table rewritten in order
            store.add([art])
            assert not corpus.needs_compaction(store.con)
        incremental = _tables(store)
        assert len(incremental[0]) == 7 and {r[0] for r in incremental[0]} == {
            r[0] for r in store.con.execute("SELECT DISTINCT cluster_id FROM events").fetchall()}
        store.rebuild_corpus()
        assert _tables(store) == incremental
        changed = _variants()[0]
        changed.events = changed.events[:1]  # a re-extraction drops two events of one article
        store.add([changed])
        assert store.con.execute("SELECT count(*) FROM corpus_events").fetchone()[0] == 7
        after = _tables(store)
        store.rebuild_corpus()
        assert _tables(store) == after


def test_a_store_with_the_old_view_gets_the_table(tmp_path):
    path = tmp_path / "old.duckdb"
    with Store(path) as store:
        store.add(_variants())
        expected = _tables(store)
        store.con.execute("DROP TABLE corpus_events")
        store.con.execute("CREATE VIEW corpus_events AS SELECT * FROM events WHERE cluster_id = id")
    with Store(path) as store:
        assert _tables(store) == expected

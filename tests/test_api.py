"""The JSON API over a store of hand-built articles: every endpoint, bad parameters, injection attempts."""

from __future__ import annotations

import sys
import types

import pytest
from fastapi.testclient import TestClient

from conftest_store import filled_store, wang_article
from dyad.api import MAX_BODY, create_app


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "api.duckdb"
    filled_store(path).close()
    return path


@pytest.fixture(scope="module")
def client(db_path):
    with TestClient(create_app(db_path)) as c:
        yield c


def ok(client, url, **params):
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_events_list_filters_and_paging(client):
    d = ok(client, "/api/events")
    assert d["total"] == 7 and len(d["events"]) == 7 and d["limit"] == 50
    d = ok(client, "/api/events", dyad="CHN-FRA", limit=2, offset=2)
    assert d["total"] == 5 and len(d["events"]) == 2 and d["offset"] == 2
    assert ok(client, "/api/events", dyad="CHN-FRA", directed="true")["total"] == 3
    assert ok(client, "/api/events", actor="Sergueï")["total"] == 2
    assert ok(client, "/api/events", country="rus", type="ACCUSE")["total"] == 1
    assert ok(client, "/api/events", quad="conflict", since="2020-09-01")["total"] == 2
    assert ok(client, "/api/events", text="Uyghurs")["events"][0]["source_name"] == "Jean-Yves Le Drian"
    asc = ok(client, "/api/events", sort="date", order="asc")["events"]
    assert asc[0]["day"] == "2020-03-27"


def test_event_detail_has_article_text_and_offsets(client):
    ev = ok(client, "/api/events", type="CONSULT")["events"][0]
    d = ok(client, f"/api/events/{ev['id']}")
    (span,) = d["evidence"]
    assert d["article"]["text"][span["start"]:span["end"]] == span["text"]
    assert d["event"]["mode"] == "visit" and d["event"]["place_name"] == "Paris"


def test_article(client):
    d = ok(client, "/api/articles/xinhua-2020-08-29-wang-macron")
    assert d["title"] == "Wang Yi meets Macron in Paris" and len(d["events"]) == 3 and len(d["quotes"]) == 1
    assert d["text"].startswith("PARIS, Aug. 29")


def test_actors_dyads_quotes_places_network_stats_config(client):
    actors = ok(client, "/api/actors", country="FRA")
    assert actors["total"] == 3 and {a["name"] for a in actors["actors"]} >= {"Emmanuel Macron", "France"}
    dy = ok(client, "/api/dyads", dyad="CHN-FRA", by="week")
    assert [(r["coop"], r["conflict"]) for r in dy["dyads"]] == [(3, 0), (0, 2)]
    assert ok(client, "/api/quotes", speaker="lavrov")["quotes"][0]["cue"] == "a déclaré"
    assert {p["name"] for p in ok(client, "/api/places")["places"]} == {"Paris", "Moscow", "Beijing"}
    net = ok(client, "/api/network", dyad="CHN-FRA")
    assert len(net["edges"]) == 4 and len(net["nodes"]) == 5
    assert ok(client, "/api/stats")["counts"]["events"] == 7
    cfg = ok(client, "/api/config")
    assert cfg["allow_ingest"] is False and "CONSULT" in cfg["types"]


def test_openapi_and_page(client):
    spec = ok(client, "/openapi.json")
    for path in ("/api/events", "/api/events/{event_id}", "/api/articles/{article_id}", "/api/actors",
                 "/api/dyads", "/api/quotes", "/api/stats", "/api/extract"):
        assert path in spec["paths"]
    page = client.get("/")
    assert page.status_code == 200 and "<title>dyad" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for asset in ("app.js", "style.css", "world.js"):
        assert client.get(f"/static/{asset}").status_code == 200


@pytest.mark.parametrize("url, params, status, words", [
    ("/api/events", {"since": "28/08/2020"}, 400, "ISO date"),
    ("/api/events", {"until": "yesterday"}, 400, "ISO date"),
    ("/api/events", {"limit": 501}, 400, "limit"),
    ("/api/events", {"limit": 0}, 400, "limit"),
    ("/api/events", {"offset": -1}, 400, "offset"),
    ("/api/events", {"type": "HUG"}, 400, "PLOVER type"),
    ("/api/events", {"quad": "nice"}, 400, "quad"),
    ("/api/events", {"dyad": "CHINA-FRANCE"}, 400, "country code"),
    ("/api/events", {"sort": "date; DROP TABLE events"}, 400, "sort"),
    ("/api/events", {"order": "sideways"}, 400, "order"),
    ("/api/events", {"directed": "maybe"}, 400, "directed"),
    ("/api/dyads", {"by": "fortnight"}, 400, "by"),
    ("/api/dyads", {"level": "galaxy"}, 400, "level"),
    ("/api/actors", {"kind": "robot"}, 400, "kind"),
    ("/api/actors", {"sort": "n_mentions DESC; --"}, 400, "sort"),
    ("/api/quotes", {"since": "2020-02-30"}, 400, "ISO date"),
    ("/api/events", {"actor": "x" * 201}, 400, "actor"),
    ("/api/events/does-not-exist", {}, 404, "no event"),
    ("/api/articles/does-not-exist", {}, 404, "no article"),
    ("/api/nothing-here", {}, 404, "Not Found"),
])
def test_bad_parameters_give_clear_json_errors(client, url, params, status, words):
    r = client.get(url, params=params)
    assert r.status_code == status, r.text
    assert words in r.json()["error"]


INJECTIONS = [
    "' OR 1=1 --",
    "CONSULT'; DROP TABLE events; --",
    "%' OR '1'='1",
    "\" OR \"\"=\"",
    "1); DELETE FROM articles; --",
    "') UNION SELECT * FROM articles --",
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_sql_injection_in_every_filter_is_inert(client, value):
    free_text = {"/api/events": ["actor", "text", "article", "lang"], "/api/actors": ["name", "sector"],
                 "/api/quotes": ["speaker", "text", "article", "lang"], "/api/dyads": ["actor", "text"],
                 "/api/places": ["actor"], "/api/network": ["text"]}
    for url, names in free_text.items():
        for name in names:
            r = client.get(url, params={name: value})
            assert r.status_code == 200, (url, name, r.text)
            body = r.json()
            rows = body.get("events") or body.get("actors") or body.get("quotes") or body.get("dyads") \
                or body.get("places") or body.get("edges") or []
            assert rows == [], (url, name)
    validated = {"/api/events": ["country", "dyad", "type", "quad", "since", "until", "sort", "order"],
                 "/api/dyads": ["by", "level", "type"], "/api/actors": ["country", "kind", "sort"],
                 "/api/quotes": ["country", "since"]}
    for url, names in validated.items():
        for name in names:
            assert client.get(url, params={name: value}).status_code == 400, (url, name)
    for path in (f"/api/events/{value}", f"/api/articles/{value}"):
        assert client.get(path).status_code == 404
    assert ok(client, "/api/stats")["counts"] == {"articles": 3, "events": 7, "mentions": 7, "quotes": 3, "actors": 9, "problems": 0}


def test_read_only_by_default(client, db_path):
    r = client.post("/api/extract", json={"text": "Wang Yi met Macron."})
    assert r.status_code == 403 and "--allow-ingest" in r.json()["error"]
    assert client.app.state.store is None, "no writing connection"


def test_request_size_limit(client):
    r = client.post("/api/extract", content=b"x" * (MAX_BODY + 1), headers={"content-type": "application/json"})
    assert r.status_code == 413 and "too large" in r.json()["error"]


@pytest.fixture
def fake_pipeline(monkeypatch):
    """A stand-in for dyad.pipeline (written elsewhere): returns the Wang Yi article for any text."""
    calls = []

    def extract(text, lang=None, published=None):
        calls.append((text, lang, published))
        art = wang_article()
        art.text, art.id = text, "pasted-1"
        return art

    monkeypatch.setitem(sys.modules, "dyad.pipeline", types.SimpleNamespace(extract=extract))
    return calls


def test_extract_when_ingest_is_allowed(tmp_path, fake_pipeline):
    with TestClient(create_app(tmp_path / "ingest.duckdb", allow_ingest=True)) as c:
        assert ok(c, "/api/config")["allow_ingest"] is True
        r = c.post("/api/extract", json={"text": "Wang Yi met Macron in Paris.", "lang": "en",
                                        "published": "2020-08-29"})
        assert r.status_code == 200, r.text
        d = r.json()
        assert [e["type"] for e in d["events"]] == ["CONSULT", "AGREE", "SUPPORT"] and d["stored"] is None
        assert all(e["id"] for e in d["events"])
        assert fake_pipeline == [("Wang Yi met Macron in Paris.", "en", "2020-08-29")]
        assert ok(c, "/api/stats")["counts"]["events"] == 0
        r = c.post("/api/extract", json={"text": "Wang Yi met Macron in Paris.", "store": True, "title": "pasted"})
        assert r.json()["stored"]["events"] == 3
        assert ok(c, "/api/stats")["counts"]["events"] == 3
        assert ok(c, "/api/articles/pasted-1")["title"] == "pasted"
        for bad in ({"text": ""}, {"text": "x", "lang": "english"}, {"text": "x", "published": "soon"}, {}):
            r = c.post("/api/extract", json=bad)
            assert r.status_code == 400 and r.json()["error"], bad


def test_missing_store_is_a_clear_error(tmp_path):
    from dyad.store import StoreNotFound

    with pytest.raises(StoreNotFound, match="dyad extract"):
        create_app(tmp_path / "missing.duckdb")

"""Clear errors from the JSON API: status codes as documented, JSON bodies, short echoes, HEAD,
ids with "/", "." and "..", and POST /api/extract validated as strictly as `dyad extract`."""

from __future__ import annotations

import sys
import types

import pytest
from fastapi.testclient import TestClient

from conftest_store import filled_store, wang_article
from dyad.api import MAX_BODY, MAX_ECHO, create_app
from dyad.records import Article
from dyad.store import Store


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("api-errors") / "api.duckdb"
    filled_store(path).close()
    with Store(path) as store:
        for odd in ("reports/2020/wang.txt", "a.b", "..", "../etc/passwd", "x/../y"):
            store.add([Article(text=f"An article filed as {odd}.", id=odd, lang="en")])
    return path


@pytest.fixture(scope="module")
def client(db_path):
    with TestClient(create_app(db_path)) as c:
        yield c


def test_chunked_body_over_the_limit_is_413(client):
    def chunks():
        for _ in range(MAX_BODY // 65536 + 2):
            yield b"x" * 65536

    r = client.post("/api/extract", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and "too large" in r.json()["error"]


def test_a_malformed_body_is_a_json_400(client):
    r = client.post("/api/extract", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code in (400, 403) and r.json()["error"]


def test_404_does_not_echo_a_huge_id(client):
    huge = "x" * 60_000
    for url in (f"/api/articles/{huge}", f"/api/events/{huge}"):
        r = client.get(url)
        assert r.status_code == 404
        assert len(r.json()["error"]) < MAX_ECHO + 40 and r.json()["error"].endswith("…'")


@pytest.mark.parametrize("url", ["/", "/api/stats", "/api/events", "/api/articles/xinhua-2020-08-29-wang-macron",
                                 "/static/app.js"])
def test_head_is_answered_like_get_without_a_body(client, url):
    got, head = client.get(url), client.head(url)
    assert got.status_code == head.status_code == 200
    assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]


@pytest.mark.parametrize("article_id, raw", [
    ("reports/2020/wang.txt", "reports%2F2020%2Fwang.txt"),
    ("reports/2020/wang.txt", "reports/2020/wang.txt"),
    ("a.b", "a.b"),
    ("..", "%2E%2E"),
    ("../etc/passwd", "%2E%2E%2Fetc%2Fpasswd"),
    ("x/../y", "x%2F%2E%2E%2Fy"),
])
def test_ids_with_slashes_and_dots_can_be_fetched(client, article_id, raw):
    r = client.get(f"/api/articles/{raw}")
    assert r.status_code == 200, r.text
    assert r.json()["id"] == article_id


@pytest.fixture
def ingest(tmp_path, monkeypatch):
    calls = []

    def extract(text, lang=None, published=None):
        calls.append(text)
        art = wang_article()
        art.text, art.id = text, "pasted-1"
        return art

    monkeypatch.setitem(sys.modules, "dyad.pipeline", types.SimpleNamespace(extract=extract))
    with TestClient(create_app(tmp_path / "ingest.duckdb", allow_ingest=True)) as c:
        yield c, calls


@pytest.mark.parametrize("body, field", [
    ({"text": "Wang Yi met Macron.", "published": "2021-99-99zz"}, "published"),
    ({"text": "Wang Yi met Macron.", "published": "2021-02-30"}, "published"),
    ({"text": "Wang Yi met Macron.", "published": "2021-03-01T10:00"}, "published"),
    ({"text": " \n\t  "}, "text"),
    ({"text": "Wang Yi met Macron.", "store": "yes"}, "store"),
    ({"text": "Wang Yi met Macron.", "store": 1}, "store"),
    ({"text": "Wang Yi met Macron.", "lang": "xx"}, "lang"),
])
def test_extract_is_validated_strictly(ingest, body, field):
    c, calls = ingest
    r = c.post("/api/extract", json=body)
    assert r.status_code == 400, r.text
    assert r.json()["error"].startswith(field)
    assert calls == [], "nothing was coded"


def test_extract_still_accepts_good_input(ingest):
    c, calls = ingest
    r = c.post("/api/extract", json={"text": "Wang Yi met Macron.", "published": "2020-08-29", "store": True,
                                     "lang": "es"})
    assert r.status_code == 200, r.text
    assert r.json()["stored"]["events"] == 3 and calls

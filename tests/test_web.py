"""The web page in headless Chromium (Playwright): filter, open an event, timeline, network, map, quotes.

Screenshots go to artifacts/screenshots/.  Skipped when /usr/bin/chromium is missing
(`apt-get install -y chromium`).
"""

from __future__ import annotations

import socket
import sys
import threading
import time
import types
from pathlib import Path

import pytest

from conftest_store import filled_store, wang_article

expect = pytest.importorskip("playwright.sync_api", reason="pip install playwright").expect

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing: apt-get install -y chromium"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """uvicorn in a thread on 127.0.0.1, serving the test store with ingest on (fake pipeline)."""
    import uvicorn

    from dyad.api import create_app

    def extract(text, lang=None, published=None):
        art = wang_article()
        art.text, art.id = text, "pasted"
        return art

    saved = sys.modules.get("dyad.pipeline")
    sys.modules["dyad.pipeline"] = types.SimpleNamespace(extract=extract)  # type: ignore[assignment]
    path = tmp_path_factory.mktemp("web") / "web.duckdb"
    filled_store(path).close()
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(path, allow_ingest=True), host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 15
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    if saved is None:
        sys.modules.pop("dyad.pipeline", None)
    else:
        sys.modules["dyad.pipeline"] = saved


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" and " 400 " not in m.text else None)
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.goto(server + "/")
    pg.wait_for_selector("body[data-ready=true]")
    yield pg
    assert errors == [], errors
    assert all(u.startswith(server) for u in requests), [u for u in requests if not u.startswith(server)]
    ctx.close()


def test_filter_to_china_france_and_open_an_event(page):
    assert "7 events" in page.text_content("#stats")
    assert page.locator("#events-table tbody tr").count() == 7
    page.fill("#filters input[name=dyad]", "CHN-FRA")
    page.click("#search")
    expect(page.locator("#events-table tbody tr")).to_have_count(5)
    assert "of 5 events" in page.text_content("#events-count")
    page.locator("#events-table tbody tr", has_text="CONSULT").click()
    mark = page.wait_for_selector("#detail-text mark.evidence")
    assert mark.text_content().startswith("Chinese State Councilor and Foreign Minister Wang Yi met with")
    assert "Wang Yi meets Macron in Paris" in page.text_content("#detail-title")
    assert "dyad=CHN-FRA" in page.url
    page.screenshot(path=str(SHOTS / "events-china-france.png"), full_page=True)


def test_bad_filter_shows_the_api_error(page):
    page.fill("#filters input[name=country]", "XX")
    page.click("#search")
    page.wait_for_selector("#error:not([hidden])")
    assert "country code" in page.text_content("#error")


def test_timeline_renders_coop_and_conflict_bars(page):
    page.fill("#filters input[name=dyad]", "CHN-FRA")
    page.click("#search")
    page.click("#tabs button[data-tab=timeline]")
    page.wait_for_selector("#timeline-svg rect.coop")
    assert page.locator("#timeline-svg rect.coop").count() == 1
    assert page.locator("#timeline-svg rect.conflict").count() == 1
    assert page.locator("#timeline-svg polyline").count() == 1
    assert "CHN-FRA" in page.text_content("#timeline-title")
    page.screenshot(path=str(SHOTS / "timeline-china-france.png"), full_page=True)


def test_map_renders_world_and_places(page):
    page.click("#tabs button[data-tab=map]")
    page.wait_for_selector("#map-svg circle.place")
    assert page.locator("#map-svg path.land").count() == 1
    assert len(page.get_attribute("#map-svg path.land", "d")) > 10_000
    assert page.locator("#map-svg circle.place").count() == 3
    paris = page.locator("#map-svg circle.place", has_text="Paris")
    assert abs(float(paris.get_attribute("cx")) - (2.35 + 180)) < 0.1
    page.screenshot(path=str(SHOTS / "map.png"), full_page=True)


def test_network_renders_and_filters_on_click(page):
    page.click("#tabs button[data-tab=network]")
    page.wait_for_selector("#network-svg g.node")
    assert page.locator("#network-svg g.node").count() == 8
    assert page.locator("#network-svg line.edge").count() == 6
    page.screenshot(path=str(SHOTS / "network.png"), full_page=True)
    page.locator("#network-svg g.node", has_text="Sergey Lavrov").click()
    expect(page.locator("#events-table tbody tr")).to_have_count(2)
    assert page.input_value("#filters input[name=actor]") == "Sergey Lavrov"


def test_quotes_by_speaker(page):
    page.click("#tabs button[data-tab=quotes]")
    page.wait_for_selector("#quotes-table tbody tr td")
    assert page.locator("#quotes-table tbody tr").count() == 3
    page.fill("#quote-filters input[name=speaker]", "serguei")
    page.click("#quote-filters button")
    expect(page.locator("#quotes-table tbody tr")).to_have_count(1)
    assert "imposer sa volonté" in page.text_content("#quotes-table tbody")
    page.screenshot(path=str(SHOTS / "quotes.png"), full_page=True)


def test_paste_an_article(page):
    assert page.is_visible("#paste-tab")
    page.click("#paste-tab")
    page.fill("#paste-form textarea", "Wang Yi met Emmanuel Macron in Paris on Friday.")
    page.click("#paste-form button[type=submit]")
    page.wait_for_selector("#paste-result li")
    assert page.locator("#paste-result li").count() == 3
    assert "CONSULT" in page.text_content("#paste-result")
    page.screenshot(path=str(SHOTS / "paste.png"), full_page=True)

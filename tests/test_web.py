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


def test_events_table_takes_the_width_and_shows_whole_evidence(page):
    table = page.locator("#events-table").bounding_box()
    main = page.locator("#tab-events").bounding_box()
    assert table["width"] > 0.95 * main["width"]  # no empty column waiting for the detail
    cells = page.locator("#events-table td.evidence")
    clipped = page.evaluate("""() => [...document.querySelectorAll('#events-table td.evidence')]
        .filter((td) => td.scrollWidth > td.clientWidth + 1 || getComputedStyle(td).textOverflow === 'ellipsis')
        .map((td) => td.textContent)""")
    assert clipped == []
    consult = page.locator("#events-table tbody tr", has_text="CONSULT").locator("td.evidence")
    assert consult.text_content().startswith("Chinese State Councilor and Foreign Minister Wang Yi met with")
    assert consult.bounding_box()["width"] > 400
    assert cells.count() == 7
    page.screenshot(path=str(SHOTS / "events-full-width.png"), full_page=True)
    page.locator("#events-table tbody tr", has_text="CONSULT").click()
    page.wait_for_selector("#detail-text mark.evidence")
    assert page.locator("#events-table").bounding_box()["width"] < 0.7 * main["width"]  # room for the detail
    page.screenshot(path=str(SHOTS / "events-with-detail.png"), full_page=True)


def test_search_with_no_result_closes_the_open_event(page):
    page.locator("#events-table tbody tr", has_text="CONSULT").click()
    page.wait_for_selector("#detail-text mark.evidence")
    page.fill("#filters input[name=dyad]", "USA-BRA")
    page.click("#search")
    expect(page.locator("#events-count")).to_have_text("No events match.")
    expect(page.locator("#detail")).to_be_hidden()
    assert page.locator("#events-table tr.selected").count() == 0
    page.screenshot(path=str(SHOTS / "events-no-result.png"), full_page=True)


def test_timeline_has_a_time_axis(page):
    page.click("#tabs button[data-tab=timeline]")
    page.wait_for_selector("#timeline-svg g.period rect")
    # weeks of 2020-03-23, 2020-08-24 and 2020-09-07: 22 weeks apart, then 2
    centres = page.evaluate("""() => [...document.querySelectorAll('#timeline-svg g.period')].map((g) => {
        const r = g.querySelector('rect'); return [g.dataset.period, +r.getAttribute('x') + r.getAttribute('width') / 2]; })""")
    assert [p for p, _ in centres] == ["2020-03-23", "2020-08-24", "2020-09-07"]
    (_, a), (_, b), (_, c) = centres
    assert 9 < (b - a) / (c - b) < 13
    labels = [t.text_content() for t in page.locator("#timeline-svg text.y-label").all()]
    assert len(set(labels)) == len(labels) == 3 and labels[0].endswith("cooperation") and labels[2].endswith("conflict")
    ticks = [t.text_content() for t in page.locator("#timeline-svg text.tick-label").all()]
    assert "Apr 2020" in ticks and "Sep 2020" in ticks
    page.screenshot(path=str(SHOTS / "timeline-time-axis.png"), full_page=True)


def test_network_labels_do_not_overlap(page):
    page.click("#tabs button[data-tab=network]")
    page.wait_for_selector("#network-svg g.node")
    boxes = page.evaluate("""() => [...document.querySelectorAll('#network-svg g.node text')].map((t) => {
        const r = t.getBoundingClientRect(); return [t.textContent, r.left, r.top, r.right, r.bottom]; })""")
    overlaps = [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if min(a[3], b[3]) - max(a[1], b[1]) > 1 and min(a[4], b[4]) - max(a[2], b[2]) > 1]
    assert overlaps == []
    page.screenshot(path=str(SHOTS / "network-labels.png"), full_page=True)


def test_paste_and_store_updates_the_header(page):
    """Last: it adds an article to the module's store."""
    assert page.text_content("#stats").startswith("7 events")
    page.click("#paste-tab")
    page.fill("#paste-form textarea", "Wang Yi met Emmanuel Macron in Paris on Friday.")
    page.check("#paste-form input[name=store]")
    page.click("#paste-form button[type=submit]")
    page.wait_for_selector("#paste-result li")
    assert "added to the database" in page.text_content("#paste-result")
    expect(page.locator("#stats")).to_contain_text("4 articles")
    assert page.text_content("#stats").startswith("7 events"), "the pasted meeting is a known corpus event"
    page.screenshot(path=str(SHOTS / "paste-stored.png"), full_page=True)

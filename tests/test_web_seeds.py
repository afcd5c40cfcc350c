"""The page over the real seed articles: extract them with the pipeline, serve the store, filter
to China–France, open the visit and see its evidence highlighted in the article; the timeline and
the map render.  Screenshots go to artifacts/screenshots/seeds-*.png."""

from __future__ import annotations

import threading
import time

import pytest

from dyad.ingest import article_from_json
from dyad.pipeline import extract_many
from dyad.store import Store
from test_web import ARGS, CHROMIUM, SHOTS, _free_port, expect, pytestmark  # noqa: F401


@pytest.fixture(scope="module")
def seed_server(seed_inputs, tmp_path_factory):
    import uvicorn

    from dyad.api import create_app

    path = tmp_path_factory.mktemp("seedweb") / "seeds.duckdb"
    with Store(path) as store:
        store.add(a for a in extract_many(article_from_json(o, f"seed:{n}") for n, o in enumerate(seed_inputs)))
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(path), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 15
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def test_seeds_china_france_evidence_timeline_map(seed_server):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(seed_server + "/?dyad=CHN-FRA")
        page.wait_for_selector("body[data-ready=true]")
        rows = page.locator("#events-table tbody tr")
        expect(rows.first).to_be_visible()
        assert rows.count() >= 5
        page.locator("#events-table tbody tr", has_text="CONSULT").filter(has_text="Wang Yi").filter(
            has_text="Emmanuel Macron").first.click()
        page.wait_for_selector("#detail-text mark.evidence")
        marks = [m.text_content() for m in page.query_selector_all("#detail-text mark.evidence")]
        assert any("met with French President Emmanuel Macron in Paris on Friday" in m for m in marks), marks
        page.screenshot(path=str(SHOTS / "seeds-china-france.png"), full_page=True)
        page.click("#tabs button[data-tab=timeline]")
        page.wait_for_selector("#timeline-svg rect.coop")
        page.screenshot(path=str(SHOTS / "seeds-timeline.png"), full_page=True)
        page.click("#tabs button[data-tab=map]")
        page.wait_for_selector("#map-svg circle.place")
        assert page.locator("#map-svg circle.place", has_text="Paris").count() == 1
        page.screenshot(path=str(SHOTS / "seeds-map.png"), full_page=True)
        browser.close()
        assert errors == []


def test_seeds_network_labels_do_not_overlap(seed_server):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(seed_server + "/?tab=network")
        page.wait_for_selector("body[data-ready=true]")
        page.wait_for_selector("#network-svg g.node")
        assert page.locator("#network-svg g.node").count() >= 10
        boxes = page.evaluate("""() => [...document.querySelectorAll('#network-svg g.node text')].map((t) => {
            const r = t.getBoundingClientRect(); return [t.textContent, r.left, r.top, r.right, r.bottom]; })""")
        page.screenshot(path=str(SHOTS / "seeds-network.png"), full_page=True)
        browser.close()
    overlaps = [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if min(a[3], b[3]) - max(a[1], b[1]) > 1 and min(a[4], b[4]) - max(a[2], b[2]) > 1]
    assert overlaps == []

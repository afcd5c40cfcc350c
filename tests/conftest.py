"""Shared fixtures: the shared/ folder beside the project, and the extraction pipeline."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DYAD_SHARED", ROOT.parent / "shared"))


def pytest_collection_modifyitems(config, items):
    """Tests that read ../shared are skipped with a reason when it is not there."""
    if SHARED.exists():
        return
    skip = pytest.mark.skip(reason=f"{SHARED} not found (set DYAD_SHARED)")
    for item in items:
        if "shared" in item.fixturenames:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def shared() -> Path:
    return SHARED


@pytest.fixture(scope="session")
def seed_inputs(shared) -> list[dict]:
    with open(shared / "gold" / "seeds.inputs.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="session")
def extract():
    """`extract(text, lang, published)` → Article with the events the rules propose (models load
    once per test session).  The construction tests assert what the language packs and the parse
    propose; what the learned layer keeps of real articles is tested in test_decide.py and by the
    seed and development-gold tests, which run the whole pipeline."""
    from dyad.pipeline import extract as run

    def rules_only(*args, **kwargs):
        before = os.environ.get("DYAD_DECIDE")
        os.environ["DYAD_DECIDE"] = "off"
        try:
            return run(*args, **kwargs)
        finally:
            if before is None:
                os.environ.pop("DYAD_DECIDE", None)
            else:
                os.environ["DYAD_DECIDE"] = before

    return rules_only


@pytest.fixture(scope="session")
def extract_decided():
    """`extract` with the learned layer: the events dyad outputs."""
    from dyad.pipeline import extract as run

    return run


def events_of(article, etype=None):
    """(type, source country, target country) triples, for compact assertions."""
    return {(e.type, e.source.country if e.source else None, e.target.country if e.target else None)
            for e in article.events if etype is None or e.type == etype}

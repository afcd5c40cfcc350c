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
    """`extract(text, lang, published)` → Article (models load once per test session)."""
    from dyad.pipeline import extract as run

    return run


def events_of(article, etype=None):
    """(type, source country, target country) triples, for compact assertions."""
    return {(e.type, e.source.country if e.source else None, e.target.country if e.target else None)
            for e in article.events if etype is None or e.type == etype}

"""Adapter for MEANTIME's `to_dyad.py resolve bench.meantime_resolve:resolve` (a TEST set: report it,
never tune to it).  The value dyad.when gives the first date expression found in `expression`."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dyad.when import find_dates  # noqa: E402


def resolve(expression: str, published: str, lang: str) -> str | None:
    found = [m for m in find_dates(expression, lang, published) if m.granularity != "week"]
    return found[0].value if found else None

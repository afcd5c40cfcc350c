"""The house: data flows one way, so no stage imports a later one, and no modules import each other.

ingest → language → (knowledge) → actors → events → time/place → quotes → identity → decide → pipeline
→ dedup → store → query → serve.  Every import counts, those inside functions too.  A new module
must be given its stage in LAYERS.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "dyad"

# low → high; a module may import its own layer and those before it
LAYERS: list[tuple[str, set[str]]] = [
    ("records", {"dyad", "dyad.records"}),
    ("ingest", {"dyad.ingest"}),
    ("language", {"dyad.language"}),
    ("knowledge", {"dyad.ontology", "dyad.geo", "dyad.gazetteer", "dyad.dictionaries"}),
    ("actors", {"dyad.actors"}),
    ("events", {"dyad.triggers", "dyad.pairs", "dyad.events", "dyad.merge", "dyad.article_events"}),
    ("time/place", {"dyad.when", "dyad.where", "dyad.event_dates"}),
    ("quotes", {"dyad.quotes"}),
    ("identity", {"dyad.registry"}),
    ("decide", {"dyad.sentence_types", "dyad.decide"}),
    ("pipeline", {"dyad.pipeline", "dyad.distributed"}),
    ("dedup", {"dyad.dedup", "dyad.corpus", "dyad.postings"}),
    ("store", {"dyad.store", "dyad.actor_store"}),
    ("query", {"dyad.query", "dyad.export"}),
    ("serve", {"dyad.api", "dyad.server", "dyad.cli", "dyad.__main__"}),
]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _layer(module: str) -> int | None:
    for n, (_, members) in enumerate(LAYERS):
        if module in members or any(module.startswith(m + ".") for m in members if m != "dyad"):
            return n
    return None


def _imports(path: Path, module: str) -> set[str]:
    """The dyad modules a file imports, anywhere in it."""
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "dyad"}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] != "dyad":
                continue
            for alias in node.names:  # `from dyad import geo` imports the module dyad.geo
                sub = f"{base}.{alias.name}"
                found.add(sub if (SRC.parent / Path(*sub.split("."))).with_suffix(".py").exists()
                          or (SRC.parent / Path(*sub.split("."))).is_dir() else base)
    return found - {module}


def _graph() -> dict[str, set[str]]:
    return {(m := _module_name(p)): _imports(p, m) for p in sorted(SRC.rglob("*.py"))}


def test_every_module_has_a_stage():
    assert [m for m in _graph() if _layer(m) is None] == []


def test_no_stage_imports_a_later_one():
    wrong = []
    for module, imports in _graph().items():
        here = _layer(module)
        for other in imports:
            there = _layer(other)
            if here is not None and there is not None and there > here:
                wrong.append(f"{module} ({LAYERS[here][0]}) imports {other} ({LAYERS[there][0]})")
    assert wrong == []


def test_no_import_cycles():
    graph = _graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for module in graph:
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_identity_knows_nothing_of_the_pipeline_or_duckdb():
    assert _imports(SRC / "registry.py", "dyad.registry") <= {"dyad.dictionaries", "dyad.geo", "dyad.merge",
                                                               "dyad.records", "dyad.language"}

"""Every command and action has a description, and every example its --help shows runs as written
(from the project's root, with ../shared beside it, as in the README)."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest

from dyad.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]


def _parsers(parser: argparse.ArgumentParser, name: str = "dyad"):
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from _parsers(sub, f"{name} {sub_name}")


def _examples(parser: argparse.ArgumentParser) -> list[str]:
    return [line.strip() for line in (parser.epilog or "").splitlines()
            if line.strip().startswith("dyad ") or line.startswith("Example: dyad ")]


def test_every_command_and_action_has_a_description_and_an_example():
    missing = [name for name, p in _parsers(build_parser()) if not p.description]
    assert missing == []
    no_example = [name for name, p in _parsers(build_parser()) if not _examples(p)]
    assert no_example == []


@pytest.fixture()
def project(tmp_path, monkeypatch, shared):
    """A copy of the project's layout: samples/ and docs/ here, ../shared beside; $DYAD_* unset and
    the process-wide registry put back afterwards."""
    from dyad import registry

    here = tmp_path / "dyad"
    here.mkdir()
    for name in ("samples", "docs"):
        (here / name).symlink_to(ROOT / name)
    (tmp_path / "shared").symlink_to(shared.resolve())
    monkeypatch.chdir(here)
    for var in ("DYAD_DB", "DYAD_ACTORS"):
        monkeypatch.delenv(var, raising=False)
    from dyad import server

    served = []
    monkeypatch.setattr(server, "run", lambda app, **kw: served.append(kw))
    yield served
    registry.set_dictionaries([])  # also rebuilds the default registry on next use


def test_every_help_example_runs_as_written(project, capsys):
    examples = [re.sub(r"^Example: ", "", e) for _, p in _parsers(build_parser()) for e in _examples(p)]
    # extract first: the other examples read the store it writes
    examples.sort(key=lambda e: not e.startswith("dyad extract"))
    failed = []
    for example in examples:
        argv = shlex.split(example, comments=True)
        assert argv[0] == "dyad"
        status = main(argv[1:])
        out = capsys.readouterr()
        if status != 0:
            failed.append((example, status, out.err[-300:] or out.out[-300:]))
    assert failed == []
    assert project == [{"host": "127.0.0.1", "port": 8000, "header_timeout": 10.0,
                        "max_connections": 100}]  # serve started

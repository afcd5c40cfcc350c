"""Same input, same store: an article's coding depends only on the article and the dictionaries,
never on what the store already holds or which process coded it.  One run, the input split in two
runs, `--workers 2`, and runs killed with SIGKILL (at random points and inside a commit) then
restarted all give the same tables (compared as a canonical dump)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from test_resume import corpus

# when a row was written; where the input was read (file and line) and the digest that includes it
VOLATILE = {"extracted_at", "origin", "digest"}
SKIP_TABLES = {"problems", "meta"}  # run ids and timestamps

# people no dictionary knows, named with their country in the first article and without it in the
# last: a registry that learned them from the store would give them their country (and so other
# ids) in a resumed or split run only
FIRST = ("ABUJA, March 3 -- Nigerian Foreign Minister Adebayo Okonkwo met Ghanaian Foreign Minister "
         "Kwame Asante-Boateng in Abuja on Tuesday. Okonkwo said the two countries would deepen trade.")
LAST = ('On Monday, Mr. Adebayo Okonkwo held talks with Mr. Kwame Asante-Boateng. "The border talks have '
        'failed," Adebayo Okonkwo told reporters.')


def rows() -> list[dict]:
    return ([{"text": FIRST, "published": "2021-03-03", "source": "Wire A"}] + corpus(14)
            + [{"text": LAST, "published": "2021-03-09", "source": "Wire B"}])


def canonical(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows (volatile columns left out), sorted."""
    out = {}
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
        for table in tables:
            if table in SKIP_TABLES:
                continue
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table]).fetchall() if r[0] not in VOLATILE]
            select = ", ".join(f'"{c}"' for c in cols)
            out[table] = sorted(tuple(map(repr, r)) for r in con.execute(f'SELECT {select} FROM "{table}"').fetchall())
    return out


def _write(path: Path, items: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in items), encoding="utf-8")
    return path


def _cmd(jsonl: Path, db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "dyad", "extract", str(jsonl), "--db", str(db), "-o", os.devnull, "--force",
            "--batch-size", "4", "--progress", *extra]


def _extract(jsonl: Path, db: Path, *extra: str) -> None:
    done = subprocess.run(_cmd(jsonl, db, *extra), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("clean")
    db = tmp / "clean.duckdb"
    _extract(_write(tmp / "in.jsonl", rows()), db)
    dump = canonical(db)
    assert len(dump["articles"]) == 16 and dump["quotes"]
    return dump


def test_input_split_in_two_runs_gives_the_same_store(clean, tmp_path):
    items = rows()
    db = tmp_path / "split.duckdb"
    _extract(_write(tmp_path / "a.jsonl", items[:8]), db)
    _extract(_write(tmp_path / "b.jsonl", items[8:]), db)
    assert canonical(db) == clean


def test_two_workers_give_the_same_store(clean, tmp_path):
    db = tmp_path / "workers.duckdb"
    _extract(_write(tmp_path / "in.jsonl", rows()), db, "--workers", "2")
    assert canonical(db) == clean


# kill the writer inside its commit: after the batch's rows and dedup update, before COMMIT
_DIE_IN_COMMIT = """
import os, signal, sys
from dyad import dedup
update, calls = dedup.update, []
def dying(*args, **kwargs):
    update(*args, **kwargs)
    calls.append(1)
    if len(calls) == int(os.environ["DIE_AT"]):
        os.kill(os.getpid(), signal.SIGKILL)
dedup.update = dying
from dyad.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _kill_after(cmd: list[str], stored: int | None = None, delay: float | None = None) -> None:
    """Run cmd; SIGKILL it after `stored` commits or `delay` seconds (whichever is given)."""
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    if delay is not None:
        time.sleep(delay)
    else:
        seen = 0
        for line in proc.stderr:
            seen += line.startswith("dyad: stored")
            if seen >= stored:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def test_runs_killed_at_random_points_and_in_a_commit_resume_to_the_same_store(clean, tmp_path):
    rnd = random.Random(os.environ.get("DYAD_TEST_SEED", "12"))
    jsonl = _write(tmp_path / "in.jsonl", rows())
    db = tmp_path / "killed.duckdb"
    _kill_after(_cmd(jsonl, db), stored=rnd.randint(1, 2))  # between commits
    # inside a commit, while articles are still left to code (a run killed after a random delay
    # may have finished first on a fast machine, leaving this one nothing to commit)
    env = dict(os.environ, DIE_AT="1")
    proc = subprocess.run([sys.executable, "-c", _DIE_IN_COMMIT, *_cmd(jsonl, db)[3:]], env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    _kill_after(_cmd(jsonl, db), delay=rnd.uniform(3.0, 12.0))  # anywhere (loading, coding, writing)
    _extract(jsonl, db)
    assert canonical(db) == clean

"""Idempotent, resumable ingestion: `dyad extract` killed with SIGKILL and restarted loses nothing
and doubles nothing; re-running the same input adds nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from dyad.ingest import read_inputs
from dyad.pipeline import extract_many
from dyad.records import Article, text_id
from dyad.store import Store

PEOPLE = [("French", "Jean-Yves Le Drian"), ("German", "Heiko Maas"), ("Russian", "Sergey Lavrov"),
          ("Chinese", "Wang Yi"), ("Japanese", "Toshimitsu Motegi"), ("Indian", "Subrahmanyam Jaishankar"),
          ("Italian", "Luigi Di Maio"), ("Spanish", "Arancha Gonzalez Laya")]
CITIES = ["Paris", "Berlin", "Moscow", "Beijing", "Tokyo", "New Delhi", "Rome", "Madrid"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
TABLES = ("articles", "events", "evidence", "quotes", "actors")


def corpus(n: int = 40) -> list[dict]:
    """n short, distinct English articles (no ids: ids are content hashes)."""
    out = []
    for i in range(n):
        (da, a), (db, b) = PEOPLE[i % 8], PEOPLE[(i * 3 + 1) % 8]
        if a == b:
            (db, b) = PEOPLE[(i + 1) % 8]
        city, day = CITIES[(i * 5) % 8], DAYS[i % 5]
        text = (f"{city.upper()}, March {10 + i % 15} -- {da} Foreign Minister {a} met with his {db} "
                f"counterpart {b} in {city} on {day}, and the two sides agreed to deepen cooperation on "
                f"trade and public health (report {i}). {a} said the talks were constructive.")
        out.append({"text": text, "published": f"2021-03-{10 + i % 15:02d}", "source": f"Wire {i % 3}"})
    return out


def _counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        counts["distinct_articles"] = con.execute("SELECT count(DISTINCT id) FROM articles").fetchone()[0]
        counts["clusters"] = con.execute("SELECT count(*) FROM corpus_events").fetchone()[0]
        counts["mentions"] = con.execute("SELECT sum(num_mentions) FROM corpus_events").fetchone()[0]
    return counts


def _ids(out: Path) -> list[tuple]:
    """Article, event and quote ids of a JSONL output, in order."""
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return [(r["id"], [e["id"] for e in r["events"]], [q["id"] for q in r["quotes"]]) for r in recs]


def _cmd(jsonl: Path, db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "dyad", "extract", str(jsonl), "--db", str(db), "-o", os.devnull,
            "--force", "--batch-size", "4", "--progress", *extra]


def test_kill_9_and_restart_loses_and_doubles_nothing(tmp_path):
    rows = corpus(40)
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "killed.duckdb"

    proc = subprocess.Popen(_cmd(jsonl, db), stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    for line in proc.stderr:  # wait for the first committed batch, then kill -9
        if line.startswith("dyad: stored") or time.monotonic() > deadline:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    partial = _counts(db)["articles"]
    assert 4 <= partial < 40, "killed after the first batch and before the end"

    restart = subprocess.run(_cmd(jsonl, db), capture_output=True, text=True, timeout=180)
    assert restart.returncode == 0, restart.stderr
    resumed = _counts(db)

    clean_db = tmp_path / "clean.duckdb"
    articles = [a for a in read_inputs([jsonl]) if isinstance(a, Article)]
    with Store(clean_db) as store:
        store.add(a for a in extract_many(articles) if isinstance(a, Article))
    clean = _counts(clean_db)
    assert resumed == clean
    assert resumed["articles"] == resumed["distinct_articles"] == 40
    with duckdb.connect(str(db), read_only=True) as con:
        ids = {r[0] for r in con.execute("SELECT id FROM articles").fetchall()}
    assert ids == {text_id(r["text"]) for r in rows}, "article ids are content hashes"


def test_rerun_adds_nothing_and_reprocess_forces(tmp_path, capsys):
    from dyad.cli import main

    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in corpus(6)), encoding="utf-8")
    db, out = tmp_path / "d.duckdb", tmp_path / "out.jsonl"
    args = ["extract", str(jsonl), "--db", str(db), "-o", str(out), "--force", "--progress"]
    assert main(args) == 0
    first, first_out = _counts(db), _ids(out)
    capsys.readouterr()
    assert main(args) == 0
    assert "dyad: stored" not in capsys.readouterr().err, "nothing coded or written again"
    assert _counts(db) == first
    assert _ids(out) == first_out, "skipped articles are emitted from the store"
    assert main([*args, "--reprocess"]) == 0
    assert "stored 6 articles" in capsys.readouterr().err
    assert _counts(db) == first

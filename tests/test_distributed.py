"""`dyad extract --workers N` and `--scheduler tcp://…` give the same store as one process."""

from __future__ import annotations

import json

import duckdb
import pytest

from dyad.cli import main
from dyad.distributed import chunks, ordered
from test_resume import corpus

QUERY = "SELECT article_id, type, source_id, target_id, date, num_mentions, cluster_id FROM events ORDER BY id"


def _run(tmp_path, name: str, *extra: str) -> tuple[list, list]:
    jsonl = tmp_path / "in.jsonl"
    if not jsonl.exists():
        jsonl.write_text("".join(json.dumps(r) + "\n" for r in corpus(8)), encoding="utf-8")
    db, out = tmp_path / f"{name}.duckdb", tmp_path / f"{name}.jsonl"
    assert main(["extract", str(jsonl), "--db", str(db), "-o", str(out), "--batch-size", "2", "--quiet",
                 *extra]) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(QUERY).fetchall()
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    return rows, ids


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("single"), "single")


def test_ordered_keeps_input_order_with_a_bounded_window():
    submitted: list[int] = []

    class Done:
        def __init__(self, chunk):
            self.chunk = chunk

        def result(self):
            return [x * 10 for x in self.chunk]

    def submit(fn, chunk, size):
        submitted.append(len(chunk))
        return Done(chunk)

    def source():
        for i in range(10):
            assert len(submitted) <= i // 3 + 2, "never more than the window ahead"
            yield i

    assert list(ordered(source(), submit, 3, window=2)) == [i * 10 for i in range(10)]
    assert list(chunks(range(5), 2)) == [[0, 1], [2, 3], [4]]


def test_local_workers_match_one_process(single, tmp_path):
    rows, ids = _run(tmp_path, "workers", "--workers", "2")
    assert rows and (rows, ids) == single


def test_dask_local_cluster_matches_one_process(single, tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        rows, ids = _run(tmp_path, "dask", "--scheduler", cluster.scheduler_address)
    assert rows and (rows, ids) == single


def test_unreachable_scheduler_is_a_clear_error(tmp_path, capsys):
    import dask

    (tmp_path / "a.txt").write_text(corpus(1)[0]["text"], encoding="utf-8")
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        status = main(["extract", str(tmp_path / "a.txt"), "--no-db", "-o", str(tmp_path / "o.jsonl"),
                       "--scheduler", "tcp://127.0.0.1:9", "--quiet"])
    assert status == 3 and "scheduler" in capsys.readouterr().err  # not a usage error, not a crash

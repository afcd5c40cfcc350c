"""Issue 12 A, `dyad extract` and the store: nothing lost without a word, a clear message and a
status of its own for every way a run can end (0 ok, 1 problems, 2 usage, 3 store, 4 crash)."""

from __future__ import annotations

import json
import sqlite3

import duckdb
import pytest

from dyad.cli import main

_BUILT: list[bool] = []
EN = "French Foreign Minister Jean-Yves Le Drian met his German counterpart Heiko Maas in Paris on Thursday"


@pytest.fixture(autouse=True)
def registry_once(monkeypatch):
    """Each run builds the actor registry from 5 s of YAML; these tests are not about actors: the
    first run's registry serves the others."""
    from dyad.cli import extract as cli_extract

    real = cli_extract._use_registry

    def once(store, files):
        if files or not _BUILT:
            real(store, files)
            _BUILT.append(True)

    monkeypatch.setattr(cli_extract, "_use_registry", once)


def story(n: int) -> str:
    return f"{EN} (report {n})."


def rows(db, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_same_stems_are_all_stored_and_output_agrees(tmp_path, capsys):
    for n, folder in enumerate(["a", "b", "c/d"]):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / "story.txt").write_text(story(n), encoding="utf-8")
    db, out = tmp_path / "d.duckdb", tmp_path / "o.jsonl"
    assert main(["extract", str(tmp_path / "in"), "--db", str(db), "-o", str(out), "--quiet"]) == 0
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(ids) == ["a/story", "b/story", "c/d/story"]
    assert sorted(r[0] for r in rows(db, "SELECT id FROM articles")) == sorted(ids)


def test_same_stem_in_separate_runs_is_not_taken_for_a_resume(tmp_path):
    for n, folder in enumerate(["a", "b"]):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "index.txt").write_text(story(n), encoding="utf-8")
    db = tmp_path / "d.duckdb"
    for folder in ("a", "b", "a", "b"):  # the second pass resumes: nothing new
        assert main(["extract", str(tmp_path / folder / "index.txt"), "--db", str(db), "--quiet",
                     "-o", str(tmp_path / "o.jsonl"), "--force"]) == 0
    texts = sorted(r[0] for r in rows(db, "SELECT text FROM articles"))
    assert texts == [story(0), story(1)]


def test_a_jsonl_id_stored_for_another_text_is_a_problem(tmp_path, capsys):
    db = tmp_path / "d.duckdb"
    for n in range(2):
        (tmp_path / f"in{n}.jsonl").write_text(json.dumps({"id": "x", "text": story(n)}) + "\n", encoding="utf-8")
        status = main(["extract", str(tmp_path / f"in{n}.jsonl"), "--db", str(db), "--quiet",
                       "-o", str(tmp_path / "o.jsonl"), "--force"])
    assert status == 1 and "stored already, for another text" in capsys.readouterr().err
    assert rows(db, "SELECT text FROM articles") == [(story(0),)]
    assert len(rows(db, "SELECT * FROM problems")) == 1


def test_one_wrong_typed_field_does_not_sink_the_batch(tmp_path, capsys):
    lines = [json.dumps({"id": f"a{n}", "text": story(n)}) for n in range(10)]
    lines.insert(5, json.dumps({"id": "bad", "text": story(99), "title": ["not", "a", "string"]}))
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "d.duckdb"
    for _ in range(2):  # and a re-run does not die at the same place either
        assert main(["extract", str(path), "--db", str(db), "--batch-size", "3", "-o", str(tmp_path / "o.jsonl"),
                     "--force"]) == 1
        assert rows(db, "SELECT count(*) FROM articles") == [(10,)]
        assert rows(db, 'SELECT "where" FROM problems') == [(f"{path}:6",)]
    assert "'title' must be a string" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["mine.csv", "mine.json", "mine.jsonl"])
def test_a_data_file_as_db_is_refused(name, tmp_path, capsys):
    (tmp_path / "a.txt").write_text(story(1), encoding="utf-8")
    db = tmp_path / name
    db.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["extract", str(tmp_path / "a.txt"), "--db", str(db), "--quiet", "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "not a dyad store" in err and "stored in" not in err
    assert db.read_text(encoding="utf-8") == "a,b\n1,2\n"
    assert main(["extract", str(tmp_path / "a.txt"), "--db", str(tmp_path / ("new-" + name)), "--quiet"]) == 2
    assert not (tmp_path / ("new-" + name)).exists()


def test_another_applications_duckdb_file_is_never_altered(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(story(1), encoding="utf-8")
    db = tmp_path / "theirs.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE events (id INTEGER, what VARCHAR)")
        con.execute("INSERT INTO events VALUES (1, 'party')")
    before = db.read_bytes()
    assert main(["extract", str(tmp_path / "a.txt"), "--db", str(db), "--quiet", "-o", str(tmp_path / "o")]) == 2
    assert "DuckDB database but not a dyad store" in capsys.readouterr().err
    assert db.read_bytes() == before
    assert rows(db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'events'") == [(2,)]
    assert main(["events", "--db", str(db)]) != 0  # readers refuse it too


def test_a_sqlite_file_is_refused_without_loading_an_extension(tmp_path, capsys):
    db = tmp_path / "data.db"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE x (a)")
    (tmp_path / "a.txt").write_text(story(1), encoding="utf-8")
    assert main(["extract", str(tmp_path / "a.txt"), "--db", str(db), "--quiet", "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "SQLite" in err and "extension" not in err


def test_a_truncated_store_says_so(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(story(1), encoding="utf-8")
    db = tmp_path / "d.duckdb"
    assert main(["extract", str(tmp_path / "a.txt"), "--db", str(db), "--quiet", "-o", str(tmp_path / "o")]) == 0
    db.write_bytes(db.read_bytes()[:20_000])
    assert main(["extract", str(tmp_path / "a.txt"), "--db", str(db), "--quiet", "-o", str(tmp_path / "o"),
                 "--force"]) == 3
    err = capsys.readouterr().err
    assert "damaged" in err and "Traceback" not in err


def test_a_full_disk_names_the_cause(tmp_path, capsys, monkeypatch):
    from dyad import store as store_module

    (tmp_path / "a.txt").write_text(story(1), encoding="utf-8")
    real_insert = store_module.Store._insert

    def full(self, table, batch_rows, verb):
        if table == "events":
            raise duckdb.IOException('IO Error: Could not write file "d.duckdb.wal": No space left on device')
        return real_insert(self, table, batch_rows, verb)

    def cannot(self):
        raise duckdb.TransactionException("TransactionContext Error: cannot rollback - transaction is aborted")

    monkeypatch.setattr(store_module.Store, "_insert", full)
    monkeypatch.setattr(duckdb.DuckDBPyConnection, "rollback", cannot, raising=False)
    status = main(["extract", str(tmp_path / "a.txt"), "--db", str(tmp_path / "d.duckdb"), "--quiet",
                   "-o", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert status == 3, err
    assert "No space left on device" in err and "disk is full" in err and "Traceback" not in err


def test_problems_are_written_as_they_happen_once_per_input(tmp_path, capsys, monkeypatch):
    from dyad.cli import extract as cli_extract

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "0-empty.txt").write_text("", encoding="utf-8")
    (folder / "1-short.txt").write_text("Hi.", encoding="utf-8")
    for n in range(4):
        (folder / f"2-good{n}.txt").write_text(story(n), encoding="utf-8")
    db = tmp_path / "d.duckdb"
    args = ["extract", str(folder), "--db", str(db), "--quiet", "-o", str(tmp_path / "o"), "--force"]
    assert main(args) == 1
    assert main(args) == 1
    found = rows(db, 'SELECT "where", reason, run_id FROM problems ORDER BY 1')
    assert [w.rsplit("/", 1)[-1] for w, _, _ in found] == ["0-empty.txt", "1-short.txt"]
    assert all(run_id for _, _, run_id in found)
    # a crash after the first batch: the problems met so far are in the store
    db2 = tmp_path / "d2.duckdb"
    real_commit = cli_extract._commit

    def crash(store, batch, args, done):
        if done:
            raise RuntimeError("boom")
        return real_commit(store, batch, args, done)

    monkeypatch.setattr(cli_extract, "_commit", crash)
    capsys.readouterr()
    assert main(["extract", str(folder), "--db", str(db2), "--quiet", "--batch-size", "2", "-o", str(tmp_path / "o"),
                 "--force"]) == 4
    err = capsys.readouterr().err
    assert "internal error" in err and "boom" in err
    assert len(rows(db2, "SELECT * FROM problems")) == 2
    assert rows(db2, "SELECT count(*) FROM articles") == [(2,)]


@pytest.mark.parametrize("lang", ["en/../fr", "../../x", "de"])
def test_lang_option_is_checked(lang, tmp_path, capsys):
    (tmp_path / "a.txt").write_text(story(1), encoding="utf-8")
    assert main(["extract", str(tmp_path / "a.txt"), "--no-db", "--lang", lang]) == 2
    assert "no language pack" in capsys.readouterr().err


def test_stored_lang_comes_from_a_pack(tmp_path, capsys):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": story(1), "lang": "en/../fr"}) + "\n"
                    + json.dumps({"text": story(2), "lang": "EN"}) + "\n", encoding="utf-8")
    db = tmp_path / "d.duckdb"
    assert main(["extract", str(path), "--db", str(db), "--quiet", "-o", str(tmp_path / "o")]) == 1
    assert rows(db, "SELECT lang FROM articles") == [("en",)]

"""`dyad extract` end to end: inputs of every kind, bad ones reported, results in JSONL and DuckDB."""

from __future__ import annotations

import json

import duckdb
import pytest

from dyad.cli import main

EN = ("PARIS, March 12 (dyad) -- French Foreign Minister Jean-Yves Le Drian met with his German counterpart "
      "Heiko Maas in Paris on Thursday, and the two sides agreed to deepen cooperation.")
FR = "Le ministre chinois des Affaires étrangères Wang Yi a rencontré vendredi à Pékin son homologue russe Sergueï Lavrov."


@pytest.fixture()
def inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "en.txt").write_text(EN, encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\xff\xfe\x00\x00 binary")
    jsonl = tmp_path / "more.jsonl"
    jsonl.write_text(json.dumps({"id": "fr1", "text": FR, "published": "2021-03-13", "source": "Xinhua"}) + "\n"
                     + "{oops\n", encoding="utf-8")
    return folder, jsonl


def test_extract_writes_jsonl_and_store_and_reports_failures(inputs, tmp_path, capsys):
    folder, jsonl = inputs
    out, db = tmp_path / "out.jsonl", tmp_path / "d.duckdb"
    status = main(["extract", str(folder), str(jsonl), "-o", str(out), "--db", str(db)])
    assert status == 1  # some inputs failed
    err = capsys.readouterr().err
    assert "bad.txt" in err and "more.jsonl:2" in err and "2 inputs reported as problems" in err
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["en", "fr1"]
    fr = records[1]
    assert fr["lang"] == "fr" and fr["published"] == "2021-03-13"
    consult = next(e for e in fr["events"] if e["type"] == "CONSULT")
    assert consult["source"]["country"] == "CHN" and consult["target"]["country"] == "RUS"
    assert consult["date"] == "2021-03-12" and consult["place"]["name"] in {"Beijing", "Pékin"}
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from articles").fetchone()[0] == 2
        assert con.execute("select count(*) from events").fetchone()[0] == sum(len(r["events"]) for r in records)
        assert con.execute("select count(*) from problems").fetchone()[0] == 2


def test_rerun_is_idempotent(inputs, tmp_path):
    folder, jsonl = inputs
    db = tmp_path / "d.duckdb"
    counts = []
    for _ in range(2):
        main(["extract", str(folder), str(jsonl), "--db", str(db), "-o", str(tmp_path / "o.jsonl"), "--force",
              "--quiet"])
        with duckdb.connect(str(db), read_only=True) as con:
            counts.append([con.execute(f"select count(*) from {t}").fetchone()[0]
                           for t in ("articles", "events", "quotes", "evidence")])
    assert counts[0] == counts[1]


def test_output_is_not_overwritten_without_force(tmp_path, capsys):
    out = tmp_path / "o.jsonl"
    out.write_text("keep", encoding="utf-8")
    (tmp_path / "a.txt").write_text(EN, encoding="utf-8")
    assert main(["extract", str(tmp_path / "a.txt"), "-o", str(out), "--no-db"]) == 2  # a usage error
    assert "--force" in capsys.readouterr().err and out.read_text() == "keep"


def test_unknown_language_is_a_problem_not_a_crash(tmp_path, capsys):
    path = tmp_path / "de.jsonl"
    path.write_text(json.dumps({"id": "de", "lang": "de", "text": "Die Bundesregierung hat heute beschlossen."}) + "\n",
                    encoding="utf-8")
    assert main(["extract", str(path), "--no-db", "--quiet"]) == 1
    assert "no language pack for 'de'" in capsys.readouterr().err


@pytest.fixture()
def fresh_registry(monkeypatch):
    """--actors changes $DYAD_ACTORS and the process-wide registry: put both back afterwards."""
    from dyad import registry

    monkeypatch.delenv("DYAD_ACTORS", raising=False)
    yield
    registry.set_default(None)


def test_actor_dictionary_is_used_in_coding(tmp_path, capsys, fresh_registry):
    """A PETRARCH-style .actors file given with --actors gives an unknown name its country."""
    actors = tmp_path / "mine.actors"
    actors.write_text("# our dictionary\nZORBLAX_QUUX [NORGOV]\n+QUUX\n", encoding="utf-8")
    text = tmp_path / "a.txt"
    text.write_text("Zorblax Quux criticized Denmark on Friday over the fisheries dispute.", encoding="utf-8")
    assert main(["extract", str(text), "--no-db", "--quiet"]) == 0
    without = json.loads(capsys.readouterr().out)
    assert all(e["source"]["country"] != "NOR" for e in without["events"])
    assert main(["extract", str(text), "--no-db", "--quiet", "--actors", str(actors)]) == 0
    (event,) = json.loads(capsys.readouterr().out)["events"]
    assert (event["type"], event["source"]["country"], event["source"]["sector"], event["target"]["country"]) == (
        "ACCUSE", "NOR", "GOV", "DNK")


def test_missing_actor_dictionary_is_a_clear_error(tmp_path, capsys, fresh_registry):
    (tmp_path / "a.txt").write_text(EN, encoding="utf-8")
    assert main(["extract", str(tmp_path / "a.txt"), "--no-db", "--actors", str(tmp_path / "nope.yaml")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_output_folder_is_created(tmp_path):
    (tmp_path / "a.txt").write_text(EN, encoding="utf-8")
    out = tmp_path / "new" / "dir" / "o.jsonl"
    assert main(["extract", str(tmp_path / "a.txt"), "-o", str(out), "--no-db", "--quiet"]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["id"] == "a"

"""What a new user meets on a fresh clone: the README's session on its own data (`make run`:
samples/ and ../shared/gold/seeds.inputs.jsonl), languages dyad does not code, and input folders
as people keep them (PDFs, pictures, dyad's own output beside the articles)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from dyad.cli import build_parser, main
from dyad.records import Article, Problem

ROOT = Path(__file__).resolve().parents[1]
GERMAN = ("Bundeskanzler Olaf Scholz hat am Montag in Berlin den französischen Präsidenten Emmanuel Macron "
          "getroffen. Die beiden Politiker sprachen über die Lage in der Ukraine und über neue Sanktionen "
          "gegen Russland, teilte die Bundesregierung mit.")


@pytest.fixture(scope="module")
def readme_db(shared, tmp_path_factory):
    """`make run`'s store: samples/ and the seeds."""
    from dyad import registry

    db = tmp_path_factory.mktemp("readme") / "dyad.duckdb"
    try:
        assert main(["extract", str(ROOT / "samples"), str(shared / "gold" / "seeds.inputs.jsonl"),
                     "--db", str(db), "-o", str(db.with_suffix(".jsonl")), "--quiet"]) == 0
    finally:
        registry.set_default(None)
    return db


def _run(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


# ------------------------------------------------------------------------------ search by any form


def test_events_and_quotes_found_by_the_french_spelling(readme_db, capsys):
    """The French seed names him "Sergueï Lavrov" (then "M. Lavrov"); he is stored as Sergey Lavrov."""
    events = _run(capsys, "events", "--actor", "serguei", "--db", str(readme_db), "--json")
    assert events and all("Sergey Lavrov" in (json.loads(line)["source_name"], json.loads(line)["target_name"])
                          for line in events.splitlines())
    quotes = _run(capsys, "quotes", "--speaker", "serguei", "--db", str(readme_db), "--json")
    assert quotes and {json.loads(line)["speaker_name"] for line in quotes.splitlines()} == {"Sergey Lavrov"}
    # accents on either side: the query's or the alias's
    assert _run(capsys, "events", "--actor", "SERGUEÏ", "--db", str(readme_db), "--json") == events


def test_every_form_met_in_text_is_an_alias(readme_db, capsys):
    rows = [json.loads(line) for line in _run(capsys, "actors", "--name", "lavrov", "--db", str(readme_db),
                                              "--json").splitlines()]
    lavrov = next(r for r in rows if r["name"] == "Sergey Lavrov")
    assert {"Sergueï Lavrov", "M. Lavrov"} <= set(lavrov["aliases"])


def test_aliases_in_the_output_records(readme_db):
    records = [json.loads(line) for line in readme_db.with_suffix(".jsonl").read_text(encoding="utf-8").splitlines()]
    forms = {f for r in records for q in r["quotes"] if q["speaker"] and q["speaker"]["name"] == "Sergey Lavrov"
             for f in q["speaker"]["aliases"]}
    assert "Sergueï Lavrov" in forms
    assert not forms & {"il", "-il", "-t-il", "he"}  # pronouns are no names


# ------------------------------------------------------------------------------ tables


def test_events_table_says_how_many_match(readme_db, capsys):
    out = _run(capsys, "events", "--db", str(readme_db))
    total = len(_run(capsys, "events", "--db", str(readme_db), "--json", "--limit", "0").splitlines())
    assert total > 20
    assert out.rstrip().splitlines()[-1] == f"rows 1-20 of {total} events (--limit 0 shows all; --offset 20 the next)"
    assert "of " not in _run(capsys, "events", "--db", str(readme_db), "--limit", "0").splitlines()[-1]


def test_cells_are_cut_between_words_and_keep_the_country():
    from dyad.cli._output import Column, render_table

    rows = [{"who": "Subrahmanyam Jaishankar (IND)", "text": "Jaishankar said India and China should resolve "
                                                              "their border dispute through dialogue."}]
    table = render_table(rows, [Column("who", "who", max_width=24), Column("text", "text", wide=True)], width=70)
    line = table.splitlines()[2]
    assert "Subrahmanyam… (IND)" in line
    cut = line.split("(IND)")[1].strip()
    assert cut.endswith("…") and rows[0]["text"].startswith(cut[:-1]) and rows[0]["text"][len(cut) - 1] == " "


# ------------------------------------------------------------------------------ re-runs and input folders


def test_rerun_says_stored_articles_were_skipped(readme_db, shared, capsys):
    from dyad import registry

    try:
        assert main(["extract", str(ROOT / "samples"), str(shared / "gold" / "seeds.inputs.jsonl"),
                     "--db", str(readme_db), "--no-db"]) == 0
        first = capsys.readouterr().err
        assert main(["extract", str(ROOT / "samples"), str(shared / "gold" / "seeds.inputs.jsonl"),
                     "--db", str(readme_db)]) == 0
    finally:
        registry.set_default(None)
    err = capsys.readouterr().err
    assert "already in" not in first
    assert "4 articles, " in err and f"(4 already in {readme_db}: not coded again, --reprocess codes them again)" in err


def test_folder_with_other_files_and_own_output(tmp_path, capsys):
    from dyad import registry

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Chinese Foreign Minister Wang Yi met French President Emmanuel Macron in "
                                  "Paris on Friday.", encoding="utf-8")
    (folder / "page.html").write_text(
        "<html><head><title>Wang Yi in Paris</title></head><body><article><p>Chinese Foreign Minister Wang Yi "
        "met French President Emmanuel Macron in Paris on Friday, the two sides said in a statement.</p>"
        "<p>They discussed trade and climate change.</p></article></body></html>", encoding="utf-8")
    (folder / "report.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (folder / "scan.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    db = tmp_path / "d.duckdb"
    try:
        assert main(["extract", str(folder), "--db", str(db), "-o", str(folder / "out.jsonl")]) == 0
        first = capsys.readouterr().err
        assert "3 files that are not articles (2 .jpg, 1 .pdf)" in first
        # the output now sits in the input folder: a second run must not read it as articles
        assert main(["extract", str(folder), "--db", str(db), "-o", str(tmp_path / "again.jsonl")]) == 0
    finally:
        registry.set_default(None)
    err = capsys.readouterr().err
    assert f"skipped {folder / 'out.jsonl'}: dyad output" in err
    assert "2 articles" in err and "inputs failed" not in err
    from dyad.store import Store

    with Store(db, read_only=True) as store:
        titles = dict(store.con.execute("SELECT id, title FROM articles").fetchall())
    assert titles == {"a": None, "page": "Wang Yi in Paris"}


# ------------------------------------------------------------------------------ languages


def test_german_is_reported_not_coded_as_english():
    from dyad.pipeline import extract_many

    result = next(extract_many([Article(text=GERMAN, id="de1")]))
    assert isinstance(result, Problem)
    assert result.reason.startswith("unsupported language: detected as German (de); dyad codes English (en)")
    given = next(extract_many([Article(text=GERMAN, id="de2", lang="de")]))
    assert isinstance(given, Problem) and given.reason.startswith("unsupported language: no language pack for 'de' (German)")


def test_german_file_fails_with_its_reason(tmp_path, capsys):
    path = tmp_path / "berlin.txt"
    path.write_text(GERMAN, encoding="utf-8")
    assert main(["extract", str(path), "--no-db"]) == 1
    assert "unsupported language: detected as German (de)" in capsys.readouterr().err


def test_extract_many_takes_input_dicts(seed_inputs):
    from dyad.pipeline import extract_many

    item = next(i for i in seed_inputs if i.get("lang") == "fr")
    results = list(extract_many([dict(item), {"text": "x" * 3}, {"id": "no-text"}]))
    assert isinstance(results[0], Article) and results[0].id == item["id"] and results[0].events
    assert [type(r) for r in results[1:]] == [Problem, Problem]
    assert "missing 'text'" in results[2].reason and results[2].where == "article no-text"


def test_spanish_is_named_wherever_languages_are_listed():
    from dyad.language import language_name, supported_languages

    names = [language_name(c) for c in supported_languages()]
    assert names == ["English", "Spanish", "French"]
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    places = {
        "package description": meta["description"],
        "paste form": (ROOT / "src/dyad/web/index.html").read_text(encoding="utf-8"),
    }
    for name in names:
        for where, text in places.items():
            assert name in text, f"{where} does not name {name}"
    quotes = next(a for a in build_parser()._subparsers._group_actions[0].choices["quotes"]._actions
                  if "--lang" in a.option_strings)
    api = (ROOT / "docs/api.md").read_text(encoding="utf-8")
    for code in supported_languages():
        assert code in quotes.help and f"{code}" in api.split("POST `/api/extract`")[1].split("\n")[0]


def test_license_is_an_spdx_expression():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta["license"] == "MIT"

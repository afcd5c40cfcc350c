"""Issue 12 A, the readers: odd and broken inputs are Problems for themselves only, never a crash
or a hang, and no two articles of a run share an id."""

from __future__ import annotations

import io
import json
import os

import pytest

from dyad.ingest import read_inputs, read_stream
from dyad.records import Article, Problem

MAX_CHARS = 1_000_000  # spaCy's limit
TEXT = "Le ministre français des Affaires étrangères a rencontré son homologue allemand à Berlin."


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Problem)]


def test_same_stem_in_two_folders_gives_two_articles(tmp_path):
    for folder, extra in (("a", " Premier."), ("b", " Second.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(TEXT + extra, encoding="utf-8")
        (tmp_path / folder / "index.html").write_text(f"<html><body><article><p>{TEXT}{extra} {TEXT}</p>"
                                                      "</article></body></html>", encoding="utf-8")
    articles, problems = split(read_inputs([tmp_path]))
    assert sorted(a.id for a in articles) == ["a/index", "a/story", "b/index", "b/story"]
    assert not problems
    # named one by one on the command line: stems clash, the second gets a suffix from its text
    articles, problems = split(read_inputs([tmp_path / "a" / "story.txt", tmp_path / "b" / "story.txt"]))
    assert len(articles) == 2 and len({a.id for a in articles}) == 2 and not problems
    assert articles[0].id == "story" and articles[1].id.startswith("story~")


def test_a_jsonl_id_used_twice_is_a_problem(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(o) for o in [
        {"id": "x", "text": TEXT}, {"id": "x", "text": TEXT + " Autre."}, {"id": "x", "text": TEXT}]),
        encoding="utf-8")
    articles, problems = split(read_inputs([path]))
    assert [a.id for a in articles] == ["x"]
    assert [p.where.rsplit("/", 1)[-1] for p in problems] == ["in.jsonl:2", "in.jsonl:3"]
    assert "already used by" in problems[0].reason and "in.jsonl:1" in problems[0].reason
    assert "read once" in problems[1].reason


@pytest.mark.parametrize("field, value", [
    ("title", 5), ("url", ["http://x"]), ("source", {"name": "AFP"}), ("published", 20200101),
    ("id", True), ("id", 1.5), ("lang", 123), ("lang", True), ("lang", ["en"]), ("text", 7),
])
def test_a_wrong_typed_field_is_a_problem_for_its_line(field, value, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": TEXT, field: value}) + "\n" + json.dumps({"text": TEXT + " Bis."}) + "\n",
                    encoding="utf-8")
    articles, problems = split(read_inputs([path]))
    assert len(articles) == 1 and len(problems) == 1
    assert f"'{field}' must be a string" in problems[0].reason and problems[0].where.endswith(":1")


@pytest.mark.parametrize("lang", ["en/../fr", "../../../../elsewhere/evil", "/etc", "e n", ".."])
def test_lang_is_a_code_never_a_path(lang, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": TEXT, "lang": lang}) + "\n", encoding="utf-8")
    articles, problems = split(read_inputs([path]))
    assert not articles and "language code" in problems[0].reason


def test_the_language_pack_is_looked_up_by_code():
    from dyad.language import UnknownLanguage, pack

    for lang in ("en/../fr", "../../../../elsewhere/evil", "fr/", "./en"):
        with pytest.raises(UnknownLanguage):
            pack(lang)
    assert pack("en")


def test_lang_tags_are_reduced_to_their_language(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": TEXT, "lang": "FR-ca"}) + "\n", encoding="utf-8")
    (article,) = read_inputs([path])
    assert article.lang == "fr"


def test_stdin_jsonl_lines_may_hold_u2028():
    line = json.dumps({"text": TEXT.replace(" a rencontré", "\u2028a rencontré\u2029")}, ensure_ascii=False)
    for stream in (io.BytesIO((line + "\n" + line.replace("Berlin", "Paris") + "\n").encode()),
                   io.StringIO(line + "\n" + line.replace("Berlin", "Paris") + "\n")):
        articles, problems = split(read_stream(stream, "<stdin>"))
        assert len(articles) == 2 and not problems
        assert "\u2028" in articles[0].text


def test_stdin_bad_line_is_its_own_problem():
    data = json.dumps({"text": TEXT}).encode() + b"\n" + b'{"text": "caf\xe9"}\n' + json.dumps(
        {"text": TEXT + " Bis."}).encode() + b"\n"
    articles, problems = split(read_stream(io.BytesIO(data), "<stdin>"))
    assert len(articles) == 2 and [p.where for p in problems] == ["<stdin>:2"]


def test_long_text_is_a_problem_not_a_crash(tmp_path):
    (tmp_path / "long.txt").write_text("Un mot. " * (MAX_CHARS // 8 + 10), encoding="utf-8")
    (tmp_path / "long.jsonl").write_text(json.dumps({"text": "mot " * (MAX_CHARS // 4 + 10)}) + "\n",
                                         encoding="utf-8")
    articles, problems = split(read_inputs([tmp_path]))
    assert not articles and len(problems) == 2
    assert all("characters; the longest article coded is 1,000,000" in p.reason for p in problems)


def test_long_text_through_the_python_api_is_a_problem():
    from dyad.pipeline import extract_many

    (result,) = extract_many([Article(text="Un mot. " * (MAX_CHARS // 8 + 10), lang="fr")])
    assert isinstance(result, Problem) and "1,000,000" in result.reason


def test_odd_lang_through_the_python_api_is_a_problem():
    from dyad.pipeline import extract_many

    results = list(extract_many([Article(text=TEXT, lang=["en"]), Article(text=TEXT, lang="en/../fr")]))
    assert all(isinstance(r, Problem) for r in results)


@pytest.mark.parametrize("line, words", [
    ("[" * 1000, "nested too deeply"),
    ('{"a":' * 100_000, "nested too deeply"),
    ('{"text": "' + TEXT + '", "x": ' + "9" * 4301 + "}", "4300"),
    ('{"text": "' + TEXT + ' \\ud800"}', "lone surrogate"),
    ('{"text": "' + TEXT + '", "id": "a\\udfffb"}', "lone surrogate"),
    ('{"text": "' + TEXT + '", "title": "\\ud800"}', "lone surrogate"),
    ('{"text": "' + TEXT + ' \\u0000"}', "NUL"),
    ('{"text": "unterminated', "Unterminated string starting at column 10"),
])
def test_hostile_json_lines_are_problems(line, words, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(line + "\n" + json.dumps({"text": TEXT}) + "\n", encoding="utf-8")
    articles, problems = split(read_inputs([path]))
    assert len(articles) == 1 and len(problems) == 1
    assert words in problems[0].reason and "at at" not in problems[0].reason


def test_file_name_that_is_not_utf8(tmp_path):
    name = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    with open(name, "wb") as fh:
        fh.write(TEXT.encode())
    with open(os.path.join(os.fsencode(tmp_path), b"vide\xff.txt"), "wb"):
        pass
    articles, problems = split(read_inputs([tmp_path]))
    assert [a.id for a in articles] == ["caf\\xe9"]
    assert articles[0].origin.endswith("caf\\xe9.txt")
    assert problems[0].where.endswith("vide\\xff.txt")
    (articles[0].id + articles[0].origin + problems[0].where).encode("utf-8")  # printable, storable


def test_fifo_and_devices_are_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "pipe.jsonl")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "zero.jsonl").symlink_to("/dev/zero")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere")
    (tmp_path / "ok.txt").write_text(TEXT, encoding="utf-8")
    for inputs in ([tmp_path], sorted(p for p in tmp_path.iterdir())):  # a folder; each on the command line
        articles, problems = split(read_inputs(inputs))
        assert [a.id for a in articles] == ["ok"]
        reasons = {p.where.rsplit("/", 1)[-1]: p.reason for p in problems}
        assert "FIFO" in reasons["pipe.txt"] and "FIFO" in reasons["pipe.jsonl"]
        assert "character device" in reasons["zero.txt"] and "character device" in reasons["zero.jsonl"]
        assert "broken symbolic link" in reasons["gone.txt"]


def test_utf16_and_utf32_with_a_bom_are_read(tmp_path):
    (tmp_path / "le.txt").write_bytes(TEXT.encode("utf-16"))
    (tmp_path / "be.txt").write_bytes(b"\xfe\xff" + TEXT.encode("utf-16-be"))
    (tmp_path / "u32.txt").write_bytes(TEXT.encode("utf-32"))
    (tmp_path / "u16.jsonl").write_bytes((json.dumps({"text": TEXT}) + "\n").encode("utf-16"))
    (tmp_path / "nobom.txt").write_bytes(TEXT.encode("utf-16-le"))
    articles, problems = split(read_inputs([tmp_path]))
    assert len(articles) == 4 and all(a.text == TEXT for a in articles)
    assert len(problems) == 1 and "UTF-16LE text without a byte-order mark" in problems[0].reason
    assert "binary" not in problems[0].reason


def test_truncated_utf8_is_called_truncated(tmp_path):
    (tmp_path / "cut.txt").write_bytes((TEXT + " café").encode()[:-1])
    (tmp_path / "cut.jsonl").write_bytes(json.dumps({"text": TEXT}).encode() + b"\n" + "é".encode()[:1])
    articles, problems = split(read_inputs([tmp_path]))
    assert not articles and len(problems) == 2
    assert all("looks truncated" in p.reason and "latin1" not in p.reason for p in problems)


def test_empty_jsonl_is_reported(tmp_path):
    (tmp_path / "e.jsonl").write_text("\n\n", encoding="utf-8")
    articles, problems = split(read_inputs([tmp_path / "e.jsonl"]))
    assert not articles and "empty" in problems[0].reason


def test_text_file_size_limit(tmp_path, monkeypatch):
    from dyad import ingest

    monkeypatch.setattr(ingest, "MAX_BYTES", 1000)
    (tmp_path / "big.txt").write_text(TEXT * 20, encoding="utf-8")
    articles, problems = split(ingest.read_file(tmp_path / "big.txt"))
    assert not articles and "over 1,000 bytes" in problems[0].reason

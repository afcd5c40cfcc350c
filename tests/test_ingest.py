"""Readers: every input becomes an Article or a Problem that says where and why."""

from __future__ import annotations

import io
import json

from dyad.ingest import article_from_json, read_inputs, read_stream
from dyad.records import Article, Problem

TEXT = "Le ministre français des Affaires étrangères a rencontré son homologue allemand à Berlin."


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Problem)]


def test_txt_file_and_folder(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    sub = tmp_path / "more"
    sub.mkdir()
    (sub / "b.txt").write_text(TEXT + " Encore.", encoding="utf-8")
    articles, problems = split(read_inputs([tmp_path]))
    assert [a.id for a in articles] == ["a", "more/b"]  # the path under the folder: unique
    assert not problems
    assert articles[0].origin.endswith("a.txt")


def test_bad_files_are_reported_and_the_rest_is_read(tmp_path):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Le ministre a déclaré que la coopération continue.".encode("latin-1"))
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00" * 10)
    articles, problems = split(read_inputs([tmp_path, tmp_path / "missing.txt"]))
    assert [a.id for a in articles] == ["good"]
    reasons = {p.where.rsplit("/", 1)[-1]: p.reason for p in problems}
    assert "empty" in reasons["empty.txt"]
    assert "not UTF-8" in reasons["latin1.txt"] and "iconv" in reasons["latin1.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "no such file" in reasons["missing.txt"]


def test_jsonl_with_malformed_lines(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "x1", "text": TEXT, "lang": "fr", "published": "2021-04-15", "source": "AFP"}),
        "{not json",
        json.dumps({"id": "x2"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": TEXT, "published": "15/04/2021"}),
        "",
        json.dumps({"text": TEXT + " Deux."}),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    articles, problems = split(read_inputs([path]))
    assert [a.id for a in articles][0] == "x1"
    assert articles[0].published == "2021-04-15" and articles[0].source == "AFP"
    assert len(articles) == 2 and articles[1].id  # content-hash id
    where = [p.where.rsplit("/", 1)[-1] for p in problems]
    assert where == ["in.jsonl:2", "in.jsonl:3", "in.jsonl:4", "in.jsonl:5"]
    assert "malformed JSON" in problems[0].reason
    assert "missing 'text'" in problems[1].reason
    assert "ISO date" in problems[3].reason


def test_content_hash_id_is_stable_under_rewrapping():
    a = article_from_json({"text": "One two three four five six seven."}, "x")
    b = article_from_json({"text": "One two  three\nfour five six seven."}, "x")
    assert a.id == b.id


def test_stdin_text_and_jsonl():
    arts, probs = split(read_stream(io.StringIO(TEXT), "<stdin>"))
    assert len(arts) == 1 and not probs
    arts, probs = split(read_stream(io.StringIO(json.dumps({"text": TEXT}) + "\n{bad\n"), "<stdin>"))
    assert len(arts) == 1 and probs[0].where == "<stdin>:2"


def test_html_page(tmp_path):
    html = ("<html><head><title>t</title></head><body><nav>menu</nav><article><p>"
            + TEXT + " " + TEXT + "</p><p>" + TEXT + "</p></article></body></html>")
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    articles, problems = split(read_inputs([tmp_path / "page.html"]))
    assert not problems
    assert "homologue allemand" in articles[0].text and "menu" not in articles[0].text


def test_jsonl_is_read_line_by_line_and_checked_whole(tmp_path, monkeypatch):
    """A JSONL file is streamed (never read whole), and a file with a non-UTF-8 byte anywhere,
    even past the first block, gives one Problem and no article."""
    from pathlib import Path

    from dyad import ingest

    good = "".join(json.dumps({"text": f"{TEXT} ({n})"}) + "\n" for n in range(3))
    (tmp_path / "ok.jsonl").write_text("\ufeff" + good, encoding="utf-8")
    bad = good.encode() + b'{"text": "caf\xc3' + b'\xe9"}\n'
    (tmp_path / "bad.jsonl").write_bytes(bad)
    monkeypatch.setattr(Path, "read_bytes", lambda self: (_ for _ in ()).throw(AssertionError("read whole")))
    articles, problems = split(read_inputs([tmp_path / "ok.jsonl"]))
    assert len(articles) == 3 and not problems
    articles, problems = split(read_inputs([tmp_path / "bad.jsonl"]))
    assert not articles and len(problems) == 1
    where = f"byte 0xc3 at offset {len(good.encode()) + 13}"
    assert where in problems[0].reason
    assert where in ingest._check_utf8_file(tmp_path / "bad.jsonl", block=5).reason

"""Issue 12 A: broken and odd inputs mixed with good articles, as one folder and one by one.

A seeded generator writes at least 300 bad or odd inputs (empty, binary, UTF-16/32, bad and
truncated UTF-8, truncated JSON, deep nesting, huge integers, wrong-typed fields, duplicate ids,
same stems in different folders, U+2028, lone surrogates, non-UTF-8 file names, FIFOs, symlinks to
/dev/zero, long texts, odd langs…) and about 40 short good articles.  Both runs must end (an
alarm turns a hang into a failure), store every good article and report every bad input once, on
stderr and in `problems`.
"""

from __future__ import annotations

import json
import os
import random
import signal
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from dyad.cli import main
from dyad.ingest import show

SEED = 12
N_BAD = 300

COUNTRIES = [("French", "Paris", "Jean Martin"), ("German", "Berlin", "Hans Weber"),
             ("Chinese", "Beijing", "Wang Li"), ("Russian", "Moscow", "Ivan Petrov"),
             ("Spanish", "Madrid", "Ana Garcia"), ("Italian", "Rome", "Marco Rossi")]


@dataclass
class Case:
    path: Path  # one input: a file, or a FIFO, a link…
    kind: str
    good: int = 0  # articles it holds that must be stored
    bad: int = 0  # problems it must give


def good_text(rng: random.Random, n: int) -> str:
    (a, city, name), (b, _, other) = rng.sample(COUNTRIES, 2)
    return (f"{city.upper()}, March {1 + n % 27} -- {a} Foreign Minister {name} met his {b} counterpart "
            f"{other} in {city} on Monday (story {n}).")


class Corpus:
    def __init__(self, root: Path, seed: int = SEED):
        self.root = root
        self.rng = random.Random(seed)
        self.cases: list[Case] = []
        self.n_good = 0

    def text(self) -> str:
        self.n_good += 1
        return good_text(self.rng, self.n_good)

    def add(self, rel: str | bytes, data: bytes, kind: str, good: int = 0, bad: int = 0) -> Path:
        path = Path(os.fsdecode(os.path.join(os.fsencode(self.root), os.fsencode(rel))))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.cases.append(Case(path, kind, good, bad))
        return path

    def jsonl(self, rel: str, objs: list, kind: str, good: int = 0, bad: int = 0) -> Path:
        lines = [o if isinstance(o, str) else json.dumps(o) for o in objs]
        return self.add(rel, ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"), kind, good, bad)

    @property
    def bad(self) -> int:
        return sum(c.bad for c in self.cases)

    @property
    def good(self) -> int:
        return sum(c.good for c in self.cases)


def build(root: Path, seed: int = SEED) -> Corpus:
    c = Corpus(root, seed)
    rng = c.rng
    # good articles in every odd but valid form
    for n in range(12):
        c.add(f"good/plain{n}.txt", c.text().encode(), "good txt", good=1)
    c.add("good/bom8.txt", b"\xef\xbb\xbf" + c.text().encode(), "UTF-8 BOM", good=1)
    c.add("good/bom16le.txt", c.text().encode("utf-16"), "UTF-16 BOM", good=1)
    c.add("good/bom16be.txt", b"\xfe\xff" + c.text().encode("utf-16-be"), "UTF-16BE BOM", good=1)
    c.add("good/bom32.txt", c.text().encode("utf-32"), "UTF-32 BOM", good=1)
    c.add("good/crlf.jsonl", (json.dumps({"text": c.text()}) + "\r\n").encode(), "CRLF", good=1)
    c.jsonl("good/u2028.jsonl", [json.dumps({"text": c.text().replace(" met", "\u2028met")}, ensure_ascii=False)],
            "U+2028", good=1)
    c.jsonl("good/u2029.jsonl", [json.dumps({"text": c.text().replace(" in ", "\u2029in ")}, ensure_ascii=False)],
            "U+2029", good=1)
    c.jsonl("good/lang_upper.jsonl", [{"text": c.text(), "lang": "EN"}], "lang EN", good=1)
    c.jsonl("good/lang_tag.jsonl", [{"text": c.text(), "lang": "en-GB"}], "lang en-GB", good=1)
    c.jsonl("good/int_id.jsonl", [{"id": 42, "text": c.text()}], "int id", good=1)
    c.add(b"good/caf\xe9.txt", c.text().encode(), "non-UTF-8 name", good=1)
    c.add("good/page.html", f"<html><body><article><p>{c.text()}</p><p>{c.text()}</p></article></body></html>"
          .encode(), "html", good=1)
    # same stem in different folders, folders of index.html
    for n in range(3):
        c.add(f"stems/a{n}/story.txt", c.text().encode(), "same stem", good=1)
        c.add(f"stems/b{n}/story.txt", c.text().encode(), "same stem", good=1)
    # duplicate ids in one JSONL: the second line is the problem
    for n in range(4):
        c.jsonl(f"dup/ids{n}.jsonl", [{"id": f"dup{n}", "text": c.text()}, {"id": f"dup{n}", "text": c.text()}],
                "duplicate id", good=1, bad=1)
        t = c.text()
        c.jsonl(f"dup/same{n}.jsonl", [{"text": t}, {"text": t}], "duplicate line", good=1, bad=1)
    # FIFOs, devices, broken links
    for n, suffix in enumerate([".txt", ".jsonl", ".html", ".txt"]):
        fifo = root / f"special/fifo{n}{suffix}"
        fifo.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(fifo)
        c.cases.append(Case(fifo, "FIFO", bad=1))
        zero = root / f"special/zero{n}{suffix}"
        zero.symlink_to("/dev/zero")
        c.cases.append(Case(zero, "symlink to /dev/zero", bad=1))
        broken = root / f"special/broken{n}{suffix}"
        broken.symlink_to(root / "nowhere")
        c.cases.append(Case(broken, "broken link", bad=1))
    # long texts: over spaCy's limit (under the 5 MB file limit), and over the file limit
    c.add("long/long.txt", ((c.text() + "\n") * (1_000_001 // 100 + 100)).encode(), "long txt", bad=1)
    c.jsonl("long/long.jsonl", [{"text": "word " * 210_000}], "long JSONL text", bad=1)
    c.add("long/huge.txt", b"x" * 5_000_001, "over 5 MB", bad=1)
    c.add(b"long/caf\xe9-empty.txt", b"", "non-UTF-8 name, empty", bad=1)

    makers = [
        lambda n: c.add(f"empty/e{n}.txt", rng.choice([b"", b" \n\t ", b"\n\n"]), "empty", bad=1),
        lambda n: c.add(f"short/s{n}.txt", b"Hello.", "too short", bad=1),
        lambda n: c.add(f"binary/b{n}.txt", bytes(rng.randrange(256) for _ in range(200)) + b"\x00", "binary",
                        bad=1),
        lambda n: c.add(f"utf16/n{n}.txt", c.text().encode(rng.choice(["utf-16-le", "utf-16-be"])),
                        "UTF-16 without BOM", bad=1),
        lambda n: c.add(f"utf16/bad{n}.txt", b"\xff\xfe" + c.text().encode("utf-16-le") + b"\x00\xd8",
                        "bad UTF-16", bad=1),
        lambda n: c.add(f"latin1/l{n}.txt", ("Le ministre a déclaré " + c.text()).encode("latin-1", "replace"),
                        "latin1", bad=1),
        lambda n: c.add(f"trunc/t{n}.txt", (c.text() + " café").encode()[:-1], "truncated UTF-8", bad=1),
        lambda n: c.add(f"trunc/j{n}.jsonl", json.dumps({"text": c.text()}).encode()[:rng.randrange(1, 60)],
                        "truncated JSON", bad=1),
        lambda n: c.add(f"deep/d{n}.jsonl", (rng.choice(["[", '{"a":'])
                                             * rng.choice([1000, 5000, 100_000])).encode(),
                        "deep nesting", bad=1),
        lambda n: c.add(f"bigint/i{n}.jsonl", ('{{"text": "{}", "{}": {}}}'.format(
            c.text(), rng.choice(["id", "published", "x"]), "9" * rng.choice([4301, 10_000]))).encode(),
            "huge int", bad=1),
        lambda n: c.jsonl(f"types/t{n}.jsonl", [{"text": c.text(), rng.choice(
            ["title", "url", "source", "published", "id", "lang"]): rng.choice(
            [1.5, True, ["a"], {"k": 1}, [], 0.0])}], "wrong-typed field", bad=1),
        lambda n: c.jsonl(f"types/text{n}.jsonl", [{"text": rng.choice([7, None, ["t"], {"t": 1}, True])}],
                          "wrong-typed text", bad=1),
        lambda n: c.jsonl(f"lang/l{n}.jsonl", [{"text": c.text(), "lang": rng.choice(
            [123, True, ["en"], "en/../fr", "../../../../elsewhere/evil", "de", "xx", "e n", "fr\x00", "/etc"])}],
            "odd lang", bad=1),
        lambda n: c.jsonl(f"surrogate/s{n}.jsonl", ['{{"{}": "{}", "text": "{}"}}'.format(
            rng.choice(["id", "title", "source"]), "\\ud800x", c.text())], "lone surrogate", bad=1),
        lambda n: c.jsonl(f"surrogate/t{n}.jsonl", [f'{{"text": "{c.text()} \\udfff"}}'], "lone surrogate in text",
                          bad=1),
        lambda n: c.jsonl(f"notobj/o{n}.jsonl", [rng.choice(['"text"', "123", "null", "[1, 2]", "true"])],
                          "not an object", bad=1),
        lambda n: c.jsonl(f"missing/m{n}.jsonl", [{"title": c.text()}], "missing text", bad=1),
        lambda n: c.jsonl(f"date/d{n}.jsonl", [{"text": c.text(), "published": rng.choice(
            ["yesterday", "2020-13-45", "15/04/2021", ""])}], "bad date", bad=1),
        lambda n: c.jsonl(f"nul/n{n}.jsonl", [f'{{"text": "{c.text()} \\u0000"}}'], "NUL in text", bad=1),
        lambda n: c.add(f"html/h{n}.html", rng.choice([b"<html></html>", b"<p>", b"<<<>>>", b"<html><body>"
                                                       b"<nav>menu</nav></body></html>"]), "html without text",
                        bad=1),
        lambda n: c.add(f"empty/j{n}.jsonl", rng.choice([b"", b"\n\n", b"  \n"]), "empty JSONL", bad=1),
        lambda n: c.jsonl(f"garbage/g{n}.jsonl", [json.dumps({"text": c.text()}) + " trailing"], "trailing garbage",
                          bad=1),
    ]
    n = 0
    while c.bad < N_BAD:
        makers[n % len(makers)](n)
        n += 1
    return c


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    return build(tmp_path_factory.mktemp("fuzz") / "in")


@pytest.fixture()
def no_hang():
    """A hang fails the test instead of blocking the suite (not a timing assertion)."""
    def hung(signum, frame):
        raise TimeoutError("dyad extract hung on the fuzz corpus")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(600)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def test_the_generator_is_seeded_and_big_enough(tmp_path):
    a, b = build(tmp_path / "a"), build(tmp_path / "b")
    assert [(x.path.name, x.kind) for x in a.cases] == [(x.path.name, x.kind) for x in b.cases]
    assert a.bad >= 300 and a.good >= 30
    assert len({c.kind for c in a.cases}) >= 30


def _check(db: Path, err: str, corpus: Corpus) -> None:
    assert "Traceback" not in err and "internal error" not in err
    with duckdb.connect(str(db), read_only=True) as con:
        origins = [r[0] for r in con.execute("SELECT origin FROM articles").fetchall()]
        problems = [r[0] for r in con.execute('SELECT "where" FROM problems').fetchall()]
        run_ids = {r[0] for r in con.execute("SELECT run_id FROM problems").fetchall()}
    assert None not in run_ids
    reported = [line for line in err.splitlines() if line.startswith(("dyad: skipped ", "dyad: failed "))]
    assert len(reported) == corpus.bad
    assert len(problems) == corpus.bad
    assert len(origins) == corpus.good
    for case in corpus.cases:
        where = show(case.path)
        mine = [w for w in problems if w == where or w.startswith(where + ":")]
        assert len(mine) == case.bad, (case.kind, where, mine)
        stored = [o for o in origins if o == where or o.startswith(where + ":")]
        assert len(stored) == case.good, (case.kind, where)


def test_fuzz_corpus_as_one_folder(corpus, tmp_path, capsys, no_hang):
    db, out = tmp_path / "f.duckdb", tmp_path / "out.jsonl"
    status = main(["extract", str(corpus.root), "--db", str(db), "-o", str(out), "--batch-size", "8"])
    err = capsys.readouterr().err
    assert status == 1, err[-2000:]  # inputs reported as problems; not a crash (4) or store error (3)
    _check(db, err, corpus)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n") if line]
    assert len(records) == corpus.good == len({r["id"] for r in records})
    # a re-run stores nothing new and records each problem once still
    assert main(["extract", str(corpus.root), "--db", str(db), "-o", str(out), "--force", "--quiet"]) == 1
    _check(db, capsys.readouterr().err, corpus)


def test_fuzz_corpus_one_by_one(corpus, tmp_path, capsys, no_hang):
    """Each input on its own, as `dyad extract INPUT --db FILE` runs it (`extract_inputs` with its
    own problem log and run id), into one store kept open: one process, models loaded once."""
    from dyad.cli import build_parser
    from dyad.cli.extract import ProblemLog, extract_inputs
    from dyad.store import Store

    db = tmp_path / "o.duckdb"
    args = build_parser().parse_args(["extract", "-", "--db", str(db), "--batch-size", "8"])
    logs = []
    with Store(db) as store:
        for n, case in enumerate(corpus.cases):
            log = ProblemLog(store, f"run-{n}")
            results = list(extract_inputs([str(case.path)], args, store, log))
            log.flush()
            logs.append(log)
            assert len(results) == case.good and log.count == case.bad, case
    _check(db, capsys.readouterr().err, corpus)

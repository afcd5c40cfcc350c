"""The posting tables (postings.py) kept by incremental writes agree with a rebuild and with
brute-force queries over ``corpus_events`` and ``evidence``.

A few hundred hand-made articles (no spaCy) report overlapping stories, so that dedup merges their
events; they are written in several batches, some are then re-extracted with other events (clusters
split and merge) and some copied under other ids (near-duplicates).  After each step the posting
tables must equal :func:`postings.rebuild`'s, and every query read through them must equal the
same query read from ``corpus_events`` alone.
"""

from __future__ import annotations

import random
import unicodedata

import pytest

from dyad import corpus, postings
from dyad import query as Q
from dyad.ontology import TYPES
from dyad.query import EventFilter, QueryError
from dyad.records import Actor, Article, Event, Evidence
from dyad.store import Store

PEOPLE = [("Łukasz Kowalski", "POL"), ("Jonas Gahr Støre", "NOR"), ("Wang Yi", "CHN"), ("Sergey Lavrov", "RUS"),
          ("Emmanuel Macron", "FRA"), ("Þórdís Gylfadóttir", "ISL"), ("Đorđe Đukić", "SRB"),
          ("Anne Œuvray", "FRA"), ("Jürgen Straße", "DEU"), ("Ærø Mæhle", "DNK")]
STATES = [("China", "CHN"), ("France", "FRA"), ("Russia", "RUS"), ("United States", "USA"), ("Norway", "NOR"),
          ("Poland", "POL"), ("United Nations", "IGO")]
WORDS = ("talks border cooperation sanctions l'ONU accord 2021 the of a x de la el aid troops visit summit "
         "Brüssel São-Paulo co-operation 12 G7 visite coopération sanción").split()
TYPE_NAMES = ["CONSULT", "COOPERATE", "ACCUSE", "THREATEN", "ASSAULT", "AID", "AGREE", "PROTEST"]


def _actor(rng: random.Random) -> Actor | None:
    roll = rng.random()
    if roll < 0.08:
        return None
    if roll < 0.55:
        name, country = rng.choice(PEOPLE)
        return Actor(name=name, country=country, kind="person", mention=name)
    name, country = rng.choice(STATES)
    return Actor(name=name, country=country, kind="state", mention=name)


def _stories(rng: random.Random, n: int) -> list[tuple]:
    out = []
    for _ in range(n):
        t = rng.choice(TYPE_NAMES)
        day = None if rng.random() < 0.1 else f"2021-0{rng.randint(1, 3)}-{rng.randint(1, 28):02d}"
        out.append((t, _actor(rng), _actor(rng), day, rng.random() < 0.05))
    return out


def _article(rng: random.Random, k: int, stories: list[tuple], tag: str = "") -> Article:
    picked = rng.sample(stories, rng.randint(1, 4))
    sentences = []
    for _t, src, tgt, _, _ in picked:
        words = rng.sample(WORDS, 5)
        who = [a.name for a in (src, tgt) if a is not None]
        sentences.append(" ".join([*who[:1], *words[:3], *who[1:], *words[3:]]) + rng.choice([".", "!", " ;"]))
    text = f"Report {k}{tag}. " + " ".join(sentences)
    art = Article(text=text, id=f"art{k}{tag}", lang=rng.choice(["en", "fr", "es", None]),
                  published=f"2021-0{rng.randint(1, 3)}-{rng.randint(1, 28):02d}", source=f"outlet{rng.randint(1, 5)}")
    for (t, src, tgt, day, negated), sentence in zip(picked, sentences, strict=True):
        start = text.index(sentence)
        spec = TYPES[t]
        art.events.append(Event(type=t, source=src, target=tgt, quad=spec.quad, intensity=spec.intensity,
                                date=day, negated=negated, confidence=round(rng.uniform(0.3, 0.95), 3),
                                trigger=t.lower(), evidence=[Evidence(sentence, start, start + len(sentence))]))
    return art


def _postings(store: Store) -> dict[str, list[tuple]]:
    """Every row of the posting tables; those of mention_keys with their texts for their codes (which
    depend on the order of the writes)."""
    texts = ", ".join(f"(SELECT value FROM mention_values WHERE kind = '{postings.CODED[c]}' AND code = m.{c}) AS {c}"
                      if c in postings.CODED else c for c, _ in postings.MENTION_COLUMNS)
    return {t: sorted(store.con.execute(f"SELECT {texts} FROM mention_keys m" if t == "mention_keys" else
                                        f"SELECT * FROM {t}").fetchall(), key=repr) for t in postings.TABLES}


def _rebuilt(store: Store) -> dict[str, list[tuple]]:
    con = store.con
    con.begin()
    try:
        postings.rebuild(con)
        return _postings(store)
    finally:
        con.rollback()


FILTERS = [
    {}, {"country": "POL"}, {"country": "IGO"}, {"dyad": "CHN-FRA"}, {"dyad": "FRA-CHN", "directed": True},
    {"dyad": "NOR-NOR"}, {"actor": "lavrov"}, {"actor": "lukasz"}, {"actor": "store"}, {"actor": "zzz"},
    {"actor": "a"}, {"actor": "lavrov", "country": "RUS"}, {"actor": "wang", "dyad": "CHN-USA"},
    {"type": "ASSAULT"}, {"quad": "conflict", "min_confidence": 0.6}, {"since": "2021-02-01", "until": "2021-02-15"},
    {"lang": "fr"}, {"lang": "fr", "dyad": "CHN-FRA"}, {"type": "CONSULT,AGREE", "country": "FRA"},
    {"text": "border"}, {"text": "coop"}, {"text": "Lukasz"}, {"text": "store"}, {"text": "co-operation"},
    {"text": "talks border"}, {"text": "the"}, {"text": "2021"}, {"text": "l'onu"}, {"text": "x"},
    {"text": "sao paulo"}, {"text": "sao-paulo"}, {"text": "strasse"}, {"text": "oeuvray"}, {"text": "djukic"},
    {"text": "dukic"}, {"text": "thordis"}, {"text": "aero"}, {"text": "mæhle"}, {"text": "visite coop"},
    {"text": "border", "country": "CHN"}, {"text": "troops", "since": "2021-03-01"}, {"text": "summit", "type": "AID"},
    {"text": "nowhere to be found"}, {"text": "aid troops"}, {"text": "wang yi talks"}, {"text": "s sanctions"},
    {"text": "talks border", "country": "FRA"}, {"mentions": True}, {"mentions": True, "dyad": "CHN-FRA"},
    {"mentions": True, "dyad": "FRA-CHN", "directed": True}, {"mentions": True, "country": "IGO"},
    {"mentions": True, "actor": "lavrov"}, {"mentions": True, "actor": "a"}, {"mentions": True, "actor": "zzz"},
    {"mentions": True, "actor": "wang", "dyad": "CHN-USA"}, {"mentions": True, "lang": "fr", "country": "FRA"},
    {"mentions": True, "type": "CONSULT,AGREE", "since": "2021-02-01", "until": "2021-02-20"},
    {"mentions": True, "quad": "conflict", "min_confidence": 0.6}, {"mentions": True, "text": "border"},
    {"mentions": True, "since": "2021-02-01", "until": "2021-02-15"}, {"mentions": True, "country": "POL", "type": "AID"},
    {"mentions": True, "lang": "de"}, {"mentions": True, "lang": "es", "quad": "conflict"},
    {"mentions": True, "dyad": "FRA-ZZZ", "directed": True}, {"mentions": True, "dyad": "CHN-FRA", "directed": True},
    {"mentions": True, "actor": "a", "dyad": "CHN-FRA"}, {"mentions": True, "actor": "a", "dyad": "RUS-RUS"},
    {"mentions": True, "actor": "wang", "country": "FRA"}, {"mentions": True, "actor": "a", "country": "ZZZ"},
    {"mentions": True, "actor": "a", "type": "ASSAULT,AID", "min_confidence": 0.5}, {"mentions": True, "dyad": "NOR-NOR"},
    {"mentions": True, "dyad": "RUS-RUS"}, {"mentions": True, "dyad": "FRA-FRA", "directed": True},
    {"mentions": True, "article": "art3"}, {"article": "art3"}, {"article": "art3", "country": "FRA"},
]


def _check_queries(store: Store, monkeypatch) -> None:
    """Every filter: the same page (order included), total and weekly timeline through the posting
    tables as from corpus_events alone."""
    con = store.con
    results = {}
    for use_postings in (True, False):
        with monkeypatch.context() as m:
            if not use_postings:
                m.setattr(Q, "_has_postings", lambda con: False)
            out = []
            for kw in FILTERS:
                f = EventFilter(**kw)
                out.append((
                    [r["id"] for r in Q.events(con, f, limit=None)],
                    [r["id"] for r in Q.events(con, f, limit=7, offset=3, descending=False)],
                    Q.count_events(con, f),
                    Q.dyads(con, f, by="week"),
                ))
            results[use_postings] = out
    for kw, fast, slow in zip(FILTERS, results[True], results[False], strict=True):
        assert fast == slow, kw


def _walked(con, f: EventFilter, limit: int, descending: bool) -> list[str]:
    """The ids of every page of `f`, `limit` at a time, each page read after the last one's key."""
    walked, after = [], None
    while True:
        page = Q.events(con, f, limit=limit, after=after, descending=descending)
        walked += [r["id"] for r in page]
        after = Q.next_after(page, limit)
        if after is None:
            return walked


def _fold(text: str) -> str:
    """Python twin of postings.fold, for the brute-force text search."""
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    for a, b in (("ł", "l"), ("ø", "o"), ("đ", "d"), ("ð", "d"), ("ı", "i"), ("ß", "ss"), ("æ", "ae"), ("œ", "oe"),
                 ("þ", "th")):
        text = text.replace(a, b)
    return text


def _check_text(store: Store) -> None:
    """Text search through the word index = every corpus event with a sentence containing the needle."""
    con = store.con
    sentences = con.execute("SELECT x.cluster_id, v.text FROM evidence v JOIN events x ON x.id = v.event_id").fetchall()
    for kw in FILTERS:
        if set(kw) != {"text"}:
            continue
        needle = _fold(kw["text"])
        expected = {cid for cid, text in sentences if needle in _fold(text)}
        assert {r["id"] for r in Q.events(con, EventFilter(text=kw["text"]), limit=None)} == expected, kw
        assert Q.count_events(con, EventFilter(text=kw["text"])) == len(expected), kw


@pytest.fixture
def tight(monkeypatch):
    """Compact the ordered tables as soon as a few rows were appended."""
    monkeypatch.setattr(corpus, "COMPACT_MIN_ROWS", 20)
    monkeypatch.setattr(postings, "COMPACT_MIN_ROWS", 20)
    monkeypatch.setattr(postings, "COMPACT_FRACTION", 0.05)


def test_incremental_writes_keep_the_posting_tables_exact(tmp_path, monkeypatch, tight):
    rng = random.Random(11)
    stories = _stories(rng, 60)
    articles = [_article(rng, k, stories) for k in range(160)]
    with Store(tmp_path / "p.duckdb") as store:
        for start in range(0, 120, 30):  # four incremental extracts
            store.add(articles[start:start + 30])
            assert _postings(store) == _rebuilt(store)
        _check_queries(store, monkeypatch)
        _check_text(store)
        # re-extractions with other events (clusters split and merge), near-duplicate copies, new articles
        changed = [_article(random.Random(k), k, stories) for k in range(0, 40, 3)]
        copies = []
        for art in articles[:10]:
            copy = _article(random.Random(0), 0, stories)
            copy.text, copy.events, copy.id, copy.source = art.text, art.events, art.id + "-copy", "wire"
            copies.append(copy)
        store.add(changed + copies + articles[120:])
        store.add(articles[:5])  # re-run of unchanged articles: nothing changes
        assert _postings(store) == _rebuilt(store)
        _check_queries(store, monkeypatch)
        _check_text(store)
        vocab = store.con.execute("SELECT word, count(*) FROM corpus_words GROUP BY word ORDER BY word").fetchall()
        assert store.con.execute("SELECT * FROM corpus_vocab ORDER BY word").fetchall() == vocab
        assert postings.needs_compaction(store.con) == ()
        store.optimize()
        assert _postings(store) == _rebuilt(store)
        # a rebuild in slices of a few clusters gives the same rows, in the table's order
        before = sorted(store.con.execute("SELECT * FROM corpus_events").fetchall(), key=repr)
        monkeypatch.setattr(corpus, "REBUILD_SLICE", 7)
        store.rebuild_corpus()
        assert sorted(store.con.execute("SELECT * FROM corpus_events").fetchall(), key=repr) == before
        order = f"SELECT id FROM corpus_events ORDER BY {corpus.ORDER}"
        assert [r[0] for r in store.con.execute("SELECT id FROM corpus_events").fetchall()] == \
            [r[0] for r in store.con.execute(order).fetchall()]
        assert _postings(store) == _rebuilt(store)


def test_one_batch_or_many_give_the_same_posting_tables(tmp_path):
    rng = random.Random(5)
    stories = _stories(rng, 30)
    articles = [_article(rng, k, stories) for k in range(60)]
    with Store(tmp_path / "one.duckdb") as one, Store(tmp_path / "many.duckdb") as many:
        one.add(articles)
        for art in reversed(articles):
            many.add([art])
        assert _postings(one) == _postings(many)


def test_keyset_pages_walk_the_same_events_as_offset(tmp_path):
    rng = random.Random(3)
    stories = _stories(rng, 40)
    with Store(tmp_path / "k.duckdb") as store:
        store.add([_article(rng, k, stories) for k in range(80)])
        con = store.con
        for kw in ({}, {"country": "FRA"}, {"actor": "wang"}, {"text": "border"}, {"mentions": True},
                   {"mentions": True, "country": "FRA"}, {"mentions": True, "actor": "wang"}):
            f = EventFilter(**kw)
            for descending in (True, False):
                full = [r["id"] for r in Q.events(con, f, limit=None, descending=descending)]
                assert _walked(con, f, 6, descending) == full, (kw, descending)
        with pytest.raises(QueryError, match="after"):
            Q.events(con, EventFilter(), after="2021-01-01")
        with pytest.raises(QueryError, match="sort=date"):
            Q.events(con, EventFilter(), sort="type", after="2021-01-01,abc")


def test_search_folds_letters_without_a_decomposition(tmp_path):
    """ł ø ß æ œ đ þ have no accent to strip: "lukasz" finds Łukasz, "store" finds Støre."""
    rng = random.Random(8)
    with Store(tmp_path / "f.duckdb") as store:
        store.add([_article(rng, k, _stories(rng, 30)) for k in range(40)])
        con = store.con
        for needle, name in (("lukasz", "Łukasz Kowalski"), ("store", "Jonas Gahr Støre"),
                             ("strasse", "Jürgen Straße"), ("aero maehle", "Ærø Mæhle"), ("djordje", None),
                             ("dorde dukic", "Đorđe Đukić"), ("thordis", "Þórdís Gylfadóttir"),
                             ("oeuvray", "Anne Œuvray"), ("ŁUKASZ", "Łukasz Kowalski")):
            rows = Q.events(con, EventFilter(actor=needle), limit=None)
            if name is None:
                assert rows == [], needle
                continue
            assert rows and all(name in (r["source_name"], r["target_name"]) for r in rows), needle
            assert [a["name"] for a in Q.actors(con, name=needle)] == [name], needle
            assert Q.events(con, EventFilter(text=needle), limit=None), needle


def test_api_and_cli_page_with_after(tmp_path, capsys):
    import json

    from fastapi.testclient import TestClient

    from dyad.api import create_app
    from dyad.cli import main

    rng = random.Random(4)
    path = tmp_path / "a.duckdb"
    with Store(path) as store:
        store.add([_article(rng, k, _stories(rng, 30)) for k in range(50)])
        rows = Q.events(store.con, EventFilter(country="FRA"), limit=None)
    full = [r["id"] for r in rows]
    with TestClient(create_app(path)) as client:
        walked, after = [], None
        while True:
            page = client.get("/api/events", params={"country": "FRA", "limit": 4,
                                                     **({"after": after} if after else {})}).json()
            assert page["total"] == len(full) and page["after"] == after
            walked += [e["id"] for e in page["events"]]
            after = page["next"]
            if after is None:
                break
        assert walked == full
        assert client.get("/api/events", params={"after": "junk"}).status_code == 400
        assert client.get("/api/events", params={"sort": "type"}).json()["next"] is None
    first, day = rows[3]["id"], rows[3]["day"]
    assert main(["events", "--db", str(path), "--country", "FRA", "--after", f"{day},{first}", "--json",
                 "--limit", "0"]) == 0
    assert [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()] == full[4:]
    assert main(["events", "--db", str(path), "--country", "FRA", "--after", f"{day},{first}", "--limit", "2"]) == 0
    assert f"(--after {rows[5]['day']},{rows[5]['id']} the next)" in capsys.readouterr().out


def test_a_store_of_the_previous_layout_reads_without_the_posting_tables(tmp_path, monkeypatch):
    """A store made before the posting tables (no `num`, `members`, `corpus_keys`…) answers every
    query read-only, from corpus_events; opened for writing, it gets them."""
    from dyad.export import export, gdelt_rows

    rng = random.Random(9)
    path = tmp_path / "old.duckdb"
    with Store(path) as store:
        store.add([_article(rng, k, _stories(rng, 30)) for k in range(40)])
        con = store.con
        expected = {kw_key: _answers(con, kw) for kw_key, kw in enumerate(FILTERS)}
        some = Q.events(con, EventFilter(), limit=1)[0]["id"]
        detail = Q.event_detail(con, some)
        con.execute("DROP INDEX corpus_events_num")
        con.execute("ALTER TABLE corpus_events DROP COLUMN num")
        con.execute("ALTER TABLE corpus_events DROP COLUMN members")
        for t in postings.TABLES:
            con.execute(f"DROP TABLE {t}")
    with Store(path, read_only=True) as store:
        assert {k: _answers(store.con, kw) for k, kw in enumerate(FILTERS)} == expected
        assert Q.event_detail(store.con, some) == detail
        assert export(store.con, tmp_path / "e.csv", "csv")
        assert len(list(gdelt_rows(store.con))) > 0
    with Store(path) as store:
        assert {k: _answers(store.con, kw) for k, kw in enumerate(FILTERS)} == expected
        assert Q._has_postings(store.con)


def _answers(con, kw: dict) -> tuple:
    f = EventFilter(**kw)
    return [r["id"] for r in Q.events(con, f, limit=None)], Q.count_events(con, f)


SEVERAL_WORDS = ["talks border", "border talks", "aid troops", "troops aid", "visit summit", "summit visite",
                 "s sanctions", "ion sanc", "wang yi talks", "sergey lavrov", "lavrov border", "talks border coop",
                 "accord 2021", "de la", "of a", "coopération sanción", "x de", "nowhere talks"]


@pytest.mark.parametrize("check", [(1, 1), (4, 200)])
def test_text_search_of_several_common_words_is_a_substring_search(tmp_path, monkeypatch, check):
    """Pages (offset, after, both orders) and totals of needles of several common words equal a
    brute-force substring search, whether the page's first candidates suffice or not."""
    monkeypatch.setattr(Q, "FIRST_CHECK", check[0])
    monkeypatch.setattr(Q, "MIN_CHECK", check[1])
    rng = random.Random(17)
    stories = _stories(rng, 40)
    with Store(tmp_path / "t.duckdb") as store:
        store.add([_article(rng, k, stories) for k in range(150)])
        con = store.con
        sentences = con.execute("SELECT x.cluster_id, v.text FROM evidence v JOIN events x ON x.id = v.event_id"
                                ).fetchall()
        days = dict(con.execute("SELECT id, day FROM corpus_events").fetchall())
        for needle in SEVERAL_WORDS:
            folded = _fold(needle)
            found = {cid for cid, text in sentences if folded in _fold(text)}
            for descending in (True, False):
                dated = sorted((days[c], c) for c in found if days[c] is not None)
                if descending:
                    dated = sorted(dated, key=lambda r: (-r[0].toordinal(), r[1]))
                expected = [c for _, c in dated] + sorted(c for c in found if days[c] is None)
                f = EventFilter(text=needle)
                assert [r["id"] for r in Q.events(con, f, limit=None, descending=descending)] == expected, needle
                for limit, offset in ((5, 0), (3, 4), (50, 0)):
                    got = Q.page(con, f, limit=limit, offset=offset, descending=descending)
                    assert [r["id"] for r in got["events"]] == expected[offset:offset + limit], (needle, limit, offset)
                    assert got["total"] == len(found), needle
                assert _walked(con, f, 4, descending) == expected, needle
            assert Q.count_events(con, EventFilter(text=needle)) == len(found), needle
            assert Q.count_events(con, EventFilter(text=needle, since="2021-02-01")) == \
                sum(1 for c in found if days[c] is not None and str(days[c]) >= "2021-02-01"), needle


def test_article_level_pages_read_the_mention_rows_and_equal_brute_force(tmp_path, monkeypatch):
    """``--mentions`` pages and totals through ``mention_keys`` equal a brute-force query over
    ``events`` and ``articles`` (rows, order, totals), after writes that split and merge clusters;
    a store written without dedup reads ``events`` again."""
    rng = random.Random(23)
    stories = _stories(rng, 40)
    articles = [_article(rng, k, stories) for k in range(100)]
    with Store(tmp_path / "m.duckdb") as store:
        store.add(articles[:60])
        store.add([_article(random.Random(k), k, stories) for k in range(0, 30, 4)] + articles[60:])
        con = store.con
        rows = con.execute("""SELECT e.id, coalesce(e.date, TRY_CAST(left(a.published, 10) AS DATE)) AS day,
                                     e.source_country, e.target_country, e.source_id, e.target_id, e.type, a.lang
                                FROM events e JOIN articles a ON a.id = e.article_id""").fetchall()
        lavrov = set(Q._actor_ids(con, "lavrov"))
        cases = {
            "dyad": ({"dyad": "CHN-FRA"}, lambda r: {r[2], r[3]} == {"CHN", "FRA"}),
            "country": ({"country": "RUS"}, lambda r: "RUS" in (r[2], r[3])),
            "actor": ({"actor": "lavrov"}, lambda r: r[4] in lavrov or r[5] in lavrov),
            "lang": ({"lang": "fr", "type": "CONSULT"}, lambda r: r[7] == "fr" and r[6] == "CONSULT"),
            "all": ({}, lambda r: True),
        }
        planned = []
        monkeypatch.setattr(Q, "_mention_rows", _spy(Q._mention_rows, planned))
        for name, (kw, keep) in cases.items():
            found = [r for r in rows if keep(r)]
            expected = [r[0] for r in sorted((r for r in found if r[1] is not None),
                                             key=lambda r: (-r[1].toordinal(), r[0]))] + \
                sorted(r[0] for r in found if r[1] is None)
            f = EventFilter(mentions=True, **kw)
            got = Q.page(con, f, limit=9, offset=2)
            assert [r["id"] for r in got["events"]] == expected[2:11], name
            assert got["total"] == len(expected), name
            assert [r["id"] for r in Q.events(con, f, limit=None)] == expected, name
            assert planned[-1] is not None, name  # the page came from mention_keys (its ids)
        # events written without dedup: mention_keys no longer holds them, queries read events
        with Store(tmp_path / "m.duckdb", dedup=False) as plain:
            plain.add([_article(rng, 500, stories)])
            assert not Q._has_mention_postings(plain.con)
            total = plain.con.execute("SELECT count(*) FROM events").fetchone()[0]
            assert Q.count_events(plain.con, EventFilter(mentions=True)) == total
            plain.rebuild_corpus()  # the new events have no cluster: still read from events
            assert not Q._has_mention_postings(plain.con)
            assert Q.count_events(plain.con, EventFilter(mentions=True)) == total


def _spy(fn, calls):
    def wrapped(con, where, params, order, direction, limit, offset, ids=None):
        calls.append(ids)
        return fn(con, where, params, order, direction, limit, offset, ids)
    return wrapped


def _mention_ids(con) -> list[tuple]:
    """(key, day, event id) of every mention row, the number read back as an id."""
    return sorted((k, d, postings.event_id(n)) for k, d, n in con.execute("SELECT key, day, num FROM mention_keys").fetchall())


def test_mention_rows_hold_each_event_id_as_a_number_in_its_order(tmp_path):
    """``mention_keys.num`` is the event's id read as hex: every event once under ``*``, the id given
    back, and the numbers in the order of the ids (a page ordered by (day, num) is ordered by (day, id))."""
    rng = random.Random(29)
    stories = _stories(rng, 30)
    with Store(tmp_path / "n.duckdb") as store:
        store.add([_article(rng, k, stories) for k in range(50)])
        con = store.con
        ids = sorted(r[0] for r in con.execute("SELECT id FROM events").fetchall())
        star = con.execute("SELECT num FROM mention_keys WHERE key = hash('*')").fetchall()
        assert sorted(postings.event_id(r[0]) for r in star) == ids
        assert [postings.event_id(n) for n in sorted(r[0] for r in star)] == ids


def test_events_of_another_id_form_are_read_from_events(tmp_path, monkeypatch):
    """An event whose id is not 16 hex digits (written by hand into ``events``) cannot have mention
    rows: the refresh and the rebuild mark ``mention_keys`` stale and ``--mentions`` queries, cursors
    of another id form too, give what ``events`` gives."""
    rng = random.Random(31)
    stories = _stories(rng, 30)
    with Store(tmp_path / "o.duckdb") as store:
        store.add([_article(rng, k, stories) for k in range(40)])
        con = store.con
        assert Q._has_mention_postings(con)
        some = con.execute("SELECT id FROM events ORDER BY id LIMIT 1").fetchone()[0]
        # a cursor whose id is not hex: the page after it in text order, from events
        day = con.execute(f"SELECT {Q.DAY_SQL} FROM events e JOIN articles a ON a.id = e.article_id "
                          "WHERE e.id = ?", [some]).fetchone()[0]
        for ident in ("Zz", "0", some.upper(), some[:-1] + "g"):
            after = f"{day},{ident}"
            fast = [r["id"] for r in Q.events(con, EventFilter(mentions=True), limit=None, after=after)]
            with monkeypatch.context() as m:
                m.setattr(Q, "_has_mention_postings", lambda con: False)
                slow = [r["id"] for r in Q.events(con, EventFilter(mentions=True), limit=None, after=after)]
            assert fast == slow, ident
        con.execute("""INSERT INTO events SELECT * REPLACE ('hand-made-1' AS id, 'hand-made-1' AS cluster_id)
                       FROM events WHERE id = ?""", [some])
        con.execute("""INSERT INTO evidence SELECT * REPLACE ('hand-made-1' AS event_id) FROM evidence
                       WHERE event_id = ?""", [some])
        store.refresh_corpus(["hand-made-1"])
        assert not Q._has_mention_postings(con)
        total = con.execute("SELECT count(*) FROM events").fetchone()[0]
        assert Q.count_events(con, EventFilter(mentions=True)) == total
        assert "hand-made-1" in {r["id"] for r in Q.events(con, EventFilter(mentions=True), limit=None)}
        store.rebuild_corpus()
        assert not Q._has_mention_postings(con)
        assert Q.count_events(con, EventFilter(mentions=True)) == total
        con.execute("DELETE FROM evidence WHERE event_id = 'hand-made-1'")
        con.execute("DELETE FROM events WHERE id = 'hand-made-1'")
        store.rebuild_corpus()
        assert Q._has_mention_postings(con)


def test_a_store_with_the_previous_mention_keys_gets_the_new_one(tmp_path):
    """``mention_keys`` of the first layout (the id as text and the cluster's number) is dropped and
    refilled when the store is opened for writing."""
    rng = random.Random(37)
    path = tmp_path / "p.duckdb"
    with Store(path) as store:
        store.add([_article(rng, k, _stories(rng, 30)) for k in range(30)])
        rows = _mention_ids(store.con)
        expected = _answers(store.con, {"mentions": True, "country": "FRA"})
        store.con.execute("DROP TABLE mention_keys")
        store.con.execute("""CREATE TABLE mention_keys (key UBIGINT, day DATE, id VARCHAR, cnum UBIGINT,
                             source_country VARCHAR, target_country VARCHAR, type VARCHAR, quad VARCHAR,
                             confidence DOUBLE, lang VARCHAR)""")
    with Store(path, read_only=True) as store:  # read-only: from events
        assert not Q._has_mention_postings(store.con)
        assert _answers(store.con, {"mentions": True, "country": "FRA"}) == expected
    with Store(path) as store:
        assert _mention_ids(store.con) == rows
        assert _answers(store.con, {"mentions": True, "country": "FRA"}) == expected
        assert Q._has_mention_postings(store.con)

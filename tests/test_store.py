"""The DuckDB store: round trips, idempotent upserts, re-extraction, schema, problems."""

from __future__ import annotations

import dataclasses

import pytest

from conftest_store import lavrov_article, make_articles, wang_article
from dyad.records import Article, Event, Problem, Quote, stable_id
from dyad.store import TABLES, Store, StoreError, StoreNotFound


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "t.duckdb") as s:
        yield s


def test_round_trip_rebuilds_each_article(store):
    originals = make_articles()
    result = store.add(originals)
    assert (result.articles_new, result.articles_seen, result.events, result.quotes) == (3, 0, 7, 3)
    for fresh in make_articles():
        got = store.get_article(fresh.id)
        assert got is not None
        expected = next(a for a in originals if a.id == fresh.id)
        assert got.to_dict(with_text=True) == expected.to_dict(with_text=True)
        assert (got.title, got.origin) == (expected.title, expected.origin)


def test_event_ids_are_stable_hashes_of_article_and_key(store):
    art = wang_article()
    store.add([art])
    ev = art.events[0]
    assert ev.id == stable_id(art.id, *ev.key())
    row = store.con.execute(
        "SELECT type, mode, source_name, source_country, target_name, target_country, date, place_name, "
        "place_lat FROM events WHERE id = ?", [ev.id]).fetchone()
    assert row[:6] == ("CONSULT", "visit", "Wang Yi", "CHN", "Emmanuel Macron", "FRA")
    assert row[6].isoformat() == "2020-08-28" and row[7] == "Paris" and row[8] == pytest.approx(48.8566)


def test_evidence_offsets_point_into_the_article_text(store):
    store.add(make_articles())
    rows = store.con.execute(
        'SELECT a.text, v.text, v.start, v."end" FROM evidence v JOIN articles a ON a.id = v.article_id'
    ).fetchall()
    assert len(rows) == 7
    for text, ev_text, start, end in rows:
        assert text[start:end] == ev_text


def test_adding_twice_changes_nothing(store):
    store.add(make_articles())
    before = store.counts()
    snapshot = store.con.execute("SELECT id, extracted_at FROM articles ORDER BY id").fetchall()
    actors = store.con.execute("SELECT * FROM actors ORDER BY id").fetchall()
    again = store.add(make_articles())
    assert (again.articles_new, again.articles_seen, again.articles_updated, again.events) == (0, 3, 0, 0)
    assert store.counts() == before
    assert store.con.execute("SELECT id, extracted_at FROM articles ORDER BY id").fetchall() == snapshot
    assert store.con.execute("SELECT * FROM actors ORDER BY id").fetchall() == actors


def test_reextraction_replaces_events_instead_of_duplicating(store):
    store.add(make_articles())
    newer = wang_article()
    newer.events = newer.events[:1]  # a newer coder keeps only the visit...
    newer.events[0].confidence = 0.95
    newer.quotes = []
    result = store.add([newer])
    assert (result.articles_seen, result.articles_updated, result.events) == (1, 1, 1)
    got = store.get_article(newer.id)
    assert [e.type for e in got.events] == ["CONSULT"] and got.events[0].confidence == 0.95
    assert got.quotes == []
    n = store.con.execute("SELECT count(*) FROM events WHERE article_id = ?", [newer.id]).fetchone()[0]
    assert n == 1
    assert store.counts()["evidence"] == 5 and store.counts()["quotes"] == 2
    # France is no longer an AGREE target here, but remains the REJECT target in Le Drian's article
    n_fra = store.con.execute("SELECT n_mentions FROM actors WHERE name = 'France'").fetchone()[0]
    assert n_fra == 1


def test_actor_registry_counts_and_aliases(store):
    store.add(make_articles())
    name, country, sector, kind, title, first, last, n = store.con.execute(
        "SELECT name, country, sector, kind, title, first_seen, last_seen, n_mentions FROM actors "
        "WHERE name = 'Sergey Lavrov'").fetchone()
    assert (name, country, sector, kind, n) == ("Sergey Lavrov", "RUS", "GOV", "person", 3)  # 2 events + 1 quote
    assert first.isoformat() == "2020-03-27" and last.isoformat() == "2020-03-28"
    aliases = {r[0] for r in store.con.execute(
        "SELECT alias FROM actor_aliases JOIN actors ON actors.id = actor_id WHERE name = 'Sergey Lavrov' "
        "AND lang = 'fr'").fetchall()}
    assert aliases == {"Sergey Lavrov", "Sergueï Lavrov", "M. Lavrov"}
    china = store.con.execute("SELECT n_mentions FROM actors WHERE name = 'China'").fetchone()[0]
    assert china == 4


def test_registry_keeps_curated_fields(store):
    store.add([wang_article()])
    store.con.execute("UPDATE actors SET sector = 'DIP' WHERE name = 'Wang Yi'")
    changed = wang_article()
    changed.events[0].confidence = 0.1  # force a re-extraction
    store.add([changed])
    assert store.con.execute("SELECT sector FROM actors WHERE name = 'Wang Yi'").fetchone()[0] == "DIP"


def test_duplicate_event_keys_are_merged(store):
    art = wang_article()
    dup = dataclasses.replace(art.events[0], evidence=list(art.events[1].evidence))
    art.events.append(dup)
    result = store.add([art])
    assert result.events == 3
    got = store.get_article(art.id)
    assert len(got.events[0].evidence) == 2


def test_same_article_twice_in_one_batch(store):
    first, second = wang_article(), wang_article()
    second.events = second.events[:1]
    result = store.add([first, second])
    assert (result.articles_new, result.events) == (1, 1)


def test_articles_seen(store):
    store.add([lavrov_article()])
    assert store.articles_seen(["tass-fr-2020-03-28-lavrov", "nope"]) == {"tass-fr-2020-03-28-lavrov"}
    assert store.articles_seen([]) == set()


def test_article_without_events_and_generator_input(store):
    bare = Article(text="Nothing happened today.", lang="en")
    result = store.add(a for a in [bare])
    assert result.articles_new == 1 and result.events == 0
    assert store.get_article(bare.id).text == "Nothing happened today."
    assert store.get_article("missing") is None


def test_unresolved_actors_dates_and_places(store):
    art = Article(text="Protesters marched.", lang="en")
    art.events = [Event(type="PROTEST", source=None, target=None, date=None, quad="material-conflict")]
    art.quotes = [Quote(speaker=None, text="marched", direct=False, cue="", start=11, end=18)]
    store.add([art])
    got = store.get_article(art.id)
    assert got.events[0].source is None and got.events[0].date is None and got.events[0].place is None
    assert got.quotes[0].speaker is None


def test_problems_are_recorded(store):
    store.add_problems([Problem(where="in.jsonl:3", reason="not JSON"), Problem(where="x.html", reason="empty")],
                       run_id="run-1")
    rows = store.con.execute('SELECT "where", reason, run_id FROM problems ORDER BY "where"').fetchall()
    assert rows == [("in.jsonl:3", "not JSON", "run-1"), ("x.html", "empty", "run-1")]
    store.add_problems([])


def test_schema_covers_the_record_fields():
    """Every scalar field of the records has a column (nested ones are flattened)."""
    cols = {t: {c for c, _, _ in spec} for t, spec in TABLES.items()}
    for f in dataclasses.fields(Article):
        if f.name not in ("events", "quotes"):
            assert f.name in cols["articles"]
    for f in dataclasses.fields(Event):
        if f.name in ("source", "target", "place", "cues"):
            continue  # nested, or (cues) the learned layer's working notes, never stored
        assert f.name in cols["events"] or f.name == "evidence"
    for prefix in ("source", "target"):
        assert {f"{prefix}_id", f"{prefix}_name", f"{prefix}_country", f"{prefix}_mention"} <= cols["events"]
    assert {"place_name", "place_country", "place_lat", "place_lon", "place_kind"} <= cols["events"]
    assert {"speaker_id", "text", "direct", "cue", "start", "end"} <= cols["quotes"]


def test_read_only(tmp_path):
    path = tmp_path / "ro.duckdb"
    with pytest.raises(StoreNotFound, match="dyad extract"):
        Store(path, read_only=True)
    with Store(path) as s:
        s.add([wang_article()])
    with Store(path, read_only=True) as ro:
        assert ro.counts()["events"] == 3
        with pytest.raises(StoreError, match="read-only"):
            ro.add([lavrov_article()])


def test_reopen_keeps_data(tmp_path):
    path = tmp_path / "re.duckdb"
    with Store(path) as s:
        s.add(make_articles())
    with Store(path) as s:
        assert s.counts()["articles"] == 3
        assert s.add(make_articles()).articles_seen == 3


def test_in_memory_store():
    with Store(":memory:") as s:
        s.add(make_articles())
        assert s.counts()["quotes"] == 3


def test_date_inferred_round_trips(store):
    art = wang_article()
    if not hasattr(art.events[1], "date_inferred"):
        pytest.skip("records.Event has no date_inferred field")
    art.events[1].date_inferred = True
    store.add([art])
    got = store.get_article(art.id)
    assert [e.date_inferred for e in got.events] == [False, True, False]


def test_memory_limit_grows_when_a_batch_needs_more(tmp_path):
    """A writer with a capped buffer pool writes what an uncapped one does: a batch that runs out
    of memory is rolled back and runs again with twice the limit."""
    from test_dedup import _clusters, _corpus

    with Store(tmp_path / "free.duckdb") as free:
        free.add(_corpus())
        expected = (_clusters(free), free.counts())
    with Store(tmp_path / "capped.duckdb", memory_limit=1 << 20) as capped:
        capped.add(_corpus())
        assert capped.memory_limit > 1 << 20
        assert (_clusters(capped), capped.counts()) == expected


def test_a_commit_out_of_memory_is_out_of_memory():
    """A commit that cannot allocate a block (seen at 10M events under the writer's cap) is retried
    with a larger limit like any other out-of-memory error; other transaction errors are not."""
    import duckdb

    from dyad.store import _out_of_memory

    assert _out_of_memory(duckdb.TransactionException(
        "TransactionContext Error: Failed to commit: could not allocate block of size 256.0 KiB "
        "(511.8 MiB/512.0 MiB used)"))
    assert _out_of_memory(duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block"))
    assert not _out_of_memory(duckdb.TransactionException("TransactionContext Error: Conflict on update"))


def test_a_batch_whose_commit_runs_out_of_memory_runs_again_in_a_reopened_file(tmp_path):
    """DuckDB invalidates its database when a commit cannot allocate a block: the writer opens the
    file again with twice the limit and writes the batch, which the failed commit did not write."""
    import duckdb

    path = tmp_path / "s.duckdb"
    with Store(path, memory_limit=64 << 20) as store:
        real = store.con

        class FailingCommit:  # the first commit fails as DuckDB's does, then the database is invalid
            failed = False

            def commit(self):
                real.rollback()
                FailingCommit.failed = True
                raise duckdb.TransactionException("TransactionContext Error: Failed to commit: could not "
                                                  "allocate block of size 256.0 KiB (63.9 MiB/64.0 MiB used)")

            def execute(self, sql, *args):
                if FailingCommit.failed:
                    raise duckdb.FatalException("FATAL Error: database has been invalidated")
                return real.execute(sql, *args)

            def __getattr__(self, name):
                return getattr(real, name)

        store.con = FailingCommit()
        store.add([lavrov_article()])
        assert FailingCommit.failed and store.con is not real and store.memory_limit == 128 << 20
        assert store.counts()["articles"] == 1
    with Store(path, read_only=True) as again:
        assert again.counts()["articles"] == 1

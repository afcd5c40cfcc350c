"""Corpus-level dedup: one event reported by many articles and languages, wire copies counted once."""

from __future__ import annotations

from datetime import date

import pytest

from dyad import dedup
from dyad.dedup import ActorKey, EventKey, events_match, merge_labels, minhash, same_actor, similarity
from dyad.records import Actor, Article, Event, Evidence
from dyad.store import Store

WANG = ActorKey("Wang Yi", "CHN", "person")
LAVROV_EN = ActorKey("Sergey Lavrov", "RUS", "person")
LAVROV_FR = ActorKey("Sergueï Lavrov", "RUS", "person")
PUTIN = ActorKey("Vladimir Putin", "RUS", "person")


def _key(id: str = "e", type: str = "CONSULT", day: str = "2020-03-27", fuzzy: bool = False,
         source: ActorKey | None = WANG, target: ActorKey | None = LAVROV_EN) -> EventKey:
    return EventKey(id=id, type=type, negated=False, day=date.fromisoformat(day), fuzzy=fuzzy,
                    source=source, target=target)


def test_actor_identity_across_languages():
    assert same_actor(LAVROV_EN, LAVROV_FR)
    assert not same_actor(LAVROV_EN, PUTIN)
    assert not same_actor(LAVROV_EN, ActorKey("Sergey Lavrov", "CHN", "person"))
    assert same_actor(ActorKey("Russia", "RUS", "state"), ActorKey("la Russie", "RUS", "state"))
    assert not same_actor(ActorKey("Russia", "RUS", "state"), LAVROV_EN)
    assert same_actor(None, None) and not same_actor(None, WANG)
    assert same_actor(ActorKey("Xi", "CHN", "person"), ActorKey("Xi Jinping", "CHN", "person"))
    assert not same_actor(ActorKey("Emmanuel Macron", "FRA", "person"), ActorKey("Emmanuel Bonne", "FRA", "person"))


def test_event_match_rules():
    a = _key("a")
    assert events_match(a, _key("b", target=LAVROV_FR))
    assert not events_match(a, _key("b", type="ACCUSE"))
    assert events_match(a, _key("b", source=LAVROV_FR, target=WANG)), "CONSULT is symmetric"
    assert not events_match(_key("a", type="ACCUSE"), _key("b", type="ACCUSE", source=LAVROV_FR, target=WANG))
    assert not events_match(a, _key("b", day="2020-03-28")), "two stated dates a day apart differ"
    assert events_match(a, _key("b", day="2020-03-28", fuzzy=True)), "an inferred date may be a day off"
    assert not events_match(a, _key("b", day="2020-03-29", fuzzy=True))


def test_merge_labels_is_order_independent():
    pairs = [("c", "b"), ("d", "e"), ("b", "a")]
    one = merge_labels("abcdef", pairs)
    two = merge_labels("fedcba", list(reversed(pairs)))
    assert one == two == {"a": "a", "b": "a", "c": "a", "d": "d", "e": "d", "f": "f"}


STORY = ("BEIJING, March 27 (Xinhua) -- Chinese State Councilor and Foreign Minister Wang Yi held a phone call "
         "with Russian Foreign Minister Sergey Lavrov on Friday. Wang said China is ready to strengthen "
         "communication with Russia and other permanent members of the UN Security Council to promote "
         "global efforts against the COVID-19 pandemic. Lavrov said Russia appreciates China's efforts and "
         "is willing to deepen cooperation with China in the fight against the virus.")


def test_minhash_finds_wire_copies_not_other_stories():
    copy = STORY.replace("(Xinhua)", "(China Daily)") + " The two sides also exchanged views on other issues."
    other = ("PARIS, Aug. 29 -- Chinese Foreign Minister Wang Yi met with French President Emmanuel Macron in "
             "Paris on Friday, and the two sides agreed to resume cooperation in various fields.")
    assert similarity(minhash(STORY), minhash(copy)) >= dedup.NEAR_DUP_JACCARD
    assert similarity(minhash(STORY), minhash(other)) < 0.2
    assert (minhash(STORY) == minhash(STORY)).all()


def test_minhash_estimates_jaccard_of_articles_sharing_sentences():
    """Articles assembled from one pool of sentences share some shingles, not most: the estimate
    follows the true Jaccard similarity (version 1's hash functions put such pairs at 0.85+)."""
    import random

    rng = random.Random(7)
    words = [f"w{n}" for n in range(400)]
    pool = [" ".join(rng.sample(words, 12)) + "." for _ in range(60)]
    texts = ["PARIS, May 4 -- " + " ".join(rng.sample(pool, 25)) for _ in range(12)]
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            sa, sb = set(dedup.shingles(a).tolist()), set(dedup.shingles(b).tolist())
            true = len(sa & sb) / len(sa | sb)
            assert abs(similarity(minhash(a), minhash(b)) - true) < 0.15
            assert similarity(minhash(a), minhash(b)) < dedup.NEAR_DUP_JACCARD


def test_store_indexed_with_old_minhash_is_reindexed(tmp_path):
    db = tmp_path / "old.duckdb"
    with Store(db) as store:
        store.add(_corpus())
        expected = _clusters(store)
        dups = store.con.execute("SELECT id, duplicate_of FROM articles ORDER BY id").fetchall()
        store.con.execute("UPDATE article_minhash SET sig = NULL")  # stands for other hash functions
        store.con.execute("UPDATE articles SET duplicate_of = NULL")
        store.con.execute("DELETE FROM meta WHERE key = 'minhash'")
    with Store(db) as store:
        assert store.con.execute("SELECT value FROM meta WHERE key = 'minhash'").fetchone()[0] == dedup.MINHASH_VERSION
        assert store.con.execute("SELECT count(*) FROM article_minhash WHERE sig IS NULL").fetchone()[0] == 0
        assert store.con.execute("SELECT id, duplicate_of FROM articles ORDER BY id").fetchall() == dups
        assert _clusters(store) == expected


# ---- in the store (hand-built records: no spaCy) ------------------------------------------------

def _phone_call(text: str, lang: str, source: str, lavrov_name: str, day: str | None = "2020-03-27",
                inferred: bool = False, id: str = "") -> Article:
    wang = Actor("Wang Yi", "CHN", "GOV", "person", mention="Wang Yi")
    lavrov = Actor(lavrov_name, "RUS", "GOV", "person", mention=lavrov_name)
    first = text.split(".")[0] + "."
    ev = Event("CONSULT", wang, lavrov, mode="phone", cameo="041", date=day, date_inferred=inferred,
               evidence=[Evidence(first, 0, len(first))])
    return Article(text=text, id=id, lang=lang, published="2020-03-28", source=source, events=[ev])


FR = ("PÉKIN, 28 mars (AFP) - Wang Yi, ministre chinois des Affaires étrangères, a eu vendredi une "
      "conversation téléphonique avec Sergueï Lavrov, ministre russe des Affaires étrangères. Les deux "
      "ministres ont évoqué la lutte contre la pandémie de COVID-19 et le rôle du Conseil de sécurité.")
TASS = ("MOSCOW, March 27 (TASS) -- Russian Foreign Minister Sergey Lavrov and his Chinese counterpart Wang Yi "
        "discussed by telephone on Friday the coordination of the two countries in the fight against the "
        "coronavirus, the Russian Foreign Ministry said in a statement.")


def _corpus() -> list[Article]:
    return [
        _phone_call(STORY, "en", "Xinhua", "Sergey Lavrov"),
        _phone_call(FR, "fr", "AFP", "Sergueï Lavrov", inferred=True),
        _phone_call(TASS, "en", "TASS", "Sergey Lavrov", day=None),
        _phone_call(STORY.replace("(Xinhua)", "(China Daily)"), "en", "China Daily", "Sergey Lavrov"),
    ]


def _clusters(store: Store) -> list[tuple]:
    return store.con.execute(
        "SELECT cluster_id, type, num_mentions, num_articles, num_sources FROM corpus_events ORDER BY cluster_id"
    ).fetchall()


def test_one_event_across_articles_languages_and_wire_copies():
    with Store(":memory:") as store:
        store.add(_corpus())
        clusters = _clusters(store)
        assert len(clusters) == 1
        _, etype, mentions, articles, sources = clusters[0]
        assert etype == "CONSULT"
        assert mentions == 4, "every evidence sentence counts, the wire copy's too"
        assert (articles, sources) == (3, 3), "the China Daily wire copy counts once"
        dups = store.con.execute("SELECT source FROM articles WHERE duplicate_of IS NOT NULL").fetchall()
        assert len(dups) == 1
        assert store.con.execute("SELECT count(*) FROM corpus_evidence").fetchone()[0] == 4


def test_clusters_are_incremental_and_deterministic():
    with Store(":memory:") as whole:
        whole.add(_corpus())
        expected = _clusters(whole)
        events = whole.con.execute("SELECT id, cluster_id FROM events ORDER BY id").fetchall()
    with Store(":memory:") as parts:
        for art in reversed(_corpus()):  # one article at a time, in the other order
            parts.add([art])
        assert _clusters(parts) == expected
        assert parts.con.execute("SELECT id, cluster_id FROM events ORDER BY id").fetchall() == events
        again = parts.add(_corpus())
        assert again.articles_new == 0 and _clusters(parts) == expected
        parts.rebuild_dedup()
        assert _clusters(parts) == expected


def test_reextraction_splits_a_cluster():
    with Store(":memory:") as store:
        corpus = _corpus()[:2]
        store.add(corpus)
        assert len(_clusters(store)) == 1
        changed = _phone_call(FR, "fr", "AFP", "Sergueï Lavrov", day="2020-03-20", id=corpus[1].id)
        store.add([changed])
        assert sorted(c[3] for c in _clusters(store)) == [1, 1]


def test_seed_pair_plus_english_and_french_articles(shared, seed_inputs):
    """The French seed (Wang Yi's call with Lavrov) and two new articles → one event, 3 outlets."""
    from dyad.ingest import article_from_json
    from dyad.pipeline import extract_many

    articles = [article_from_json(d, f"seed:{n}") for n, d in enumerate(seed_inputs)]
    en = ("BEIJING, March 28 (Reuters) -- Chinese Foreign Minister Wang Yi held a phone call with Russian "
          "Foreign Minister Sergey Lavrov on Friday, the foreign ministry said.")
    articles += [Article(text=en, lang="en", published="2020-03-28", source="Reuters"),
                 Article(text=FR, lang="fr", published="2020-03-28", source="AFP")]
    coded = list(extract_many(articles))
    assert all(isinstance(a, Article) for a in coded)
    with Store(":memory:") as store:
        store.add(coded)
        rows = store.con.execute("""
            SELECT num_sources, num_articles FROM corpus_events
             WHERE type = 'CONSULT' AND date = DATE '2020-03-27'
               AND 'CHN' IN (source_country, target_country) AND 'RUS' IN (source_country, target_country)
        """).fetchall()
    assert len(rows) == 1, rows
    assert rows[0][0] >= 2 and rows[0][1] == 3


@pytest.mark.parametrize("url,expected", [("https://www.lemonde.fr/x", 1), (None, 2)])
def test_outlets_from_url_host_or_article(url, expected):
    with Store(":memory:") as store:
        a = _phone_call(STORY, "en", None, "Sergey Lavrov")
        b = _phone_call(FR, "fr", None, "Sergueï Lavrov")
        a.url, b.url = url, url.replace("/x", "/y") if url else None
        store.add([a, b])
        assert _clusters(store)[0][4] == expected

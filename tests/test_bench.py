"""Fast tests of the benchmark loaders and scorers (bench/common.py, plover.py, petrarch.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import common  # noqa: E402
import petrarch  # noqa: E402
import plover  # noqa: E402
from common import Item, match_sentence  # noqa: E402

PETR_XML = """<Validation><Sentences>
<Sentence category="AFP" date="20080804" id="S1" evaluate="true"/>
<EventCoding eventcode="042" sourcecode="USAGOV" targetcode="CHN" />
<Text>
The US leader
arrived in Beijing.
</Text>
<Sentence date="19940611" id="S2" evaluate="true" category="x">
<EventCoding eid="0" eventcode="140_Engage_in_political_dissent" plover="" sourcecode="~CV" targetcode="COLGOV"/>
<Text>Estudiantes protestaron contra el gobierno.</Text>
</Sentence>
<Sentence date="19940611" id="S3" evaluate="false"/>
<EventCoding noevents="True" />
<Text>Skipped.</Text>
<Sentence date="19940612" id="S4" evaluate="true"/>
<EventCoding noevents="True" />
<Text>Nothing happened.</Text>
</Sentences></Validation>"""


@pytest.mark.parametrize(("code", "iso"), [("HUN", "HUN"), ("USAGOV", "USA"), ("JAP", "JPN"), ("ITL", "ITA"),
                                           ("IGOREL", "IGO"), ("~CV", None), ("---", None), ("", None),
                                           ("NGO", None), ("IMGMOS", None)])
def test_country_codes(code, iso):
    assert common.country(code) == iso


def test_unknown_gold_side_is_a_wildcard_and_symmetric_types_swap():
    assert Item("14", None, "COL").matches(Item("14", "COL", "COL"))
    assert not Item("14", None, "COL").matches(Item("14", "COL", None))
    assert Item("AGREE", "HUN", "ROU").matches(Item("AGREE", "ROU", "HUN"))
    assert not Item("ACCUSE", "HUN", "ROU").matches(Item("ACCUSE", "ROU", "HUN"))


def test_matching_is_one_to_one_and_counts():
    res = match_sentence("s", "t", [Item("AGREE", "USA", "BRA"), Item("AGREE", "BRA", "USA"),
                                    Item("REQUEST", "GBR", "LBY")],
                         [Item("AGREE", "USA", "BRA"), Item("ACCUSE", "GBR", "LBY")])
    s = common.score("x", [res])
    assert (s.overall.tp, s.overall.fp, s.overall.fn) == (1, 1, 1)  # the two AGREE directions are one item
    assert s.by_label["REQUEST"].fn == 1 and s.by_label["ACCUSE"].fp == 1
    assert s.overall.f1 == pytest.approx(0.5)


def test_plover_gold_items_compound_and_symmetric():
    rec = {"event": "AGREE", "source": [{"code": "HUN"}, {"code": "ROU"}], "target": None}
    assert plover.gold_items(rec) == [Item("AGREE", "HUN", "ROU")]
    rec = {"event": "DEMAND", "source": [{"code": "IGO"}], "target": [{"code": "USA"}, {"code": "GBR"}]}
    assert plover.gold_items(rec) == [Item("REQUEST", "IGO", "USA"), Item("REQUEST", "IGO", "GBR")]
    rec = {"event": "FIGHT", "source": [{"code": "ISR"}], "target": "diplomatic"}
    assert plover.gold_items(rec) == [Item("ASSAULT", "ISR", None)]


def test_plover_records_and_samples(shared):
    recs = plover.load_records(shared)
    assert len(recs) == 322 and all(r["event"] != "DOCUMENT" for r in recs)
    for lang in ("fr", "es"):
        sample = plover.load_sample(lang)
        assert len(sample) == 46 and {r["lang"] for r in sample} == {lang}
        by_id = {r["id"]: r for r in recs}
        assert all(plover.gold_items(r) == plover.gold_items(by_id[r["id"]]) for r in sample)


def test_petrarch_xml_reader():
    sents = petrarch.parse(PETR_XML, "en")
    assert [s.id for s in sents] == ["S1", "S2", "S4"]
    s1, s2, s4 = sents
    assert s1.text == "The US leader arrived in Beijing." and s1.published == "2008-08-04"
    assert s1.gold == [Item("04", "USA", "CHN")]
    assert s2.gold == [Item("14", None, "COL")]
    assert s4.gold == []


def test_petrarch_shared_sets_load(shared):
    assert len(petrarch.load(shared, "petr2_en")) == 78
    assert len(petrarch.load(shared, "spanish_1018", limit=5)) == 5


def test_event_items_skip_negated_and_use_root():
    from dyad.records import Actor, Event

    a, b = Actor("Russia", "RUS", kind="state"), Actor("Ukraine", "UKR", kind="state")
    evs = [Event("ASSAULT", a, b, cameo="190"), Event("ACCUSE", b, a, cameo="111", negated=True)]
    assert common.event_items(evs, "root") == [Item("19", "RUS", "UKR")]
    assert common.event_items(evs, "type") == [Item("ASSAULT", "RUS", "UKR")]


def test_replace_section_keeps_other_sections():
    text = "# Benchmarks\n\n## Speed\nfast\n\n## Event coding accuracy\nold\n\n## Other\nkeep\n"
    out = common.replace_section(text, "## Event coding accuracy", "## Event coding accuracy\nnew\n")
    assert "new" in out and "old" not in out and "## Speed\nfast" in out and "## Other\nkeep" in out
    assert common.replace_section("# B\n", "## Dates", "## Dates\nx\n").endswith("## Dates\nx\n")

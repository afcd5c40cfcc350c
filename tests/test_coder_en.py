"""English event coding on sentences written for these tests (not the seeds): each construction
the coder claims to handle, with the dyad, type, mode and date it must produce."""

from __future__ import annotations

import pytest
from unidecode import unidecode

from conftest import events_of

PUB = "2021-03-13"  # a Saturday


@pytest.fixture(scope="module")
def en(extract):
    return lambda text, published=PUB: extract(text, lang="en", published=published)


def only(article, etype):
    found = [e for e in article.events if e.type == etype]
    assert len(found) == 1, [(e.type, e.source.name, e.target and e.target.name) for e in article.events]
    return found[0]


def test_meeting_with_titles_place_and_weekday(en):
    art = en("German Chancellor Olaf Scholz met with Indian Prime Minister Narendra Modi in New Delhi on Monday.")
    e = only(art, "CONSULT")
    assert (e.source.name, e.source.country) == ("Olaf Scholz", "DEU")
    assert (e.target.name, e.target.country) == ("Narendra Modi", "IND")
    assert e.date == "2021-03-08" and not e.date_inferred
    assert e.place.name == "New Delhi" and e.place.country == "IND"
    assert e.mode == "visit" and e.cameo == "042"  # met in the target's country
    assert e.quad == "verbal-coop" and e.intensity > 0


def test_statement_of_intent_is_agree_and_reported_speech_is_a_quote(en):
    art = en("Japan and South Korea should strengthen cooperation on security, "
             "Japanese Foreign Minister Yoko Kamikawa said on Thursday.")
    assert events_of(art) == {("AGREE", "JPN", "KOR")}
    (q,) = art.quotes
    assert q.speaker.name == "Yoko Kamikawa" and q.speaker.country == "JPN"
    assert q.text == "Japan and South Korea should strengthen cooperation on security" and not q.direct


def test_ready_to_work_with(en):
    art = en("The United States is ready to work with India to expand trade, a State Department spokesman said.")
    assert ("AGREE", "USA", "IND") in events_of(art)


def test_passive_with_agent(en):
    art = en("Ukrainian soldiers were attacked by Russian forces near Kharkiv on Tuesday.")
    e = only(art, "ASSAULT")
    assert (e.source.country, e.target.country) == ("RUS", "UKR")
    assert e.source.kind == "group" and e.source.sector == "MIL"
    assert e.date == "2021-03-09"


def test_negation_is_marked_not_dropped(en):
    art = en("Russian President Vladimir Putin did not meet with Ukrainian President Volodymyr Zelensky.")
    e = only(art, "CONSULT")
    assert e.negated and (e.source.country, e.target.country) == ("RUS", "UKR")


def test_compound_actor_gives_two_actors(en):
    art = en("Hungarian and Romanian officials agreed on Wednesday that their countries should cooperate.")
    e = only(art, "AGREE")
    assert {e.source.country, e.target.country} == {"HUN", "ROU"}
    assert e.date == "2021-03-10"


def test_nominal_between(en):
    art = en("Talks between Israel and Egypt were held in Cairo on Sunday.")
    assert events_of(art, "CONSULT") == {("CONSULT", "ISR", "EGY")}


def test_nominal_with_demonym_owner_and_accusation(en):
    art = en("Brazil condemned the Israeli air strikes on Gaza.")
    assert ("ACCUSE", "BRA", "ISR") in events_of(art)
    assert ("ASSAULT", "ISR", "PSE") in events_of(art)


def test_target_in_the_clause_below_the_trigger(en):
    assert events_of(en("Iran threatened to retaliate against Israel.")) == {("THREATEN", "IRN", "ISR")}


def test_possessive_owner_as_target(en):
    art = en("Indian Prime Minister Narendra Modi praised Japan's commitment to the partnership.")
    assert events_of(art) == {("SUPPORT", "IND", "JPN")}


def test_igo_source_and_sanction(en):
    art = en("The European Union imposed new sanctions on Belarus.")
    e = only(art, "SANCTION")
    assert e.source.country == "IGO" and e.source.name == "European Union" and e.target.country == "BLR"
    assert e.quad == "material-conflict" and e.intensity < 0


def test_request(en):
    assert events_of(en("China urged the United States to stop arms sales to Taiwan.")) == {("REQUEST", "CHN", "USA")}


def test_direct_quote_with_speaker_after(en):
    art = en("“We will never accept this occupation,” Ukrainian Foreign Minister Dmytro Kuleba told reporters.")
    (q,) = art.quotes
    assert q.direct and q.text == "We will never accept this occupation" and q.speaker.country == "UKR"


def test_pronoun_and_short_name_resolve_to_the_full_name(en):
    art = en("Turkish Foreign Minister Mevlut Cavusoglu arrived in Berlin on Friday. "
             "Cavusoglu said Turkey is ready to work with Germany. "
             "He also thanked Greece for its help.")
    speakers = {q.speaker.name for q in art.quotes}
    assert {unidecode(s) for s in speakers} == {"Mevlut Cavusoglu"}
    e = only(art, "SUPPORT")
    assert unidecode(e.source.name) == "Mevlut Cavusoglu" and e.source.country == "TUR" and e.target.country == "GRC"


def test_one_event_per_key_with_all_evidence(en):
    art = en("France praised Germany on Friday. Paris also praised Germany's role, officials said on Friday.")
    supports = [e for e in art.events if e.type == "SUPPORT"]
    assert len(supports) == 1 and len(supports[0].evidence) == 2
    for ev in supports[0].evidence:
        assert art.text[ev.start:ev.end].strip() == ev.text


def test_the_dateline_city_is_no_target_and_each_other_is_the_other(extract):
    art = extract("BANGKOK (AP) — A Cambodian soldier was killed when Thai and Cambodian troops briefly fired at each "
                  "other in their disputed border area Wednesday, officials said.", lang="en", published="2011-02-09")
    fired = {(e.source.country, e.target.country) for e in art.events if e.trigger == "fired at"}
    assert fired == {("THA", "KHM"), ("KHM", "THA")}


def test_a_title_with_its_name_after_a_comma_is_that_person(extract):
    art = extract("Russia expelled the British ambassador, Deborah Bronnert, on Friday.", lang="en",
                  published="2022-04-09")
    assert [(e.type, e.target.name, e.target.country) for e in art.events] == [
        ("SANCTION", "Deborah Bronnert", "GBR")]

"""English quotes on sentences written for these tests: who said what, and only what was said."""

from __future__ import annotations

import pytest

PUB = "2024-05-18"


@pytest.fixture(scope="module")
def en(extract):
    return lambda text: extract(text, lang="en", published=PUB)


def by_text(article, words):
    found = [q for q in article.quotes if words in q.text]
    assert found, [(q.speaker and q.speaker.name, q.text) for q in article.quotes]
    return found[0]


def test_institution_then_it_said(en):
    art = en("Norway's Foreign Ministry said on Friday that two of its diplomats had been expelled from Minsk. "
             "It said the embassy would keep working with a reduced staff.")
    first = by_text(art, "two of its diplomats")
    assert first.speaker.country == "NOR" and not first.text.startswith("on Friday")
    second = by_text(art, "the embassy would keep working")
    assert second.speaker.country == "NOR"


def test_the_ministry_said_is_its_state(en):
    art = en("The Norwegian Foreign Ministry summoned the Belarusian envoy on Monday. "
             "The ministry said the expulsions were a breach of the Vienna Convention.")
    q = by_text(art, "the expulsions were a breach")
    assert q.speaker.country == "NOR"


def test_quotation_over_two_sentences_and_pronoun_after_it(en):
    art = en('Kenyan President William Ruto spoke in Nairobi on Friday. "We will not accept this. '
             'Our borders are not for sale," he said.')
    q = by_text(art, "We will not accept this")
    assert q.direct and "Our borders are not for sale" in q.text
    assert q.speaker.name == "William Ruto" and q.speaker.country == "KEN"


def test_told_reporters_that_keeps_only_the_content(en):
    art = en("Indian Foreign Minister Subrahmanyam Jaishankar told reporters in Delhi on Tuesday that the talks "
             "had made real progress.")
    q = by_text(art, "the talks had made real progress")
    assert "reporters" not in q.text and q.speaker.country == "IND"


def test_added_that_and_according_to(en):
    art = en("Chilean Foreign Minister Alberto van Klaveren said the agreement would be signed in June. "
             "He added that Santiago expected the vote to pass. "
             "According to the Peruvian government, the border crossing will reopen next week.")
    assert by_text(art, "Santiago expected the vote to pass").speaker.name == "Alberto van Klaveren"
    q = by_text(art, "the border crossing will reopen")
    assert q.speaker.country == "PER" and "According" not in q.text


def test_called_it_keeps_only_the_quoted_words(en):
    art = en('Brazilian President Luiz Inacio Lula da Silva called the decision "a grave mistake" on Monday.')
    q = by_text(art, "a grave mistake")
    assert q.text == "a grave mistake" and q.speaker.country == "BRA"


def test_title_of_country_gives_the_speakers_country(en):
    art = en("The President of Ghana, Kwame Mensah, said the two countries would sign a trade pact.")
    q = by_text(art, "the two countries would sign a trade pact")
    assert q.speaker.country == "GHA"


def test_a_fronted_phrase_is_no_quote(en):
    art = en("In late November, Chad announced the end of its defence pact with France.")
    assert not [q for q in art.quotes if q.text.startswith("In late November")]


def test_dateline_is_not_quoted_and_it_is_the_last_organisation(en):
    art = en("OSLO, Norway (AP) — Lithuania is expelling a Belarusian diplomat, the Lithuanian Foreign Ministry said "
             "on Monday. Latvia's foreign ministry dismissed the charge as baseless. It said its consul would stay "
             "in Minsk until the end of the month.")
    q = by_text(art, "expelling a Belarusian diplomat")
    assert not q.text.startswith("OSLO") and q.speaker.country == "LTU"
    q = by_text(art, "its consul would stay")
    assert q.speaker.country == "LVA"


def test_an_official_speaks_for_the_story_s_country_not_the_one_he_speaks_of(en):
    art = en("Yemen's Houthi rebels said on Tuesday they had fired missiles at ships in the Red Sea off Yemen. "
             "Military spokesman Abdulkarim Qassem warned the United States that more missiles would follow.")
    quote = by_text(art, "more missiles would follow")
    assert quote.speaker.name == "Abdulkarim Qassem" and quote.speaker.country == "YEM"


def test_anonymous_sources_and_witnesses_are_of_the_story_s_country(en):
    art = en("Gunmen attacked an army post in northern Burkina Faso on Sunday. "
             "Eleven soldiers were killed in the assault, a security source told AFP. "
             "The attackers arrived on motorbikes from the border, witnesses said.")
    q = by_text(art, "Eleven soldiers were killed")
    assert q.speaker.country == "BFA" and "source" in q.speaker.name
    q = by_text(art, "The attackers arrived on motorbikes")
    assert q.speaker.country == "BFA" and "witness" in q.speaker.name


def test_a_title_owned_by_a_group_gives_its_country(en):
    art = en('"We will carry out more attacks against American ships," Houthi military spokesman '
             "Yahya Sarea said in a statement on Tuesday.")
    q = by_text(art, "We will carry out more attacks")
    assert q.speaker.name.startswith("Yahya Sare") and q.speaker.country == "YEM"


def test_a_name_word_refers_back_to_the_organisation(en):
    art = en("Air strikes hit the town of Saraqeb in Idlib province, according to the Syrian Observatory "
             "for Human Rights. The observatory said three children were among the dead.")
    q = by_text(art, "three children were among the dead")
    assert q.speaker.name == "Syrian Observatory for Human Rights" and q.speaker.country == "GBR"


def test_relative_clause_speaker_is_its_antecedent(en):
    art = en("The proposal was rejected by the leader of the junta, Omar Abdourahmane Tchiani, "
             "who reiterated that Mr Bazoum would not be released.")
    q = by_text(art, "Bazoum would not be released")
    assert q.speaker.name == "Omar Abdourahmane Tchiani" and q.text == "Mr Bazoum would not be released"


def test_the_group_said_is_the_group_named_before(en):
    # the NER takes "Al-Shabaab" for a person; the dictionary knows it as a Somali armed group
    art = en("Al-Shabaab claimed responsibility for the attack on the base in Somalia. "
             "The group said it had killed more than 20 soldiers.")
    q = by_text(art, "killed more than 20 soldiers")
    assert q.speaker.name == "Al-Shabaab" and q.speaker.kind == "group" and q.speaker.country == "SOM"


def test_organisation_named_inside_the_subject(en):
    art = en("Separately, the pan-Arab al-Mayadeen TV said armed men attacked a big base of the Nusra Front. "
             "The United Nations Support Mission in Libya said it was deeply concerned about clashes in Tripoli.")
    assert "Mayadeen" in by_text(art, "armed men attacked").speaker.name
    assert by_text(art, "deeply concerned").speaker.country == "IGO"


def test_the_observatory_is_the_observatory_not_the_last_group(en):
    art = en("Yesterday's raid struck the town of Saraqeb, according to the Britain-based Syrian Observatory for "
             "Human Rights. Government troops still control many military bases in the region. In Aleppo, a "
             "government air raid killed at least four people, the observatory said.")
    assert "Observatory" in by_text(art, "struck the town of Saraqeb").speaker.name
    assert "Observatory" in by_text(art, "killed at least four people").speaker.name


def test_a_straight_mark_closing_a_curly_one_ends_the_quotation(en):
    art = en("The United Nations condemned the attack, saying it took “critical political attention away\" from "
             "Iraq's domestic challenges.\n\n"
             "“The last thing Iraq needs is to serve as an arena for vendettas,” the statement said.")
    q = by_text(art, "The last thing Iraq needs")
    assert q.speaker.country == "IGO" and q.text.startswith("The last thing")


def test_the_agency_a_speaker_talks_to_is_not_their_country(en):
    art = en('Police in Kano arrested 20 protesters in northern Nigeria on Monday. "We will not allow '
             'violence," police spokesman Haruna Atiku told Reuters.')
    assert by_text(art, "We will not allow violence").speaker.country == "NGA"


def test_according_to_the_authorities_is_the_state_the_story_is_about(en):
    art = en("Gunmen kidnapped six tourists in northern Cameroon on Friday. According to the authorities, "
             "the tourists were seized in the town of Moungo-Dor.")
    assert by_text(art, "the tourists were seized").speaker.country == "CMR"

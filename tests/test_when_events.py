"""The day each event happened (dyad.event_dates.DateTracker), on sentences written for these tests.

`day_of(text, lang, published, word)` parses the text, walks its sentences as the pipeline does and
dates an event anchored at `word` (its first occurrence, or the n-th with `nth`).  Each rule of
docs/dates.md ("Event dates") has an English, French and Spanish case.
"""

from __future__ import annotations

import pytest

from dyad.event_dates import DateTracker
from dyad.language import nlp
from dyad.merge import merge_events
from dyad.records import Actor, Event, Evidence


def day_of(text: str, lang: str, published: str, word: str, nth: int = 0) -> tuple[str | None, bool]:
    doc = nlp(lang)(text)
    hits = [t for t in doc if t.text == word]
    assert len(hits) > nth, f"{word!r} not in {text!r}"
    anchor = hits[nth]
    tracker = DateTracker(text, lang, published)
    for sent in doc.sents:
        tracker.enter(sent)
        if sent.start <= anchor.i < sent.end:
            return tracker.date_for(anchor)
    raise AssertionError("anchor outside every sentence")


# 2024-05-15 is a Wednesday; 2024-05-18 a Saturday; 2024-05-19 a Sunday.


@pytest.mark.parametrize("text,lang,published,word,expected", [
    # a weekday in the sentence beats the dateline
    ("MOSCOW, Oct. 3 -- Russian and Turkish diplomats met on Monday in Ankara.", "en", "2023-10-03", "met",
     "2023-10-02"),
    ("ROME, 15 mai (AFP) -- Les ministres se sont rencontrés lundi à Rome.", "fr", "2024-05-15", "rencontrés",
     "2024-05-13"),
    ("LIMA, 15 may (EFE) -- Los cancilleres se reunieron el lunes en Lima.", "es", "2024-05-15", "reunieron",
     "2024-05-13"),
    # a weekday equal to the publication's weekday is that day
    ("The army shelled the border town on Wednesday.", "en", "2024-05-15", "shelled", "2024-05-15"),
    ("L'armée a bombardé mercredi la ville frontalière.", "fr", "2024-05-15", "bombardé", "2024-05-15"),
    ("El ejército bombardeó el miércoles la ciudad fronteriza.", "es", "2024-05-15", "bombardeó", "2024-05-15"),
    # a past weekday after the publication's weekday is in the week before
    ("Police arrested the opposition leader on Friday.", "en", "2024-05-15", "arrested", "2024-05-10"),
    ("La police a arrêté vendredi le chef de l'opposition.", "fr", "2024-05-15", "arrêté", "2024-05-10"),
    ("La policía detuvo el viernes al líder opositor.", "es", "2024-05-15", "detuvo", "2024-05-10"),
    # parts of the day
    ("Protesters stormed the embassy on Tuesday night.", "en", "2024-05-15", "stormed", "2024-05-14"),
    ("Des manifestants ont pris d'assaut l'ambassade mardi soir.", "fr", "2024-05-15", "pris", "2024-05-14"),
    ("Los manifestantes asaltaron la embajada el martes por la noche.", "es", "2024-05-15", "asaltaron",
     "2024-05-14"),
    # ce / este + weekday, hier / ayer / yesterday, explicit dates with and without year
    ("Le président a reçu ce lundi son homologue.", "fr", "2024-05-15", "reçu", "2024-05-13"),
    ("El presidente recibió este lunes a su homólogo.", "es", "2024-05-15", "recibió", "2024-05-13"),
    ("The president received his counterpart yesterday.", "en", "2024-05-15", "received", "2024-05-14"),
    ("Le président a reçu hier son homologue.", "fr", "2024-05-15", "reçu", "2024-05-14"),
    ("El presidente recibió ayer a su homólogo.", "es", "2024-05-15", "recibió", "2024-05-14"),
    ("Le gouvernement a expulsé le 1er avril deux diplomates.", "fr", "2024-05-15", "expulsé", "2024-04-01"),
    ("El gobierno expulsó el pasado 28 de octubre a dos diplomáticos.", "es", "2024-05-15", "expulsó",
     "2023-10-28"),
    ("The government expelled two diplomats on April 1.", "en", "2024-05-15", "expelled", "2024-04-01"),
])
def test_the_clause_own_day(text, lang, published, word, expected):
    assert day_of(text, lang, published, word) == (expected, False)


@pytest.mark.parametrize("text,lang,word", [
    ("On Monday, the minister spoke to his counterpart and told him that the army had withdrawn.", "en",
     "withdrawn"),
    ("Lundi, le ministre a appelé son homologue et lui a dit que l'armée s'était retirée.", "fr", "retirée"),
    ("El lunes, el ministro llamó a su homólogo y le dijo que el ejército se había retirado.", "es", "retirado"),
])
def test_a_day_on_a_governing_clause_dates_what_it_reports(text, lang, word):
    assert day_of(text, lang, "2024-05-15", word) == ("2024-05-13", False)


@pytest.mark.parametrize("text,lang,word,expected", [
    ("The minister was arrested on Wednesday, a day after he criticized the army.", "en", "criticized",
     "2024-05-14"),
    ("The hostages were freed on Sunday, six days after the rebels killed a guard.", "en", "killed",
     "2024-05-13"),
    ("Les otages ont été libérés dimanche, deux jours après que les rebelles ont tué un garde.", "fr", "tué",
     "2024-05-17"),
    ("Los rehenes fueron liberados el domingo, tres días después de que los rebeldes mataran a un guardia.",
     "es", "mataran", "2024-05-16"),
])
def test_a_clause_after_a_relation_is_counted_from_the_sentence_day(text, lang, word, expected):
    published = "2024-05-15" if lang == "en" and "Wednesday" in text else "2024-05-19"
    assert day_of(text, lang, published, word) == (expected, False)


def test_the_main_clause_keeps_its_own_day_beside_a_relation():
    text = "The minister was arrested on Wednesday, a day after he criticized the army."
    assert day_of(text, "en", "2024-05-15", "arrested") == ("2024-05-15", False)


@pytest.mark.parametrize("text,lang,word,expected", [
    ("Rebels attacked the town on Tuesday. The next day, the army retook it.", "en", "retook", "2024-05-15"),
    ("Les rebelles ont attaqué la ville mardi. Le lendemain, l'armée l'a reprise.", "fr", "reprise",
     "2024-05-15"),
    ("Les rebelles ont attaqué la ville mardi. La veille, l'armée avait évacué les civils.", "fr", "évacué",
     "2024-05-13"),
    ("Los rebeldes atacaron la ciudad el martes. Al día siguiente, el ejército la recuperó.", "es",
     "recuperó", "2024-05-15"),
    ("The army said on Tuesday it shot down a drone. Earlier in the day, rebels shelled the port.", "en",
     "shelled", "2024-05-14"),
    ("Quelques heures plus tôt, les rebelles avaient bombardé le port.", "fr", "bombardé", "2024-05-18"),
])
def test_relations_count_from_the_story_day(text, lang, word, expected):
    published = "2024-05-18" if text.startswith("Quelques") else "2024-05-16"
    value, _ = day_of(text, lang, published, word)
    assert value == expected


@pytest.mark.parametrize("text,lang,word", [
    ("Troops clashed at the border on Monday. The defence minister accused the rebels of starting it.", "en",
     "accused"),
    ("Des soldats se sont affrontés lundi à la frontière. Le ministre a accusé les rebelles.", "fr", "accusé"),
    ("Los soldados se enfrentaron el lunes en la frontera. El ministro acusó a los rebeldes.", "es", "acusó"),
])
def test_the_story_day_carries_to_the_next_sentences_inferred(text, lang, word):
    assert day_of(text, lang, "2024-05-15", word) == ("2024-05-13", True)


def test_an_undated_lead_is_the_publication_day_inferred():
    text = "The government expels the ambassador over the spying affair."
    assert day_of(text, "en", "2024-05-15", "expels") == ("2024-05-15", True)


def test_an_undated_lead_takes_the_first_day_mentioned_within_a_week():
    text = ("Russia has vetoed a resolution on sanctions.\n\n"
            "Council members voted on Monday on the draft, which Russia vetoed.")
    assert day_of(text, "en", "2024-05-15", "vetoed") == ("2024-05-13", True)


def test_a_flashback_holds_until_its_paragraph_ends():
    text = ("The bloc imposed sanctions on the junta on Sunday.\n\n"
            "On Wednesday night, soldiers seized the palace. They suspended the constitution.\n\n"
            "The bloc also froze the junta's assets.")
    pub = "2024-05-20"  # a Monday
    assert day_of(text, "en", pub, "suspended") == ("2024-05-15", True)
    assert day_of(text, "en", pub, "froze") == ("2024-05-19", True)


def test_a_later_day_moves_the_story_on():
    text = ("The minister arrived in Paris on Friday.\n\n"
            "During talks with his counterpart on Saturday, he praised the deal.\n\n"
            "He also thanked France for its help.")
    assert day_of(text, "en", "2024-05-19", "thanked") == ("2024-05-18", True)


def test_a_flashback_does_not_date_the_undated_clauses_of_its_sentence():
    text = ("The minister said on Friday that the talks went well.\n"
            "During a phone call, he said that both leaders had met on Thursday at the summit.")
    assert day_of(text, "en", "2024-05-18", "call") == ("2024-05-17", True)


def test_a_dateline_sets_the_story_day_but_dates_no_event():
    text = "HARARE, May 15 (TASS) -- France has handed over its last military base to the army."
    assert day_of(text, "en", "2024-05-15", "handed") == ("2024-05-15", True)


def test_future_days_date_no_event():
    text = "The two army chiefs will hold talks on Friday, the army said."
    value, inferred = day_of(text, "en", "2024-05-15", "hold")
    assert value == "2024-05-15" and inferred


def test_until_is_not_the_day_of_an_event():
    text = "Les manifestants ont bloqué la route jusqu'à lundi."
    assert day_of(text, "fr", "2024-05-15", "bloqué") == ("2024-05-15", True)


def test_today_in_a_quote_is_the_day_it_was_said():
    text = ("The president thanked both leaders late on Wednesday.\n\n"
            "\u201cWith the meeting we had today, peace is closer,\u201d he said.")
    assert day_of(text, "en", "2024-05-18", "meeting") == ("2024-05-15", False)


def test_an_event_noun_in_a_prepositional_phrase_takes_no_date_from_above():
    text = "The minister said on Sunday that he was worried about the capture of the president."
    _, inferred = day_of(text, "en", "2024-05-19", "capture")
    assert inferred


@pytest.mark.parametrize("text,lang,word", [
    ("Rebels attacked the town on Tuesday. The day after, the army retook it.", "en", "retook"),
    ("Les rebelles ont attaqué la ville mardi. Le surlendemain, l'armée l'a reprise.", "fr", "reprise"),
    ("Los rebeldes atacaron la ciudad el martes. Un día después, el ejército la recuperó.", "es", "recuperó"),
])
def test_a_relation_followed_by_a_comma_counts_from_the_story_day(text, lang, word):
    expected = "2024-05-16" if lang == "fr" else "2024-05-15"
    assert day_of(text, lang, "2024-05-17", word)[0] == expected


@pytest.mark.parametrize("text,lang,word", [
    ("Police arrested the leader, who heads protests that began on Monday.", "en", "arrested"),
    ("La police a arrêté le dirigeant, qui mène les manifestations qui ont commencé lundi.", "fr", "arrêté"),
    ("La policía detuvo al líder, quien encabeza las protestas que comenzaron el lunes.", "es", "detuvo"),
])
def test_a_day_in_a_relative_clause_is_not_the_event_day(text, lang, word):
    assert day_of(text, lang, "2024-05-15", word)[1] is True


def test_a_relative_clause_is_background_to_a_day_above_it():
    text = "The company, whose ship was hijacked last month, paid the ransom on Friday."
    assert day_of(text, "en", "2024-05-15", "hijacked")[1] is True
    assert day_of(text, "en", "2024-05-15", "paid") == ("2024-05-10", False)


def test_a_noun_keeps_the_day_of_its_own_clause():
    text = "L'ONU a estimé hier que 300 personnes sont mortes dans l'attaque lancée le 31 mars."
    assert day_of(text, "fr", "2024-04-11", "attaque") == ("2024-03-31", False)


def test_a_relation_counts_from_a_day_earlier_in_its_sentence():
    text = "The minister arrived on Monday.\n\nRebels attacked the town on Tuesday and the next day the army retook it."
    assert day_of(text, "en", "2024-05-17", "retook")[0] == "2024-05-15"


def test_tomorrow_in_a_quote_is_no_story_day():
    text = "\u201cWe will meet again tomorrow,\u201d the minister said.\n\nThe rebels accused the army on Monday."
    assert day_of(text, "en", "2024-05-15", "said") == ("2024-05-13", True)


def test_a_relative_clause_on_the_date_is_dated_by_it():
    text = ("Tensions flared again on October 7, 2023, when militants staged a surprise attack on "
            "border towns.")
    assert day_of(text, "en", "2024-05-21", "staged") == ("2023-10-07", False)


@pytest.mark.parametrize("text,lang,word", [
    ("Drones hit the port on Tuesday. The previous night, Russia had launched 28 drones.", "en", "launched"),
    ("Des drones ont frappé le port mardi. La nuit précédente, la Russie avait lancé 28 drones.", "fr",
     "lancé"),
    ("Los drones alcanzaron el puerto el martes. La noche anterior, Rusia había lanzado 28 drones.", "es",
     "lanzado"),
])
def test_the_previous_night(text, lang, word):
    assert day_of(text, lang, "2024-05-15", word)[0] == "2024-05-13"


@pytest.mark.parametrize("text,lang,word", [
    ("The president spoke on Monday.\n\nThe standoff at the shoal occurred on Saturday.\n\n"
     "During the standoff, one boat was hit with a water cannon.", "en", "hit"),
    ("Le président a parlé lundi.\n\nLa rencontre avec son homologue a eu lieu samedi à Rome.\n\n"
     "Lors de cette rencontre, les deux hommes ont signé un accord.", "fr", "signé"),
    ("El presidente habló el lunes.\n\nLa reunión con su homólogo tuvo lugar el sábado en Roma.\n\n"
     "Durante la reunión, ambos firmaron un acuerdo.", "es", "firmaron"),
])
def test_a_definite_noun_takes_the_day_of_the_event_it_names(text, lang, word):
    assert day_of(text, lang, "2024-05-20", word) == ("2024-05-18", True)


# ---- merging mentions of one event (merge.merge_events), hand-built records ---------------------

def _strike(start: int, day: str, inferred: bool) -> Event:
    usa = Actor("United States", "USA", "GOV", "state", mention="US")
    yem = Actor("Yemen", "YEM", "GOV", "state", mention="Yemen")
    return Event("ASSAULT", usa, yem, date=day, date_inferred=inferred,
                 evidence=[Evidence("airstrikes", start, start + 10)])


def test_an_undated_mention_joins_the_dated_event_before_it():
    merged = merge_events("a", [_strike(10, "2024-05-14", False), _strike(500, "2024-05-15", True)])
    assert [(e.date, e.date_inferred, len(e.evidence)) for e in merged] == [("2024-05-14", False, 2)]


def test_an_undated_first_mention_joins_the_dated_event_after_it():
    merged = merge_events("a", [_strike(10, "2024-05-15", True), _strike(500, "2024-05-13", False)])
    assert [(e.date, e.date_inferred) for e in merged] == [("2024-05-13", False)]


def test_a_dated_mention_of_the_same_day_makes_the_event_stated():
    merged = merge_events("a", [_strike(10, "2024-05-14", True), _strike(500, "2024-05-14", False),
                                _strike(900, "2024-05-15", False)])
    assert sorted((e.date, e.date_inferred) for e in merged) == [("2024-05-14", False), ("2024-05-15", False)]


@pytest.mark.parametrize("published", [None, "", "not a date", "2024-05-15T10:30:00+02:00"])
def test_odd_publication_dates_do_not_break_the_tracker(published):
    text = "Troops clashed on Monday. \u201cWe met today,\u201d the minister said."
    value, _ = day_of(text, "en", published, "said")
    assert value is None or value.startswith("20")


def test_the_day_of_a_noun_inside_an_event_noun_is_that_noun_s():
    text = ("El ministerio convocó el viernes a la encargada de negocios para expresar su rechazo a las "
            "declaraciones del día anterior.")
    assert day_of(text, "es", "2025-09-12", "rechazo")[0] == "2025-09-12"

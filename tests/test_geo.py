"""Countries, demonyms, capitals and IGOs -> ISO-3 (dyad.geo)."""

from __future__ import annotations

import pytest

from dyad import geo
from dyad.geo import GeoHit, country_name, demonym, find_all, lookup


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_every_un_member_round_trips(lang: str) -> None:
    members = geo.un_members()
    assert len(members) == 193
    bad = []
    for iso3 in members + ["PSE", "VAT", "TWN", "XKX"]:
        name = country_name(iso3, lang)
        hit = lookup(name, lang) if name else None
        if hit is None or hit.iso3 != iso3:
            bad.append((iso3, name, hit))
    assert bad == []


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_every_un_member_has_a_demonym(lang: str) -> None:
    data = geo._lang_data(lang)["demonyms"]
    # The Republic of the Congo shares "Congolese"/"congolais"/"congoleño" with the DRC (documented).
    missing = [iso for iso in geo.un_members() if iso not in data and iso != "COG"]
    if lang == "en":
        missing = [iso for iso in missing if iso != "DMA"]  # "Dominican" goes to the Dominican Republic
    assert missing == []
    for iso3, forms in data.items():
        for form in forms:
            assert demonym(form, lang) == iso3, (form, lang)


def test_country_names() -> None:
    assert country_name("CHN") == "China"
    assert country_name("FRA", "fr") == "France"
    assert country_name("DEU", "es") == "Alemania"
    assert country_name("IGO") is None


@pytest.mark.parametrize(
    "text,lang,iso3,kind",
    [
        ("CHINA", "en", "CHN", "country"),
        ("China", "es", "CHN", "country"),
        ("la Chine", "fr", "CHN", "country"),
        ("les États-Unis", "fr", "USA", "country"),
        ("Etats Unis", "fr", "USA", "country"),
        ("el Reino Unido", "es", "GBR", "country"),
        ("EE.UU.", "es", "USA", "country"),
        ("US", "en", "USA", "country"),
        ("U.S.", "en", "USA", "country"),
        ("USA", "en", "USA", "country"),
        ("UK", "en", "GBR", "country"),
        ("Britain", "en", "GBR", "country"),
        ("Russia", "en", "RUS", "country"),
        ("Russie", "fr", "RUS", "country"),
        ("Iran", "en", "IRN", "country"),
        ("Syria", "en", "SYR", "country"),
        ("North Korea", "en", "PRK", "country"),
        ("Corée du Nord", "fr", "PRK", "country"),
        ("South Korea", "en", "KOR", "country"),
        ("Taiwan", "en", "TWN", "country"),
        ("Palestine", "en", "PSE", "country"),
        ("Palestinian territories", "en", "PSE", "country"),
        ("Vatican", "en", "VAT", "country"),
        ("Ivory Coast", "en", "CIV", "country"),
        ("Côte d'Ivoire", "fr", "CIV", "country"),
        ("Côte d’Ivoire", "en", "CIV", "country"),
        ("Czech Republic", "en", "CZE", "country"),
        ("Czechia", "en", "CZE", "country"),
        ("Burma", "en", "MMR", "country"),
        ("Myanmar", "en", "MMR", "country"),
        ("Holland", "en", "NLD", "country"),
        ("DRC", "en", "COD", "country"),
        ("Saint Kitts and Nevis", "en", "KNA", "country"),
        ("St. Kitts & Nevis", "en", "KNA", "country"),
        ("Chinese", "en", "CHN", "demonym"),
        ("Hungarian", "en", "HUN", "demonym"),
        ("Romanian", "en", "ROU", "demonym"),
        ("American", "en", "USA", "demonym"),
        ("British", "en", "GBR", "demonym"),
        ("chinoises", "fr", "CHN", "demonym"),
        ("russes", "fr", "RUS", "demonym"),
        ("française", "fr", "FRA", "demonym"),
        ("américaine", "fr", "USA", "demonym"),
        ("britannique", "fr", "GBR", "demonym"),
        ("grecque", "fr", "GRC", "demonym"),
        ("chinos", "es", "CHN", "demonym"),
        ("rusa", "es", "RUS", "demonym"),
        ("francesa", "es", "FRA", "demonym"),
        ("estadounidense", "es", "USA", "demonym"),
        ("marroquíes", "es", "MAR", "demonym"),
        ("Pékin", "fr", "CHN", "capital"),
        ("Pekín", "es", "CHN", "capital"),
        ("Beijing", "en", "CHN", "capital"),
        ("Moscou", "fr", "RUS", "capital"),
        ("Moscú", "es", "RUS", "capital"),
        ("Washington", "en", "USA", "capital"),
        ("Londres", "fr", "GBR", "capital"),
        ("Tokio", "es", "JPN", "capital"),
        ("Kremlin", "en", "RUS", "capital"),
        ("White House", "en", "USA", "capital"),
        ("la Maison Blanche", "fr", "USA", "capital"),
        ("la Casa Blanca", "es", "USA", "capital"),
        ("l'Élysée", "fr", "FRA", "capital"),
        ("Downing Street", "en", "GBR", "capital"),
        ("Pentagon", "en", "USA", "capital"),
        ("Quai d'Orsay", "fr", "FRA", "capital"),
        ("Zhongnanhai", "en", "CHN", "capital"),
        ("Ouagadougou", "fr", "BFA", "capital"),
        ("Kigali", "en", "RWA", "capital"),
        ("russo-", "fr", "RUS", "prefix"),
        ("Sino-", "en", "CHN", "prefix"),
    ],
)
def test_lookup(text: str, lang: str, iso3: str, kind: str) -> None:
    hit = lookup(text, lang)
    assert hit is not None, text
    assert (hit.iso3, hit.kind) == (iso3, kind)


@pytest.mark.parametrize(
    "text,lang,name",
    [
        ("Conseil de sécurité des Nations Unies", "fr", "United Nations Security Council"),
        ("le Conseil de sécurité de l'ONU", "fr", "United Nations Security Council"),
        ("Consejo de Seguridad de la ONU", "es", "United Nations Security Council"),
        ("UN Security Council", "en", "United Nations Security Council"),
        ("OMS", "fr", "World Health Organization"),
        ("WHO", "en", "World Health Organization"),
        ("G20", "en", "Group of Twenty"),
        ("G-20", "fr", "Group of Twenty"),
        ("l'Union européenne", "fr", "European Union"),
        ("UE", "es", "European Union"),
        ("Bruxelles", "fr", "European Union"),
        ("OTAN", "fr", "North Atlantic Treaty Organization"),
        ("Banque mondiale", "fr", "World Bank"),
        ("FMI", "es", "International Monetary Fund"),
        ("AIEA", "fr", "International Atomic Energy Agency"),
        ("HCR", "fr", "United Nations High Commissioner for Refugees"),
        ("Ligue arabe", "fr", "Arab League"),
        ("OCS", "fr", "Shanghai Cooperation Organisation"),
        ("CPI", "fr", "International Criminal Court"),
        ("CIJ", "fr", "International Court of Justice"),
        ("CEDEAO", "fr", "Economic Community of West African States"),
        ("Mercosur", "es", "Mercosur"),
        ("OEA", "es", "Organization of American States"),
        ("CICR", "fr", "International Committee of the Red Cross"),
    ],
)
def test_igos(text: str, lang: str, name: str) -> None:
    hit = lookup(text, lang)
    assert hit is not None and hit.iso3 == "IGO" and hit.kind == "igo", text
    assert hit.name == name


def test_igo_sectors() -> None:
    assert geo.igo_sector("United Nations") == "IGO"
    assert geo.igo_sector("CPI") == "JUD"
    assert geo.igo_sector("International Committee of the Red Cross") == "NGO"
    assert len(geo._igo_data()["igos"]) >= 60


@pytest.mark.parametrize(
    "text,lang",
    [("us", "en"), ("au", "fr"), ("un", "fr"), ("who", "en"), ("polish", "en"), ("la réunion", "fr"),
     ("nothing here", "en"), ("", "en")],
)
def test_lookup_rejects_common_words(text: str, lang: str) -> None:
    assert lookup(text, lang) is None


def test_demonym() -> None:
    assert demonym("russe", "fr") == "RUS"
    assert demonym("Chinese", "en") == "CHN"
    assert demonym("china", "es") == "CHN"
    assert demonym("China", "en") is None  # a country name, not a demonym
    assert demonym("polish", "en") is None


def _found(text: str, lang: str) -> list[tuple[str, str, str]]:
    return [(text[s:e], h.iso3, h.kind) for s, e, h in find_all(text, lang)]


def test_find_all_french() -> None:
    text = "La coopération russo-chinoise, le Niger et le Nigeria, les États-Unis et l'Union européenne à Pékin."
    assert _found(text, "fr") == [
        ("russo-", "RUS", "prefix"),
        ("chinoise", "CHN", "demonym"),
        ("Niger", "NER", "country"),
        ("Nigeria", "NGA", "country"),
        ("États-Unis", "USA", "country"),
        ("Union européenne", "IGO", "igo"),
        ("Pékin", "CHN", "capital"),
    ]


def test_find_all_english_case_and_boundaries() -> None:
    text = "The U.S. and CHINA met French officials in Paris; fine china and roast turkey in Turkey. Sino-US ties."
    assert _found(text, "en") == [
        ("U.S.", "USA", "country"),
        ("CHINA", "CHN", "country"),
        ("French", "FRA", "demonym"),
        ("Paris", "FRA", "capital"),
        ("Turkey", "TUR", "country"),
        ("Sino-", "CHN", "prefix"),
        ("US", "USA", "country"),
    ]
    assert _found("Nigerians and Chinese-made goods; Indochinese", "en") == [
        ("Nigerians", "NGA", "demonym"),
        ("Chinese", "CHN", "demonym"),
    ]


def test_find_all_spanish() -> None:
    text = "El canciller chino viajó a Estados Unidos y se reunió con la OTAN en Bruselas."
    assert _found(text, "es") == [
        ("chino", "CHN", "demonym"),
        ("Estados Unidos", "USA", "country"),
        ("OTAN", "IGO", "igo"),
        ("Bruselas", "IGO", "igo"),
    ]


def test_geohit_is_hashable() -> None:
    hit = lookup("China", "en")
    assert isinstance(hit, GeoHit)
    assert {hit: 1}[hit] == 1


def test_a_capital_is_not_known_by_another_country_s_big_city() -> None:
    # geonames lists "Delhi" among Dili's alternate names; India's capital region is not Timor-Leste
    assert lookup("Delhi", "en") is None or lookup("Delhi", "en").iso3 != "TLS"
    assert lookup("Dili", "en").iso3 == "TLS"
    assert lookup("San José", "es").iso3 == "CRI"
    assert geo.is_big_city("Lagos") and not geo.is_big_city("Quai d'Orsay")

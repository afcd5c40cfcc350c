"""French event coding on sentences written for these tests (not the seeds)."""

from __future__ import annotations

import pytest

from conftest import events_of

PUB = "2021-04-16"  # a Friday


@pytest.fixture(scope="module")
def fr(extract):
    return lambda text, published=PUB: extract(text, lang="fr", published=published)


def test_phone_call_with_counterpart_and_weekday(fr):
    art = fr("Le président français Emmanuel Macron s'est entretenu jeudi par téléphone "
             "avec son homologue américain Joe Biden.")
    (e,) = art.events
    assert (e.type, e.mode, e.cameo) == ("CONSULT", "phone", "041")
    assert (e.source.name, e.source.country) == ("Emmanuel Macron", "FRA")
    assert (e.target.name, e.target.country) == ("Joe Biden", "USA")
    assert e.date == "2021-04-15"


def test_ready_to_strengthen_cooperation_and_inverted_speech(fr):
    art = fr("L'Allemagne est prête à renforcer la coopération avec le Japon, "
             "a déclaré le chancelier allemand Olaf Scholz.")
    assert events_of(art) == {("AGREE", "DEU", "JPN")}
    (q,) = art.quotes
    assert q.speaker.name == "Olaf Scholz" and q.speaker.country == "DEU"
    assert q.text.startswith("L'Allemagne est prête") and q.cue == "a déclaré"


def test_passive_recu_par(fr):
    art = fr("Le ministre malien des Affaires étrangères a été reçu mercredi par le président "
             "algérien Abdelmadjid Tebboune à Alger.")
    (e,) = art.events
    assert e.type == "CONSULT" and (e.source.country, e.target.country) == ("DZA", "MLI")
    assert e.date == "2021-04-14" and e.place.country == "DZA"


def test_demonym_on_a_state_noun(fr):
    art = fr("Le Premier ministre indien Narendra Modi a critiqué le gouvernement chinois.")
    assert events_of(art) == {("ACCUSE", "IND", "CHN")}


def test_negation(fr):
    art = fr("La Russie n'a pas condamné l'Ukraine.")
    (e,) = art.events
    assert e.type == "ACCUSE" and e.negated


def test_capitals_stand_for_states_and_misparsed_object(fr):
    assert events_of(fr("Pékin a exhorté Washington à cesser ses ventes d'armes à Taïwan.")) == {
        ("REQUEST", "CHN", "USA")}


def test_demonym_adjective_as_target(fr):
    art = fr("Les forces russes ont bombardé la ville ukrainienne de Kharkiv lundi.")
    (e,) = art.events
    assert (e.type, e.source.country, e.target.country) == ("ASSAULT", "RUS", "UKR")
    assert e.date == "2021-04-12"


def test_apposition_chain_subject_and_frame_phrase(fr):
    # "Lors de …" long clause, an apposition chain the parser gets wrong, "M. X" short form
    art = fr("Le ministre brésilien des Affaires étrangères, Carlos França, a rencontré mardi son homologue "
             "argentin, Felipe Solá. Lors d'une conversation téléphonique avec son homologue chilien, "
             "Andrés Allamand, M. França a indiqué que le Brésil était prêt à renforcer la coordination "
             "avec le Chili.")
    got = {(e.type, e.source.name, e.target.name) for e in art.events}
    assert ("CONSULT", "Carlos França", "Felipe Solá") in got
    assert ("CONSULT", "Carlos França", "Andrés Allamand") in got
    assert ("AGREE", "Brazil", "Chile") in got
    phone = next(e for e in art.events if e.target.name == "Andrés Allamand")
    assert phone.mode == "phone" and phone.target.country == "CHL"
    assert [q.speaker.name for q in art.quotes] == ["Carlos França"]


def test_quote_with_pronoun_speaker(fr):
    art = fr("Le chef de la diplomatie italienne, Luigi Di Maio, a salué le soutien de l'Espagne. "
             "« L'Italie n'oubliera jamais cette solidarité », a-t-il déclaré.")
    assert ("SUPPORT", "ITA", "ESP") in events_of(art)
    q = next(q for q in art.quotes if q.direct)
    assert q.speaker.name == "Luigi Di Maio" and q.text.startswith("L'Italie n'oubliera")


def test_compound_actor_gives_two_actors(fr):
    art = fr("Des responsables hongrois et roumains ont convenu mercredi de coopérer pour encourager le "
             "retour des réfugiés.")
    (e,) = art.events
    assert e.type == "AGREE" and {e.source.country, e.target.country} == {"HUN", "ROU"}
    assert e.date == "2021-04-14"


def test_nominal_between(fr):
    assert events_of(fr("Les pourparlers entre Israël et l'Égypte se sont tenus dimanche au Caire.")) == {
        ("CONSULT", "ISR", "EGY")}


def test_reported_intent_with_que_clause(fr):
    art = fr("Le ministre indien des Affaires étrangères a déclaré que l'Inde était prête à coopérer avec le Japon.")
    assert events_of(art) == {("AGREE", "IND", "JPN")}
    (q,) = art.quotes
    assert q.speaker.country == "IND" and q.text == "l'Inde était prête à coopérer avec le Japon"


def test_coordinated_subject_the_parser_splits(fr):
    # the parser hangs "le Japon" on "Sud" and makes "devraient" the root
    art = fr("La Corée du Sud et le Japon devraient renforcer leur coopération en matière de sécurité, "
             "a estimé jeudi le ministre japonais.")
    assert events_of(art) == {("AGREE", "KOR", "JPN")}


def test_passive_with_agent(fr):
    art = fr("Les soldats ukrainiens ont été attaqués mardi par les forces russes près de Kharkiv.")
    (e,) = art.events
    assert (e.type, e.source.country, e.target.country, e.date) == ("ASSAULT", "RUS", "UKR", "2021-04-13")


def test_a_demonym_on_the_act_names_the_state_that_acts(fr):
    art = fr("Une frappe israélienne a tué cinq personnes dimanche dans le sud du Liban.")
    assert ("ASSAULT", "ISR", "LBN") in events_of(art)
    art = fr("Les sanctions américaines visent trois ministres vénézuéliens.")
    assert ("SANCTION", "USA", "VEN") in events_of(art)


def test_people_of_the_story_s_state_without_a_title(fr):
    # nobody names Mansur Hassan's country: the article's state is his
    art = fr("Des hommes armés ont enlevé 87 villageois dans l'État de Kaduna, au Nigeria. "
             "Mansur Hassan a condamné l'enlèvement et appelé les ravisseurs à libérer les otages.")
    assert any(e.source and e.source.name == "Mansur Hassan" and e.source.country == "NGA" for e in art.events), \
        [(e.type, e.source and (e.source.name, e.source.country)) for e in art.events]


def test_holding_someone_responsible_is_an_accusation(extract):
    art = extract("Le gouvernement malien tient la France pour responsable de l'attaque.", lang="fr", published="2024-01-10")
    assert {(e.source.country, e.target.country) for e in art.events if e.type == "ACCUSE" and not e.cues} == {("MLI", "FRA")}


def test_a_list_the_parser_hung_on_a_dateline_and_a_parenthesis(extract):
    art = extract("RABAT, 7 avril. /TASS/. Le Burkina Faso, le Mali et le Niger (l’Alliance des États du Sahel, AES) "
                  "ont décidé de rappeler leurs ambassadeurs en Algérie.", lang="fr", published="2025-04-07")
    got = {(e.type, e.source.country, e.target.country) for e in art.events}
    assert got == {("SANCTION", c, "DZA") for c in ("BFA", "MLI", "NER")}


def test_a_name_conjoined_with_a_title_and_name(extract):
    art = extract("Le conseiller fédéral Ignazio Cassis et son homologue russe Sergueï Lavrov se sont rencontrés "
                  "vendredi à Genève.", lang="fr", published="2021-06-12")
    assert {(e.type, e.target.country) for e in art.events} == {("CONSULT", "RUS")}


def test_accused_each_other(extract):
    art = extract("Le Rwanda et la RDC se sont accusés mutuellement de soutenir des rebelles.", lang="fr",
                  published="2022-06-12")
    got = {(e.type, e.source.country, e.target.country) for e in art.events if e.type == "ACCUSE"}
    assert got == {("ACCUSE", "RWA", "COD"), ("ACCUSE", "COD", "RWA")}

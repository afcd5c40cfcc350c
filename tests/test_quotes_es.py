"""Citas en español sobre frases escritas para estas pruebas: quién dijo qué, y solo lo que dijo."""

from __future__ import annotations

import pytest

PUB = "2024-05-18"


@pytest.fixture(scope="module")
def es(extract):
    return lambda text: extract(text, lang="es", published=PUB)


def by_text(article, words):
    found = [q for q in article.quotes if words in q.text]
    assert found, [(q.speaker and q.speaker.name, q.text) for q in article.quotes]
    return found[0]


def test_aseguro_que_and_null_subject_dijo(es):
    art = es("El canciller paraguayo, Rubén Ramírez, aseguró el martes que el acuerdo se firmará en junio. "
             "Además, dijo que Asunción espera una respuesta de Brasilia.")
    q = by_text(art, "el acuerdo se firmará en junio")
    assert q.speaker.country == "PRY" and not q.text.startswith("el martes que")
    q = by_text(art, "Asunción espera una respuesta")
    assert q.speaker.name.startswith("Rubén Ramírez")  # the dictionary knows him as Rubén Ramírez Lezcano


def test_segun_la_cancilleria(es):
    art = es("La Cancillería de Colombia convocó al embajador venezolano. "
             "Según la cancillería, la reunión se celebrará el lunes en Bogotá.")
    q = by_text(art, "la reunión se celebrará el lunes")
    assert q.speaker.country == "COL" and "Según" not in q.text


def test_title_de_pais_gives_the_country(es):
    art = es("El fiscal general de Bolivia, Juan Lanchipa, informó que doce personas fueron detenidas.")
    q = by_text(art, "doce personas fueron detenidas")
    assert q.speaker.country == "BOL"


def test_califico_como_keeps_only_the_quoted_words(es):
    art = es("El presidente chileno Gabriel Boric calificó el ataque como «inaceptable».")
    q = by_text(art, "inaceptable")
    assert q.text == "inaceptable" and q.speaker.country == "CHL"


def test_quotation_over_two_sentences_then_pronoun_free_attribution(es):
    art = es("«No vamos a retroceder. La frontera seguirá cerrada», afirmó el ministro peruano del Interior, "
             "Juan José Santiváñez.")
    q = by_text(art, "No vamos a retroceder")
    assert "La frontera seguirá cerrada" in q.text and q.speaker.country == "PER"


def test_confirmo_object_content(es):
    art = es("El Ministerio de Defensa de Ecuador confirmó la muerte de tres soldados en la frontera.")
    q = by_text(art, "la muerte de tres soldados")
    assert q.speaker.country == "ECU"


def test_null_subject_after_a_quotation_is_the_last_named_subject(es):
    art = es("«No habrá marcha atrás», afirmó el canciller uruguayo, Mario Lubetkin. "
             "Por su parte, el presidente de Bolivia, Luis Arce, agradeció el apoyo de Brasilia. "
             "«Estamos muy agradecidos por la ayuda de nuestros vecinos», expresó.")
    q = by_text(art, "Estamos muy agradecidos")
    assert q.speaker.name == "Luis Arce"


def test_fuentes_y_testigos_anonimos(es):
    art = es("Hombres armados atacaron una patrulla del ejército en el estado de Michoacán, en México, el jueves. "
             "Los soldados patrullaban la zona cuando los delincuentes abrieron fuego, según fuentes militares. "
             "Los atacantes huyeron hacia la sierra, dijeron los testigos.")
    q = by_text(art, "Los soldados patrullaban la zona")
    assert q.speaker.country == "MEX" and "source" in q.speaker.name
    q = by_text(art, "Los atacantes huyeron")
    assert q.speaker.country == "MEX" and "witness" in q.speaker.name


def test_la_agencia_a_la_que_se_dijo_no_es_quien_habla(es):
    art = es("Hombres armados atacaron una patrulla en Michoacán, México. Cuatro soldados murieron, dijo a EFE una fuente militar.")
    q = by_text(art, "Cuatro soldados murieron")
    assert "source" in q.speaker.name and q.speaker.country == "MEX"


def test_el_cuerpo_militar_is_the_organisation_that_acted_before(es):
    art = es("La Guardia Revolucionaria de Irán anunció este martes el lanzamiento de misiles. En un comunicado, "
             "el cuerpo militar afirmó que decenas de misiles balísticos han impactado en objetivos. Además, "
             "advirtieron que cualquier respuesta será recibida con un contraataque.")
    for words in ("decenas de misiles", "cualquier respuesta"):
        q = by_text(art, words)
        assert q.speaker.country == "IRN" and "Revolutionary Guard" in q.speaker.name


def test_quien_dijo_que_speaks_for_its_antecedent(es):
    art = es("El ministro de Defensa colombiano, Iván Velásquez, quien dijo que la situación es grave, viajó a Cali.")
    q = by_text(art, "la situación es grave")
    assert q.speaker.name == "Iván Velásquez" and q.text == "la situación es grave"


def test_a_relative_que_is_no_complementizer(es):
    art = es("Las fuerzas saudíes interceptaron un misil, informó la coalición árabe liderada por Riad que "
             "interviene en el Yemen.")
    assert not any(q.text.startswith("interviene") for q in art.quotes)


def test_the_agency_a_speaker_talks_to_is_not_their_country(es):
    art = es("La policía de Kano detuvo el lunes a veinte manifestantes en el norte de Nigeria. "
             '"No permitiremos la violencia", dijo el portavoz Haruna Atiku a la agencia Reuters.')
    assert by_text(art, "No permitiremos la violencia").speaker.country == "NGA"


def test_segun_las_autoridades_is_the_state_the_story_is_about(es):
    art = es("Unos hombres armados secuestraron el viernes a seis turistas en el norte de Camerún. Según "
             "las autoridades, los turistas fueron secuestrados en la localidad de Moungo-Dor.")
    assert by_text(art, "los turistas fueron secuestrados").speaker.country == "CMR"

"""Citations en français sur des phrases écrites pour ces tests : qui a dit quoi, et seulement ce qui a été dit."""

from __future__ import annotations

import pytest

PUB = "2024-05-18"


@pytest.fixture(scope="module")
def fr(extract):
    return lambda text: extract(text, lang="fr", published=PUB)


def by_text(article, words):
    found = [q for q in article.quotes if words in q.text]
    assert found, [(q.speaker and q.speaker.name, q.text) for q in article.quotes]
    return found[0]


def test_a_t_il_declare_after_a_quotation_naming_someone_else(fr):
    art = fr("Le ministre sénégalais de l'Intérieur, Amadou Diallo, s'est exprimé jeudi à Dakar. "
             "« Le verdict de Moussa Ndiaye doit être appliqué sans délai », a-t-il déclaré.")
    q = by_text(art, "Le verdict de Moussa Ndiaye doit être appliqué")
    assert q.speaker.name == "Amadou Diallo" and q.direct


def test_a_estime_que_and_selon(fr):
    art = fr("Le président ivoirien Alassane Ouattara a estimé mardi que la médiation restait possible. "
             "Selon le gouvernement malien, les négociations reprendront la semaine prochaine.")
    q = by_text(art, "la médiation restait possible")
    assert q.speaker.country == "CIV" and not q.text.startswith("mardi")
    q = by_text(art, "les négociations reprendront")
    assert q.speaker.country == "MLI" and "Selon" not in q.text


def test_role_with_a_demonym_speaks_for_its_state(fr):
    art = fr("Les diplomates devront quitter le territoire sous quinze jours, a précisé la cheffe de la diplomatie "
             "belge, lors d'un débat sur l'Ukraine.")
    q = by_text(art, "Les diplomates devront quitter le territoire")
    assert q.speaker.country == "BEL"


def test_quotation_over_two_sentences(fr):
    art = fr("« Nous ne céderons pas. Le dialogue reste notre seule voie », a affirmé le Premier ministre "
             "tunisien Ahmed Hachani.")
    q = by_text(art, "Nous ne céderons pas")
    assert "Le dialogue reste notre seule voie" in q.text and q.speaker.country == "TUN"


def test_qualifie_de_keeps_only_the_quoted_words(fr):
    art = fr("Le ministre algérien des Affaires étrangères, Ahmed Attaf, a qualifié la décision de « grave erreur ».")
    q = by_text(art, "grave erreur")
    assert q.text == "grave erreur" and q.speaker.country == "DZA"


def test_object_of_a_speech_act(fr):
    art = fr("Le président kényan William Ruto a exprimé ses vives inquiétudes sur la situation au Soudan.")
    q = by_text(art, "ses vives inquiétudes")
    assert q.speaker.country == "KEN"


def test_the_document_speaks_for_its_author(fr):
    art = fr("« Le Niger ferme sa frontière avec le Bénin », a déclaré le général nigérien Salifou Mody. "
             "« Cette mesure restera en vigueur jusqu'à nouvel ordre », précise le communiqué.")
    q = by_text(art, "Cette mesure restera en vigueur")
    assert q.speaker.country == "NER"


def test_selon_des_sources_securitaires_et_des_temoins(fr):
    art = fr("Des jihadistes ont attaqué une patrouille de l'armée dans l'est du Burkina Faso samedi. "
             "Le bilan pourrait être plus lourd, selon des sources sécuritaires. "
             "Les assaillants sont arrivés à moto depuis la frontière, ont raconté des témoins.")
    q = by_text(art, "Le bilan pourrait être plus lourd")
    assert q.speaker.country == "BFA" and "source" in q.speaker.name
    q = by_text(art, "Les assaillants sont arrivés")
    assert q.speaker.country == "BFA" and "witness" in q.speaker.name


def test_the_agency_told_is_not_the_speaker(fr):
    art = fr("Des jihadistes ont attaqué une patrouille dans l'est du Burkina Faso samedi. "
             "Le bilan est de quatre morts, a déclaré à l'AFP une source sécuritaire.")
    q = by_text(art, "Le bilan est de quatre morts")
    assert "source" in q.speaker.name and q.speaker.country == "BFA"


def test_qui_a_affirme_que_speaks_for_its_antecedent(fr):
    art = fr("La proposition a été rejetée par le ministre malien des Affaires étrangères, Abdoulaye Diop, "
             "qui a affirmé que la situation est grave.")
    q = by_text(art, "la situation est grave")
    assert q.speaker.name == "Abdoulaye Diop" and q.text == "la situation est grave"


def test_quotation_over_several_paragraphs_is_one_speakers_per_paragraph(fr):
    art = fr("Le ministre émirati des Affaires étrangères, Abdallah ben Zayed, a déclaré jeudi à Conakry : « La rencontre d’aujourd’hui est une opportunité "
             "d’apprendre beaucoup de choses. Nous avons vu un président humble.\n\n"
             "Nous avons mis à profit cette visite pour transmettre le message de fraternité du président des "
             "Emirats. Nous avons été reçus avec honneur.\n\n"
             "Dans les jours à venir, nos relations de coopération vont se renforcer davantage ».\n\n"
             "Le président Condé a ensuite reçu l’ambassadeur de France.")
    for words in ("La rencontre d’aujourd’hui", "Nous avons mis à profit", "nos relations de coopération"):
        q = by_text(art, words)
        assert q.speaker.country == "ARE" and "Zayed" in q.speaker.name and q.direct
    assert not any("Le président Condé a ensuite" in q.text for q in art.quotes)


def test_a_quotation_closed_by_another_mark_does_not_run_on(fr):
    art = fr("Le Premier ministre arménien Nikol Pachinian a averti que Bakou porterait « la responsabilité des "
             "conséquences imprévisibles\".\n\n"
             "Le président azerbaïdjanais Ilham Aliev a dénoncé « une nouvelle provocation de l'Arménie ».")
    assert not any("Aliev" in q.text for q in art.quotes)


def test_the_agency_a_speaker_talks_to_is_not_their_country(fr):
    art = fr("Le gouvernement burundais a interdit les manifestations à Bujumbura. « Ces manifestations "
             "sont illégales », a déclaré à l'AFP le porte-parole Liboire Bakunduwukize.")
    assert by_text(art, "Ces manifestations sont illégales").speaker.country == "BDI"


def test_selon_les_autorites_is_the_state_the_story_is_about(fr):
    art = fr("Des hommes armés ont enlevé six touristes dans le nord du Cameroun vendredi. Selon les "
             "autorités, ces touristes ont été enlevés dans la localité de Moungo-Dor.")
    assert by_text(art, "ces touristes ont été enlevés").speaker.country == "CMR"

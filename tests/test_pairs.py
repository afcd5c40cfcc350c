"""Positional pair proposals (dyad.pairs): a trigger whose rules found no dyad gets every pair of
actors near it, described for the learned layer; the layer keeps at most one pair per trigger."""

from __future__ import annotations

import json

import pytest

PUB = "2024-03-13"

# sentences where the trigger's own rules find no (source, target): a relative-clause subject, a
# nominal whose sides are objects of another verb
SENTENCES = [
    ("en", "Russian Foreign Minister Sergey Lavrov, who met Chinese Foreign Minister Wang Yi in Beijing on "
           "Monday, said relations were at their best."),
    ("fr", "Lundi matin, des combats ont opposé l'armée tchadienne à des rebelles soudanais près d'Abéché."),
    ("es", "Un ataque de las disidencias de las FARC contra una base militar colombiana dejó dos soldados muertos."),
]


def _pairs(article):
    return [e for e in article.events if "pair" in e.cues]


def test_pairs_are_proposed_with_a_description(extract):
    found = 0
    for lang, text in SENTENCES:
        art = extract(text, lang=lang, published=PUB)
        for e in _pairs(art):
            found += 1
            assert e.source is not None and e.target is not None and e.source.id != e.target.id
            assert any(k.startswith("pair:s_rel=") for k in e.cues) and any(k.startswith("pair:t_rel=") for k in e.cues)
    assert found >= 2


def test_a_pair_never_joins_a_state_and_its_own_people(extract):
    art = extract(SENTENCES[1][1], lang="fr", published=PUB)
    for e in _pairs(art):
        both = {e.source.kind, e.target.kind}
        assert not ("state" in both and e.source.country == e.target.country)


def test_pair_descriptions_are_not_written_out(extract):
    art = extract(SENTENCES[2][1], lang="es", published=PUB)
    out = json.dumps(art.to_dict())
    assert '"cues"' not in out and "pair:" not in out


def test_pairs_only_where_the_rules_found_no_dyad(extract):
    # the rules code this one ("X met Y"): no positional guesses beside it
    art = extract("Chinese President Xi Jinping met French President Emmanuel Macron in Beijing on Friday.",
                  lang="en", published=PUB)
    assert art.events and not _pairs(art)


@pytest.mark.parametrize("lang,text", SENTENCES)
def test_the_layer_keeps_at_most_one_pair_per_trigger(extract_decided, lang, text):
    from dyad.decide import proposal_group

    art = extract_decided(text, lang=lang, published=PUB)
    groups = [proposal_group(e) for e in art.events if e.cues]
    assert len(groups) == len(set(groups))
    assert all(0.0 < e.confidence < 1.0 for e in art.events)


def test_the_model_has_a_pair_table():
    from importlib import resources

    model = json.loads(resources.files("dyad").joinpath("data", "event_scorer.json").read_text(encoding="utf-8"))
    assert 0.0 < model["pair_threshold"] < 1.0
    assert "pair:rels=subj>obj" in model["pair_weights"] or any(k.startswith("pair:rels=") for k in model["pair_weights"])

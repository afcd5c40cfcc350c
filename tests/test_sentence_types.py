"""The sentence-type model (dyad.sentence_types) the learned layer reads: one multilingual space,
and the shipped model tells an attack from a visit in every language."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from dyad import sentence_types


@pytest.fixture(scope="module")
def model():
    data = json.loads(resources.files("dyad").joinpath("data", "event_scorer.json").read_text(encoding="utf-8"))
    assert "sentence_types" in data, "make train writes the sentence-type table"
    return data["sentence_types"]


def test_embeddings_are_unit_length_and_shared_across_languages():
    v = sentence_types.embed(["The army attacked the rebels near the border.",
                              "L'armée a attaqué les rebelles près de la frontière.",
                              "El ministro visitó Madrid para firmar un acuerdo comercial."])
    assert v.shape == (3, sentence_types.DIM)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.3
    assert sentence_types.embed([]).shape == (0, sentence_types.DIM)


@pytest.mark.parametrize("attack, visit", [
    ("Gunmen attacked an army post in the north, killing six soldiers.",
     "The president received his Kenyan counterpart for talks on trade."),
    ("Des jihadistes ont attaqué un poste de l'armée dans le nord, tuant six soldats.",
     "Le président a reçu son homologue kényan pour des entretiens sur le commerce."),
    ("Hombres armados atacaron un puesto del ejército en el norte y mataron a seis soldados.",
     "El presidente recibió a su homólogo keniano para conversar sobre comercio."),
])
def test_an_attack_reads_as_assault_and_a_visit_as_consult(model, attack, visit):
    pa, pv = sentence_types.probabilities(sentence_types.embed([attack, visit]), model)
    assert pa["ASSAULT"] > pv["ASSAULT"] and pa["ASSAULT"] > 0.5
    assert pv["CONSULT"] > pa["CONSULT"]
    assert set(pa) == set(model["types"])

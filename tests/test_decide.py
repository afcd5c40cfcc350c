"""The learned layer (dyad.decide): what it keeps of proposed events, and what its confidence
means.  The model file ships in the package; `make train` rebuilds it."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from conftest import events_of

PUB = "2024-03-13"


def test_the_model_ships_in_the_package():
    model = json.loads(resources.files("dyad").joinpath("data", "event_scorer.json").read_text(encoding="utf-8"))
    assert 0.0 < model["threshold"] < 1.0 and model["examples"] > 100
    assert {"bias", "type=ASSAULT", "lang=fr"} <= set(model["weights"])


def test_confidence_is_a_probability_and_the_layer_only_removes(extract, extract_decided):
    text = ("Le ministre chinois des Affaires étrangères Wang Yi s'est entretenu vendredi par téléphone avec "
            "son homologue russe Sergueï Lavrov. Les deux ministres ont condamné les sanctions américaines.")
    proposed, decided = extract(text, lang="fr", published=PUB), extract_decided(text, lang="fr", published=PUB)
    assert events_of(decided) <= events_of(proposed)
    assert all(0.0 < e.confidence < 1.0 for e in decided.events)
    assert ("CONSULT", "CHN", "RUS") in events_of(decided)


def test_the_same_text_gives_the_same_confidences(extract_decided):
    text = "Russia is expelling an Estonian diplomat from Moscow, the Russian Foreign Ministry said on Monday."
    a, b = extract_decided(text, lang="en", published=PUB), extract_decided(text, lang="en", published=PUB)
    assert [(e.type, e.confidence) for e in a.events] == [(e.type, e.confidence) for e in b.events]


def test_off_switch_gives_the_rules_proposals(monkeypatch, extract_decided):
    from dyad import decide

    monkeypatch.setenv("DYAD_DECIDE", "off")
    assert not decide.enabled()
    monkeypatch.setenv("DYAD_DECIDE", "on")
    assert decide.enabled()


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_features_are_language_neutral_records(lang):
    from dyad.decide import features
    from dyad.records import Actor, Article, Event, Evidence

    ev = Event(type="ASSAULT", source=Actor(name="Malian gunmen", country="MLI", sector="REB", kind="group"),
               target=Actor(name="Mali", country="MLI", sector="GOV", kind="state"),
               evidence=[Evidence("…", 0, 10)], confidence=0.8, trigger="attack")
    f = features(ev, Article(text="x" * 100, lang=lang, events=[ev]))
    assert f[f"lang={lang}"] == 1.0 and f["same_country"] == 1.0 and f["type=ASSAULT"] == 1.0


def test_sentences_no_score_could_lift_are_not_embedded_and_nothing_changes(monkeypatch, extract_decided):
    """decide embeds only the sentences whose events the best sentence score could keep; the
    events and confidences are the same as when every sentence is embedded."""
    from dyad import decide

    text = ("Le ministre chinois des Affaires étrangères Wang Yi s'est entretenu vendredi avec son homologue "
            "russe Sergueï Lavrov. Des manifestants ont défilé à Paris contre la réforme des retraites. "
            "L'armée malienne a repoussé une attaque jihadiste près de Gao, selon une source sécuritaire.")
    pruned = extract_decided(text, lang="fr", published=PUB)
    every = {e.evidence[0].start for e in extract_decided(text, lang="fr", published=PUB).events if e.evidence}
    monkeypatch.setattr(decide, "_undecided", lambda article, model, base: {
        e.evidence[0].start for e in article.events if e.evidence} | every)
    full = extract_decided(text, lang="fr", published=PUB)
    assert [(e.type, e.source and e.source.name, e.target and e.target.name, e.confidence) for e in pruned.events] == \
        [(e.type, e.source and e.source.name, e.target and e.target.name, e.confidence) for e in full.events]

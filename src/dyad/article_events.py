"""Rules over one article's events as a whole (the events stage, after every sentence is coded;
one event per key is :mod:`dyad.merge`).

- :func:`refine_mode`: a meeting with an organisation is multilateral, one held in a side's country a visit;
- :func:`protest_targets`: a protest with no target is aimed at the protesters' own state;
- :func:`infer_countries`: an actor without a country takes the one its evidence sentence names;
- :func:`place_officials`: a person with a domestic title or none and still no country is of the
  state the article is about.

The pipeline runs the last three after the registry has resolved the article's actors.
"""

from __future__ import annotations

import dataclasses

from dyad import geo
from dyad.actors import abroad_title, state_actor
from dyad.events import PLACE_TARGET
from dyad.merge import merge_events
from dyad.records import Actor, Article, Event

TITLE_CHARS = 30  # a country named this close before an actor is part of its title


def refine_mode(event: Event) -> None:
    """A meeting with an organisation is multilateral; one held in the target's country is the
    source's visit there (CAMEO 042); in the source's own country, a hosted visit (043)."""
    if event.type != "CONSULT" or event.mode or not event.source or not event.target:
        return
    if event.target.country == "IGO" and event.target.kind == "org":
        event.mode = "multilateral"  # a summit or session of an organisation ("Sommet du G20")
        return
    if not event.place:
        return
    here, src, tgt = event.place.country, event.source.country, event.target.country
    if here and src and tgt and src != tgt:
        if here == tgt:
            event.mode, event.cameo = "visit", "042"
        elif here == src:
            event.mode, event.cameo = "visit", "043"


def protest_targets(article: Article) -> Article:
    """A protest with no target and no place is aimed at the protesters' own state (PLOVER's
    convention), once their country is known ("Some 500,000 workers … stopped work")."""
    changed = False
    for event in article.events:
        src = event.source
        if event.type in PLACE_TARGET and event.target is None and src and src.country and src.country != "IGO":
            event.target = state_actor(src.country)
            changed = True
    if changed:  # a new key: merge again (and new ids)
        article.events = merge_events(article.id, article.events)
    return article


def infer_countries(article: Article) -> Article:
    """An actor still without a country after the registry ("former president Carlos Menem") takes
    the one country its evidence sentence names apart from the event's other actor ("… ordered
    former president Carlos Menem to appear before an Argentine court").  A sentence whose only
    country is the other side's ("President X criticized Israel") says nothing of X's."""
    for event in article.events:
        sentence = event.evidence[0].text if event.evidence else ""
        for side, other in (("source", event.target), ("target", event.source)):
            actor = getattr(event, side)
            if actor is None or actor.country or actor.kind == "state":
                continue
            other_text = (other.mention or other.name) if other else ""
            other_at = sentence.find(other_text) if other_text else -1
            countries = {hit.iso3 for start, end, hit in geo.find_all(sentence, article.lang or "en")
                         if hit.iso3 != "IGO" and sentence[start:end] not in other_text
                         # "… to South African leader F.W. de Klerk": the other actor's title
                         and not (0 <= other_at - end <= TITLE_CHARS and sentence[end:end + 1] != "'")}
            if not countries and side == "source" and actor.kind == "group" and event.type in PLACE_TARGET \
                    and other is not None and other.kind == "state" and other.country != "IGO":
                countries = {other.country}  # "des étudiants ont manifesté à Belgrade": protesters there
            if len(countries) == 1:
                inferred = dataclasses.replace(actor, country=countries.pop(), id="")
                inferred.__post_init__()
                setattr(event, side, inferred)
    return article


def place_officials(article: Article, home: str | None) -> Article:
    """A person the text gives a title held at home or no title at all but, even after the registry,
    no country ("Roberto Ríos, ministro de Gobierno", "le président Ghazouani", "Judge Humayun
    Dilawar", "police spokesperson Mansur Hassan", "said Alicia, a protester") is of the state the
    article is about (`home`: the state it names most): a story's people are mostly its state's.
    A title held towards another state (the pack's `abroad_titles`: ambassador, envoy,
    counterpart) leaves the person without."""
    if not home or not geo.is_state(home):
        return article
    langs = tuple(sorted({article.lang or "en", "en"}))
    placed: dict[str, Actor] = {}

    def place(actor: Actor | None) -> Actor | None:
        if actor is None or actor.kind != "person" or actor.country or abroad_title(actor.title, langs):
            return actor
        if actor.name not in placed:
            placed[actor.name] = dataclasses.replace(actor, country=home, id="")
            placed[actor.name].__post_init__()
        return dataclasses.replace(placed[actor.name], mention=actor.mention)

    for event in article.events:
        event.source, event.target = place(event.source), place(event.target)
    for quote in article.quotes:
        quote.speaker = place(quote.speaker)
    if placed:  # new keys: merge again (and new ids)
        article.events = merge_events(article.id, article.events)
    return article

"""Argument proposals by position, for triggers the parse rules could not complete.

When the coder finds a trigger but its rules find no (source, target) for it — the subject is a
relative pronoun, the parse hung the object elsewhere, the nominal names its sides in an unusual
frame ("des combats ont opposé l'armée à des rebelles", "un ataque de las disidencias a la
subestación") — this stage proposes the pairs of actors named near the trigger in its sentence,
each with a description of where the two stand relative to the trigger: their grammatical
relation to it, their side and distance, the preposition that introduces them, whether they are
the nearest actor on their side.  It decides nothing: the learned layer (`dyad.decide`) reads
these descriptions as features and keeps the pairs that look like the events of development gold.

Everything here is language-neutral (Universal Dependencies and spaCy's English labels, and the
language pack's preposition classes), so a new language pack gets it without new code.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from dyad.actors import SUBJECT_DEPS, ArticleActors, Mention, norm
from dyad.records import Actor

NEAREST = 4  # actors considered per trigger: the nearest to it in the sentence
OBJECT_DEPS = {"dobj", "obj", "iobj", "dative", "attr", "oprd"}
OBLIQUE_DEPS = {"pobj", "obl", "obl:arg", "obl:mod", "obl:agent", "nmod", "agent", "prep"}
POSS_DEPS = {"poss", "nmod:poss"}


def clause_head(anchor: Token) -> Token:
    """The verb whose clause the trigger is in (the trigger itself when it is a verb)."""
    cur = anchor
    for _ in range(4):
        if cur.pos_ in {"VERB", "AUX"} or cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def _relation(head: Token, anchor: Token, verb: Token) -> str:
    """Where an actor's head word stands relative to the trigger."""
    gov = head.head
    if head.dep_ in SUBJECT_DEPS and gov.i in {anchor.i, verb.i}:
        return "subj"
    if head.dep_ in OBJECT_DEPS and gov.i in {anchor.i, verb.i}:
        return "obj"
    if head.dep_ in POSS_DEPS and gov.i == anchor.i:
        return "poss"
    # an oblique of the trigger or its verb, through at most a preposition ("with X", "par X")
    if head.dep_ in OBLIQUE_DEPS and (gov.i in {anchor.i, verb.i}
                                      or (gov.dep_ == "prep" and gov.head.i in {anchor.i, verb.i})):
        return "obl"
    if head.dep_ in {"appos", "conj", "compound", "amod", "flat", "flat:name"} and gov.i == anchor.i:
        return "mod"
    if anchor in head.ancestors:
        return "below"
    if head in anchor.ancestors:
        return "above"
    if verb in head.ancestors:
        return "clause"
    return "other"


def _preposition(mention: Mention, doc, preps: dict[str, set[str]]) -> str:
    """The class of the preposition introducing a mention: target ("with", "avec", "contra"),
    agent ("by", "par", "por"), between, other, or none."""
    head = doc[mention.head]
    words = [c for c in head.children if c.dep_ == "case"]
    if head.dep_ == "pobj":
        words.append(head.head)
    if not words and mention.start > 0 and doc[mention.start - 1].pos_ == "ADP":
        words.append(doc[mention.start - 1])
    if mention.start > 1 and doc[mention.start - 1].pos_ == "DET" and doc[mention.start - 2].pos_ == "ADP":
        words.append(doc[mention.start - 2])
    for w in words:
        word = norm(w.text)
        for name, members in preps.items():
            if word in members:
                return name
    return "other" if words else "none"


def _bucket(n: int) -> str:
    return "1-3" if n <= 3 else "4-8" if n <= 8 else "9-15" if n <= 15 else "16+"


def nearby(sent: Span, anchor: Token, skip: set[int], actors: ArticleActors) -> list[Mention]:
    """The actors of a sentence nearest the trigger, one mention per actor (its nearest)."""
    best: dict[str, Mention] = {}
    for m in actors.in_span(sent.start, sent.end):
        if m.is_place or any(i in skip for i in range(m.start, m.end)):
            continue
        key = m.actor.id or m.actor.name
        if key not in best or abs(m.head - anchor.i) < abs(best[key].head - anchor.i):
            best[key] = m
    return sorted(best.values(), key=lambda m: (abs(m.head - anchor.i), m.start))[:NEAREST]


def propose(sent: Span, anchor: Token, skip: set[int], actors: ArticleActors,
            preps: dict[str, set[str]]) -> list[tuple[Actor, Actor, dict[str, float]]]:
    """(source, target, features) for every ordered pair of distinct actors near the trigger."""
    doc = sent.doc
    verb = clause_head(anchor)
    near = nearby(sent, anchor, skip, actors)
    if len(near) < 2:
        return []
    desc = {}
    before = [m for m in near if m.head < anchor.i]
    after = [m for m in near if m.head > anchor.i]
    for m in near:
        side = "before" if m.head < anchor.i else "after"
        first = (before and m is max(before, key=lambda x: x.head)) or (after and m is min(after, key=lambda x: x.head))
        desc[id(m)] = {
            "rel": _relation(doc[m.head], anchor, verb),
            "side": side,
            "dist": _bucket(abs(m.head - anchor.i)),
            "prep": _preposition(m, doc, preps),
            "nearest": bool(first),
            "pronoun": m.via in {"pronoun", "coref"},
        }
    out = []
    for s in near:
        for t in near:
            if s is t or s.actor.name == t.actor.name:
                continue
            if s.actor.country and s.actor.country == t.actor.country and "state" in {s.actor.kind, t.actor.kind}:
                continue  # a state and its own people: what the rules code as domestic, not a guess
            ds, dt = desc[id(s)], desc[id(t)]
            f = {"pair": 1.0,
                 f"pair:s_rel={ds['rel']}": 1.0, f"pair:t_rel={dt['rel']}": 1.0,
                 f"pair:rels={ds['rel']}>{dt['rel']}": 1.0,
                 f"pair:sides={ds['side']}>{dt['side']}": 1.0,
                 f"pair:s_dist={ds['dist']}": 1.0, f"pair:t_dist={dt['dist']}": 1.0,
                 f"pair:s_prep={ds['prep']}": 1.0, f"pair:t_prep={dt['prep']}": 1.0,
                 "pair:s_nearest": float(ds["nearest"]), "pair:t_nearest": float(dt["nearest"]),
                 "pair:s_first": float(s.start < t.start),
                 "pair:s_pronoun": float(ds["pronoun"]), "pair:t_pronoun": float(dt["pronoun"]),
                 "pair:verb_trigger": float(anchor.pos_ in {"VERB", "AUX"}),
                 f"pair:actors={min(len(near), 4)}": 1.0}
            out.append((s.actor, t.actor, f))
    return out

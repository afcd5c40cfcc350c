"""The place where an event happened.

* :func:`lookup_place` (from :mod:`dyad.gazetteer`) resolves a place name to a :class:`~dyad.records.Place`.
* :func:`event_place` picks, in one spaCy sentence, the place governed by a locative preposition ("in Paris",
  "à Moscou", "en Madrid"), preferring the one attached to the main verb, and ignoring places that only describe
  an actor ("French President") or that complement abstract nouns ("investment in France").

See docs/geography.md.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from dyad import geo
from dyad.gazetteer import country_place, gazetteer_size, lookup_place
from dyad.records import Place

__all__ = ["PLACE_LABELS", "country_place", "event_place", "gazetteer_size", "lookup_place"]

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


# --------------------------------------------------------------------------------------------- event place


@cache
def _pack(lang: str) -> tuple[frozenset[str], tuple[tuple[str, ...], ...], frozenset[str], frozenset[str]]:
    """(single-word locative prepositions, multi-word ones as token tuples, heads to ignore, event nouns)."""
    data = geo._lang_data(lang if lang in geo.LANGS else "en")
    single, multi = set(), []
    for p in data.get("locative_prepositions", []):
        toks = tuple(p.lower().split())
        (single.add(toks[0]) if len(toks) == 1 else multi.append(toks))
    ignore = {w.lower() for w in data.get("place_ignore_heads", [])}
    events = {w.lower() for w in data.get("event_nouns", [])}
    return frozenset(single), tuple(multi), frozenset(ignore), frozenset(events)


def _candidates(sent: Any, lang: str, ents: list[Any] | None = None) -> list[tuple[Any, Place]]:
    """Place mentions in the sentence: GPE/LOC/FAC entities that resolve, then unlabelled proper-noun runs
    the gazetteer knows.  `ents` are the sentence's entities when the caller has them (`Span.ents` scans
    the whole document's entities on every access)."""
    out: list[tuple[Any, Place]] = []
    covered: set[int] = set()
    for ent in sent.ents if ents is None else ents:
        covered.update(range(ent.start, ent.end))
        if ent.label_ in PLACE_LABELS:
            place = lookup_place(ent.text, lang)
            if place is not None:
                out.append((ent, place))
    doc = sent.doc
    i = sent.start
    while i < sent.end:
        if doc[i].pos_ == "PROPN" and i not in covered:
            j = i
            while j < sent.end and doc[j].pos_ == "PROPN" and j not in covered:
                j += 1
            span = doc[i:j]
            place = lookup_place(span.text, lang)
            if place is not None:
                out.append((span, place))
            i = j
        else:
            i += 1
    return out


def _preposition(span: Any, lang: str) -> tuple[Any, Any] | None:
    """(preposition token, token the phrase attaches to) when ``span`` is governed by a locative preposition."""
    single, multi, _, _ = _pack(lang)
    root = span.root
    while root.dep_ == "conj" and root.head.i != root.i:  # "au Brésil et en Chine": inherit the first conjunct's
        own = [c for c in root.children if c.dep_ == "case"]
        if own:
            break
        root = root.head
    # ClearNLP style (English models): prep -> pobj
    if root.dep_ == "pobj" and root.head.dep_ == "prep":
        prep = root.head
        if prep.lower_ in single:
            return prep, prep.head
    # Universal Dependencies style (French, Spanish): place -case-> preposition
    for child in root.children:
        if child.dep_ in ("case", "fixed") and child.lower_ in single and child.i < span.start:
            return child, root.head
    # Fallback on the surface: the word(s) right before the place (skipping determiners)
    doc = span.doc
    k = span.start - 1
    sent_start = span.sent.start  # computed once: Span.sent walks the sentence on every access
    while k >= sent_start and doc[k].pos_ == "DET":
        k -= 1
    if k >= sent_start:
        if doc[k].lower_ in single:
            return doc[k], doc[k].head
        for toks in multi:
            n = len(toks)
            if k - n + 1 >= sent_start and tuple(t.lower_ for t in doc[k - n + 1:k + 1]) == toks:
                return doc[k], root.head
    return None


def _depth(tok: Any) -> int:
    d = 0
    while tok.head.i != tok.i and d < 50:
        tok, d = tok.head, d + 1
    return d


def _score(span: Any, attach: Any, lang: str) -> float | None:
    """How likely the phrase is the event's place; None when it must be ignored."""
    _, _, ignore, events = _pack(lang)
    if attach.lower_ in ignore or attach.lemma_.lower() in ignore:
        return None
    if attach.ent_type_ in ("PERSON", "PER", "NORP"):  # "Macron in Paris" still counts, but weakly
        score = 0.5
    elif attach.pos_ in ("VERB", "AUX"):
        score = 3.0 + (1.0 if attach.dep_ == "ROOT" else 0.0)
    elif attach.lower_ in events or attach.lemma_.lower() in events:
        score = 2.0
    elif attach.pos_ in ("NOUN", "PROPN"):
        score = 1.0
    else:
        score = 0.5
    return score - 0.01 * _depth(attach)


def event_place(sent: Any, lang: str, ents: list[Any] | None = None) -> Place | None:
    """The place where the event of one sentence (a spaCy Span) happened, or None when no place is governed by a
    locative preposition.  Among several, the one attached to the main verb wins, then the shallowest, then the
    first.  `ents`: the sentence's entities, if the caller has them."""
    best: tuple[float, int, Place] | None = None
    for span, place in _candidates(sent, lang, ents):
        found = _preposition(span, lang)
        if found is None or geo.across_border(span):
            continue
        score = _score(span, found[1], lang)
        if score is None:
            continue
        if best is None or score > best[0] or (score == best[0] and span.start < best[1]):
            best = (score, span.start, place)
    return best[2] if best else None

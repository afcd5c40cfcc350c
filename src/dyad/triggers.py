"""The trigger lexicon of a language (`langs/<code>/triggers.yaml`) and its matcher.

A trigger entry's `words` is a sequence of slots: a lemma, a choice `[a|b c|d]` (an alternative
may be several words) or `*` (up to three words of any kind, not crossing punctuation).  Words
match a token's lemma or its text, case- and accent-insensitively.  The anchor of a match is
the matched token highest in the dependency tree; `pos` restricts the anchor's part of speech.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from spacy.tokens import Span, Token
from unidecode import unidecode

from dyad.language import pack
from dyad.ontology import TYPES

GAP = None
MAX_GAP = 3
QUOTES = {"«", "»", "“", "”", "\"", "‘", "’", "„"}  # quotation marks a gap steps over


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    return unidecode(text).lower().replace("’", "'").strip()


@dataclass(frozen=True)
class Trigger:
    words: str
    type: str
    cameo: str | None
    mode: str | None
    pos: str | None
    needs_target: bool
    no_object: bool  # an intransitive sense only ("protesters marched", not "demonstrates a position")
    slots: tuple  # tuple of (tuple of alternatives (tuple of words)) or GAP


@dataclass
class TriggerMatch:
    trigger: Trigger
    tokens: list[Token]
    anchor: Token

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)


def parse_words(words: str) -> tuple:
    slots: list = []
    for part in re.findall(r"\[[^\]]*\]|\S+", words):
        if part == "*":
            slots.append(GAP)
        elif part.startswith("["):
            slots.append(tuple(tuple(norm(w) for w in alt.split()) for alt in part[1:-1].split("|")))
        else:
            slots.append(((norm(part),),))
    return tuple(slots)


@cache
def lexicon(lang: str) -> tuple[Trigger, ...]:
    entries = pack(lang).get("triggers", {}).get("triggers", [])
    out = []
    for e in entries:
        if e["type"] not in TYPES:
            raise ValueError(f"langs/{lang}/triggers.yaml: unknown PLOVER type {e['type']!r} in {e}")
        out.append(Trigger(words=e["words"], type=e["type"], cameo=str(e["cameo"]) if e.get("cameo") else None,
                           mode=e.get("mode"), pos=e.get("pos"), needs_target=bool(e.get("needs_target")),
                           no_object=bool(e.get("no_object")), slots=parse_words(e["words"])))
    return tuple(out)


@cache
def _first_word_index(lang: str) -> dict[str, list[Trigger]]:
    index: dict[str, list[Trigger]] = {}
    for trig in lexicon(lang):
        for alt in trig.slots[0]:
            index.setdefault(alt[0], []).append(trig)
    return index


def _forms(tok: Token) -> set[str]:
    return {norm(tok.lemma_), norm(tok.text)}


def _match_from(tokens: list[Token], i: int, slots: tuple, forms: list[set[str]]) -> list[int] | None:
    """Token indexes (into `tokens`) matched by `slots` starting at i, or None; `forms` holds each
    token's `_forms`, computed once per sentence."""
    if not slots:
        return []
    slot, rest = slots[0], slots[1:]
    if slot is GAP:
        # up to MAX_GAP words, a hyphenated compound counting as one ("a four-day strike")
        words = skip = 0
        while True:
            got = _match_from(tokens, i + skip, rest, forms)
            if got is not None:
                return got
            if i + skip >= len(tokens):
                return None
            tok = tokens[i + skip]
            quote = tok.is_quote or tok.text in QUOTES  # 'la retirada «definitiva» de', 'declaró «personas no gratas»'
            if tok.is_punct and tok.text != "-" and not quote:
                return None
            joined = quote or tok.text == "-" or (i + skip > 0 and tokens[i + skip - 1].text == "-")
            words += 0 if joined else 1
            if words > MAX_GAP:
                return None
            skip += 1
    for alt in slot:
        if i + len(alt) > len(tokens):
            continue
        if all(w in forms[i + k] for k, w in enumerate(alt)):
            got = _match_from(tokens, i + len(alt), rest, forms)
            if got is not None:
                return list(range(i, i + len(alt))) + got
    return None


def find_triggers(sent: Span, lang: str) -> list[TriggerMatch]:
    """Every trigger in a sentence; a longer match wins over a shorter one on the same words."""
    tokens = list(sent)
    forms = [_forms(t) for t in tokens]
    index = _first_word_index(lang)
    candidates: list[TriggerMatch] = []
    for i, tok in enumerate(tokens):
        seen: set[int] = set()
        for form in forms[i]:
            for trig in index.get(form, []):
                if id(trig) in seen:
                    continue
                seen.add(id(trig))
                got = _match_from(tokens, i, trig.slots, forms)
                if got is not None:
                    matched = [tokens[k] for k in got]
                else:
                    matched = _match_by_object(tok, trig.slots)
                    if matched is None:
                        continue
                anchor = _anchor(matched)
                if trig.pos and anchor.pos_ != trig.pos and not (trig.pos == "VERB" and anchor.pos_ == "AUX"):
                    continue
                if trig.no_object and any(c.dep_ in {"dobj", "obj"} for c in anchor.children):
                    continue
                candidates.append(TriggerMatch(trig, matched, anchor))
    candidates.sort(key=lambda m: (-len(m.tokens), m.tokens[0].i))
    kept: list[TriggerMatch] = []
    used: set[int] = set()
    for m in candidates:
        ids = {t.i for t in m.tokens}
        if ids & used:
            continue
        used |= ids
        kept.append(m)
    kept.sort(key=lambda m: m.anchor.i)
    return kept


OBJECT_PATH = {"dobj", "obj", "dative", "iobj", "prep", "pobj", "nmod", "case", "compound", "amod"}


def _match_by_object(tok: Token, slots: tuple) -> list[Token] | None:
    """A verb-gap-noun entry ("[provide|give] * [aid|assistance]") whose noun is further than the
    gap allows but inside the verb's object ("provide nearly 25,000 tons of emergency food aid",
    "gave the Ivory Coast 5.1 million dollars of aid"): found through the parse, three levels deep."""
    if len(slots) != 3 or slots[1] is not GAP or tok.pos_ not in {"VERB", "AUX"}:
        return None
    if not any(len(alt) == 1 and alt[0] in _forms(tok) for alt in slots[0]):
        return None
    wanted = {alt[0] for alt in slots[2] if len(alt) == 1}
    frontier = [c for c in tok.children if c.dep_ in {"dobj", "obj", "dative", "iobj"}]
    for _ in range(3):
        nxt = []
        for t in frontier:
            if t.i > tok.i and _forms(t) & wanted:
                return [tok, t]
            nxt += [c for c in t.children if c.dep_ in OBJECT_PATH]
        frontier = nxt
    return None


def _anchor(tokens: list[Token]) -> Token:
    ids = {t.i for t in tokens}
    for tok in tokens:
        if tok.head.i not in ids:  # the sentence root, whose head is itself, is no such word
            # prefer a verb when the phrase has one ("hold talks"), else the highest word
            verbs = [t for t in tokens if t.pos_ in {"VERB", "AUX"}]
            return tok if tok.pos_ in {"VERB", "AUX"} or not verbs else verbs[0]
    return tokens[0]

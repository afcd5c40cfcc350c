"""Who said what: direct and indirect speech with its speaker.

Forms handled, in any language whose pack lists its reporting verbs and complementizers:
- "X said (that) CONTENT", "X a déclaré vendredi que CONTENT";
- "CONTENT, X said." / "CONTENT, said X." / "CONTENT, a ajouté M. Wang." / "…, a-t-il déclaré.";
- "…, saying (that) CONTENT" / "…, adding that CONTENT" (same speaker as the clause);
- direct speech in quotation marks with the speaker and verb before or after it.
A statement nested inside another (a participle inside a longer reported clause) is kept once,
as part of the outer one.  The speaker must be an actor (person, state or organisation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from dyad.actors import SUBJECT_DEPS, ArticleActors, adjacent_actor, norm
from dyad.language import pack
from dyad.records import Actor, Quote

TAIL_MAX = 14  # tokens a post-posed ", Wang said" / ", a déclaré le ministre russe" may span
MIN_WORDS = 3


@dataclass
class QuoteCues:
    verbs: set[str]
    need_that: set[str]
    continuation: set[str]
    complementizers: set[str]
    marks: list[tuple[str, str]]

    @classmethod
    def for_language(cls, lang: str) -> QuoteCues:
        data = pack(lang)["quotes"]
        return cls(
            verbs={norm(w) for w in data.get("reporting_verbs", [])},
            need_that={norm(w) for w in data.get("reporting_verbs_need_that", [])},
            continuation={norm(w) for w in data.get("continuation", [])},
            complementizers={norm(w) for w in data.get("complementizers", [])},
            marks=[tuple(p) for p in data.get("quote_marks", [])],
        )


class QuoteFinder:
    def __init__(self, lang: str):
        self.lang = lang
        self.cues = QuoteCues.for_language(lang)

    def find(self, doc: Doc, actors: ArticleActors) -> list[Quote]:
        quotes: list[Quote] = []
        for sent in doc.sents:
            found = self._direct(sent, actors)
            found += self._indirect(sent, actors, taken=[(q.start, q.end) for q in found])
            quotes.extend(_outermost(found))
        return quotes

    # ------------------------------------------------------------------ direct speech
    def _direct(self, sent: Span, actors: ArticleActors) -> list[Quote]:
        out = []
        text = sent.text
        for open_mark, close_mark in self.cues.marks:
            pattern = re.escape(open_mark) + r"\s*(.+?)\s*" + re.escape(close_mark)
            for m in re.finditer(pattern, text):
                content = m.group(1).strip().rstrip(",")
                if len(content.split()) < MIN_WORDS:
                    continue
                start = sent.start_char + m.start(1)
                after = sent.doc.char_span(sent.start_char + m.end(), sent.end_char, alignment_mode="expand")
                before = sent.doc.char_span(sent.start_char, sent.start_char + m.start(), alignment_mode="expand")
                speaker, cue = None, ""
                for part in (after, before):
                    if part is None or not len(part):
                        continue
                    verb = next((t for t in part if self._is_reporting(t)), None)
                    if verb is not None:
                        speaker = self._speaker(verb, actors, part)
                        cue = self._cue_text(verb)
                        if speaker is not None:
                            break
                if speaker is None:
                    continue
                out.append(Quote(speaker=speaker, text=content, direct=True, cue=cue,
                                 start=start, end=start + len(content)))
        return out

    # ------------------------------------------------------------------ indirect speech
    def _indirect(self, sent: Span, actors: ArticleActors, taken: list[tuple[int, int]]) -> list[Quote]:
        out = []
        doc = sent.doc
        for tok in sent:
            if any(s <= tok.idx < e for s, e in taken):
                continue
            form = norm(tok.lemma_)
            if tok.pos_ not in {"VERB", "AUX"} and norm(tok.text) not in self.cues.continuation:
                continue
            if norm(tok.text) in self.cues.continuation and tok.i > sent.start and doc[tok.i - 1].text == ",":
                quote = self._continuation(sent, tok, actors)
            elif form in self.cues.verbs:
                quote = self._postposed(sent, tok, actors) or self._preposed(sent, tok, actors)
            else:
                continue
            if quote is not None:
                out.append(quote)
        return out

    def _is_reporting(self, tok: Token) -> bool:
        return tok.pos_ in {"VERB", "AUX"} and norm(tok.lemma_) in self.cues.verbs

    def _postposed(self, sent: Span, verb: Token, actors: ArticleActors) -> Quote | None:
        """"CONTENT, Wang said." — the verb and speaker stand after the last comma."""
        doc = sent.doc
        comma = None
        for i in range(verb.i - 1, max(sent.start, verb.i - TAIL_MAX) - 1, -1):
            if doc[i].text == ",":
                comma = i
                break
            if doc[i].pos_ == "VERB":
                return None
        if comma is None or comma - sent.start < MIN_WORDS:
            return None
        tail_end = _content_end(sent)
        tail = doc[comma + 1: tail_end]
        # after the verb only the speaker and adverbs may follow ("said Wang", "a conclu M. Lavrov")
        for t in doc[verb.i + 1: tail_end]:
            if t.pos_ == "VERB" and norm(t.text) not in self.cues.continuation:
                return None
            if t.text == ",":
                break
        speaker = self._speaker(verb, actors, tail)
        if speaker is None:
            return None
        content = doc[sent.start: comma]
        return self._make(content, speaker, verb)

    def _preposed(self, sent: Span, verb: Token, actors: ArticleActors) -> Quote | None:
        """"Wang said (that) CONTENT", "M. Wang a indiqué que CONTENT"."""
        doc = sent.doc
        i = verb.i + 1
        end = self._attribution_start(sent, verb.i) or _content_end(sent)
        has_that = False
        # skip adverbs, dates and the complementizer: "a déclaré vendredi que", "said on Friday that"
        while i < end and (doc[i].pos_ in {"ADV", "PART"} or doc[i].ent_type_ in {"DATE", "TIME"}
                           or norm(doc[i].text) in self.cues.complementizers or doc[i].text in {":", ","}
                           or (doc[i].pos_ == "NOUN" and doc[i].dep_ in {"obl:mod", "npadvmod"})):
            has_that = has_that or norm(doc[i].text) in self.cues.complementizers
            i += 1
        if norm(verb.lemma_) in self.cues.need_that and not has_that:
            return None
        if end - i < MIN_WORDS:
            return None
        # the content must be a clause: it has a verb
        body = doc[i:end]
        if not any(t.pos_ in {"VERB", "AUX"} for t in body):
            return None
        # stop before a continuation ("…, adding that …") or a post-posed attribution
        for t in body:
            if t.text == "," and t.i + 1 < end and norm(doc[t.i + 1].text) in self.cues.continuation:
                body = doc[i: t.i]
                break
        speaker = self._subject_speaker(verb, actors)
        if speaker is None:
            return None
        return self._make(body, speaker, verb)

    def _continuation(self, sent: Span, part: Token, actors: ArticleActors) -> Quote | None:
        """"…, saying (that) CONTENT": the speaker is the subject of the clause it hangs on."""
        doc = sent.doc
        head = part.head if part.head.i != part.i else None
        speaker = None
        if head is not None:
            speaker = self._subject_speaker(head, actors)
        if speaker is None:
            # nearest person actor left of the participle
            for i in range(part.i - 1, sent.start - 1, -1):
                got = [m.actor for m in actors.at(i)]
                if got:
                    speaker = got[0]
                    break
        if speaker is None:
            return None
        i = part.i + 1
        end = self._attribution_start(sent, part.i) or _content_end(sent)
        while i < end and norm(doc[i].text) in self.cues.complementizers:
            i += 1
        body = doc[i:end]
        for t in body:
            if t.text == "," and t.i + 1 < end and norm(doc[t.i + 1].text) in self.cues.continuation:
                body = doc[i: t.i]
                break
        if len(body) < MIN_WORDS:
            return None
        return self._make(body, speaker, part)

    def _attribution_start(self, sent: Span, after: int) -> int | None:
        """The comma that opens a post-posed attribution later in the sentence (", a déclaré le
        ministre russe", ", Wang said"), so a clause before it does not run into it."""
        doc = sent.doc
        for tok in doc[after + 1: sent.end]:
            if tok.text != ",":
                continue
            tail = doc[tok.i + 1: _content_end(sent)]
            if 0 < len(tail) <= TAIL_MAX and any(self._is_reporting(t) for t in tail[:5]):
                return tok.i
        return None

    # ------------------------------------------------------------------ speakers
    def _subject_speaker(self, verb: Token, actors: ArticleActors) -> Actor | None:
        """The subject of a reporting verb, climbing through coordination ("thanked … and said")."""
        cur = verb
        near = adjacent_actor(verb, actors)
        subj = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        if near is not None and subj and near.start > subj[0].i and any(
                t.text == "," for t in verb.doc[subj[0].i: near.start]):
            return near.actor
        for _ in range(3):
            for c in cur.children:
                if c.dep_ in SUBJECT_DEPS:
                    got = [m.actor for m in actors.at(c.i)] or [
                        m.actor for t in c.subtree for m in actors.at(t.i) if m.actor.kind == "person"]
                    if got:
                        return got[0]
            # French parses often hang the name on the verb as appos/flat, or misparse the subject
            left = [m.actor for t in cur.lefts if t.dep_ in {"appos", "dislocated", "nsubj"}
                    for m in actors.at(t.i)]
            if left:
                return left[0]
            if cur.dep_ != "conj":
                break
            cur = cur.head
        # fallback: an actor right before the verb (auxiliaries between) — "M. Wang a indiqué"
        doc = verb.doc
        i = verb.i - 1
        while i >= 0 and doc[i].pos_ in {"AUX", "ADV", "PART"}:
            i -= 1
        if i >= 0:
            got = [m.actor for m in actors.at(i)]
            if got:
                return got[0]
        return None

    def _speaker(self, verb: Token, actors: ArticleActors, region: Span) -> Actor | None:
        """Speaker of a post-posed attribution: the verb's subject, or an actor in the region."""
        subject = self._subject_speaker(verb, actors)
        if subject is not None and region.start <= _actor_pos(subject, actors, region) < region.end:
            return subject
        found = [m.actor for m in actors.in_span(region.start, region.end)]
        if found:
            people = [a for a in found if a.kind == "person"]
            return (people or found)[0]
        return subject

    # ------------------------------------------------------------------ building
    def _make(self, body: Span, speaker: Actor, cue: Token) -> Quote | None:
        doc = body.doc
        start, end = body.start, body.end
        while start < end and (doc[start].is_punct or doc[start].is_space):
            start += 1
        while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        if end - start < MIN_WORDS:
            return None
        span = doc[start:end]
        return Quote(speaker=speaker, text=span.text, direct=False, cue=self._cue_text(cue),
                     start=span.start_char, end=span.end_char)

    def _cue_text(self, verb: Token) -> str:
        aux = [c for c in verb.children if c.dep_ in {"aux", "aux:tense"} and c.i < verb.i]
        return " ".join(t.text for t in [*aux, verb])


def _content_end(sent: Span) -> int:
    end = sent.end
    while end > sent.start and (sent.doc[end - 1].is_punct or sent.doc[end - 1].is_space):
        end -= 1
    return end


def _actor_pos(actor: Actor, actors: ArticleActors, region: Span) -> int:
    for m in actors.in_span(region.start, region.end):
        if m.actor.id == actor.id:
            return m.start
    return -1


def _outermost(quotes: list[Quote]) -> list[Quote]:
    """Drop quotes whose text lies inside another quote of the same sentence."""
    keep = []
    for q in quotes:
        if any(o is not q and o.start <= q.start and q.end <= o.end and (o.end - o.start) > (q.end - q.start)
               for o in quotes):
            continue
        if any(o.start == q.start and o.end == q.end for o in keep):
            continue
        keep.append(q)
    return keep

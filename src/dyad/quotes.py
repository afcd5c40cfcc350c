"""Who said what: direct and indirect speech with its speaker.

Forms handled, in any language whose pack lists its reporting verbs and complementizers:
- "X said (that) CONTENT", "X a déclaré vendredi que CONTENT", "X told reporters that CONTENT";
- "CONTENT, X said." / "CONTENT, said X." / "CONTENT, a ajouté M. Wang." / "…, a-t-il déclaré.";
- "…, saying (that) CONTENT" / "…, adding that CONTENT" (same speaker as the clause);
- "according to X, CONTENT" / "CONTENT, selon X" / "según X, CONTENT";
- direct speech in quotation marks, over several sentences of a paragraph, with the speaker and
  verb before or after it; a quotation with no attribution right after another one continues it.
A statement nested inside another (a participle inside a longer reported clause) is kept once,
as part of the outer one.  The speaker must be an actor (person, state or organisation); a
pronoun ("he said", "it said", "a-t-il déclaré") or a missing subject ("dijo") is the last
speaker; an institution named by what it is ("the ministry said", "la cancillería") is its state.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from spacy.tokens import Doc, Span, Token

from dyad import geo
from dyad.actors import (
    SUBJECT_DEPS,
    ArticleActors,
    Mention,
    adjacent_actor,
    dateline_end,
    domestic_title,
    norm,
    state_actor,
)
from dyad.language import pack
from dyad.records import Actor, Quote

TAIL_MAX = 14  # tokens a post-posed ", Wang said" / ", a déclaré le ministre russe" may span
MIN_WORDS = 3
THAT_WINDOW = 10  # tokens between a reporting verb and its complementizer ("told reporters on Friday that")
CLAUSE_DEPS = {"ccomp", "xcomp", "parataxis", "obj", "dobj", "dep"}
OWN_WINDOW = 6  # tokens either side of an institution noun where its own country may stand
NAMED_WINDOW = 8  # tokens between "called" and the short quotation it names
MAX_PARAGRAPHS = 6  # paragraphs a quotation opened and not closed may run over
RELATIVE_DEPS = {"relcl", "acl:relcl", "acl"}
CARRY_SENTS = 2  # sentences back a pronoun or a missing subject may find the last speaker in


@dataclass
class QuoteCues:
    verbs: set[str]
    need_that: set[str]
    continuation: set[str]
    complementizers: set[str]
    marks: list[tuple[str, str]]
    according: list[tuple[str, ...]] = field(default_factory=list)
    institutions: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    person_pronouns: set[str] = field(default_factory=set)
    collective_pronouns: set[str] = field(default_factory=set)
    null_subject: bool = False
    object_verbs: set[str] = field(default_factory=set)
    naming_verbs: set[str] = field(default_factory=set)
    passive_aux: set[str] = field(default_factory=set)
    sources: dict[str, str] = field(default_factory=dict)  # anonymous source noun → English name
    titles: set[str] = field(default_factory=set)  # title nouns: "the minister said" is a person named before
    org_nouns: set[str] = field(default_factory=set)  # "the group said", "l'agence a indiqué": the organisation named before
    addressee_preps: set[str] = field(default_factory=set)  # "told to", "à l'AFP", "a EFE": whom words were told to
    medium_nouns: set[str] = field(default_factory=set)  # "la agencia EFE": the word before a medium's name

    @classmethod
    def for_language(cls, lang: str) -> QuoteCues:
        data = pack(lang)["quotes"]
        names = pack(lang)["actors"]
        return cls(
            verbs={norm(w) for w in data.get("reporting_verbs", [])},
            need_that={norm(w) for w in data.get("reporting_verbs_need_that", [])},
            continuation={norm(w) for w in data.get("continuation", [])},
            complementizers={norm(w) for w in data.get("complementizers", [])},
            marks=[tuple(p) for p in data.get("quote_marks", [])],
            according=[tuple(norm(w).split()) for w in data.get("according_to", [])],
            institutions={norm(w) for w in data.get("institution_nouns", [])},
            documents={norm(w) for w in data.get("document_nouns", [])},
            person_pronouns={norm(w) for w in names.get("person_pronouns", [])},
            collective_pronouns={norm(w) for w in data.get("collective_pronouns", [])}
            | {norm(w) for w in names.get("collective_pronouns", [])},
            null_subject=bool(data.get("null_subject", False)),
            object_verbs={norm(w) for w in data.get("reporting_verbs_object", [])},
            naming_verbs={norm(w) for w in data.get("naming_verbs", [])},
            passive_aux={norm(w) for w in data.get("passive_auxiliaries", [])},
            sources={norm(k): v for k, v in (data.get("source_nouns") or {}).items()},
            titles={norm(w) for words in (names.get("titles") or {}).values() for w in words},
            org_nouns={norm(w) for w in data.get("org_nouns", [])},
            addressee_preps={norm(w) for w in data.get("addressee_prepositions", [])},
            medium_nouns={norm(w) for w in data.get("medium_nouns", [])},
        )


@dataclass
class _Context:
    """What one article's quotes so far tell about the next one's speaker."""

    doc: Doc
    institutions: dict[str, list[tuple[int, str]]]  # institution noun → (token, country) where named
    last: list[tuple[int, Actor]] = field(default_factory=list)  # (sentence number, speaker)
    actors: ArticleActors | None = None
    marked: list[tuple[int, int, int, int]] = field(default_factory=list)  # the article's quotations
    continued: dict[int, int] = field(default_factory=dict)  # paragraph piece start → the first piece's start
    spoken: dict[int, Actor] = field(default_factory=dict)  # quotation start → its speaker
    after_quote: int | None = None  # resolving the attribution after a quotation opening at this token
    sent_no: int = 0

    def last_speaker(self, person: bool | None = None) -> Actor | None:
        for n, actor in reversed(self.last):
            if self.sent_no - n > CARRY_SENTS:
                return None
            if person is None or (actor.kind == "person") == person:
                return actor
        return None


class QuoteFinder:
    def __init__(self, lang: str):
        self.lang = lang
        self.cues = QuoteCues.for_language(lang)
        self._according_first = {p[0] for p in self.cues.according}
        self._opens = {o for o, _ in self.cues.marks}

    def find(self, doc: Doc, actors: ArticleActors, known: Callable[[Actor], Actor] | None = None) -> list[Quote]:
        """The quotes of a parsed article; `known` (the actor registry's `resolve_actor`, given by
        the pipeline) tells whether a speaker with no country in the text is a known person."""
        quotes: list[Quote] = []
        sents = list(doc.sents)
        ctx = _Context(doc, self._institution_countries(doc, actors), actors=actors)
        marked = self._marked(doc, ctx.continued)
        ctx.marked = marked
        n = 0
        for sent in sents:
            if _words(sent) >= MIN_WORDS:
                n += 1  # sentences of words: a lone quotation mark the splitter cut off does not count
            ctx.sent_no = n
            found = self._direct(sent, [m for m in marked if sent.start_char <= m[0] < sent.end_char], actors, ctx)
            taken = [(m[1], m[2]) for m in marked if m[0] < sent.end_char and m[3] > sent.start_char]
            found += self._indirect(sent, actors, taken + [(q.start, q.end) for q in found], ctx)
            kept = sorted(_outermost(found, self.cues.continuation), key=lambda q: q.start)
            for q in kept:
                if q.speaker is not None:
                    ctx.last.append((n, q.speaker))
                    ctx.spoken[q.start] = q.speaker
            quotes.extend(kept)
        # a quotation over two sentences holds what the second sentence's attribution repeats
        quotes = _outermost(quotes, self.cues.continuation)
        homes: dict[str, Actor] = {}
        spans = [(q.start, q.end) for q in quotes]
        for q in quotes:
            if q.speaker is not None and q.speaker.kind == "person" and not q.speaker.country:
                if q.speaker.name not in homes:
                    homes[q.speaker.name] = _with_home_country(q.speaker, actors, doc, spans, known,
                                                               domestic_title(q.speaker.title, (self.lang,)))
                q.speaker = homes[q.speaker.name]
        return quotes

    # ------------------------------------------------------------------ direct speech
    def _marked(self, doc: Doc, continued: dict[int, int]) -> list[tuple[int, int, int, int]]:
        """Quotations of the text, paragraph by paragraph: (open mark, content start, content end,
        close mark end) character offsets, content stripped; `continued` gets the pieces of a
        quotation over several paragraphs (piece start → first piece start)."""
        out: list[tuple[int, int, int, int]] = []
        text = doc.text
        for open_mark, close_mark in self.cues.marks:
            pattern = re.escape(open_mark) + r"([^\n]+?)" + re.escape(close_mark)
            for m in re.finditer(pattern, text):
                if any(o <= m.start() < c for o, _, _, c in out):
                    continue  # a quotation nested in another one
                start, end = _stripped(text, m.start(1), m.end(1))
                out.append((m.start(), start, end, m.end()))
        out += self._over_paragraphs(text, out, continued)
        return sorted(out)

    def _over_paragraphs(self, text: str, found: list[tuple[int, int, int, int]],
                         continued: dict[int, int]) -> list[tuple[int, int, int, int]]:
        """A quotation that runs over several paragraphs (opened and not closed in its paragraph,
        the next ones reopened or not, closed in a later one), one piece per paragraph, as the
        convention of the press has it: 'X a déclaré : « … [¶] … [¶] … ».'"""
        out: list[tuple[int, int, int, int]] = []
        spans = sorted((o, c) for o, _, _, c in found)
        opens = [o for o, _ in spans]

        def quoted(pos: int) -> bool:  # inside a quotation found already (they do not overlap)
            k = bisect_right(opens, pos) - 1
            return (k >= 0 and pos < spans[k][1]) or bool(out and out[-1][0] <= pos < out[-1][3])

        paras = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
        k = 0
        while k < len(paras):
            p0, p1 = paras[k]
            k += 1
            para = text[p0:p1]
            at, open_mark, close_mark = self._unclosed(para)
            if at is not None and not quoted(p0 + at):
                pieces = [(p0 + at, p0 + at + len(open_mark), p1, p1)]
                closed = False
                for j in range(k, min(k + MAX_PARAGRAPHS, len(paras))):
                    q0, q1 = paras[j]
                    body = text[q0:q1]
                    lead = len(open_mark) if body.startswith(open_mark) else 0
                    shut = min((i for c in {close for _, close in self.cues.marks}
                                if (i := body.find(c, lead)) >= 0), default=-1)
                    if shut >= 0:
                        pieces.append((q0, q0 + lead, q0 + shut, q0 + shut + 1))
                        closed, k = True, j + 1
                        break
                    pieces.append((q0, q0 + lead, q1, q1))
                if not closed:
                    pieces = pieces[:1]  # an opening never closed: that paragraph only
                first = None
                for o, s, e, c in pieces:
                    start, end = _stripped(text, s, e)
                    if end > start:
                        out.append((o, start, end, c))
                        if first is None:
                            first = start
                        else:
                            continued[start] = first
        return out

    def _unclosed(self, para: str) -> tuple[int | None, str, str]:
        """The quotation mark a paragraph opens and leaves open, read mark by mark (a mark that both
        opens and closes, '"', closes a quotation another mark opened: '“bear responsibility."')."""
        opens = {o: c for o, c in self.cues.marks}
        closes = {c for _, c in self.cues.marks}
        at: int | None = None
        for i, ch in enumerate(para):
            if ch in opens and (ch not in closes or at is None):
                at = i
            elif ch in closes:
                at = None
        return (at, para[at], opens[para[at]]) if at is not None else (None, "", "")

    def _direct(self, sent: Span, marked: list[tuple[int, int, int, int]], actors: ArticleActors,
                ctx: _Context) -> list[Quote]:
        out = []
        doc = sent.doc
        for open_at, start, end, close_at in marked:
            content = doc.text[start:end]
            short = len(content.split()) < MIN_WORDS
            if short and not self._named_as(doc, open_at, sent):
                continue
            last = doc.char_span(close_at - 1, close_at, alignment_mode="expand")
            last_sent = last.sent if last is not None else sent
            after = doc.char_span(close_at, last_sent.end_char, alignment_mode="expand")
            if after is not None and len(after):
                # up to the next quotation: '"A," he said, "B."'
                nxt = next((t.i for t in after if t.text in self._opens), None)
                if nxt is not None:
                    after = doc[after.start:nxt]
            before = doc.char_span(sent.start_char, open_at, alignment_mode="expand")
            speaker, cue = None, ""
            # a short quotation is what the verb before it named: its subject said it
            for part in ((before,) if short else (after, before)):
                if part is None or not len(part):
                    continue
                tokens = list(part) if part is after else list(reversed(part))  # the verb nearest the quotation
                verb = next((t for t in tokens if self._is_reporting(t) or t.pos_ in {"VERB", "AUX"} and (
                    norm(t.lemma_) in self.cues.naming_verbs or norm(t.lemma_) in self.cues.object_verbs)), None)
                if verb is not None:
                    ctx.after_quote = before.end if part is after and before is not None else None
                    speaker = self._subject_speaker(verb, actors, ctx) if short else self._speaker(verb, actors, part, ctx)
                    ctx.after_quote = None
                    cue = self._cue_text(verb)
                    if speaker is not None:
                        break
            if start in ctx.continued and ctx.continued[start] in ctx.spoken:
                # a paragraph of a quotation opened paragraphs before: the same speaker
                speaker, cue = ctx.spoken[ctx.continued[start]], ""
            if speaker is None and not _words(before) and not _words(after):
                # a quotation standing alone right after another one goes on with its speaker
                speaker = ctx.last_speaker()
                cue = ""
            if speaker is None:
                continue
            out.append(Quote(speaker=speaker, text=content, direct=True, cue=cue, start=start, end=end))
        return out

    def _named_as(self, doc: Doc, open_at: int, sent: Span) -> bool:
        """A short quotation that is what a speaker called something: "called it «ludicrous»",
        "denounced … as «unreasonable and provocative»", "calificó … como «barbarie»"."""
        before = doc.char_span(sent.start_char, open_at, alignment_mode="expand")
        if before is None:
            return False
        for t in reversed(before[-NAMED_WINDOW:]):
            if t.text in {".", ";", ":"} or t.text in self._opens:
                return False
            if t.pos_ in {"VERB", "AUX"}:
                return norm(t.lemma_) in self.cues.naming_verbs or self._is_reporting(t)
        return False

    # ------------------------------------------------------------------ indirect speech
    def _indirect(self, sent: Span, actors: ArticleActors, taken: list[tuple[int, int]],
                  ctx: _Context) -> list[Quote]:
        out = []
        doc = sent.doc
        for tok in sent:
            if any(s <= tok.idx < e for s, e in taken):
                continue
            form = norm(tok.lemma_)
            if norm(tok.text) in self.cues.continuation and tok.i > sent.start and doc[tok.i - 1].text == ",":
                quote = self._continuation(sent, tok, actors, ctx)
            elif norm(tok.text) in self._according_first:
                quote = self._according(sent, tok, actors, ctx)
            elif tok.pos_ not in {"VERB", "AUX"}:
                continue
            elif (form in self.cues.verbs or form in self.cues.object_verbs) and not _passive(tok, self.cues.passive_aux):
                quote = None
                if form in self.cues.verbs:
                    quote = self._postposed(sent, tok, actors, ctx) or self._preposed(sent, tok, actors, ctx)
                if quote is None and form in self.cues.object_verbs:
                    quote = self._object(sent, tok, actors, ctx)
            else:
                continue
            if quote is not None:
                out.append(quote)
        return out

    def _is_reporting(self, tok: Token) -> bool:
        return tok.pos_ in {"VERB", "AUX"} and norm(tok.lemma_) in self.cues.verbs and not _passive(tok, self.cues.passive_aux)

    def _postposed(self, sent: Span, verb: Token, actors: ArticleActors, ctx: _Context) -> Quote | None:
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
            if norm(t.text) in self.cues.complementizers or t.text == ":":
                return None  # "Lors de la signature, X a noté que …": the content follows
            if t.text == ",":
                break
        content = doc[sent.start: comma]
        # the content is a clause ("In late November, Chad announced …" reports nothing)
        if not any(t.pos_ in {"VERB", "AUX"} for t in content):
            return None
        speaker = self._speaker(verb, actors, tail, ctx)
        if speaker is None:
            return None
        return self._make(content, speaker, verb)

    def _preposed(self, sent: Span, verb: Token, actors: ArticleActors, ctx: _Context) -> Quote | None:
        """"Wang said (that) CONTENT", "M. Wang a indiqué que CONTENT"."""
        doc = sent.doc
        i = verb.i + 1
        end = self._attribution_start(sent, verb.i) or _content_end(sent)
        if verb.dep_ in RELATIVE_DEPS:  # "Diop, qui a affirmé que X, est parti": the relative clause only
            edge = verb.right_edge.i
            while edge > verb.i and (doc[edge].is_punct or doc[edge].dep_ == "cc"):
                edge -= 1
            end = min(end, edge + 1)
        has_that = False
        # "told reporters on Friday that", "a déclaré à la presse jeudi que", "indicó a EFE que":
        # the content starts after the complementizer
        for j in range(i, min(end, i + THAT_WINDOW)):
            if norm(doc[j].text) in self.cues.complementizers and doc[j].pos_ != "PRON":
                i, has_that = j + 1, True
                break
            if doc[j].pos_ in {"VERB", "AUX"} or doc[j].text in {":", ";", "«", "“", "\""}:
                break
        # skip adverbs, dates and the complementizer: "a déclaré vendredi que", "said on Friday that"
        while i < end and (doc[i].pos_ in {"ADV", "PART"} or doc[i].ent_type_ in {"DATE", "TIME"}
                           or norm(doc[i].text) in self.cues.complementizers or doc[i].text in {":", ","}
                           or (doc[i].pos_ == "NOUN" and doc[i].dep_ in {"obl:mod", "npadvmod"})):
            has_that = has_that or norm(doc[i].text) in self.cues.complementizers
            i += 1
        if norm(verb.lemma_) in self.cues.need_that and not has_that:
            return None
        if not has_that:
            # no complementizer: the content is a clause the verb governs ("said the move was …");
            # "said in a statement", "told reporters after …" report nothing here
            clause = next((c for c in verb.children if c.i >= i and c.dep_ in CLAUSE_DEPS
                           and c.pos_ in {"VERB", "AUX"}), None)
            if clause is None:
                return None
            i = max(i, clause.left_edge.i)
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
        speaker = self._subject_speaker(verb, actors, ctx)
        if speaker is None:
            return None
        return self._make(body, speaker, verb)

    def _object(self, sent: Span, verb: Token, actors: ArticleActors, ctx: _Context) -> Quote | None:
        """"X confirmed the deaths of two soldiers", "X a exprimé ses regrets", "X accused Moscow of
        pursuing …": a speech act whose content is its object (and what the object governs)."""
        doc = sent.doc
        if verb.dep_ in {"acl", "amod"}:
            return None  # "los nicaragüenses acusados por la Fiscalía": no one speaks
        obj = next((c for c in verb.children if c.dep_ in {"obj", "dobj"} and c.i > verb.i), None)
        if obj is None or obj.pos_ == "PRON":
            return None
        end = obj.right_edge.i + 1
        # "accused Moscow of …", "acusó a X de …": the complement after the object
        for c in verb.children:
            if c.i > obj.i and c.dep_ in {"prep", "obl", "obl:arg", "advcl", "xcomp"} and c.left_edge.i <= end + 1:
                end = max(end, c.right_edge.i + 1)
        stop = self._attribution_start(sent, verb.i)
        end = min(end, stop if stop is not None else _content_end(sent), _content_end(sent))
        body = doc[obj.left_edge.i: end]
        if _words(body) < MIN_WORDS:
            return None  # 'denounced "destabilising actions"': the quotation itself is the content
        speaker = self._subject_speaker(verb, actors, ctx)
        if speaker is None:
            return None
        return self._make(body, speaker, verb)

    def _continuation(self, sent: Span, part: Token, actors: ArticleActors, ctx: _Context) -> Quote | None:
        """"…, saying (that) CONTENT": the speaker is the subject of the clause it hangs on."""
        doc = sent.doc
        head = part.head if part.head.i != part.i else None
        speaker = None
        if head is not None:
            speaker = self._subject_speaker(head, actors, ctx)
        if speaker is None:
            # nearest person actor left of the participle
            for i in range(part.i - 1, sent.start - 1, -1):
                got = [self._complete(m, ctx) for m in actors.at(i)]
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

    def _according(self, sent: Span, tok: Token, actors: ArticleActors, ctx: _Context) -> Quote | None:
        """"according to X, CONTENT", "CONTENT, selon X", "según X, CONTENT": X's statement is the
        rest of the sentence."""
        doc = sent.doc
        first = norm(tok.text)
        phrase = next((p for p in self.cues.according if p[0] == first and tuple(
            norm(t.text) for t in doc[tok.i: tok.i + len(p)]) == p), None)
        if phrase is None or tok.i + len(phrase) >= sent.end:
            return None
        src_start = tok.i + len(phrase)
        if doc[src_start].pos_ == "PRON":
            return None  # "selon lesquels", "según la cual": a relative, no source
        # the source phrase runs to the next comma (or the sentence end), a noun phrase with no verb
        src_end = next((t.i for t in doc[src_start: sent.end] if t.text in {",", ";", ":"} or t.is_punct
                        and t.text in {".", "»", "”"}), _content_end(sent))
        # "selon le gouvernement tchadien qui a appelé …": the source ends before its relative clause
        src_end = next((t.i for t in doc[src_start + 1: src_end] if t.pos_ == "PRON" or t.pos_ == "VERB"
                        and not self._is_reporting(t) and doc[t.i - 1].text != "-"), src_end)  # "Britain-based"
        if src_end - src_start > TAIL_MAX:
            return None
        source = doc[src_start: src_end]
        speaker = self._source_speaker(source, actors, ctx)
        if speaker is None:
            return None
        end = _content_end(sent)
        if tok.i - sent.start <= 1 or _words(doc[sent.start: tok.i]) < MIN_WORDS:
            body = doc[src_end: end]  # "According to X, CONTENT."
        else:
            body = doc[sent.start: tok.i]  # "CONTENT, according to X (who …)."
        if not any(t.pos_ in {"VERB", "AUX"} for t in body) or any(self._is_reporting(t) for t in body):
            return None  # "selon X, Blinken a déclaré que …": Blinken's statement
        quote = self._make(body, speaker, tok)
        if quote is not None:
            quote.cue = doc[tok.i: src_start].text
        return quote

    def _source_speaker(self, source: Span, actors: ArticleActors, ctx: _Context) -> Actor | None:
        """The speaker a source phrase names: an actor in it ("selon le ministère malien", "according
        to the Baltic News Service"), an institution ("según la cancillería"), or the author of a
        document ("selon le communiqué" → the last organisation or state that spoke)."""
        found = [self._complete(m, ctx) for m in actors.in_span(source.start, source.end)]
        if found:
            # a person, else an organisation before a state ("the Britain-based Syrian Observatory")
            people = [a for a in found if a.kind == "person"]
            bodies = [a for a in found if a.kind in {"org", "group"}]
            return (people or bodies or found)[0]
        for t in source:
            if t.pos_ in {"NOUN", "PROPN"}:
                got = self._institution(t, ctx)
                if got is not None:
                    return got
        for t in source:
            if t.pos_ == "NOUN":
                got = self._described(t, ctx)
                if got is not None:
                    return got
        if any(norm(t.lemma_) in self.cues.documents or norm(t.text) in self.cues.documents for t in source):
            return ctx.last_speaker(person=False)
        return None

    def _attribution_start(self, sent: Span, after: int) -> int | None:
        """The comma that opens a post-posed attribution later in the sentence (", a déclaré le
        ministre russe", ", Wang said", ", selon le ministère"), so a clause before it does not
        run into it."""
        doc = sent.doc
        for tok in doc[after + 1: sent.end]:
            if tok.text != ",":
                continue
            tail = doc[tok.i + 1: _content_end(sent)]
            if 0 < len(tail) <= TAIL_MAX and (any(self._is_reporting(t) for t in tail[:5])
                                              or any(p[0] == norm(tail[0].text) for p in self.cues.according)):
                return tok.i
        return None

    # ------------------------------------------------------------------ speakers
    def _subject_speaker(self, verb: Token, actors: ArticleActors, ctx: _Context) -> Actor | None:
        """The subject of a reporting verb, climbing through coordination ("thanked … and said")."""
        cur = verb
        near = adjacent_actor(verb, actors)
        subj = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        if near is not None and subj and near.start > subj[0].i and any(
                t.text == "," for t in verb.doc[subj[0].i: near.start]):
            return self._complete(near, ctx)
        subject = None
        for _ in range(3):
            for c in cur.children:
                if c.dep_ in SUBJECT_DEPS:
                    subject = subject or c
                    if ctx.after_quote is not None and norm(c.text) in self.cues.person_pronouns \
                            and ctx.last_speaker(person=True):
                        return ctx.last_speaker(person=True)  # '"…," he said': who spoke last
                    # "the ministry's spokesman": a person inside; "the Thai army's statement":
                    # a document's author, whoever it is
                    document = norm(c.lemma_) in self.cues.documents or norm(c.text) in self.cues.documents
                    got = [self._complete(m, ctx) for m in actors.at(c.i)] or [
                        self._complete(m, ctx) for t in c.subtree for m in actors.at(t.i)
                        if m.actor.kind == "person" or document] or self._named_in_subject(c, actors, ctx)
                    if not got and cur.dep_ in RELATIVE_DEPS and ("Rel" in c.morph.get("PronType") or c.tag_ in {"WP", "WDT"}):
                        # "Tchiani, who reiterated that …", "le ministre, qui a affirmé que …"
                        before = c.i - 1
                        while before > 0 and c.doc[before].is_punct:
                            before -= 1
                        got = [self._complete(m, ctx) for m in actors.at(cur.head.i) or actors.at(before)]
                    if got:
                        return got[0]
            # French parses often hang the name on the verb as appos/flat, or misparse the subject
            left = [self._complete(m, ctx) for t in cur.lefts if t.dep_ in {"appos", "dislocated", "nsubj"}
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
            got = [self._complete(m, ctx) for m in actors.at(i)]
            if got:
                return got[0]
        return self._unnamed_speaker(verb, subject, ctx)

    def _named_in_subject(self, subject: Token, actors: ArticleActors, ctx: _Context) -> list[Actor]:
        """An organisation or state named as a modifier of the subject's noun, right before it:
        "the United Nations Support Mission in Libya said", "al-Mayadeen TV said"."""
        if subject.pos_ not in {"NOUN", "PROPN"}:
            return []
        found = [m for t in subject.lefts if t.dep_ in {"compound", "flat", "nmod"}
                 for m in actors.at(t.i) if m.actor.kind in {"org", "group", "state"} and not m.is_place]
        return [self._complete(m, ctx) for m in found[:1]]

    def _unnamed_speaker(self, verb: Token, subject: Token | None, ctx: _Context) -> Actor | None:
        """A speaker the actors do not name: a pronoun ("he said", "it said") or no subject at all
        ("dijo", "añadió") → the last speaker; an institution ("the ministry said") → its state."""
        if subject is None:
            if not self.cues.null_subject or "Fin" not in verb.morph.get("VerbForm") or verb.dep_ in {"acl", "amod"}:
                return None
            # "Irfaan Ali agradeció el respaldo. «…», expresó.": the person last named as a subject
            return self._last_subject(verb, ctx, person=True) or ctx.last_speaker()
        key = norm(subject.text)
        if key in self.cues.person_pronouns:
            return ctx.last_speaker(person=True)
        if key in self.cues.collective_pronouns:
            return self._last_subject(subject, ctx, person=False) or ctx.last_speaker(person=False)
        if subject.pos_ in {"NOUN", "PROPN"}:
            if self._is_document(subject):
                # "précise le communiqué": its author spoke just before
                return self._institution(subject, ctx) or ctx.last_speaker()
            return self._institution(subject, ctx) or self._described(subject, ctx)
        return None

    def _described(self, noun: Token, ctx: _Context) -> Actor | None:
        """A speaker named by a description, not a name: an anonymous source ("a security source
        told AFP", "selon des témoins", "dijeron los vecinos") → that group, of the country its
        own words give, else of the country the article is about; a title ("the minister said",
        "dijo el mandatario") → the last person the article gave that title; a word of a name
        given before ("the observatory said" after "the Syrian Observatory for Human Rights")
        → that organisation."""
        key, lemma = norm(noun.text), norm(noun.lemma_)
        english = self.cues.sources.get(lemma) or self.cues.sources.get(key)
        if english is not None:
            # its own words ("fuentes militares mexicanas"), else those of the same noun before
            # ("funcionarios estadounidenses … dijo uno de los funcionarios"), else the story's state
            country = _own_country(noun, self.lang) or next(
                (c for t in reversed(ctx.doc[:noun.i]) if norm(t.lemma_) == lemma
                 and (c := _own_country(t, self.lang))), None) or _home(ctx.actors)
            plural = "Plur" in noun.morph.get("Number") and not english.endswith(("s", "media"))
            return Actor(name=english + ("s" if plural else ""), country=country, kind="group",
                         mention=noun.text)
        if ctx.actors is None:
            return None
        before = [m for m in ctx.actors.mentions if m.start < noun.i and m.via != "pronoun" and not m.is_place
                  and not any(s <= ctx.doc[m.start].idx < e for _, s, e, _ in ctx.marked)]
        if key in self.cues.titles or lemma in self.cues.titles:
            titled = [m for m in before if m.actor.kind == "person" and m.actor.title
                      and lemma in {norm(w) for w in m.actor.title.split()}]
            return titled[-1].actor if titled else None
        if noun.pos_ == "NOUN" and len(lemma) > 3:
            named = [m for m in before if m.actor.kind in {"org", "group"} and any(
                SequenceMatcher(None, lemma, norm(w)).ratio() >= 0.8 for w in m.actor.name.split())]
            if named:
                return self._complete(named[-1], ctx)
        if (key in self.cues.org_nouns or lemma in self.cues.org_nouns) and "Plur" not in noun.morph.get("Number") \
                and _definite(noun):
            # "the group said", "l'organisation a indiqué", "el cuerpo militar afirmó": the last one named
            named = [m for m in before if m.actor.kind in {"org", "group"}]
            subjects = [m for m in named if _subject_or_owner(ctx.doc[m.head])]
            if named:
                return self._complete((subjects or named)[-1], ctx)
        return None

    def _last_subject(self, tok: Token, ctx: _Context, person: bool) -> Actor | None:
        """The last person (or state, organisation, group) named as a subject before `tok`, in its
        sentence or the one before: "Estonia's foreign ministry dismissed the charge. It said …"."""
        if ctx.actors is None:
            return None
        sent = tok.sent
        start = sent.start
        while start > 0 and sent.start - start < 4:  # back over one real sentence (not a lone quotation mark)
            start = ctx.doc[start - 1].sent.start
        found = [m for m in ctx.actors.mentions if start <= m.start < tok.i and not m.is_place
                 and (m.actor.kind == "person") == person and m.via != "pronoun"
                 and _subject_or_owner(ctx.doc[m.head])
                 and not any(s <= ctx.doc[m.start].idx < e for _, s, e, _ in ctx.marked)]
        return self._complete(found[-1], ctx) if found else None

    def _is_document(self, noun: Token) -> bool:
        return norm(noun.lemma_) in self.cues.documents or norm(noun.text) in self.cues.documents

    def _institution(self, noun: Token, ctx: _Context) -> Actor | None:
        """"the ministry", "le porte-parole du ministère", "la cancillería": the state of the
        institution, from the words around it or from where the article named it before."""
        key, lemma = norm(noun.text), norm(noun.lemma_)
        if key not in self.cues.institutions and lemma not in self.cues.institutions:
            # "the ministry's spokesman", "le porte-parole du ministère": the institution inside
            inner = next((t for t in noun.subtree if t.i != noun.i and (
                norm(t.text) in self.cues.institutions or norm(t.lemma_) in self.cues.institutions)), None)
            if inner is None:
                return None
            return self._institution(inner, ctx)
        country = _own_country(noun, self.lang)
        if country is None:
            seen = [c for i, c in ctx.institutions.get(lemma, []) if i < noun.i]
            country = seen[-1] if seen else None
        if country is None and ctx.actors is not None:
            # "selon les autorités", "the ministry said" with no country named: the state the
            # article is about, else the one its sentence names (the sentence's own state is more
            # often the one spoken of: "the US diplomat was told …, the Foreign Office said")
            country = _home(ctx.actors) or ctx.actors.sentence_country.get(noun.sent.start)
        if country is None or not geo.is_state(country):
            return None
        return state_actor(country, noun.text)

    def _institution_countries(self, doc: Doc, actors: ArticleActors) -> dict[str, list[tuple[int, str]]]:
        """Institution nouns of the article with the country their own words give ("Azerbaijan's
        Defense Ministry", "el Ministerio de Defensa de Colombia", "la diplomatie belge")."""
        out: dict[str, list[tuple[int, str]]] = {}
        if not self.cues.institutions:
            return out
        for tok in doc:
            lemma = norm(tok.lemma_)
            if tok.pos_ not in {"NOUN", "PROPN"} or (lemma not in self.cues.institutions
                                                       and norm(tok.text) not in self.cues.institutions):
                continue
            country = _own_country(tok, self.lang)
            if country is not None:
                out.setdefault(lemma, []).append((tok.i, country))
        return out

    def _complete(self, mention: Mention, ctx: _Context) -> Actor:
        """An organisation or group speaker with no country takes the one its own words give
        ("Azerbaijan's Defense Ministry") or the one its institution noun had before."""
        actor = mention.actor
        if mention.via == "pronoun" and actor.kind == "person" and ctx.last_speaker(person=True) \
                and self._named_in_quotation(mention, ctx):
            return ctx.last_speaker(person=True)  # 'He added that …' after '"… Putin …," he said'
        if ctx.after_quote is not None and mention.via == "pronoun" and actor.kind == "person":
            # '"…," he said' / « … », a-t-il dit: who spoke last, not a person named in the quotation
            return ctx.last_speaker(person=True) or _person_before(ctx.after_quote, ctx.actors) or actor
        doc_tok = ctx.doc[mention.head]
        lemma = norm(doc_tok.lemma_)
        if actor.kind == "state" and mention.via == "group" and _own_country(doc_tok, self.lang) is None:
            # "The ministry said" the story's state for the actors; the ministry named before with
            # its own country says better whose it is
            seen = [c for i, c in ctx.institutions.get(lemma, []) if i < doc_tok.i]
            if seen and seen[-1] != actor.country:
                return state_actor(seen[-1], actor.mention)
        if actor.kind == "group" and actor.country and actor.country != "IGO" and (
                norm(doc_tok.lemma_) in self.cues.institutions or norm(doc_tok.text) in self.cues.institutions):
            return state_actor(actor.country, actor.mention)  # "the Thai army said": Thailand speaks
        if actor.country or actor.kind not in {"org", "group"}:
            return actor
        country = _own_country(doc_tok, self.lang)
        if country is None:
            lemma = norm(doc_tok.lemma_)
            seen = [c for i, c in ctx.institutions.get(lemma, []) if i < doc_tok.i]
            # else the state the article is about: "the Ministry of Defense said" in a story of Russia
            country = seen[-1] if seen else _home(ctx.actors)
        if country is None:
            return actor
        found = dataclasses.replace(actor, country=country, id="")
        found.__post_init__()
        return found

    def _named_in_quotation(self, pronoun: Mention, ctx: _Context) -> bool:
        """Was the person a pronoun stands for last named inside a quotation?"""
        if ctx.actors is None:
            return False
        named = [m for m in ctx.actors.mentions if m.start < pronoun.start and m.via != "pronoun"
                 and m.actor.name == pronoun.actor.name]
        if not named:
            return False
        at = ctx.doc[named[-1].start].idx
        return any(s <= at < e for _, s, e, _ in ctx.marked)

    def _speaker(self, verb: Token, actors: ArticleActors, region: Span, ctx: _Context) -> Actor | None:
        """Speaker of a post-posed attribution: the verb's subject, or an actor in the region."""
        subject = self._subject_speaker(verb, actors, ctx)
        if subject is not None and region.start <= _actor_pos(subject, actors, region) < region.end:
            return subject
        regions = [region]
        if region.start <= verb.i < region.end:
            # the attribution clause ends at the next comma: ", a précisé la ministre, lors d'un
            # débat sur l'Ukraine" names no Ukrainian speaker; an apposition after it may name one
            stop = next((t.i for t in region.doc[verb.i + 1: region.end] if t.text in {",", ";"}), region.end)
            regions.insert(0, region.doc[region.start: stop])
        for n, part in enumerate(regions):
            if n > 0 and subject is not None:
                return subject
            # whom the words were told to is not who spoke ("a security source told AFP")
            found = [self._complete(m, ctx) for m in actors.in_span(part.start, part.end)
                     if not _addressee(region.doc[m.head], verb) and not self._addressed_medium(m, region.doc)]
            if found:
                people = [a for a in found if a.kind == "person"]
                return (people or found)[0]
            if n == 0 and subject is None and len(regions) > 1:
                # ", a précisé la cheffe de la diplomatie belge": the inverted subject names an institution
                noun = next((t for t in part if t.i > verb.i and t.pos_ in {"NOUN", "PROPN"}
                             and not _addressee(t, verb)), None)
                got = self._institution(noun, ctx) if noun is not None else None
                if got is None and noun is not None and self._is_document(noun):
                    got = ctx.last_speaker()  # ", détaille le document": its author spoke just before
                if got is None and noun is not None:
                    got = self._described(noun, ctx)  # ", ont raconté des témoins"

                if got is not None:
                    return got
        return subject

    def _addressed_medium(self, mention: Mention, doc: Doc) -> bool:
        """A news medium after an addressee preposition (`addressee_prepositions`): the agency the
        words were told to ("a indiqué à l'AFP une source", "dijo a la agencia EFE"), however the
        parse hung it."""
        if mention.actor.sector != "MED":
            return False
        i = mention.start - 1
        while i >= 0 and (doc[i].pos_ == "DET" or norm(doc[i].text) in self.cues.medium_nouns):
            i -= 1
        return i >= 0 and norm(doc[i].text) in self.cues.addressee_preps

    # ------------------------------------------------------------------ building
    def _make(self, body: Span, speaker: Actor, cue: Token) -> Quote | None:
        doc = body.doc
        start, end = body.start, body.end
        dateline = dateline_end(doc.text)
        if dateline and body.start_char < dateline < body.end_char:
            # "COPENHAGEN, Denmark (AP) — Russia is expelling …": the dateline is no one's words
            start = next((t.i for t in body if t.idx >= dateline), start)
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


def _own_country(noun: Token, lang: str) -> str | None:
    """The country a noun phrase names of itself: a demonym or a state among its own words
    ("Azerbaijan's Defense Ministry", "the Russian Foreign Ministry", "ministère malien",
    "Ministerio de Defensa de Colombia")."""
    doc = noun.doc
    for t in doc[max(noun.left_edge.i, noun.i - OWN_WINDOW): min(noun.right_edge.i, noun.i + OWN_WINDOW) + 1]:
        if t.i == noun.i or t.pos_ not in {"ADJ", "PROPN", "NOUN"}:
            continue
        if any(v.pos_ in {"VERB", "AUX"} for v in doc[min(t.i, noun.i): max(t.i, noun.i)]):
            continue
        country = geo.demonym(t.text, lang)
        if country:
            return country
        if t.pos_ == "PROPN":
            hit = geo.lookup(t.text, lang)
            if hit and hit.kind == "country":
                return hit.iso3
    return geo.demonym(noun.text, lang)


def _with_home_country(person: Actor, actors: ArticleActors, doc: Doc, quoted: list[tuple[int, int]],
                       known: Callable[[Actor], Actor] | None = None, domestic: bool = False) -> Actor:
    """A person speaker the text gives no country: the one country named in the sentence that
    introduces them ("… at the Venezuelan embassy in Madrid, said Alicia"), else the country the
    article names most (a story's speakers are mostly of the country it is about).  An official
    with a domestic title (`domestic`: "military spokesman Yahya Saree said … an American ship")
    is of the country the article names most first: the country in their sentence is more often
    the one they speak of."""
    if known is not None and known(person).country:
        return person  # a known person: the registry gives the country
    named = [m for m in actors.mentions if m.actor.name == person.name and m.via != "pronoun"]
    country = _main_country(actors) if domestic else None
    if named and country is None:
        sent = doc[named[0].start].sent
        clause = _clause_of(doc[named[0].head])
        others = {m.start for m in actors.mentions if m.actor.kind == "person" and m.actor.name != person.name}
        here = {m.actor.country for m in actors.mentions if sent.start <= m.start < sent.end
                and _lends_country(m.actor)
                and not any(s <= doc[m.start].idx < e for s, e in quoted)
                # in the person's own clause, and not another person's title ("… received President
                # of Ghana, Nana Akufo-Addo"; "As Nigeria condemned …, X said")
                and _clause_of(doc[m.head]) == clause and not any(m.end <= o <= m.end + 2 for o in others)}
        country = here.pop() if len(here) == 1 else None
    if country is None:
        country = _main_country(actors)
    if country is None:
        return person
    found = dataclasses.replace(person, country=country, id="")
    found.__post_init__()
    return found


def _lends_country(actor: Actor) -> bool:
    """A mention whose country a speaker with none may take: a state, group or organisation of
    one country, but no news medium ("told Reuters", "a déclaré à l'AFP", "dijo a la agencia
    Anadolu": the agency a person speaks to says nothing of theirs)."""
    return actor.kind != "person" and bool(actor.country) and actor.country != "IGO" and actor.sector != "MED"


def _home(actors: ArticleActors | None) -> str | None:
    """The country an article names most, else the state it is about (ties: the first named)."""
    if actors is None:
        return None
    return _main_country(actors) or actors.home


def _main_country(actors: ArticleActors) -> str | None:
    """The country an article names most (states, capitals, demonyms), if one leads."""
    counts = Counter(m.actor.country for m in actors.mentions if _lends_country(m.actor))
    ranked = counts.most_common(2)
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    return None


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    """The offsets of text[start:end] without its surrounding spaces and a trailing comma."""
    raw = text[start:end]
    left = len(raw) - len(raw.lstrip())
    content = raw.strip().rstrip(",").rstrip()
    return start + left, start + left + len(content)


def _definite(noun: Token) -> bool:
    """"the group", "ce mouvement", "la organización": a determiner that points back."""
    return any(c.dep_ == "det" and ("Def" in c.morph.get("Definite") or "Dem" in c.morph.get("PronType"))
               for c in noun.children)


def _subject_or_owner(tok: Token) -> bool:
    """A subject, its owner or its apposition ("Estonia's foreign ministry dismissed …", "el
    presidente de Guyana, Irfaan Ali, agradeció …")."""
    return tok.dep_ in SUBJECT_DEPS or (tok.dep_ in {"poss", "nmod:poss", "appos", "flat", "flat:name", "compound"}
                                        and tok.head.dep_ in SUBJECT_DEPS)


def _clause_of(tok: Token) -> int:
    """The verb whose clause a token stands in (its nearest verb ancestor, or the root)."""
    cur = tok
    for _ in range(12):
        if cur.pos_ in {"VERB", "AUX"} or cur.head.i == cur.i:
            return cur.i
        cur = cur.head
    return cur.i


def _words(span: Span | None) -> int:
    return 0 if span is None else sum(1 for t in span if t.is_alpha)


def _content_end(sent: Span) -> int:
    end = sent.end
    while end > sent.start and (sent.doc[end - 1].is_punct or sent.doc[end - 1].is_space):
        end -= 1
    return end


def _addressee(tok: Token, verb: Token) -> bool:
    """Is `tok` the one `verb`'s words were addressed to: its object ("told AFP"), or the object of
    a preposition on it ("a déclaré à l'AFP", "dijo a EFE")?"""
    if tok.head == verb and tok.dep_ in {"dobj", "iobj", "dative"}:
        return True  # (not UD's "obj": French and Spanish parses put an inverted subject there)
    return tok.dep_ in {"pobj", "obl", "obl:arg", "nmod"} and (tok.head == verb or tok.head.head == verb) and any(
        c.dep_ in {"case", "prep"} and c.text.lower() in {"to", "à", "a", "al"} for c in [*tok.children, tok.head])


def _actor_pos(actor: Actor, actors: ArticleActors, region: Span) -> int:
    for m in actors.in_span(region.start, region.end):
        if m.actor.id == actor.id or (m.actor.name == actor.name and m.actor.kind == actor.kind):
            return m.start
    return -1


def _person_before(token_i: int, actors: ArticleActors | None) -> Actor | None:
    """The last person named (not by a pronoun) before a token."""
    if actors is None:
        return None
    people = [m for m in actors.mentions if m.start < token_i and m.actor.kind == "person" and m.via != "pronoun"
              and not m.is_place]
    return people[-1].actor if people else None


def _same_speaker(a: Quote, b: Quote) -> bool:
    return a.speaker is not None and b.speaker is not None and a.speaker.id == b.speaker.id


def _passive(verb: Token, passive_aux: set[str]) -> bool:
    """"was recalled", "a été rappelé", "han sido declarados": no one speaks."""
    subject = next((c for c in verb.children if c.dep_ in {"nsubjpass", "nsubj:pass"}), None)
    if subject is None and "Part" in verb.morph.get("VerbForm") and any(
            c.dep_ in {"aux", "aux:pass", "auxpass", "cop"} and norm(c.lemma_) in passive_aux for c in verb.children):
        subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    # "est-il indiqué dans un communiqué": an impersonal passive still reports
    return subject is not None and subject.pos_ != "PRON"


def _outermost(quotes: list[Quote], continuation: set[str]) -> list[Quote]:
    """Drop quotes whose text lies inside a direct quote, another quote by the same speaker, or any
    quote when they continue a clause of its content ("La partie russe a apprécié …, estimant que …"
    inside Lavrov's statement)."""
    keep = []
    for q in quotes:
        if any(o is not q and o.start <= q.start and q.end <= o.end and (o.end - o.start) > (q.end - q.start)
               and (o.direct or _same_speaker(o, q) or norm(q.cue) in continuation) for o in quotes):
            continue
        if any(o.start == q.start and o.end == q.end for o in keep):
            continue
        keep.append(q)
    return keep

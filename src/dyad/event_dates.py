"""The day each event of an article happened (the time stage): `DateTracker`, fed the article's
sentences in order.

The date mentions come from `dyad.when` (all language knowledge is in its YAML packs); this module
only knows how news stories move in time, using the spaCy parse to tie a mention to a clause.

* An event in a clause introduced by a clause relation ("a day after Xing expressed ...",
  "ocho días después de que Trump aprobara ...") takes the sentence's own day moved by the
  relation's shift.
* An event takes a day attached to its own clause: in the trigger's subtree, on its predicate,
  or on a predicate above it ("On Monday, X spoke to Y and told him that Z had instructed ..."),
  but not across a relative clause (background) and never a dateline, a bound ("until
  Monday") or a day after publication (plans are not events).
* Otherwise the story's day, `date_inferred` true.  The story's day is the lead sentence's day;
  when the lead gives none, the first day the article mentions within a week before
  publication, else the dateline's, else publication day.  A later day moves the story on; an
  earlier day ("On Wednesday night, the military announced a coup.") is a flashback that holds
  until its paragraph ends.
* "today" inside quotation marks is the day the words were said, the story's day.

See docs/dates.md ("Event dates").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from datetime import date, timedelta

from spacy.tokens import Span, Token

from dyad import when
from dyad.events import predicate_of

VERBAL = {"VERB", "AUX"}
# a date reaches an event below it only through the event's own clause, not through a relative
# clause on one of its words ("who leads protests that began on Monday") or an aside
OWN_CLAUSE_BREAKS = {"relcl", "acl:relcl", "parataxis"}
# an event in a relative clause is background to a date above it ("whose vessel was hijacked in
# March, paid a ransom on Friday")
BACKGROUND = {"relcl", "acl:relcl"}
NOMINAL_DEPS = {"pobj", "nmod", "obl", "obl:arg", "obl:mod"}
LOOKAHEAD_DAYS = 7  # an undated lead is the first day mentioned, when that is this close to publication
DATELINE_CHARS = 60
_DATELINE_BEFORE = re.compile(r"[\W\d_]*(?:[A-Z][\w.'’-]*[\s,]*)*")  # "SEOUL, ", "Manila, ", ""
_DATELINE_AFTER = re.compile(r"\s*(?:\(|/|--|—|–|\.\s*[/(])")  # " (Yonhap) --", ". /TASS/."


def _breaks(tok: Token, breaks: set[str]) -> bool:
    """Is tok's clause one of `breaks`?  A clause introduced by a relative pronoun is a relative
    clause whatever its label (AnCora labels them acl)."""
    if tok.dep_ in breaks:
        return True
    return "relcl" in breaks and tok.dep_ in {"acl", "advcl"} and tok.pos_ in VERBAL \
        and any("Rel" in c.morph.get("PronType") and c.dep_ != "det" for c in tok.children)


def _through_noun(low: Token, high: Token) -> bool:
    """Does the path from `low` up to `high` pass through another noun (the day of a noun inside
    an event noun's phrase is that noun's)?"""
    cur = low.head
    for _ in range(40):
        if cur.i == high.i or cur.head.i == cur.i:
            return False
        if cur.pos_ in {"NOUN", "PROPN"}:
            return True
        cur = cur.head
    return False


def _reaches(low: Token, high: Token, breaks: set[str]) -> bool:
    """Does the path from `low` up to its ancestor `high` avoid the `breaks` dependencies?  A
    clause on `high` itself is its own ("the attack launched on 31 March")."""
    cur = low
    for _ in range(40):
        if cur.i == high.i or cur.head.i == cur.i:
            return True
        if _breaks(cur, breaks) and cur.head.i != high.i:
            return False
        cur = cur.head
    return True


ARGUMENT_DEPS = {"nsubj", "nsubjpass", "nsubj:pass", "dobj", "obj"}


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower().replace("-", "")


def _definite(tok: Token) -> bool:
    """ "the meeting", "cet entretien", "la reunión": a determiner that refers back."""
    return any(c.dep_ == "det" and ("Def" in c.morph.get("Definite") or "Dem" in c.morph.get("PronType")
                                    or c.lower_ == "the") for c in tok.children)


def _event_nouns(pred: Token) -> list[Token]:
    """Nouns naming what a dated clause is about: the predicate if it is a noun, its subject and
    object, and the objects of its prepositions ("during a meeting")."""
    out = [pred] if pred.pos_ == "NOUN" else []
    for c in pred.children:
        if c.pos_ == "NOUN" and (c.dep_ in ARGUMENT_DEPS or c.dep_ in NOMINAL_DEPS):
            out.append(c)
        elif c.dep_ == "prep":
            out += [g for g in c.children if g.pos_ == "NOUN" and g.dep_ == "pobj"]
    return out


_PUNCT_NEXT = re.compile(r"\s*(?:[^\w\s]|$)")
_OPEN, _CLOSE, _STRAIGHT = "“«", "”»", '"'


def _quoted(text: str, at: int) -> bool:
    """Is offset `at` inside quotation marks opened in its paragraph?"""
    para = text[text.rfind("\n", 0, at) + 1:at]
    opened = sum(para.count(c) for c in _OPEN) - sum(para.count(c) for c in _CLOSE)
    return opened > 0 or para.count(_STRAIGHT) % 2 == 1


def _dateline(text: str, m: when.DateMention) -> bool:
    """A dateline's date ("SEOUL, June 9 (Yonhap) --") is the dispatch's day, not an event's."""
    return m.start < DATELINE_CHARS and bool(_DATELINE_BEFORE.fullmatch(text[:m.start])) \
        and bool(_DATELINE_AFTER.match(text, m.end))


def _shift(value: str | None, days: int) -> str | None:
    if not value:
        return None
    try:
        return (date.fromisoformat(value) + timedelta(days=days)).isoformat()
    except ValueError:
        return None


class DateTracker:
    """The day each event happened, sentence after sentence (see the module docstring)."""

    def __init__(self, text: str, lang: str, published: str | None):
        self.text = text
        self.published = _shift(published[:10], 0) if isinstance(published, str) else None
        found = when.find_dates(text, lang, published)
        self.relations = [m for m in found if m.kind == "relation"]
        self.days = [m for m in found if m.kind != "relation" and m.granularity == "day" and m.value]
        self._quoted = {m.start for m in self.days if m.kind == "named" and _quoted(text, m.start)}
        self.days = [m for m in self.days
                     if m.start in self._quoted or not self.published or m.value <= self.published]
        self.story: str | None = None  # the story's day
        self.local: str | None = None  # a flashback's day, until the end of its paragraph
        self._sent: Span | None = None
        self._values: dict[int, str | None] = {}  # relation start -> its value in this story
        self._clauses: list[tuple[when.DateMention, set[int]]] = []
        self._first = True
        self._quote_day: str | None = None  # the story's day as the sentence begins
        self.datelines = {m.start for m in self.days if _dateline(text, m)}
        self._fallback: str | None = None  # the day before this sentence's flashback began
        self._nouns: dict[str, str] = {}  # event noun lemma -> day of the dated clause it was in
        self._nouns_before: dict[str, str] = {}  # the same, up to the previous sentence

    # ------------------------------------------------------------------ the story's day

    @property
    def current(self) -> str | None:
        return self.local or self.story or self.published

    def enter(self, sent: Span) -> None:
        """Move to the next sentence: its day mentions update the story's day."""
        prev = self._sent
        prev_end = prev.start_char + len(prev.text.rstrip()) if prev is not None else 0
        if "\n" in self.text[prev_end:sent.start_char]:
            self.local = None  # a new paragraph ends a flashback
        self._sent = sent
        self._fallback = None
        self._nouns_before = dict(self._nouns)
        self._quote_day = self.current if self.story is not None else None
        self._clauses = []
        mentions = sorted(self._in(sent, self.days) + self._in(sent, self.relations), key=lambda m: m.start)
        if self._first:  # the lead's day, or a day found further on
            self._first = False
            own = [m.value for m in mentions if m.kind != "relation" and self._narrative(sent, m)]
            self.story = own[0] if own else self._lookahead()
        for m in mentions:
            if m.kind == "relation":
                shift = m.shift
                if m.scope == "clause":
                    if not _PUNCT_NEXT.match(self.text, m.end):
                        self._clauses.append((m, self._region(sent, m)))
                        continue
                    shift = -shift  # "The day after, ...": no clause follows, the day after the story's
                value = _shift(self.current, shift)
                self._values[m.start] = value
                if value is None or (self.published and value > self.published):
                    continue
            else:
                if not self._narrative(sent, m):
                    continue
                value = m.value
            assert value is not None
            self._move(value)
        self._remember(sent)

    def _remember(self, sent: Span) -> None:
        """The event nouns of this sentence's dated clauses ("The standoff occurred on Saturday",
        "… a day after Xing expressed … during a meeting with Lee"), so that a later "during the
        stand-off" or "lors de cet entretien" takes that day."""
        doc = sent.doc
        dated: list[tuple[Token, str]] = []
        for m, value in self._candidates():
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None and not any(span.root.i in r for _, r in self._clauses):
                dated.append((predicate_of(span.root), value))
        for pred, value in dated:
            for t in _event_nouns(pred):
                self._nouns[_lemma(t)] = value
        for m, region in self._clauses:  # "a day after [Xing expressed … during a meeting with Lee]"
            value = _shift(self._main_day(doc, region), m.shift)
            if value and (not self.published or value <= self.published):
                for i in sorted(region):
                    if doc[i].pos_ == "NOUN" and doc[i].dep_ in NOMINAL_DEPS | ARGUMENT_DEPS:
                        self._nouns[_lemma(doc[i])] = value

    def _referred(self, anchor: Token) -> str | None:
        """The day of an earlier dated event a definite noun of the anchor's clause refers to."""
        pred = predicate_of(anchor)
        for t in pred.subtree:
            if t.pos_ == "NOUN" and t.dep_ in NOMINAL_DEPS and predicate_of(t).i == pred.i and _definite(t):
                if (value := self._nouns_before.get(_lemma(t))) is not None:
                    return value
        return None

    def _move(self, value: str) -> None:
        """The story reaches a day: a later one moves it on, an earlier one is a flashback."""
        if self.story is not None and value > self.story:
            self.story, self.local = value, None
            return
        if value != self.current and self._fallback is None:
            self._fallback = self.current  # this sentence's undated clauses keep the day before
        self.local = None if value == self.story else value

    def _lookahead(self) -> str | None:
        """The story's day when the lead gives none: the first day the article mentions if it is
        within a week of publication ("se sont rencontrés." ... "Le second a dit, hier, ..."),
        else the dateline's day, else the publication day."""
        for m in self.days:
            if m.start in self.datelines or m.bound or m.start in self._quoted \
                    or (m.kind == "named" and m.value == self.published):
                continue
            assert m.value is not None
            if self.published and m.value < (_shift(self.published, -LOOKAHEAD_DAYS) or ""):
                break
            return m.value
        for m in self.days:
            if m.start in self.datelines:
                return m.value
        return self.published

    def _narrative(self, sent: Span, m: when.DateMention) -> bool:
        """Does the mention tell the story's day?  Not a dateline, a bound ("until Monday"), "today"
        in a quote, nor "today" on a noun ("with protectionism on the rise today")."""
        if m.start in self.datelines or m.bound or m.start in self._quoted:
            return False
        if m.kind != "named" or m.value != self.published:
            return True
        span = sent.doc.char_span(m.start, m.end, alignment_mode="expand")
        return span is not None and span.root.head.pos_ in VERBAL

    def _in(self, sent: Span, mentions: list[when.DateMention]) -> list[when.DateMention]:
        """The mentions starting inside the sentence, by binary search (`find_dates` gives them in
        text order), so a long text costs no scan of all its dates per sentence."""
        cache = self.__dict__.setdefault("_starts", {})
        starts = cache.get(id(mentions))
        if starts is None or len(starts) != len(mentions):
            starts = cache[id(mentions)] = [m.start for m in mentions]
        return mentions[bisect_left(starts, sent.start_char):bisect_left(starts, sent.end_char)]

    @staticmethod
    def _region(sent: Span, m: when.DateMention) -> set[int]:
        """Token indices of the clause a clause relation introduces ("a day after [Xing expressed
        ...]"): from the first token after it, up its heads while they stay after it."""
        after = [t for t in sent if t.idx >= m.end]
        if not after:
            return set()
        first = after[0].i
        own = [t for t in sent if m.start <= t.idx < m.end]
        top = after[0]
        for _ in range(12):  # up to the clause's head, the first word that governs the relation
            if any(top in t.ancestors for t in own):
                break
            head = top.head
            if head.i == top.i or head.i < first:
                break
            top = head
        return {t.i for t in top.subtree if t.i >= first}

    # ------------------------------------------------------------------ an event's day

    def date_for(self, anchor: Token) -> tuple[str | None, bool]:
        """(ISO day, inferred?): the clause's own day, else the story's day (inferred)."""
        if self._sent is None:
            return self.current, self.current is not None
        for m, region in self._clauses:
            if anchor.i in region:
                base = self._main_day(anchor.doc, region)
                value = _shift(base, m.shift)
                if value and (not self.published or value <= self.published):
                    return value, False
        own = self._attached(anchor)
        if own is not None:
            return own, False
        referred = self._referred(anchor)
        if referred is not None:
            return referred, True
        current = self._fallback or self.current
        return current, current is not None

    def _value(self, m: when.DateMention) -> str | None:
        """A mention's day; "today" in a quote is the day it was said, the story's day."""
        if m.start in self._quoted and self.published and m.value:
            offset = (date.fromisoformat(m.value) - date.fromisoformat(self.published)).days
            if offset > 0:  # "tomorrow" when it was said: a plan
                return None
            return _shift(self._quote_day if self._quote_day is not None else self.current, offset)
        return m.value

    def _candidates(self) -> list[tuple[when.DateMention, str]]:
        assert self._sent is not None
        out = [(m, v) for m in self._in(self._sent, self.days)
               if not m.bound and m.start not in self.datelines and (v := self._value(m))]
        out += [(m, v) for m in self._in(self._sent, self.relations)
                if (v := self._values.get(m.start))
                and (not self.published or v <= self.published)]
        return out

    def _main_day(self, doc, region: set[int]) -> str | None:
        """The day of the sentence outside a clause relation's clause."""
        for m, value in self._candidates():
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None and span.root.i not in region:
                return value
        return self.current

    def _attached(self, anchor: Token) -> str | None:
        doc = anchor.doc
        pred = predicate_of(anchor)
        subtree = {t.i for t in anchor.subtree}
        clause_tokens = set().union(*(r for _, r in self._clauses)) if self._clauses else set()
        direct, above = [], []
        # an event noun inside a prepositional phrase ("pour la répression", "contra la captura")
        # is dated only by a date of its own
        nominal = anchor.pos_ in {"NOUN", "PROPN"} and anchor.dep_ in NOMINAL_DEPS
        for m, value in self._candidates():
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            tok = span.root
            if tok.i in clause_tokens and anchor.i not in clause_tokens:
                continue  # a day inside "a day after [...]" is not the main clause's
            if m.kind == "named" and m.value == self.published and tok.head.pos_ not in VERBAL:
                continue  # "on the rise today": not the day of this event
            mpred = predicate_of(tok)
            if anchor.pos_ in {"NOUN", "PROPN"} and tok.i in subtree and _through_noun(tok, anchor):
                continue  # "su rechazo a las declaraciones del día anterior": the statements' day
            if mpred.i == pred.i or (tok.i in subtree and _reaches(tok, anchor, OWN_CLAUSE_BREAKS)) \
                    or any(t in anchor.ancestors for t in span):  # "on October 7, when Hamas attacked"
                direct.append((m, value))
            elif nominal:
                continue  # "protesting against the capture of Maduro": the capture's day is not said
            elif mpred.i in subtree and _reaches(mpred, anchor, OWN_CLAUSE_BREAKS):
                direct.append((m, value))
            elif (mpred in pred.ancestors and _reaches(pred, mpred, BACKGROUND)) \
                    or (mpred in anchor.ancestors and _reaches(anchor, mpred, BACKGROUND)):
                above.append((m, value))
        chosen = direct or above
        if not chosen:
            return None
        explicit = [mv for mv in chosen if mv[0].kind != "relation"]  # "comme la veille ... lundi"
        chosen = explicit or chosen
        return min(chosen, key=lambda mv: abs(mv[0].start - anchor.idx))[1]

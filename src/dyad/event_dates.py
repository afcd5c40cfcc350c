"""The day each event of an article happened (the time stage, over the article's sentences in order)."""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Span

from dyad import when
from dyad.events import predicate_of


class DateTracker:
    """The day each event happened.

    An event takes a day-date attached to its own clause ("met … on Friday"); otherwise the
    narrative day: the latest day mentioned so far that is not after publication (a story moves
    forward; a look back to an earlier day or ahead to a plan does not move it), and before any
    day is mentioned, the first day the article mentions.
    """

    def __init__(self, text: str, lang: str, published: str | None):
        self.published = published
        self.mentions = [m for m in when.find_dates(text, lang, published)
                         if m.granularity == "day" and m.value and (not published or m.value <= published)]
        # "on the rise today" is no news of a day; only other days move the story
        self.narrative = [m for m in self.mentions if not (m.relative and m.value == published)]
        self.current: str | None = self.narrative[0].value if self.narrative else None
        self._starts = {id(ms): [m.start for m in ms] for ms in (self.mentions, self.narrative)}
        self._sent: Span | None = None

    def enter(self, sent: Span) -> None:
        self._sent = sent
        for m in self._in(sent, self.narrative):
            if self.current is None or m.value > self.current:
                self.current = m.value

    def _in(self, sent: Span, mentions: list) -> list:
        """The mentions starting inside the sentence (`find_dates` gives them in text order)."""
        starts = self._starts[id(mentions)]
        return mentions[bisect_left(starts, sent.start_char):bisect_left(starts, sent.end_char)]

    def date_for(self, anchor) -> tuple[str | None, bool]:
        """(ISO day, inferred?): the clause's own date, else the narrative day (inferred)."""
        if self._sent is not None:
            pred = predicate_of(anchor)
            subtree = {t.i for t in anchor.subtree}
            attached = []
            for m in self._in(self._sent, self.mentions):
                span = anchor.doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is None:
                    continue
                tok = span.root
                if m.relative and m.value == self.published and tok.head.pos_ not in {"VERB", "AUX"}:
                    continue  # "on the rise today": not the day of this event
                if tok.i in subtree or predicate_of(tok).i == pred.i or predicate_of(tok).i in subtree:
                    attached.append(m)
            if attached:  # the nearest one: "PARIS, 15 avril -- X s'est entretenu mercredi …"
                return min(attached, key=lambda m: abs(m.start - anchor.idx)).value, False
        return self.current, self.current is not None

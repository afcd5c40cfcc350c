"""One event per key within an article (the events stage's last step, and again after identity).

:func:`merge_events`: one event per (type, mode, source, target, date, negated); later mentions add
evidence, an undated mention joins the same event stated with its day (the nearest before it, else
the first after it), a meeting with a state
joins the same meeting with a person of that state, and an event with a side missing joins the
same event of the same sentence with both sides.
"""

from __future__ import annotations

from dyad.records import Event, stable_id


def merge_events(article_id: str, events: list[Event]) -> list[Event]:
    """One event per (type, mode, source, target, date, negated); later mentions add evidence.

    Two more merges, both within the article: an event whose date was only inferred from the
    story's context joins the same event stated with its own date ("held talks with Le Drian" …
    "During talks with Le Drian on Saturday"), and a meeting with a state ("his visit to France")
    joins the same source's meeting with a person of that state ("met with Macron in Paris").
    """
    merged: dict[tuple, Event] = {}
    for e in events:
        key = e.key()
        if key in merged and bool(merged[key].cues) == bool(e.cues):
            _absorb(merged[key], e)
        elif key not in merged or not e.cues:
            merged[key] = e  # the rules' own event replaces a positional guess of the same event
        # (a positional guess of an event the rules coded adds nothing, not even evidence)
    kept = list(merged.values())
    for e in list(kept):
        if e.cues:
            continue  # positional guesses are judged on their own by the learned layer
        pool = [f for f in kept if not f.cues]
        home = _dated_home(e, pool) if e.date_inferred else None
        home = home or next((f for f in pool if f is not e and _visit_of_state(e, f)), None)
        home = home or next((f for f in pool if f is not e and _one_side_of(e, f)), None)
        if home is not None:
            _absorb(home, e)
            kept.remove(e)
    for e in kept:
        e.id = stable_id(article_id, *e.key())
    return kept


def _absorb(kept: Event, other: Event) -> None:
    for ev in other.evidence:
        if all(k.start != ev.start for k in kept.evidence):
            kept.evidence.append(ev)
    kept.confidence = max(kept.confidence, other.confidence)
    # the same day said by one mention is said for the event ("resume cooperation" … "cooperate more …
    # when he met Macron on Friday"): it is no longer inferred, and joins no later day
    kept.date_inferred = kept.date_inferred and (other.date_inferred or other.date != kept.date)
    kept.place = kept.place or other.place
    kept.mode = kept.mode or other.mode


def _ids(e: Event) -> tuple:
    return (e.source.id if e.source else None, e.target.id if e.target else None)


def _same_but_date(e: Event, f: Event) -> bool:
    """f states the day of e: e is another mention of it without its day."""
    return (e.type == f.type and _ids(e) == _ids(f) and e.negated == f.negated and not f.date_inferred
            and (e.mode == f.mode or not e.mode or not f.mode))


def _dated_home(e: Event, kept: list[Event]) -> Event | None:
    """The event with a stated day that an undated mention e repeats: the nearest one before it
    ("… launched airstrikes on Tuesday" … "With the US launching retaliatory airstrikes"), else
    the first one after it (a first mention whose day comes later)."""
    at = e.evidence[0].start
    homes = [f for f in kept if f is not e and _same_but_date(e, f)]
    before = [f for f in homes if f.evidence[0].start < at]
    if before:
        return max(before, key=lambda f: f.evidence[0].start)
    return min(homes, key=lambda f: f.evidence[0].start, default=None)


def _one_side_of(e: Event, f: Event) -> bool:
    """e is f with a side missing, in the same sentence ("stopped work … in an open-ended strike":
    one protest by the workers, whose target only one of the words gave)."""
    if e.type != f.type or e.negated != f.negated or not e.evidence or not f.evidence:
        return False
    if e.evidence[0].start != f.evidence[0].start:
        return False
    if e.target is None and f.target is not None:
        return e.source is not None and f.source is not None and e.source.id == f.source.id
    if e.source is None and f.source is not None:
        return e.target is not None and f.target is not None and e.target.id == f.target.id
    return False


def _visit_of_state(e: Event, f: Event) -> bool:
    if e.type != "CONSULT" or f.type != "CONSULT" or not (e.source and e.target and f.source and f.target):
        return False
    return (e.target.kind == "state" and f.target.kind != "state" and e.source.id == f.source.id
            and e.target.country == f.target.country and (e.date == f.date or e.date_inferred or not e.date))

"""One event per key within an article (the events stage's last step, and again after identity).

:func:`merge_events`: one event per (type, mode, source, target, date, negated); later mentions add
evidence, an undated first mention joins the same event stated with its day, a meeting with a state
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
        if key in merged:
            _absorb(merged[key], e)
        else:
            merged[key] = e
    kept = list(merged.values())
    # each rule only pairs events that share a key: look among those (in `kept` order), not all
    rules = [(_same_but_date, lambda e: (e.type, _ids(e), e.negated)),
             (_visit_of_state, lambda e: (e.source.id, e.target.country)
              if e.type == "CONSULT" and e.source and e.target else None),
             (_one_side_of, lambda e: (e.type, e.negated, e.evidence[0].start) if e.evidence else None)]
    groups: list[dict[object, list[Event]]] = []
    for _, key_of in rules:
        group: dict[object, list[Event]] = {}
        for e in kept:
            group.setdefault(key_of(e), []).append(e)
        groups.append(group)
    removed: set[int] = set()
    for e in list(kept):
        home = None
        for n, ((rule, key_of), group) in enumerate(zip(rules, groups, strict=True)):
            key = key_of(e)
            if key is None or (n == 0 and not e.date_inferred):
                continue  # the rule cannot apply to e
            home = next((f for f in group[key] if f is not e and id(f) not in removed and rule(e, f)), None)
            if home is not None:
                break
        if home is not None:
            _absorb(home, e)
            removed.add(id(e))
    kept = [e for e in kept if id(e) not in removed]
    for e in kept:
        e.id = stable_id(article_id, *e.key())
    return kept


def _absorb(kept: Event, other: Event) -> None:
    for ev in other.evidence:
        if all(k.start != ev.start for k in kept.evidence):
            kept.evidence.append(ev)
    kept.confidence = max(kept.confidence, other.confidence)
    kept.place = kept.place or other.place
    kept.mode = kept.mode or other.mode


def _ids(e: Event) -> tuple:
    return (e.source.id if e.source else None, e.target.id if e.target else None)


def _same_but_date(e: Event, f: Event) -> bool:
    """f states the day of e, later in the text: e was a first mention without its day."""
    return (e.type == f.type and _ids(e) == _ids(f) and e.negated == f.negated and not f.date_inferred
            and (e.mode == f.mode or not e.mode or not f.mode) and f.evidence[0].start > e.evidence[0].start)


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

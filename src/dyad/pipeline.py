"""The one place that strings the stages together.

    Article → language → spaCy parse (nlp.pipe, batched per language) → actors → events
            → dates and places → quotes → one event per key → Article with events and quotes

`extract` is `extract_many` with one article.  Nothing here touches the store or the CLI.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc, Span

from dyad import geo, when, where
from dyad import registry as actor_registry
from dyad.actors import ActorFinder, state_actor
from dyad.decide import decide
from dyad.events import PLACE_TARGET, EventCoder, predicate_of
from dyad.ingest import MAX_CHARS
from dyad.language import UnknownLanguage, detect, nlp, pack
from dyad.ontology import intensity
from dyad.quotes import QuoteFinder
from dyad.records import Article, Event, Problem, stable_id
from dyad.registry import Registry

BATCH_SIZE = 32
PARSE_CHARS = 100_000  # a longer text is parsed in pieces of about this size
WINDOW = 4  # batches read at once, so that each language of a mixed stream parses full batches
TITLE_CHARS = 30  # a country named this close before an actor is part of its title


class ExtractionError(RuntimeError):
    """One article could not be coded; the message says which and why."""


def extract(text: str, lang: str | None = None, published: str | None = None, id: str = "") -> Article:
    """Events and quotes of one article text."""
    article = Article(text=text, lang=lang, published=published, id=id)
    result = next(extract_many([article]))
    if isinstance(result, Problem):
        raise ExtractionError(result.reason)
    return result


def extract_many(articles: Iterable[Article], batch_size: int = BATCH_SIZE,
                 registry: Registry | None = None) -> Iterator[Article | Problem]:
    """Events and quotes of many articles, in input order; each language's model parses its
    articles in batches of `batch_size` with `nlp.pipe`.  Articles are read in windows of
    `WINDOW` batches, so that in a mixed stream each language still gets full batches (an English
    and French stream split 2:1 would otherwise parse batches of 21 and 11).  An article that
    cannot be coded (a language with no pack, a failure inside the coder) comes out as a `Problem`
    in its place; the run goes on.  Actors are resolved to their canonical identity by `registry`
    (default: `registry.default()`)."""
    registry = registry or actor_registry.default()
    window: list[Article] = []
    for article in articles:
        window.append(article)
        if len(window) >= batch_size * WINDOW:
            yield from _run_batch(window, registry, batch_size)
            window = []
    if window:
        yield from _run_batch(window, registry, batch_size)


def _run_batch(batch: list[Article], registry: Registry, batch_size: int = BATCH_SIZE) -> list[Article | Problem]:
    results: dict[int, Article | Problem] = {}
    by_lang: dict[str, list[tuple[int, Article]]] = {}
    for n, article in enumerate(batch):
        if len(article.text) > MAX_CHARS:  # spaCy's limit; `ingest` refuses these before
            results[n] = Problem(_where(article), f"text is {len(article.text):,} characters; the longest "
                                                  f"article coded is {MAX_CHARS:,}: split it into several articles")
            continue
        article.lang = article.lang or detect(article.text)
        try:
            if not isinstance(article.lang, str):
                raise UnknownLanguage(f"'lang' must be a language code like 'en', got {article.lang!r}")
            pack(article.lang)
        except UnknownLanguage as exc:
            results[n] = Problem(_where(article), str(exc))
            continue
        by_lang.setdefault(article.lang, []).append((n, article))
    for lang, group in by_lang.items():
        coder = ArticleCoder.for_language(lang)
        docs = parse(lang, (a.text for _, a in group), batch_size=batch_size)
        for (n, article), doc in zip(group, docs, strict=True):
            try:
                results[n] = decide(protest_targets(infer_countries(registry.resolve(coder.code(article, doc)))))
            except Exception as exc:  # one bad article must not stop the run: record it
                results[n] = Problem(_where(article), f"coder failed: {type(exc).__name__}: {exc}")
    return [results[n] for n in range(len(batch))]


def parse(lang: str, texts: Iterable[str], batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """`nlp.pipe` of the texts, in order; a text longer than PARSE_CHARS is parsed on its own, in
    pieces of about that size (cut at a line break, else after a sentence's full stop, else at a
    space) one at a time, joined back into one Doc of the whole text: the parser's memory follows
    the piece, not the text (a 1 MB text parsed whole takes 3 GB)."""
    texts = list(texts)
    short = nlp(lang).pipe((t for t in texts if len(t) <= PARSE_CHARS), batch_size=batch_size)
    for text in texts:
        if len(text) <= PARSE_CHARS:
            yield next(short)
        else:
            yield _joined(list(nlp(lang).pipe(split_text(text), batch_size=1)))


def _joined(docs: list[Doc]) -> Doc:
    return docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor"])


def split_text(text: str, size: int | None = None) -> list[str]:
    """A text in pieces of at most `size` (PARSE_CHARS) characters that join back into it."""
    size = size or PARSE_CHARS
    out: list[str] = []
    start = 0
    while len(text) - start > size:
        low, high = start + size // 2, start + size
        cut = text.rfind("\n", low, high)
        if cut < 0:
            cut = text.rfind(". ", low, high - 1)
            cut = cut + 1 if cut >= 0 else text.rfind(" ", low, high)
        cut = cut + 1 if cut >= 0 else high
        out.append(text[start:cut])
        start = cut
    out.append(text[start:])
    return out


def _where(article: Article) -> str:
    return article.origin or f"article {article.id}"


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


class ArticleCoder:
    """Codes one parsed article in one language."""

    _cache: dict[str, ArticleCoder] = {}

    def __init__(self, lang: str):
        self.lang = lang
        self.actors = ActorFinder(lang)
        self.events = EventCoder(lang)
        self.quotes = QuoteFinder(lang)

    @classmethod
    def for_language(cls, lang: str) -> ArticleCoder:
        if lang not in cls._cache:
            cls._cache[lang] = cls(lang)
        return cls._cache[lang]

    def code(self, article: Article, doc: Doc) -> Article:
        if not article.published:
            article.published = when.find_published(article.text, self.lang)
        mentions = self.actors.find(doc)
        dates = DateTracker(article.text, self.lang, article.published)
        events: list[Event] = []
        ents = list(doc.ents)
        ent_starts = [e.start for e in ents]  # in text order: a sentence's entities are one slice
        for sent in doc.sents:
            dates.enter(sent)
            sent_ents = ents[bisect_left(ent_starts, sent.start):bisect_left(ent_starts, sent.end)]
            place = where.event_place(sent, self.lang, sent_ents)
            for event, match in self.events.code_sentence(sent, mentions, place):
                event.date, event.date_inferred = dates.date_for(match.anchor)
                event.place = place
                _refine_mode(event)
                event.intensity = intensity(event.type, event.cameo)
                events.append(event)
        article.events = merge_events(article.id, events)
        article.quotes = self.quotes.find(doc, mentions)
        return article


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


def _refine_mode(event: Event) -> None:
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

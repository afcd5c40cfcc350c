"""The one place that strings the stages together.

    Article → language → spaCy parse (nlp.pipe, batched per language) → actors → events
            → dates and places → quotes → identity (registry) → Article with events and quotes

`extract` is `extract_many` with one article.  The rules of each stage live in its own module
(``article_events`` merges an article's events, ``event_dates`` dates them); nothing here touches
the store or the CLI.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from typing import Any

from spacy.tokens import Doc

from dyad import registry as actor_registry
from dyad import when, where
from dyad.actors import ActorFinder, add_forms
from dyad.article_events import infer_countries, place_officials, protest_targets, refine_mode
from dyad.decide import decide
from dyad.event_dates import DateTracker
from dyad.events import EventCoder
from dyad.ingest import MAX_CHARS, article_from_json
from dyad.language import UnknownLanguage, detect, nlp, pack, unsupported
from dyad.merge import merge_events
from dyad.ontology import intensity
from dyad.quotes import QuoteFinder
from dyad.records import Article, Event, Problem
from dyad.registry import Registry

BATCH_SIZE = 32
PARSE_CHARS = 100_000  # a longer text is parsed in pieces of about this size
WINDOW = 4  # batches read at once, so that each language of a mixed stream parses full batches


class ExtractionError(RuntimeError):
    """One article could not be coded; the message says which and why."""


def extract(text: str, lang: str | None = None, published: str | None = None, id: str = "") -> Article:
    """Events and quotes of one article text."""
    article = Article(text=text, lang=lang, published=published, id=id)
    result = next(extract_many([article]))
    if isinstance(result, Problem):
        raise ExtractionError(result.reason)
    return result


def extract_many(articles: Iterable[Article | dict[str, Any]], batch_size: int = BATCH_SIZE,
                 registry: Registry | None = None) -> Iterator[Article | Problem]:
    """Events and quotes of many articles, in input order; each language's model parses its
    articles in batches of `batch_size` with `nlp.pipe`.  An article is an `Article` or a dict in
    the input format (``{"text", "id", "lang", "published", "url", "source", "title"}``, only
    ``text`` required).  Articles are read in windows of `WINDOW` batches, so that in a mixed
    stream each language still gets full batches (an English and French stream split 2:1 would
    otherwise parse batches of 21 and 11).  An article that cannot be coded (a bad dict, a
    language with no pack, a failure inside the coder) comes out as a `Problem` in its place; the
    run goes on.  Actors are resolved to their canonical identity by `registry` (default:
    `registry.default()`)."""
    registry = registry or actor_registry.default()
    window: list[Article | Problem] = []
    for n, article in enumerate(articles, 1):
        window.append(article if isinstance(article, Article) else _from_dict(article, n))
        if len(window) >= batch_size * WINDOW:
            yield from _run_batch(window, registry, batch_size)
            window = []
    if window:
        yield from _run_batch(window, registry, batch_size)


def _from_dict(obj: Any, n: int) -> Article | Problem:
    """An input-format dict → Article (a Problem when it is not one)."""
    name = obj.get("id") if isinstance(obj, dict) else None
    found = article_from_json(obj, f"article {name}" if name not in (None, "") else f"article #{n}")
    if isinstance(found, Article):
        found.origin = obj.get("origin")
    return found


def _run_batch(batch: list[Article | Problem], registry: Registry,
               batch_size: int = BATCH_SIZE) -> list[Article | Problem]:
    results: dict[int, Article | Problem] = {}
    by_lang: dict[str, list[tuple[int, Article]]] = {}
    for n, article in enumerate(batch):
        if isinstance(article, Problem):
            results[n] = article
            continue
        if len(article.text) > MAX_CHARS:  # spaCy's limit; `ingest` refuses these before
            results[n] = Problem(_where(article), f"text is {len(article.text):,} characters; the longest "
                                                  f"article coded is {MAX_CHARS:,}: split it into several articles")
            continue
        given = bool(article.lang)
        article.lang = article.lang or detect(article.text)
        try:
            if not isinstance(article.lang, str):
                raise UnknownLanguage(f"'lang' must be a language code like 'en', got {article.lang!r}")
            pack(article.lang)
        except UnknownLanguage as exc:  # a code with no pack, or no language code at all
            reason = unsupported(article.lang, detected=not given) if isinstance(article.lang, str) else str(exc)
            results[n] = Problem(_where(article), reason)
            continue
        by_lang.setdefault(article.lang, []).append((n, article))
    for lang, group in by_lang.items():
        coder = ArticleCoder.for_language(lang)
        docs = parse(lang, (a.text for _, a in group), batch_size=batch_size)
        for (n, article), doc in zip(group, docs, strict=True):
            try:
                coded, home = coder.code_with_home(article, doc, registry)
                coded = place_officials(infer_countries(registry.resolve(coded)), home)
                results[n] = decide(protest_targets(coded))
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


class ArticleCoder:
    """Codes one parsed article in one language: actors → each sentence's events, their day and
    place → the article's events merged → quotes."""

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

    def code(self, article: Article, doc: Doc, registry: Registry | None = None) -> Article:
        """The article's events and quotes; `registry` (default: `registry.default()`) names the
        dictionary actors the NER misses."""
        return self.code_with_home(article, doc, registry)[0]

    def code_with_home(self, article: Article, doc: Doc, registry: Registry | None = None
                       ) -> tuple[Article, str | None]:
        """`code`, and the state the article is about (the one it names most), for the rules
        that run after the registry."""
        if not article.published:
            article.published = when.find_published(article.text, self.lang)
        names = registry or actor_registry.default()
        mentions = self.actors.find(doc, names)
        dates = DateTracker(article.text, self.lang, article.published)
        events: list[Event] = []
        ents = list(doc.ents)
        ent_starts = [e.start for e in ents]  # in text order: a sentence's entities are one slice
        attacker = None  # the author of the last attack coded, for "condemned the attack"
        for sent in doc.sents:
            dates.enter(sent)
            sent_ents = ents[bisect_left(ent_starts, sent.start):bisect_left(ent_starts, sent.end)]
            place = where.event_place(sent, self.lang, sent_ents)
            coded = self.events.code_sentence(sent, mentions, place, attacker)
            attacker = next((e.source for e, _ in reversed(coded) if e.type == "ASSAULT" and e.source
                             and not e.cues), attacker)
            for event, match in coded:
                event.date, event.date_inferred = dates.date_for(match.anchor)
                event.place = place
                refine_mode(event)
                event.intensity = intensity(event.type, event.cameo)
                events.append(event)
        article.events = merge_events(article.id, events)
        article.quotes = self.quotes.find(doc, mentions, names.resolve_actor)
        add_forms(article, mentions)
        return article, mentions.home

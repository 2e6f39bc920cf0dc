# The two commands: `make run` and `make test`. Both set everything up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
FLASK  := $(BIN)/flask --app factcheck

.PHONY: run test install migrate demo bench bench-core bench-my-work bench-archiving bench-freshness clean model

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

# The web server and, beside it, the job worker that delivers e-mail, webhooks and front-cache
# refreshes (factcheck/jobs.py: Huey, its queue a SQLite file under instance/, or Redis when
# REDIS_URL is set). The worker is stopped when the server stops (Ctrl-C, or any exit).
WORKER := $(BIN)/huey_consumer factcheck.jobs.huey --workers 2 --max-delay 0.5 --quiet \
          --graceful-signal TERM --shutdown-timeout 10

run: demo
	@FACTCHECK_ENV=development $(WORKER) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT; trap 'exit 143' TERM; trap 'exit 129' HUP; \
	FACTCHECK_ENV=development $(FLASK) run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/python -m pytest

# The extractor's tagger and parser: trained on UD English EWT (../shared/data/treebanks, or
# EWT_DIR=...) with a fixed seed, its UPOS/UAS/LAS on the treebank's test split printed, and
# written to factcheck/extraction/parser_model/ with its licence (scripts/train_parser.py).
# About an hour of one CPU core.
model: install
	$(BIN)/python scripts/train_parser.py

# Every figure of the performance issue, measured side by side and printed as one table
# (bench/run.py; bench/RESULTS.md has a full run and its discussion). Needs wrk and nginx, and
# for PostgreSQL a server where BENCH_PG_URL (and BENCH_PG_URL_small) may be emptied.
# BENCH_SIZE=1000000 gives the issue's 1M-claim figures (it takes the better part of an hour).
BENCH_SIZE   ?= 100000
BENCH_DB     ?= sqlite postgresql
BENCH_PG_URL ?= postgresql://postgres@127.0.0.1:5432/factcheck_bench
BENCH_IMPORT ?= 100000
BENCH_ARGS   ?=

# `make bench` runs them all; each part can be run alone.
bench: bench-core bench-my-work bench-archiving bench-freshness

bench-core: install
	$(BIN)/python -m bench.run --size $(BENCH_SIZE) --databases $(BENCH_DB) \
		--postgresql-url $(BENCH_PG_URL) --import-items $(BENCH_IMPORT) $(BENCH_ARGS)

# "My work" for a person watching 10,000 claims, at 10,000 claims and at BENCH_SIZE
# (bench/my_work.py; the goal: p95 at the larger size <= 1.5 x p95 at 10,000).
bench-my-work: install
	$(BIN)/python -m bench.my_work --sizes 10000 $(BENCH_SIZE) --databases $(BENCH_DB) --quiet \
		--postgresql-url $(BENCH_PG_URL)_my_work

# Archiving 1,000 pages from a loopback site, and the request adding a report with archiving
# on and off (bench/archiving.py), on SQLite and on PostgreSQL.
bench-archiving: install
	$(BIN)/python -m bench.archiving
	$(if $(filter postgresql,$(BENCH_DB)),$(BIN)/python -m bench.archiving --database-url $(BENCH_PG_URL)_archiving)

# How soon readers behind the example nginx cache see a status change (bench/nginx_freshness.py).
bench-freshness: install
	$(BIN)/python -m bench.nginx_freshness --changes 20

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .hypothesis

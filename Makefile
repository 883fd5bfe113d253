# Research Warehouse — set-up, run, test. Everything starts from a machine with only Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# The whole resolved environment (every transitive package, pinned with hashes), made from
# pyproject.toml's pins by `make lock`: two fresh machines install the same versions.
LOCK := requirements.lock
UV_VERSION := 0.13.8
MANIFEST := dbt_project/target/manifest.json
DBT_SOURCES := $(shell find dbt_project -path dbt_project/target -prune -o -type f \( -name '*.sql' -o -name '*.yml' -o -name '*.csv' \) -print)

export PATH := $(CURDIR)/$(BIN):$(PATH)
export RW_HOME ?= $(CURDIR)/var
DEFAULT_INBOX := $(CURDIR)/data/inbox
export RW_INBOX ?= $(DEFAULT_INBOX)
export DAGSTER_HOME ?= $(RW_HOME)/dagster
# No network at run time: no usage statistics from dbt, Dagster or Great Expectations.
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export GX_ANALYTICS_ENABLED := false
export DAGSTER_DISABLE_TELEMETRY := 1

.PHONY: setup run run-cluster test test-fast lint fmt lock dev eval eval-names bench-extract bench-queries bench-scale bench docs clean

setup: $(INSTALLED) $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml

$(INSTALLED): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# The dbt manifest must exist before Dagster imports the definitions.
$(MANIFEST): $(INSTALLED) $(DBT_SOURCES)
	$(BIN)/dagster-dbt project prepare-and-package --file pipelines/defs/resources.py
	touch $@

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $@

run: setup
	$(BIN)/research-warehouse run --inbox data/samples

# The same job through a local Dask cluster (scheduler + 2 worker processes) with landing and staging
# on a local S3-compatible server; everything it starts is stopped; its marts must equal `make run`'s.
run-cluster: run
	$(BIN)/python scripts/run_cluster.py --inbox data/samples --home $(RW_HOME)/cluster --workers 2 \
		--compare-to $(RW_HOME)/warehouse/research.duckdb

test: setup
	$(BIN)/python -m pytest

# The library's unit tests, the definitions load test and the lock check: no pipeline run.
test-fast: setup
	$(BIN)/python -m pytest -m 'not integration'

# Python with ruff (rules in pyproject.toml), the dbt models with sqlfluff (.sqlfluff); every
# check runs, and the target fails if any found something. `make fmt` fixes what they can.
SQL_PATHS := dbt_project/models dbt_project/snapshots
lint: setup
	status=0; \
	$(BIN)/ruff check . || status=1; \
	$(BIN)/ruff format --check . || status=1; \
	$(BIN)/sqlfluff lint $(SQL_PATHS) || status=1; \
	exit $$status

fmt: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/sqlfluff fix $(SQL_PATHS)

# Re-resolve the lock from pyproject.toml after changing a pin (tests/test_requirements_lock.py
# fails until then). uv is the one tool outside the lock: it only writes it.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--quiet -o $(LOCK)

# The first UI run has reports to load: the default inbox starts as a copy of the samples.
$(DEFAULT_INBOX):
	mkdir -p $@
	cp data/samples/*.txt $@/
	@echo "created the inbox $@ with the sample reports; new reports go there too"

dev: setup | $(DEFAULT_INBOX)
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

eval: setup
	RW_HOME=$(RW_HOME)/eval $(BIN)/research-warehouse run --inbox ../shared/corpus/dev/reports
	$(BIN)/python ../shared/eval/score.py $(RW_HOME)/eval/warehouse/research.duckdb ../shared/corpus/dev/gold

# Company names the reference lacks: entity precision/recall on tests/data/unseen_names and on the dev
# reports with the company seed removed (scored as score.py scores entities); NAMES_ARGS='--verbose' lists misses.
NAMES_ARGS ?=
eval-names: setup
	$(BIN)/python benchmarks/name_recall.py $(NAMES_ARGS)

bench-extract: setup
	$(BIN)/pip install --quiet 'quantulum3==0.9.2'
	$(BIN)/python benchmarks/bench_extract.py ../shared/corpus/dev

bench-queries: setup
	$(BIN)/python benchmarks/bench_queries.py

# Throughput and peak memory per stage as N grows (a few minutes); e.g. BENCH_SCALE_ARGS='--reports 1000 20000 --cli 2000'.
BENCH_SCALE_ARGS ?=
bench-scale: setup
	$(BIN)/python benchmarks/bench_scale.py $(BENCH_SCALE_ARGS)

# The scale targets side by side (fresh 2k/10k/20k, nothing new, nightly +1k; see docs/performance.md);
# BENCH_ARGS='--full --write-doc' adds the 100k warehouse and records the tables in docs/performance.md.
BENCH_ARGS ?=
bench: setup
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

# Serves every run's Data Docs and the dbt docs of the build database on http://127.0.0.1:$(RW_DOCS_PORT).
export RW_DOCS_PORT ?= 8580
docs: setup
	$(BIN)/research-warehouse docs

clean:
	rm -rf $(VENV) var dbt_project/target dbt_project/logs

# Research Warehouse — set-up, run, test. Everything starts from a machine with only Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
MANIFEST := dbt_project/target/manifest.json
DBT_SOURCES := $(shell find dbt_project -path dbt_project/target -prune -o -type f \( -name '*.sql' -o -name '*.yml' -o -name '*.csv' \) -print)

export PATH := $(CURDIR)/$(BIN):$(PATH)
export RW_HOME ?= $(CURDIR)/var
DEFAULT_INBOX := $(CURDIR)/data/inbox
export RW_INBOX ?= $(DEFAULT_INBOX)
export DAGSTER_HOME ?= $(RW_HOME)/dagster
# profiles.yml reads the build database path; parsing needs one even when nothing runs.
export RW_BUILD_DB ?= $(RW_HOME)/build/research.duckdb
# No network at run time: no usage statistics from dbt, Dagster or Great Expectations.
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export GX_ANALYTICS_ENABLED := false
export DAGSTER_DISABLE_TELEMETRY := 1

.PHONY: setup run test dev eval bench-extract bench-queries bench-scale bench docs clean

setup: $(INSTALLED) $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
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

test: setup
	$(BIN)/python -m pytest

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

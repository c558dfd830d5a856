# Everything a fresh machine with Python 3.11, pip and make needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME := $(CURDIR)
export CLAIMS_DAGSTER_DIR := $(CURDIR)/.dagster

.PHONY: run test dev lint bench clean docs train cv

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/activate

run: $(BIN)/activate ## build the warehouse from seeds/
	@mkdir -p $(CLAIMS_DAGSTER_DIR)
	$(BIN)/python -m pipelines build

test: $(BIN)/activate ## lint and run the test suite
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

dev: $(BIN)/activate ## Dagster UI on http://127.0.0.1:3000
	@mkdir -p $(CLAIMS_DAGSTER_DIR)
	$(BIN)/dagster dev -h 127.0.0.1 -p 3000 -m pipelines.definitions

lint: $(BIN)/activate
	$(BIN)/ruff check .

bench: $(BIN)/activate ## benchmark: make bench ARTICLES=10000; the cluster path: make bench CLUSTER=1 [ARTICLES=2000]
ifdef CLUSTER
	$(BIN)/python scripts/bench_cluster.py --articles $(or $(ARTICLES),2000)
else
	$(BIN)/python scripts/bench.py --articles $(or $(ARTICLES),10000)
endif

clean:
	rm -rf warehouse/claims.sqlite* warehouse/lake warehouse/search.duckdb warehouse/exports warehouse/publishing warehouse/.tables .dagster

docs: $(BIN)/activate ## regenerate the README's cookbook results and data dictionary
	$(BIN)/python scripts/docs.py

train: $(BIN)/activate ## fit the cue model and the confidence table on ../shared/polnear_train (writes pipelines/text/lexicons/*.tsv; needs scikit-learn, in the dev and train extras)
	$(BIN)/python scripts/train.py

cv: $(BIN)/activate ## cross-validated attribution scores over PolNeAR train + dev
	$(BIN)/python scripts/cv.py

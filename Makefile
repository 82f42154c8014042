# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= var/kommunkompassen.db

.PHONY: install run test test-all bench model serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/kompass extract corpus/kommunkompassen-fagersta-2009.pdf --format table
	$(BIN)/kompass process --corpus corpus --db $(DB)
	$(BIN)/kompass load-published --db $(DB)
	@echo "Database built: $(DB). Open it with: $(BIN)/kompass serve --db $(DB)  (then http://127.0.0.1:8001/)"

test: $(STAMP)
	$(BIN)/python -m pytest -q

test-all: $(STAMP)
	$(BIN)/python -m pytest -q -m "slow or not slow"

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

# Retrain the Swedish spaCy pipeline from the Talbanken copies in extractors/nlp/data: the tagger (about
# 2 minutes), then the entity recogniser on UNER Swedish-Talbanken (about 5 minutes on two busy cores).
model: $(STAMP)
	$(BIN)/python -m extractors.nlp.train --build var/nlp-build
	$(BIN)/python -m extractors.nlp.evaluate

clean:
	rm -rf $(VENV) var *.egg-info

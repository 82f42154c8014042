# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= var/kommunkompassen.db

.PHONY: install deps run test test-slow test-all bench model serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# System packages the tests use (Debian/Ubuntu, as root): PDF producers of the test corpus, Tesseract with
# its Swedish and English models, Chromium for the dashboard tests. `make run` needs none of them.
APT_PACKAGES := make chromium wkhtmltopdf texlive-latex-base texlive-latex-recommended texlive-fonts-recommended \
	texlive-lang-european libreoffice-writer-nogui hyphen-sv ghostscript qpdf mupdf-tools poppler-utils \
	libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation fonts-dejavu-core tesseract-ocr tesseract-ocr-swe \
	tesseract-ocr-eng
deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) > /dev/null

run: $(STAMP)
	$(BIN)/kompass extract corpus/kommunkompassen-fagersta-2009.pdf --format table
	$(BIN)/kompass process --corpus corpus --db $(DB)
	$(BIN)/kompass load-published --db $(DB)
	@echo "Database built: $(DB). Open it with: $(BIN)/kompass serve --db $(DB)  (then http://127.0.0.1:8001/)"

# `make test`: every test not marked slow (target ≤ 5 min on 2 cores); `make test-slow`: only those marked slow
# (the full-scale sets: whole synthetic corpus, 2,000-link harvest, full hostile sweep, every scan); CI runs both.
test: $(STAMP)
	$(BIN)/python -m pytest -q

test-slow: $(STAMP)
	$(BIN)/python -m pytest -q -m slow

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

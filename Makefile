# Tasks: `make site`, `make zensical`, `make test`, `make serve`, `make lint`, `make bench`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: site zensical test serve lint bench clean

$(INSTALLED): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

site: $(INSTALLED)
	$(BIN)/mkdocs build --strict

# The same site built by Zensical, which runs no MkDocs hooks: the builder runs first.
zensical: $(INSTALLED)
	$(BIN)/python -m builder build
	$(BIN)/zensical build --strict

# --dirty: MkDocs renders again only the pages whose Markdown the builder rewrote (the builder
# rewrites every page that shows what changed), so an edit reaches the open tab in about 2 s.
serve: $(INSTALLED)
	$(BIN)/mkdocs serve --dirty

lint: $(INSTALLED)
	$(BIN)/ruff check builder bench tests

test: $(INSTALLED) lint
	$(BIN)/pytest

# `make bench AGAINST=<rev>` also builds the same sites with that git revision, side by side.
bench: $(INSTALLED)
	$(BIN)/python -m bench $(if $(AGAINST),--against $(AGAINST))

clean:
	rm -rf site .pytest_cache

golden: $(INSTALLED)
	UPDATE_GOLDEN=1 $(BIN)/pytest -q tests/test_golden.py

# qa-engine: two commands for a newcomer (`make demo`, `make test`), plus helpers.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
OUT    := out

.PHONY: demo test venv install install-test lint typecheck clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

venv: $(BIN)/activate

# Each install target re-runs pip only when pyproject.toml changed.
$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/activate
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: install
	@mkdir -p $(OUT)
	@echo "== qa-engine check on every example dossier (ruleset qa-starter) =="
	@for f in examples/dossiers/*.yaml; do \
	  name=$$(basename $$f .yaml); \
	  $(BIN)/qa-engine check $$f --as-of 2026-01-01 ; rc=$$?; \
	  $(BIN)/qa-engine check $$f --as-of 2026-01-01 --format json -o $(OUT)/$$name.json >/dev/null 2>&1; \
	  echo "   -> exit code $$rc (0 passes, 1 does not pass)"; echo; \
	  if [ $$rc -gt 1 ]; then exit $$rc; fi; \
	done
	@echo "JSON reports are in $(OUT)/ ($$(ls $(OUT)/*.json | wc -l) files)."
	@echo "HTML audit reports (self-contained; open them in a browser):"
	@$(BIN)/qa-engine check examples/dossiers/*.yaml --as-of 2026-01-01 --format html -o $(OUT)/; \
	  rc=$$?; if [ $$rc -gt 1 ]; then exit $$rc; fi
	@echo; echo "== qa-engine batch over the example corpus (all cores; resumable; recorded in $(OUT)/qa-engine.sqlite) =="
	@$(BIN)/qa-engine batch examples/dossiers --as-of 2026-01-01 --out $(OUT) --db $(OUT)/qa-engine.sqlite; \
	  rc=$$?; if [ $$rc -gt 1 ]; then exit $$rc; fi
	@echo "Batch dashboard (open it in a browser): $$(pwd)/$(OUT)/index.html"

# axe-core for the browser tests (tests/test_browser.py), from the npm registry.
AXE := .cache/npm/node_modules/axe-core/axe.min.js

test: install-test
	@if [ ! -f $(AXE) ] && command -v npm >/dev/null 2>&1; then \
	  npm install --silent --no-audit --no-fund --prefix .cache/npm axe-core@4; fi
	$(BIN)/ruff check qa_engine tests
	$(BIN)/lint-imports
	$(BIN)/mypy qa_engine
	$(BIN)/python -m pytest -q -p no:cacheprovider; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

typecheck: install-test
	$(BIN)/mypy qa_engine

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .hypothesis

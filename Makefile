# qa-engine: two commands for a newcomer (`make demo`, `make test`), plus helpers.
SHELL  := /bin/bash
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
OUT    := out

.PHONY: demo test venv install install-test lint typecheck clean bench bench-quick

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
	@rm -f $(OUT)/qa-engine.sqlite $(OUT)/qa-engine.sqlite-wal $(OUT)/qa-engine.sqlite-shm  # each run starts its demo store afresh
	@echo "== 1. A provider's self-check: qa-engine check on three example dossiers (ruleset qa-starter) =="
	@for name in uni-data-analytics bootcamp-web-dev mooc-intro-ai; do \
	  $(BIN)/qa-engine check examples/dossiers/$$name.yaml --as-of 2026-01-01; rc=$$?; \
	  echo "   -> exit code $$rc (0 passes, 1 does not pass)"; echo; \
	  if [ $$rc -gt 1 ]; then exit $$rc; fi; \
	done
	@$(BIN)/qa-engine check examples/dossiers/*.yaml --as-of 2026-01-01 --format html -o $(OUT)/; \
	  rc=$$?; if [ $$rc -gt 1 ]; then exit $$rc; fi
	@echo "HTML audit reports of all $$(ls examples/dossiers/*.yaml | wc -l) examples: $$(pwd)/$(OUT)/<dossier-id>.html"
	@echo; echo "== 2. An accrediting body's batch review: quality-review over the corpus, recorded in $(OUT)/qa-engine.sqlite =="
	@$(BIN)/qa-engine batch examples/dossiers --ruleset quality-review --as-of 2026-01-01 --out $(OUT)/batch --db $(OUT)/qa-engine.sqlite; \
	  rc=$$?; if [ $$rc -gt 1 ]; then exit $$rc; fi
	@$(BIN)/qa-engine audit verify --db $(OUT)/qa-engine.sqlite
	@echo "Batch dashboard: $$(pwd)/$(OUT)/batch/index.html"
	@echo; echo "== 3. An auditor's diff: eu-microcredential 1.0.0 -> 1.1.0 and whom it affects =="
	@$(BIN)/qa-engine diff eu-microcredential@1.0.0 eu-microcredential@1.1.0 --corpus examples/dossiers --as-of 2026-01-01 -f html -o $(OUT)/diff-eu.html
	@$(BIN)/qa-engine diff eu-microcredential@1.0.0 eu-microcredential@1.1.0 --corpus examples/dossiers --as-of 2026-01-01 | grep -E "^  (Criteria|Impact|[~+>-] )"
	@echo "Diff report: $$(pwd)/$(OUT)/diff-eu.html"
	@echo; echo "== 4. Publication: a signed decision, verified offline, revoked, exported, in the public register =="
	@rm -rf $(OUT)/trust
	@$(BIN)/qa-engine keys create --keys $(OUT)/trust/keys --base-url https://qa.example.org --name "Example Quality Agency" >/dev/null
	@$(BIN)/qa-engine keys public --keys $(OUT)/trust/keys -o $(OUT)/trust/did.json
	@$(BIN)/qa-engine decisions sign examples/decisions/uni-data-analytics.json --keys $(OUT)/trust/keys --status-dir $(OUT)/trust/status --db $(OUT)/qa-engine.sqlite -o $(OUT)/trust/decision.vc.json
	@$(BIN)/qa-engine verify $(OUT)/trust/decision.vc.json --key $(OUT)/trust/did.json --status-list $(OUT)/trust/status/revocation.json --status-list $(OUT)/trust/status/suspension.json --at 2026-06-01
	@sed 's/"outcome": "accredited"/"outcome": "not_accredited"/' $(OUT)/trust/decision.vc.json > $(OUT)/trust/tampered.vc.json
	@$(BIN)/qa-engine verify $(OUT)/trust/tampered.vc.json --key $(OUT)/trust/did.json --at 2026-06-01 | grep -E "signature|VERIFIED"; \
	  rc=$${PIPESTATUS[0]}; echo "   -> exit code $$rc after changing one field"
	@for kind in deqar elm ctdl; do \
	  $(BIN)/qa-engine export $$kind examples/decisions/uni-data-analytics.json --dossier examples/dossiers/uni-data-analytics.yaml --agency examples/agency/agency.yaml -o $(OUT)/trust/$$kind.json || exit $$?; done
	@$(BIN)/qa-engine register export $(OUT)/trust/register --keys $(OUT)/trust/keys --status-dir $(OUT)/trust/status
	@$(BIN)/qa-engine decisions revoke 1 --reason "demo: revoked" --keys $(OUT)/trust/keys --status-dir $(OUT)/trust/status
	@$(BIN)/qa-engine verify $(OUT)/trust/decision.vc.json --key $(OUT)/trust/did.json --status-list $(OUT)/trust/status/revocation.json --status-list $(OUT)/trust/status/suspension.json --at 2026-06-01 | grep -E "revocation|VERIFIED"; \
	  rc=$${PIPESTATUS[0]}; echo "   -> exit code $$rc after revocation"
	@$(BIN)/qa-engine audit verify --db $(OUT)/qa-engine.sqlite
	@echo "Register (static site): $$(pwd)/$(OUT)/trust/register/index.html"
	@echo; echo "Reports are in $$(pwd)/$(OUT)/"
	@echo; echo "== 5. The web workspace over the same store: demo accounts (one per role), then serve it =="
	@$(BIN)/qa-engine users seed-demo --db $(OUT)/qa-engine.sqlite
	@echo; echo "== 6. One accreditation by the demo accounts: submit, screen, panel of three, reviews, decision with a condition, amendment, publication =="
	@rm -rf $(OUT)/workspace; mkdir -p $(OUT)/workspace
	@$(BIN)/qa-engine keys create --keys $(OUT)/workspace/keys --base-url http://127.0.0.1:8000 --name "Demo Quality Agency" >/dev/null
	@PATH="$$(pwd)/$(BIN):$$PATH" examples/accreditation-cycle.sh $(OUT)/qa-engine.sqlite $(OUT)/workspace/keys $(OUT)/workspace/status $(OUT)/workspace
	@$(BIN)/qa-engine register export $(OUT)/workspace/register --keys $(OUT)/workspace/keys --status-dir $(OUT)/workspace/status
	@echo "Register (static site) with the published decision: $$(pwd)/$(OUT)/workspace/register/index.html"
	@echo; echo "== The web workspace: start it over the same store and keys, then sign in with a demo account above =="
	@echo "   $(BIN)/qa-engine serve --db $(OUT)/qa-engine.sqlite --keys $(OUT)/workspace/keys --status-dir $(OUT)/workspace/status"
	@echo "   then open http://127.0.0.1:8000/login (Ctrl-C stops the server); the public register is at /register,"
	@echo "   the coordinator's dashboard at /dashboard shows the batch review of step 2 and /queue the submissions"

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

# The benchmark suite (figures and ratios in one run; see bench/RESULTS.md).
bench: install-test  # bench/web_load.py drives the server with httpx (a test extra)
	$(BIN)/python bench/run.py --write bench/RESULTS.md
	$(BIN)/python bench/pipeline.py --n $${BENCH_N:-10000} --memory-n $${BENCH_MEMORY_N:-100000} --append bench/RESULTS.md
	$(BIN)/python bench/web_load.py --duration $${BENCH_WEB_SECONDS:-120} --append bench/RESULTS.md

bench-quick: install-test
	$(BIN)/python bench/run.py --quick
	$(BIN)/python bench/pipeline.py --n 300 --yaml-n 300 --profile-n 50
	$(BIN)/python bench/web_load.py --duration 15

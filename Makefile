# Two commands set everything up on a fresh machine: `make build` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
OUT    ?= output
STAMP   = $(VENV)/.installed

.PHONY: build test validate bench install clean

install: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/policykg build --out $(OUT)
	$(BIN)/policykg viz --dir $(OUT)
	@echo "outputs are in $(abspath $(OUT))"

test: $(STAMP)
	$(BIN)/python -m pytest -q

# SHACL check of the build in $(OUT) (tests/test_validate.py checks the bundled build in `make test`).
validate: build
	$(BIN)/policykg validate --out $(OUT)

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(OUT)/* build *.egg-info

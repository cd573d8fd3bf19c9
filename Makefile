# Two commands set a fresh machine up: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck up clean xmlsec

# The interoperability tests run Debian's xmlsec1 (docs/signing.md); python-xmlsec comes as a wheel, or is built
# against libxmlsec1-dev with pkg-config. Installed here when missing and the user is root; otherwise said.
xmlsec:
	@if command -v xmlsec1 >/dev/null && command -v pkg-config >/dev/null && pkg-config --exists xmlsec1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get install -y xmlsec1 libxmlsec1-dev pkg-config >/dev/null || \
		{ apt-get update >/dev/null && apt-get install -y xmlsec1 libxmlsec1-dev pkg-config >/dev/null; }; \
	else echo "xmlsec1 missing: apt-get install xmlsec1 libxmlsec1-dev pkg-config (its tests are skipped)"; fi

$(STAMP): pyproject.toml | xmlsec
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/egov-sim demo

up: $(STAMP)
	$(BIN)/egov-sim up

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy gateway adapters employment mocks kernel ecosystem scenarios egov_sim wsdl contracts

test: $(STAMP) lint typecheck
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

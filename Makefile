# Two commands for a fresh machine with Python 3.11+ and make: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: setup run test lint typecheck format messages clean

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# uv installs the lock (which it wrote) in seconds where pip takes minutes; pip otherwise.
	if command -v uv >/dev/null 2>&1; then \
	  uv pip install --quiet --python $(BIN)/python -r requirements.lock && \
	  uv pip install --quiet --python $(BIN)/python --no-deps -e .; \
	else \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock && \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .; \
	fi
	@rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP)

run: setup
	$(BIN)/unionhub migrate --noinput -v0
	$(BIN)/unionhub collectstatic --noinput -v0
	SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/unionhub demo --if-empty --members $${DEMO_MEMBERS:-5000}
	$(BIN)/unionhub serve --port $(PORT) --login "$$(cat var/demo-login.txt 2>/dev/null || echo 'The database held data already: log in with one of its accounts.')$$(test -f var/demo-login.txt && test -f var/demo-kiosk-path.txt && echo "; LED screen: http://127.0.0.1:$(PORT)$$(cat var/demo-kiosk-path.txt)")"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/unionhub makemigrations --check --dry-run -v0
	$(BIN)/mypy
	./scripts/test.sh $(PYTEST_ARGS)

typecheck: setup
	$(BIN)/mypy

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Needs GNU gettext (msgfmt); the compiled catalogues are committed so nothing else does.
messages: setup
	for app in src/unionhub/*/apps.py; do dir=$$(dirname $$app); mkdir -p $$dir/locale; \
	  (cd $$dir && $(CURDIR)/$(BIN)/unionhub makemessages -l vi --no-obsolete --ignore "migrations/*" --ignore "data/*" -v0 \
	   && $(CURDIR)/$(BIN)/unionhub compilemessages -v0); done

clean:
	rm -rf $(VENV) var/unionhub.sqlite3* var/cache var/media var/static

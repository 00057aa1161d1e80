# unitrace — the commands a developer (and CI) needs. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.requirements-installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_GET := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get
I18N_IGNORE := --ignore=.venv --ignore=var --ignore=node_modules --ignore=bench

.PHONY: help setup system-packages run test lint fmt bench messages

help:
	@echo "make setup     create .venv, install requirements and system packages, migrate"
	@echo "make run       setup + demo data + development server on http://127.0.0.1:8000"
	@echo "make test      lint, checks, migrations check, pytest on SQLite and PostgreSQL"
	@echo "make lint      ruff check + ruff format --check + lint-imports"
	@echo "make fmt       ruff format + ruff check --fix"
	@echo "make bench     run the benchmarks (bench/run_all.sh)"
	@echo "make messages  update and compile translations (zh_Hans, en)"

$(PY):
	@if ! $(PYTHON) -c "import ensurepip, venv" 2>/dev/null; then \
		echo "Installing python3-venv"; \
		$(APT_GET) update -qq && $(APT_GET) install -y -qq --no-install-recommends python3-venv; \
	fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# fonts-wqy-microhei: the Chinese font the label and delivery-note PDFs embed
PDF_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc

system-packages:
	@if [ ! -x /usr/bin/chromium ] || ! command -v msgfmt >/dev/null || [ ! -f $(PDF_FONT) ]; then \
		pkgs=""; \
		[ -x /usr/bin/chromium ] || pkgs="$$pkgs chromium"; \
		command -v msgfmt >/dev/null || pkgs="$$pkgs gettext"; \
		[ -f $(PDF_FONT) ] || pkgs="$$pkgs fonts-wqy-microhei"; \
		echo "Installing system packages:$$pkgs"; \
		$(APT_GET) update -qq && $(APT_GET) install -y -qq --no-install-recommends $$pkgs; \
	fi

setup: $(STAMP) system-packages
	@mkdir -p var
	@if [ -d unitrace/locale ]; then $(MANAGE) compilemessages -v0 $(I18N_IGNORE); fi
	$(MANAGE) collectstatic --noinput --clear -v0
	$(MANAGE) migrate --noinput -v0

run: setup
	$(MANAGE) seed_demo
	@echo
	@echo "unitrace runs at http://127.0.0.1:8000/ (log in with one of the demo logins above)"
	DEBUG=1 $(MANAGE) runserver 127.0.0.1:8000

test: setup
	scripts/test.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

fmt: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: setup
	@if [ -f bench/run_all.sh ]; then bash bench/run_all.sh; \
	else echo "bench/run_all.sh not found: no benchmarks to run"; fi

messages: setup
	@mkdir -p unitrace/locale
	$(MANAGE) makemessages -l zh_Hans -l en $(I18N_IGNORE)
	$(MANAGE) compilemessages $(I18N_IGNORE)

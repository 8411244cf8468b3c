# faith.ops — one entry point for operators and CI.
#   make deploy   venv + system packages + local platform + deploy.yml on inventories/local
#   make test     everything CI runs (lint, workflows, collection, EE, docs, sanity, units, integration, app, e2e, molecule)
#   make down     stop the local platform
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV        ?= .venv
PYTHON      := $(VENV)/bin/python
BIN         := $(VENV)/bin
INVENTORY   ?= inventories/local
COLLECTION  := collections/ansible_collections/faith/ops
# Debian packages the local platform and the tests use.
APT_PACKAGES := redis-server haproxy shellcheck wrk chromium
STAMP       := $(VENV)/.installed
# Generated output (ignored by git, ansible-lint and yamllint): collection tarball, EE build context, docs site.
BUILD_DIR   := .cache/build
EE_DIR      := .cache/ee
DOCS_DIR    := .cache/docsite
# molecule (through ansible-compat) and ansible-lint run `ansible-config` from PATH; this hook puts
# the venv's bin first on PATH for every Python program of the venv, so `.venv/bin/molecule list`
# works without activating the venv.
PATH_HOOK   := $(VENV)/lib/python3.11/site-packages/faith_ops_venv_path.pth
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: help
help:  ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-17s %s\n", $$1, $$2}'

$(STAMP): requirements.txt app/requirements.txt app/requirements-test.txt app/pyproject.toml
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements.txt -r app/requirements.txt -r app/requirements-test.txt
	$(PYTHON) -m pip install --quiet --no-deps -e app
	touch $@

$(PATH_HOOK): $(STAMP)
	echo 'import os, sys; bindir = os.path.dirname(sys.executable); path = os.environ.get("PATH", ""); bindir in path.split(os.pathsep) or os.environ.__setitem__("PATH", bindir + os.pathsep + path)' > $@

.PHONY: venv
venv: $(STAMP) $(PATH_HOOK)  ## Create the virtualenv with the pinned Python packages

.PHONY: system-deps
system-deps:  ## Install the Debian packages the platform needs (as root; skipped when present)
	@missing=""; for pkg in $(APT_PACKAGES); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "Missing Debian packages:$$missing — run 'sudo make system-deps'" >&2; exit 1; fi; \
	  echo "Installing$$missing"; apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

.PHONY: up
up: venv system-deps  ## Start the local platform (supervisord: emulator, Redis, HAProxy); a no-op when running
	$(PYTHON) local_platform/platformctl.py up

.PHONY: down
down:  ## Stop everything the local platform started
	@if [ -x $(PYTHON) ]; then $(PYTHON) local_platform/platformctl.py down; else python3 local_platform/platformctl.py down; fi

.PHONY: status
status:  ## Show what the local platform runs
	$(PYTHON) local_platform/platformctl.py status

.PHONY: deploy
deploy: up  ## Deploy the whole stack to the local platform (INVENTORY=inventories/local)
	$(BIN)/ansible-playbook playbooks/deploy.yml -i $(INVENTORY)

.PHONY: teardown
teardown: up  ## Delete every resource deploy.yml created
	$(BIN)/ansible-playbook playbooks/teardown.yml -i $(INVENTORY)

# --- tests -------------------------------------------------------------------------------

.PHONY: lint
lint: venv  ## ansible-lint (production profile), ruff, yamllint, IAM policies (least privilege, parliament)
	$(BIN)/ruff check .
	$(BIN)/yamllint -s .
	$(BIN)/ansible-lint
	$(PYTHON) scripts/iam_check.py

.PHONY: ansible-test-setup
ansible-test-setup: venv
	PYTHON=$(CURDIR)/$(PYTHON) scripts/ansible_test_setup.sh

.PHONY: sanity
sanity: ansible-test-setup  ## ansible-test sanity for the collection
	cd $(COLLECTION) && $(CURDIR)/$(BIN)/ansible-test sanity --venv --python 3.11 --color no

.PHONY: units
units: ansible-test-setup  ## ansible-test units for the collection
	cd $(COLLECTION) && $(CURDIR)/$(BIN)/ansible-test units --venv --python 3.11 --color no

.PHONY: integration
integration: venv  ## Module integration targets against a real emulator process
	$(BIN)/pytest tests/integration -q -n 2

.PHONY: app-test
app-test: venv system-deps  ## The chatbot's tests (real Redis and emulator, headless Chromium)
	$(BIN)/pytest app/tests -q

.PHONY: awx-test
awx-test: venv  ## AWX configuration offline: awx_configure.yml syntax, job templates against awx.awx's argument specs
	$(BIN)/pytest tests/awx -q

.PHONY: e2e
e2e: venv system-deps  ## make deploy on the local platform, then drive it end to end
	$(BIN)/pytest tests/e2e -q

.PHONY: molecule
molecule: venv system-deps  ## A Molecule scenario per role, each on its own private platform
	eval "$$($(PYTHON) scripts/free_ports.py FAITH_MOLECULE_AWS_PORT FAITH_MOLECULE_REDIS_PORT FAITH_MOLECULE_HTTP_PORT \
	  FAITH_MOLECULE_TEST_PORT FAITH_MOLECULE_BLUE_PORT FAITH_MOLECULE_GREEN_PORT FAITH_MOLECULE_BLUE_ALT_PORT \
	  FAITH_MOLECULE_GREEN_ALT_PORT FAITH_MOLECULE_SECONDARY_PORT)" && $(BIN)/molecule test --all --no-shared-state

.PHONY: workflow-lint
workflow-lint: venv  ## Lint .github/workflows: actionlint (with shellcheck on run steps) and zizmor (security), offline
	$(BIN)/actionlint
	$(BIN)/zizmor --offline --no-progress .github/workflows

.PHONY: collection-check
collection-check: venv  ## Build the collection tarball; README and LICENSE inside, changelog lint, ansible-doc of every plugin and role
	rm -rf $(BUILD_DIR) && mkdir -p $(BUILD_DIR)
	$(BIN)/ansible-galaxy collection build $(COLLECTION) --output-path $(BUILD_DIR)
	$(PYTHON) scripts/collection_check.py tarball $(BUILD_DIR)/faith-ops-*.tar.gz
	cd $(COLLECTION) && $(CURDIR)/$(BIN)/antsibull-changelog lint
	$(PYTHON) scripts/collection_check.py docs

.PHONY: ee
ee: venv  ## Write the execution environment's build context (ansible-builder create) to .cache/ee/context and check it
	rm -rf $(EE_DIR) && mkdir -p $(EE_DIR)/collection
	$(BIN)/ansible-galaxy collection build $(COLLECTION) --output-path $(EE_DIR)/collection
	mv $(EE_DIR)/collection/faith-ops-*.tar.gz $(EE_DIR)/collection/faith-ops.tar.gz
	$(BIN)/ansible-builder create -f execution-environment.yml --context $(EE_DIR)/context --output-filename Containerfile
	$(PYTHON) scripts/collection_check.py ee $(EE_DIR)/context

.PHONY: docs
docs: venv  ## Build the collection's HTML docs (antsibull-docs, Sphinx; offline) into .cache/docsite/build/html
	rm -rf $(DOCS_DIR) && mkdir -p $(DOCS_DIR) && chmod 700 $(DOCS_DIR)
	$(BIN)/antsibull-docs sphinx-init --use-current --dest-dir $(DOCS_DIR) --project faith.ops \
	  --copyright "faith.ops contributors" --title faith.ops faith.ops >/dev/null
	mkdir -p $(DOCS_DIR)/rst && chmod 700 $(DOCS_DIR)/rst
	cd $(DOCS_DIR) && $(CURDIR)/$(BIN)/antsibull-docs --config-file antsibull-docs.cfg collection \
	  --use-current --fail-on-error --dest-dir rst faith.ops
# No -W: offline, the intersphinx inventories (Python, Jinja, Ansible docs) cannot be fetched and
# references into them stay unresolved; the check fails on any other warning.
	cd $(DOCS_DIR) && { $(CURDIR)/$(BIN)/sphinx-build -M html rst build -c . -q -w warnings.log 2>/dev/null || { cat warnings.log; exit 1; }; }
	$(PYTHON) scripts/collection_check.py sphinx-warnings $(DOCS_DIR)/warnings.log
	@echo "Documentation: $(DOCS_DIR)/build/html/index.html"

.PHONY: test
# The checks first (cheap, in order); then the suites that run platforms, in two parallel lanes:
# the end-to-end suite on its own, and the module, app and Molecule suites one after another.
test: lint workflow-lint collection-check ee docs sanity units awx-test venv system-deps  ## Everything CI runs
	scripts/run_lanes.sh "e2e" "integration app-test molecule"

# --- benchmarks (print figures; not tests) -----------------------------------------------

.PHONY: bench
bench: venv system-deps  ## Deploy, app, release and DR benchmarks
	$(PYTHON) bench/deploy/run.py
	$(PYTHON) bench/app/run.py
	$(PYTHON) bench/release/run.py
	$(PYTHON) bench/dr/run.py
	$(PYTHON) bench/dr/run.py --drills 1 --outage --out reports/bench-dr-outage.json

.PHONY: clean
clean: down  ## Remove the venv, platform state and test output
	rm -rf $(VENV) .local-platform $(COLLECTION)/tests/output

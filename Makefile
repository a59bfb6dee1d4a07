# The verbs people type. Each target creates .venv itself when it is missing,
# so `make demo` and `make test` work on a fresh machine with Python 3.11+ and make.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: help install demo test lint format strip bench lab app clean

help:
	@echo "make demo   - check the bundled sample, print its overview, write its report and"
	@echo "              charts to out/, and run every notebook on it (out/notebooks/)"
	@echo "make test   - run the whole test suite"
	@echo "make bench  - run the benchmarks, write docs/performance.md"
	@echo "make lab    - open JupyterLab on notebooks/ (127.0.0.1, token on)"
	@echo "make app    - the adherence dashboard as an app (Voila, 127.0.0.1, token on)"
	@echo "make lint   - ruff"
	@echo "make strip  - strip outputs and execution counts from notebooks/ (before a commit)"

$(PY):
	$(PYTHON) -m venv $(VENV)

# (re)install whenever pyproject.toml changes
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,lab]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) -m backrx_analysis demo --outdir out
	rm -rf out/notebooks && mkdir -p out/notebooks && cp notebooks/*.ipynb out/notebooks/
	cd out/notebooks && ../../$(PY) -m jupyter nbconvert --log-level=WARN --to notebook \
		--execute --inplace *.ipynb
	@echo "Executed notebooks (with their outputs): out/notebooks/"

test: $(STAMP)
	bash scripts/ensure_chromium.sh
	$(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check backrx_analysis tests benchmarks scripts

format: $(STAMP)
	$(PY) -m ruff format backrx_analysis tests benchmarks scripts

# Notebooks are the source and are stored without outputs. --keep-id keeps the cell ids
# they were saved with; tests/test_notebooks.py checks with the same command (STRIP).
strip: $(STAMP)
	$(PY) -m nbstripout --keep-id notebooks/*.ipynb

bench: $(STAMP)
	$(PY) -m benchmarks.run

lab: $(STAMP)
	$(PY) -m jupyter lab --ip=127.0.0.1 --no-browser --ServerApp.root_dir=notebooks

# The dashboard notebook as an app. Flags (docs/app.md says why; tests/browser/ test
# exactly these): a bare --token turns token auth on (Voila has none otherwise);
# the Content-Security-Policy keeps the page from asking CDNs for fonts (Voila's
# own bundle serves them); the PromptKernelClient re-checks its sockets every 50 ms,
# so a lost ZMQ wake-up no longer leaves the page on "Executing N of M" forever;
# VoilaExecutor.timeout is a cell's time limit; two preheated kernels have run the
# notebook before the page is asked for; a left page's kernel is culled once idle
# (Voila 0.5's shutdown beacon lacks _xsrf and is refused: the XSRF check stays on).
VOILA_CSP := default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; frame-ancestors 'self'
app: $(STAMP)
	$(PY) -m voila notebooks/02_adherence_dashboard.ipynb --no-browser --port=8866 \
		--Voila.ip=127.0.0.1 --token \
		"--Voila.tornado_settings={\"headers\": {\"Content-Security-Policy\": \"$(VOILA_CSP)\"}}" \
		--AsyncKernelManager.client_class=backrx_analysis.app.kernel_client.PromptKernelClient \
		--VoilaExecutor.timeout=120 \
		--VoilaConfiguration.preheat_kernel=True --VoilaConfiguration.default_pool_size=2 \
		--VoilaKernelManager.fill_delay=0 \
		--MappingKernelManager.cull_idle_timeout=600 --MappingKernelManager.cull_interval=60

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache out

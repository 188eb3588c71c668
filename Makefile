# nnbook: build the book, test the package and the notebooks.
# Needs only python3 (>= 3.11) and make; every target sets up .venv first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Extra pytest options for `make test` (pyproject.toml holds the rest).
# Serial by default: on 2 cores `-n 2 --dist loadfile` was slower here
# (23 s serial vs 59 s, as two kernels' BLAS threads fight for the cores).
# On a bigger machine try: make test PYTEST_ARGS="-n auto --dist loadfile"
# (loadfile keeps every cell of a notebook on one worker, as nbval needs).
PYTEST_ARGS ?=

# A kernel inherits MPLBACKEND; with Agg, figures vanish from notebook
# outputs and nbval fails. Never pass it to the recipes.
unexport MPLBACKEND
# Prefer the venv's kernelspec (python3) over any user-level one.
export JUPYTER_PREFER_ENV_PATH := 1

NOTEBOOKS = $(shell find book -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' | LC_ALL=C sort)

.PHONY: help venv book test execute lab clean distclean

help:
	@echo "make book       build the HTML book into _build/html (warnings are errors)"
	@echo "make test       unit tests + nbval on every notebook + book build"
	@echo "make execute    re-run every notebook under book/ in place"
	@echo "make lab        open JupyterLab on book/"
	@echo "make venv       create .venv and install everything"
	@echo "make clean      remove _build and caches (keeps .venv)"
	@echo "make distclean  clean, and remove .venv"

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	$(BIN)/python -m pip install -e .
	# The kernel every notebook names (python3), pointing at this venv's python.
	$(BIN)/python -m ipykernel install --sys-prefix --name python3
	# Build matplotlib's font cache now; otherwise the first notebook cell that
	# imports matplotlib on a fresh machine prints a notice and nbval fails.
	$(BIN)/python -c "import matplotlib.pyplot"
	touch $@

book: $(STAMP)
	$(BIN)/jupyter-book build . --all --warningiserror --keep-going
	@echo
	@echo "$(CURDIR)/_build/html/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

execute: $(STAMP)
	@test -n "$(NOTEBOOKS)" || { echo "no notebooks under book/"; exit 1; }
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.kernel_name=python3 \
		--ExecutePreprocessor.timeout=600 \
		--ExecutePreprocessor.record_timing=False \
		$(NOTEBOOKS)
	# Second pass, no execution: join the lines a cell printed one by one
	# (fit prints one line per epoch) into one output, for smaller diffs.
	$(BIN)/jupyter nbconvert --to notebook --inplace \
		--CoalesceStreamsPreprocessor.enabled=True $(NOTEBOOKS)

# e.g. make lab LAB_ARGS="--no-browser --port 8890"   (add --allow-root as root)
LAB_ARGS ?=
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=book $(LAB_ARGS)

clean:
	rm -rf _build .pytest_cache .hypothesis
	find . -path ./$(VENV) -prune -o -path ./.git -prune -o \
		\( -name __pycache__ -o -name .ipynb_checkpoints -o -name .ruff_cache \
		-o -name '*.egg-info' \) \
		-type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)

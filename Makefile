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

.PHONY: help venv book test execute lab clean distclean mutation determinism

help:
	@echo "make book       build the HTML book into _build/html (warnings are errors)"
	@echo "make test       unit tests + nbval on every notebook + book build + browser tests"
	@echo "make execute    re-run every notebook under book/ in place"
	@echo "make lab        open JupyterLab on book/"
	@echo "make venv       create .venv and install everything"
	@echo "make clean      remove _build and caches (keeps .venv)"
	@echo "make distclean  clean, and remove .venv"
	@echo "make mutation   mutation testing of nnbook/ (mutmut; slow, not in make test)"
	@echo "make determinism  nbval over book/ 5 times: 3 runs, then 1 and 2 BLAS threads"

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

# Mutation testing of the engine: mutmut mutates every function of nnbook/
# and runs the unit tests that call it on each mutant (settings in
# pyproject.toml, [tool.mutmut]). Always a fresh run (rm -rf mutants): about
# 2.5 minutes on 2 cores. Prints the score, killed / total, and fails below
# MUTATION_MIN_SCORE percent or if a survivor is neither killed nor listed in
# tests/mutation_equivalents.md. Then: .venv/bin/mutmut results / show NAME.
MUTATION_MIN_SCORE ?= 95
MUTATION_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
mutation: $(STAMP)
	rm -rf mutants && mkdir mutants
	$(BIN)/mutmut run --max-children $(MUTATION_JOBS) > mutants/run.log 2>&1 \
		|| { tail -c 3000 mutants/run.log; exit 1; }
	@tail -c 400 mutants/run.log | tr '\r' '\n' | tail -n 2
	$(BIN)/python tests/mutation_score.py --min $(MUTATION_MIN_SCORE)

# Do the notebooks give the same outputs every time? nbval over book/ three
# times, then with OpenBLAS limited to 1 and to 2 threads (floats may differ
# with the thread count). Every run must pass; about 5 minutes on 2 cores.
DETERMINISM_RUNS = run1 run2 run3 blas1 blas2
determinism: $(STAMP)
	@for run in $(DETERMINISM_RUNS); do \
		case $$run in \
			blas1) threads=1 ;; blas2) threads=2 ;; *) threads= ;; \
		esac; \
		echo "=== determinism $$run: OPENBLAS_NUM_THREADS=$${threads:-unset}"; \
		if [ -n "$$threads" ]; then export OPENBLAS_NUM_THREADS=$$threads; \
		else unset OPENBLAS_NUM_THREADS; fi; \
		$(BIN)/python -m pytest book -q $(PYTEST_ARGS) \
			|| { echo "determinism: run $$run FAILED"; exit 1; }; \
	done; \
	echo "determinism: all 5 runs passed"

clean:
	rm -rf _build .pytest_cache .hypothesis mutants
	find . -path ./$(VENV) -prune -o -path ./.git -prune -o \
		\( -name __pycache__ -o -name .ipynb_checkpoints -o -name .ruff_cache \
		-o -name '*.egg-info' \) \
		-type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)

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

.PHONY: help venv book test execute lab clean distclean mutation determinism \
	portability portability-features

help:
	@echo "make book       build the HTML book into _build/html (warnings are errors)"
	@echo "make serve      preview the built book on http://127.0.0.1:8000 (SERVE_PORT=)"
	@echo "make test       unit tests + nbval on every notebook + book build + browser tests"
	@echo "make execute    re-run every notebook under book/ in place"
	@echo "make lab        open JupyterLab on book/ (trusts every notebook first)"
	@echo "make venv       create .venv and install everything"
	@echo "make clean      remove _build and caches (keeps .venv)"
	@echo "make distclean  clean, and remove .venv"
	@echo "make mutation   mutation testing of nnbook/ (mutmut; slow, not in make test)"
	@echo "make determinism  nbval over book/ 6 times: 3 runs, 1 and 2 BLAS threads, AVX2 paths"
	@echo "make portability  nbval over book/ once with NumPy's AVX-512 paths off (AVX2 paths)"

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml tools/jupyterlab_overrides.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	$(BIN)/python -m pip install -e .
	# The kernel every notebook names (python3), pointing at this venv's python,
	# shown as "Python 3": JupyterLab writes this name into a notebook it saves,
	# and the notebooks store "Python 3" (tools/normalize_notebooks.py).
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 \
		--display-name "Python 3"
	# JupyterLab settings for this venv (tools/jupyterlab_overrides.json): no news
	# or update checks (no request leaves the machine).
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp tools/jupyterlab_overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	# Build matplotlib's font cache now; otherwise the first notebook cell that
	# imports matplotlib on a fresh machine prints a notice and nbval fails.
	$(BIN)/python -c "import matplotlib.pyplot"
	touch $@

book: $(STAMP)
	$(BIN)/jupyter-book build . --all --warningiserror --keep-going
	@echo
	@echo "$(CURDIR)/_build/html/index.html"

# A local preview of the built book (building it first if there is none),
# on 127.0.0.1 only; Ctrl-C stops it. _build/html/index.html also opens
# from the file system (file://) without a server.
SERVE_PORT ?= 8000
.PHONY: serve
serve:
	@test -f _build/html/index.html || $(MAKE) book
	@echo "serving _build/html on http://127.0.0.1:$(SERVE_PORT)/ (Ctrl-C stops)"
	$(PYTHON) -m http.server $(SERVE_PORT) --bind 127.0.0.1 --directory _build/html

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Writes the form JupyterLab saves (no execution timestamps, no widget
# state), so that running a chapter in `make lab` and saving it leaves no
# diff when its outputs are the same.
execute: $(STAMP)
	@test -n "$(NOTEBOOKS)" || { echo "no notebooks under book/"; exit 1; }
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.kernel_name=python3 \
		--ExecutePreprocessor.timeout=600 \
		--ExecutePreprocessor.record_timing=False \
		--ExecutePreprocessor.store_widget_state=False \
		$(NOTEBOOKS)
	# Second pass, no execution: join the lines a cell printed one by one
	# (fit prints one line per epoch) into one output, as JupyterLab does.
	$(BIN)/jupyter nbconvert --to notebook --inplace \
		--CoalesceStreamsPreprocessor.enabled=True $(NOTEBOOKS)
	# Third pass: what JupyterLab rewrites on save (tools/normalize_notebooks.py).
	$(BIN)/python tools/normalize_notebooks.py $(NOTEBOOKS)

# JupyterLab on book/. Trust every notebook first (the signatures go to
# your Jupyter data directory, `jupyter --data-dir`, not into the files), so
# stored HTML and JavaScript outputs (animations) work on the first open; a
# notebook changed since (git pull, an edit outside Lab) is untrusted again,
# hence on every start.
# e.g. make lab LAB_ARGS="--no-browser --port 8890"   (add --allow-root as root)
LAB_ARGS ?=
lab: $(STAMP)
	$(BIN)/jupyter trust $(NOTEBOOKS) > /dev/null
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
# with the thread count), then `make portability` (NumPy's AVX2 code paths).
# Every run must pass; about 7 minutes on 2 cores.
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
	done
	@echo "=== determinism avx2: make portability"
	@$(MAKE) --no-print-directory portability \
		|| { echo "determinism: run avx2 FAILED"; exit 1; }
	@echo "determinism: all runs passed"

# Portability. NumPy picks its SIMD code paths (exp, tanh, sums, ...) at run
# time, so a reader's CPU without AVX-512 runs other code than this one, and
# the last bits of a result may differ. NPY_DISABLE_CPU_FEATURES switches
# paths off at run time; with NumPy's AVX-512 targets off, NumPy runs its
# AVX2 paths. PORTABILITY_FEATURES is the list to switch off: NumPy's
# dispatch targets above AVX2 (NumPy 2.4 names them X86_V4, AVX512_ICL,
# AVX512_SPR) that this CPU has, asked from NumPy itself; `none` on a CPU
# without AVX-512 (it already runs the AVX2 paths): then `make portability`
# says so and runs nothing. If NumPy cannot be asked, it fails. Asking NumPy
# matters: NumPy 2.4 emits an ImportWarning for a name it does not dispatch
# and raises at import for a baseline one (X86_V2). The pass compares outputs only (time limits off: `make test` checks
# time). OpenBLAS's kernel (Haswell, SkylakeX, ...) is not changed here;
# never set OPENBLAS_CORETYPE in tests (see README, "Test strength and
# reproducibility"). One notebook: make portability
# PORTABILITY_PATHS=book/10_initialization.ipynb
PORTABILITY_PATHS ?= book
PORTABILITY_FEATURES = $(shell env -u NPY_DISABLE_CPU_FEATURES \
	-u NPY_ENABLE_CPU_FEATURES $(BIN)/python -c "$(NUMPY_SIMD_ABOVE_AVX2)")
NUMPY_SIMD_ABOVE_AVX2 = from numpy._core._multiarray_umath import \
	__cpu_dispatch__ as d, __cpu_features__ as f; \
	print(*[x for x in d if x.startswith(('X86_V4', 'AVX512')) and f[x]] \
	or ['none'])
# Run under the setting: print what NumPy runs on and OpenBLAS's kernel,
# and fail if a feature meant to be off is still on.
NUMPY_SIMD_REPORT = import os, sys, numpy; \
	from numpy._core._multiarray_umath import \
	__cpu_dispatch__ as d, __cpu_features__ as f; \
	from threadpoolctl import threadpool_info as t; \
	off = os.environ['NPY_DISABLE_CPU_FEATURES'].split(); \
	print('NumPy', numpy.__version__, 'SIMD targets on:', \
	' '.join(x for x in d if f.get(x)) or 'none', '| off:', ' '.join(off)); \
	print('OpenBLAS kernel (unchanged):', \
	' '.join(i.get('architecture', '?') for i in t() \
	if i['internal_api'] == 'openblas')); \
	on = [x for x in off if f.get(x)]; \
	on and sys.exit('still on: ' + ' '.join(on))
portability-features:
	@echo $(PORTABILITY_FEATURES)

portability: $(STAMP)
	@features="$(PORTABILITY_FEATURES)"; \
	case "$$features" in \
		"") echo "portability: FAILED, could not ask NumPy for its SIMD" \
			"targets"; exit 1 ;; \
		none) echo "portability: skipped, NumPy has no AVX-512 path to" \
			"switch off on this CPU: the default run already took the" \
			"paths of a CPU without AVX-512"; exit 0 ;; \
	esac; \
	export NPY_DISABLE_CPU_FEATURES="$$features"; \
	unset NPY_ENABLE_CPU_FEATURES; \
	echo "=== portability: NPY_DISABLE_CPU_FEATURES=\"$$features\""; \
	$(BIN)/python -c "$(NUMPY_SIMD_REPORT)" || exit 1; \
	rc=0; \
	$(BIN)/python -m pytest $(PORTABILITY_PATHS) -q --notebook-time-limit=0 \
		--book-time-limit=0 $(PYTEST_ARGS) || rc=$$?; \
	case $$rc in \
		0) echo "portability: passed, $(PORTABILITY_PATHS) gave its stored" \
			"outputs on NumPy's AVX2 paths" ;; \
		5) echo "portability: FAILED, pytest ran no notebook cell"; exit 1 ;; \
		*) echo "portability: FAILED (pytest exit $$rc): a stored output" \
			"depends on NumPy's SIMD paths (see book/AUTHORING.md," \
			"Portable outputs)"; exit 1 ;; \
	esac

clean:
	rm -rf _build .pytest_cache .hypothesis mutants
	find . -path ./$(VENV) -prune -o -path ./.git -prune -o \
		\( -name __pycache__ -o -name .ipynb_checkpoints -o -name .ruff_cache \
		-o -name '*.egg-info' \) \
		-type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)

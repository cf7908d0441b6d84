# Two entry points for a fresh clone: `make demo` and `make test`. Both create .venv and install into it.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
# Numba and OpenBLAS share the 2 cores: never let both spawn a full pool inside one call.
export OMP_NUM_THREADS ?= 2

.PHONY: help venv test bench demo quality clean

help:
	@echo "make demo   - run the main job on the embedded default data"
	@echo "make test   - run the test suite (also the NUMBA_BOUNDSCHECK=1 safety pass)"
	@echo "make bench  - run the benchmark suite against the reference and the peers"
	@echo "make quality - rewrite QUALITY.md: the detector's configurations against the regular expressions and Presidio"

# uv (from PyPI) installs in ~10 s what pip installs in ~55 s; pip takes over if uv cannot.
# --compile-bytecode writes the .pyc files at install, as pip does (uv does not by default):
# where PYTHONDONTWRITEBYTECODE is set (as on these machines), every process would otherwise compile the
# sources of NumPy, Numba, pandas, scikit-learn... again (~6 s of a digits demo's 10).
$(VENV)/.installed-dev: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv \
		&& $(PY) -m uv pip install --quiet --compile-bytecode --python $(PY) -e '.[dev]' \
		|| $(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	# compile and cache the kernels now (in parallel processes), not during the first demo or command
	$(PY) -m fastscratch.app.warmup
	touch $@

$(VENV)/.installed-quality: $(VENV)/.installed-dev
	$(PY) -m uv pip install --quiet --compile-bytecode --python $(PY) -e '.[dev,quality]' \
		|| $(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,quality]'
	touch $@

$(VENV)/.installed-bench: $(VENV)/.installed-dev
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	touch $@

venv: $(VENV)/.installed-dev

# Two pytest workers, one per core, each taking tests from the other when it runs dry.
TEST_WORKERS ?= 2
PYTEST := $(PY) -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist worksteal

BOUNDSCHECK_DIR := $(CURDIR)/.numba-boundscheck

test: $(VENV)/.installed-dev
	$(PY) -m ruff check fastscratch kernels tests bench
	# Kernels that read untrusted input run once more with bounds checking on, in their own
	# Numba cache so no unchecked machine code is reused (parallel kernels compile serially
	# there: see kernels/_config.py). That pass runs beside the suite at low priority, using
	# the core the suite leaves idle; its output follows the suite's.
	mkdir -p $(BOUNDSCHECK_DIR)
	NUMBA_BOUNDSCHECK=1 NUMBA_CACHE_DIR=$(BOUNDSCHECK_DIR) nice -n 10 $(PY) -m pytest -q -p no:cacheprovider \
		-m boundscheck tests > $(BOUNDSCHECK_DIR)/pass.log 2>&1 & checked=$$!; \
	$(PYTEST) tests; suite=$$?; \
	wait $$checked; pass=$$?; \
	echo "--- the NUMBA_BOUNDSCHECK=1 pass:"; cat $(BOUNDSCHECK_DIR)/pass.log; \
	test $$suite -eq 0 && test $$pass -eq 0

bench: $(VENV)/.installed-bench
	PYTHONPATH=bench $(PY) -m pytest bench -p ratio_table --benchmark-only \
		--benchmark-columns=min,median,mean,stddev,rounds --benchmark-sort=name \
		--benchmark-group-by=group -p no:cacheprovider -q $(BENCH_ARGS)

demo: $(VENV)/.installed-dev
	$(PY) -m fastscratch demo

quality: $(VENV)/.installed-quality
	$(PY) bench/quality.py --out QUALITY.md

clean:
	rm -rf $(VENV) .numba-boundscheck build *.egg-info .pytest_cache .benchmarks bench/.data

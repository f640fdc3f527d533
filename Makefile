# Two commands do all set-up on a fresh Debian machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip -q --disable-pip-version-check

.PHONY: run test bench fuzz crosscheck citecheck dtc-suite acpi-refs kernelcheck docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	./scripts/sysdeps.sh test
	$(PIP) install -e '.[test]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	@./scripts/sysdeps.sh
	$(BIN)/pvenum

# Every core (pytest-xdist); a test file stays on one worker, so its module fixtures are built once.
# First, each fetched once into .cache: the kernel DTB corpus the fdt tests compare against libfdt
# and dtc (7 s), and a current iasl the ACPI tests also compare every table with (make acpi-refs, 11 s).
test: $(VENV)/.installed-test
	@sh bench/fetch_dtb_corpus.sh || echo "make test: no DTB corpus (bench/fetch_dtb_corpus.sh failed): its tests are skipped with the reason"
	@$(BIN)/python scripts/acpi_refs.py || echo "make test: no current iasl (scripts/acpi_refs.py failed): its tests are skipped with the reason"
	$(BIN)/python -m pytest -q -n auto --dist loadfile

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py

# The systemd / virt-what models against Debian's sources of the real programs (docs/crosscheck.md);
# writes crosscheck/RESULTS.md, which the README quotes.
crosscheck: $(VENV)/.installed-test
	$(BIN)/python crosscheck/run.py --all-versions --results crosscheck/RESULTS.md

# Every file and name the linux model cites, as linux@6.1, 6.12, 6.17, 6.18, 6.19, 7.1 and 7.2 cite it, looked up in
# Debian's orig tarball of that release (fetched once into .cache/linuxsrc; docs/linux-releases.md).
# `make test` runs the same check (tests/x86/test_linux_cites.py) when the tarballs are cached.
citecheck: $(VENV)/.installed-test
	$(BIN)/python -m crosscheck.linuxsrc
	$(BIN)/python -m crosscheck.linuxcites

# Debian's kernels (the newest served, trixie's 6.12 and bookworm's 6.1) booted under QEMU TCG on the catalog scenarios,
# read by pvenum.observe and compared with the linux model (docs/kernelcheck.md).
# x86 boots use qemu-system-x86_64 built once (cached) from Debian's qemu source with
# kernelcheck/qemu-cpuid.patch, which presents each scenario's CPUID leaves and SEV_STATUS.
kernelcheck: $(VENV)/.installed-test
	./scripts/sysdeps.sh kernelcheck
	$(BIN)/python kernelcheck/qemubuild.py || echo "kernelcheck: no patched QEMU; x86 scenarios boot on QEMU's own leaves"
	$(BIN)/python kernelcheck/run.py

# dtc's own test suite (DTC_TREE=DIR, a dtc source tree, or else Debian's device-tree-compiler
# source package): build it, collect every blob it writes into .cache/dtc-testsuite/blobs, and
# compare pvenum with libfdt on each (slow). `make test` does the same on the committed blobs of
# dtc v1.8.1 (tests/data/fdt/dtc-testsuite).
dtc-suite: $(VENV)/.installed-test
	$(BIN)/python scripts/dtc_testsuite.py $(if $(DTC_TREE),--dtc-tree $(DTC_TREE))
	PVENUM_DTC_SUITE=.cache/dtc-testsuite/blobs $(BIN)/python -m pytest -q tests/fdt/test_dtc_testsuite.py

# A current iasl (Debian's acpica-tools 20260408 + the libc it needs, pinned by sha256) into
# .cache/acpi, which `make test` then compares every table with beside the iasl on PATH; with
# ACPI_REFS_ARGS=--update-fixtures, also QEMU's ACPI goldens into tests/data/acpi/qemu (docs/acpi.md).
acpi-refs: $(VENV)/.installed-test
	$(BIN)/python scripts/acpi_refs.py $(ACPI_REFS_ARGS)

# Coverage-guided fuzzing of every reader: 1,000,000 executions in total (FUZZ_TOTAL to change);
# a run over all targets writes fuzz/RESULTS.md, which the README quotes.
FUZZ_TOTAL ?= 1000000
fuzz: $(VENV)/.installed-test
	$(BIN)/python fuzz/run.py --total $(FUZZ_TOTAL)

# Generated documentation: docs/matrix.md is `pvenum --markdown` (tests/test_docs.py checks it).
docs: $(VENV)/.installed
	$(BIN)/pvenum --markdown > docs/matrix.md.tmp && mv docs/matrix.md.tmp docs/matrix.md

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info

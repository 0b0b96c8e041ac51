# SPDX-License-Identifier: GPL-2.0
#
# clfs: top-level build and test entry points.
#
#   make                  clfs.ko for KDIR, and the user tools
#   make KDIR=<dir>       build against another kernel's build directory
#   make check            host unit tests, build checks (W=1, sparse) for
#                         both Debian kernels, the KUnit lane and the
#                         integration lane on both stock kernels
#   make setup            install what the build and tests need (root)
#   make demo             the one-command demonstration (scripts/demo.sh):
#                         boots the stock 6.12 kernel in QEMU, creates a
#                         log, checkpoints, kills the guest, recovers
#   make install          libclfs, its headers and pkg-config file,
#                         clfsctl and its man page (PREFIX, DESTDIR), a udev
#                         rule for /dev/clfs and a modules-load.d entry
#   make dkms-install     (root) clfs.ko through DKMS (dkms.conf) for every
#                         installed kernel with headers, rebuilt by DKMS on
#                         each kernel upgrade; make dkms-uninstall removes it
#   make bench            clfs beside the raw device and an ext4 file log,
#                         from one guest boot of the stock 6.12 kernel
#                         (scripts/bench.sh): a table, ratios, and JSON in
#                         build/bench/results.json
#   make fuzz             build the fuzz targets (libFuzzer, clang: the format
#                         decoders, the recovery walk over edited images)
#                         and run each for FUZZ_SECONDS (600) on its corpus
#                         under FUZZ_CORPUS (build/fuzz/corpus, kept between
#                         runs); crashes are saved as build/fuzz/crash-* and
#                         build/fuzz/image-crash-*
#
# KDIR defaults to the running kernel's build directory, else the newest
# installed headers.  Objects go to build/<kernel>/, never into src/.

KDIR ?= $(shell scripts/kdir.sh)
KNAME = $(notdir $(patsubst %/build,%,$(patsubst %/,%,$(KDIR))))
OUT = build/$(KNAME)
# Without an explicit KDIR the build relies on the Debian headers that
# setup installs, so it runs setup first (a no-op once all is installed).
SETUP = $(if $(filter file,$(origin KDIR)),scripts/setup.sh)
W ?= 1
# Any compiler warning fails the build (WERROR=0: DKMS, a user's kernel).
WERROR ?= 1
# CALLGRAPH=1: gcc writes each object's call graph (-fcallgraph-info), and
# scripts/callgraph.sh checks that calls between files go one way.
CALLGRAPH ?= 0

.PHONY: all modules tools setup check check-unit check-build check-kunit \
	check-intree check-integration clean demo install uninstall dkms-install \
	dkms-uninstall

all: modules tools

modules:
	$(SETUP)
	CLFS_WERROR=$(WERROR) CLFS_CALLGRAPH=$(CALLGRAPH) scripts/build-module.sh $(KDIR) $(CURDIR)/$(OUT) \
		W=$(W) $(if $(C),C=$(C))
	@echo "built: $(OUT)/clfs.ko"

tools:
	$(MAKE) -C tools

setup:
	scripts/setup.sh

demo:
	scripts/demo.sh

install uninstall:
	$(MAKE) -C tools $@

dkms-install:
	scripts/dkms.sh install

dkms-uninstall:
	scripts/dkms.sh uninstall

check:
	tests/check.sh

check-unit:
	tests/check.sh unit

check-build:
	tests/check.sh build

check-kunit:
	tests/check.sh kunit

check-intree:
	tests/check.sh intree

check-integration:
	tests/check.sh integration

# The fuzz targets, built by tests/Makefile: tests/fuzz/clfs_format_fuzz.c
# over the decoders of src/format/clfs_format.c, then
# tests/fuzz/clfs_image_fuzz.c over the recovery walk of the offline reader;
# FUZZ_SECONDS each, corpora under FUZZ_CORPUS.
FUZZ_SECONDS ?= 600
FUZZ_CORPUS ?= build/fuzz/corpus

.PHONY: fuzz bench
fuzz:
	$(MAKE) -C tests fuzz
	mkdir -p build/fuzz $(FUZZ_CORPUS)/format $(FUZZ_CORPUS)/image
	build/tests/clfs_format_fuzz --seeds=$(FUZZ_CORPUS)/format \
		-max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		-artifact_prefix=build/fuzz/ $(FUZZ_CORPUS)/format
	build/tests/clfs_image_fuzz -max_total_time=$(FUZZ_SECONDS) \
		-print_final_stats=1 -artifact_prefix=build/fuzz/image- \
		$(FUZZ_CORPUS)/image

bench:
	scripts/bench.sh

clean:
	rm -rf build
	$(MAKE) -C tools clean
	$(MAKE) -C tests clean

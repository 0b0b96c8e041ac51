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
#
# KDIR defaults to the running kernel's build directory, else the newest
# installed headers.  Objects go to build/<kernel>/, never into kernel/.

KDIR ?= $(shell scripts/kdir.sh)
KNAME = $(notdir $(patsubst %/build,%,$(patsubst %/,%,$(KDIR))))
OUT = build/$(KNAME)
# Without an explicit KDIR the build relies on the Debian headers that
# setup installs, so it runs setup first (a no-op once all is installed).
SETUP = $(if $(filter file,$(origin KDIR)),scripts/setup.sh)
W ?= 1

.PHONY: all modules tools setup check check-unit check-build check-kunit \
	check-integration clean

all: modules tools

modules:
	$(SETUP)
	scripts/build-module.sh $(KDIR) $(CURDIR)/$(OUT) W=$(W) $(if $(C),C=$(C))
	@echo "built: $(OUT)/clfs.ko"

tools:
	$(MAKE) -C tools

setup:
	scripts/setup.sh

check:
	tests/check.sh

check-unit:
	tests/check.sh unit

check-build:
	tests/check.sh build

check-kunit:
	tests/check.sh kunit

check-integration:
	tests/check.sh integration

clean:
	rm -rf build
	$(MAKE) -C tools clean

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh KDIR OUTDIR [KBUILD ARGS...]: build clfs.ko (and
# clfs_kunit.ko when KDIR's kernel has CONFIG_KUNIT) for the kernel in KDIR.
#
# Kbuild writes objects next to the sources of an external module, so each
# target kernel gets its own OUTDIR: a plain mirror of src/ (symlinks, the
# same layout), so the checkout stays clean and builds for 6.1 and 6.12
# never share an object.  The headers stay in the checkout's include/
# (CLFS_INCLUDE).  The compat probe runs first and writes
# OUTDIR/generated/clfs_kcompat_generated.h.  Any compiler warning fails
# the build, unless CLFS_WERROR=0 (DKMS builds for a user's kernel).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
kdir=$1
out=$2
shift 2

[ -f "$kdir/Makefile" ] || die "KDIR=$kdir is not a kernel build directory"
mkdir -p "$out/generated"
cp -as --remove-destination "$CLFS_TOP/src/." "$out/"
find "$out" -xtype l -delete	# sources removed from the checkout

"$CLFS_TOP/scripts/kcompat.sh" "$kdir" "$out/generated/clfs_kcompat_generated.h"

args=(CONFIG_CLFS=m CONFIG_CLFS_ITEST=m CLFS_INCLUDE="$CLFS_TOP/include"
      CLFS_GEN="$out/generated")
grep -q '^CONFIG_KUNIT=[ym]' "$kdir/.config" && args+=(CONFIG_CLFS_KUNIT_TEST=m)

# The call graphs for scripts/callgraph.sh (CLFS_CALLGRAPH=1): one .ci
# file beside each object.
[ "${CLFS_CALLGRAPH:-0}" = 1 ] && args+=(KCFLAGS=-fcallgraph-info)

log=$out/build.log
if ! make -C "$kdir" M="$out" "${args[@]}" "$@" -j"$(nproc)" modules 2>&1 | tee "$log"; then
	die "module build for $kdir failed" "$log"
fi
if [ "${CLFS_WERROR:-1}" != 0 ] && grep -E 'warning:|error:' "$log" >/dev/null; then
	die "module build for $kdir has warnings" "$log"
fi
if [ "${CLFS_CALLGRAPH:-0}" = 1 ]; then
	"$CLFS_TOP/scripts/callgraph.sh" "$out"
fi

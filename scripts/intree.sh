#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/intree.sh: clfs as an in-tree driver, built into the kernel with
# its KUnit suites.  The in-tree lane of tests/check.sh runs it.
#
# Copies the checkout into a copy of the KUnit kernel's 6.12 source
# (scripts/kunit-kernel.sh; hard links, so the copy is cheap and the cached
# source stays pristine) at the places it maps to:
#
#   src/                    -> drivers/block/clfs/   (Kbuild, Kconfig)
#   include/linux/clfs.h    -> include/linux/clfs.h
#   include/uapi/linux/*.h  -> include/uapi/linux/
#
# hooks it into drivers/block/Kconfig and drivers/block/Makefile the way a
# patch would, and builds bzImage with the KUnit kernel's configuration plus
# CONFIG_CLFS=y and CONFIG_CLFS_KUNIT_TEST=y (no out-of-tree build script,
# no generated compat header: the in-tree build uses the kernel's own API).
# The build directory is cached beside the KUnit kernel's, so after the
# first build (5-9 minutes on 2 cores) only clfs and the link are redone.
# Then checks that vmlinux holds the module's init and every KUnit suite.
# Prints the build directory on its last line.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ksrc=$("$CLFS_TOP/scripts/kunit-kernel.sh" --source | tail -n 1)
kdir=$(kunit_kernel_dir)
dir=$kdir/intree
src=$dir/src
out=$dir/build
mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9

stage "source: a linked copy of $(basename "$kdir")/src"
if [ ! -f "$src/.clfs-tree" ]; then
	rm -rf "$src" "$src.tmp"
	cp -al "$ksrc" "$src.tmp"
	# The two files a patch would change: new files, not links into the
	# cached source.
	for f in drivers/block/Kconfig drivers/block/Makefile; do
		cp --remove-destination "$ksrc/$f" "$src.tmp/$f"
	done
	sed -i '/^endif # BLK_DEV$/i source "drivers/block/clfs/Kconfig"\n' \
		"$src.tmp/drivers/block/Kconfig"
	grep -q 'drivers/block/clfs/Kconfig' "$src.tmp/drivers/block/Kconfig" ||
		die "cannot hook clfs into drivers/block/Kconfig" "$src.tmp/drivers/block/Kconfig"
	# shellcheck disable=SC2016 # a make variable, for make
	echo 'obj-$(CONFIG_CLFS)		+= clfs/' >>"$src.tmp/drivers/block/Makefile"
	touch "$src.tmp/.clfs-tree"
	mv "$src.tmp" "$src"
fi

stage "source: copy the checkout in (drivers/block/clfs, include/linux, include/uapi/linux)"
rm -rf "$src/drivers/block/clfs"
cp -r "$CLFS_TOP/src" "$src/drivers/block/clfs"
for h in "$CLFS_TOP"/include/linux/*.h; do
	cp --remove-destination "$h" "$src/include/linux/"
done
for h in "$CLFS_TOP"/include/uapi/linux/*.h; do
	cp --remove-destination "$h" "$src/include/uapi/linux/"
done

stage "configure: the KUnit kernel's .config, CONFIG_CLFS=y, CONFIG_CLFS_KUNIT_TEST=y"
mkdir -p "$out"
{ cat "$CLFS_KUNIT_CONFIG"; echo CONFIG_CLFS=y; echo CONFIG_CLFS_KUNIT_TEST=y; } >"$out/.config.want"
if ! cmp -s "$out/.config.want" "$out/.config.frag" 2>/dev/null; then
	cp "$out/.config.want" "$out/.config"
	cp "$out/.config.want" "$out/.config.frag"
fi
run_logged "$dir/config.log" make -C "$src" O="$out" ARCH=x86_64 olddefconfig
for sym in CONFIG_CLFS=y CONFIG_CLFS_KUNIT_TEST=y CONFIG_KUNIT=y; do
	grep -qx "$sym" "$out/.config" || die "$sym did not survive olddefconfig" "$out/.config"
done

stage "build: bzImage with clfs built in ($(nproc) jobs; log in $dir/build.log)"
run_logged "$dir/build.log" make -C "$src" O="$out" ARCH=x86_64 -j"$(nproc)" \
	W=1 bzImage
if grep -E '^(/[^ ]*)?drivers/block/clfs/.*(warning|error):' "$dir/build.log"; then
	die "the in-tree build of clfs has warnings" "$dir/build.log"
fi

stage "check: vmlinux holds clfs and its KUnit suites"
syms=(clfs_log_open clfs_append clfs_engine_test_suite clfs_crash_test_suite
      clfs_restart_test_suite clfs_format_test_suite clfs_lsn_test_suite
      clfs_compat_test_suite clfs_crashdev_suite clfs_model_test_suite
      clfs_share_test_suite clfs_area_test_suite)
for sym in "${syms[@]}"; do
	grep -qw "$sym" "$out/System.map" || die "vmlinux lacks $sym" "$out/System.map"
done
stage_end
echo "in tree: drivers/block/clfs built into $out/arch/x86/boot/bzImage, ${#syms[@]} symbols checked"
echo "$out"

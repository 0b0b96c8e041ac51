#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) the debug kernel the KUnit lane boots: Debian's linux-source-6.12
# configured kunit.py-style from tests/qemu/kunit.config (KUnit, KASAN,
# lockdep, kmemleak, UBSAN, fault injection, the block devices the tests use).
#
# The build lives in the cache (scripts/lib.sh: kunit_kernel_dir) and is
# reused while the source package and the fragment are unchanged; a stamp
# file marks a finished build, so an interrupted one is resumed by make.
# Prints the build directory (usable as KDIR) on its last line; with
# --source, only extracts the source and prints its directory.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dir=$(kunit_kernel_dir) || exit 1
src=$dir/src
out=$dir/build
frag=$CLFS_KUNIT_CONFIG

only_source=
[ "${1:-}" = --source ] && only_source=1

if [ -f "$dir/.complete" ] || { [ -n "$only_source" ] && [ -f "$src/Makefile" ]; }; then
	[ -n "$only_source" ] && { echo "$src"; exit 0; }
	echo "KUnit kernel: cached in $dir"
	echo "$out"
	exit 0
fi

mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9

[ -f "$CLFS_KSRC_TAR" ] || die "$CLFS_KSRC_TAR missing (run scripts/setup.sh)"

if [ ! -f "$src/Makefile" ]; then
	stage "extract $(basename "$CLFS_KSRC_TAR")"
	rm -rf "$src" "$dir/src.tmp"
	mkdir -p "$dir/src.tmp"
	tar -C "$dir/src.tmp" --strip-components=1 -xJf "$CLFS_KSRC_TAR"
	mv "$dir/src.tmp" "$src"
fi
if [ -n "$only_source" ]; then
	stage_end
	echo "$src"
	exit 0
fi

stage "configure (olddefconfig from $(basename "$frag"))"
mkdir -p "$out"
cp "$frag" "$out/.config"
run_logged "$dir/config.log" make -C "$src" O="$out" ARCH=x86_64 olddefconfig

# Every symbol the fragment asks for must have survived olddefconfig.
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) grep -qxF "$line" "$out/.config" || {
			echo "  not applied: $line" >&2; missing=1; } ;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }; sym=${sym%% *}
		grep -q "^$sym=" "$out/.config" && {
			echo "  not applied: $line" >&2; missing=1; } ;;
	esac
done <"$frag"
[ $missing = 0 ] || die "config fragment not applied" "$out/.config"

stage "build kernel ($(nproc) jobs; log in $dir/build.log)"
run_logged "$dir/build.log" make -C "$src" O="$out" ARCH=x86_64 \
	-j"$(nproc)" bzImage modules
touch "$dir/.complete"
stage_end
echo "$out"

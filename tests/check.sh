#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/check.sh [LANE...]: the clfs test command (`make check`).
#
# Lanes, in order (all of them when none is named):
#   setup        install missing packages (scripts/setup.sh)
#   unit         host unit tests and uapi header checks (C and C++)
#   build        clfs.ko for both stock Debian kernels with W=1 and sparse
#                (C=2), no warnings allowed; checkpatch on the sources
#   kunit        KUnit suites in a debug 6.12 kernel under QEMU (KASAN,
#                lockdep, UBSAN, kmemleak), plus the integration scripts
#   integration  tests/integration/*.sh in the stock 6.1 and 6.12 kernels
#                under QEMU, with virtio-blk and null_blk disks; the reboot
#                tests (tests/integration/reboot/) across a crash-reboot
#
# Prints each stage with its time, one line per test, and closes with
# "N passed, N failed"; exits non-zero on any failure.  Logs: build/logs/.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
. "$CLFS_TOP/tests/qemu/lane.sh"
cd "$CLFS_TOP"

LANE_PASSED=0
LANE_FAILED=0
LOGS=$CLFS_TOP/build/logs
mkdir -p "$LOGS"
t_start=$(date +%s)

pass() { printf '  PASS  %s\n' "$1"; LANE_PASSED=$((LANE_PASSED + 1)); }
fail() { printf '  FAIL  %s%s\n' "$1" "${2:+ (look at: $2)}"; LANE_FAILED=$((LANE_FAILED + 1)); }

# check NAME LOG CMD...: one test that passes when CMD succeeds.
check() {
	local name=$1 log=$2
	shift 2
	if "$@" >"$log" 2>&1; then pass "$name"; else fail "$name" "$log"; fi
}

# The names of the integration scripts, as the guest reports them: a
# reboot test (tests/integration/reboot/) once for each of its two boots.
integration_tests() {
	local t
	basename -s .sh tests/integration/*.sh
	for t in tests/integration/reboot/*.sh; do
		[ -f "$t" ] || continue
		t=$(basename "$t" .sh)
		echo "reboot/$t/boot1 reboot/$t/boot2"
	done
}

lane_setup() {
	stage "setup: packages"
	scripts/setup.sh
}

lane_unit() {
	local h std
	stage "unit: tools and host unit tests"
	check "unit/tools-build" "$LOGS/tools.log" make -C tools
	check "unit/uapi-test-build" "$LOGS/uapi-test-build.log" make -C tests/uapi
	check "unit/tools-test" "$LOGS/tools-test.log" make -C tools test
	grep -h 'passed, .* failed\|^test-install: passed' "$LOGS/tools-test.log" |
		sed 's/^/    /' || true
	check "unit/lsn_test" "$LOGS/lsn_test.log" sh -c \
		"gcc -Wall -Wextra -Werror -Iuapi -o build/lsn_test tests/unit/lsn_test.c && build/lsn_test"
	echo "    lsn_test checks passed: $(grep -c '^ok ' "$LOGS/lsn_test.log" || true)"
	grep '^FAIL' "$LOGS/lsn_test.log" | sed 's/^/    /' || true
	check "unit/format_test" "$LOGS/format_test.log" sh -c \
		"gcc -Wall -Wextra -Werror -Iuapi -Ikernel -Itools/lib -o build/format_test tests/unit/format_test.c kernel/clfs_format.c tools/lib/crc32c.c -lpthread && build/format_test"
	check "unit/format_test-asan" "$LOGS/format_test-asan.log" sh -c \
		"gcc -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -Wall -Wextra -Werror -Iuapi -Ikernel -Itools/lib -o build/format_test-asan tests/unit/format_test.c kernel/clfs_format.c tools/lib/crc32c.c -lpthread && build/format_test-asan"
	echo "    format_test checks passed: $(grep -c '^ok ' "$LOGS/format_test.log" || true)," \
		"under ASan/UBSan: $(grep -c '^ok ' "$LOGS/format_test-asan.log" || true)"
	grep -h '^FAIL\|runtime error\|ERROR: AddressSanitizer' "$LOGS/format_test.log" \
		"$LOGS/format_test-asan.log" | sed 's/^/    /' || true
	rm -rf build/fuzz/smoke
	check "unit/fuzz-smoke" "$LOGS/fuzz-smoke.log" \
		make -s fuzz FUZZ_SECONDS=20 FUZZ_CORPUS=build/fuzz/smoke
	echo "    fuzz-smoke executions: $(sed -n 's/^stat::number_of_executed_units: *//p' "$LOGS/fuzz-smoke.log")" \
		"in 20 s, corpus: $(find build/fuzz/smoke -type f 2>/dev/null | wc -l) inputs"
	for h in uapi/linux/*.h; do
		for std in c:gcc c++:g++; do
			check "unit/header-${std%%:*}/$(basename "$h")" \
				"$LOGS/header-${std%%:*}-$(basename "$h").log" \
				"${std#*:}" -x "${std%%:*}" -fsyntax-only -Wall -Wextra -Werror \
				-Iuapi -include "$h" /dev/null
		done
	done
}

lane_build() {
	local k cp
	for k in $(stock_kernels); do
		stage "build: clfs.ko for $k from clean (W=1, sparse C=2)"
		rm -rf "build/$k"
		check "build/$k" "$LOGS/build-$k.log" \
			make modules KDIR="/lib/modules/$k/build" C=2
	done
	stage "build: checkpatch (from the 6.12 source)"
	cp=$(scripts/kunit-kernel.sh --source | tail -n 1)/scripts/checkpatch.pl
	check "build/checkpatch" "$LOGS/checkpatch.log" perl "$cp" --no-tree \
			--strict --quiet --show-types --ignore FILE_PATH_CHANGES \
			-f kernel/*.c kernel/*.h kernel/compat/probes/*.c tests/kunit/*.c \
			tests/kunit/*.h tests/itest/*.c include/*.h uapi/linux/*.h
}

lane_kunit() {
	local kdir dir=$LOGS/kunit n
	stage "kunit: debug kernel (cached after the first build)"
	scripts/kunit-kernel.sh | sed 's/^/    /'
	kdir=$(kunit_kernel_dir)/build
	stage "kunit: build clfs.ko and clfs_kunit.ko"
	check "kunit/module-build" "$LOGS/kunit-build.log" make modules KDIR="$kdir"
	stage "kunit: initramfs and boot (QEMU TCG)"
	mkdir -p "$dir"
	if ! lane_initramfs "$dir" kunit none "build/$(basename "$(dirname "$kdir")")"; then
		fail "kunit/initramfs"
		return
	fi
	lane_boot "$dir" "$kdir/arch/x86/boot/bzImage" 600 $(lane_disk "$dir" disk0 64M)
	stage "kunit: results"
	LANE_EXPECT="kunit-modules kmemleak $(integration_tests)"
	lane_report "$dir" kunit
	n=$(grep -c '^    \(not \)\?ok ' "$dir/results.txt" || true)
	[ "$n" -gt 0 ] || fail "kunit: no KTAP results collected" "$dir/console.log"
	echo "    console: $dir/console.log"
}

lane_integration() {
	local k dir mods
	for k in $(stock_kernels); do
		dir=$LOGS/integration-$k
		mkdir -p "$dir"
		stage "integration: $k: module, initramfs"
		check "integration/$k/module-build" "$LOGS/build-$k.log" \
			make modules KDIR="/lib/modules/$k/build"
		mods="virtio_pci virtio_blk null_blk loop dm_mod dm_flakey dm_log_writes crc32c_generic libcrc32c"
		if ! lane_initramfs "$dir" integration "$k" "build/$k" $mods; then
			fail "integration/$k/initramfs"
			continue
		fi
		stage "integration: $k: boot and run (QEMU TCG; reboot tests: two boots, a crash between)"
		lane_boot "$dir" "/boot/vmlinuz-$k" 300 $(lane_disk "$dir" disk0 64M)
		stage "integration: $k: results"
		LANE_EXPECT="$(integration_tests)"
		lane_report "$dir" "integration/$k"
		echo "    console: $dir/console.log"
	done
}

lanes=${*:-setup unit build kunit integration}
for l in $lanes; do
	case "$l" in
	setup|unit|build|kunit|integration) "lane_$l" ;;
	*) die "unknown lane '$l' (setup unit build kunit integration)" ;;
	esac
done
stage_end
echo "total time: $(($(date +%s) - t_start))s"
echo "$LANE_PASSED passed, $LANE_FAILED failed"
[ "$LANE_FAILED" = 0 ]

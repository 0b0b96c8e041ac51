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
#   intree       src/ as drivers/block/clfs built into that kernel with its
#                KUnit suites (scripts/intree.sh), booted: the built-in
#                suites without devices run at boot
#   integration  tests/integration/*.sh in the stock 6.1 and 6.12 kernels
#                under QEMU, with virtio-blk and null_blk disks; the reboot
#                tests (tests/integration/reboot/) across a crash-reboot
#
# Prints each stage with its time, one line per test, and closes with
# "N passed, N failed"; exits non-zero on any failure.  Logs: build/logs/.
#
# A lane never skips: a missing stock kernel, a failed KUnit kernel build, a
# failed initramfs or a failed set-up each count as a named FAIL, and the
# run goes on to the closing count.
# shellcheck source=../scripts/lib.sh
. "$(dirname "$0")/../scripts/lib.sh"
# shellcheck source=qemu/lane.sh
. "$CLFS_TOP/tests/qemu/lane.sh"
cd "$CLFS_TOP"

LANE_PASSED=0
LANE_FAILED=0
LOGS=${CLFS_LOGS:-$CLFS_TOP/build/logs}
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

# lane_kernel LANE SERIES: set LANE_KERNEL to the stock kernel of SERIES,
# or count a named failure (LANE/SERIES: why) and return 1.
LANE_KERNEL=
lane_kernel() {
	local log=$LOGS/stock-kernel-$2.log
	if LANE_KERNEL=$(stock_kernel "$2" 2>"$log"); then
		return 0
	fi
	fail "$1/$2: $(cat "$log")"
	return 1
}

# The names of the integration scripts, as the guest reports them: a
# reboot test (tests/integration/reboot/) once for each of its two boots.
integration_tests() {
	local t
	for t in tests/integration/*.sh; do
		basename "$t" .sh
	done
	for t in tests/integration/reboot/*.sh; do
		[ -f "$t" ] || continue
		t=$(basename "$t" .sh)
		echo "reboot/$t/boot1 reboot/$t/boot2"
	done
}

# shell_scripts: every shell script of the tree (by name or by its #!).
shell_scripts() {
	local f
	while IFS= read -r f; do
		case "$f" in
		*.sh) echo "$f" ;;
		*) if head -n 1 "$f" | grep -qE '^#!.*[/ ](ba|da|busybox )?sh\b'; then
			echo "$f"
		   fi ;;
		esac
	done < <(find . -path ./build -prune -o -path ./.git -prune -o -type f -print | sort)
}

lane_setup() {
	stage "setup: packages (log: $LOGS/setup.log)"
	if scripts/setup.sh 2>&1 | tee "$LOGS/setup.log" | sed 's/^/    /'; then
		pass "setup/packages"
	else
		fail "setup/packages" "$LOGS/setup.log"
	fi
}

lane_unit() {
	local h std scripts
	stage "unit: tools and host unit tests"
	check "unit/tools-build" "$LOGS/tools.log" make -C tools
	check "unit/host-tests" "$LOGS/host-tests.log" make -C tests all check
	grep -h 'passed, .* failed\|FAIL\|runtime error\|AddressSanitizer' "$LOGS/host-tests.log" |
		sed 's/^/    /' || true
	check "unit/tools-test" "$LOGS/tools-test.log" make -C tools test
	grep -h 'passed, .* failed\|^test-install: passed' "$LOGS/tools-test.log" |
		sed 's/^/    /' || true
	rm -rf build/fuzz/smoke
	check "unit/fuzz-smoke" "$LOGS/fuzz-smoke.log" \
		make -s fuzz FUZZ_SECONDS=20 FUZZ_CORPUS=build/fuzz/smoke
	echo "    fuzz-smoke executions (format, image): $(sed -n 's/^stat::number_of_executed_units: *//p' "$LOGS/fuzz-smoke.log" | paste -sd ' ')" \
		"in 20 s each, corpus: $(find build/fuzz/smoke -type f 2>/dev/null | wc -l) inputs"
	stage "unit: shellcheck, the package set of a fresh machine, DKMS, the harness"
	mapfile -t scripts < <(shell_scripts)
	check "unit/shellcheck" "$LOGS/shellcheck.log" shellcheck -x "${scripts[@]}"
	echo "    shellcheck: ${#scripts[@]} scripts, $(grep -c '^In ' "$LOGS/shellcheck.log" || true) findings"
	check "unit/packages" "$LOGS/packages.log" tests/unit/packages.sh --self-test
	sed 's/^/    /' "$LOGS/packages.log"
	check "unit/dkms-conf" "$LOGS/dkms-conf.log" scripts/dkms.sh check
	check "unit/harness" "$LOGS/harness.log" tests/unit/harness.sh
	grep '^ok:\|^FAIL:' "$LOGS/harness.log" | sed 's/^/    /' || true

	for h in include/uapi/linux/*.h; do
		for std in c:gcc c++:g++; do
			check "unit/header-${std%%:*}/$(basename "$h")" \
				"$LOGS/header-${std%%:*}-$(basename "$h").log" \
				"${std#*:}" -x "${std%%:*}" -fsyntax-only -Wall -Wextra -Werror \
				-Iinclude/uapi -include "$h" /dev/null
		done
	done
}

lane_build() {
	local s k src srcs f
	for s in $CLFS_STOCK_SERIES; do
		lane_kernel build "$s" || continue
		k=$LANE_KERNEL
		stage "build: clfs.ko for $k from clean (W=1, sparse C=2)"
		rm -rf "build/$k"
		check "build/$k" "$LOGS/build-$k.log" \
			make modules KDIR="/lib/modules/$k/build" C=2 CALLGRAPH=1
		grep '^callgraph:\|^layers' "$LOGS/build-$k.log" | sed 's/^/    /' || true
	done
	stage "build: checkpatch (from the 6.12 source)"
	if ! scripts/kunit-kernel.sh --source >"$LOGS/kernel-source.log" 2>&1; then
		fail "build/checkpatch: no kernel source" "$LOGS/kernel-source.log"
		return
	fi
	src=$(tail -n 1 "$LOGS/kernel-source.log")
	check "build/kernel-doc" "$LOGS/kernel-doc.log" sh -c \
		"perl '$src/scripts/kernel-doc' -Wall -none include/linux/clfs.h include/uapi/linux/*.h src/*.h src/*/*.h 2>&1 | tee /dev/stderr | (! grep -q .)"
	echo "    kernel-doc -Wall: $(grep -c 'warning' "$LOGS/kernel-doc.log" || true) warnings"
	srcs=()
	for f in src/*.c src/*.h src/*/*.c src/*/*.h src/compat/probes/*.c \
		 include/linux/*.h include/uapi/linux/*.h; do
		[ "$f" = src/clfs_trace.h ] || srcs+=("$f")
	done
	check "build/checkpatch" "$LOGS/checkpatch.log" perl "$src/scripts/checkpatch.pl" --no-tree \
			--strict --quiet --show-types --ignore FILE_PATH_CHANGES -f "${srcs[@]}"
	# TRACE_EVENT() definitions have their own layout (TP_PROTO, TP_ARGS...
	# one per line, as in include/trace/events/).
	check "build/checkpatch-trace" "$LOGS/checkpatch-trace.log" perl "$src/scripts/checkpatch.pl" \
			--no-tree --strict --quiet --show-types \
			--ignore FILE_PATH_CHANGES,PARENTHESIS_ALIGNMENT,OPEN_ENDED_LINE -f src/clfs_trace.h
}

lane_kunit() {
	local kdir dir=$LOGS/kunit n build
	stage "kunit: debug kernel (cached after the first build)"
	if ! scripts/kunit-kernel.sh 2>&1 | tee "$LOGS/kunit-kernel.log" | sed 's/^/    /'; then
		fail "kunit/kernel-build" "$LOGS/kunit-kernel.log"
		return
	fi
	pass "kunit/kernel-build"
	kdir=$(tail -n 1 "$LOGS/kunit-kernel.log")
	stage "kunit: build clfs.ko and clfs_kunit.ko"
	if ! make modules KDIR="$kdir" >"$LOGS/kunit-build.log" 2>&1; then
		fail "kunit/module-build" "$LOGS/kunit-build.log"
		return
	fi
	pass "kunit/module-build"
	stage "kunit: initramfs and boot (QEMU TCG)"
	mkdir -p "$dir"
	build=build/$(basename "$(dirname "$kdir")")
	run_step "$dir/initramfs.log" lane_initramfs "$dir" kunit none "$build" \
		"$build/clfs.ko"
	if [ "$CLFS_STEP_RC" != 0 ]; then
		fail "kunit/initramfs" "$dir/initramfs.log"
		return
	fi
	# The outer timeout of each boot: boot 2 takes ~10 min on an idle
	# 2-core host (~8 of them the model run of 1,000,000 operations) and
	# about twice that while another guest keeps both cores busy; hangs
	# inside are reported sooner by the guest's own detectors and by the
	# model's watchdog (120 s per call).  A longer model run
	# (CLFS_MODEL_OPS) adds 500 s per million operations.
	lane_boot "$dir" "$kdir/arch/x86/boot/bzImage" \
		$((2400 + ${CLFS_MODEL_OPS:-0} / 2000)) -drive "$(lane_disk "$dir" disk0 64M)"
	stage "kunit: results"
	LANE_EXPECT="kunit-modules kmemleak $(integration_tests)"
	lane_report "$dir" kunit
	n=$(grep -c '^    \(not \)\?ok ' "$dir/results.txt" || true)
	[ "$n" -gt 0 ] || fail "kunit: no KTAP results collected" "$dir/console.log"
	echo "    console: $dir/console.log"
}

# The in-tree lane: src/ as drivers/block/clfs in a copy of the 6.12
# source, built into the kernel with its KUnit suites (scripts/intree.sh),
# then that kernel booted with no initramfs: the built-in suites that need
# no device node (clfs_lsn, clfs_format) run at boot, before the root
# file system, and must all pass with no splat; the boot then ends at the
# missing root (panic=-1, and QEMU does not reboot).
lane_intree() {
	local out dir=$LOGS/intree n s
	stage "intree: build clfs into the 6.12 kernel (cached after the first build)"
	if ! scripts/intree.sh 2>&1 | tee "$LOGS/intree.log" | sed 's/^/    /'; then
		fail "intree/build" "$LOGS/intree.log"
		return
	fi
	pass "intree/build"
	out=$(tail -n 1 "$LOGS/intree.log")
	stage "intree: boot it; the built-in suites clfs_lsn and clfs_format run at boot"
	mkdir -p "$dir"
	timeout --foreground 600 qemu-system-x86_64 -nodefaults -nographic -display none \
		-no-reboot "${LANE_MACHINE[@]}" -kernel "$out/arch/x86/boot/bzImage" \
		-append "$LANE_CMDLINE panic=-1 kunit.filter_glob=clfs_[lf]*" \
		-serial "file:$dir/console.log" -monitor none </dev/null >"$dir/qemu.log" 2>&1 || true
	n=0
	for s in clfs_lsn clfs_format; do
		if grep -qE "^(\[ *[0-9.]+\] )?ok [0-9]+ $s\b" "$dir/console.log"; then
			pass "intree/kunit/$s"
			n=$((n + 1))
		else
			fail "intree/kunit/$s" "$dir/console.log"
		fi
	done
	# Up to the end planned for this boot, the panic at the missing root,
	# which is not a splat.
	sed '/VFS: Unable to mount root/q' "$dir/console.log" | grep -v 'Kernel panic' \
		>"$dir/before-root.log"
	if grep -qE "$LANE_SPLAT" "$dir/before-root.log"; then
		fail "intree/splat" "$dir/console.log"
		grep -E "$LANE_SPLAT" "$dir/before-root.log" | head -n 5 | sed 's/^/    /'
	else
		pass "intree/no-splat"
	fi
	echo "    built-in suites passed: $n of 2; console: $dir/console.log"
}

# The integration lane boots what a user installs: clfs.ko as DKMS builds
# it from the dkms.conf of the tree (scripts/dkms.sh, in a private DKMS
# tree under build/dkms/), beside the test client clfs_itest.ko built by
# make for the same kernel.
lane_integration() {
	local s k dir ko
	local mods=(virtio_pci virtio_blk null_blk loop dm_mod dm_flakey
		    dm_log_writes crc32c_generic libcrc32c)
	for s in $CLFS_STOCK_SERIES; do
		lane_kernel integration "$s" || continue
		k=$LANE_KERNEL
		dir=$LOGS/integration-$k
		mkdir -p "$dir"
		stage "integration: $k: clfs.ko through DKMS, clfs_itest.ko, initramfs"
		check "integration/$k/module-build" "$LOGS/build-$k.log" \
			make modules KDIR="/lib/modules/$k/build"
		if ! scripts/dkms.sh build "$CLFS_TOP/build/dkms" "$k" \
			>"$LOGS/dkms-$k.log" 2>&1; then
			fail "integration/$k/dkms-build" "$LOGS/dkms-$k.log"
			continue
		fi
		ko=$(tail -n 1 "$LOGS/dkms-$k.log")
		pass "integration/$k/dkms-build"
		echo "    DKMS built: $ko"
		run_step "$dir/initramfs.log" lane_initramfs "$dir" integration "$k" \
			"build/$k" "$ko" "${mods[@]}"
		if [ "$CLFS_STEP_RC" != 0 ]; then
			fail "integration/$k/initramfs" "$dir/initramfs.log"
			continue
		fi
		stage "integration: $k: boot and run (QEMU TCG; reboot tests: two boots, a crash between)"
		lane_boot "$dir" "/boot/vmlinuz-$k" 300 -drive "$(lane_disk "$dir" disk0 64M)"
		stage "integration: $k: results"
		LANE_EXPECT="$(integration_tests)"
		lane_report "$dir" "integration/$k"
		echo "    console: $dir/console.log"
	done
}

lanes=${*:-setup unit build kunit intree integration}
for l in $lanes; do
	case "$l" in
	setup|unit|build|kunit|intree|integration) "lane_$l" ;;
	*) die "unknown lane '$l' (setup unit build kunit intree integration)" ;;
	esac
done
stage_end
echo "total time: $(($(date +%s) - t_start))s"
echo "$LANE_PASSED passed, $LANE_FAILED failed"
[ "$LANE_FAILED" = 0 ] || exit 1

# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Host side of the QEMU test lanes; sourced by tests/check.sh.
#
#   lane_deps KVER NAME...          stock modules NAME and their dependencies,
#                                   dependencies first, from modules.dep
#   lane_initramfs DIR LANE KVER BUILD CLFS_KO [NAME...]
#                                   DIR/initramfs.cpio.gz: busybox, the guest
#                                   init, CLFS_KO (clfs.ko, .ko.xz too),
#                                   clfs_itest.ko (+ clfs_kunit.ko) from
#                                   BUILD, clfsctl, the guest test
#                                   programs and hostile images,
#                                   tests/integration (with reboot/), stock
#                                   modules; DIR/reboot-tests names the
#                                   reboot tests
#   lane_stock_modules ROOT KVER NAME...
#                                   stock modules and their dependencies,
#                                   decompressed, into ROOT/lib/clfs-deps/
#                                   with their load order
#   lane_disk DIR NAME SIZE         an empty virtio-blk disk image (prints
#                                   the value of its -drive option)
#   lane_boot DIR KERNEL TIMEOUT [QEMU ARGS...]
#                                   boot under TCG; console in DIR/console.log,
#                                   results channel in DIR/results.log; with
#                                   reboot tests, a crashing first boot before
#                                   (logs in DIR/boot1/)
#   lane_report DIR LANE            one line per test, counts into
#                                   LANE_PASSED/LANE_FAILED
#
# A test that reports nothing, and a guest that never reports
# CLFS-GUEST-DONE (crash, panic, hang killed by the timeout), fail.
#
# Reboot tests (tests/integration/reboot/*.sh) check what survives a crash.
# They run in two boots of the same disk images: boot 1 runs each of them
# with CLFS_BOOT=1 and then crashes the guest on purpose (sysrq b, or the
# reboot syscall without a sync in a kernel without sysrq; -no-reboot
# turns the reset into a QEMU exit); boot 2 runs each with CLFS_BOOT=2,
# then everything else.  Each phase is a test of its own
# (reboot/NAME/boot1, reboot/NAME/boot2), and so is the crash itself
# (reboot/crash): a first phase whose guest did not reach the crash point
# fails, whatever it reported.

# lane_deps KVER NAME...: print module paths (relative to
# /lib/modules/KVER) in load order.  modules.dep lists each module's full
# dependency closure with the most basic module last.
lane_deps() {
	local kver=$1
	shift
	awk -v want="$*" '
	function base(p) { sub(/.*\//, "", p); sub(/\.ko(\.xz|\.zst|\.gz)?$/, "", p); gsub(/-/, "_", p); return p }
	BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) { gsub(/-/, "_", w[i]); wanted[w[i]] = i } }
	{
		mod = $1; sub(/:$/, "", mod)
		if (!(base(mod) in wanted)) next
		deps[wanted[base(mod)]] = ""
		for (i = NF; i >= 2; i--) deps[wanted[base(mod)]] = deps[wanted[base(mod)]] " " $i
		deps[wanted[base(mod)]] = deps[wanted[base(mod)]] " " mod
		found[base(mod)] = 1
	}
	END {
		for (k in wanted) if (!(k in found)) { print "missing module " k > "/dev/stderr"; exit 1 }
		for (i = 1; i <= n; i++) {
			m = split(deps[i], d, " ")
			for (j = 1; j <= m; j++) if (!(d[j] in seen)) { seen[d[j]] = 1; print d[j] }
		}
	}' "/lib/modules/$kver/modules.dep"
}

# lane_not_builtin KVER NAME...: the NAMEs that KVER builds as modules.
lane_not_builtin() {
	local kver=$1 n
	shift
	for n in "$@"; do
		grep -q "/${n//[-_]/[-_]}\.ko\$" \
			"/lib/modules/$kver/modules.builtin" || echo "$n"
	done
}

# lane_copy_ko SRC DEST: copy a kernel module, decompressing a .ko.xz.
lane_copy_ko() {
	[ -f "$1" ] || die "no kernel module $1"
	case "$1" in
	*.xz) xz -dc "$1" >"$2" ;;
	*) cp "$1" "$2" ;;
	esac
}

# lane_stock_modules ROOT KVER NAME...: the modules NAME that KVER does not
# build in, with their dependencies, decompressed into ROOT/lib/clfs-deps/,
# and their load order in ROOT/lib/clfs-deps/order (the guests' init reads
# it).
lane_stock_modules() {
	local root=$1 kver=$2 deps ko name
	local -a mods
	shift 2
	mkdir -p "$root/lib/clfs-deps"
	: >"$root/lib/clfs-deps/order"
	mapfile -t mods < <(lane_not_builtin "$kver" "$@")
	[ ${#mods[@]} -gt 0 ] || return 0
	deps=$(lane_deps "$kver" "${mods[@]}")
	while read -r ko; do
		name=$(basename "$ko" .xz)
		lane_copy_ko "/lib/modules/$kver/$ko" "$root/lib/clfs-deps/$name"
		echo "$name" >>"$root/lib/clfs-deps/order"
	done <<<"$deps"
}

# lane_initramfs: run it through run_step (scripts/lib.sh), so that any
# failing command in it ends it with a FAILED line in its log.
lane_initramfs() {
	local dir=$1 lane=$2 kver=$3 build=$4 clfs_ko=$5 root t
	shift 5
	root=$dir/root
	rm -rf "$root"
	mkdir -p "$root"/{bin,etc,clfs,tests/integration/reboot}
	cp /bin/busybox "$root/bin/busybox"
	cp "$CLFS_TOP/tests/qemu/guest-init.sh" "$root/init"
	chmod +x "$root/init"
	make -s -C "$CLFS_TOP/tools"
	make -s -C "$CLFS_TOP/tests" uapi
	cp "$CLFS_TOP/tools/clfsctl/clfsctl" "$root/bin/clfsctl"
	cp "$CLFS_TOP/build/tests/clfs_uapi_test" \
		"$CLFS_TOP/build/tests/clfs_uapi_test32" \
		"$CLFS_TOP/build/tests/clfs_stress" \
		"$CLFS_TOP/build/tests/clfs_trace" \
		"$CLFS_TOP/build/tests/clfs_faults" \
		"$CLFS_TOP/build/tests/clfs_ring_test" "$root/bin/"
	lane_copy_ko "$clfs_ko" "$root/clfs/clfs.ko"
	cp "$build/test/clfs_itest.ko" "$root/clfs/"
	if [ "$lane" = kunit ]; then
		cp "$build/clfs_kunit.ko" "$root/clfs/"
	fi
	cp "$CLFS_TOP"/tests/integration/*.sh "$root/tests/integration/"
	# The hostile images for 09-images.sh, as tests/unit/image_test.c
	# builds and checks them.
	make -s -C "$CLFS_TOP/tests" "$CLFS_TOP/build/tests/image_test"
	rm -rf "$dir/images"
	mkdir -p "$dir/images" "$root/images"
	"$CLFS_TOP/build/tests/image_test" "$dir/images" >"$dir/image_test.log"
	cp "$dir"/images/hostile-*.img "$root/images/"
	: >"$dir/reboot-tests"
	for t in "$CLFS_TOP"/tests/integration/reboot/*.sh; do
		[ -f "$t" ] || continue
		cp "$t" "$root/tests/integration/reboot/"
		basename "$t" .sh >>"$dir/reboot-tests"
	done
	printf "CLFS_LANE=%s\nCLFS_SPLAT='%s'\n" "$lane" "$LANE_SPLAT" \
		>"$root/etc/clfs-guest.conf"
	cp "$CLFS_TOP/tests/qemu/guest-lib.sh" "$root/tests/lib.sh"
	lane_stock_modules "$root" "$kver" "$@"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$dir/initramfs.cpio.gz"
	echo "initramfs: $dir/initramfs.cpio.gz ($(wc -c <"$dir/initramfs.cpio.gz") bytes)"
}

# lane_disk DIR NAME SIZE: a fresh, empty virtio-blk disk image; prints the
# value of the -drive option that attaches it (guest /dev/vda, vdb, ... in
# order).
lane_disk() {
	rm -f "$1/$2.img"
	truncate -s "$3" "$1/$2.img"
	echo "file=$1/$2.img,if=virtio,format=raw"
}

# The machine every guest runs on (the lanes and the demo), and the kernel
# command line they share.
#
# q35, not pc: on Debian 12's QEMU 7.2 the pc (i440fx) machine's ACPI
# tables compute PCI0._PRT, the PCI interrupt routing, in an AML While loop
# over 128 entries each time it is evaluated (QEMU's build_prt(); replaced
# by a static table only in QEMU 9.2).  The kernel evaluates _PRT for every
# PCI device it enables, and the AML interpreter of a KASAN and lockdep
# kernel under TCG needs longer than ACPICA's fixed 30 s loop limit
# (ACPI_MAX_LOOP_TIMEOUT): the method aborts with AE_AML_LOOP_TIMEOUT, the
# virtio disk gets no interrupt line ("can't derive routing for PCI INT
# A"), and the CPU running the loop, which never reschedules, trips the
# soft-lockup detector.  q35 returns _PRT as a static package, so routing
# never depends on how fast the guest runs.
#
# -cpu max,la57=off: every feature TCG has but 5-level paging.  With LA57
# the 6.12 KASAN kernel reports a false "wild-memory-access" when an
# interrupt arrives while identify_cpu() has cleared the boot CPU's
# capability bits: pgtable_l5_enabled() is then briefly false, KASAN's
# shadow range shrinks to 4-level paging's, and the interrupt handler's
# spin lock in the 5-level direct map (0xff11...) looks wild.  Seen in
# about 1 boot in 30 under a busy host, at 0.003 s, in handle_edge_irq;
# real machines rarely have LA57, and 4-level paging is what the stock
# kernels run on almost everywhere.
#
# The lockup and stall detectors are set for an emulated machine whose
# vCPUs a busy host may not run for many seconds while guest time goes on:
#   watchdog_thresh=60           soft lockup after 120-144 s without the
#                                watchdog thread running (default 20 s); a
#                                real spin with preemption off still
#                                reports "BUG: soft lockup"
#   rcupdate.rcu_cpu_stall_timeout=150
#                                RCU CPU stall after 150 s (default 21 s)
#   sysctl.kernel.hung_task_timeout_secs=300
#                                a task blocked uninterruptibly for 300 s
#                                (default 120 s) is reported; the longest
#                                legitimate wait, a KUnit case, is ~1 min
# log_buf_len=8M keeps a whole run's kernel log (the guest scans it after
# each test from a mark it writes through /dev/kmsg; printk.devkmsg=on so
# no mark is rate-limited away).
# Real hangs still fail: every lane also has its outer timeout, and any
# report of these detectors is a splat (LANE_SPLAT).
# secretmem.enable=1 gives 6.1 memfd_secret(2) (6.12 has it by default):
# the uapi test appends from memory whose pages cannot be pinned.
LANE_MACHINE=(-machine q35 -accel tcg -cpu "max,la57=off" -smp 2 -m 1024)
LANE_CMDLINE="console=ttyS0 panic=-1 watchdog_thresh=60 rcupdate.rcu_cpu_stall_timeout=150 sysctl.kernel.hung_task_timeout_secs=300 log_buf_len=8M printk.devkmsg=on secretmem.enable=1"
# The many-actor model run (src/clfs_model_kunit.c): its length and seed,
# for the guest's insmod of clfs_kunit.ko (tests/qemu/guest-init.sh).
[ -n "${CLFS_MODEL_OPS:-}" ] && LANE_CMDLINE+=" clfs_kunit.model_ops=$CLFS_MODEL_OPS"
[ -n "${CLFS_MODEL_SEED:-}" ] && LANE_CMDLINE+=" clfs_kunit.model_seed=$CLFS_MODEL_SEED"
# While working on one part: only the KUnit cases whose suite.case name
# matches this glob run (kunit.filter_glob; e.g. 'clfs_restart.*fill*').
[ -n "${CLFS_KUNIT_FILTER:-}" ] && LANE_CMDLINE+=" kunit.filter_glob=$CLFS_KUNIT_FILTER"

# lane_qemu LOGDIR INITRAMFS KERNEL TIMEOUT APPEND [QEMU ARGS...]: one boot
# under TCG, APPEND added to the kernel command line.  The guest's reset
# (reboot, sysrq b) or a panic ends QEMU (-no-reboot); so does TIMEOUT.
#
# A guest kernel that faults while it boots, before any clfs code has run
# (no line of clfs before the splat: not the module, its tests, nor the
# guest's init), is booted once more, its console kept as
# console-early-fault.log.  Seen once (2026-12-05): an int3 Oops in
# sched_clock_cpu() while the stock 6.12 kernel patched a static key at
# boot under TCG on two vCPUs, before the first module loaded.  A fault
# after clfs has run, or a second early one, fails the lane as before.
lane_qemu() {
	local logs=$1 initrd=$2 kernel=$3 timeout=$4 append=$5 rc try
	shift 5
	for try in 1 2; do
		rc=0
		rm -f "$logs/console.log" "$logs/results.log" "$logs/results.txt"
		timeout --foreground -k 10 "$timeout" qemu-system-x86_64 \
			-nodefaults -nographic -no-reboot -display none "${LANE_MACHINE[@]}" \
			-kernel "$kernel" -initrd "$initrd" \
			-append "$LANE_CMDLINE oops=panic panic_on_warn=1 loglevel=7${append:+ $append}" \
			-serial "file:$logs/console.log" -serial "file:$logs/results.log" \
			-monitor none "$@" </dev/null >"$logs/qemu.log" 2>&1 || rc=$?
		if [ $rc = 124 ] || [ $rc = 137 ]; then
			echo "    guest timed out after ${timeout}s" >>"$logs/qemu.log"
		fi
		if [ $try = 2 ] || ! lane_early_fault "$logs/console.log"; then
			break
		fi
		mv "$logs/console.log" "$logs/console-early-fault.log"
		echo "    the guest kernel faulted while booting, before any clfs code ran ($logs/console-early-fault.log): booting it once more"
	done
	return 0
}

# lane_early_fault CONSOLE: is there a splat before any line of clfs (the
# kernel command line aside)?
lane_early_fault() {
	awk -v splat="$LANE_SPLAT" '
	/[Cc]ommand line:/ { next }
	/clfs/ { seen = 1; exit }
	$0 ~ splat { found = 1; exit }
	END { exit !(found && !seen) }' "$1"
}

# lane_boot DIR KERNEL TIMEOUT [QEMU ARGS...]: boot the guest of DIR's
# initramfs once, or, when it holds reboot tests, twice with the same QEMU
# arguments (so the same disk images): boot 1 (clfs_boot=1 on the kernel
# command line, logs in DIR/boot1/) ends in the guest's crash, boot 2
# (clfs_boot=2, logs in DIR) is the run that finishes.  Each boot has the
# TIMEOUT (CLFS_GUEST_TIMEOUT, when set, overrides every lane's).
lane_boot() {
	local dir=$1 kernel=$2 timeout=${CLFS_GUEST_TIMEOUT:-$3} t0
	shift 3
	rm -rf "$dir/boot1"
	if [ ! -s "$dir/reboot-tests" ]; then
		lane_qemu "$dir" "$dir/initramfs.cpio.gz" "$kernel" "$timeout" "" "$@"
		return 0
	fi
	mkdir -p "$dir/boot1"
	t0=$(date +%s%N)
	lane_qemu "$dir/boot1" "$dir/initramfs.cpio.gz" "$kernel" "$timeout" \
		clfs_boot=1 "$@"
	printf '    boot 1 (reboot tests, then the crash): %ss\n' "$(since "$t0")"
	t0=$(date +%s%N)
	lane_qemu "$dir" "$dir/initramfs.cpio.gz" "$kernel" "$timeout" \
		clfs_boot=2 "$@"
	printf '    boot 2 (after the crash): %ss\n' "$(since "$t0")"
}

# lane_report DIR LABEL: print a line per test, add to LANE_PASSED and
# LANE_FAILED.  KTAP sections count one test per case.  Every name in
# LANE_EXPECT must have reported, in either boot.
lane_report() {
	local dir=$1 label=$2 t
	local seen=" "
	if [ -s "$dir/reboot-tests" ]; then
		lane_crash "$dir" "$label"
	fi
	lane_results "$dir" "$label"
	lane_ktap "$dir" "$label"
	for t in $LANE_EXPECT; do
		case "$seen" in
		*" $t "*) ;;
		*) printf '  FAIL  %s/%s (no result: guest died or hung)\n' "$label" "$t"
		   LANE_FAILED=$((LANE_FAILED + 1)) ;;
		esac
	done
	if ! grep -qx 'CLFS-GUEST-DONE' "$dir/results.txt"; then
		printf '  FAIL  %s: guest did not finish (crash, panic or timeout)\n' "$label"
		LANE_FAILED=$((LANE_FAILED + 1))
	fi
	lane_splat "$dir/console.log" "$label"
}

# lane_results DIR LABEL [WHY]: a line per RESULT of DIR/results.log (into
# DIR/results.txt without the CRs), each name added to lane_report's
# `seen`.  With WHY, a test that passed counts as failed, for that reason.
lane_results() {
	local dir=$1 label=$2 why=${3:-} line st name secs
	tr -d '\r' <"$dir/results.log" >"$dir/results.txt" 2>/dev/null || : >"$dir/results.txt"
	while read -r line; do
		case "$line" in
		"RESULT PASS "*|"RESULT FAIL "*)
			read -r _ st name secs _ <<<"$line"
			seen="$seen$name "
			if [ "$st" = PASS ] && [ -z "$why" ]; then
				printf '  PASS  %s/%s (%ss)\n' "$label" "$name" "$secs"
				LANE_PASSED=$((LANE_PASSED + 1))
			else
				printf '  FAIL  %s/%s (%ss%s)\n' "$label" "$name" "$secs" "${why:+; $why}"
				LANE_FAILED=$((LANE_FAILED + 1))
			fi ;;
		esac
	done <"$dir/results.txt"
}

# lane_crash DIR LABEL: boot 1 of a reboot pair (logs in DIR/boot1) must
# have reached the crash point (CLFS-GUEST-CRASH HOW, after every first
# phase returned) and then reset; that is the test reboot/crash.  Otherwise
# every first phase fails too: what it left on the disk was not put to the
# test of a crash.
lane_crash() {
	local b1=$1/boot1 label=$2 why='' how
	tr -d '\r' <"$b1/results.log" 2>/dev/null >"$b1/crash.txt" || : >"$b1/crash.txt"
	how=$(sed -n 's/^CLFS-GUEST-CRASH //p' "$b1/crash.txt")
	if [ -z "$how" ]; then
		why="the guest did not reach the crash point"
	elif grep -qx 'CLFS-GUEST-NO-CRASH' "$b1/crash.txt"; then
		why="$how did not reset the guest"
	elif grep -q 'timed out' "$b1/qemu.log" 2>/dev/null; then
		why="the guest hung at the crash point"
	fi
	lane_results "$b1" "$label" "$why"
	if [ -n "$why" ]; then
		printf '  FAIL  %s/reboot/crash (%s; look at: %s)\n' "$label" "$why" \
			"$b1/console.log"
		LANE_FAILED=$((LANE_FAILED + 1))
	else
		printf '  PASS  %s/reboot/crash (boot 1 reset at the crash point: %s)\n' \
			"$label" "$how"
		LANE_PASSED=$((LANE_PASSED + 1))
	fi
	lane_splat "$b1/console.log" "$label (boot 1)"
}

# lane_splat CONSOLE LABEL: a kernel splat anywhere on CONSOLE fails.
lane_splat() {
	if grep -E "$LANE_SPLAT" "$1" >/dev/null 2>&1; then
		printf '  FAIL  %s: kernel splat on the console:\n' "$2"
		grep -m 5 -E "$LANE_SPLAT" "$1" | sed 's/^/        /'
		LANE_FAILED=$((LANE_FAILED + 1))
	fi
}

# Any of these in a kernel log fails the run; the guest checks its log
# after each test with the same pattern, and the host the whole console.
LANE_SPLAT='WARNING:|BUG:|Oops|general protection|Call Trace:|Kernel panic|KASAN|UBSAN|kernel BUG|possible recursive locking|possible circular locking|inconsistent lock state|suspicious RCU usage|sleeping function called from invalid context|unreferenced object'

# lane_ktap DIR LABEL: every KTAP test case between KTAP-BEGIN/KTAP-END
# markers (4-space indent: cases of a suite) is one test; parameterised
# sub-cases fail their case.  A skip counts as a failure: no check may be
# skipped in this lane.
lane_ktap() {
	local dir=$1 label=$2 out
	out=$(awk '
	/^KTAP-BEGIN / { suite = $2; inside = 1; next }
	/^KTAP-END/ { inside = 0; next }
	!inside { next }
	/^    (not )?ok [0-9]+ / {
		line = $0; sub(/^    /, "", line)
		name = line; sub(/^(not )?ok [0-9]+ /, "", name); sub(/ #.*/, "", name)
		bad = (line ~ /^not ok/ || line ~ /# SKIP/)
		printf "%s %s.%s\n", bad ? "FAIL" : "PASS", suite, name
	}
	/^not ok [0-9]+ / { printf "FAIL %s.(suite)\n", suite }' "$dir/results.txt")
	[ -n "$out" ] || return 0
	while read -r st name; do
		printf '  %s  %s/%s\n' "$st" "$label" "$name"
		if [ "$st" = PASS ]; then
			LANE_PASSED=$((LANE_PASSED + 1))
		else
			LANE_FAILED=$((LANE_FAILED + 1))
		fi
	done <<<"$out"
}

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/demo.sh (`make demo`): clfs end to end, in one command.
#
# Sets up what it needs (scripts/setup.sh), builds clfs.ko for Debian's
# stock 6.12 kernel and the tools, then boots that kernel under QEMU (TCG)
# with a virtio-blk disk, twice:
#
#   boot 1  create a log on /dev/vda, append records, write a checkpoint
#           restart area that moves the base LSN, append more; then the
#           host kills QEMU (SIGKILL: no shutdown, nothing closed)
#   boot 2  open the log (recovery), show it, its restart area and the
#           records after it
#
# and finally dumps the disk image offline on the host with clfsctl,
# without the module.  The guest side is scripts/demo-guest.sh; its output
# is printed as it happens.  Files: build/demo/ (console.log: the guest
# kernel's console).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=../tests/qemu/lane.sh
. "$CLFS_TOP/tests/qemu/lane.sh"
cd "$CLFS_TOP"

dir=$CLFS_TOP/build/demo
t_start=$(date +%s)

stage "set-up: packages (scripts/setup.sh)"
scripts/setup.sh | sed 's/^/    /'

k=$(stock_kernel 6.12)
stage "build: clfs.ko for $k, clfsctl"
run_logged "$dir.build.log" make modules KDIR="/lib/modules/$k/build"
run_logged "$dir.tools.log" make -C tools

stage "guest: initramfs (busybox, clfs.ko, clfsctl, virtio and crc32c modules)"
mkdir -p "$dir"
root=$dir/root
rm -rf "$root"
mkdir -p "$root"/{bin,clfs}
cp /bin/busybox "$root/bin/busybox"
cp scripts/demo-guest.sh "$root/init"
chmod +x "$root/init"
cp tools/clfsctl/clfsctl "$root/bin/clfsctl"
cp "build/$k/clfs.ko" "$root/clfs/"
lane_stock_modules "$root" "$k" virtio_pci virtio_blk crc32c_generic libcrc32c
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$dir/initramfs.cpio.gz"
rm -f "$dir/disk.img"
truncate -s 64M "$dir/disk.img"
echo "    disk: $dir/disk.img (64 MiB, the guest's /dev/vda)"

# boot N: run the guest with demo_boot=N; its demo output (ttyS1) is shown
# as it comes.  Boot 1 is killed as soon as it reports DEMO-KILL-ME.
boot() {
	local n=$1 out qpid
	out=$dir/boot$n.out
	: >"$out"
	qemu-system-x86_64 -nodefaults -nographic -display none -no-reboot \
		"${LANE_MACHINE[@]}" \
		-kernel "/boot/vmlinuz-$k" -initrd "$dir/initramfs.cpio.gz" \
		-append "$LANE_CMDLINE quiet demo_boot=$n" \
		-drive "file=$dir/disk.img,if=virtio,format=raw" \
		-serial "file:$dir/console$n.log" -serial "file:$out" \
		-monitor none </dev/null >"$dir/qemu$n.log" 2>&1 &
	qpid=$!
	disown "$qpid"		# its SIGKILL is the plan, not news
	tail -n +1 -f --pid=$qpid "$out" 2>/dev/null |
	while IFS= read -r line; do
		line=${line%$'\r'}
		case "$line" in
		DEMO-KILL-ME)
			echo "    [host] killing QEMU (SIGKILL): no shutdown, no close, no sync"
			kill -KILL "$qpid" 2>/dev/null || true ;;
		DEMO-DONE) kill "$qpid" 2>/dev/null || true ;;
		*) echo "    $line" ;;
		esac
	done &
	local tpid=$!
	local waited=0
	while kill -0 "$qpid" 2>/dev/null; do
		sleep 1
		waited=$((waited + 1))
		if [ "$waited" -ge 300 ]; then
			kill -KILL "$qpid" 2>/dev/null || true
			die "boot $n timed out" "$dir/console$n.log"
		fi
	done
	wait "$tpid" 2>/dev/null || true
	grep -q "DEMO-FAILED" "$out" && die "boot $n failed" "$dir/console$n.log"
	return 0
}

stage "boot 1: create a log, append, checkpoint with a base move, append more, then kill the guest"
boot 1
grep -q DEMO-KILL-ME "$dir/boot1.out" ||
	die "boot 1 did not reach the kill point" "$dir/console1.log"

stage "boot 2: open the log (recovery), show the restart area and the records after it"
boot 2
grep -q DEMO-DONE "$dir/boot2.out" || die "boot 2 did not finish" "$dir/console2.log"

stage "host: the disk image offline, without the module (clfsctl dump)"
tools/clfsctl/clfsctl dump "$dir/disk.img" | sed 's/^/    /'
stage_end
echo "demo finished in $(($(date +%s) - t_start))s; files in $dir"

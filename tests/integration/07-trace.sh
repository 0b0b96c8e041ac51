# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh source-path=SCRIPTDIR # busybox ash in the guest
# Real crash traces (tests/uapi/clfs_trace.c): a log on dm-log-writes, 320
# acknowledgements with a mark after each, then the trace replayed entry by
# entry onto a fresh image; at every write and every flush point the
# offline reader must find an exact prefix of what was appended holding
# everything acknowledged, and so must the module at every 16th point.
# Loop devices over tmpfs files are the disks.
# shellcheck source=../qemu/guest-lib.sh # installed as /tests/lib.sh
. /tests/lib.sh

data=/tmp/trace-data.img
logf=/tmp/trace-log.img
image=/tmp/trace-image.img
scratch=/tmp/trace-scratch.img
manifest=/tmp/trace.manifest
for f in "$data" "$image" "$scratch"; do
	rm -f "$f"
	truncate -s 8M "$f"
done
rm -f "$logf"
truncate -s 96M "$logf"
dd=$(loop_attach "$data")
dl=$(loop_attach "$logf")
ds=$(loop_attach "$scratch")
set +e
clfs_trace record -s "${CLFS_TRACE_SEED:-20261203}" -n 320 "$dd" "$dl" "$manifest"
st=$?
set -e
losetup -d "$dd"
losetup -d "$dl"
[ "$st" = 0 ] || { losetup -d "$ds"; fail "clfs_trace record: $st failures"; }
set +e
clfs_trace replay -k 16 "$logf" "$manifest" "$image" "$ds"
st=$?
set -e
losetup -d "$ds"
rm -f "$data" "$logf" "$image" "$scratch" "$manifest"
[ "$st" = 0 ] || fail "clfs_trace replay: $st failures"
echo "ok: clfs_trace"

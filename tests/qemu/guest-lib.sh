# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh # busybox ash in the guest
# Helpers for tests/integration/*.sh inside the QEMU guest (installed as
# /tests/lib.sh).  A failed check prints what was expected and exits 1.

fail() {
	echo "FAIL: $*"
	exit 1
}

# expect_eq GOT WANT WHAT
expect_eq() {
	[ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"
	echo "ok: $3"
}

# expect_status STATUS CMD...: CMD must exit with STATUS; its stdout and
# stderr are left in /tmp/out and /tmp/err.
expect_status() {
	# shellcheck disable=SC3043 # local: not POSIX, but busybox ash has it
	local want="$1" st
	shift
	set +e
	"$@" >/tmp/out 2>/tmp/err
	st=$?
	set -e
	[ "$st" = "$want" ] || fail "'$*' exited $st, want $want: $(cat /tmp/err)"
	echo "ok: '$*' exits $want"
}

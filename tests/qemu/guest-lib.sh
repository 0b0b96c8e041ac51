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

# loop_attach FILE [LOSETUP OPTIONS...]: attach FILE to a free loop
# device and print its name; on failure say why on stderr (the caller's
# $(...) takes stdout) and fail: under sh -e the assignment ends the test.
loop_attach() {
	# shellcheck disable=SC3043 # local: not POSIX, but busybox ash has it
	local d f="$1"
	shift
	d=$(losetup -f) || { echo "FAIL: no free loop device for $f" >&2; return 1; }
	losetup "$@" "$d" "$f" || { echo "FAIL: losetup $* $d $f" >&2; return 1; }
	echo "$d"
}

# with_loops "SIZE..." CMD [ARG...]: a fresh tmpfs file and loop device per
# SIZE, CMD ARG... run with the devices added as its last arguments, then
# the devices detached and the files removed.  CMD must exit 0; the test
# programs of tests/uapi exit with their number of failures.
with_loops() {
	# shellcheck disable=SC3043 # local: not POSIX, but busybox ash has it
	local sizes="$1" s i=0 f d devs="" files="" st
	shift
	for s in $sizes; do
		i=$((i + 1))
		f=/tmp/with-loops$i.img
		rm -f "$f"
		truncate -s "$s" "$f"
		files="$files $f"
		d=$(loop_attach "$f")
		devs="$devs $d"
	done
	set +e
	# shellcheck disable=SC2086 # one argument per device
	"$@" $devs
	st=$?
	set -e
	for d in $devs; do
		losetup -d "$d"
	done
	# shellcheck disable=SC2086 # one argument per file
	rm -f $files
	[ "$st" = 0 ] || fail "$1: exit status $st"
	echo "ok: $*"
}

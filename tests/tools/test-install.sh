#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host test of "make -C tools install": installs into a scratch DESTDIR
# with PREFIX=/usr, checks every installed file, then builds a small C and
# a small C++ program against the installed tree only, through pkg-config
# (PKG_CONFIG_SYSROOT_DIR and PKG_CONFIG_LIBDIR point into the scratch
# tree), linked statically and dynamically, and runs them: they check
# clfs_strerror() and clfs_errno_name(), the LSN helpers of
# <linux/clfs.h>, and clfs_open_control(), which must give -ENOENT when
# /dev/clfs does not exist and a descriptor that answers
# CLFS_IOC_VERSION when it does.  Also: libclfs.h compiles alone in C and
# C++ with -Wall -Wextra -Werror, the shared library's soname and exports,
# and that "make uninstall" removes every file.  Needs no module and no
# root.  Prints each step; on failure one line starting "test-install:
# FAIL" and exit status 1.
set -u

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clfs-install.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
CC=${CC:-gcc}
CXX=${CXX:-g++}

step() { echo "test-install: $*"; }
die() { echo "test-install: FAIL: $*" >&2; exit 1; }
pc() {
	PKG_CONFIG_SYSROOT_DIR=$root PKG_CONFIG_LIBDIR=$root/usr/lib/pkgconfig \
		PKG_CONFIG_PATH='' pkg-config "$@"
}

step "make install DESTDIR=$root PREFIX=/usr"
make -s -C "$here/../../tools" install DESTDIR="$root" PREFIX=/usr >"$tmp/make.log" 2>&1 ||
	die "make install failed: $(tail -n 1 "$tmp/make.log")"

step "installed files"
for f in bin/clfsctl lib/libclfs.a lib/libclfs.so lib/libclfs.so.0 \
	 include/libclfs.h include/linux/clfs.h include/linux/clfs_lsn.h \
	 include/linux/clfs_format.h lib/pkgconfig/libclfs.pc \
	 share/man/man8/clfsctl.8; do
	[ -e "$root/usr/$f" ] || die "/usr/$f was not installed"
done
for f in etc/udev/rules.d/60-clfs.rules etc/modules-load.d/clfs.conf; do
	[ -f "$root/$f" ] || die "/$f was not installed"
done
grep -qx 'KERNEL=="clfs", SUBSYSTEM=="misc", MODE="0666"' \
	"$root/etc/udev/rules.d/60-clfs.rules" || die "the udev rule does not name /dev/clfs"
grep -qx clfs "$root/etc/modules-load.d/clfs.conf" ||
	die "the modules-load.d entry does not name clfs"
[ -x "$root/usr/bin/clfsctl" ] || die "clfsctl is not executable"
readelf -d "$root/usr/lib/libclfs.so.0" 2>/dev/null |
	grep -q 'SONAME.*\[libclfs\.so\.0\]' || die "libclfs.so.0 has no soname libclfs.so.0"
exports=$(nm -D --defined-only "$root/usr/lib/libclfs.so.0" | awk '$2 == "T" { print $3 }' |
	  sed 's/@.*//' | sort)
echo "$exports" | grep -qv '^clfs_' && die "libclfs.so exports more than clfs_*: $(echo "$exports" | grep -v '^clfs_' | head -n 1)"
echo "$exports" | grep -qx clfs_read_log_record || die "libclfs.so does not export clfs_read_log_record"
file -L "$root/usr/bin/clfsctl" | grep -q 'statically linked' || die "clfsctl is not statically linked"
"$root/usr/bin/clfsctl" lsn decode 0x100000203 | grep -qx \
	'lsn 0x0000000100000203: container 1, block offset 0x200, record 3 (valid)' ||
	die "the installed clfsctl does not decode an LSN"

step "pkg-config --cflags --libs libclfs"
cflags=$(pc --cflags libclfs) || die "pkg-config does not find libclfs.pc"
libs=$(pc --libs libclfs) || die "pkg-config --libs libclfs failed"
slibs=$(pc --libs --static libclfs) || die "pkg-config --libs --static libclfs failed"
echo "    cflags: $cflags"
echo "    libs: $libs; static: $slibs"
[ "$(pc --modversion libclfs)" = "$(awk '$2 ~ /^CLFS_VERSION_(MAJOR|MINOR|PATCH)$/ { v = v s $3; s = "." } END { print v }' \
	"$root/usr/include/linux/clfs.h")" ] || die "libclfs.pc's version is not CLFS_VERSION_*"

step "libclfs.h compiles alone (C and C++, -Wall -Wextra -Werror)"
printf '#include <libclfs.h>\n' >"$tmp/alone.c"
# shellcheck disable=SC2086
$CC -Wall -Wextra -Werror -fsyntax-only $cflags "$tmp/alone.c" ||
	die "libclfs.h does not compile alone in C"
# shellcheck disable=SC2086
$CC -std=c99 -pedantic -Wall -Wextra -Werror -fsyntax-only $cflags "$tmp/alone.c" ||
	die "libclfs.h does not compile alone in C99 -pedantic"
# shellcheck disable=SC2086
$CXX -x c++ -Wall -Wextra -Werror -fsyntax-only $cflags "$tmp/alone.c" ||
	die "libclfs.h does not compile alone in C++"

if [ -e /dev/clfs ]; then
	want=present
	step "/dev/clfs exists: the programs expect CLFS_IOC_VERSION to answer"
else
	want=absent
	step "/dev/clfs does not exist: the programs expect -ENOENT"
fi

cat >"$tmp/prog.c" <<'EOF'
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <libclfs.h>
#include <linux/clfs.h>

int main(int argc, char **argv)
{
	struct clfs_record_info rec;
	struct clfs_version v;
	int fd;

	(void)argc;
	memset(&rec, 0, sizeof(rec));
	if (strcmp(clfs_strerror(-EUCLEAN), "corrupt log structure") ||
	    strcmp(clfs_strerror(-ENODATA), "no restart area") ||
	    strcmp(clfs_strerror(-ERANGE), "buffer too small for the record") ||
	    strcmp(clfs_errno_name(-ENOSPC), "ENOSPC")) {
		puts("C: clfs_strerror/clfs_errno_name");
		return 1;
	}
	if (clfs_lsn_make(1, 512, 2) != 0x100000202ULL) {
		puts("C: clfs_lsn_make");
		return 1;
	}
	fd = clfs_open_control();
	if (!strcmp(argv[1], "absent")) {
		if (fd != -ENOENT) {
			printf("C: clfs_open_control() = %d, want -ENOENT\n", fd);
			return 1;
		}
		printf("C: ok (%s)\n", clfs_strerror(fd));
		return 0;
	}
	if (fd < 0 || clfs_get_version(fd, &v)) {
		printf("C: /dev/clfs: %s\n", clfs_strerror(fd));
		return 1;
	}
	clfs_close(fd);
	printf("C: ok (module %u.%u.%u)\n", v.major, v.minor, v.patch);
	return 0;
}
EOF
cat >"$tmp/prog.cc" <<'EOF'
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <libclfs.h>

int main(int argc, char **argv)
{
	struct clfs_log_info info;
	int fd = clfs_open_control();

	(void)argc;
	std::memset(&info, 0, sizeof(info));
	if (std::strcmp(clfs_errno_name(-EUCLEAN), "EUCLEAN") ||
	    clfs_lsn_next_container(CLFS_LSN_NULL) != (1ULL << 32) ||
	    clfs_query_log_file_information(-1, &info) != -EBADF) {
		std::puts("C++: libclfs calls");
		return 1;
	}
	if (!std::strcmp(argv[1], "absent") ? fd != -ENOENT : fd < 0) {
		std::printf("C++: clfs_open_control() = %d (%s)\n", fd,
			    clfs_strerror(fd));
		return 1;
	}
	clfs_close(fd);
	std::puts("C++: ok");
	return 0;
}
EOF

for lang in c cc; do
	cc=$CC
	[ $lang = cc ] && cc=$CXX
	step "build and run prog.$lang, static"
	# shellcheck disable=SC2086
	$cc -Wall -Wextra -Werror -static -o "$tmp/prog-$lang-static" \
		"$tmp/prog.$lang" $cflags $slibs 2>"$tmp/cc.log" ||
		die "prog.$lang does not build statically: $(head -n 1 "$tmp/cc.log")"
	file "$tmp/prog-$lang-static" | grep -q 'statically linked' ||
		die "prog-$lang-static is not statically linked"
	"$tmp/prog-$lang-static" $want || die "prog-$lang-static failed"

	step "build and run prog.$lang, dynamic"
	# shellcheck disable=SC2086
	$cc -Wall -Wextra -Werror -o "$tmp/prog-$lang-dynamic" \
		"$tmp/prog.$lang" $cflags $libs 2>"$tmp/cc.log" ||
		die "prog.$lang does not build dynamically: $(head -n 1 "$tmp/cc.log")"
	LD_LIBRARY_PATH=$root/usr/lib ldd "$tmp/prog-$lang-dynamic" |
		grep -q "libclfs.so.0 => $root/usr/lib/libclfs.so.0" ||
		die "prog-$lang-dynamic does not load the installed libclfs.so.0"
	LD_LIBRARY_PATH=$root/usr/lib "$tmp/prog-$lang-dynamic" $want ||
		die "prog-$lang-dynamic failed"
done

step "the installed man page renders"
if command -v groff >/dev/null 2>&1; then
	groff -man -Tutf8 -ww -z "$root/usr/share/man/man8/clfsctl.8" 2>"$tmp/groff.log" ||
		die "groff fails on clfsctl.8"
	[ ! -s "$tmp/groff.log" ] || die "groff warns on clfsctl.8: $(head -n 1 "$tmp/groff.log")"
else
	echo "    (no groff: skipped)"
fi

step "make uninstall DESTDIR=$root PREFIX=/usr"
make -s -C "$here/../../tools" uninstall DESTDIR="$root" PREFIX=/usr >"$tmp/make.log" 2>&1 ||
	die "make uninstall failed: $(tail -n 1 "$tmp/make.log")"
left=$(find "$root" ! -type d | head -n 1)
[ -z "$left" ] || die "make uninstall left ${left#"$root"}"

step "passed"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/dkms.sh COMMAND: clfs.ko through DKMS (dkms.conf at the top).
#
#   check                 dkms.conf's version is the module's
#                         (CLFS_VERSION_* of include/uapi/linux/clfs.h) and every
#                         file the DKMS source needs is in the tree
#   build DIR KVER        add and build the module for kernel KVER in a
#                         private DKMS tree under DIR (no root needed, the
#                         system's DKMS untouched); prints the built
#                         module's path on its last line
#   install               (root) the sources to /usr/src/clfs-VERSION,
#                         `dkms add`, and `dkms install` for every kernel
#                         with headers in /lib/modules/*/build; DKMS
#                         rebuilds it on each kernel upgrade
#   uninstall             (root) `dkms remove --all` and the sources
#
# The DKMS source is the part of the tree that `make modules` reads, and
# nothing else (DKMS_SOURCES below).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

DKMS_SOURCES=(Makefile dkms.conf src include scripts/lib.sh scripts/packages
	      scripts/build-module.sh scripts/kcompat.sh scripts/kdir.sh)

# dkms_version: PACKAGE_VERSION of dkms.conf.
dkms_version() {
	sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$CLFS_TOP/dkms.conf"
}

# module_version: CLFS_VERSION_MAJOR.MINOR.PATCH of include/uapi/linux/clfs.h.
module_version() {
	awk '$1 == "#define" && $2 ~ /^CLFS_VERSION_(MAJOR|MINOR|PATCH)$/ {
		v = v s $3; s = "." } END { print v }' "$CLFS_TOP/include/uapi/linux/clfs.h"
}

# stage_sources DEST: a clean copy of the DKMS source in DEST.
stage_sources() {
	local dest=$1 f
	rm -rf "$dest"
	mkdir -p "$dest"
	for f in "${DKMS_SOURCES[@]}"; do
		mkdir -p "$dest/$(dirname "$f")"
		cp -a "$CLFS_TOP/$f" "$dest/$f"
	done
}

cmd_check() {
	local v m f
	v=$(dkms_version)
	m=$(module_version)
	[ -n "$v" ] || die "dkms.conf has no PACKAGE_VERSION" "$CLFS_TOP/dkms.conf"
	[ "$v" = "$m" ] ||
		die "dkms.conf's PACKAGE_VERSION $v is not the module's version $m" \
			"$CLFS_TOP/dkms.conf, include/uapi/linux/clfs.h"
	for f in "${DKMS_SOURCES[@]}"; do
		[ -e "$CLFS_TOP/$f" ] || die "DKMS source $f is missing" "$0"
	done
	echo "dkms.conf: clfs $v, ${#DKMS_SOURCES[@]} source paths present"
}

cmd_build() {
	local dir=$1 kver=$2 v tree src ko
	v=$(dkms_version)
	[ -d "/lib/modules/$kver/build" ] || die "no headers for $kver" "/lib/modules/$kver"
	tree=$dir/$kver/tree
	src=$dir/$kver/src
	rm -rf "${dir:?}/$kver"
	mkdir -p "$tree" "$src"
	stage "dkms: sources of clfs $v"
	stage_sources "$src/clfs-$v"
	stage "dkms: add"
	dkms add --dkmstree "$tree" --sourcetree "$src" -m clfs -v "$v"
	stage "dkms: build for $kver"
	CLFS_LOOK_AT="$tree/clfs/$v/build/make.log"
	dkms build --dkmstree "$tree" --sourcetree "$src" -m clfs -v "$v" -k "$kver"
	stage_end
	ko=$(find "$tree/clfs/$v/$kver" -path '*/module/clfs.ko*' -print -quit)
	[ -n "$ko" ] || die "dkms build left no clfs.ko" "$tree/clfs/$v/$kver"
	echo "$ko"
}

cmd_install() {
	local v k n=0
	local -a builds
	[ "$(id -u)" = 0 ] || die "dkms install needs root"
	command -v dkms >/dev/null || die "dkms is not installed (scripts/setup.sh)"
	v=$(dkms_version)
	# A clean slate: DKMS reuses a module it has built once, so an install
	# of changed sources under the same version must remove the old one.
	if [ -n "$(dkms status -m clfs -v "$v")" ]; then
		stage "dkms: remove the installed clfs/$v"
		dkms remove -m clfs -v "$v" --all
	fi
	stage "dkms: sources to /usr/src/clfs-$v"
	stage_sources "/usr/src/clfs-$v"
	stage "dkms: add clfs/$v"
	dkms add -m clfs -v "$v"
	shopt -s nullglob
	builds=(/lib/modules/*/build)
	shopt -u nullglob
	for k in "${builds[@]}"; do
		k=${k%/build}
		k=${k##*/}
		stage "dkms: install clfs/$v for $k"
		CLFS_LOOK_AT="/var/lib/dkms/clfs/$v/build/make.log"
		dkms install -m clfs -v "$v" -k "$k"
		n=$((n + 1))
	done
	stage_end
	[ "$n" -gt 0 ] || die "no kernel headers in /lib/modules/*/build to build for"
	dkms status -m clfs
}

cmd_uninstall() {
	local v
	[ "$(id -u)" = 0 ] || die "dkms uninstall needs root"
	v=$(dkms_version)
	if [ -n "$(dkms status -m clfs -v "$v")" ]; then
		stage "dkms: remove clfs/$v from every kernel"
		dkms remove -m clfs -v "$v" --all
	fi
	rm -rf "/usr/src/clfs-$v"
	stage_end
	echo "dkms: clfs/$v removed"
}

case "${1:-}" in
check) cmd_check ;;
build) [ $# = 3 ] || die "usage: $0 build DIR KVER"; cmd_build "$2" "$3" ;;
install) cmd_install ;;
uninstall) cmd_uninstall ;;
*) die "usage: $0 check | build DIR KVER | install | uninstall" ;;
esac

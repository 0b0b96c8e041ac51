#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/unit/packages.sh: would a Debian 12 machine with nothing installed
# get every package scripts/setup.sh asks for, from the archive as it is
# today?  Catches archive drift (a metapackage whose kernel has no image
# yet, a package dropped or renamed) before a user meets it.
#
# apt-get simulates the install against an empty dpkg status (so apt
# resolves every dependency as for a machine with nothing, whatever this
# one has).  Fails, naming the package, when anything has no installation
# candidate or cannot be resolved, and when a stock kernel's image and
# headers would not be of one version.  As root it refreshes the package
# lists first (apt-get update); otherwise it uses the lists as they are.
#
# With --self-test it also checks that a list holding a package the
# archive lacks is refused with that package's name.
# shellcheck source=../../scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# simulate NAME LIST: simulate installing LIST's packages on an empty
# machine; print one "FAIL: ..." line per problem, "ok: ..." otherwise.
simulate() {
	local name=$1 list=$2 out=$tmp/$1.out pkgs s re img hdr named rc=0
	mapfile -t pkgs < <(CLFS_PACKAGE_LIST=$list clfs_packages)
	: >"$tmp/status"
	if ! apt-get install -s -q --no-install-recommends \
		-o Dir::State::status="$tmp/status" "${pkgs[@]}" >"$out" 2>&1; then
		named=$(sed -n -e "s/^E: Package '\(.*\)' has no installation candidate/FAIL: \1: no installation candidate/p" \
			-e 's/^E: Unable to locate package \(.*\)/FAIL: \1: not in the archive/p' \
			-e 's/^ *\([^ ]*\) : Depends: \(.*\) but it is not \(installable\|going to be installed\)/FAIL: \1: depends on \2, which cannot be installed/p' \
			"$out")
		if [ -n "$named" ]; then
			echo "$named"
		else
			sed -n 's/^E: \(.*\)/FAIL: apt: \1/p' "$out"
		fi
		return 1
	fi
	# Each stock kernel's image and headers: one version.
	for s in $CLFS_STOCK_SERIES; do
		re=$(stock_release_re "$s")
		img=$(sed -En "s/^Inst linux-image-($re) .*/\1/p" "$out")
		hdr=$(sed -En "s/^Inst linux-headers-($re) .*/\1/p" "$out")
		if [ -z "$img" ] || [ "$img" != "$hdr" ]; then
			echo "FAIL: the $s kernel: image '${img:-none}', headers '${hdr:-none}'"
			rc=1
		else
			echo "ok: $name: the $s kernel would be $img (image and headers)"
		fi
	done
	[ $rc = 0 ] && echo "ok: $name: all ${#pkgs[@]} packages and $(grep -c '^Inst ' "$out") with their dependencies are installable"
	return $rc
}

if [ "$(id -u)" = 0 ]; then
	apt-get update -q >"$tmp/update.log" 2>&1 ||
		die "apt-get update: $(grep -m 1 '^E: ' "$tmp/update.log" || tail -n 1 "$tmp/update.log")"
fi

rc=0
simulate packages "$CLFS_TOP/scripts/packages" || rc=1

if [ "${1:-}" = --self-test ]; then
	{ cat "$CLFS_TOP/scripts/packages"; echo clfs-no-such-package; } >"$tmp/broken"
	if out=$(simulate broken "$tmp/broken"); then
		echo "FAIL: self-test: a list with clfs-no-such-package was accepted"
		rc=1
	elif grep -q '^FAIL: clfs-no-such-package: ' <<<"$out"; then
		echo "ok: self-test: a package the archive lacks is named: $(grep -m 1 '^FAIL' <<<"$out")"
	else
		echo "FAIL: self-test: the refusal did not name clfs-no-such-package: $out"
		rc=1
	fi
fi
exit $rc

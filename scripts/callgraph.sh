#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# callgraph.sh BUILDDIR: the engine's calls between files go one way.
#
# Reads the call graphs that gcc writes with -fcallgraph-info (one .ci file
# per object, VCG text) for the objects of clfs.ko in BUILDDIR (a module
# build of src/, see scripts/build-module.sh CALLGRAPH=1), and the quoted
# #includes of the sources there.  Prints every call from one file into a
# function defined in another (CALLER -> CALLEE: functions).  The rule:
# src/Kbuild lists the objects by layer, bottom first, and a file calls
# only into files listed before it.  Fails naming every call against that
# order, and the files of any circle of calls or of includes.  Calls through function pointers (bio end_io,
# work items, file operations) are not in the graph: they are the
# kernel's calls into the module, not the module's calls between files.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

dir=${1:?usage: callgraph.sh BUILDDIR}
mapfile -t objs < <(sed -n 's/^clfs-y.*:= *//p; s/^\t  *//p' "$CLFS_TOP/src/Kbuild" |
	sed -n '/clfs_kunit/q; p' | tr -s " \\\\" '\n' | sed -n 's/\.o$//p')
[ "${#objs[@]}" -gt 0 ] || die "no objects of clfs.ko found in src/Kbuild" "$CLFS_TOP/src/Kbuild"
cis=()
for o in "${objs[@]}"; do
	[ -f "$dir/$o.ci" ] || die "no call graph $dir/$o.ci (build with CALLGRAPH=1)" "$dir"
	cis+=("$dir/$o.ci")
done

# edges: "caller-file callee-file function", one per cross-file call.
edges=$(awk '
FNR == 1 { f = FILENAME; sub(/.*\//, "", f); sub(/\.ci$/, "", f) }
/^node:/ && !/shape : ellipse/ {
	match($0, /title: "[^"]*"/); def[substr($0, RSTART + 8, RLENGTH - 9)] = f
}
/^edge:/ {
	match($0, /sourcename: "[^"]*"/); s = substr($0, RSTART + 13, RLENGTH - 14)
	match($0, /targetname: "[^"]*"/); t = substr($0, RSTART + 13, RLENGTH - 14)
	n++; et[n] = t; ef[n] = f
}
END {
	for (i = 1; i <= n; i++)
		if ((et[i] in def) && def[et[i]] != ef[i])
			print ef[i], def[et[i]], et[i]
}' "${cis[@]}" | sort -u)

echo "calls between files (caller -> callee: functions):"
awk '{ k = $1 " -> " $2; if (!(k in f)) o[++n] = k; f[k] = f[k] " " $3 }
     END { for (i = 1; i <= n; i++) print "  " o[i] ":" f[o[i]] }' <<<"$edges"

# includes: "includer included" for the quoted includes of src/.
incs=$(cd "$CLFS_TOP/src" && grep -H '^#include "' -- *.c *.h format/*.[ch] compat/*.h |
	grep -v '_kunit\.c:\|format/clfs_format_shared\.c:' |
	sed 's/:#include "\(.*\)"$/ \1/' | while read -r a b; do
		echo "$(basename "$a") $(basename "$b")"
	done)

# Against the layer order: a call into a file listed later in src/Kbuild,
# or an include of the header of such a file (clfs_ring.h is clfs_ring.c's).
up=$(awk -v order="${objs[*]##*/}" '
	BEGIN { n = split(order, o, " "); for (i = 1; i <= n; i++) rank[o[i]] = i }
	rank[$2] > rank[$1] { print "  " $1 " -> " $2 ": " $3 }' <<<"$edges")
up+=$(awk -v order="${objs[*]##*/}" '
	BEGIN { n = split(order, o, " "); for (i = 1; i <= n; i++) rank[o[i]] = i }
	$2 == "clfs_log.h" { next }	# the shared object definitions
	{ a = $1; b = $2; sub(/\.[ch]$/, "", a); sub(/\.h$/, "", b) }
	(a in rank) && (b in rank) && rank[b] > rank[a] { print "  " $1 " includes " $2 }' <<<"$incs")

# tsort prints a loop's members on stderr and exits non-zero.
tsort <<<"$(awk '{ print $2, $1 }' <<<"$edges")" >/dev/null 2>"$dir/callgraph-loop.txt" || true
if [ -n "$up" ] || [ -s "$dir/callgraph-loop.txt" ]; then
	if [ -n "$up" ]; then
		echo "FAIL: calls or includes into a later layer (src/Kbuild lists the layers, bottom first):"
		echo "$up"
	fi
	if [ -s "$dir/callgraph-loop.txt" ]; then
		echo "FAIL: a circle of calls between these files:"
		sed -n 's/^tsort: //p' "$dir/callgraph-loop.txt" |
			grep -v 'input contains a loop' | sed 's/^/  /'
	fi
	die "calls between engine files go against the layers (see above)" "$CLFS_TOP/src/Kbuild"
fi
echo "layers, bottom first (src/Kbuild): ${objs[*]##*/}"
if ! tsort <<<"$incs" >/dev/null 2>"$dir/include-loop.txt"; then
	echo "FAIL: a circle of includes between these files:"
	sed -n 's/^tsort: //p' "$dir/include-loop.txt" | grep -v 'input contains a loop' | sed 's/^/  /'
	die "includes between engine files go in a circle (see above)" "$dir/include-loop.txt"
fi
echo "callgraph: ${#objs[@]} files, $(wc -l <<<"$edges") cross-file calls, all into earlier layers; no circle of calls or includes"

#!/bin/sh
# SPDX-License-Identifier: ISC
# build-alone.sh DIR TARGET... - each program builds by itself on a
# freshly configured tree: none relies on a file that only another
# target's build, or make's dependency records of an earlier compile,
# would make (the generated seccomp filter above all).  Configures the
# source tree in DIR, then builds each TARGET alone there, removing the
# generated header first: every program compiles objects of its own,
# which make has no record of yet.  Writes DIR/NAME.trs for each, for
# tests/summary.sh.  Run in a build directory (make check-build-alone).
set -u
dir=$1
shift
src=$(cd "${srcdir:-.}" && pwd)
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir" || exit 1
"$src/configure" --enable-werror -q >configure.out 2>&1 ||
	{ cat configure.out; echo "build-alone: configure failed"; exit 1; }
status=0
for t in "$@"; do
	rm -f seccomp/seccomp-filter.h
	trs=$(echo "$t" | tr / -).trs
	if ${MAKE:-make} "$t" >"${trs%.trs}.out" 2>&1; then
		echo "ok: make $t alone"
		echo ":test-result: PASS" >"$trs"
	else
		echo "FAILED: make $t alone"
		tail -n 20 "${trs%.trs}.out"
		echo ":test-result: FAIL" >"$trs"
		status=1
	fi
done
exit $status

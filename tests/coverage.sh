#!/bin/sh
# SPDX-License-Identifier: ISC
# coverage.sh - line coverage of an --enable-coverage build after its make
# check, per source file, and for the helper's decision and open path.
# Run in the build directory; make coverage does it all.
set -eu
dir=$(sed -n 's/^COVERAGE_DIR = //p' Makefile)
[ -n "$dir" ] && [ -d "$dir" ] || { echo "coverage.sh: not a coverage build, or no counts yet" >&2; exit 1; }
src=$(cd "$(sed -n 's/^srcdir = //p' Makefile)" && pwd)
# -fprofile-dir wrote the counts as one flat directory of mangled paths
# (so that the helper, running as its caller, could reach it); put each
# back beside its object for gcov.
# The directory is world-writable: take only regular files that name a
# place in this build.
for f in "$dir"/*.gcda; do
	[ -f "$f" ] && [ ! -L "$f" ] || continue
	to=$(basename "$f" | tr '#' '/')
	case $to in
	*/../* | *'^'*) continue ;;
	"$PWD"/*) ;;
	*) continue ;;
	esac
	cp "$f" "$to"
done
total=0 hit=0 path_total=0 path_hit=0
printf '%-26s %7s %7s %7s\n' "file" "lines" "run" "cover"
for obj in $(find . -name '*.gcda' | sort); do
	base=${obj%.gcda}
	case $base in
	*/fake_la-* | ./tests/* | ./tools/*) continue ;; # test doubles, tests, tools
	esac
	# policy/.libs/decide -> policy/decide; openfile/tests_openfile_test-resolve -> openfile/resolve
	d=$(dirname "${base#./}")
	s=${d%/.libs}/$(basename "$base" | sed 's/^.*-//')
	s=$s.c
	[ -f "$src/$s" ] || continue
	out=$(gcov -n -o "$base.o" "$src/$s" 2>/dev/null | grep -A1 "^File '.*$s'" | sed -n 's/^Lines executed:\([0-9.]*\)% of \([0-9]*\)$/\1 \2/p')
	[ -n "$out" ] || continue
	set -- $out
	run=$(awk "BEGIN { printf \"%d\", $1 * $2 / 100 + 0.5 }")
	printf '%-26s %7d %7d %6.1f%%\n' "$s" "$2" "$run" "$1"
	total=$((total + $2)) hit=$((hit + run))
	case $s in
	openfile/openfile.c | openfile/request.c | openfile/resolve.c | policy/decide.c | policy/pattern.c)
		path_total=$((path_total + $2)) path_hit=$((path_hit + run)) ;;
	esac
done
[ "$total" -gt 0 ] || { echo "coverage.sh: gcov found no counts" >&2; exit 1; }
printf '%-26s %7d %7d %6.1f%%\n' "all of the above" $total $hit "$(awk "BEGIN { print 100 * $hit / $total }")"
printf '%-26s %7d %7d %6.1f%%\n' "decision and open path" $path_total $path_hit \
	"$(awk "BEGIN { print 100 * $path_hit / ($path_total ? $path_total : 1) }")"
echo "(decision and open path: openfile.c, request.c, resolve.c, decide.c, pattern.c)"

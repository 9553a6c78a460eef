#!/bin/sh
# SPDX-License-Identifier: ISC
# summary.sh - the line every test run ends with, "N passed, M failed"
# (", K skipped" when some were), counted from automake's .trs files.
#
#   summary.sh [-s STATUS] [-t TITLE] PATH...
#	counts the results in the .trs files named, or found below each
#	directory named, and shows each failure with the lines of its log
#	that say why.  STATUS is the exit status of the make that ran the
#	tests: when it is not 0 and no result failed, something else did
#	(a build, a test that never ran), which counts as one failure.
#	A missing PATH counts as one too.  Exits 1 if anything failed.
#   summary.sh --sum TITLE FILE...
#	adds up the runs whose output is in each FILE, from the last such
#	line in it; a run without one counts as one failure.  Exits 1 if
#	anything failed.
set -u

summary() { # summary PASSED FAILED SKIPPED TITLE
	if [ "$3" -gt 0 ]; then
		echo "$1 passed, $2 failed, $3 skipped${4:+ ($4)}"
	else
		echo "$1 passed, $2 failed${4:+ ($4)}"
	fi
	[ "$2" = 0 ]
}

if [ "${1:-}" = --sum ]; then
	title=${2:?usage: summary.sh --sum TITLE FILE...}
	shift 2
	pass=0 fail=0 skip=0
	for f in "$@"; do
		set -- $(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed\(, \([0-9][0-9]*\) skipped\)\{0,1\}.*/\1 \2 \4/p' "$f" 2>/dev/null |
			tail -n 1)
		if [ $# -ge 2 ]; then
			pass=$((pass + $1)) fail=$((fail + $2)) skip=$((skip + ${3:-0}))
		else
			echo "$f: no summary line: one failure"
			fail=$((fail + 1))
		fi
	done
	summary $pass $fail $skip "$title"
	exit
fi

status=0 title=
while getopts s:t: opt; do
	case $opt in
	s) status=$OPTARG ;;
	t) title=$OPTARG ;;
	*) echo "usage: summary.sh [-s STATUS] [-t TITLE] PATH..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

pass=0 fail=0 skip=0
for p in "$@"; do
	if [ ! -e "$p" ]; then
		echo "no results: $p"
		fail=$((fail + 1))
		continue
	fi
	for trs in $(find "$p" -name '*.trs' | sort); do
		p_=$(grep -c '^:test-result: PASS' "$trs")
		f_=$(grep -Ec '^:test-result: (FAIL|ERROR|XPASS)' "$trs")
		s_=$(grep -c '^:test-result: SKIP' "$trs")
		pass=$((pass + p_)) fail=$((fail + f_)) skip=$((skip + s_))
		[ "$f_" = 0 ] && continue
		echo "--- FAIL: ${trs%.trs}"
		grep -E -A3 '^(not ok|Bail out)' "${trs%.trs}.log" 2>/dev/null | head -n 60
	done
done
if [ "$status" != 0 ] && [ "$fail" = 0 ]; then
	echo "make exited with status $status (see above): one failure"
	fail=1
fi
summary $pass $fail $skip "$title"

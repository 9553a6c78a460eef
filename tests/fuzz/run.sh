#!/bin/sh
# SPDX-License-Identifier: ISC
# run.sh SECONDS - runs each libFuzzer target for SECONDS on a copy of its
# seed corpus and reports executions and crashes.  A crash fails the run;
# its input is kept under fuzz-work/ to be added to the seeds.  Each
# target's result goes to fuzz-work/TARGET.trs, for tests/summary.sh.
set -u
secs=${1:-60}
status=0
mkdir -p fuzz-work
rm -f fuzz-work/*.trs
for t in policy request reply; do
	work=fuzz-work/$t
	mkdir -p "$work/corpus"
	cp "${srcdir:-.}/tests/fuzz/corpus/$t/"* "$work/corpus/" 2>/dev/null
	if ./tests/fuzz/fuzz-$t -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$work/" "$work/corpus" > "$work/log" 2>&1; then
		runs=$(grep -o 'Done [0-9]* runs' "$work/log" | tail -n 1 | cut -d' ' -f2)
		echo "fuzz-$t: ${runs:-?} executions in ${secs}s, 0 crashes"
		echo ":test-result: PASS" > "$work.trs"
	else
		echo ":test-result: FAIL" > "$work.trs"
		status=1
		echo "fuzz-$t: CRASH, input kept in $work/:"
		ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* 2>/dev/null
		tail -n 30 "$work/log"
	fi
done
exit $status

# SPDX-License-Identifier: ISC
# tap.sh - TAP results for the shell tests.  Source it, then call ok,
# notok, skip for each case and tap_done at the end.
tap_n=0
failed=0
ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
notok() { # notok DESCRIPTION DETAILS
	tap_n=$((tap_n + 1)); failed=$((failed + 1))
	echo "not ok $tap_n - $1"
	printf '%s\n' "$2" | sed 's/^/#   /'
}
skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP $1"; }
# skip_n N WHY: N cases skipped for one reason.
skip_n() { skip_k=0; while [ $skip_k -lt "$1" ]; do skip "$2"; skip_k=$((skip_k + 1)); done; }
tap_done() {
	echo "1..$tap_n"
	[ "$failed" = 0 ]
}

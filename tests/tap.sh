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
# tap_check DESCRIPTION PATTERN CMD...: ok when CMD's output (stdout and
# stderr) matches the shell PATTERN.
tap_check() {
	tap_desc=$1 tap_want=$2
	shift 2
	tap_got=$("$@" 2>&1)
	case $tap_got in
	$tap_want) ok "$tap_desc" ;;
	*) notok "$tap_desc" "expected: $tap_want
got:      $tap_got" ;;
	esac
}

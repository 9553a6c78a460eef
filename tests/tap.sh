# tap.sh - TAP results for the shell tests.  Source it, then call ok,
# notok, skip for each case and tap_done at the end.
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { # notok DESCRIPTION DETAILS
	n=$((n + 1)); failed=$((failed + 1))
	echo "not ok $n - $1"
	printf '%s\n' "$2" | sed 's/^/#   /'
}
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
tap_done() {
	echo "1..$n"
	[ "$failed" = 0 ]
}

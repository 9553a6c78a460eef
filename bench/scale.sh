#!/bin/sh
# SPDX-License-Identifier: ISC
# scale.sh - what a large policy costs a my_open() call: medians of
# my_open()+close() with a 1-rule, a 10,000-rule and a 100,000-rule policy,
# measured side by side (the sizes take turns, round after round) against
# the test helper installed setuid under $TEST_PREFIX.  Run as root:
#   make bench            (ROUNDS=30 CALLS=20 make bench for more)
set -eu
[ "$(id -u)" = 0 ] || { echo "scale.sh: run me as root (I install a setuid helper)" >&2; exit 1; }
B=$(cd "${top_builddir:-.}" && pwd)
S=$(cd "${srcdir:-.}" && pwd)
P=${TEST_PREFIX:?}
ROUNDS=${ROUNDS:-15}
CALLS=${CALLS:-20}
SIZES=${SIZES:-"1 10000 100000"}
TOOL=$B/tests/openfile-policy-test
. "$S/bench/stats.sh"

rm -rf "$P"
mkdir -m 0755 "$P" "$P/libexec" "$P/etc" "$P/etc/policy.d" "$P/data" "$P/bench" "$P/cache"
trap 'rm -rf "$P"' EXIT
install -o root -g root -m 4755 "$B/tests/openfile-test" "$P/libexec/openfile"
install -m 0755 "$B/bench/bench-open" "$P/bench/bench-open"
echo secret > "$P/data/target.txt"
chmod 0600 "$P/data/target.txt"

# A policy of n rules of the kinds sites have (per-user spools, per-project
# trees, devices, denials), the rule that grants the target in the middle.
gen() {
	awk -v n="$1" -v target="$P/data/target.txt" 'BEGIN {
		for (i = 1; i < n; i++) {
			if (i == int(n / 2)) print "allow * read " target
			k = i % 4
			if (k == 0) printf "allow user user%d read,write /var/spool/app/user%d/*\n", i, i
			else if (k == 1) printf "allow group grp%d read /srv/data/proj%d/**\n", i % 500, i
			else if (k == 2) printf "allow * read /dev/usb/lp%d type=device\n", i
			else printf "deny user user%d any /home/user%d/secret/**\n", i, i
		}
		if (n == 1) print "allow * read " target
	}'
}
for size in $SIZES; do
	gen "$size" > "$P/bench/policy.$size"
done

use() { # use SIZE: make that policy the live one
	cp "$P/bench/policy.$1" "$P/etc/policy.tmp"
	chmod 0644 "$P/etc/policy.tmp"
	mv "$P/etc/policy.tmp" "$P/etc/policy"
	"$TOOL" compile >/dev/null
}

echo "openfile policy scale benchmark: $ROUNDS rounds x $CALLS calls per size, sizes: $SIZES"
machine
r=0
while [ $r -lt "$ROUNDS" ]; do
	for size in $SIZES; do
		use "$size"
		(cd / && setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
			"$P/bench/bench-open" "$P/data/target.txt" "$CALLS") >> "$P/bench/times.$size"
	done
	r=$((r + 1))
done

base=
printf '\n%10s %12s %12s %10s\n' rules "median (us)" "p99 (us)" ratio
for size in $SIZES; do
	m=$(median "$P/bench/times.$size")
	q=$(p99 "$P/bench/times.$size")
	[ -n "$base" ] || base=$m
	awk -v s="$size" -v m="$m" -v q="$q" -v b="$base" \
		'BEGIN { printf "%10d %12.1f %12.1f %9.2fx\n", s, m / 1000, q / 1000, m / b }'
done

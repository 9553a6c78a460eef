#!/bin/sh
# e2e.sh - the end-to-end tests, for real: the test helper installed under
# $TEST_PREFIX with a test policy, clients run as nobody; the whole suite
# (e2e-suite.sh) runs once with the helper setuid root and once with file
# capabilities instead.  Speaks TAP.  Needs root; skips (exit 77) otherwise.
#
# In a sanitizer build (OPENFILE_SANITIZER set by make check) the clients
# and the helper are sanitized.  A report fails the case it happened in;
# the helper's reports kill it, so its caller gets EIO.
set -u
umask 022

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP end-to-end tests need root to install the setuid helper (running as uid $(id -u))"
	exit 77
fi
# One end-to-end run at a time on a machine: they share /dev/log.
exec 9>/run/lock/openfile-e2e.lock && flock 9
B=$(cd "${top_builddir:-.}" && pwd)
S=$(cd "${srcdir:-.}" && pwd)
P=${TEST_PREFIX:?TEST_PREFIX is not set}
case $P in
/*/*) ;;
*) echo "Bail out! TEST_PREFIX=$P is not a safe place"; exit 1 ;;
esac
if ! getent passwd nobody >/dev/null || ! command -v setpriv >/dev/null; then
	echo "1..0 # SKIP the tests need the user nobody and setpriv(1)"
	exit 77
fi
U=$(id -u nobody)
G=$(id -g nobody)
H=$P/libexec/openfile
D=$P/data
POL=$P/etc/policy
# What sanitizers say about the clients: a file a process.
R=$P/reports
if [ -n "${OPENFILE_SANITIZER:-}" ]; then
	ASAN_OPTIONS=log_path=$R/asan${ASAN_OPTIONS:+:$ASAN_OPTIONS}
	UBSAN_OPTIONS=log_path=$R/ubsan${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}
	export ASAN_OPTIONS UBSAN_OPTIONS
fi

. "$S/tests/tap.sh"
# check DESCRIPTION PATTERN COMMAND...: the output must match the pattern.
check() {
	desc=$1 want=$2
	shift 2
	got=$("$@" 2>&1)
	desc="[$MODE] $desc"
	reports=$(find "$R" -type f -size +0 -exec cat {} + 2>/dev/null)
	rm -f "$R"/*
	[ -z "$reports" ] || { notok "$desc" "$reports"; return; }
	case $got in
	$want) ok "$desc" ;;
	*) notok "$desc" "expected: $want
got:      $got" ;;
	esac
}
as_nobody() { setpriv --reuid="$U" --regid="$G" --clear-groups -- "$@"; }
client() { as_nobody timeout 60 "$P/bin/e2e-client" "$@"; }
fstat() { stat -c "$1" "$2" 2>&1; }

# The two ways to give the helper its privilege.
privilege_helper() {
	if [ "$MODE" = caps ]; then
		chmod 0755 "$H" && setcap cap_dac_override,cap_dac_read_search+p "$H"
	else
		chmod 4755 "$H"
	fi
}
unprivilege_helper() {
	if [ "$MODE" = caps ]; then setcap -r "$H"; else chmod 0755 "$H"; fi
}

for MODE in setuid caps; do
	if [ "$MODE" = caps ] && ! command -v setcap >/dev/null; then
		skip "file capabilities: setcap(8) is not installed"
		continue
	fi
	. "$S/tests/e2e-suite.sh"
	cd /
done
tap_done

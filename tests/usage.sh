#!/bin/sh
# SPDX-License-Identifier: ISC
# usage.sh - every program's command-line conventions: --help prints
# usage to stdout and exits 0; a usage error goes to stderr with the
# program's usage status; a fatal start-up error reaches stderr.  Speaks
# TAP.
set -u
B=${top_builddir:-.}
W=$(mktemp -d /tmp/usage.XXXXXX) || exit 1
trap 'rm -rf "$W"' EXIT

. "${srcdir:-.}/tests/tap.sh"
# conv NAME USAGE-STATUS BAD-OPTION PROGRAM...: --help and a usage error.
conv() {
	name=$1 status=$2 bad=$3
	shift 3
	"$@" --help >"$W/out" 2>"$W/err"
	rc=$?
	if [ $rc = 0 ] && grep -qi '^usage: ' "$W/out" && [ ! -s "$W/err" ]; then
		ok "$name --help: usage on stdout, status 0"
	else
		notok "$name --help: usage on stdout, status 0" "status $rc
stdout: $(cat "$W/out")
stderr: $(cat "$W/err")"
	fi
	"$@" "$bad" >"$W/out" 2>"$W/err"
	rc=$?
	if [ $rc = "$status" ] && [ ! -s "$W/out" ] && [ -s "$W/err" ]; then
		ok "$name $bad: a usage error on stderr, status $status"
	else
		notok "$name $bad: a usage error on stderr, status $status" "status $rc
stdout: $(cat "$W/out")
stderr: $(cat "$W/err")"
	fi
}
conv mycat 2 --no-such-option "$B/tools/mycat"
conv openfile-policy 2 no-such-command "$B/tests/openfile-policy-test"
conv "openfile-policy test" 2 --no-such-option "$B/tests/openfile-policy-test" test
conv openfiled 2 --no-such-option "$B/tests/openfiled-test"
conv openfile-run 125 --no-such-option "$B/tests/openfile-run-test"

# openfiled without root's privileges cannot start: it says so on stderr,
# without --stderr, and exits 1.
if [ "$(id -u)" = 0 ]; then
	set -- setpriv --reuid=nobody --regid=nogroup --clear-groups --
else
	set --
fi
"$@" "$B/tests/openfiled-test" >"$W/out" 2>"$W/err" </dev/null
rc=$?
if [ $rc = 1 ] && grep -q '^openfiled: .*must run as root' "$W/err"; then
	ok "openfiled as a user: the fatal error reaches stderr, status 1"
else
	notok "openfiled as a user: the fatal error reaches stderr, status 1" "status $rc
stderr: $(cat "$W/err")"
fi
tap_done

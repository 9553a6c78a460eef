#!/bin/sh
# SPDX-License-Identifier: ISC
# logrotate.sh - the shipped logrotate snippet rotates the audit file:
# run for real on a copy whose path is a scratch file.  Speaks TAP.
set -u
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP logrotate runs as root, as it would on a host (running as uid $(id -u))"
	exit 77
fi
if ! command -v logrotate >/dev/null; then
	echo "1..0 # SKIP logrotate is not installed"
	exit 77
fi
. "${srcdir:-.}/tests/tap.sh"
conf=${top_builddir:-.}/logrotate/openfile
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
chmod 0750 "$T"
log=$(sed -n 's/^\(\/[^ ]*\) {$/\1/p' "$conf")
tap_check "the snippet names the configured audit file" "*/openfile/audit.log" echo "$log"
sed "s|^$log {|$T/audit.log {|" "$conf" > "$T/conf"
chmod 0644 "$T/conf"
echo "2026-12-04T00:00:00Z openfile[1]: allow: req=1 user=nobody" > "$T/audit.log"
chmod 0600 "$T/audit.log"
tap_check "logrotate accepts it and rotates the file" "0" \
	sh -c "logrotate -f -s '$T/state' '$T/conf' >'$T/out' 2>&1; echo \$?"
tap_check "... keeping its records" "*allow: req=1 user=nobody*" sh -c "cat '$T'/audit.log-*"
tap_check "... in a file root's alone" "root 600" sh -c "stat -c '%U %a' '$T'/audit.log-*"
tap_check "... and a new, empty audit file, root's alone" "root 600 0" stat -c "%U %a %s" "$T/audit.log"
tap_done

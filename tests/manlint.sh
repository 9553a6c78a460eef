#!/bin/sh
# SPDX-License-Identifier: ISC
# manlint.sh - every man page is lint-clean for mandoc.  Speaks TAP.
if ! command -v mandoc >/dev/null; then
	echo "1..0 # SKIP mandoc is not installed"
	exit 77
fi
n=0
fail=0
for page in man/my_open.3 man/openfile.8 man/openfile.policy.5 man/mycat.1 man/openfile-policy.8 \
	man/openfiled.8 man/my_openat.3 man/my_send_fds.3 man/my_listen.3 \
	man/openfile-run.1; do
	n=$((n + 1))
	out=$(mandoc -T lint -W warning "${top_builddir:-.}/$page" 2>&1)
	if [ -z "$out" ]; then
		echo "ok $n - $page is lint-clean"
	else
		fail=1
		echo "not ok $n - $page"
		printf '%s\n' "$out" | sed 's/^/#   /'
	fi
done
echo "1..$n"
exit $fail

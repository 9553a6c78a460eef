# SPDX-License-Identifier: ISC
# e2e-api.sh - the end-to-end cases of the library's wider interface,
# sourced by e2e.sh in each mode: my_openat() under directory descriptors
# (one a caller may look up but not search, and the attempts to leave the
# policy through them), a named endpoint between a root process and an
# unrelated nobody one passing three descriptors each way, and the Python
# package.

# --- my_openat --------------------------------------------------------------
check "my_openat: AT_FDCWD is the working directory" "ok allowed" \
	client openat - cwd secret/allowed.txt r
check "my_openat: a relative path under a directory descriptor" "ok allowed" \
	client openat "$D/link" dir to-allowed r
check "my_openat: ... decided on what it leads to" "err EACCES" \
	client openat "$D/link" dir to-secret r
check "my_openat: an absolute path ignores the descriptor" "ok allowed" \
	client openat "$D/link" dir "$D/secret/allowed.txt" r
check "my_openat: under an O_PATH descriptor of a directory the caller may not search, the policy grants as by name" \
	"ok public" client openat "$D/priv" path pub/a.txt r
check "my_openat: ... and grants nothing else there" "err EACCES" \
	client openat "$D/priv" path osx/../../priv2/s.txt r
check "my_openat: ... nor by '..' out of it" "err EACCES" \
	client openat "$D/priv" path ../secret/denied.txt r
check "my_openat: '..' is judged by where it leads: granted" "ok allowed" \
	client openat "$D/priv" path ../secret/allowed.txt r
check "my_openat: a root-only directory's descriptor: what is granted" "ok allowed" \
	client openat "$D/secret" path allowed.txt r
check "my_openat: ... and what is not" "err EACCES" \
	client openat "$D/secret" path denied.txt r
check "my_openat: a directory's descriptor opened for reading: denied stays denied" "err EACCES" \
	client openat "$D/link" dir ../ro/hidden r
check "my_openat: a descriptor of a file is ENOTDIR" "err ENOTDIR" \
	client openat /etc/passwd path x r
check "my_openat: a closed descriptor is EBADF" "err EBADF" \
	client openat - bad x r
check "my_openat: creates under the directory" "ok w cloexec=1 append=0" \
	client openat "$D/drop" path at.txt w,creat,cloexec
check "my_openat: ... a file of the caller's" "$U" stat -c %u "$D/drop/at.txt"

# --- a named endpoint between unrelated processes ---------------------------
EP=$P/endpoint
mkdir -m 0755 "$EP"
SPID=
# serve N: a root server on $EP/sock (for a minute at most), its output
# in $EP/out.N, once it listens (or ended).
serve() {
	timeout 60 "$P/bin/e2e-client" endpoint-serve "$EP/sock" "$U" "$D/secret/allowed.txt" \
		"$D/secret/denied.txt" "$D/priv/pub/a.txt" > "$EP/out.$1" 2>&1 &
	SPID=$!
	until_true listening "$EP/out.$1" "$SPID" 0
}
served() { wait "$SPID"; cat "$EP/out.$1"; }
serve 1
check "endpoint: nobody connects, sends three pipes and gets three root-only files" \
	"ok got 3: allowed denied public" client endpoint-client "$EP/sock"
check "endpoint: root saw nobody's uid and gid, and the three pipes in order" \
	"listening on $EP/sock
ok peer uid=$U gid=$G, its fds: abc, sent 3" served 1
check "endpoint: a server that ended left its socket file" "socket" stat -c %F "$EP/sock"
serve 2
check "endpoint: the stale socket file was replaced" "listening on $EP/sock" cat "$EP/out.2"
check "endpoint: a live one is not" "err EADDRINUSE" \
	"$P/bin/e2e-client" endpoint-listen "$EP/sock"
check "endpoint: ... nor anything else there" "err EADDRINUSE" \
	"$P/bin/e2e-client" endpoint-listen "$D/secret/allowed.txt"
check "endpoint: the second exchange" "ok got 3: allowed denied public" \
	client endpoint-client "$EP/sock"
check "endpoint: the server turned away the probe of root's uid, then served nobody" \
	"listening on $EP/sock
refused uid 0
ok peer uid=$U gid=$G, its fds: abc, sent 3" served 2
check "endpoint: nobody may not listen where it may not write" "err EACCES" \
	client endpoint-listen "$EP/mine"

# --- the Python package -----------------------------------------------------
# Its files as make install lays them out, its library path the test
# prefix's (where the library built for the test helper goes), run by
# nobody's Python: configure's when nobody may run it (root's may be a
# pyenv under /root), else the system's.
PY=
for p in ${PYTHON:-} /usr/bin/python3; do
	if [ "$p" != : ] && as_nobody "$p" -c 'import ctypes' >/dev/null 2>&1; then
		PY=$p
		break
	fi
done
if [ -z "$PY" ]; then
	skip "[$MODE] the Python package: no Python 3 that nobody may run"
else
	install -d -m 0755 "$P/lib" "$P/python/openfile"
	install -m 0755 "$B/tests/.libs/libmyopen-e2e.so.0.1.0" "$P/lib/libmyopen.so.0"
	install -m 0644 "$S/python/openfile/__init__.py" "$P/python/openfile/"
	install -m 0644 "$S/tests/python/test_openfile.py" "$P/python/"
	sed "s|@LIBDIR@|$P/lib|" "$S/python/openfile/_paths.py.in" > "$P/python/openfile/_paths.py"
	nosan="the library would load into a Python without the sanitizer runtime"
	check_unsanitized "$nosan" "python: the openfile package's tests as nobody ($PY -m unittest)" "*OK" \
		as_nobody env PYTHONPATH="$P/python" PYTHONDONTWRITEBYTECODE=1 \
		OPENFILE_TEST_DATA="$D" timeout 120 "$PY" -m unittest test_openfile
	check_unsanitized "$nosan" "python: it loaded the library of the test prefix" "$P/lib/libmyopen.so.0" \
		as_nobody env PYTHONPATH="$P/python" PYTHONDONTWRITEBYTECODE=1 "$PY" -c \
		'import openfile; print(openfile._lib._name)'
fi

# SPDX-License-Identifier: ISC
# e2e-api.sh - the end-to-end cases of the library's wider interface,
# sourced by e2e.sh in each mode: my_openat() under directory descriptors
# (one a caller may look up but not search, and the attempts to leave the
# policy through them), and a named endpoint between a root process and
# an unrelated nobody one passing three descriptors each way.

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
# serve N: a root server on $EP/sock, its output in $EP/out.N, once it
# listens (or ended).
serve() {
	"$P/bin/e2e-client" endpoint-serve "$EP/sock" "$U" "$D/secret/allowed.txt" \
		"$D/secret/denied.txt" "$D/priv/pub/a.txt" > "$EP/out.$1" 2>&1 &
	SPID=$!
	until_true listening "$EP/out.$1" "$SPID" 0
}
served() { wait "$SPID"; cat "$EP/out.$1"; }
serve 1
check "endpoint: nobody connects, sends three pipes and gets three root-only files" \
	"ok got 3: allowed denied public" client endpoint-client "$EP/sock"
check "endpoint: root saw nobody's uid and gid, and the three pipes in order" \
	"listening
ok peer uid=$U gid=$G, its fds: abc, sent 3" served 1
check "endpoint: a server that ended left its socket file" "socket" stat -c %F "$EP/sock"
serve 2
check "endpoint: the stale socket file was replaced" "listening" cat "$EP/out.2"
check "endpoint: a live one is not" "err EADDRINUSE" \
	"$P/bin/e2e-client" endpoint-listen "$EP/sock"
check "endpoint: ... nor anything else there" "err EADDRINUSE" \
	"$P/bin/e2e-client" endpoint-listen "$D/secret/allowed.txt"
check "endpoint: the second exchange" "ok got 3: allowed denied public" \
	client endpoint-client "$EP/sock"
check "endpoint: the server turned away the probe of root's uid, then served nobody" \
	"listening
refused uid 0
ok peer uid=$U gid=$G, its fds: abc, sent 3" served 2
check "endpoint: nobody may not listen where it may not write" "err EACCES" \
	client endpoint-listen "$EP/mine"


# SPDX-License-Identifier: ISC
# e2e-broker.sh - openfiled's own cases, sourced by e2e.sh in its broker
# mode, after the whole suite ran through the broker: a connection per
# process that must survive restarts, fork and changes of ids; many and
# slow clients; a socket that is not root's; no leaks after thousands of
# requests.

ok_file=$D/secret/allowed.txt
fds() { ls "/proc/$BPID/fd" | wc -l; }
# The processes are found from the broker the test started ($BPID, our
# child), never by name: a real openfiled may run beside the tests.
# workers: the broker's children (all of them are workers), each
# "PID UID STATE".
workers() {
	for w in $(cat "/proc/$BPID/task/$BPID/children" 2>/dev/null); do
		awk -v w="$w" '/^State:/ { s = $2 } /^Uid:/ { print w, $2, s }' "/proc/$w/status" 2>/dev/null
	done
}
# The workers of uid $1 (that caller's), and the uids of all.
children_of() { workers | awk -v u="$1" '$2 == u { print $1 }'; }
child_uids() { workers | awk '{ print $2 }'; }
count_of() { children_of "$1" | wc -l; }
# Connections the broker holds: sockets it accepted on $SOCK, still open.
held() { awk -v s="$SOCK" '$NF == s && $4 != "00010000"' /proc/net/unix | wc -l; }
# idle: no connection is held and every worker sleeps.  A worker whose
# client closed its connection runs until it has told the main process
# it is free; one retiring runs until it ends, and is reaped.
idle() { [ "$(held)" = 0 ] && [ -z "$(workers | awk '$3 != "S"')" ]; }
# One connection of nobody's, then its worker waits for nobody's next.
# The client is the stage, not the subject: never under valgrind.
settle() { native_client 60 cat "$ok_file" >/dev/null; until_true idle; }
as_daemon() { setpriv --reuid=daemon --regid=daemon --clear-groups -- timeout 60 $CLIENT "$@"; }
threads() { ls "/proc/$BPID/task" | wc -l; }
# Now in milliseconds.
ms() { echo $(($(date +%s%N) / 1000000)); }
write_policy
echo "allow user root read $D/secret/root-only.txt" >> "$POL"
policy_changed
put secret/root-only.txt root-only

# --- 36: who the broker serves --------------------------------------------------
check "36: a client's identity comes from the kernel: root connects, drops to nobody, is answered as nobody" \
	"before: ok, err EACCES" $CLIENT drop "$D/secret/root-only.txt" "$U" "$G"
check "36: fork after connect: parent and child each get their own answers" "ok" \
	client forked "$D/secret/allowed.txt" allowed "$D/ro/file" ro-content 300
check "36: a descriptor a client attaches unasked is closed; the answer comes" "ok r*" \
	client inject "$SOCK" "$D/secret/allowed.txt" 1
check "36: several at once: the request is malformed, the connection closed unanswered" "closed" \
	client inject "$SOCK" "$D/secret/allowed.txt" 8
check "36: a relative path is resolved in the caller's directory, sent as a descriptor" "allowed" \
	sh -c "cd '$D' && exec setpriv --reuid=$U --regid=$G --clear-groups -- $CLIENT cat secret/allowed.txt"

# --- 38: a connection kept across setuid() -------------------------------------------
# A root program calls my_open, drops to nobody and runs code that finds
# the library's connection and sends a request on it by hand.
check "38: a root program's connection, used by hand after it dropped to nobody: refused (EPERM); my_open connects anew, as nobody" \
	"before: ok, by hand: EPERM, library: err EACCES" \
	$CLIENT inherit "$SOCK" "$D/secret/root-only.txt" "$U" "$G" whole
check "38: ... a request begun as root and ended as nobody: refused too" \
	"before: ok, by hand: EPERM, library: err EACCES" \
	$CLIENT inherit "$SOCK" "$D/secret/root-only.txt" "$U" "$G" split
check "38: ... and the broker says who sent them (no one process sent the second)" \
	"*refused a request on a connection of uid 0: sent by pid [1-9]* with uid $U gid $G*refused a request on a connection of uid 0: sent by pid 0 with uid -1 gid -1*" \
	cat "$BLOG"

# --- workers kept for their caller's next connection ------------------------------------
# Each case starts right after a reload, which ends every worker.
fresh() { policy_changed; settle; }
# nobody's workers after another connection of nobody's, which must come
# within WORKER_REUSE (3 s in the test build) of the first's: native
# clients, and a word when the machine was too slow for that.
next_worker() {
	native_client 60 cat "$ok_file" >/dev/null
	took=$(($(ms) - t0))
	until_true idle
	children_of "$U"
	[ $took -lt 3000 ] || echo "(the two connections were $took ms apart)"
}
t0=$(ms)
fresh
w1=$(children_of "$U")
check "a worker outlives its connection: one waits for nobody's next" "1" sh -c "echo $w1 | wc -w"
check "... holding no connection" "0" held
check "nobody's next connection is served by it: no process made" "$w1" next_worker
check "... which, made after the policy was read, applies it" "err EACCES" \
	client open "$D/secret/denied.txt" r
client stall "$SOCK" 2 >/dev/null 2>&1 &
stall_pid=$!
# The stalled client holds two connections (the test client connects
# through the library at start, then makes its raw one): the waiting
# worker serves one, a new one the other.
check "while it is busy, a connection of the same caller gets a new worker" "2" \
	until_prints 2 count_of "$U"
wait $stall_pid
# The group rule grants nobody's primary group: a worker made for one set
# of groups must never serve a connection with another.
by_gid() { setpriv --reuid="$U" --regid="$1" "$2" -- timeout 60 $CLIENT open "$D/secret/by-group.txt" r; }
check "uid nobody with gid daemon is refused the group's file" "err EACCES" \
	by_gid daemon --clear-groups
check "... with the group as a supplementary one: granted (not the worker of the other)" "ok r*" \
	by_gid daemon --groups="$G"
check "... without it again: refused (not the worker of the other)" "err EACCES" \
	by_gid daemon --clear-groups
check "another uid is never handed nobody's worker" "err EACCES" \
	setpriv --reuid=daemon --regid=daemon --clear-groups -- $CLIENT open "$D/secret/by-name.txt" r
fresh
w1=$(children_of "$U")
kill -KILL $w1
until_prints "" children_of "$U"
check "nobody's waiting worker killed (nobody may): the next connection gets a new one" "allowed" \
	client cat "$ok_file"
fresh
write_policy
echo "deny user nobody read $ok_file" >> "$POL"
policy_changed
check "the policy read again: the worker made before it is gone" "" until_prints "" children_of "$U"
check "... and the next connection is served with the new policy" "err EACCES" \
	client open "$ok_file" r

# --- 40: a change through an included file, without SIGHUP ----------------------------
# The broker reads the policy again after a change to any file or
# directory it was compiled from (an included file, a file a glob include
# adds, a glob's directory made later), and to the compiled policy.
# denied_soon PATH: nobody's answer for PATH once it is EACCES (the broker
# reads the policy 200 ms after a change), or the last after a minute;
# natively until then.
denied_soon() {
	until_prints "err EACCES" native_client 60 open "$1" r >/dev/null
	client open "$1" r
}
mkdir -m 0755 "$P/inc" "$P/inc/glob"
echo "# nothing yet" > "$P/inc/plain.conf"
for f in plain glob later; do put "secret/inc-$f" "inc-$f"; done
write_policy_files
cat >> "$POL" <<POLICY
allow * read $D/secret/inc-*
include $P/inc/plain.conf
include $P/inc/glob/*.conf
include $P/later/*.conf
POLICY
policy_changed
check "40: an included file's grant is served" "inc-plain" client cat "$D/secret/inc-plain"
echo "deny * any $D/secret/inc-plain" >> "$P/inc/plain.conf"
compile_policy
check "40: an included file gains a deny: applied without SIGHUP" "err EACCES" \
	denied_soon "$D/secret/inc-plain"
check "... once compiled: the rest is granted as before" "inc-glob" client cat "$D/secret/inc-glob"
echo "allow * read /nothing" >> "$P/inc/plain.conf"
check "40: a change not compiled: everything denied (stale)" "err EACCES" \
	denied_soon "$D/secret/inc-glob"
compile_policy
echo "deny * any $D/secret/inc-glob" > "$P/inc/glob/10.conf"
compile_policy
check "40: a file a glob include reads appears with a deny: applied" "err EACCES" \
	denied_soon "$D/secret/inc-glob"
mkdir -m 0755 "$P/later"
echo "deny * any $D/secret/inc-later" > "$P/later/10.conf"
compile_policy
check "40: a glob's directory made later, a deny in it: applied" "err EACCES" \
	denied_soon "$D/secret/inc-later"
rm -rf "$P/inc" "$P/later"
write_policy
echo "allow user root read $D/secret/root-only.txt" >> "$POL"
policy_changed
fresh
# Long before the idle timeout (300 s).
check "a waiting worker ends once it is WORKER_REUSE old (3 s in the test build)" "" \
	until_prints "" children_of "$U"
stop_broker
# few_fds: a broker with 200 descriptors at most, until it is listening.
few_fds() {
	(ulimit -n 200 && ulimit -Hn 200 && exec "$P/sbin/openfiled" --stderr) >"$P/few.out" 2>&1 &
	until_true listening "$P/few.out" $! 0
	kill -TERM $!
	wait $!
	cat "$P/few.out"
}
check "with fewer descriptors than its limits need, the broker serves fewer connections at once, and says so" \
	"*only 200 descriptors (RLIMIT_NOFILE): serving at most 119 connections at once*" few_fds
start_broker --spares 0
settle
check "--spares 0: no worker waits after its connection" "" children_of "$U"
stop_broker
start_broker --spares 1
settle
setpriv --reuid=daemon --regid=daemon --clear-groups -- $CLIENT open "$ok_file" r >/dev/null
until_true idle
check "--spares 1: the caller served last keeps its worker, the other's goes" "$(id -u daemon)" \
	child_uids
stop_broker
start_broker --idle-timeout 1
# Gone before WORKER_REUSE (3 s) would end it, counted from before its
# connection.
t0=$(ms)
settle
until_prints "" children_of "$U" >/dev/null
took=$(($(ms) - t0))
check "a worker waiting longer than --idle-timeout ends" "ok" \
	sh -c "[ $took -lt 3000 ] && echo ok || echo 'after $took ms'"
check "... and the caller is served by a new one" "allowed" client cat "$ok_file"
stop_broker
start_broker

# --- spinning: bounded, and only while requests keep coming -------------------------------
# The CPU time (clock ticks) of uid $1's workers.
workers_cpu() {
	for w in $(children_of "$1"); do cut -d' ' -f14,15 "/proc/$w/stat"; done |
		awk '{ t += $1 + $2 } END { print t + 0 }'
}
# asleep UID: uid's workers all sleep.
asleep() { [ -z "$(workers | awk -v u="$1" '$2 == u && $3 != "S"')" ]; }
client hold "$ok_file" allowed 4 >"$P/hold.out" 2>&1 &
hold_pid=$!
until_said "$P/hold.out" "served\|fail"
until_true asleep "$U"
w0=$(children_of "$U" | sort | tr '\n' ' ')
c0=$(workers_cpu "$U")
sleep 1
w1=$(children_of "$U" | sort | tr '\n' ' ')
c1=$(workers_cpu "$U")
wait $hold_pid
check "a client holds its connection without a request: its worker sleeps after its spin's window (under 5 ticks of CPU in 1 s)" \
	"ok" sh -c "[ -n '$w0' ] && [ '$w0' = '$w1' ] && [ $((c1 - c0)) -lt 5 ] && echo ok ||
		echo 'workers $w0/$w1, $((c1 - c0)) ticks'"
check "... and was served" "served*ok" cat "$P/hold.out"
stop_broker
check "--spin out of range is refused, and says what it expects" \
	"openfiled: --spin: expected a number from 0 to 1000, got '1001'*exit 2" \
	sh -c '"$1" --spin 1001 2>&1; echo "exit $?"' sh "$P/sbin/openfiled"
start_broker --spin 0
check "--spin 0: requests are served" "ok 50" client loop "$ok_file" allowed 50
stop_broker
start_broker

# --- many and slow clients ------------------------------------------------------------
client stall "$SOCK" 60 > "$P/stall.out" 2>&1 &
stall_pid=$!
until_said "$P/stall.out" "stalling\|fail"
check "a client stalls mid-hello: meanwhile others are served at once" "ok 200" \
	client loop "$ok_file" allowed 200
wait $stall_pid
check "... and it is cut off after the request timeout (5 s in the test build)" "stalling?closed after [4-9] s" \
	cat "$P/stall.out"

# --- the greeting: a first request sent before the hello's reply ----------------------------
# The main process greets a connection before a worker has it; the client
# then sends its request at once.  A worker reads no request before it
# answered the hello with 0: one that never answers never served it, and
# the helper may.  Each request creates a file with O_EXCL, which a second
# serving would refuse (EEXIST).
exists() { if [ -e "$1" ]; then echo present; else echo absent; fi; }
default_client() { env OPENFILE_TRANSPORT= setpriv --reuid="$U" --regid="$G" --clear-groups -- timeout 60 $CLIENT "$@"; }
touch "$POL-worker-setup-hangs"
policy_changed # no worker of nobody's waits: the next is made, and hangs
t0=$(date +%s)
client cpu 1000 open "$D/drop/greet1" w,creat,excl 0666 022 >"$P/greet1.out" 2>&1
t1=$(date +%s)
check "a worker whose set-up hangs ends after the request timeout; the greeted client is let go (forced broker: ECONNREFUSED)" \
	"err ECONNREFUSED*" cat "$P/greet1.out"
check "... the client slept while it waited, after its spin's window: under 1 s of CPU in 5 s" \
	"*cpu under 1000 ms" cat "$P/greet1.out"
check "... after that timeout (5 s in the test build), not its own" "ok" \
	sh -c "[ $((t1 - t0)) -ge 4 ] && [ $((t1 - t0)) -le 20 ] && echo ok || echo '$((t1 - t0)) s'"
check "... and its request was never served" "absent" exists "$D/drop/greet1"
check "... in the default mode, the helper serves it, once (O_EXCL)" "ok w*" \
	default_client open "$D/drop/greet2" w,creat,excl 0666 022
rm -f "$POL-worker-setup-hangs"
check "... and the broker says why the worker ended" "*its set-up, a hello or a request took longer than 5 s*" \
	cat "$BLOG"
if unshare -m true 2>/dev/null; then
	check "36: a client in another mount namespace is refused at the hello (forced broker: EXDEV)" "err EXDEV" \
		unshare -m setpriv --reuid="$U" --regid="$G" --clear-groups -- timeout 60 $CLIENT \
		open "$D/drop/greet3" w,creat,excl 0666 022
	check "... and the request it sent before the hello's reply is never served" "absent" exists "$D/drop/greet3"
	check "... in the default mode, the helper serves it, once (O_EXCL)" "ok w*" \
		unshare -m env OPENFILE_TRANSPORT= setpriv --reuid="$U" --regid="$G" --clear-groups -- \
		timeout 60 $CLIENT open "$D/drop/greet3" w,creat,excl 0666 022
else
	skip_n 3 "36: another mount namespace: unshare -m does not work here"
fi
rm -f "$D"/drop/greet*

# --- a signal handler that jumps out of my_open ---------------------------------------------
# The call waits for a worker whose set-up hangs, holding the connection's
# lock, when a SIGALRM handler leaves it by siglongjmp; the next worker
# is made normally, and the same thread calls again.  (Not forced to the
# broker: the client would make its connection first, and wait for it.)
ended=$(grep -c "took longer than" "$BLOG")
touch "$POL-worker-setup-hangs"
policy_changed
env OPENFILE_TRANSPORT= setpriv --reuid="$U" --regid="$G" --clear-groups -- \
	timeout 20 $CLIENT jump "$ok_file" allowed "$POL-worker-setup-hangs" >"$P/jump.out" 2>&1 &
jumper=$!
until_said "$P/jump.out" "jumped\|fail"
rm -f "$POL-worker-setup-hangs"
wait "$jumper"
check "a signal handler jumps out of my_open, which held the connection's lock: the thread's next call drops the connection and is answered, not hung" \
	"jumped, then answered" cat "$P/jump.out"
# The worker that hung ends at its timeout: no case after meets it.
until_said "$BLOG" "took longer than" "$ended"

# Natively under valgrind: sixteen of it would spend the case starting,
# and check nothing that one client's loop does not.
many=$(for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do native_client 60 loop "$ok_file" allowed 300 & done; wait)
check "16 clients at once, 300 calls each: all answered" "16" sh -c "echo '$many' | grep -c '^ok 300$'"
check "... and once they are done, no connection is held" "0" until_prints 0 held

# --- restarts and policy changes mid-use ----------------------------------------------
# loop_start [ENV]: nobody calls in a loop (with ENV) until loop_stop, in
# the background, through the broker once it holds a connection.
loop_start() {
	touch "$P/loop.run"
	env "${1:-OPENFILE_TRANSPORT=broker}" setpriv --reuid="$U" --regid="$G" --clear-groups -- \
		timeout 120 $CLIENT loop-while "$ok_file" allowed "$P/loop.run" >"$P/loop.out" 2>&1 &
	looper=$!
	until_true looping
}
looping() { [ "$(held)" -gt 0 ] || ! kill -0 "$looper" 2>/dev/null; }
# loop_stop: ends the loop (not within check, whose subshell cannot wait).
loop_stop() { rm -f "$P/loop.run"; wait "$looper"; }
# helping: the looping client (under timeout, our child) has a helper.
helping() {
	for c in $(cat "/proc/$looper/task/$looper/children" 2>/dev/null); do
		[ -n "$(cat "/proc/$c/task/$c/children" 2>/dev/null)" ] && return 0
	done
	! kill -0 "$looper" 2>/dev/null
}
loop_start OPENFILE_TRANSPORT=
stop_broker
until_true helping
BROKER_IGNORE="ALRM HUP" start_broker
until_true looping
loop_stop
check "the broker restarted mid-use: every call answered (the helper stands in meanwhile)" "ok [1-9]*" \
	cat "$P/loop.out"
check "... and the new broker serves" "allowed" client cat "$ok_file"
# It was started with SIGALRM and SIGHUP ignored: a worker that inherited
# an ignored SIGALRM would wait on a stalled client for ever.
# Signals 1-31 ignored, as a mask (glibc keeps 32 and up to itself).
ignored() { m=$(sed -n 's/^SigIgn:\t*//p' "/proc/$1/status"); printf '%x\n' $((0x$m & 0x7fffffff)); }
settle
check "a broker started with signals ignored: its workers ignore SIGPIPE only" \
	"1000" ignored "$(children_of "$U" | head -n 1)"
fresh
fds0=$(fds)
loop_start
for i in 1 2 3 4 5; do policy_changed; done
loop_stop
check "the policy read again five times mid-use: every call answered" "ok [1-9]*" \
	cat "$P/loop.out"
fresh

# --- no leaks ---------------------------------------------------------------------------
check "after thousands of requests the broker holds as many descriptors as before" "$fds0" fds
check "... runs one thread" "1" threads
zombies() { workers | grep -c ' Z$'; }
check "... and has no zombie workers" "0" zombies

# --- 41: a flood of connections never spoken on ---------------------------------------------
# nobody makes 3000 connections as fast as the backlog lets it, and holds
# them: the first --max-per-user (128) get workers that wait for a hello,
# the others are turned away as they are accepted.  The flooder is the
# stage, not the subject: never under valgrind.
# (Not native_client: a function run in the background is a subshell,
# and $! would be it, not timeout(1), which passes the kill on.)
setpriv --reuid="$U" --regid="$G" --clear-groups -- \
	timeout 120 "$P/bin/e2e-client" flood "$SOCK" 3000 60 >"$P/flood.out" 2>&1 &
flooder=$!
until_said "$P/flood.out" "flooding\|fail"
t0=$(date +%s)
check "41: nobody floods the broker with connections it never speaks on: daemon is still served by it" \
	"ok 20" as_daemon loop "$ok_file" allowed 20
five=$(for i in 1 2 3 4 5; do as_daemon cat "$ok_file"; echo; done | xargs)
t1=$(date +%s)
check "41: ... on a new connection each time too (5 processes)" \
	"allowed allowed allowed allowed allowed" echo "$five"
check "41: ... promptly (under 10 s for all six)" "ok" \
	sh -c "[ $((t1 - t0)) -lt 10 ] && echo ok || echo '$((t1 - t0)) s'"
check "41: ... while nobody's connections beyond its limit were turned away" \
	"*refused * connection(s), the last from uid $U *: --max-per-user reached for this uid*" cat "$BLOG"
kill "$flooder"
wait "$flooder" 2>/dev/null

# --- a socket that is not root's ------------------------------------------------------------
stop_broker
if command -v python3 >/dev/null; then
	python3 -c '
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o666)
os.setgid(int(sys.argv[3])); os.setuid(int(sys.argv[2]))
s.listen(8)
print("ready", flush=True)
s.settimeout(60)
try:
    while True:
        c, _ = s.accept(); c.close()
except Exception:
    pass
' "$SOCK" "$U" "$G" >"$P/squat.out" 2>&1 &
	squatter=$!
	until_said "$P/squat.out" "ready\|Error"
	check "36: a socket whose listener is not root: the library refuses it (forced broker: EPERM)" "err EPERM" \
		client open "$ok_file" r
	check "36: ... and in the default mode uses the helper" "allowed" \
		env OPENFILE_TRANSPORT= setpriv --reuid="$U" --regid="$G" --clear-groups -- $CLIENT cat "$ok_file"
	kill "$squatter" 2>/dev/null
	wait "$squatter" 2>/dev/null
	rm -f "$SOCK"
	python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(1)
os.chown(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
print("ready", flush=True)
import time; time.sleep(60)
' "$SOCK" "$U" "$G" >"$P/squat.out" 2>&1 &
	squatter=$!
	until_said "$P/squat.out" "ready\|Error"
	check "36: a socket file owned by another user: refused too" "err EPERM" \
		client open "$ok_file" r
	kill "$squatter" 2>/dev/null
	wait "$squatter" 2>/dev/null
	rm -f "$SOCK"
else
	skip_n 3 "36: squatted sockets: no python3"
fi
# A listener of root's that never accepts, its backlog full: connect(2)
# would wait for room as long as it takes.
# The squatter is the stage, not the subject: never under valgrind.
"$P/bin/e2e-client" squat "$SOCK" 60 >"$P/squat.out" 2>&1 &
squatter=$!
until_said "$P/squat.out" "ready\|fail"
t0=$(date +%s)
check "41: a root listener that never accepts, its backlog full: forced broker fails with ETIMEDOUT" \
	"err ETIMEDOUT" as_nobody timeout 20 $CLIENT open "$ok_file" r
check "41: ... and in the default mode the helper serves" "allowed" \
	env OPENFILE_TRANSPORT= setpriv --reuid="$U" --regid="$G" --clear-groups -- timeout 20 $CLIENT cat "$ok_file"
t1=$(date +%s)
check "41: ... both without waiting for it (under 10 s for the two)" "ok" \
	sh -c "[ $((t1 - t0)) -lt 10 ] && echo ok || echo '$((t1 - t0)) s'"
kill "$squatter"
wait "$squatter" 2>/dev/null
rm -f "$SOCK"
check "no broker at all: forced broker fails (ENOENT: no socket)" "err ENOENT" \
	client open "$ok_file" r

# --- socket activation, as systemd does it (LISTEN_FDS) ------------------------------------
if command -v systemd-socket-activate >/dev/null; then
	systemd-socket-activate -l "$SOCK" "$P/sbin/openfiled" --stderr >>"$BLOG" 2>&1 &
	activator=$!
	until_true test -S "$SOCK"
	chmod 0666 "$SOCK" # SocketMode=0666 in openfiled.socket
	check "socket activation: the first client starts openfiled on the passed socket, and is served" \
		"allowed" client cat "$ok_file"
	check "... which says so" "*listening on $SOCK (socket activation)*" cat "$BLOG"
	# It ran openfiled in its own process.
	kill -TERM "$activator" 2>/dev/null
	wait "$activator" 2>/dev/null
	rm -f "$SOCK"
else
	skip_n 2 "socket activation: systemd-socket-activate is not installed"
fi
start_broker

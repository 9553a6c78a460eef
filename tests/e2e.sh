#!/bin/sh
# SPDX-License-Identifier: ISC
# e2e.sh - the end-to-end tests, for real: the test helper installed under
# $TEST_PREFIX with a test policy, clients run as nobody; the whole suite
# (e2e-suite.sh, the attacks, the wider API's cases (e2e-api.sh) and the
# races) runs with the helper setuid root, then with file capabilities
# instead, then through the broker
# openfiled (OPENFILE_TRANSPORT=broker), whose own cases follow
# (e2e-broker.sh).  Speaks TAP.  Needs root; skips (exit 77) otherwise.
# RACE=SECONDS sets how long each race runs (5); E2E_ONLY=races runs only
# those (make races does both), E2E_ONLY=run only openfile-run's
# (e2e-run.sh); E2E_MODES="broker" runs only the modes
# named; E2E_TIMES=FILE appends to FILE when each case ended, and its
# name, to see where the time goes.
#
# VALGRIND=1 runs every client under valgrind's memcheck; the helper they
# start runs natively (valgrind cannot run a setuid or capability binary,
# and --trace-children=no leaves the exec alone).  valgrind 3.19 has no
# pidfd_open(2): there the library takes its way without a pidfd.
# valgrind checks the clients only, so it skips what would repeat the
# plain run: the caps mode (unless E2E_MODES names it), whose clients take
# the setuid mode's paths, and the races, whose clients run natively.
# In a sanitizer build (OPENFILE_SANITIZER set by make check) the clients
# and the helper are sanitized.  Either way a report fails the case it
# happened in; the helper's reports kill it, so its caller gets EIO.
set -u
umask 022

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP end-to-end tests need root to install the setuid helper (running as uid $(id -u))"
	exit 77
fi
# One end-to-end run at a time on a machine: they share the uid nobody
# and its processes.
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
RACE=${RACE:-5}
U=$(id -u nobody)
G=$(id -g nobody)
# A group nobody is not in, for rules naming a supplementary group.
SUPP=$(getent group 1 | cut -d: -f1)
H=$P/libexec/openfile
# The dynamic helper a static one hands callers only a name service
# module knows: only where the helper is static.
HN=
[ ! -x "$B/tests/openfile-nss-test" ] || HN=$P/libexec/openfile-nss
D=$P/data
POL=$P/etc/policy
# What sanitizers and valgrind say about the clients: a file a process.
R=$P/reports
if [ -n "${OPENFILE_SANITIZER:-}" ]; then
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$R/asan
	UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$R/ubsan
	export ASAN_OPTIONS UBSAN_OPTIONS
fi
CLIENT=$P/bin/e2e-client
if [ "${VALGRIND:-0}" != 0 ]; then
	if ! command -v valgrind >/dev/null; then
		echo "Bail out! VALGRIND=$VALGRIND but valgrind is not installed"
		exit 1
	fi
	# Unquoted where used: the suite's paths have no spaces.  The log
	# decides; the exit status is for a client run by hand.  No gdbserver:
	# its pipes in /tmp outlive a client that drops root and cannot
	# remove them, and valgrind says so in the log.
	CLIENT="valgrind -q --vgdb=no --error-exitcode=99 --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --trace-children=no --suppressions=$S/tests/valgrind.supp --log-file=$R/valgrind.%p $CLIENT"
fi

. "$S/tests/tap.sh"
# check_native WHY DESCRIPTION PATTERN COMMAND...: check, except under
# valgrind, where the case cannot hold for the reason WHY: a visible skip.
# check_unsanitized: the same for a sanitizer build.
check_native() {
	check_unless "${VALGRIND:-0}" "under valgrind" "$@"
}
check_unsanitized() {
	check_unless "$([ -n "${OPENFILE_SANITIZER:-}" ] && echo 1 || echo 0)" "in a sanitizer build" "$@"
}
check_unless() { # check_unless 0|1 WHERE WHY DESCRIPTION PATTERN COMMAND...
	if [ "$1" != 0 ]; then
		skip "[$MODE] $4: not $2: $3"
	else
		shift 3
		check "$@"
	fi
}
# reports: what the sanitizers and valgrind said since the last call.  Not a
# report: valgrind's notes about itself ("--PID-- WARNING: unhandled
# syscall"); its errors are "==PID==" lines.
reports() {
	cat "$R"/* 2>/dev/null | grep -v '^--[0-9]*-- '
	rm -f "$R"/*
}
# check DESCRIPTION PATTERN COMMAND...: the output must match the pattern,
# and nothing may have been reported meanwhile.
check() {
	desc=$1 want=$2
	shift 2
	got=$("$@" 2>&1)
	desc="[$MODE] $desc"
	[ -z "${E2E_TIMES:-}" ] || echo "$(date +%s.%N) $desc" >> "$E2E_TIMES"
	said=$(reports)
	[ -z "$said" ] || { notok "$desc" "$said"; return; }
	case $got in
	$want) ok "$desc" ;;
	*) notok "$desc" "expected: $want
got:      $got" ;;
	esac
}
as_nobody() { setpriv --reuid="$U" --regid="$G" --clear-groups -- "$@"; }
client() { as_nobody timeout 60 $CLIENT "$@"; }
# native_client SECONDS ARGS...: never under valgrind, for cases about the
# host process's own limits, threads or /proc/self/exe, which valgrind
# virtualises, and for the long ones.
native_client() {
	t=$1
	shift
	as_nobody timeout "$t" "$P/bin/e2e-client" "$@"
}
fstat() { stat -c "$1" "$2" 2>&1; }
# A case waits for the condition it needs, never for a fixed time: the
# machine may be loaded (another make check beside this one).
# until_true CMD...: CMD until it succeeds, polled for a minute at most;
# its last status.
until_true() {
	_n=0
	until "$@"; do
		[ $_n -lt 3000 ] || return 1
		sleep 0.02
		_n=$((_n + 1))
	done
}
# until_said FILE PATTERN [N]: until more than N (0) lines of FILE say it.
said_more() { _c=$(grep -c -- "$2" "$1" 2>/dev/null); [ "${_c:-0}" -gt "${3:-0}" ]; }
until_said() { until_true said_more "$@"; }
# until_prints WANT CMD...: CMD's output once it is WANT (or the last
# after a minute).
prints() { _want=$1; shift; [ "$("$@")" = "$_want" ]; }
until_prints() { until_true prints "$@"; shift; "$@"; }

# The audit record.  The test builds send it to sockets under $P, where
# nothing listens but these cases.  log_start FILE [SOCKET]: each message
# to SOCKET (syslog's, $SLOG, by default) into FILE, one a line.
SLOG=$P/run/dev-log JLOG=$P/run/journal.socket AUDIT=$P/log/audit.log
LOGPID=
log_start() {
	LOG=$1 LOGSOCK=${2:-$SLOG}
	command -v python3 >/dev/null || return 1
	rm -f "$LOGSOCK"
	python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[2])
os.chmod(sys.argv[2], 0o666)
with open(sys.argv[1], "wb") as out:
    while True:
        out.write(s.recv(262144) + b"\n"); out.flush()
' "$LOG" "$LOGSOCK" &
	LOGPID=$!
	until_true test -S "$LOGSOCK"
}
# log_sync: every message sent so far is in $LOG (the socket's queue is
# in order: a mark sent now is read after them).
log_sync() {
	mark=openfile-e2e-mark-$(date +%s%N)
	python3 -c '
import socket, sys
socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(sys.argv[1].encode(), sys.argv[2])
' "$mark" "$LOGSOCK"
	until_said "$LOG" "$mark"
}
log_stop() {
	[ -n "$LOGPID" ] || return 0
	log_sync
	kill "$LOGPID" 2>/dev/null
	wait "$LOGPID" 2>/dev/null
	LOGPID=
	rm -f "$LOGSOCK"
}
# log_records: the records in $LOG, one a line, each "IDENT[PID]:
# VERDICT: req=N FIELDS" with its parts joined; a part missing or out of
# order prints "broken record".
log_records() {
	LC_ALL=C awk '
	match($0, /[^ ]*\[[0-9]+\]: (allow|deny|fail): req=[0-9]+ /) {
		head = substr($0, RSTART, RLENGTH)
		rest = substr($0, RSTART + RLENGTH)
		if (!match(rest, /^part=[0-9]+\/[0-9]+ /)) {
			print head rest
			next
		}
		split(substr(rest, 6, RLENGTH - 6), n, "/")
		rest = substr(rest, RLENGTH + 1)
		if (n[1] != next_part[head] + 1) {
			print "broken record: " head
			next_part[head] = 0
			next
		}
		text[head] = (n[1] == 1 ? "" : text[head]) rest
		next_part[head] = n[1] == n[2] ? 0 : n[1]
		if (n[1] == n[2])
			print head text[head]
	}' "$LOG"
}
# log_count TEXT: how many records hold TEXT.
log_count() { log_records | grep -cF -- "$1"; }

# The two ways to give the helper its privilege (the broker mode keeps the
# helper setuid, for the library to fall back to).
# A static helper's openfile-nss ($HN) needs the same file capabilities;
# setuid, it needs no mark: the helper execs it while still root.
privilege_helper() {
	if [ "$MODE" = caps ]; then
		chmod 0755 "$H" && setcap cap_dac_override,cap_dac_read_search+p "$H" &&
			{ [ -z "$HN" ] || setcap cap_dac_override,cap_dac_read_search+p "$HN"; }
	else
		chmod 4755 "$H"
	fi
}
unprivilege_helper() {
	if [ "$MODE" = caps ]; then
		setcap -r "$H" && { [ -z "$HN" ] || setcap -r "$HN"; }
	else
		chmod 0755 "$H"
	fi
}

# The broker: the test build of openfiled, on the test prefix's socket.
SOCK=$P/run/openfile/openfiled.sock
BLOG=$P/openfiled.log
BPID=
start_broker() {
	started=$(grep -c "listening on" "$BLOG" 2>/dev/null)
	install -o root -g root -m 0755 "$B/tests/openfiled-test" "$P/sbin/openfiled"
	# Its sanitizer reports go to its stderr, into $BLOG.  BROKER_IGNORE:
	# signals it starts with ignored, as nohup or a careless init leaves
	# them.
	env -u ASAN_OPTIONS -u UBSAN_OPTIONS sh -c '[ -z "$1" ] || trap "" $1; shift; exec "$@"' \
		sh "${BROKER_IGNORE:-}" "$P/sbin/openfiled" --stderr "$@" >>"$BLOG" 2>&1 &
	BPID=$!
	until_true listening "$BLOG" "$BPID" "$started"
}
# listening LOG PID N: an openfiled logging to LOG is ready, once LOG says
# so for the N+1st time (its socket exists earlier), or has ended.
listening() { said_more "$1" "listening on" "$3" || ! kill -0 "$2" 2>/dev/null; }
stop_broker() {
	[ -n "$BPID" ] || return 0
	kill -TERM "$BPID" 2>/dev/null
	wait "$BPID" 2>/dev/null
	BPID=
}
# policy_changed: after a change to the policy's files, compile it, as an
# administrator must (a policy that does not compile leaves none: all is
# denied), then policy_reread.
policy_changed() {
	compile_policy
	policy_reread
}
compile_policy() { "$B/tests/openfile-policy-test" compile >/dev/null 2>&1; }
# policy_reread: the broker must have read the policy again before the
# next case (it would within 200 ms anyway).
policy_reread() {
	[ "$MODE" = broker ] && [ -n "$BPID" ] || return 0
	n=$(grep -c "policy .* read: \|is unusable" "$BLOG")
	kill -HUP "$BPID"
	until_said "$BLOG" "policy .* read: \|is unusable" "$n"
}
# through_broker A B: A in broker mode, else B.
through_broker() { if [ "$MODE" = broker ]; then echo "$1"; else echo "$2"; fi; }
# helper_only DESCRIPTION PATTERN COMMAND...: a case about the helper
# process itself (its arguments, descriptor 3, its limits or exit status),
# which the broker has not: a visible skip in broker mode.
helper_only() {
	check_unless "$([ "$MODE" = broker ] && echo 1 || echo 0)" "through the broker" \
		"it is about the helper process" "$@"
}

for MODE in ${E2E_MODES:-setuid caps broker}; do
	if [ "$MODE" = caps ] && [ "${VALGRIND:-0}" != 0 ] && [ -z "${E2E_MODES:-}" ]; then
		skip "[caps] every case: not under valgrind: the clients take the setuid mode's paths; the helper, where the modes differ, runs natively"
		continue
	fi
	if [ "$MODE" = caps ] && ! command -v setcap >/dev/null; then
		skip "file capabilities: setcap(8) is not installed"
		continue
	fi
	unset OPENFILE_TRANSPORT
	. "$S/tests/e2e-setup.sh"
	if [ "$MODE" = broker ]; then
		mkdir -m 0755 "$P/sbin"
		start_broker
		OPENFILE_TRANSPORT=broker
		export OPENFILE_TRANSPORT
	fi
	case ${E2E_ONLY:-} in
	races) ;;
	run) . "$S/tests/e2e-run.sh" ;;
	*)
		. "$S/tests/e2e-suite.sh"
		. "$S/tests/e2e-attacks.sh"
		. "$S/tests/e2e-api.sh"
		# openfile-run through the helper and the broker.
		[ "$MODE" = caps ] || . "$S/tests/e2e-run.sh"
		;;
	esac
	if [ "${E2E_ONLY:-}" = run ]; then
		:
	elif [ "${VALGRIND:-0}" = 0 ]; then
		. "$S/tests/e2e-races.sh"
	else
		skip "[$MODE] the races: not under valgrind: their clients run natively, as in the plain run"
	fi
	if [ "$MODE" = broker ]; then
		[ -n "${E2E_ONLY:-}" ] || . "$S/tests/e2e-broker.sh"
		stop_broker
		# Killed on purpose: SIGKILL (race 9), SIGSYS (the seccomp
		# cases), SIGABRT (the sanitizer cases).
		check "no worker died of a signal it should not have" "" \
			sh -c "grep 'killed by signal' '$BLOG' | grep -v 'signal \(9\|31\|6\) '"
		check "no sanitizer report in openfiled's log but the two provoked" \
			"$([ -n "${OPENFILE_SANITIZER:-}" ] && echo 2 || echo 0)" \
			sh -c "grep -c 'ERROR: AddressSanitizer\|runtime error:' '$BLOG'"
	fi
	said=$(reports)
	[ -z "$said" ] || notok "[$MODE] nothing reported after the last case" "$said"
	cd /
done
stop_broker
unset OPENFILE_TRANSPORT
tap_done

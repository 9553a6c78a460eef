#!/bin/sh
# SPDX-License-Identifier: ISC
# transport.sh - what a descriptor costs through each of openfile's
# transports, against the textbook design and against plain open(2),
# measured side by side in one run on a real install.
#
# Benchmark.  As root, from any build directory of this tree:
#
#   make bench-transport        (about 4 minutes on the project's 2-core VM;
#                                ROUNDS=30 CALLS=20 for more, THP=yes to let
#                                huge pages back the large callers)
#
# It configures this source tree in a build directory of its own, installs
# it into a fresh prefix /var/tmp/openfile-bench.XXXXXX (the helper setuid
# root), writes a policy there granting the user nobody a world-readable
# file and a root-only (0600) one, and starts the broker $PREFIX/sbin/openfiled
# if the tree has one.  The clients, bench/bench-transport, run as
# nobody:nogroup; those of the textbook helper, which opens anything for
# anyone who can run it, also have a group of their own that no one else
# has.  ROUNDS rounds (15) run every case in turn, CALLS calls (20) each
# after one untimed call; cases that share a process take turns call by
# call.  It prints one table, then the goals, every ratio from this same
# run.  At exit it stops the broker and removes the prefix and the sudoers
# and loader drop-ins it made.
#
# For the run, the prefix's lib directory is in the loader's cache
# (/etc/ld.so.conf.d), as /usr/lib and /usr/local/lib are, so that mycat
# is linked and loaded as a program installed there is: without a RUNPATH.
# With one, the loader looks for each library in a dozen subdirectories
# that do not exist (glibc-hwcaps, tls) before the prefix's lib, about
# 60 µs a process on the project's VM, which an install in a system
# directory never pays.  Where that cannot be arranged, the header says
# that mycat has a RUNPATH.
#
# The rows, medians and 99th percentiles in microseconds:
#   per call         open()+close() of the world-readable file, the floor;
#                    my_open()+close() of it through the broker
#                    (OPENFILE_TRANSPORT=broker) and through the helper
#                    (OPENFILE_TRANSPORT=helper); the relay, a process of the
#                    client's that open()s the file for each request of
#                    my_open()'s size and sends the descriptor back over a
#                    unix socket, both ends waiting as the broker's do: the
#                    floor of any broker here; the minimal broker, a process
#                    of the client's listening on a unix socket that accepts
#                    one connection, asks SO_PEERCRED, and for each request
#                    checks the path is in the file's directory, open()s it
#                    and sends the descriptor, waiting in poll(2): what a
#                    policy-free broker costs; the textbook design of UNIX
#                    Network Programming 15.7 (fork, execl a tiny setuid
#                    helper, waitpid: bench/textbook*.c); and the null spawn,
#                    my_open() when a do-nothing program linked and installed
#                    like the helper (bench/null-helper.c) is mounted over the
#                    helper's path: what spawning costs before the helper
#                    does anything.  The ratio is to open().
#   memory resident  the helper and the textbook for a caller that first
#                    touched 1 or 4 GiB (in 4 KiB pages unless THP=yes):
#                    fork copies its page tables, posix_spawn does not.  The
#                    ratio is to the same path for the small caller above.
#   threads          1 and 2 client threads calling at once: the latencies,
#                    and calls/s over the wall time.  The ratio is to open()
#                    with as many threads.
#   whole processes  cat of the world-readable file; mycat of the root-only
#                    file through the broker and through the helper, and
#                    mycat's source linked to libmyopen.so through the
#                    broker, as a C program using the library is; sudo -n
#                    cat of it under a NOPASSWD rule for nobody; each spawned
#                    and waited for.  The ratio is to cat.
#   openfile-run     open()+close() of the world-readable file with the shim
#                    in LD_PRELOAD, ratio to open() alone in its process
#                    (1 thread, below: the first row takes turns with the
#                    helper): what a long-running program pays; cat of the
#                    world-readable file with the null shim in LD_PRELOAD
#                    (bench/null-shim.c, linked like the shim, interposing
#                    nothing: what loading any object costs), with the shim,
#                    and under openfile-run --mode preload (which execs cat:
#                    one exec more), ratio to cat; cat of the
#                    root-only file under openfile-run --mode preload through
#                    the broker and the helper, ratio to mycat of it the same
#                    way; env cat, what any launcher that execs costs, and
#                    cat under --mode seccomp, ratio to cat.
# A row that cannot run says why instead (unavailable, failed, skipped), and
# the goals that need it say n/a.  The goals: the broker within 6x open();
# the helper no slower than the textbook; the helper for a 4 GiB caller
# within 1.2x of a small one; the broker within 1.25x of the minimal
# broker; mycat through the broker within 1.2x of cat and 3x faster than
# sudo -n cat; the helper within 1.10x of the null spawn;
# open() under the shim within 1.05x of open(); cat under the shim within
# 1.05x of cat; openfile-run cat within 1.05x of env cat, the lightest
# launcher: a launcher's own exec is no cost of openfile-run's, so
# openfile-run cat / cat is printed but is no goal.
set -eu
[ "$(id -u)" = 0 ] || { echo "transport.sh: run me as root (I install setuid programs)" >&2; exit 1; }
S=$(cd "${srcdir:-.}" && pwd)
. "$S/bench/stats.sh"
ROUNDS=${ROUNDS:-15}
CALLS=${CALLS:-20}
THP=${THP:-no}

P=$(mktemp -d /var/tmp/openfile-bench.XXXXXX)
broker_pid= sudoers= ldconf=
cleanup() {
	if [ -n "$broker_pid" ]; then
		kill "$broker_pid" 2>/dev/null || true
		wait "$broker_pid" 2>/dev/null || true
	fi
	[ -z "$sudoers" ] || rm -f "$sudoers"
	[ -z "$ldconf" ] || { rm -f "$ldconf"; ldconfig; }
	rm -rf "$P"
}
trap cleanup EXIT
trap 'exit 130' HUP INT TERM
chmod 0755 "$P"
W=$P/work
mkdir "$P/build" "$P/bench" "$P/data" "$W"

# A group no one has: the textbook helper opens anything for its members.
tbgid=
for g in $(seq 64900 64999); do
	getent group "$g" >/dev/null && continue
	getent passwd | awk -F: -v g="$g" '$4 == g { f = 1 } END { exit !f }' && continue
	tbgid=$g
	break
done
[ -n "$tbgid" ] || { echo "transport.sh: no free group id in 64900-64999" >&2; exit 1; }

# Before configure: libtool leaves out a RUNPATH to a directory the
# loader's configuration names.
if [ -d /etc/ld.so.conf.d ] && command -v ldconfig >/dev/null &&
	grep -qs '^include.*ld\.so\.conf\.d' /etc/ld.so.conf; then
	ldconf=/etc/ld.so.conf.d/zz-openfile-bench-$$.conf
	echo "$P/lib" >"$ldconf"
fi

echo "building and installing $S into $P ..."
src=$S
if [ -e "$S/config.status" ]; then
	# Configured in place, the tree refuses a second build directory:
	# build a clean copy of what it distributes instead.
	make -C "$S" distdir distdir="$P/src" >"$P/build.log" 2>&1 ||
		{ tail -n 20 "$P/build.log" >&2; exit 1; }
	src=$P/src
fi
if ! (cd "$P/build" && "$src/configure" -q --prefix="$P" --with-test-prefix="$P/test" &&
	make -j"$(nproc)" && make install &&
	make bench/bench-transport bench/textbook-openfile bench/null-helper \
		bench/null-shim.la) >>"$P/build.log" 2>&1; then
	tail -n 20 "$P/build.log" >&2
	echo "transport.sh: the build failed" >&2
	exit 1
fi
HELPER=$P/libexec/openfile/openfile
# mycat's source linked to libmyopen.so, as a C program using the library
# is (the installed mycat carries the library's code, static-pie).
MYCAT_SO=$P/bench/mycat-shared
${CC:-cc} -o "$MYCAT_SO" -I"$P/build" -I"$P/include" "$src/tools/mycat.c" \
	-L"$P/lib" -lmyopen >>"$P/build.log" 2>&1 ||
	{ tail -n 20 "$P/build.log" >&2; echo "transport.sh: cannot link $MYCAT_SO" >&2; exit 1; }
DRIVER=$P/bench/bench-transport
TB=$P/bench/textbook-openfile
NULL=$P/bench/null-helper
[ -u "$HELPER" ] && [ "$(stat -c %u "$HELPER")" = 0 ] ||
	{ echo "transport.sh: make install did not make $HELPER setuid root" >&2; exit 1; }
[ -z "$ldconf" ] || ldconfig
if ! command -v readelf >/dev/null; then
	libs="libmyopen.so's linking unknown (no readelf)"
elif readelf -d "$MYCAT_SO" | grep -q '(R.*PATH)'; then
	libs="the libmyopen.so program has a RUNPATH, which the loader probes first (see bench/transport.sh)"
else
	libs="the libmyopen.so program finds it in the loader's cache, as when installed in /usr"
fi
# Another libmyopen earlier in the loader's cache would be another build's,
# with its own socket and helper: the mycat rows would measure that one.
if command -v ldd >/dev/null; then
	found=$(ldd "$MYCAT_SO" | awk '$1 ~ /^libmyopen\.so/ { print $3 }')
	case $found in
	"$P"/lib/*) ;;
	*) echo "transport.sh: $MYCAT_SO loads libmyopen from ${found:-nowhere}, not from $P/lib" >&2
	   exit 1 ;;
	esac
fi
install -m 0755 "$P/build/bench/bench-transport" "$DRIVER"
install -o root -g "$tbgid" -m 4750 "$P/build/bench/textbook-openfile" "$TB"
install -o root -g root -m 4755 "$P/build/bench/null-helper" "$NULL"
NULLSHIM=$P/lib/openfile/null-shim.so
[ ! -d "$P/lib/openfile" ] || install -m 0755 "$P/build/bench/.libs/null-shim.so" "$NULLSHIM"
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' '; }
if command -v readelf >/dev/null && [ "$(needed "$HELPER")" != "$(needed "$NULL")" ]; then
	echo "transport.sh: the null helper is not linked like the helper: $(needed "$NULL")/ $(needed "$HELPER")" >&2
	exit 1
fi

PUB=$P/data/public.txt
SECRET=$P/data/secret.txt
seq 1 1000 >"$PUB"
cp "$PUB" "$SECRET"
chmod 0644 "$PUB"
chmod 0600 "$SECRET"
cat >"$P/etc/openfile/policy" <<EOF
# bench/transport.sh: the bench user may read its two files.
allow user nobody read $PUB
allow user nobody read $SECRET
EOF
chown root:root "$P/etc/openfile/policy"
chmod 0644 "$P/etc/openfile/policy"
# Compiled first: check --strict counts a stale compiled policy.
"$P/sbin/openfile-policy" compile >/dev/null
"$P/sbin/openfile-policy" check --strict >/dev/null

# nobody TRANSPORT GROUPS NULL CMD...: CMD as nobody:nogroup from /, with
# supplementary GROUPS (comma-separated, or none), in a small environment
# holding OPENFILE_TRANSPORT=TRANSPORT unless that is empty (and
# LD_PRELOAD=$PRELOAD unless that is); with NULL=yes
# in a mount namespace of its own where the null helper is mounted over
# the helper.
nobody() {
	tr=$1 ns=$3
	if [ -n "$2" ]; then grp=--groups=$2; else grp=--clear-groups; fi
	shift 3
	set -- setpriv --reuid=nobody --regid=nogroup "$grp" -- "$@"
	[ "$ns" = no ] || set -- unshare --mount --propagation private -- \
		sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh "$NULL" "$HELPER" "$@"
	(cd / && exec env -i PATH=/usr/bin:/bin ${tr:+OPENFILE_TRANSPORT=$tr} \
		${PRELOAD:+LD_PRELOAD=$PRELOAD} "$@")
}

# mark WHY LABEL...: these rows say WHY instead of a figure, and do not run.
mark() {
	m_why=$1
	shift
	for l; do
		echo "$m_why" >"$W/why.$l"
	done
}

# drive LABELS TRANSPORT GROUPS NULL ARGS...: one bench-transport run as
# nobody, each call appended to $W/t.LABEL.  A run that fails marks its
# rows with the first line it complained with.
drive() {
	d_labels=$1 d_tr=$2 d_grp=$3 d_ns=$4
	shift 4
	for l in $d_labels; do
		[ ! -e "$W/why.$l" ] || return 0
	done
	if nobody "$d_tr" "$d_grp" "$d_ns" "$DRIVER" -n "$CALLS" "$@" >"$W/out" 2>"$W/err"; then
		awk -v d="$W" '{ print $2 >> (d "/t." $1) }' "$W/out"
	else
		mark "failed: $(head -n 1 "$W/err")" $d_labels
	fi
}

# probe TRANSPORT: whether one my_open() as nobody goes through.
probe() {
	nobody "$1" "" no "$DRIVER" -n 1 -f "$PUB" probe=my_open >/dev/null 2>"$W/probe.err"
}

BROKER_ROWS="broker broker-t1 broker-t2 mycat-broker mycat-so"
if [ ! -x "$P/sbin/openfiled" ]; then
	mark "unavailable: this tree has no openfiled" $BROKER_ROWS
elif probe broker; then
	mark "unavailable: libmyopen ignores OPENFILE_TRANSPORT=broker (served with no broker running)" $BROKER_ROWS
else
	"$P/sbin/openfiled" >"$W/openfiled.log" 2>&1 &
	broker_pid=$!
	i=0
	until probe broker; do
		i=$((i + 1))
		if ! kill -0 "$broker_pid" 2>/dev/null; then
			st=0
			wait "$broker_pid" || st=$?
			broker_pid=
			why=$(tail -n 1 "$W/openfiled.log")
			mark "unavailable: openfiled exited with status $st${why:+: $why}" $BROKER_ROWS
			break
		elif [ $i -ge 100 ]; then
			mark "unavailable: no answer in 10 s: $(head -n 1 "$W/probe.err")" $BROKER_ROWS
			break
		fi
		sleep 0.1
	done
fi

CAT=$(command -v cat)
ENV=$(command -v env)
RUN=$P/bin/openfile-run
SHIM=$P/lib/openfile/openfile-preload.so
PRELOAD=
if [ ! -x "$RUN" ] || [ ! -e "$SHIM" ]; then
	mark "unavailable: this tree has no openfile-run" open-shim null-shim-cat preload-cat \
		run-cat run-broker run-helper seccomp-cat
elif ! "$RUN" --mode seccomp true 2>/dev/null; then
	mark "unavailable: this kernel cannot supervise opens" seccomp-cat
elif [ -e "$W/why.mycat-broker" ]; then
	cp "$W/why.mycat-broker" "$W/why.run-broker"
fi
SUDO=$(command -v sudo || true)
if [ -z "$SUDO" ]; then
	mark "skipped: sudo is not installed" sudo
elif [ ! -d /etc/sudoers.d ] || ! command -v visudo >/dev/null; then
	mark "skipped: no /etc/sudoers.d or no visudo" sudo
else
	# No dot in the name: sudo skips such files in sudoers.d.
	sudoers=/etc/sudoers.d/openfile-bench-$$
	(umask 0337 && echo "nobody ALL=(root) NOPASSWD: $CAT $SECRET" >"$sudoers")
	# A drop-in sudo cannot parse would lock everyone out of sudo.
	if ! visudo -cqf "$sudoers" >/dev/null 2>&1; then
		rm -f "$sudoers"
		mark "failed: visudo rejects the drop-in" sudo
	fi
fi

thp=
[ "$THP" != yes ] || thp=-H
round() {
	# The floor and the helper take turns call by call.  Only the
	# textbook's clients have its group: a group with no name costs the
	# helper an NSS lookup that misses.
	drive "open helper" helper "" no -f "$PUB" open=open helper=my_open
	drive textbook "" "$tbgid" no -f "$PUB" -x "$TB" textbook=textbook
	# Not call by call: the broker and the relay each spin for their
	# next request (common/spin.h), and two servers spinning by turns
	# would hold both CPUs against the client, as no program's one
	# broker does.
	drive broker broker "" no -f "$PUB" broker=my_open
	drive relay "" "" no -f "$PUB" relay=relay
	drive minbroker "" "" no -f "$PUB" minbroker=minbroker
	drive null helper "" yes -f "$PUB" null=my_open_null
	for gib in 1 4; do
		drive helper-${gib}g helper "" no -m $((gib * 1024)) $thp \
			-f "$PUB" helper-${gib}g=my_open
		drive textbook-${gib}g "" "$tbgid" no -m $((gib * 1024)) $thp \
			-f "$PUB" -x "$TB" textbook-${gib}g=textbook
	done
	for t in 1 2; do
		drive open-t$t "" "" no -t $t -f "$PUB" open-t$t=open
		drive broker-t$t broker "" no -t $t -f "$PUB" broker-t$t=my_open
		drive helper-t$t helper "" no -t $t -f "$PUB" helper-t$t=my_open
		drive textbook-t$t "" "$tbgid" no -t $t -f "$PUB" -x "$TB" \
			textbook-t$t=textbook
	done
	drive cat "" "" no cat=spawn -- "$CAT" "$PUB"
	drive mycat-broker broker "" no mycat-broker=spawn -- "$P/bin/mycat" "$SECRET"
	drive mycat-helper helper "" no mycat-helper=spawn -- "$P/bin/mycat" "$SECRET"
	drive mycat-so broker "" no mycat-so=spawn -- "$MYCAT_SO" "$SECRET"
	drive sudo "" "" no sudo=spawn -- "$SUDO" -n "$CAT" "$SECRET"
	# The driver runs with the shim too, which changes nothing it times.
	PRELOAD=$SHIM
	drive open-shim "" "" no -f "$PUB" open-shim=open
	PRELOAD=$NULLSHIM
	drive null-shim-cat "" "" no null-shim-cat=spawn -- "$CAT" "$PUB"
	PRELOAD=$SHIM
	drive preload-cat "" "" no preload-cat=spawn -- "$CAT" "$PUB"
	PRELOAD=
	drive run-cat "" "" no run-cat=spawn -- "$RUN" --mode preload "$CAT" "$PUB"
	drive env-cat "" "" no env-cat=spawn -- "$ENV" "$CAT" "$PUB"
	drive seccomp-cat "" "" no seccomp-cat=spawn -- "$RUN" --mode seccomp "$CAT" "$PUB"
	drive run-broker broker "" no run-broker=spawn -- "$RUN" --mode preload "$CAT" "$SECRET"
	drive run-helper helper "" no run-helper=spawn -- "$RUN" --mode preload "$CAT" "$SECRET"
}

echo "running $ROUNDS rounds of $CALLS calls a case ..."
load=$(cut -d' ' -f1-3 /proc/loadavg)
r=0
while [ $r -lt "$ROUNDS" ]; do
	round
	r=$((r + 1))
done

# The table, a line a row: "label<TAB>title<TAB>the label its ratio is
# to<TAB>whether calls/s are shown", or "=<TAB>a section's title".
rows() {
	cat <<'EOF'
=	per call (ratio to open())
open	open()+close(), world-readable file	open	no
broker	my_open()+close(), broker	open	no
relay	relay: open() by another process	open	no
minbroker	minimal policy-free broker	open	no
helper	my_open()+close(), helper	open	no
textbook	textbook fork+execl+waitpid	open	no
null	null spawn (do-nothing helper)	open	no
=	caller with memory resident (ratio to the same path, small caller)
helper-1g	helper, 1 GiB caller	helper	no
helper-4g	helper, 4 GiB caller	helper	no
textbook-1g	textbook, 1 GiB caller	textbook	no
textbook-4g	textbook, 4 GiB caller	textbook	no
=	client threads (ratio to open() with as many threads)
open-t1	open(), 1 thread	open-t1	yes
open-t2	open(), 2 threads	open-t2	yes
broker-t1	broker, 1 thread	open-t1	yes
broker-t2	broker, 2 threads	open-t2	yes
helper-t1	helper, 1 thread	open-t1	yes
helper-t2	helper, 2 threads	open-t2	yes
textbook-t1	textbook, 1 thread	open-t1	yes
textbook-t2	textbook, 2 threads	open-t2	yes
=	whole processes (ratio to cat)
cat	cat, world-readable file	cat	no
mycat-broker	mycat, root-only file, broker	cat	no
mycat-helper	mycat, root-only file, helper	cat	no
mycat-so	the same linked to libmyopen.so, broker	cat	no
sudo	sudo -n cat, root-only file	cat	no
=	openfile-run (ratio to open() with 1 thread, to cat, or to mycat the same way)
open-shim	open()+close(), shim in LD_PRELOAD	open-t1	no
null-shim-cat	cat, null shim in LD_PRELOAD	cat	no
preload-cat	cat, shim in LD_PRELOAD	cat	no
run-cat	openfile-run cat, world-readable file	cat	no
env-cat	env cat: any launcher's one exec more	cat	no
seccomp-cat	openfile-run --mode seccomp cat	cat	no
run-broker	openfile-run cat, root-only, broker	mycat-broker	no
run-helper	openfile-run cat, root-only, helper	mycat-helper	no
EOF
}
# summary: the rows with their figures (nanoseconds, calls/s) or why not,
# tab-separated: label, title, base, median, p99, calls/s, why.
rows | while IFS='	' read -r label title base rate; do
	if [ "$label" = = ]; then
		printf '=\t%s\n' "$title"
	elif [ -e "$W/why.$label" ]; then
		printf '%s\t%s\t%s\t-\t-\t-\t%s\n' "$label" "$title" "$base" "$(cat "$W/why.$label")"
	elif [ -s "$W/t.$label" ]; then
		cps=-
		[ "$rate" = no ] || cps=$(median "$W/t.$label:cps")
		printf '%s\t%s\t%s\t%s\t%s\t%s\t\n' "$label" "$title" "$base" \
			"$(median "$W/t.$label")" "$(p99 "$W/t.$label")" "$cps"
	else
		printf '%s\t%s\t%s\t-\t-\t-\tno figures\n' "$label" "$title" "$base"
	fi
done >"$W/summary"

thp_mode=$(sed 's/.*\[\(.*\)\].*/\1/' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo unknown)
echo
echo "openfile transport benchmark: $ROUNDS rounds x $CALLS calls a case, the cases taking turns"
machine
echo "load average before the rounds: $load (other work shows in the p99)"
echo "libraries: $libs"
echo "clients: nobody:nogroup; large callers in $([ "$THP" = yes ] && echo "huge pages where THP ($thp_mode) allows" || echo "4 KiB pages (THP here: $thp_mode)")"
LC_ALL=C awk -F '\t' '
function has(l) { return (l in med) && med[l] != "-" }
function goal(text, a, b, op, target,   r, miss) {
	if (!has(a) || !has(b)) {
		miss = has(a) ? b : a
		printf "  %-40s %2s %5.2fx %8s  (%s: %s)\n", text, op, target, "n/a", miss, why[miss]
		return
	}
	r = med[a] / med[b]
	printf "  %-40s %2s %5.2fx %7.2fx  %s\n", text, op, target, r,
		(op == "<=" ? r <= target : r >= target) ? "PASS" : "MISS"
}
# A ratio printed beside the goals, not one of them.
function info(text, a, b, what) {
	if (has(a) && has(b))
		printf "  %-40s %9s %7.2fx  (not a goal: %s)\n", text, "", med[a] / med[b], what
}
{
	n++
	label[n] = $1
	title[n] = $2
	if ($1 != "=") {
		base[n] = $3; med[$1] = $4; q[$1] = $5; cps[$1] = $6; why[$1] = $7
	}
}
END {
	# Widths in bytes (LC_ALL=C): "µ" takes two.
	printf "\n  %-38s %10s %10s %8s %9s\n", "", "median µs", "p99 µs", "ratio", "calls/s"
	for (i = 1; i <= n; i++) {
		l = label[i]
		if (l == "=") {
			printf "%s\n", title[i]
		} else if (!has(l)) {
			printf "  %-38s %s\n", title[i], why[l]
		} else {
			printf "  %-38s %9.1f %9.1f", title[i], med[l] / 1000, q[l] / 1000
			if (has(base[i]))
				printf " %7.2fx", med[l] / med[base[i]]
			else
				printf " %8s", "-"
			if (cps[l] != "-")
				printf " %9.0f", cps[l]
			printf "\n"
		}
	}
	printf "\ngoals, from the medians above                  target  measured\n"
	goal("broker / open()", "broker", "open", "<=", 6)
	goal("helper / textbook", "helper", "textbook", "<=", 1.0)
	goal("helper: 4 GiB caller / small caller", "helper-4g", "helper", "<=", 1.2)
	goal("broker / minimal broker", "broker", "minbroker", "<=", 1.25)
	goal("mycat via broker / cat", "mycat-broker", "cat", "<=", 1.2)
	goal("sudo -n cat / mycat via broker", "sudo", "mycat-broker", ">=", 3)
	goal("helper / null spawn", "helper", "null", "<=", 1.1)
	goal("open() under the shim / open(), 1 thread", "open-shim", "open-t1", "<=", 1.05)
	goal("cat under the shim / cat", "preload-cat", "cat", "<=", 1.05)
	goal("openfile-run cat / env cat", "run-cat", "env-cat", "<=", 1.05)
	info("mycat linked to libmyopen.so / cat", "mycat-so", "cat", "what the loader costs")
	info("openfile-run cat / cat", "run-cat", "cat", "the exec any launcher adds")
	info("cat under the shim / under the null shim", "preload-cat", "null-shim-cat",
		"the shim beyond loading any object")
	info("broker / relay", "broker", "relay", "what the broker adds to the relay")
	info("textbook: 4 GiB caller / small caller", "textbook-4g", "textbook", "what fork costs")
}' "$W/summary"

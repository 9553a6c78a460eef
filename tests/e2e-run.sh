# SPDX-License-Identifier: ISC
# e2e-run.sh - openfile-run's cases, sourced by e2e.sh after the suite:
# unmodified programs, run as nobody, open what the policy grants through
# the installed test helper (setuid mode: every case) or the broker (broker
# mode: a few).  Each case about interposition runs once for each mode in
# RUN_MODES.

if [ -n "${OPENFILE_SANITIZER:-}" ]; then
	# A sanitized shim in a program that is not cannot load.
	skip "[$MODE] openfile-run: not in a sanitizer build: the shim would need the sanitizer's runtime first in every program"
	return 0
fi
RUN=$P/bin/openfile-run
PROBE=$P/bin/run-probe
# Files nobody may not open itself, in a directory it may not search,
# granted by rules appended to the policy (whose numbering stays).
RD=$D/run
mk 0700 run
mk 0755 runpub
printf 'one\ntwo\nthree\n' > "$RD/lines"
printf 'first\n' > "$RD/rot.log"
printf 'shown\n' > "$RD/pub.txt"
printf 'relative\n' > "$D/runpub/rel.txt"
printf 'line1\n' > "$RD/spool"
chmod 0600 "$RD/lines" "$RD/rot.log" "$RD/spool" "$D/runpub/rel.txt"
chmod 0644 "$RD/pub.txt"
{
	echo "allow * read $RD/lines"
	echo "allow * read $RD/rot.log"
	echo "allow * read $RD/pub.txt"
	echo "allow * read $D/runpub/rel.txt"
	echo "allow * append $RD/spool"
} >> "$POL"
policy_changed

# seccomp too, where this kernel lets a supervisor answer opens.
RUN_MODES="preload"
if as_nobody "$RUN" --mode seccomp true 2>/dev/null; then
	RUN_MODES="preload seccomp"
else
	skip "[$MODE] openfile-run --mode seccomp: this kernel cannot supervise opens (Linux 5.14 or later)"
fi
STATIC=$P/bin/supervise-target-static
# target MODE STEP...: the static test program's report of STEP, run
# under MODE as nobody (it writes to a file it opens: one of nobody's).
target() {
	_m=$1; shift
	rm -f "$D/userdir/target.out"
	run $_m "$STATIC" "$D/userdir/target.out" "$@"
	cat "$D/userdir/target.out" 2>/dev/null
}

# run MODE ARGS...: openfile-run --mode MODE ARGS as nobody.
run() { _m=$1; shift; as_nobody timeout 60 "$RUN" --mode "$_m" "$@"; }
# status CMD...: CMD's output, then "rc=N".
status() { "$@"; echo "rc=$?"; }
# has CMD: CMD is installed and nobody may run it.
has() { as_nobody sh -c 'command -v "$1" >/dev/null && "$1" --version >/dev/null 2>&1' sh "$1"; }

for RM in $RUN_MODES; do
	check "openfile-run --mode $RM: cat reads a granted root-only file" "allowed" \
		run $RM cat "$D/secret/allowed.txt"
	check "$RM: a refused file: cat's own message and exit status" \
		"cat: $D/secret/denied.txt: Permission denied
rc=1" status run $RM cat "$D/secret/denied.txt"
	check "$RM: a child process of the command opens too" "allowed" \
		run $RM sh -c "cat '$D/secret/allowed.txt'"
	check "$RM: sed, which calls only fopen" "two" run $RM sed -n 2p "$RD/lines"
	check "$RM: 16 threads open at once" "16 opened" run $RM "$PROBE" threads 16 "$RD/lines"
	check "$RM: a program that closes every descriptor opens again" "reopened" \
		run $RM "$PROBE" closeall "$RD/lines"
	# The shim stays out of a vfork() child, which shares its parent's
	# memory; the supervisor answers it as any process.
	if [ $RM = preload ]; then
		check "$RM: a vfork() child is answered by the kernel, its parent by the policy" \
			"child=EACCES parent=opened" run $RM "$PROBE" vfork "$RD/lines"
	else
		check "$RM: a vfork() child and its parent are answered by the policy" \
			"child=opened parent=opened" run $RM "$PROBE" vfork "$RD/lines"
	fi
	if [ "$MODE" = broker ]; then
		continue
	fi
	check "$RM: tail -n" "three" run $RM tail -n 1 "$RD/lines"
	check "$RM: grep" "three" run $RM grep thr "$RD/lines"
	check "$RM: dd" "one*three" run $RM dd if="$RD/lines" status=none
	for prog in perl python3; do
		if ! has $prog; then
			skip "[$MODE] $RM: $prog: not installed (or nobody may not run it)"
			continue
		fi
		case $prog in
		perl) code='-e open(my $f, "<", $ARGV[0]) or die "$!\n"; print <$f>' ;;
		python3) code='-cimport sys; print(open(sys.argv[1]).read(), end="")' ;;
		esac
		check "$RM: $prog" "one*three" run $RM $prog "$code" "$RD/lines"
	done
	check "$RM: a relative path" "relative" \
		as_nobody sh -c "cd '$D/runpub' && exec timeout 60 '$RUN' --mode $RM cat rel.txt"
	check "$RM: a shell's >> into an append-only grant" "" \
		run $RM sh -c "echo line2 >> '$RD/spool'"
	check "... appends" "line1*line2" cat "$RD/spool"
	check "... with O_APPEND, as the shell asked" "append=1 cloexec=0" \
		run $RM sh -c "exec 3>>'$RD/spool' && exec '$PROBE' fdflags 3"
	check "$RM: a plain write is still refused on it" "*Permission denied*" \
		run $RM sh -c "echo x 1<>'$RD/spool'"
	check "$RM: the fortified __open_2" "one*three" run $RM "$PROBE" cat "$RD/lines"
	check "... which the probe calls" "*__open*_2*" readelf --dyn-syms -W "$PROBE"
	check "$RM: freopen keeps the stream's descriptor" "fd=0 one*three" \
		run $RM "$PROBE" freopen "$RD/lines"
	check "$RM: O_CLOEXEC is honoured: closed after exec" "cloexec=1 closed" \
		run $RM "$PROBE" cloexec "$RD/lines"

	# tail -F across a rotation: tail follows the name, reopening it once
	# it is replaced (polling: nobody may not watch the directory).
	# Each mode starts from the log before the rotation; tail is started
	# without a subshell (as_nobody is a function: a background function
	# is one), so that $! is timeout(1), which passes the signal on.
	rm -f "$P/tail.out"
	printf 'first\n' > "$RD/rot.log" && chmod 0600 "$RD/rot.log"
	setpriv --reuid="$U" --regid="$G" --clear-groups -- \
		timeout 60 "$RUN" --mode $RM tail -F -s 0.1 "$RD/rot.log" > "$P/tail.out" 2>&1 &
	tailpid=$!
	until_said "$P/tail.out" first
	mv "$RD/rot.log" "$RD/rot.log.1"
	printf 'second\n' > "$RD/rot.log.new" && chmod 0600 "$RD/rot.log.new"
	mv "$RD/rot.log.new" "$RD/rot.log"
	until_said "$P/tail.out" second
	kill "$tailpid" 2>/dev/null
	wait "$tailpid" 2>/dev/null
	check "$RM: tail -F follows a rotated log" "first*second" grep -v '^tail: ' "$P/tail.out"
done

# --- a static program: seccomp reaches it, and auto picks seccomp ---------
if [ ! -x "$STATIC" ]; then
	skip "[$MODE] static programs: the toolchain links none here (no libc.a)"
elif [ "$RUN_MODES" = preload ]; then
	check "auto: a static program, where the kernel cannot supervise: a warning, not interposed" \
		"*does not take the preload shim*err 13*" \
		target auto open "$D/secret/allowed.txt"
else
	check "the static test program is static" "static" target preload linkage -
	check "preload: a static program's opens are not interposed" "err 13" \
		target preload open "$D/secret/allowed.txt"
	check "seccomp: a static program reads a granted file" "ok allowed*" \
		target seccomp open "$D/secret/allowed.txt"
	check "auto: a static program reads a granted file (auto takes seccomp)" "ok allowed*" \
		target auto open "$D/secret/allowed.txt"
	check "seccomp: a static program refused a file sees the kernel's EACCES" "err 13" \
		target seccomp open "$D/secret/denied.txt"
	check "seccomp: a static program's 16 threads open at once" "ok*" \
		target seccomp threads 16 "$D/secret/allowed.txt"
fi
check "auto: a dynamically linked program takes the preload shim" "*/openfile-preload.so*" \
	run auto sh -c 'echo "$LD_PRELOAD"'

# --- --open, in no mode of interposition ------------------------------------
for RM in $RUN_MODES; do
	check "--open 0=PATH feeds standard input" "allowed" \
		run $RM --open 0="$D/secret/allowed.txt" cat
	check "--open 3=PATH read as /dev/fd/3 (a file in a directory nobody may not search)" \
		"shown" run $RM --open 3="$RD/pub.txt" cat /dev/fd/3
	check "--open 3=PATH:r read from descriptor 3" "allowed" \
		run $RM --open 3="$D/secret/allowed.txt:r" sh -c 'cat <&3'
	check "--open N=PATH:a appends with O_APPEND" "append=1 cloexec=0" \
		run $RM --open 5="$RD/spool:a" "$PROBE" fdflags 5
done
[ "$MODE" = broker ] && return 0
check "--open of a refused file: 125 and why" \
	"openfile-run: --open 3=$D/secret/denied.txt: $D/secret/denied.txt: Permission denied
rc=125" status run preload --open 3="$D/secret/denied.txt" true
check "--open with a write mode on a read grant is refused" "*Permission denied*rc=125" \
	status run preload --open 3="$RD/lines:w" true

# --- what openfile-run itself says -------------------------------------------
check "a bad fopen mode: 125" "openfile-run: --open 3=/x:q: 'q' is not an fopen mode
rc=125" status run preload --open 3=/x:q true
check "--open without N=" "openfile-run: --open /x: expected N=PATH*
rc=125" status run preload --open /x true
check "--open N out of range" "*N must be a number from 0 to 255*rc=125" \
	status run preload --open 256=/x true
check "--open N given twice" "*descriptor 3 is given twice*rc=125" \
	status run preload --open 3=/x --open 3=/y true
check "an unknown mode" "openfile-run: --mode magic: expected auto, preload or seccomp
rc=125" status run magic true
check "no command" "*no COMMAND*rc=125" status as_nobody "$RUN"
check "a command not found: 127" "*no-such-command*No such file*rc=127" \
	status as_nobody env PATH=/usr/bin:/bin "$RUN" --mode preload no-such-command
check "a command that cannot be run: 126" "*Permission denied*rc=126" \
	status run preload "$RD/lines"
check "--help prints the usage on stdout" "Usage: openfile-run *rc=0" \
	status as_nobody "$RUN" --help
check "the command's exit status" "rc=3" status run preload sh -c 'exit 3'
check "a command killed by a signal: openfile-run ends by it too" "*rc=143" \
	status as_nobody sh -c "'$RUN' --mode preload sh -c 'kill \$\$'; exit \$?"

# A setuid command: the loader does not preload into it; it runs anyway.
install -o root -g root -m 4755 "$(command -v id)" "$P/bin/suid-id"
check "a setuid command: a warning, and it runs" \
	"openfile-run: warning: $P/bin/suid-id is setuid: it runs without interposition
0" run preload "$P/bin/suid-id" -u
if [ "$RUN_MODES" != preload ]; then
	check "... under seccomp: a warning, and it runs without its privilege" \
		"openfile-run: warning: $P/bin/suid-id is setuid: under seccomp it runs without that privilege
$U" run seccomp "$P/bin/suid-id" -u
fi
rm -f "$P/bin/suid-id"

# Files nobody may open itself never reach the policy: the helper logs
# every request it is asked.
if ! log_start "$P/run-syslog.out"; then
	skip "[$MODE] what nobody may open itself never reaches the helper: no python3 to receive the records"
else
	run preload cat /etc/passwd "$D/secret/allowed.txt" >/dev/null
	log_stop
	check "what nobody may open itself never reaches the helper, what it may not does" "0 1" \
		eval 'echo $(log_count " path=/etc/passwd ") $(log_count " path=$D/secret/allowed.txt ")'
fi
write_policy

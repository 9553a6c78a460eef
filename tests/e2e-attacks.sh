# SPDX-License-Identifier: ISC
# e2e-attacks.sh - the attacks of THREATS.md that e2e-suite.sh does not
# already cover, and its races; sourced by e2e.sh after e2e-suite.sh, once
# for each $MODE, in the same prefix.  Numbers in the descriptions are
# THREATS.md's; the races are in e2e-races.sh.

write_policy
cd "$D" || exit 1

# --- 1, 2, 5, 6: what the helper is started with ----------------------------
for spec in empty0 extra fmt fmt1 huge; do
	check "1-2: argv '$spec' is a usage error, nothing echoed" "exit 200 no-answer" \
		client direct "$H" socket "$D/secret/allowed.txt" "$spec"
done
check "5: descriptor 3 closed: refused" "exit 202 wrote 0" client direct "$H" closed x std
check "5: descriptor 3 a listening socket: refused" "exit 202 wrote 0" client direct "$H" listen x std
check "6: 500 inherited descriptors are all closed before the policy is read" "exit 0 no-answer" \
	client direct "$H" fds /openfile-test/fds std

# --- 7: no privilege on a nosuid mount ------------------------------------------
if mount --bind "$P/libexec" "$P/libexec" 2>/dev/null; then
	mount -o remount,bind,nosuid "$P/libexec"
	check "7: helper on a nosuid mount: no privilege, never half-privileged (the broker needs none from it)" \
		"$(through_broker "ok r*" "err EPERM")" client open "$D/secret/allowed.txt" r
	umount "$P/libexec"
else
	skip "7: nosuid mount: cannot bind-mount here"
fi

# --- 10: tiny resource limits ---------------------------------------------------
# The audit file (the tests' sink: no journal or syslog listens) is
# written under the helper's file size limit.  A soft limit it raises;
# a hard one only with CAP_SYS_RESOURCE, which a helper with file
# capabilities never has and a setuid one lacks where the bounding set
# lacks it: then the record's write ends the helper (SIGXFSZ) before it
# answers, grant or not, and the caller gets EIO.
lifts_fsize() {
	[ "$MODE" != caps ] &&
		[ $((0x$(awk '/^CapBnd:/ { print $2 }' /proc/self/status) >> 24 & 1)) = 1 ]
}
check "10: RLIMIT_FSIZE 0, soft: answered" "ok r*" \
	as_nobody prlimit --fsize=0:unlimited timeout 60 "$P/bin/e2e-client" open "$D/secret/allowed.txt" r
check "10: RLIMIT_FSIZE 0, hard: answered where the helper lifts it, else EIO, never an unrecorded grant" \
	"$(through_broker "ok r*" "$(lifts_fsize && echo "ok r*" || echo "err EIO")")" \
	native_client 60 limit fsize 0 "$D/secret/allowed.txt" r
check "10: RLIMIT_CPU 1 s: answered" "ok r*" native_client 60 limit cpu 1 "$D/secret/allowed.txt" r
check "10: RLIMIT_STACK 256 KiB: answered" "ok r*" native_client 60 limit stack 256K "$D/secret/allowed.txt" r
check "10: RLIMIT_STACK 64 KiB: refused cleanly (EIO, logged), never a crash (the broker's stack is its own)" \
	"$(through_broker "ok r*" "err EIO")" \
	native_client 60 limit stack 64K "$D/secret/allowed.txt" r
as_why="AddressSanitizer maps terabytes of shadow memory"
check_unsanitized "$as_why" "10: RLIMIT_AS 16 MiB: answered" "ok r*" \
	native_client 60 limit as 16M "$D/secret/allowed.txt" r
for as in 1M 4M 8M; do
	check_unsanitized "$as_why" \
		"10: RLIMIT_AS $as: a clean error or a refusal, never a grant of a denied file" "err E*" \
		native_client 60 limit as $as "$D/secret/denied.txt" r
done
check_unsanitized "LeakSanitizer needs a thread of its own at exit" \
	"10: RLIMIT_NPROC 0: the helper cannot start: EAGAIN (the broker needs no process of the caller's)" \
	"$(through_broker "ok r*" "err EAGAIN")" \
	native_client 60 limit nproc 0 "$D/secret/allowed.txt" r

# --- 8: a caller's signal state ------------------------------------------------
check "8: a caller that ignores and blocks every signal: the helper resets both, SIGTERM ends it" \
	"ignored 0000000000000000 blocked 0000000000000000 signal 15" client signals "$H"

# --- 11: the running helper against its caller ------------------------------------
check "11: ptrace, /proc/PID/mem, process_vm_readv refused; no core dump" \
	"ptrace EPERM mem EACCES vm EPERM signal 11 core none" client probe "$H"

# --- 14: hard links -------------------------------------------------------------------
mk 0755 hl
put hl/secret hard-linked-secret
check "14: fs.protected_hardlinks is on (what keeps callers from linking secrets)" "1" \
	cat /proc/sys/fs/protected_hardlinks
check "14: the caller cannot hard-link a secret into a granted directory it writes" \
	"*Operation not permitted*" as_nobody ln "$D/hl/secret" "$D/userdir/hl"
ln "$D/hl/secret" "$D/userdir/hl-by-root"
check "14: a hard link root made under a granted name is served: the policy grants names" \
	"hard-linked-secret" client cat "$D/userdir/hl-by-root"
rm -f "$D/userdir/hl-by-root"

# --- 15, 22: namespaces and mounts ------------------------------------------------------
as_nobody touch "$D/userdir/bound"
if as_nobody unshare -Urm true 2>/dev/null; then
	check "15: a caller in its own user namespace binds a secret over a granted name: no privilege there" \
		"err EPERM" as_nobody unshare -Urm sh -c \
		"mount --bind /etc/shadow '$D/userdir/bound' && exec '$P/bin/e2e-client' open '$D/userdir/bound' r"
else
	skip "15: unprivileged user namespaces are disabled here"
fi
mk 0755 ro/mnt
mount --bind "$D/secret" "$D/ro/mnt"
check "22: a bind mount root made inside a grant is served under the granted name" \
	"denied" client cat "$D/ro/mnt/denied.txt"
umount "$D/ro/mnt"
mk 0755 ro/stall
"$P/bin/e2e-client" stallfs "$D/ro/stall" 30 > "$P/stall.out" 2>&1 &
stall=$!
mounted_or_failed() { grep -q mounted "$P/stall.out" || ! kill -0 $stall 2>/dev/null; }
until_true mounted_or_failed
if grep -q mounted "$P/stall.out"; then
	t0=$(date +%s)
	check "22: a stalled FUSE file system inside a grant: the helper gives up, EIO" \
		"err EIO" client open "$D/ro/stall/x" r
	check "22: ... after its timeout (5 s in the test build, 60 s installed)" "yes" \
		sh -c "[ \$((\$(date +%s) - $t0)) -ge 4 ] && [ \$((\$(date +%s) - $t0)) -le 20 ] && echo yes"
	kill $stall
	wait $stall 2>/dev/null
	umount "$D/ro/stall" 2>/dev/null || umount -l "$D/ro/stall"
else
	skip "22: stalled FUSE file system: $(cat "$P/stall.out")"
	kill $stall 2>/dev/null
	wait $stall 2>/dev/null
fi

# --- 18: path lengths ----------------------------------------------------------------
# A path of exactly $1 bytes naming $D/secret/allowed.txt through "./".
sized() {
	k=$(($1 - ${#D} - 19))
	dots=$(printf "%$((k / 2))s" "" | sed 's| |./|g')
	[ $((k % 2)) = 1 ] && dots="$dots/"
	printf '%s/secret/%sallowed.txt' "$D" "$dots"
}
check "18: the path helper makes paths of the size asked" "4095" sh -c "printf %s '$(sized 4095)' | wc -c"
check "18: 4095 bytes: answered on the whole path" "allowed" client cat "$(sized 4095)"
for len in 4096 4097 100000; do
	check "18: $len bytes: ENAMETOOLONG, never truncated and matched" "err ENAMETOOLONG" \
		client open "$(sized $len)" r
done

# --- 16: the same path spelled otherwise ----------------------------------------
check "16: '/' itself: no rule grants it" "err EACCES" client open / r
check "16: '//' and '/./' inside a path resolve as the kernel does" "allowed" \
	client cat "/$D/./secret//allowed.txt"
check "16: a trailing '/' on a granted file: ENOTDIR" "err ENOTDIR" \
	client open "$D/secret/allowed.txt/" r
check "16: a trailing '/' on a refused file: EACCES, no oracle" "err EACCES" \
	client open "$D/secret/denied.txt/" r

# --- 20: terminals -------------------------------------------------------------------
check "20: /dev/ptmx without a rule: refused" "err EACCES" client open /dev/ptmx rw
cat > "$P/etc/policy.d/50-terminals.conf" <<POLICY
allow * read,write /dev/pts/* type=device
allow * read,write /dev/ptmx type=device
POLICY
policy_changed
check "20: a pty's terminal side through my_open never becomes the controlling terminal" \
	"my_open ok, controlling terminal no; open(2): yes" client ctty
check "20: with a rule, /dev/ptmx opens" "ok rw*" client open /dev/ptmx rw
rm -f "$P/etc/policy.d/50-terminals.conf"
policy_changed

# --- 21: every flag bit alone, on a read grant ------------------------------------------
# Each bit has a defined answer: a write bit needs a write grant; O_TRUNC
# a truncate grant; bits that change what is opened or how it can be
# used later are EINVAL; the rest are honoured.
flag_answers=$(client flags "$D/ro/file" | tr '\n' ';')
check "21: the answer to each of the 32 flag bits" \
"0 err EACCES;1 err EACCES;2 err EINVAL;3 err EINVAL;4 err EINVAL;5 err EINVAL;\
6 ok r cloexec=0 append=0;7 ok r cloexec=0 append=0;8 ok r cloexec=0 append=0;\
9 err EACCES;10 ok r cloexec=0 append=1;11 ok r cloexec=0 append=0;\
12 ok r cloexec=0 append=0;13 err EINVAL;14 ok r cloexec=0 append=0;\
15 ok r cloexec=0 append=0;16 err ENOTDIR;17 ok r cloexec=0 append=0;\
18 err EINVAL;19 ok r cloexec=1 append=0;20 ok r cloexec=0 append=0;\
21 err EINVAL;22 err EINVAL;23 err EINVAL;24 err EINVAL;25 err EINVAL;\
26 err EINVAL;27 err EINVAL;28 err EINVAL;29 err EINVAL;30 err EINVAL;31 err EINVAL;" \
	echo "$flag_answers"

# --- 25: a read-only descriptor reopened through /proc/self/fd ------------------------------
mk 0700 hidden
printf 'world' > "$D/hidden/w" && chmod 0666 "$D/hidden/w"
echo "allow * read $D/hidden/w" > "$P/etc/policy.d/50-hidden.conf"
policy_changed
check "25: a read grant to a 0666 file in a 0700 directory can be reopened for writing (documented limit)" \
	"reopened for writing" client reopen "$D/hidden/w"
rm -f "$P/etc/policy.d/50-hidden.conf"
policy_changed

# --- 44: the name service fails ------------------------------------------------
# An nsswitch.conf naming a service that does not exist, bound over the
# real one in a mount namespace of the case's own: glibc then finds no name
# for anyone and says so only through errno, as when a directory service
# is down.  A broker serves only clients of its own mount namespace, so
# through the broker the case starts one of its own in there.
mk 0700 nss
put nss/by-user nss-secret
put nss/by-group nss-secret
write_policy_files
cat >> "$POL" <<POLICY
allow * read $D/nss/*
deny user nobody any $D/nss/by-user
deny group $(id -gn nobody) any $D/nss/by-group
POLICY
"$B/tests/openfile-policy-test" compile >/dev/null
policy_changed
printf 'passwd: nosuchservice\ngroup: nosuchservice\n' > "$P/nsswitch.conf"
# nobody_in_broken_nss BROKER: nobody opens $D/nss/by-user and by-group
# for reading where the name service fails, each answer into
# $P/nss-NAME.out; BROKER (openfiled, or "" for the helper) is started in
# there first, since a broker serves only its own mount namespace.  Not
# within check: its subshell would lose the new broker's BPID.
nobody_in_broken_nss() {
	unshare -m sh -c '
		mount --bind "$1/nsswitch.conf" /etc/nsswitch.conf || exit 1
		if [ -n "$2" ]; then
			n=$(grep -c "listening on" "$1/openfiled.log")
			env -u ASAN_OPTIONS -u UBSAN_OPTIONS "$2" --stderr >>"$1/openfiled.log" 2>&1 &
			b=$!
			i=0
			while [ "$(grep -c "listening on" "$1/openfiled.log")" -le "$n" ] &&
				kill -0 $b && [ $i -lt 3000 ]; do
				sleep 0.02
				i=$((i + 1))
			done
		fi
		getent passwd "$3" >"$1/nss-getent.out" 2>&1
		for f in by-user by-group; do
			setpriv --reuid="$3" --regid="$4" --clear-groups -- timeout 60 $5 \
				open "$6/nss/$f" r >"$1/nss-$f.out" 2>&1
		done
		[ -z "$2" ] || { kill -TERM $b; wait $b; }' \
		sh "$P" "$1" "$U" "$G" "$CLIENT" "$D"
}
if unshare -m true 2>/dev/null; then
	if [ "$MODE" = broker ]; then
		stop_broker
		nobody_in_broken_nss "$P/sbin/openfiled"
		start_broker
	else
		nobody_in_broken_nss ""
	fi
	check "44: where nsswitch.conf names a missing service, nobody has no name" "" \
		cat "$P/nss-getent.out"
	check "44: a deny naming the caller's user, with the name service working" "err EACCES" \
		client open "$D/nss/by-user" r
	check "44: ... and where it fails: still denied, never granted by the allow before it" "err EACCES" \
		cat "$P/nss-by-user.out"
	check "44: a deny naming the caller's group where the name service fails: still denied" "err EACCES" \
		cat "$P/nss-by-group.out"
	check "44: a uid without a name is no failure: the deny naming nobody is not its" "nss-secret" \
		setpriv --reuid=54321 --regid=54321 --clear-groups -- timeout 60 $CLIENT cat "$D/nss/by-user"
	if [ "$MODE" = broker ]; then
		check "44: ... and the broker's worker says why" \
			"*cannot look up the name of uid $U: *(of the rules naming a user, each deny applies and no allow does)*" \
			cat "$BLOG"
	fi
else
	skip_n "$(through_broker 6 5)" "44: the name service failing: unshare -m does not work here"
fi
write_policy
# --- the static helper's own reading of the files databases ----------------
# A static helper (configure.ac) reads /etc/passwd and /etc/group itself
# where nsswitch.conf makes files the first source, and execs openfile-nss
# for any name only another source could tell.  Each case binds its own
# nsswitch.conf, passwd and group over the real ones in a mount namespace
# of its own; "broken" binds /dev/null over openfile-nss, so that a case
# the static helper hands over fails where it would be served.
mk 0700 nss2
put nss2/for-user by-user
put nss2/for-group by-group
put nss2/for-any by-any
write_policy_files
cat >> "$POL" <<POLICY
allow user ofnss read $D/nss2/for-user
allow group ofgrp read $D/nss2/for-group
allow * read $D/nss2/for-any
POLICY
policy_changed
mkdir -p "$P/nss2"
{ getent passwd root nobody; echo "ofnss:x:54321:54321::/nonexistent:/usr/sbin/nologin"; } > "$P/nss2/passwd"
# ofgrp's line is longer than the first buffer the helper reads with.
{ getent group root "$(id -gn nobody)"
  printf 'ofgrp:x:54321:'; i=0
  while [ $i -lt 300 ]; do printf 'member%d,' $i; i=$((i + 1)); done; echo ofnss; } > "$P/nss2/group"
# in_nss NSSWITCH broken|intact UID ARGS...: the client as UID (its gid
# the same) where nsswitch.conf says NSSWITCH.
in_nss() {
	printf "$1" > "$P/nss2/nsswitch.conf"
	unshare -m sh -c '
		for f in nsswitch.conf passwd group; do
			mount --bind "$1/nss2/$f" "/etc/$f" || exit 1
		done
		[ "$2" = intact ] || mount --bind /dev/null "$3" || exit 1
		shift 4
		exec "$@"' sh "$P" "$2" "$HN" "$3" \
		setpriv --reuid="$3" --regid="$3" --clear-groups -- timeout 60 $CLIENT "$4" "$5" ${6:+"$6"}
}
FILES='passwd: files\ngroup: files\n'
MORE='passwd: files nosuchservice\ngroup: files nosuchservice\n'
if [ -z "$HN" ] || [ "$MODE" = broker ] || ! unshare -m true 2>/dev/null; then
	skip_n 9 "[$MODE] the static helper's names: $(if [ -z "$HN" ]; then echo "the helper is dynamic (configure.ac)"; elif [ "$MODE" = broker ]; then echo "the broker is linked dynamically"; else echo "unshare -m does not work here"; fi)"
else
	check "static helper: files alone: a user's name, from /etc/passwd" "by-user" \
		in_nss "$FILES" broken 54321 cat "$D/nss2/for-user"
	check "static helper: files alone: a group's name, from a line longer than the first buffer" "by-group" \
		in_nss "$FILES" broken 54321 cat "$D/nss2/for-group"
	check "static helper: files alone: a uid the files lack has no name, and no handover" "by-any" \
		in_nss "$FILES" broken 54322 cat "$D/nss2/for-any"
	check "static helper: files then another source: a name the files hold needs no handover" "by-user" \
		in_nss "$MORE" broken 54321 cat "$D/nss2/for-user"
	check "static helper: ... a uid the files lack is handed to openfile-nss" "err EIO" \
		in_nss "$MORE" broken 54322 open "$D/nss2/for-any" r
	check "static helper: ... which serves it" "by-any" \
		in_nss "$MORE" intact 54322 cat "$D/nss2/for-any"
	check "static helper: an action after files is glibc's to read: handed over" "err EIO" \
		in_nss 'passwd: files [NOTFOUND=return] nosuchservice\ngroup: files\n' broken 54321 open "$D/nss2/for-user" r
	check "static helper: a line written twice is glibc's to read: handed over" "err EIO" \
		in_nss "$FILES"'passwd: files\n' broken 54321 open "$D/nss2/for-user" r
	check "static helper: no space after the colon, tabs and a comment: still files alone" "by-group" \
		in_nss '# the databases\npasswd:files\t# local only\n\tgroup:\tfiles\n' broken 54321 cat "$D/nss2/for-group"
fi
write_policy
# --- 43: a write grant beside a wider rule on the same directory ------------------------
# The %u rule starts at the same directory as the write grant: the kernel's
# truncate right must still reach only what a rule grants truncate on.
mk 0755 shared shared/inbox
mk 0700 shared/nobody
put shared/common.log 0123456789
put shared/nobody/own.log 0123456789
cat > "$P/etc/policy.d/50-shared.conf" <<POLICY
allow * write $D/shared/common.log
allow * write,create $D/shared/inbox/*
allow * any $D/shared/%u/**
POLICY
policy_changed
if [ "$(as_nobody "$P/bin/e2e-client" landlock-abi)" -ge 3 ]; then
	check "43: a write grant beside 'any' on %u/** in the same directory: ftruncate on the O_WRONLY descriptor is refused" \
		"ftruncate: EACCES" client ftruncate "$D/shared/common.log"
	check "43: ... and the file keeps its size" "10" fstat %s "$D/shared/common.log"
	check "43: a file created there under a grant without truncate cannot be shortened either" \
		"ftruncate: EACCES" client ftruncate "$D/shared/inbox/new" w,creat
	check "43: where the %u rule grants truncate, ftruncate shortens the file" \
		"ftruncate: ok" client ftruncate "$D/shared/nobody/own.log"
	check "43: ... to zero" "0" fstat %s "$D/shared/nobody/own.log"
	check "43: a write,truncate grant: an O_WRONLY descriptor can be shortened" \
		"ftruncate: ok" client ftruncate "$D/trunc/t.txt"
else
	skip "43: Landlock's truncate right: the kernel does not offer it"
fi
rm -f "$P/etc/policy.d/50-shared.conf"
policy_changed

# --- 34, 35: the library in busy and unlucky hosts --------------------------------------------
check "34: 64 threads call my_open while two others fork and exec: no child holds a socket" \
	"640 calls, 0 wrong, [1-9]* children, 0 held a socket, fds unchanged, 0 zombies" \
	native_client 60 socket-leak "$D/secret/allowed.txt" 64 10
touch "$P/chaos.run"
(while [ -e "$P/chaos.run" ]; do
	mv "$H" "$H.away"
	sleep 0.02
	mv "$H.away" "$H"
	sleep 0.2
done) &
chaos=$!
check "35: 10,000 calls: allow, deny, missing, EMFILE, the helper taken away now and then" \
	"10000 calls, 0 wrong, $(through_broker 0 "[1-9]*") without a helper, 2500 EMFILE, fds unchanged, 0 zombies" \
	native_client 120 chaos "$D/secret/allowed.txt" "$D/secret/denied.txt" "$D/ro/missing" 10000
rm -f "$P/chaos.run"
wait $chaos

# SPDX-License-Identifier: ISC
# e2e-suite.sh - the end-to-end cases, sourced by e2e.sh after
# e2e-setup.sh, once for each $MODE.

# --- allow, deny, and no existence oracle -----------------------------------
check "an allowed root-only file is read" "allowed" client cat "$D/secret/allowed.txt"
check "a read grant gives a read-only descriptor" "ok r cloexec=0 append=0" \
	client open "$D/secret/allowed.txt" r
check "O_CLOEXEC is honoured" "ok r cloexec=1 append=0" \
	client open "$D/secret/allowed.txt" r,cloexec
check "a file no rule grants is refused" "err EACCES" client open "$D/secret/denied.txt" r
check "a deny rule after an allow wins" "err EACCES" client open "$D/ro/hidden" r
check "ENOENT where the policy would allow" "err ENOENT" client open "$D/ro/missing" r
check "EACCES, not ENOENT, where it would not" "err EACCES" client open "$D/secret/missing" r
check "EACCES under a missing directory it would not allow" "err EACCES" \
	client open "$D/secret/no/such/file" r
check "a user rule by name" "by-name" client cat "$D/secret/by-name.txt"
check "a group rule by name" "by-group" client cat "$D/secret/by-group.txt"
check "a rule naming a supplementary group of the caller's" "by-supp" \
	setpriv --reuid="$U" --regid="$G" --groups=1 -- timeout 60 $CLIENT cat "$D/secret/by-supp.txt"
check "... not granted without that group" "err EACCES" client open "$D/secret/by-supp.txt" r
check "another user does not get nobody's grant" "err EACCES" \
	setpriv --reuid=daemon --regid=daemon --clear-groups -- $CLIENT open "$D/secret/by-name.txt" r
check "my_fopen reads" "ok ro-content" client fopen "$D/ro/file" r
check "my_fopen for writing is refused on a read grant" "err EACCES" client fopen "$D/ro/file" w

# --- modes: a read grant never writes -------------------------------------
before=$(fstat '%s %Y %i' "$D/ro/file")
for f in w rw w,append r,trunc w,trunc rw,creat; do
	check "read grant refuses $f" "err EACCES" client open "$D/ro/file" "$f"
done
check "the file is unchanged after refused writes" "$before" fstat '%s %Y %i' "$D/ro/file"
check "a write grant writes" "ok" client write "$D/rw/file" w new
check "... at the start of the file" "newcontent" cat "$D/rw/file"
check "a write grant without truncate refuses O_TRUNC" "err EACCES" client open "$D/rw/file" w,trunc
check "... and the file keeps its size" "10" fstat %s "$D/rw/file"
check "O_CREAT on an existing file needs no create grant" "ok w*" client open "$D/rw/file" w,creat
check "a truncate grant truncates" "ok w*" client open "$D/trunc/t.txt" w,trunc
check "... to zero" "0" fstat %s "$D/trunc/t.txt"
check "an append grant appends" "ok" client write "$D/log/app.log" w,append line2
check "... after what was there" "line1line2" cat "$D/log/app.log"
check "an append grant gives O_APPEND" "ok w cloexec=0 append=1" client open "$D/log/app.log" w,append
check "an append grant refuses plain writes" "err EACCES" client open "$D/log/app.log" w

# --- creation --------------------------------------------------------------
check "create where granted" "ok w*" client open "$D/drop/new" w,creat 0666 022
check "... owned by the caller, mode limited by mode=0640" "nobody:$(id -gn nobody) 640" \
	fstat '%U:%G %a' "$D/drop/new"
check "create honours the caller's umask" "ok w*" client open "$D/drop/new2" w,creat 0666 077
check "... 0600" "600" fstat %a "$D/drop/new2"
check "umask 0 and no mode= still gives no group/other write" "ok w*" \
	client open "$D/drop2/new" w,creat 0666 0
check "... 0644" "644" fstat %a "$D/drop2/new"
check "O_EXCL on an existing file where create is granted" "err EEXIST" \
	client open "$D/drop/new" w,creat,excl
check "create where not granted" "err EACCES" client open "$D/ro/newfile" w,creat
check "create in a root-only directory not granted" "err EACCES" client open "$D/secret/new" w,creat
check "create at a name ending in / where not granted says EACCES, not EISDIR" "err EACCES" \
	client open "$D/secret/newdir/" w,creat
check "... and EISDIR where granted" "err EISDIR" client open "$D/drop/newdir/" w,creat
check "... and nothing was created" "no" sh -c "test -e '$D/ro/newfile' || test -e '$D/secret/new' || echo no"
as_nobody ln -s "$D/secret/planted" "$D/userdrop/evil"
check "create through a symlink planted towards a secret directory fails" "err EACCES" client open "$D/userdrop/evil" w,creat
check "... and creates nothing at its target" "absent" sh -c "test -e '$D/secret/planted' || echo absent"
as_nobody ln -s "$D/drop/via-link" "$D/userdrop/dangling"
check "O_CREAT|O_EXCL never follows a symlink at the name" "err EEXIST" \
	client open "$D/userdrop/dangling" w,creat,excl
check "... and creates nothing" "absent" sh -c "test -e '$D/drop/via-link' || echo absent"
check "O_CREAT through a dangling symlink creates where it points, if granted there" "ok w*" \
	client open "$D/userdrop/dangling" w,creat 0666 022
check "... owned by the caller" "nobody" fstat %U "$D/drop/via-link"

# --- symlinks, .., relative paths, magic links ------------------------------
check "a final symlink to a secret is refused" "err EACCES" client open "$D/link/to-secret" r
check "a final symlink to a granted file is followed" "allowed" client cat "$D/link/to-allowed"
check "O_NOFOLLOW on a symlink" "err ELOOP" client open "$D/link/to-allowed" r,nofollow
check "a symlink to /proc/self/fd is refused" "err EACCES" client open "$D/link/to-proc" r
as_nobody ln -s "$D/secret" "$D/userdir/evil"
check "an intermediate symlink in a caller's directory cannot reach a secret" "err EACCES" \
	client open "$D/userdir/evil/denied.txt" r
for target in secret/denied.txt secret/nokey secret/denied.txt/x secret/sub/x secret/sub; do
	as_nobody ln -s "$D/$target" "$D/userdir/probe"
	check "a probe symlink to $target learns nothing" "err EACCES" client open "$D/userdir/probe" r
	rm -f "$D/userdir/probe"
done
check "'..' after a name the caller cannot see is taken as written (exists)" "ok r*" \
	client open "$D/secret/sub/../../ro/file" r
check "... (missing)" "ok r*" client open "$D/secret/nosuch/../../ro/file" r
check "'..' cannot escape a grant" "err EACCES" client open "$D/ro/../secret/denied.txt" r
check "'..' inside a grant resolves" "ok r*" client open "$D/ro/sub/../file" r
check "a relative path resolves against the caller's directory" "ok r*" \
	sh -c "cd '$D/ro' && setpriv --reuid=$U --regid=$G --clear-groups -- $CLIENT open file r"
check "a relative path cannot escape" "err EACCES" \
	sh -c "cd '$D/ro' && setpriv --reuid=$U --regid=$G --clear-groups -- $CLIENT open ../secret/denied.txt r"
check "/proc/self/fd/N is refused" "err EACCES" client open /proc/self/fd/0 r

# --- THREATS 39: below a directory searched with privilege, no oracle ------
check "a granted file below a directory the caller cannot search" "public" \
	client cat "$D/priv/pub/a.txt"
for via in osx nosuch lnk; do
	check "39: 'name/..' past what the caller can see is taken as written ($via)" "ok r*" \
		client open "$D/priv/$via/../pub/a.txt" r
done
check "39: '..' leaving a name looked up with privilege is refused (exists)" "err EACCES" \
	client open "$D/priv/pub/x/../../pub/a.txt" r
check "39: ... (missing)" "err EACCES" client open "$D/priv/nopub/x/../../pub/a.txt" r
check "39: a link seen with privilege, granted as named, is followed" "public" \
	client cat "$D/priv/pub/current"
check "39: a link seen with privilege, not granted as named: as if absent (link)" "err EACCES" \
	client open "$D/priv/alias" r
check "39: ... (missing)" "err EACCES" client open "$D/priv/nosuch" r
check "39: a file on the way to a granted name: as a missing one (file)" "err ENOENT" \
	client open "$D/priv2/s.txt/public.txt" r
check "39: ... (missing)" "err ENOENT" client open "$D/priv2/nope/public.txt" r

# --- THREATS 37: the kernel's protections in sticky directories, applied ---
as_daemon() { setpriv --reuid=daemon --regid=daemon --clear-groups -- "$@"; }
as_daemon ln -s "$D/home/nobody/diary" "$D/sticky/report"
as_nobody ln -s "$D/home/nobody/diary" "$D/sticky/mine"
ln -s "$D/home/nobody/diary" "$D/sticky/roots"
as_daemon sh -c "echo planted > '$D/sticky/planted'; mkfifo '$D/sticky/p.fifo'"
check "37: another user's link in a sticky directory is not followed to truncate" "err EACCES" \
	client open "$D/sticky/report" w,trunc
check "37: ... nor to read" "err EACCES" client open "$D/sticky/report" r
check "37: ... and the file it points to is unchanged" "diary" cat "$D/home/nobody/diary"
check "37: the caller's own link there is followed" "diary" client cat "$D/sticky/mine"
check "37: the directory owner's link there is followed" "diary" client cat "$D/sticky/roots"
check "37: O_CREAT of another user's file in a sticky directory is refused" "err EACCES" \
	client open "$D/sticky/planted" w,creat
check "37: ... and of another user's FIFO" "err EACCES" client open "$D/sticky/p.fifo" w,creat,nonblock
check "37: without O_CREAT it opens as granted" "ok w*" client open "$D/sticky/planted" w
check "37: the file is unchanged" "planted" cat "$D/sticky/planted"
check "/dev/stdin is refused" "err EACCES" client open /dev/stdin r
check "/proc/self/root is refused" "err EACCES" client open "/proc/self/root$D/secret/allowed.txt" r

# --- types ------------------------------------------------------------------
check "a device where type=device" "ok r*" client open "$D/dev/null" r
check "a device under a plain read grant" "err EACCES" client open "$D/ro/devnode" r
check "a FIFO where type=fifo opens without hanging" "ok r*" client open "$D/fifo/f" r
check "a FIFO with no reader for writing" "err ENXIO" client open "$D/fifo/f" w
check "a FIFO under a plain read grant" "err EACCES" client open "$D/ro/fifo" r
check "a directory where type=dir" "ok r*" client open "$D/dir" r,dir
check "a directory under a plain read grant" "err EACCES" client open "$D/ro/sub" r,dir

# --- flags and lengths -------------------------------------------------------
for f in r,path w,tmpfile accmode3 r,noatime r,async; do
	check "unsupported flag $f" "err EINVAL" client open "$D/ro/file" "$f"
done
long=$(printf '%0256d' 0)
check "a 256-byte component" "err ENAMETOOLONG" client open "$D/ro/$long" r
check "a 5000-byte path" "err ENAMETOOLONG" client open "$(printf '/%04999d' 0)" r
check "the empty path" "err ENOENT" client open "" r

# --- the library inside hostile host programs ------------------------------
check "SIGCHLD ignored: allowed" "ok r*" client sigchld-ignored "$D/secret/allowed.txt"
check "SIGCHLD ignored: denied" "err EACCES" client sigchld-ignored "$D/secret/denied.txt"
check "a host reaping with waitpid(-1)" "ok r*
ok r*" client reaper "$D/secret/allowed.txt"
for fds in 0 1 2 012; do
	check "fds $fds closed" "ok r*" client closed-fds "$D/secret/allowed.txt" "$fds"
done
nofile_why="it keeps descriptors of its own under RLIMIT_NOFILE"
# Through the broker, one descriptor to spare is enough: the connection is
# made already, and no socketpair is needed.
check_native "$nofile_why" "no room for the socketpair: EMFILE, nothing leaked (broker: one to spare is enough)" \
	"$(through_broker "ok r*" "err EMFILE")" client nofile "$D/secret/allowed.txt" 1
if [ "$MODE" = broker ]; then
	# Not one descriptor to spare: the sanitizer runtime then spins.
	check_unless "$([ -n "${OPENFILE_SANITIZER:-}" ] || [ "${VALGRIND:-0}" != 0 ] && echo 1 || echo 0)" \
		"under a sanitizer or valgrind" "their runtimes need descriptors of their own" \
		"no room for the received descriptor: EMFILE, nothing leaked" "err EMFILE" \
		client nofile "$D/secret/allowed.txt" 0
else
	check_native "$nofile_why" "no room for the received descriptor: EMFILE, nothing leaked, helper reaped" "err EMFILE" \
		client nofile "$D/secret/allowed.txt" 2
fi
check "three descriptors to spare are enough" "ok r*" client nofile "$D/secret/allowed.txt" 3
check "a 1 ms SIGALRM without SA_RESTART" "ok 50 calls*" client alarm "$D/secret/allowed.txt" 50
check "16 threads, 400 mixed calls: no leak, no zombie" "ok 400 calls" \
	client mixed "$D/secret/allowed.txt" "$D/secret/denied.txt" "$D/ro/missing" 16 25
check "300 mixed calls in one thread" "ok 300 calls" \
	client mixed "$D/secret/allowed.txt" "$D/secret/denied.txt" "$D/ro/missing" 1 300

# --- the helper's process ---------------------------------------------------
check "hostile environment: same grant" "exit 0 answer ok fd" \
	client direct "$H" socket "$D/secret/allowed.txt" std
check "hostile environment: same refusal" "exit 13 answer EACCES" \
	client direct "$H" socket "$D/secret/denied.txt" std
check "argc 0 is refused" "exit 200 no-answer" client direct "$H" socket x none
for what in file pipe dgram; do
	check "descriptor 3 a $what: nothing written" "exit 202 wrote 0" \
		client direct "$H" "$what" x std
done
check "caller with no_new_privs: helper has no privilege (the broker needs none from the caller)" \
	"$(through_broker "ok r*" "err EPERM")" \
	setpriv --reuid="$U" --regid="$G" --clear-groups --no-new-privs -- \
	$CLIENT open "$D/secret/allowed.txt" r
check "seccomp: a helper calling execve is killed, the caller gets EIO" "err EIO" \
	client open /openfile-test/execve r
check "seccomp: a helper opening a network socket is killed, the caller gets EIO" "err EIO" \
	client open /openfile-test/socket r
# Sanitizer builds only: a bug on purpose in the test helper, under its
# seccomp filter, and for a granted file under Landlock too.
# Through the broker, the worker's report goes to openfiled's stderr.
sanitizer_case() { # sanitizer_case PATH: what the caller saw, after openfiled's log
	reported=$(grep -c "ERROR: AddressSanitizer\|runtime error:" "$BLOG" 2>/dev/null)
	said_here=$(client open "$1" r 2>&1)
	[ "$MODE" != broker ] || {
		until_said "$BLOG" "ERROR: AddressSanitizer\|runtime error:" "$reported"
		cat "$BLOG"
	}
	echo "$said_here"
}
if [ -n "${OPENFILE_SANITIZER:-}" ]; then
	put ro/openfile-test-asan x
	check "sanitizer: an ASan report from the helper under Landlock reaches the caller (or openfiled's log), with EIO" \
		"*ERROR: AddressSanitizer: heap-buffer-overflow*err EIO" sanitizer_case "$D/ro/openfile-test-asan"
	rm -f "$D/ro/openfile-test-asan"
	check "sanitizer: a UBSan report from the helper reaches the caller (or openfiled's log), with EIO" \
		"*runtime error: signed integer overflow*err EIO" sanitizer_case "$D/secret/openfile-test-ubsan"
fi
# Asked natively: valgrind 3.19 does not know the Landlock calls.
if [ "$(as_nobody "$P/bin/e2e-client" landlock-abi)" -ge 1 ]; then
	touch "$POL-matcher-bug"
	check "Landlock: with a matcher that allows everything (test build), the kernel still refuses" \
		"err EACCES" client open "$D/secret/denied.txt" r
	check "... and allows only below what the policy grants: over-approximated, not exact" \
		"ok r*" client open "$D/ro/hidden" r
	rm -f "$POL-matcher-bug"
	check "... a grant without truncate gives a descriptor the caller cannot truncate" "ftruncate: EACCES" \
		client ftruncate "$D/rw/file"
else
	skip "Landlock: the kernel does not offer it"
	skip "Landlock over-approximation: the kernel does not offer it"
	skip "Landlock truncate: the kernel does not offer it"
fi
helper_only "no privilege, SIGCHLD ignored: still EPERM (in-band)" "err EPERM" \
	setpriv --reuid="$U" --regid="$G" --clear-groups --no-new-privs -- \
	$CLIENT sigchld-ignored "$D/secret/allowed.txt"
check "a forking host does not delay an allowed open" "0 of 20 failed, none waited*" \
	client forker "$D/secret/allowed.txt" 20 30
mv "$H" "$H.real"
printf '#!/bin/sh\nexit 203\n' > "$H"
chmod 0755 "$H"
if [ "$MODE" = broker ]; then
	skip "[$MODE] a helper dying without an answer: not through the broker: it is about the helper process"
else
	check_native "valgrind 3.19 has no pidfd_open, and without a pidfd the library sees the death only when the children close the socket" \
		"a helper dying without an answer while children hold the socket: EIO, no hang" \
		"err EIO*5 of 5 failed, none waited*" client forker "$D/secret/allowed.txt" 5 30
fi
mv "$H.real" "$H"
unprivilege_helper
helper_only "helper without its privilege" "err EPERM" client open "$D/secret/allowed.txt" r
privilege_helper
mv "$H" "$H.away"
if [ "$MODE" = broker ]; then
	skip "[$MODE] helper missing: not through the broker: it is about the helper process"
else
	check_native "it runs posix_spawn's vfork as a fork, so a failed exec is an exit status (127), not an error" \
		"helper missing" "err ENOSYS" client open "$D/secret/allowed.txt" r
fi
mv "$H.away" "$H"

# --- the policy file ----------------------------------------------------------
echo "allow * read $D/secret/denied.txt" >> "$POL"
policy_changed
check "a new rule takes effect on the next call" "denied" client cat "$D/secret/denied.txt"
write_policy
unsafe() { # unsafe DESCRIPTION SETUP UNDO
	eval "$2"
	policy_changed
	check "unsafe policy ($1): everything denied" "err EACCES" \
		client open "$D/secret/allowed.txt" r
	eval "$3"
	policy_changed
}
unsafe "group-writable" "chmod 0664 '$POL'" "chmod 0644 '$POL'"
unsafe "world-writable" "chmod 0646 '$POL'" "chmod 0644 '$POL'"
unsafe "not owned by root" "chown nobody '$POL'" "chown root '$POL'"
unsafe "a symlink" "mv '$POL' '$POL.real'; ln -s '$POL.real' '$POL'" "rm '$POL'; mv '$POL.real' '$POL'"
unsafe "parent directory writable" "chmod 0775 '$P/etc'" "chmod 0755 '$P/etc'"
unsafe "parent directory not root's" "chown nobody '$P/etc'" "chown root '$P/etc'"
unsafe "missing" "mv '$POL' '$POL.away'" "mv '$POL.away' '$POL'"
unsafe "a parse error" "echo 'allow * reed /x' >> '$POL'" "write_policy"
unsafe "an unsafe drop-in" "echo 'allow * read /x' > '$P/etc/policy.d/x.conf'; chmod 0666 '$P/etc/policy.d/x.conf'" \
	"rm '$P/etc/policy.d/x.conf'"
check "the restored policy grants again" "allowed" client cat "$D/secret/allowed.txt"
if command -v script >/dev/null; then
	chmod 0664 "$POL"
	policy_reread
	helper_only "the refusal says why on the caller's terminal" "*policy changed after it was compiled ($POL is writable by group or others): run openfile-policy compile*" \
		as_nobody script -qec "$CLIENT open $D/secret/allowed.txt r" /dev/null
	chmod 0644 "$POL"
	policy_changed
else
	skip "script(1) is not installed"
fi

# --- openfile-policy on the live policy: the helper's own view ----------------
TOOL=$B/tests/openfile-policy-test
check "openfile-policy compile writes the compiled policy" "$POL: compiled $NRULES rules into $P/cache/policy.cache" "$TOOL" compile
check "... root's, not writable by others" "root 644" fstat '%U %a' "$P/cache/policy.cache"
check "the helper decides with it" "allowed" client cat "$D/secret/allowed.txt"
check "... through a directory the caller cannot search, only towards a grant" "err EACCES" client open "$D/secret/nokey" r
check "openfile-policy check says the compiled policy is current" "*$P/cache/policy.cache: current*" "$TOOL" check
echo "allow * read /nothing" > "$P/etc/policy.d/10-extra.conf"
check "... and when a drop-in makes it stale, that everything is denied, and what to run" \
	"*$P/cache/policy.cache: warning: the policy changed after it was compiled ($P/etc/policy.d changed): run openfile-policy compile (the helper and openfiled deny every request until then)*" \
	"$TOOL" check
policy_reread
check "... as they do, through a stale compiled policy" "err EACCES" client open "$D/secret/allowed.txt" r
mv "$P/cache/policy.cache" "$P/cache/policy.away"
check "openfile-policy check says when there is no compiled policy" \
	"*$P/cache/policy.cache: warning: no compiled policy: run openfile-policy compile*" "$TOOL" check
policy_reread
check "... and everything is denied" "err EACCES" client open "$D/secret/allowed.txt" r
mv "$P/cache/policy.away" "$P/cache/policy.cache"
"$TOOL" compile >/dev/null
check "an edit that changes nothing leaves the compiled policy current" "*$P/etc/policy.d/10-extra.conf: no changes*$P/cache/policy.cache: current*" \
	sh -c "EDITOR=true '$TOOL' edit '$P/etc/policy.d/10-extra.conf' && '$TOOL' check 2>/dev/null"
check "an edit of a drop-in compiles the policy again" "*installed*compiled*$P/cache/policy.cache: current*" \
	sh -c "EDITOR='sed -i s/nothing/nothing-else/' '$TOOL' edit '$P/etc/policy.d/10-extra.conf' && '$TOOL' check 2>/dev/null"
printf '#!/bin/sh\nkill -TERM $PPID\nexec sleep 60\n' > "$P/term-editor"
chmod 0755 "$P/term-editor"
check "an edit of a drop-in ended by SIGTERM: nothing installed, no lock left, the compiled policy current" \
	"*Terminated; $P/etc/policy.d/10-extra.conf is unchanged*$P/cache/policy.cache: current*|10-extra.conf|" \
	sh -c "EDITOR='$P/term-editor' '$TOOL' edit '$P/etc/policy.d/10-extra.conf'; '$TOOL' check 2>/dev/null; echo \"|\$(ls -A '$P/etc/policy.d' | tr '\n' ' ' | sed 's/ \$//')|\""
rm -f "$P/etc/policy.d/10-extra.conf" "$P/term-editor"
"$TOOL" compile >/dev/null
policy_changed
check "openfile-policy check: the live policy with its drop-ins" "*$POL: $NRULES rules, 0 errors, * warnings: OK*" "$TOOL" check
check "... warns about the grants in the caller-writable directories" "*this grant lies inside $D/userdir, which user nobody can change*" "$TOOL" check
echo 'allow * read /x' > "$P/etc/policy.d/bad.conf"
chmod 0666 "$P/etc/policy.d/bad.conf"
check "openfile-policy check: an unsafe drop-in fails" "*$P/etc/policy.d/bad.conf: error: refusing policy: $P/etc/policy.d/bad.conf is writable by group or others*INVALID*" "$TOOL" check
rm -f "$P/etc/policy.d/bad.conf"
policy_changed
for req in "secret/allowed.txt read r" "secret/denied.txt read r" "ro/file write w" "ro/hidden read r" \
	"rw/file read,write rw" "log/app.log append w,append" "drop/new read r" "link/to-secret read r"; do
	set -- $req
	tool=$("$TOOL" test nobody "$D/$1" "$2" >/dev/null 2>&1 && echo allow || echo deny)
	helper=$(client open "$D/$1" "$3" | cut -d' ' -f1 | sed 's/^ok$/allow/; s/^err$/deny/')
	check "openfile-policy test agrees with the helper: $1 $2" "$helper" echo "$tool"
done

# --- the audit record ----------------------------------------------------------
if ! log_start "$P/syslog.out"; then
	skip "no python3 to receive the records"
else
	write_policy
	client open "$D/secret/allowed.txt" r >/dev/null
	# The client's own pid (sh execs setpriv, which execs the client).
	sh -c 'echo $$ > "$1"; shift; exec "$@"' sh "$P/client.pid" \
		setpriv --reuid="$U" --regid="$G" --clear-groups -- $CLIENT open "$D/secret/ro-logged" r >/dev/null
	client open "$D/secret/x
$(printf '\033')[31m%n$(printf '\377')" r >/dev/null
	# A policy that does not compile leaves none; one changed after it
	# was compiled is stale.
	echo 'allow * reed /x' >> "$POL"
	policy_changed
	client open "$D/secret/allowed.txt" r >/dev/null
	write_policy
	echo "allow * read $D/secret/denied.txt" >> "$POL"
	policy_reread
	client open "$D/secret/allowed.txt" r >/dev/null
	write_policy
	# 46: a path of 4095 bytes, each byte of its names one to escape.
	long=$D/ro elong=$D/ro
	name=$(printf '\377\001\\\033%.0s' $(seq 60))
	ename=$(printf '\\xff\\x01\\x5c\\x1b%.0s' $(seq 60))
	bytes() { printf %s "$1" | wc -c; }
	while [ $(($(bytes "$long") + 1 + $(bytes "$name") + 2)) -le 4095 ]; do
		long=$long/$name elong=$elong/$ename
	done
	mkdir -p "$long"
	n=$((4095 - $(bytes "$long") - 1))
	long=$long/$(printf '\377%.0s' $(seq $n)) elong=$elong/$(printf '\\xff%.0s' $(seq $n))
	printf x > "$long"
	client open "$long" r >/dev/null
	client open "$long" w >/dev/null
	log_stop
	I=$(through_broker openfiled openfile)
	check "an allow is logged to authpriv.info with the deciding rule" \
		"*<86>*$I[[]*]: allow: req=[1-9]* user=nobody uid=$U pid=[1-9]* path=$D/secret/allowed.txt real=$D/secret/allowed.txt flags=O_RDONLY access=read rule=$POL:2*" \
		cat "$LOG"
	check "... with the pid of the client process" \
		"*<85>*$I[[]*]: deny: req=[1-9]* user=nobody uid=$U pid=$(cat "$P/client.pid") path=$D/secret/ro-logged *" \
		cat "$LOG"
	check "a deny is logged to authpriv.notice, control characters and invalid UTF-8 escaped" \
		"*<85>*$I[[]*]: deny: req=[1-9]* user=nobody uid=$U pid=[1-9]* path=$D/secret/x\\\\x0a\\\\x1b[[]31m%n\\\\xff real=$D/secret/x\\\\x0a\\\\x1b[[]31m%n\\\\xff flags=O_RDONLY access=read rule=none error=Permission denied*" \
		cat "$LOG"
	check "a request under an unusable policy is logged as such" \
		"*<85>*$I[[]*]: deny: req=[1-9]* user=nobody uid=$U pid=[1-9]* path=$D/secret/allowed.txt real=- flags=O_RDONLY access= rule=none error=Permission denied why=policy-unusable*" \
		cat "$LOG"
	check "no compiled policy: the log says what to run" \
		"*<83>*$I[[]*]: $P/cache/policy.cache: no compiled policy: run openfile-policy compile (denying everything)*" \
		cat "$LOG"
	check "a stale compiled policy is not used: the log says why and what to run" \
		"*<83>*$I[[]*]: $P/cache/policy.cache: the policy changed after it was compiled ($POL changed): run openfile-policy compile (denying everything)*" \
		cat "$LOG"
	# Unusable twice (none, then stale), current otherwise.
	helper_only "a current compiled policy is read silently" "2" \
		sh -c "grep -c 'run openfile-policy compile' '$LOG'"
	check "46: a granted path of 4095 bytes, all escaped, is logged whole" "1" \
		log_count " path=$elong real=$elong flags=O_RDONLY access=read rule=$POL:3"
	check "46: ... and denied" "1" \
		log_count " path=$elong real=$elong flags=O_WRONLY access=write "
	check "46: ... in parts of at most 1024 bytes with syslog's header, none lost" "0 0" \
		eval 'echo $(LC_ALL=C awk "length > 1024" "$LOG" | wc -l) $(log_count "broken record")'
fi

# --- the audit record where no journal or syslog listens: the audit file --------
# Each case after a reread: a broker's workers open their sinks as they
# start (the helper, each time).  (Not $n: policy_reread's.)
I=$(through_broker openfiled openfile)
audit_lines() { wc -l < "$AUDIT"; }
# audit_has TEXT: how many lines of the audit file hold TEXT.
audit_has() { grep -cF -- "$1" "$AUDIT"; }
write_policy
was=$(audit_lines)
client open "$D/secret/allowed.txt" r >/dev/null
client open "$D/secret/denied.txt" r >/dev/null
as_nobody sh -c 'exec 2>&-; exec "$@"' sh $CLIENT open "$D/secret/allowed.txt" r >/dev/null
client open "$D/secret/x
2026-01-01T00:00:00Z $I[1]: allow: req=1 user=root" r >/dev/null
check "the audit file is root's alone" "root 600 -rw-------" fstat "%U %a %A" "$AUDIT"
check "no socket listens: a grant goes to the audit file, one line, time in UTC" \
	"[2-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z $I[[][1-9]*]: allow: req=[1-9]* user=nobody uid=$U pid=[1-9]* path=$D/secret/allowed.txt real=$D/secret/allowed.txt flags=O_RDONLY access=read rule=$POL:2" \
	sh -c "tail -n +$((was + 1)) '$AUDIT' | grep -F allowed.txt | head -n 1"
check "... and a deny" \
	"*Z $I[[][1-9]*]: deny: req=[1-9]* user=nobody uid=$U pid=[1-9]* path=$D/secret/denied.txt real=$D/secret/denied.txt flags=O_RDONLY access=read rule=* error=Permission denied" \
	sh -c "tail -n +$((was + 1)) '$AUDIT' | grep -F denied.txt"
check "a caller with stderr closed is recorded all the same" "2" \
	sh -c "tail -n +$((was + 1)) '$AUDIT' | grep -c ' allow: .* path=$D/secret/allowed.txt '"
check "a path cannot forge a line of the audit file: a record a line, none begun by the caller" "4 1" \
	eval 'echo $(tail -n +$((was + 1)) "$AUDIT" | grep -c "^[^ ]* $I[[][0-9]*]: [a-z]*: req=.* path=$D/") $(tail -n +$((was + 1)) "$AUDIT" | grep -cF "x\\x0a2026-01-01T00:00:00Z\\x20$I[1]:\\x20allow")'
if [ "$MODE" = broker ]; then
	check "openfiled --stderr prints each record too" \
		"*openfiled: allow: req=[1-9]* user=nobody uid=$U pid=[1-9]* path=$D/secret/allowed.txt *" cat "$BLOG"
fi
TOOL=$B/tests/openfile-policy-test
check "openfile-policy check says where records go: the audit file" \
	"*audit records: to the audit file $AUDIT (no journal or syslog listens)*: OK" "$TOOL" check
check "... and so does check --json" "file $AUDIT" \
	sh -c "'$TOOL' check --json | python3 -c 'import json, sys; a = json.load(sys.stdin)[\"policies\"][0][\"audit\"]; print(a[\"sink\"], a[\"path\"])'"
# A long record, whole on its line: the file has no length limit.
client open "$long" r >/dev/null
check "46: ... and in the audit file, whole on one line" "1" \
	audit_has " path=$elong real=$elong flags=O_RDONLY access=read rule=$POL:3"

# Syslog, then the journal, once something listens: the file stays as it is.
log_start "$P/syslog2.out"
policy_reread
was=$(audit_lines)
client open "$D/secret/allowed.txt" r >/dev/null
check "openfile-policy check: to syslog, once it listens" "*audit records: to syslog (authpriv), $SLOG*" \
	"$TOOL" check
log_stop
check "syslog listens: the record goes there, not to the file" "1 $was" \
	eval 'echo $(log_count "path=$D/secret/allowed.txt ") $(audit_lines)'
log_start "$P/journal.out" "$JLOG"
policy_reread
client open "$D/secret/allowed.txt" r >/dev/null
client open "$D/secret/denied.txt" r >/dev/null
check "openfile-policy check: to the journal, once it listens" "*audit records: to the journal, $JLOG*" \
	"$TOOL" check
log_stop
# journal_record VERDICT: the first such datagram, its lines joined.
journal_record() {
	awk -v m="^MESSAGE=$1" '$0 ~ m { p = 1 } p && /^$/ { exit } p' "$LOG" | tr '\n' ' ' | sed 's/ $//'
}
check "the journal listens: the record goes there with its fields" \
	"MESSAGE=allow: req=[1-9]* user=nobody uid=$U pid=[1-9]* path=$D/secret/allowed.txt real=$D/secret/allowed.txt flags=O_RDONLY access=read rule=$POL:2 PRIORITY=6 SYSLOG_FACILITY=10 SYSLOG_IDENTIFIER=$I SYSLOG_PID=[1-9]* OPENFILE_DECISION=allow OPENFILE_REQ=[1-9]* OPENFILE_USER=nobody OPENFILE_UID=$U OPENFILE_PID=[1-9]* OPENFILE_PATH=$D/secret/allowed.txt OPENFILE_REAL=$D/secret/allowed.txt OPENFILE_FLAGS=O_RDONLY OPENFILE_ACCESS=read OPENFILE_RULE=$POL:2" \
	journal_record allow
check "... a deny too, at notice, with its error" \
	"MESSAGE=deny: *denied.txt* PRIORITY=5 * OPENFILE_DECISION=deny * OPENFILE_ERROR=Permission denied" \
	journal_record "deny: .*denied.txt"
check "... and not in the file" "$was" audit_lines

# No sink at all: nothing is decided, nothing granted.
for bad in "chown nobody" "ln -s $P/log/elsewhere"; do
	mv "$AUDIT" "$AUDIT.keep"
	if [ "$bad" = "chown nobody" ]; then
		install -m 0600 /dev/null "$AUDIT" && chown nobody "$AUDIT"
	else
		ln -s "$P/log/elsewhere" "$AUDIT"
	fi
	policy_reread
	check "no sink takes records (the audit file: $bad): refused before it is decided (EIO)" \
		"err EIO err EIO" eval 'echo $(client open "$D/secret/allowed.txt" r) $(client open "$D/secret/denied.txt" r)'
	check "... and openfile-policy check warns, failing --strict" \
		"*warning: audit records have nowhere to go: *(the helper and openfiled refuse every request with EIO)*1" \
		sh -c "'$TOOL' check --strict; echo \$?" 
	rm -f "$AUDIT"
	mv "$AUDIT.keep" "$AUDIT"
done
check "... and the helper never wrote through the link" "absent" \
	sh -c "test -e '$P/log/elsewhere' && echo present || echo absent"
policy_reread
check "the audit file back: served again" "ok r*" client open "$D/secret/allowed.txt" r


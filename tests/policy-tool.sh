#!/bin/sh
# SPDX-License-Identifier: ISC
# policy-tool.sh - openfile-policy check, test, list and edit on policy
# files of its own (the live policy is covered by e2e.sh).  Speaks TAP.
set -u
B=${top_builddir:-.}
T=$B/tests/openfile-policy-test
W=$(mktemp -d /tmp/policy-tool.XXXXXX) || exit 1
trap 'rm -rf "$W"' EXIT
chmod 0755 "$W"

. "${srcdir:-.}/tests/tap.sh"
# check DESCRIPTION EXIT-STATUS PATTERN COMMAND...: status and output.
check() {
	desc=$1 want_rc=$2 want=$3
	shift 3
	got=$("$@" 2>&1)
	rc=$?
	case "$rc:$got" in
	"$want_rc:"$want) ok "$desc" ;;
	*) notok "$desc" "expected: $want_rc:$want
got:      $rc:$got" ;;
	esac
}

me=$(id -un)
grp=$(id -gn)
mkdir -m 0755 "$W/real" "$W/open"
chmod 0777 "$W/open"
ln -s "$W/real" "$W/link"
S=/srv/openfile-tool-test
cat > "$W/good" <<P
allow * read,write /var/log/syslog
allow * read /var/log/**
allow user $me read,write $S/mine
allow group $grp read $S/ours
deny * any /etc/shadow
P
echo "allow * read $W/real/mine" > "$W/links"
cat > "$W/warn" <<P
allow user no-such-user-here read /srv/x
allow group no-such-group-here read /srv/y
allow * read $W/link/f
allow * read,write $W/open/*
allow * read /a/b/c
allow * read /a/**
P
printf 'allow * reed /x\nallow * read relative\nallow user a/b read /y\n' > "$W/bad"
cat > "$W/dirs" <<P
allow * read /srv/pub/sub type=dir
deny * any /srv/pub/other
deny * any /srv/pub/sub/deny*
P
head -n 2 "$W/dirs" > "$W/dirs-outside"

# --- check -------------------------------------------------------------------
# The files are root's only when root runs this: others check the text
# alone (the helper's checks on the files are tested below).
SYN=
[ "$(id -u)" = 0 ] || SYN=--syntax-only
check "check: a valid policy" 0 "$W/good: 5 rules, 0 errors, 0 warnings: OK" "$T" check $SYN "$W/good"
check "check: every error, file:line:column, exit 1" 1 "$W/bad:1:9: error: unknown access 'reed' (expected read, write, append, create, truncate or any, separated by commas)
$W/bad:2:14: error: pattern must be an absolute path (start with '/')
$W/bad:3:12: error: invalid user name 'a/b' (letters, digits, '.', '_', '-' and a final '\$'; not starting with '-')
$W/bad: 0 rules, 3 errors, 0 warnings: INVALID (the helper denies every request)" "$T" check $SYN "$W/bad"
check "check: an unknown user" 0 "*$W/warn:1:12: warning: unknown user 'no-such-user-here': this rule applies to nobody*" "$T" check $SYN "$W/warn"
check "check: an unknown group" 0 "*$W/warn:2:13: warning: unknown group 'no-such-group-here': this rule applies to nobody*" "$T" check $SYN "$W/warn"
check "check: a pattern through a symlink can never match" 0 \
	"*$W/warn:3:14: warning: the pattern goes through the symbolic link $W/link (-> $W/real)*" "$T" check $SYN "$W/warn"
check "check: a grant in a directory others can write" 0 \
	"*$W/warn:4:20: warning: this grant lies inside $W/open, which * can change: symlink and hard-link bait*" "$T" check $SYN "$W/warn"
check "check: a rule a later one always overrides" 0 \
	"*$W/warn:5:1: warning: this rule never decides anything: the later rule at $W/warn:6 (allow \* read /a/\*\*) always overrides it*" "$T" check $SYN "$W/warn"
check "check: no false alarm for a rule overridden only in part" 0 "$W/good: 5 rules, 0 errors, 0 warnings: OK" "$T" check $SYN "$W/good"
check "42: check: a directory grant reaches below it, past a deny: both rules named" 0 \
	"$W/dirs:1:14: warning: a descriptor on a directory this grants reaches below it with the caller's own rights, past the deny at $W/dirs:3 (deny \* any /srv/pub/sub/deny\*), which cannot hold there
$W/dirs: 3 rules, 0 errors, 1 warning: OK" "$T" check $SYN "$W/dirs"
check "42: check: none for a deny outside the granted directory" 0 "$W/dirs-outside: 2 rules, 0 errors, 0 warnings: OK" \
	"$T" check $SYN "$W/dirs-outside"
check "check: warnings alone pass" 0 "*$W/warn: 6 rules, 0 errors, 5 warnings: OK" "$T" check $SYN "$W/warn"
check "check --strict: warnings fail" 1 "*$W/warn: 6 rules, 0 errors, 5 warnings: not accepted with --strict" "$T" check $SYN --strict "$W/warn"
check "check: several files, each judged" 1 "*$W/good: 5 rules*OK*$W/bad: 0 rules, 3 errors*" "$T" check $SYN "$W/good" "$W/bad"
check "check: a missing file" 1 "*$W/nothere: error: refusing policy: $W/nothere No such file or directory*INVALID*" "$T" check $SYN "$W/nothere"

# The helper's owner, mode and directory checks, on the files named.
cp "$W/good" "$W/draft"
chmod 0644 "$W/draft"
check "check --syntax-only: the text of a draft alone" 0 "$W/draft: 5 rules, 0 errors, 0 warnings: OK" \
	"$T" check --syntax-only "$W/draft"
check "check: a relative name, against the working directory" 0 "$W/draft: 5 rules*" \
	sh -c "cd '$W' && '$(cd "$(dirname "$T")" && pwd)/$(basename "$T")' check --syntax-only ./draft"
if [ "$(id -u)" = 0 ]; then
	check "check: a policy file root owns, not writable by others: OK" 0 "$W/draft: 5 rules, 0 errors, 0 warnings: OK" \
		"$T" check "$W/draft"
	chmod 0666 "$W/draft"
	check "check: a mode-0666 policy file is an error, as the helper refuses it" 1 "$W/draft: error: refusing policy: $W/draft is writable by group or others
$W/draft: 0 rules, 1 error, 0 warnings: INVALID (the helper denies every request)" "$T" check "$W/draft"
	check "... and --syntax-only checks its text alone" 0 "$W/draft: 5 rules, 0 errors, 0 warnings: OK" \
		"$T" check --syntax-only "$W/draft"
	chmod 0644 "$W/draft"
	chown nobody "$W/draft"
	check "check: a policy file root does not own is an error" 1 "$W/draft: error: refusing policy: $W/draft is not owned by root*INVALID*" \
		"$T" check "$W/draft"
	mkdir -m 0775 "$W/gw"
	cp "$W/good" "$W/gw/policy"
	check "check: a policy file in a group-writable directory is an error" 1 \
		"$W/gw/policy: error: refusing policy $W/gw/policy: $W/gw is writable by group or others*INVALID*" \
		"$T" check "$W/gw/policy"
	echo "include $W/draft" > "$W/includes"
	check "check: an include is checked so too" 1 "$W/includes:1:9: error: cannot include $W/draft: is not owned by root*INVALID*" \
		"$T" check "$W/includes"
else
	check "check: a policy file root does not own is an error" 1 "$W/draft: error: refusing policy: $W/draft is not owned by root*INVALID*" \
		"$T" check "$W/draft"
	skip_n 4 "the other file checks need root"
fi

# --- test and list -------------------------------------------------------------
check "test: allow, with the deciding rule" 0 "allow
$W/good:3: allow user $me read,write $S/mine" "$T" test -f "$W/good" "$me" "$S/mine" read
check "test: each access word with the rule that decided it" 0 "read: allowed by $W/good:3: allow user $me read,write $S/mine
write: allowed by $W/good:3: allow user $me read,write $S/mine
allow
$W/good:3: allow user $me read,write $S/mine" "$T" test -f "$W/good" "$me" "$S/mine" read,write
check "test: the last matching rule decides" 1 "deny
$W/good:5: deny * any /etc/shadow" "$T" test -f "$W/good" "$me" /etc/shadow read
check "test: no rule matched" 1 "deny
no rule matched (write for user $me)" "$T" test -f "$W/good" "$me" /var/log/other write
check "test: a group rule" 0 "allow
$W/good:4: *" "$T" test -f "$W/good" "$me" "$S/ours" read
check "test: the decision is on the real path" 0 "($W/link/mine resolves to $W/real/mine)
allow*" "$T" test -f "$W/links" "$me" "$W/link/mine" read
check "test: a path with '..' is refused, not guessed" 2 "*'/nonexist/../etc/shadow' is not canonical*" \
	"$T" test -f "$W/good" "$me" /nonexist/../etc/shadow read
check "test: an unknown access word" 2 "*unknown access 'reed'*" "$T" test -f "$W/good" "$me" /x reed
check "test: an unknown user" 2 "*unknown user 'no-such-user-here'" "$T" test -f "$W/good" no-such-user-here /x read
check "test: an invalid policy says so" 1 "*$W/bad:1:9: error*the policy is invalid*" "$T" test -f "$W/bad" "$me" /x read
# What a program's open needs, and where only the type did not match.
mkdir -p "$W/t/sub"
echo old > "$W/t/f"
echo old > "$W/t/new1"
cat > "$W/typed" <<P
allow * read $W/t/**
allow * write $W/t/f
allow * read,write,create,truncate $W/t/new*
allow user 4242 read $W/t/f
P
check "test: read,append: each word decided by its own rule" 0 "read: allowed by $W/typed:1: allow \* read $W/t/\*\*
append: allowed by $W/typed:2: allow \* write $W/t/f
allow
$W/typed:2: *" "$T" test -f "$W/typed" "$me" "$W/t/f" read,append
check "test: a word no rule grants is named, the other's rule too" 1 "read: allowed by $W/typed:1: *
create: denied: no rule matched
deny
no rule matched (create for user $me)" "$T" test -f "$W/typed" "$me" "$W/t/f" read,create
check "test: a directory under a ** grant: the type did not match, type=dir suggested" 1 "deny
no rule matched for type=dir (read for user $me)
$W/typed:1: allow \* read $W/t/\*\*
  matches $W/t/sub but is for type=file, not dir: add type=dir to it" "$T" test -f "$W/typed" "$me" "$W/t/sub" read
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$W/t/sock" 2>/dev/null
if [ -S "$W/t/sock" ]; then
	check "test: a socket: no rule can grant it, no type= to suggest" 1 "($W/t/sock is a socket or the like, which no rule can grant)
deny
no rule matched (read for user $me)" "$T" test -f "$W/typed" "$me" "$W/t/sock" read
else
	skip "test: a socket needs python3 to make one"
fi
check "test: --fopen w on an existing file needs truncate" 1 "(O_WRONLY|O_CREAT|O_TRUNC on what exists needs write,truncate)
(O_TRUNC on a file that exists needs truncate: *)
write: allowed by $W/typed:2: *
truncate: denied: no rule matched
deny
no rule matched (truncate for user $me)" "$T" test -f "$W/typed" --fopen w "$me" "$W/t/f"
check "test: --fopen w on a new file needs create, not truncate" 0 "(O_WRONLY|O_CREAT|O_TRUNC on a file it creates needs write,create)
write: allowed by $W/typed:3: *
create: allowed by $W/typed:3: *
allow
$W/typed:3: *" "$T" test -f "$W/typed" --fopen w "$me" "$W/t/new"
check "test: --fopen a appends" 0 "(O_WRONLY|O_CREAT|O_APPEND on what exists needs append)
allow
$W/typed:2: *" "$T" test -f "$W/typed" --fopen a "$me" "$W/t/f"
check "test: --flags, with blanks around '|'" 0 "(O_WRONLY|O_TRUNC on what exists needs write,truncate)*allow*" \
	"$T" test -f "$W/typed" --flags 'O_WRONLY | O_TRUNC' "$me" "$W/t/new1"
check "test: --flags O_CREAT|O_EXCL on what exists fails with EEXIST" 1 "(O_WRONLY|O_CREAT|O_EXCL on what exists needs create)
allow
$W/typed:3: *
but the open fails: EEXIST (File exists)" "$T" test -f "$W/typed" --flags 'O_WRONLY|O_CREAT|O_EXCL' "$me" "$W/t/new1"
check "test: --flags without O_CREAT on a missing file fails with ENOENT" 1 "*allow*but the open fails: ENOENT (No such file or directory)" \
	"$T" test -f "$W/typed" --flags O_RDONLY "$me" "$W/t/missing"
check "test: an unknown flag name is a usage error" 2 "*--flags 'O_RDONLY|O_BOGUS': unknown or unsupported flag 'O_BOGUS'*" \
	"$T" test -f "$W/typed" --flags 'O_RDONLY|O_BOGUS' "$me" "$W/t/f"
check "test: O_WRONLY|O_RDWR is a usage error" 2 "*O_WRONLY and O_RDWR together*" \
	"$T" test -f "$W/typed" --flags 'O_WRONLY|O_RDWR' "$me" "$W/t/f"
check "test: a bad fopen mode is a usage error" 2 "*--fopen 'q': not an fopen(3) mode*" \
	"$T" test -f "$W/typed" --fopen q "$me" "$W/t/f"
check "test: --flags and --fopen exclude each other" 2 "*--fopen: one of --flags and --fopen*" \
	"$T" test -f "$W/typed" --flags O_RDONLY --fopen r "$me" "$W/t/f"
if [ "$(id -u)" = 0 ]; then
	uid=4242
	while getent passwd "$uid" >/dev/null; do uid=$((uid + 1)); done
	sed -i "s/user 4242/user $uid/" "$W/typed"
	check "test: a uid without a name is a caller rules name by number" 0 "(uid $uid has no user name: decided without groups*)
allow
$W/typed:4: allow user $uid read $W/t/f" "$T" test -f "$W/typed" "$uid" "$W/t/f" read
else
	skip "test: asking about a uid without a name needs root"
fi
check "list: the rules that apply, in order" 0 "$W/good:1: allow * read,write /var/log/syslog
$W/good:2: allow * read /var/log/**
$W/good:3: allow user $me read,write $S/mine
$W/good:4: allow group $grp read $S/ours
$W/good:5: deny * any /etc/shadow" "$T" list -f "$W/good" "$me"
if [ "$(id -u)" = 0 ]; then
	check "list: only the rules for that user" 0 "$W/good:1:*
$W/good:2:*
$W/good:5:*" "$T" list -f "$W/good" nobody
	check "test: others may ask only about themselves" 2 "*only root may ask about another user*" \
		setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$T" test -f "$W/good" root /x read
	chmod 0600 "$W/good"
	check "test: a policy the user cannot read" 1 "*$W/good: error: refusing policy: $W/good Permission denied*" \
		setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$T" test -f "$W/good" nobody /x read
	chmod 0644 "$W/good"
else
	for t in "list for another user" "asking about others" "an unreadable policy"; do
		skip "$t needs root"
	done
fi

# --- --json --------------------------------------------------------------------
# jcheck DESCRIPTION EXIT-STATUS ASSERTION COMMAND...: stdout is one JSON
# document (python3 -m json.tool reads it), d, of which the Python
# ASSERTION holds.
jcheck() {
	desc=$1 want_rc=$2 expr=$3
	shift 3
	"$@" >"$W/json" 2>"$W/json.err"
	rc=$?
	if [ "$rc" != "$want_rc" ]; then
		notok "$desc" "exit status $rc, expected $want_rc: $(cat "$W/json" "$W/json.err")"
	elif ! python3 -m json.tool "$W/json" >/dev/null 2>"$W/json.why"; then
		notok "$desc" "not one JSON document: $(cat "$W/json.why" "$W/json")"
	elif ! python3 -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="ascii"))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$W/json" "$expr"; then
		notok "$desc" "$expr does not hold of: $(cat "$W/json")"
	else
		ok "$desc"
	fi
}
if command -v python3 >/dev/null; then
	jcheck "check --json: each error with file, line, column and message; exit 1" 1 \
		"d['policies'][0]['errors'] == 3 and d['policies'][0]['diagnostics'][0] == {'kind': 'error', 'file': '$W/bad', 'line': 1, 'column': 9, 'message': \"unknown access 'reed' (expected read, write, append, create, truncate or any, separated by commas)\"} and not d['policies'][0]['valid']" \
		"$T" check $SYN --json "$W/bad"
	jcheck "check --json: several files, warnings and all, one document" 0 \
		"[p['file'] for p in d['policies']] == ['$W/good', '$W/warn'] and d['policies'][1]['warnings'] == 5 and all(x['kind'] == 'warning' and x['line'] for x in d['policies'][1]['diagnostics']) and d['policies'][0]['status'] == 'OK'" \
		"$T" check $SYN --json "$W/good" "$W/warn"
	jcheck "check --json: a whole-file error has no line" 1 \
		"d['policies'][0]['diagnostics'][0]['line'] is None and 'No such file' in d['policies'][0]['diagnostics'][0]['message']" \
		"$T" check --json "$W/nothere"
	jcheck "test --json: the decision, each word with its rule's file:line, the real path" 0 \
		"d['decision'] == 'allow' and d['real'] == '$W/t/f' and [(a['word'], a['decision'], a['rule']['line']) for a in d['access']] == [('read', 'allow', 1), ('append', 'allow', 2)] and d['rule']['file'] == '$W/typed' and d['user'] == '$me'" \
		"$T" test --json -f "$W/typed" "$me" "$W/t/f" read,append
	jcheck "test --json: --fopen w, truncate decided by no rule; exit 1" 1 \
		"d['decision'] == 'deny' and d['flags'] == 'O_WRONLY|O_CREAT|O_TRUNC' and d['access'][1] == {'word': 'truncate', 'decision': 'deny', 'rule': None}" \
		"$T" test --json -f "$W/typed" --fopen w "$me" "$W/t/f"
	jcheck "test --json: a type mismatch names the rule and the type to add" 1 \
		"d['type'] == 'dir' and d['type_mismatch']['rule']['line'] == 1 and d['type_mismatch']['suggest'] == 'dir'" \
		"$T" test --json -f "$W/typed" "$me" "$W/t/sub" read
	jcheck "test --json: an open that would fail all the same" 1 \
		"d['decision'] == 'allow' and d['open_fails'] == 'EEXIST'" \
		"$T" test --json -f "$W/typed" --flags 'O_WRONLY|O_CREAT|O_EXCL' "$me" "$W/t/new1"
	jcheck "list --json: the rules that apply" 0 \
		"d['user'] == '$me' and [r['line'] for r in d['rules']] == [1, 2, 3, 4, 5] and d['rules'][4]['text'] == 'deny * any /etc/shadow'" \
		"$T" list --json -f "$W/good" "$me"
	# Quote, backslash, a tab, UTF-8 and a byte that is not: escaped, each
	# byte one character.
	odd=$(printf '%s/q"b\\\t\303\251\351' "$W")
	cp "$W/good" "$odd"
	jcheck "--json: strings escaped, bytes beyond ASCII as \\u00XX" 0 \
		"d['rules'][0]['file'].encode('latin-1') == open('$W/odd.name', 'rb').read()" \
		sh -c 'printf %s "$1" > "$2/odd.name"; exec "$0" list --json -f "$1" "$3"' "$T" "$odd" "$W" "$me"
	jcheck "test --json: an invalid policy is still one document; exit 1" 1 \
		"d == {'decision': 'deny', 'valid': False}" "$T" test --json -f "$W/bad" "$me" /x read
else
	skip_n 10 "python3 is not installed"
fi

# --- edit ----------------------------------------------------------------------
P=$W/edited
printf 'allow * read /x\n' > "$P"
chmod 0644 "$P"
ed() { # ed NAME BODY: an editor script
	printf '#!/bin/sh\n%s\n' "$2" > "$W/$1"
	chmod 0755 "$W/$1"
}
ed add 'echo "allow * read /y" >> "$1"'
ed bad 'echo "allow * reed /y" >> "$1"'
ed fail 'exit 3'
ed same 'true'
ed race 'echo "allow * read /z" >> "$1"; echo "allow * read /theirs" >> '"$P"
# Says it started (it holds the lock then), and ends once told to go.
ed slow 'touch "$0.started"; i=0
while [ ! -e "$0.go" ] && [ $i -lt 3000 ]; do sleep 0.02; i=$((i + 1)); done
echo "allow * read /slow" >> "$1"'
check "edit: a valid change is installed" 0 "$P: installed" env EDITOR="$W/add" "$T" edit "$P"
check "... with the change" 0 "allow * read /x
allow * read /y" cat "$P"
check "... keeping the mode" 0 "644" stat -c %a "$P"
check "edit: VISUAL wins over EDITOR" 0 "$P: no changes" env VISUAL="$W/same" EDITOR="$W/fail" "$T" edit "$P"
check "edit: an invalid change, no terminal to ask: discarded" 1 "$P:3:9: error: unknown access 'reed'*$P is unchanged" \
	env EDITOR="$W/bad" "$T" edit "$P" </dev/null
check "edit: an editor exiting non-zero changes nothing" 2 "*the editor exited with status 3; $P is unchanged" \
	env EDITOR="$W/fail" "$T" edit "$P"
env EDITOR="$W/slow" "$T" edit "$P" >/dev/null 2>&1 &
slow=$!
i=0
while [ ! -e "$W/slow.started" ] && [ $i -lt 3000 ]; do sleep 0.02; i=$((i + 1)); done
check "edit: a second editor waits its turn" 2 "*$P is being edited by someone else*" env EDITOR="$W/add" "$T" edit "$P"
touch "$W/slow.go"
wait "$slow"
check "... and the first edit lands whole" 0 "allow * read /x
allow * read /y
allow * read /slow" cat "$P"
check "edit: a policy changed meanwhile is not overwritten" 1 "*$P was changed by someone else while you edited it*Your version is in $W/.edited.*" \
	env EDITOR="$W/race" "$T" edit "$P"
check "... their change is kept" 0 "*allow * read /theirs" cat "$P"
check "... and nothing half-written is left as policy" 0 "$P" sh -c "ls '$W'/edited* | tr '\n' ' ' | sed 's/ \$//'"
rm -f "$W"/.edited.* # the copy kept for merging
check "edit: a new file" 0 "$W/new: installed" env EDITOR="$W/add" "$T" edit "$W/new"
check "edit: a relative name, against the working directory, as visudo takes it" 0 "$W/rel: installed" \
	sh -c "cd '$W' && EDITOR='$W/add' '$(cd "$(dirname "$T")" && pwd)/$(basename "$T")' edit rel"
check "... which is the file edited" 0 "allow * read /y" cat "$W/rel"
check "edit: no lock nor copy left behind, whatever the outcome" 0 "" sh -c "ls -A '$W' | sed -n '/^[.]/p'"

# A signal while the editor runs ends the edit: nothing installed,
# nothing left behind.
printf 'allow * read /x\n' > "$P"
before=$(cat "$P")
ed waitgo 'touch "$0.started"; i=0
while [ ! -e "$0.go" ] && [ $i -lt 3000 ]; do sleep 0.02; i=$((i + 1)); done
echo "allow * read /late" >> "$1"'
for sig in TERM HUP; do
	rm -f "$W/waitgo.started" "$W/waitgo.go"
	env EDITOR="$W/waitgo" "$T" edit "$P" >/dev/null 2>&1 &
	pid=$!
	i=0
	while [ ! -e "$W/waitgo.started" ] && [ $i -lt 3000 ]; do sleep 0.02; i=$((i + 1)); done
	kill -$sig $pid
	wait $pid
	rc=$?
	touch "$W/waitgo.go"
	check "edit: SIG$sig while the editor runs ends it as SIG$sig would" 0 "$sig" kill -l $rc
	check "... the policy unchanged, no lock nor copy left" 0 "$before" \
		sh -c "ls -A '$W' | sed -n '/^[.]/p'; cat '$P'"
done
# At the terminal, ^C reaches the editor and us: it is the editor's to take.
ed intr 'kill -INT $PPID; kill -INT $$; echo "allow * read /intr" >> "$1"'
env EDITOR="$W/intr" "$T" edit "$P" >/dev/null 2>&1
rc=$?
check "edit: a SIGINT that ends the editor ends the edit as SIGINT" 0 INT kill -l $rc
check "... the policy unchanged, no lock nor copy left" 0 "$before" sh -c "ls -A '$W' | sed -n '/^[.]/p'; cat '$P'"
ed keyint 'trap "" INT; kill -INT $PPID; echo "allow * read /keyint" >> "$1"'
check "edit: a SIGINT the editor takes as a key does not end the edit" 0 "$P: installed" \
	env EDITOR="$W/keyint" "$T" edit "$P"
check "... no lock left" 0 "" sh -c "ls -A '$W' | sed -n '/^[.]/p'"
# Names near PATH_MAX: the lock (NAME + 6) or the copy (NAME + 8) would not fit.
long=$W/$(printf '%0250d/' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
mkdir -p "$long"
for len in 4095 4089; do
	base=$(printf "%0$((len - ${#long}))d" 0)
	check "edit: a $len-byte name is refused, not truncated" 2 "*$long$base: the name is too long for a * beside it" \
		env EDITOR="$W/add" "$T" edit "$long$base"
done
check "... leaving nothing behind, not even the lock that fitted" 0 "" ls -A "$long"

tap_done

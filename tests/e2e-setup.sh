# SPDX-License-Identifier: ISC
# e2e-setup.sh - the prefix, data and policy the end-to-end cases run on,
# sourced by e2e.sh once for each way the helper can hold its privilege
# ($MODE: setuid or caps).

# --- set up the prefix: root's, reachable by everyone ----------------------
rm -rf "$P"
mkdir -m 0755 "$P" || { echo "Bail out! cannot create $P"; exit 1; }
mkdir -m 0755 "$P/libexec" "$P/bin" "$P/etc" "$P/etc/policy.d" "$P/cache" "$D"
mkdir -m 1777 "$R"
# The audit file's directory, and that of the journal's and syslog's
# sockets the test builds use (tests bind them; nothing does otherwise).
mkdir -m 0750 "$P/log"
install -m 0600 /dev/null "$P/log/audit.log"
mkdir -m 0755 "$P/run"
install -o root -g root -m 0755 "$B/tests/openfile-test" "$H"
[ -z "$HN" ] || install -o root -g root -m 0755 "$B/tests/openfile-nss-test" "$HN"
privilege_helper
install -o root -g root -m 0755 "$B/tests/e2e-client" "$P/bin/e2e-client"
# openfile-run, its shim and the program its cases run.
mkdir -m 0755 "$P/lib"
install -o root -g root -m 0755 "$B/tests/openfile-run-test" "$P/bin/openfile-run"
install -o root -g root -m 0755 "$B/tests/run-probe" "$P/bin/run-probe"
install -o root -g root -m 0644 "$B/tests/.libs/openfile-preload-test.so" \
	"$P/lib/openfile-preload.so"
# A static program, for what only seccomp mode reaches (where the
# toolchain links one).
for t in supervise-target supervise-target-static; do
	[ ! -x "$B/tests/$t" ] || install -o root -g root -m 0755 "$B/tests/$t" "$P/bin/$t"
done
[ -n "${E2E_KEEP:-}" ] || trap 'stop_broker; log_stop; rm -rf "$P"' EXIT

mk() { # mk MODE DIR...
	m=$1; shift
	for d; do mkdir -p "$D/$d" && chmod "$m" "$D/$d"; done
}
put() { printf '%s' "$2" > "$D/$1" && chmod 0600 "$D/$1"; }
mk 0700 secret secret/sub ro ro/sub rw log trunc dir
mk 0755 drop drop2 dev fifo link userdir userdrop home
# A root-only directory the policy grants inside, with a directory others
# may search and links beside what it grants (the oracles of '..' and of
# links met below a directory searched with privilege).
mk 0700 priv priv2
mk 0755 priv/pub priv/osx
# Sticky and world-writable, as /tmp: a link or file another user planted
# there is not followed or reopened for O_CREAT (protected_symlinks etc.).
mk 1777 sticky
mk 0700 home/nobody
put secret/allowed.txt allowed
put secret/denied.txt denied
put secret/by-name.txt by-name
put secret/by-group.txt by-group
put secret/by-supp.txt by-supp
put ro/file ro-content
put ro/hidden hidden
put ro/sub/deep.txt deep
put rw/file rw-content
put log/app.log line1
put trunc/t.txt 0123456789
put dir/inside x
put priv/pub/a.txt public
put priv2/s.txt s
put home/nobody/diary diary
ln -s osx "$D/priv/lnk"
ln -s pub/a.txt "$D/priv/alias"
ln -s a.txt "$D/priv/pub/current"
mknod "$D/ro/devnode" c 1 3
mknod "$D/dev/null" c 1 3
mkfifo -m 0600 "$D/ro/fifo" "$D/fifo/f"
ln -s ../secret/denied.txt "$D/link/to-secret"
ln -s ../secret/allowed.txt "$D/link/to-allowed"
ln -s /proc/self/fd/0 "$D/link/to-proc"
chown "$U:$G" "$D/userdir" "$D/userdrop"
chown -R "$U:$G" "$D/home/nobody"

write_policy() {
	write_policy_files
	policy_changed
}
write_policy_files() {
	cat > "$POL" <<POLICY
# test policy
allow * read $D/secret/allowed.txt
allow * read $D/ro/**
deny  * any $D/ro/hidden
allow * read,write $D/rw/*
allow * append $D/log/*
allow * read,write,truncate $D/trunc/*
allow * read,write,create $D/drop/* mode=0640
allow * write,create $D/drop2/*
allow * read $D/dev/* type=device
allow * read,write $D/fifo/* type=fifo
allow * read $D/dir type=dir
allow * read $D/link/**
allow * read $D/userdir/**
allow * write,create $D/userdrop/*
allow user nobody read $D/secret/by-name.txt
allow group $(id -gn nobody) read $D/secret/by-group.txt
allow group $SUPP read $D/secret/by-supp.txt
allow * read $D/priv/pub/**
allow * read $D/priv2/**/public.txt
allow * read,write,create,truncate $D/sticky/**
allow * read,write,create $D/sticky/*.fifo type=fifo
allow * any $D/home/%u/**
POLICY
	chmod 0644 "$POL"
	NRULES=$(grep -c '^allow\|^deny' "$POL")
	# The helper and openfiled read only the compiled policy.
	"$B/tests/openfile-policy-test" compile >/dev/null
}
write_policy
cd "$D" || exit 1

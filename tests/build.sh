#!/bin/sh
# SPDX-License-Identifier: ISC
# build.sh - what the build promises about its binaries: the library
# exports only the public API, the setuid helper is hardened, the
# privileged binaries carry no admin-only code.  Speaks TAP.
B=${top_builddir:-.}
n=0
fail=0
check() { # check DESCRIPTION COMMAND...
	desc=$1
	shift
	n=$((n + 1))
	if out=$("$@" 2>&1); then
		echo "ok $n - $desc"
	else
		fail=1
		echo "not ok $n - $desc"
		printf '%s\n' "$out" | sed 's/^/#   /'
	fi
}
if ! command -v readelf >/dev/null; then
	echo "1..0 # SKIP readelf is not installed"
	exit 77
fi
lib=$(ls "$B"/libmyopen/.libs/libmyopen.so.*.*.* 2>/dev/null | head -n 1)
helper=$B/openfile/openfile

exports() { # exports OBJECT NAMES: the names OBJECT exports, sorted
	got=$(readelf --dyn-syms -W "$1" | awk '$5 == "GLOBAL" && $7 != "UND" && $7 != "ABS" { sub(/@.*/, "", $8); print $8 }' | LC_ALL=C sort | tr '\n' ' ')
	[ "$got" = "$2 " ] || { echo "exports: $got"; return 1; }
}
check "libmyopen exports exactly the public API" exports "$lib" \
	"my_accept my_connect my_fopen my_listen my_open my_openat my_recv_fd my_recv_fds my_send_fd my_send_fds"
# The shim carries the library's sources: none of its names may reach the
# program's namespace.
check "the preload shim exports exactly the names it interposes" exports \
	"$B/run/.libs/openfile-preload.so" "__open64_2 __open_2 __openat64_2 __openat_2 creat creat64 fopen fopen64 freopen freopen64 open open64 openat openat64"
# Loaded into every program under openfile-run: its headers and read-only
# data are never executable, and it keeps RELRO; with run/preload.ld
# (PRELOAD_LAYOUT=yes), in three segments rather than four.
segments() { # segments OBJECT LAYOUT: its LOADs' flags are LAYOUT, and RELRO
	got=$(readelf -lW "$1" | awk '$1 == "LOAD" { f = $7; if ($8 ~ /^E$/) f = f $8; printf "%s ", f }')
	[ "$got" = "$2 " ] && readelf -lW "$1" | grep -q GNU_RELRO ||
		{ echo "segments: $got"; return 1; }
}
if [ "${PRELOAD_LAYOUT:-no}" = yes ]; then
	layout="R RE RW"
else
	layout="R RE R RW"
fi
check "the preload shim maps as $layout, with RELRO" \
	segments "$B/run/.libs/openfile-preload.so" "$layout"
# openfile-run starts before every command it runs: it carries the
# library's code and loads nothing but libc, or, static (configure's
# static-pie), not even that, and is still PIE with RELRO.
run=$B/run/openfile-run
# (A sanitizer build links dynamically, with the sanitizers' runtimes.)
check "openfile-run loads no library but libc${OPENFILE_SANITIZER:+ and the sanitizers'}" sh -c \
	"readelf -d '$run' | awk '/NEEDED/ && !/\\[libc\\.so\\.6\\]/ &&
		!(\"${OPENFILE_SANITIZER:-}\" != \"\" && /\\[lib(a|ub)san\\.so/) { bad = 1 } END { exit bad }'"
if ! readelf -lW "$run" | grep -q INTERP; then
	check "openfile-run, static, is PIE with RELRO" sh -c \
		"readelf -h '$run' | grep -q DYN && readelf -lW '$run' | grep -q GNU_RELRO"
fi
check "libmyopen symbols are versioned" sh -c "readelf --dyn-syms -W '$lib' | grep -q 'my_open@@LIBMYOPEN_0'"
check "the new symbols are in LIBMYOPEN_1, which inherits LIBMYOPEN_0" sh -c \
	"readelf --dyn-syms -W '$lib' | grep -q 'my_send_fds@@LIBMYOPEN_1' &&
	 readelf -V -W '$lib' | grep -A1 'Name: LIBMYOPEN_1' | grep -q 'Parent 1: LIBMYOPEN_0'"
check "the helper is PIE" sh -c "readelf -h '$helper' | grep -q 'DYN'"
check "the helper has full RELRO (GNU_RELRO and BIND_NOW)" sh -c \
	"readelf -l '$helper' | grep -q GNU_RELRO && readelf -d '$helper' | grep -Eq 'BIND_NOW|FLAGS_1.*NOW'"
check "the helper has a non-executable stack" sh -c \
	"readelf -lW '$helper' | grep GNU_STACK | grep -qv RWE"
# (-s reads the static helper's symbol table too.)
check "the helper uses the stack protector" sh -c "readelf -sW '$helper' | grep -q __stack_chk_fail"
check "the helper is fortified" sh -c "readelf -sW '$helper' | grep -q '__[a-z]*_chk'"
# glibc cannot load a name service module into a static program: a
# static helper must not ask glibc's NSS at all (openfile-nss does).
if ! readelf -lW "$helper" | grep -q INTERP; then
	check "the static helper calls no name service lookup; openfile-nss, dynamic, does" sh -c \
		"! readelf -sW '$helper' | grep -Eq ' (getpwuid_r|getgrgid_r|getpwnam_r|getgrnam_r)\$' &&
		 readelf -lW '$B/openfile/openfile-nss' | grep -q INTERP"
fi
check "the installed helper has no test hooks" sh -c "! grep -q openfile-test '$helper'"
check "the test helper has them (so the check above means something)" \
	sh -c "grep -q openfile-test '$B/tests/openfile-test' || test ! -e '$B/tests/openfile-test'"
# The filter is made into BPF when building; sanitizer builds make theirs
# at run time with libseccomp.  (e2e checks that it kills.)
if [ -n "${OPENFILE_SANITIZER:-}" ]; then
	check "the sanitized helper makes its seccomp filter with libseccomp" \
		sh -c "readelf --dyn-syms -W '$helper' | grep -q seccomp_load"
else
	check "the helper carries its seccomp filter, made when building, and does not load libseccomp" \
		sh -c "grep -q 'helper_filter' '$B/seccomp/seccomp-filter.h' && ! readelf -d '$helper' | grep -q libseccomp"
fi
# The administrator's policy code (the text, its compiler, check's
# analyses) never reaches a privileged binary: they read only the compiled
# policy (doc/policy-engine.md).  Named here one by one, old names too.
admin_only="policy_text_new policy_text_free policy_text_count policy_rule_at
	policy_load policy_parse parse_text parse_rule_line load_include
	policy_read_all policy_parse_access policy_compile policy_compile_write
	policy_text_compiled policy_cache_write policy_load_cached
	pattern_compile pattern_free pattern_covers pattern_literal_prefix
	policy_rule_covers policy_dir_grant_reaches policy_rule_applies
	policy_subject_covers"
no_admin_code() { # no_admin_code BINARY
	syms=$(nm "$1" | awk '{ print $NF }') || return 1
	# Its symbols are there to judge by.
	printf '%s\n' "$syms" | grep -qx policy_decide || { echo "no symbols in $1"; return 1; }
	found=$(for s in $admin_only; do printf '%s\n' "$syms" | grep -x "$s"; done)
	[ -z "$found" ] || { echo "admin-only code in $1:" $found; return 1; }
}
if command -v nm >/dev/null; then
	check "the helper carries none of the administrator's policy code" no_admin_code "$helper"
	check "openfiled carries none of it either" no_admin_code "$B/openfiled/openfiled"
else
	n=$((n + 1)); echo "ok $n # SKIP nm is not installed"
fi
# A sanitizer or coverage build is never installed setuid: its install fails and leaves
# no helper, or with --disable-setuid-install leaves it without the bit.
never_setuid() {
	d=$(mktemp -d) || return 1
	out=$( (cd "$B" && env -u MAKEFLAGS make -s install-pkglibexecPROGRAMS DESTDIR="$d" &&
		env -u MAKEFLAGS make -s install-exec-hook DESTDIR="$d") 2>&1)
	rc=$?
	left=$(find "$d" -type f -name openfile -exec ls -l {} +)
	rm -rf "$d"
	printf '%s\n%s\n' "$out" "$left"
	case $rc:$left:$out in
	[1-9]*::*"refusing to install a sanitizer"*) ;;
	0:-rwxr-xr-x*:*"never make"*) ;;
	*) return 1 ;;
	esac
}
if [ -n "${OPENFILE_SANITIZER:-}${COVERAGE_DIR:-}" ]; then
	check "a sanitizer or coverage build is never installed setuid" never_setuid
fi
# A staged install (DESTDIR) tells the packager the final paths: the
# helper to make setuid, the policy's files and directories root must own.
staged_hints() {
	var() { printf 'print-%%:\n\t@echo $($*)\n' | (cd "$B" && env -u MAKEFLAGS make -s -f Makefile -f - "print-$1"); }
	h=$(var helperpath) p=$(var policydir)
	d=$(mktemp -d) || return 1
	out=$( (cd "$B" && env -u MAKEFLAGS make -s install-pkglibexecPROGRAMS install-exec-hook \
		install-data-local DESTDIR="$d") 2>&1)
	rc=$?
	rm -rf "$d"
	printf '%s\n' "$out"
	[ $rc = 0 ] || return 1
	printf '%s\n' "$out" | grep -F '***' | grep -qF "$d" && { echo "a hint names the staged path"; return 1; }
	printf '%s\n' "$out" | grep -qF "chown root:root $h && chmod 4755 $h" &&
	printf '%s\n' "$out" | grep -qF "refuse a policy unless root owns it" &&
	printf '%s\n' "$out" | grep -qF "$p/policy.d"
}
if [ -z "${OPENFILE_SANITIZER:-}${COVERAGE_DIR:-}" ]; then
	check "a staged install names the final helper path and the policy files root must own" staged_hints
fi
# Every source names its licence (LICENSE) in its first lines.
spdx() {
	missing=$(find "${srcdir:-.}" \( -path '*/_*' -o -path '*/.git' -o -path '*/autom4te.cache' \
		-o -path '*/build-aux' -o -path '*/m4' -o -path '*/tests/fuzz/corpus' \) -prune -o \
		-type f \( -name '*.[ch]' -o -name '*.sh' -o -name '*.in' -o -name Makefile.am \
		-o -name configure.ac -o -name quickstart \) -print |
		grep -v '/Makefile\.in$\|/config\.h\.in$' |
		while read -r f; do head -n 3 "$f" | grep -q 'SPDX-License-Identifier: ISC' || echo "$f"; done)
	[ -z "$missing" ] || { echo "no SPDX identifier: $missing"; return 1; }
}
check "every source carries an SPDX licence identifier" spdx
# What runs with privilege, in source lines that carry machine code (the
# distinct file:line pairs of the project's own sources in the DWARF line
# table): every change sees its cost here.
code_lines() { # code_lines BINARY
	own=$(find "${srcdir:-.}" -path '*/tests' -prune -o -name '*.[ch]' -print |
		sed 's|.*/||' | sort -u | tr '\n' ' ')
	readelf --debug-dump=decodedline "$1" 2>/dev/null |
		awk -v own=" $own" 'NF >= 3 && $2 ~ /^[0-9]+$/ && index(own, " " $1 " ") { print $1 ":" $2 }' |
		sort -u | wc -l
}
echo "# privileged code: the helper $(code_lines "$helper") lines, openfiled $(code_lines "$B/openfiled/openfiled") lines"
echo "1..$n"
exit $fail

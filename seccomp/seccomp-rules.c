/* SPDX-License-Identifier: ISC */
/*
 * seccomp-rules.c - the system call allowlist of the helper and of
 * openfiled's workers, as libseccomp rules.  Compiled into gen-filter,
 * which turns them into BPF at build time (seccomp-filter.h), and into
 * sanitizer builds, whose rules name the running process and so are built
 * at run time.
 */
#include "config.h"

#include <seccomp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "seccomp-rules.h"

/* What the rest of the helper calls, directly or through libc, libcap,
 * malloc and the log (audit.c). */
static const int allowed[] = {
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(writev), SCMP_SYS(lseek),
	SCMP_SYS(close), SCMP_SYS(dup), SCMP_SYS(fcntl),
	SCMP_SYS(fstat), SCMP_SYS(newfstatat), SCMP_SYS(statx),
	SCMP_SYS(lstat), SCMP_SYS(stat), SCMP_SYS(fstatfs),
	SCMP_SYS(open), SCMP_SYS(openat), SCMP_SYS(openat2),
	SCMP_SYS(readlink), SCMP_SYS(readlinkat),
	SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(mprotect),
	SCMP_SYS(brk), SCMP_SYS(madvise),
	SCMP_SYS(sendmsg), SCMP_SYS(sendto), SCMP_SYS(recvmsg),
	SCMP_SYS(recvfrom), SCMP_SYS(connect),
	SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(getuid), SCMP_SYS(geteuid),
	SCMP_SYS(getgid), SCMP_SYS(getegid), SCMP_SYS(getresuid),
	SCMP_SYS(getresgid), SCMP_SYS(getgroups),
	SCMP_SYS(capget), SCMP_SYS(capset),
	SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigreturn),
	SCMP_SYS(clock_gettime), SCMP_SYS(gettimeofday), SCMP_SYS(time),
	SCMP_SYS(futex), SCMP_SYS(getrandom), SCMP_SYS(restart_syscall),
	SCMP_SYS(exit), SCMP_SYS(exit_group),
	SCMP_SYS(landlock_create_ruleset), SCMP_SYS(landlock_add_rule),
	SCMP_SYS(landlock_restrict_self),
};

/* Allows the system call sys only with value as its first argument. */
static int allow_arg0(scmp_filter_ctx ctx, int sys, scmp_datum_t value)
{
	return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, sys, 1,
				(struct scmp_arg_cmp){ .arg = 0,
						       .op = SCMP_CMP_EQ,
						       .datum_a = value,
						       .datum_b = 0 });
}

/* What an openfiled worker calls besides: waiting for the next request,
 * its timer, ending its connection. */
static const int worker_allowed[] = {
	SCMP_SYS(ppoll), SCMP_SYS(poll), SCMP_SYS(alarm), SCMP_SYS(setitimer),
	SCMP_SYS(shutdown),
};

static int allow_all(scmp_filter_ctx ctx, const int *sys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, sys[i], 0) < 0)
			return -1;
	return 0;
}

int confine_rules(scmp_filter_ctx ctx, int worker)
{
	/* A binary tree of syscall numbers, not a list: the kernel runs the
	 * filter over every syscall number when it is loaded (to cache the
	 * ones it always allows), which costs a list's length each time
	 * (about 3 us an instruction on a 2-core VM). */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0)
		return -1;
	if (allow_all(ctx, allowed, sizeof allowed / sizeof allowed[0]) < 0 ||
	    (worker && allow_all(ctx, worker_allowed,
				 sizeof worker_allowed / sizeof worker_allowed[0]) < 0))
		return -1;
	/* The log may connect again to the journal or syslog: local sockets
	 * only. */
	if (allow_arg0(ctx, SCMP_SYS(socket), AF_UNIX) < 0)
		return -1;
#ifdef OPENFILE_SANITIZER
	/* Sanitizer builds only (never installed setuid): a report ends in
	 * abort(), which signals this process.  Everything else the runtime
	 * needs for a report is above (tests/sanitizer-options.c keeps it
	 * off the terminal and away from LeakSanitizer). */
	if (allow_arg0(ctx, SCMP_SYS(tgkill), (scmp_datum_t)getpid()) < 0)
		return -1;
	/* The runtime's _exit(2) takes down its alternate signal stack. */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sigaltstack), 0) < 0)
		return -1;
#endif
	return 0;
}

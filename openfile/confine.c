/*
 * confine.c - the helper's system call allowlist, installed once the policy
 * and the caller's identity are loaded and before the request is read.
 *
 * From then on the helper only resolves, opens, reads back paths, passes a
 * descriptor and logs.  Anything else (execve, ptrace, open_by_handle_at,
 * a network socket, mount, ...) kills it, so a bug in what follows cannot
 * be turned into more than a dead helper, which the library reports as
 * EIO.
 *
 * Just before it opens the object it decided on, the helper also confines
 * itself with Landlock to the places below which the policy could grant
 * this caller something at that path, so that a bug in the matcher meets
 * the kernel's refusal.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <seccomp.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <string.h>
#include <unistd.h>

#include "openfile.h"

/* What the rest of the helper calls, directly or through libc, libcap,
 * malloc and syslog(3). */
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

int confine_syscalls(int worker)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int rc = -1;

	if (ctx == NULL)
		return -1;
	if (allow_all(ctx, allowed, sizeof allowed / sizeof allowed[0]) < 0 ||
	    (worker && allow_all(ctx, worker_allowed,
				 sizeof worker_allowed / sizeof worker_allowed[0]) < 0))
		goto out;
	/* syslog(3) may reconnect to /dev/log: local sockets only. */
	if (allow_arg0(ctx, SCMP_SYS(socket), AF_UNIX) < 0)
		goto out;
#ifdef OPENFILE_SANITIZER
	/* Sanitizer builds only (never installed setuid): a report ends in
	 * abort(), which signals this process.  Everything else the runtime
	 * needs for a report is above (sanitizer.c keeps it off the terminal
	 * and away from LeakSanitizer). */
	if (allow_arg0(ctx, SCMP_SYS(tgkill), (scmp_datum_t)getpid()) < 0)
		goto out;
	/* The runtime's _exit(2) takes down its alternate signal stack. */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sigaltstack), 0) < 0)
		goto out;
#endif
	rc = seccomp_load(ctx);
out:
	seccomp_release(ctx);
	return rc;
}

/* Rights newer than the kernel headers this may be built with. */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif

#define LL_FILE_RIGHTS (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
			LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE)

struct landlock {
	int ruleset;
	int abi;
	uint64_t handled;
	int failed;
};

static uint64_t rights_for(unsigned access, const struct landlock *ll)
{
	uint64_t r = 0;

	if (access & ACC_READ)
		r |= LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
	if (access & (ACC_WRITE | ACC_APPEND))
		r |= LANDLOCK_ACCESS_FS_WRITE_FILE;
	if (access & ACC_CREATE)
		r |= LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_WRITE_FILE;
	if (access & ACC_TRUNCATE)
		r |= LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_WRITE_FILE;
	return r & ll->handled;
}

/* Adds one place the policy could grant at, with its rights. */
static void add_root(void *ctx, const char *root, unsigned access)
{
	struct landlock *ll = ctx;
	struct landlock_path_beneath_attr pb;
	struct stat st;
	int fd;

	if (priv_raise(0) < 0) {
		ll->failed = 1;
		return;
	}
	fd = open(root, O_PATH | O_CLOEXEC);
	priv_lower();
	if (fd < 0)
		return; /* not there: nothing to grant below it */
	pb.parent_fd = fd;
	pb.allowed_access = rights_for(access, ll);
	if (fstat(fd, &st) < 0)
		ll->failed = 1;
	else if (!S_ISDIR(st.st_mode))
		pb.allowed_access &= LL_FILE_RIGHTS;
	if (pb.allowed_access != 0 &&
	    syscall(SYS_landlock_add_rule, ll->ruleset, LANDLOCK_RULE_PATH_BENEATH,
		    &pb, 0) < 0)
		ll->failed = 1;
	close(fd);
}

int confine_paths(const struct policy *pol, const struct policy_caller *caller,
		  const char *path)
{
	struct landlock_ruleset_attr attr;
	struct landlock ll = { -1, 0, 0, 0 };
	int rc;

	ll.abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0,
			      LANDLOCK_CREATE_RULESET_VERSION);
	if (ll.abi < 1)
		return 0; /* no Landlock in this kernel: the other layers stand */
	/* Everything the kernel can restrict is restricted, then granted
	 * back below the places the policy names. */
	ll.handled = ((LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1);
	if (ll.abi >= 2)
		ll.handled |= LANDLOCK_ACCESS_FS_REFER;
	if (ll.abi >= 3)
		ll.handled |= LANDLOCK_ACCESS_FS_TRUNCATE;
	memset(&attr, 0, sizeof attr);
	attr.handled_access_fs = ll.handled;
	ll.ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
	if (ll.ruleset < 0)
		return -1;
	rc = policy_grant_roots(pol, caller, path, add_root, &ll);
#ifdef OPENFILE_COVERAGE_DIR
	/* A coverage build writes its counts there at exit. */
	add_root(&ll, OPENFILE_COVERAGE_DIR, ACC_READ | ACC_WRITE | ACC_CREATE);
#endif
	if (rc == 0 && !ll.failed)
		rc = (int)syscall(SYS_landlock_restrict_self, ll.ruleset, 0);
	close(ll.ruleset);
	return rc == 0 && !ll.failed ? 0 : -1;
}

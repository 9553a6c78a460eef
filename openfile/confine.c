/* SPDX-License-Identifier: ISC */
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
 * the kernel's refusal.  Those places are wider than the object, and one
 * right outlives the open: the kernel records truncate on the descriptor,
 * for ftruncate(2).  So the open holds it only where the policy grants
 * truncate on that very object.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <string.h>
#include <unistd.h>

#include "confine.h"
#include "priv.h"
#include "seccomp-rules.h"

#ifndef OPENFILE_SANITIZER
/* The rules as BPF, made by gen-filter when building: libseccomp takes
 * about 0.2 ms to make them, a good part of a helper's own work. */
#include "seccomp-filter.h"

int confine_syscalls(int worker)
{
	struct sock_fprog prog;

	if (worker) {
		prog.len = sizeof worker_filter / sizeof worker_filter[0];
		prog.filter = (struct sock_filter *)worker_filter;
	} else {
		prog.len = sizeof helper_filter / sizeof helper_filter[0];
		prog.filter = (struct sock_filter *)helper_filter;
	}
	/* no_new_privs is set (priv_drop), as the kernel requires; every
	 * thread (a worker's opener) gets the filter. */
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			    SECCOMP_FILTER_FLAG_TSYNC, &prog) == 0 ? 0 : -1;
}
#else
int confine_syscalls(int worker)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int rc = -1;

	if (ctx == NULL)
		return -1;
	if (confine_rules(ctx, worker) == 0 &&
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1) == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	return rc;
}
#endif

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
	uint64_t granted; /* what a rule may grant: all handled, or not truncate */
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
	return r & ll->granted;
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

static int landlock_abi(void)
{
	return (int)syscall(SYS_landlock_create_ruleset, NULL, 0,
			    LANDLOCK_CREATE_RULESET_VERSION);
}

/* A new ruleset that handles the rights handled: a descriptor, or -1. */
static int ruleset(uint64_t handled)
{
	struct landlock_ruleset_attr attr;

	memset(&attr, 0, sizeof attr);
	attr.handled_access_fs = handled;
	return (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
}

int confine_paths(const struct policy *pol, const struct policy_caller *caller,
		  const char *path, int truncate)
{
	struct landlock ll = { -1, 0, 0, 0, 0 };
	int rc;

	ll.abi = landlock_abi();
	if (ll.abi < 1)
		return 0; /* no Landlock in this kernel: the other layers stand */
	/* Everything the kernel can restrict is restricted, then granted
	 * back below the places the policy names. */
	ll.handled = ((LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1);
	if (ll.abi >= 2)
		ll.handled |= LANDLOCK_ACCESS_FS_REFER;
	if (ll.abi >= 3)
		ll.handled |= LANDLOCK_ACCESS_FS_TRUNCATE;
	ll.granted = truncate ? ll.handled : ll.handled & ~LANDLOCK_ACCESS_FS_TRUNCATE;
	ll.ruleset = ruleset(ll.handled);
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

#ifdef OPENFILE_BROKER
int confine_can_split_truncate(void)
{
	return landlock_abi() >= 3;
}

int confine_drop_truncate(void)
{
	/* A layer that handles the right and grants it nowhere. */
	int fd = ruleset(LANDLOCK_ACCESS_FS_TRUNCATE), rc;

	if (fd < 0)
		return -1;
	rc = (int)syscall(SYS_landlock_restrict_self, fd, 0);
	close(fd);
	return rc;
}
#endif

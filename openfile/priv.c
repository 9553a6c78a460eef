/* SPDX-License-Identifier: ISC */
/*
 * priv.c - the only file that touches uids, gids and capabilities.
 *
 * The helper starts with root's privilege (setuid root) or with file
 * capabilities.  It keeps exactly the two capabilities an open needs, in the
 * permitted set only, and runs as the caller otherwise: all uids and gids
 * are the caller's, so files it creates belong to the caller.  A capability
 * enters the effective set only around the call that needs it.
 * openfiled's main process, which keeps what it needs to become its
 * callers, is set up here too (priv_broker, only in openfiled's build).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "openfile.h"
#include "priv.h"
#include "protocol.h"

/* Set by priv_drop: before it (openfiled's main process) we hold every
 * capability we need already. */
static int dropped;

/* The most supplementary groups a caller of ours may have (the kernel
 * allows 65536; SO_PEERGROUPS reports as many). */
#define NGROUPS_MAX_CHECK 65536

/* The capabilities an open needs (all that the helper and a worker
 * keep), then those openfiled's main process keeps besides, to become
 * its callers. */
static const cap_value_t need[] = { CAP_DAC_READ_SEARCH, CAP_DAC_OVERRIDE,
				    CAP_SETUID, CAP_SETGID };
#define NOPEN 2
#define NBROKER 4

/* Whether we have the first n capabilities of need in the set flag. */
static int have_caps(cap_flag_t flag, int n)
{
	cap_t caps = cap_get_proc();
	int ok = caps != NULL;

	for (int i = 0; ok && i < n; i++) {
		cap_flag_value_t v;

		ok = cap_get_flag(caps, need[i], flag, &v) == 0 && v == CAP_SET;
	}
	cap_free(caps);
	return ok;
}

/* The exact set: the first n capabilities of need permitted, and
 * effective too when effective. */
static cap_t make_caps(int n, int effective)
{
	cap_t caps = cap_init();

	if (caps == NULL ||
	    cap_set_flag(caps, CAP_PERMITTED, n, need, CAP_SET) < 0 ||
	    (effective && cap_set_flag(caps, CAP_EFFECTIVE, n, need, CAP_SET) < 0)) {
		cap_free(caps);
		return NULL;
	}
	return caps;
}

/* One call, where libcap's cap_reset_ambient() first asks about every
 * capability in turn. */
static int clear_ambient(void)
{
	return prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
}

/* The exact set, straight to the kernel: libcap would ask the kernel
 * first each time, and this runs twice around every open. */
static int set_caps(cap_value_t eff)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	memset(d, 0, sizeof d);
	for (size_t i = 0; i < NOPEN; i++)
		d[need[i] / 32].permitted |= 1u << (need[i] % 32);
	if (eff >= 0)
		d[eff / 32].effective |= 1u << (eff % 32);
	return (int)syscall(SYS_capset, &h, d);
}

static int gid_cmp(const void *a, const void *b)
{
	gid_t x = *(const gid_t *)a, y = *(const gid_t *)b;

	return x < y ? -1 : x > y;
}

/* Whether our supplementary groups are exactly groups, as sets. */
static int groups_are(size_t n, const gid_t *groups)
{
	int k = getgroups(0, NULL), same = 0;
	gid_t *now = k < 0 || (size_t)k != n ? NULL : calloc(2 * n + 1, sizeof *now);

	if (now != NULL && getgroups(k, now) == k) {
		memcpy(now + n, groups, n * sizeof *now);
		qsort(now, n, sizeof *now, gid_cmp);
		qsort(now + n, n, sizeof *now, gid_cmp);
		same = memcmp(now, now + n, n * sizeof *now) == 0;
	}
	free(now);
	return same;
}

/* Checks that the drop took: ids all the caller's, capabilities exactly
 * the kept ones, and no way back to root.  It's better to just fail. */
static int verify(uid_t uid, gid_t gid, size_t ngroups, const gid_t *groups)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;
	cap_t now, want;
	int same;

	if (getresuid(&r, &e, &s) < 0 || r != uid || e != uid || s != uid ||
	    getresgid(&rg, &eg, &sg) < 0 || rg != gid || eg != gid || sg != gid)
		return -1;
	if (groups != NULL && !groups_are(ngroups, groups))
		return -1;
	now = cap_get_proc();
	want = make_caps(NOPEN, 0);
	same = now != NULL && want != NULL && cap_compare(now, want) == 0;
	cap_free(now);
	cap_free(want);
	if (!same)
		return -1;
	if (uid != 0 && (setresuid(0, 0, 0) == 0 || errno != EPERM))
		return -1;
	return 0;
}

/*
 * Whether we run in the initial user namespace.  In one a caller made,
 * its "root" holds every capability over nothing it did not own already,
 * getuid() is a uid it chose, and the policy files seem owned by nobody:
 * a half-privileged run on a false identity.  Its uid_map tells.
 */
static int initial_userns(void)
{
	char map[128];
	unsigned inner, outer, count;
	int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, map, sizeof map - 1);
	char end;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	map[n] = '\0';
	return sscanf(map, " %u %u %u %c", &inner, &outer, &count, &end) == 3 &&
	       inner == 0 && outer == 0 && count == 4294967295u;
}

int priv_drop(uid_t uid, gid_t gid, size_t ngroups, const gid_t *groups,
	      const char **why)
{
	if (!have_caps(CAP_PERMITTED, NOPEN)) {
		*why = "helper has no privilege (not installed setuid root or with file capabilities, a nosuid mount, or the caller set no_new_privs)";
		return -1;
	}
	if (!initial_userns()) {
		*why = "helper has no privilege (it runs in a user namespace)";
		return -1;
	}
	if (groups != NULL && (ngroups > NGROUPS_MAX_CHECK ||
			       setgroups(ngroups, groups) < 0)) {
		*why = "cannot take the caller's groups";
		return -1;
	}
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 ||
	    setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0 ||
	    prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) {
		*why = "cannot switch to the caller's ids";
		return -1;
	}
	if (set_caps(-1) < 0 || clear_ambient() < 0) {
		*why = "cannot reduce capabilities";
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		*why = "cannot set no_new_privs or clear dumpable";
		return -1;
	}
	if (verify(uid, gid, ngroups, groups) < 0) {
		*why = "privilege drop could not be verified";
		return -1;
	}
	dropped = 1;
	return 0;
}

int priv_raise(int writing)
{
	if (!dropped)
		return 0;
	return set_caps(writing ? CAP_DAC_OVERRIDE : CAP_DAC_READ_SEARCH);
}

void priv_lower(void)
{
	/* Fail safe: if the effective set cannot be emptied, stop here. */
	if (dropped && set_caps(-1) < 0)
		_exit(HELPER_EXIT_SYSTEM);
}

#ifdef OPENFILE_BROKER
int priv_broker(const char **why)
{
	cap_t caps;
	int ok;

	if (!have_caps(CAP_EFFECTIVE, NBROKER) || geteuid() != 0) {
		*why = "must run as root with CAP_DAC_READ_SEARCH, CAP_DAC_OVERRIDE, CAP_SETUID and CAP_SETGID";
		return -1;
	}
	for (cap_value_t c = 0; c <= CAP_LAST_CAP; c++) {
		int keep = 0;

		for (int i = 0; i < NBROKER; i++)
			keep |= need[i] == c;
		if (!keep && cap_drop_bound(c) < 0 && errno != EINVAL) {
			*why = "cannot reduce the capability bounding set";
			return -1;
		}
	}
	caps = make_caps(NBROKER, 1);
	ok = caps != NULL && cap_set_proc(caps) == 0 && clear_ambient() == 0 &&
	     prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0;
	cap_free(caps);
	if (!ok) {
		*why = "cannot reduce capabilities";
		return -1;
	}
	return 0;
}
#endif

/* SPDX-License-Identifier: ISC */
/*
 * caller.c - who is asking: the real uid, gid and groups the kernel gave
 * the helper, and the names a policy can use.  Nothing the caller sends
 * or sets (USER, LOGNAME, SUDO_USER, ...) is consulted.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "caller.h"

/*
 * getpwuid_r/getgrgid_r with a growing buffer.  Returns a copy of the
 * name, or NULL with *failed set when the name service failed (or memory
 * ran out) and clear when there is no such entry.
 *
 * glibc answers "no entry" with 0 and a NULL result, and clears errno;
 * when no service could answer at all (a module missing or down for each
 * one nsswitch.conf lists) it returns errno as it found it, which would be
 * 0 and look like "no entry": so errno is set first.  Every other error,
 * ENOENT and ESRCH included (which other libraries use for "no entry"), is
 * a failure: unsure, the rules fail closed.  A service that answers
 * "no entry" for an account it could not reach cannot be told apart.
 */
static char *name_of(int group, unsigned id, int *failed)
{
	size_t len = 1024;
	char *buf = NULL, *name = NULL;
	int err = ENOMEM;

	for (;;) {
		char *nb = realloc(buf, len), *found;
		struct group g, *gr = NULL;
		struct passwd p, *pw = NULL;

		if (nb == NULL)
			break;
		buf = nb;
		errno = EAGAIN;
		err = group ? getgrgid_r((gid_t)id, &g, buf, len, &gr) :
			      getpwuid_r((uid_t)id, &p, buf, len, &pw);
		found = gr != NULL ? gr->gr_name : pw != NULL ? pw->pw_name : NULL;
		if (err == 0 && found != NULL && (name = strdup(found)) == NULL)
			err = ENOMEM;
		if (err != ERANGE || len >= (1u << 20))
			break;
		len *= 2;
	}
	free(buf);
	*failed = err != 0;
	if (*failed)
		audit_error("cannot look up the name of %s %u: %s (of the rules naming a %s, each deny applies and no allow does)",
			    group ? "gid" : "uid", id, strerror(err),
			    group ? "group" : "user");
	return name;
}

int caller_load(struct caller_id *c, int group_names)
{
	gid_t gid = getgid();
	int n = getgroups(0, NULL);

	memset(c, 0, sizeof *c);
	if (n < 0)
		return -1;
	c->gids = calloc((size_t)n + 1, sizeof *c->gids);
	c->names = calloc((size_t)n + 1, sizeof *c->names);
	c->unknown = calloc((size_t)n + 1, sizeof *c->unknown);
	if (c->gids == NULL || c->names == NULL || c->unknown == NULL)
		return -1;
	c->gids[0] = gid;
	n = getgroups(n, c->gids + 1);
	if (n < 0)
		return -1;
	/* The primary group's name always (%g may use it); the others' only
	 * when a rule names a group. */
	for (int i = 0; i <= (group_names ? n : 0); i++) {
		int failed;

		c->names[i] = name_of(1, c->gids[i], &failed);
		c->unknown[i] = (unsigned char)failed;
	}
	c->pc.uid = getuid();
	c->user = name_of(0, c->pc.uid, &c->pc.user_unknown);
	c->pc.user = c->user;
	c->pc.ngroups = (size_t)n + 1;
	c->pc.gids = c->gids;
	c->pc.group_names = (const char *const *)c->names;
	c->pc.group_unknown = c->unknown;
	return 0;
}

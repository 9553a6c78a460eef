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

#include "openfile.h"

/* getpwuid_r/getgrgid_r with a growing buffer.  Returns a copy or NULL. */
static char *name_of(int group, unsigned id)
{
	size_t len = 1024;
	char *buf = NULL, *name = NULL;

	for (;;) {
		char *nb = realloc(buf, len);
		int err;

		if (nb == NULL)
			break;
		buf = nb;
		if (group) {
			struct group g, *res = NULL;

			err = getgrgid_r((gid_t)id, &g, buf, len, &res);
			if (err == 0 && res != NULL)
				name = strdup(g.gr_name);
		} else {
			struct passwd p, *res = NULL;

			err = getpwuid_r((uid_t)id, &p, buf, len, &res);
			if (err == 0 && res != NULL)
				name = strdup(p.pw_name);
		}
		if (err != ERANGE || len >= (1u << 20))
			break;
		len *= 2;
	}
	free(buf);
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
	if (c->gids == NULL || c->names == NULL)
		return -1;
	c->gids[0] = gid;
	n = getgroups(n, c->gids + 1);
	if (n < 0)
		return -1;
	/* The primary group's name always (%g may use it); the others' only
	 * when a rule names a group. */
	for (int i = 0; i <= (group_names ? n : 0); i++)
		c->names[i] = name_of(1, c->gids[i]);
	c->pc.uid = getuid();
	c->user = name_of(0, c->pc.uid);
	c->pc.user = c->user;
	c->pc.ngroups = (size_t)n + 1;
	c->pc.gids = c->gids;
	c->pc.group_names = (const char *const *)c->names;
	return 0;
}

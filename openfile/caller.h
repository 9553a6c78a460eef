/* SPDX-License-Identifier: ISC */
/* caller.h - who is asking, from the kernel. */
#ifndef OPENFILE_CALLER_H
#define OPENFILE_CALLER_H

#include <sys/types.h>

#include "policy.h"

struct caller_id {
	struct policy_caller pc;
	gid_t *gids;
	char **names;
	unsigned char *unknown; /* the name service failed on names[i] */
	char *user;
};
/* Our real uid, gid and groups, and their names: the supplementary
 * groups' only when group_names (a static helper's: always).  Returns 0,
 * -1, or CALLER_NSS when a static helper needs a name service module
 * for a name: openfile-nss is to serve the caller. */
#define CALLER_NSS 1
int caller_load(struct caller_id *c, int group_names);

#endif /* OPENFILE_CALLER_H */

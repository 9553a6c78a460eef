/* SPDX-License-Identifier: ISC */
/* priv.h - step 3: ids and capabilities, which only priv.c touches. */
#ifndef OPENFILE_PRIV_H
#define OPENFILE_PRIV_H

#include <stddef.h>
#include <sys/types.h>

/* Becomes the caller: uid, gid and, when groups is not NULL, the ngroups
 * supplementary groups (else the inherited ones stay).  Returns 0, or -1
 * with *why. */
int priv_drop(uid_t uid, gid_t gid, size_t ngroups, const gid_t *groups,
	      const char **why);
/* Raises the capability for opening (writing: DAC_OVERRIDE, else
 * DAC_READ_SEARCH) into the effective set.  Returns 0 or -1.  Before
 * priv_drop (openfiled's main process) both are no-ops: it has them all. */
int priv_raise(int writing);
void priv_lower(void);
#ifdef OPENFILE_BROKER
/* openfiled's main process keeps only what its workers need (the two
 * capabilities an open needs, and those to become the caller), in its
 * bounding set too.  Returns 0, or -1 with *why. */
int priv_broker(const char **why);
#endif

#endif /* OPENFILE_PRIV_H */

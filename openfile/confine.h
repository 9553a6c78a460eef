/* confine.h - the system call allowlist, for every thread; Landlock to the
 * places below which the policy could grant a caller something (nothing
 * to do on a kernel without Landlock). */
#ifndef OPENFILE_CONFINE_H
#define OPENFILE_CONFINE_H

#include "policy.h"

/* Each returns 0 or -1.  worker: openfiled's worker's list, else the
 * helper's. */
int confine_syscalls(int worker);
/* Below the places the policy could grant caller something at path, the
 * truncate right there only when truncate is set.  path NULL: below
 * every place the policy could grant this caller anything (a worker, for
 * its whole connection; needs a policy read in full, not from the
 * cache). */
int confine_paths(const struct policy *pol, const struct policy_caller *caller,
		  const char *path, int truncate);
/* A worker, after confine_paths: its own thread gives up the truncate
 * right, which a thread of its own (the opener) keeps.  Returns 0 or -1. */
int confine_split_truncate(void);
/* Returns fn(arg), an open of the object the policy decided on, made by
 * the opener when the open must hold the truncate right and there is one. */
int confine_open(int truncate, int (*fn)(void *), void *arg);

#endif /* OPENFILE_CONFINE_H */

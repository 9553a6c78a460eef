/* SPDX-License-Identifier: ISC */
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
 * its whole connection). */
int confine_paths(const struct policy *pol, const struct policy_caller *caller,
		  const char *path, int truncate);
#ifdef OPENFILE_BROKER
/* Whether Landlock here has a truncate right (ABI 3 and later), which
 * a worker's thread can give up while its opener keeps it. */
int confine_can_split_truncate(void);
/* After confine_paths, the calling thread gives up the truncate right;
 * threads it made before keep theirs.  Returns 0 or -1. */
int confine_drop_truncate(void);
#endif

#endif /* OPENFILE_CONFINE_H */

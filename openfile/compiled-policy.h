/* SPDX-License-Identifier: ISC */
/* compiled-policy.h - the policy the helper and openfiled decide with: the
 * compiled policy at the paths the build gave (paths.h). */
#ifndef OPENFILE_COMPILED_POLICY_H
#define OPENFILE_COMPILED_POLICY_H

#include "policy.h"

/* Reads the compiled policy, checked and current, with the right to read
 * it raised for the time.  Returns it, or NULL when it is unusable (which
 * denies all) after saying why to the log and, where audit_init allows,
 * to stderr. */
struct policy *policy_read(void);

#endif /* OPENFILE_COMPILED_POLICY_H */

/* SPDX-License-Identifier: ISC */
/* seccomp-rules.h - the allowlist's rules (seccomp-rules.c). */
#ifndef OPENFILE_SECCOMP_RULES_H
#define OPENFILE_SECCOMP_RULES_H

#include <seccomp.h>

/* Adds the rules of the helper, plus a worker's when worker, to ctx.
 * Returns 0 or -1. */
int confine_rules(scmp_filter_ctx ctx, int worker);

#endif /* OPENFILE_SECCOMP_RULES_H */

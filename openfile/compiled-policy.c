/* SPDX-License-Identifier: ISC */
/*
 * compiled-policy.c - reading the compiled policy: the one the helper and
 * openfiled decide with.  Neither reads the policy's text: when the
 * compiled policy is missing, unsafe, damaged or older than a file it was
 * compiled from, every request is denied until openfile-policy compile
 * runs (doc/policy-engine.md).
 */
#include "config.h"

#include <limits.h>

#include "audit.h"
#include "compiled-policy.h"
#include "paths.h"
#include "priv.h"

struct policy *policy_read(void)
{
	char why[2 * PATH_MAX + 128];
	struct policy *pol;

	if (priv_raise(0) < 0)
		return NULL;
	pol = policy_open_compiled(OPENFILE_POLICY_CACHE, OPENFILE_POLICY_PATH,
				   POLICY_LOAD_SECURE, why, sizeof why);
	priv_lower();
	if (pol == NULL)
		audit_error("%s: %s (denying everything)", OPENFILE_POLICY_CACHE, why);
	return pol;
}

/* SPDX-License-Identifier: ISC */
/* fuzz-policy.c - the policy parser on arbitrary text, its compiler, and
 * the engine reading what it compiled; then the image damaged at a place
 * the input chooses, which the engine must read within its bounds. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "policy-text.h"

static const gid_t gids[] = { 1000, 4 };
static const char *const names[] = { "alice", "adm" };
static const struct policy_caller alice = { 1000, "alice", 2, gids, names, 0, NULL };

static void count_root(void *ctx, const char *root, unsigned access)
{
	(void)root;
	(void)access;
	(*(unsigned *)ctx)++;
}

static void decide_all(const struct policy *pol)
{
	static const char *const paths[] = { "/", "/var/log/syslog", "/home/alice/x",
					     "/srv/a/b/c/d", "/a" };
	struct policy_decision d;
	unsigned roots = 0;

	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		policy_decide(pol, &alice, paths[i], TYPE_FILE, ACC_READ | ACC_WRITE, &d);
		policy_may_traverse(pol, &alice, paths[i]);
	}
	policy_grant_roots(pol, &alice, NULL, count_root, &roots);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy_text *pt;
	struct policy *pol;
	unsigned char *image;
	const char *why;
	char msg[256];
	size_t len;

	/* Includes would read the fuzzing machine's files. */
	if (memmem(data, size, "include", 7) != NULL)
		return 0;
	pt = policy_text_new();
	if (pt == NULL)
		return 0;
	policy_parse(pt, "fuzz", (const char *)data, size, 0, NULL, NULL);
	for (size_t i = 0; i + 1 < policy_text_count(pt) && i < 32; i++) {
		policy_rule_covers(policy_rule_at(pt, i + 1), policy_rule_at(pt, i));
		policy_dir_grant_reaches(policy_rule_at(pt, i), policy_rule_at(pt, i + 1));
	}
	if (policy_compile(pt, &image, &len, &why) == 0) {
		unsigned char *bad = malloc(len);

		if (bad != NULL && len > 64 && size > 0) {
			memcpy(bad, image, len);
			bad[64 + data[0] * 131u % (len - 64)] ^= data[size - 1] | 1;
			if ((pol = policy_from_image(bad, len, msg, sizeof msg)) != NULL) {
				decide_all(pol);
				policy_free(pol);
			}
		} else {
			free(bad);
		}
		if ((pol = policy_from_image(image, len, msg, sizeof msg)) != NULL) {
			decide_all(pol);
			policy_free(pol);
		}
	}
	policy_text_free(pt);
	return 0;
}

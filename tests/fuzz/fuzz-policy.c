/* fuzz-policy.c - the policy parser and engine on arbitrary text. */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "policy.h"

static const gid_t gids[] = { 1000, 4 };
static const char *const names[] = { "alice", "adm" };
static const struct policy_caller alice = { 1000, "alice", 2, gids, names, 0, NULL };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = { "/", "/var/log/syslog", "/home/alice/x",
					     "/srv/a/b/c/d", "/a" };
	struct policy *pol;
	struct policy_decision d;

	/* Includes would read the fuzzing machine's files. */
	if (memmem(data, size, "include", 7) != NULL)
		return 0;
	pol = policy_new();
	if (pol == NULL)
		return 0;
	policy_parse(pol, "fuzz", (const char *)data, size, 0, NULL, NULL);
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		policy_decide(pol, &alice, paths[i], TYPE_FILE, ACC_READ | ACC_WRITE, &d);
		policy_may_traverse(pol, &alice, paths[i]);
	}
	for (size_t i = 0; i + 1 < policy_rule_count(pol) && i < 32; i++) {
		policy_rule_covers(policy_rule_at(pol, i + 1), policy_rule_at(pol, i));
		policy_dir_grant_reaches(policy_rule_at(pol, i), policy_rule_at(pol, i + 1));
	}
	policy_free(pol);
	return 0;
}

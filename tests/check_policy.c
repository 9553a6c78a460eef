/* SPDX-License-Identifier: ISC */
/*
 * check_policy.c - the policy engine and its compiler: parser fixtures
 * (good files load, bad files give exactly the expected FILE:LINE:COLUMN
 * messages), includes and drop-ins, patterns and decisions, every decision
 * made as the helper makes it, on the compiled policy; and the compiled
 * policy refused when damaged, stale or absent.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "format.h"
#include "policy-text.h"
#include "testutil.h"

/* Diagnostics collected as "file:line:col: msg\n" lines. */
struct diags {
	char buf[65536];
	size_t len;
	int count;
};

static void collect(void *ctx, const char *file, unsigned line, unsigned col,
		    const char *msg)
{
	struct diags *d = ctx;
	int n;

	if (line == 0)
		n = snprintf(d->buf + d->len, sizeof d->buf - d->len, "%s: %s\n",
			     file, msg);
	else
		n = snprintf(d->buf + d->len, sizeof d->buf - d->len,
			     "%s:%u:%u: %s\n", file, line, col, msg);
	ck_assert(n > 0 && (size_t)n < sizeof d->buf - d->len);
	d->len += (size_t)n;
	d->count++;
}

static void to_fixtures(void)
{
	const char *srcdir = getenv("srcdir");
	char dir[PATH_MAX];

	snprintf(dir, sizeof dir, "%s/tests/policy", srcdir ? srcdir : ".");
	ck_assert_msg(chdir(dir) == 0, "cannot enter %s", dir);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[65536];
	size_t n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static const char *const good[] = { "design", "everything" };
static const char *const bad[] = { "keyword", "subject", "names", "ids",
				   "access", "pattern", "options", "bytes",
				   "include", "words", "several" };

START_TEST(good_fixture_loads)
{
	struct policy_text *pol = policy_text_new();
	struct diags d = { .len = 0 };
	char path[256];

	to_fixtures();
	snprintf(path, sizeof path, "good/%s.policy", good[_i]);
	ck_assert_int_eq(policy_load(pol, path, NULL, 0, collect, &d), 0);
	ck_assert_msg(d.count == 0, "unexpected: %s", d.buf);
	ck_assert_uint_gt(policy_text_count(pol), 4);
	policy_text_free(pol);
}
END_TEST

START_TEST(bad_fixture_reports)
{
	struct policy_text *pol = policy_text_new();
	struct diags d = { .len = 0 };
	char path[256], err[256];

	to_fixtures();
	snprintf(path, sizeof path, "bad/%s.policy", bad[_i]);
	snprintf(err, sizeof err, "bad/%s.err", bad[_i]);
	ck_assert_int_eq(policy_load(pol, path, NULL, 0, collect, &d), -1);
	if (getenv("OPENFILE_WRITE_FIXTURES") != NULL) {
		FILE *f = fopen(err, "w");

		fputs(d.buf, f);
		fclose(f);
	}
	ck_assert_str_eq(d.buf, slurp(err));
	policy_text_free(pol);
}
END_TEST

/* Parses text as a policy; fails the test on any problem. */
static struct policy_text *parse_rules(const char *text)
{
	struct policy_text *pol = policy_text_new();
	struct diags d = { .len = 0 };

	ck_assert_msg(policy_parse(pol, "t", text, strlen(text), 0, collect,
				   &d) == 0, "parse: %s", d.buf);
	return pol;
}

/* pt compiled, as the helper reads it; pt freed. */
static struct policy *compiled(struct policy_text *pt)
{
	const char *why = NULL;
	struct policy *pol = policy_text_compiled(pt, &why);

	ck_assert_msg(pol != NULL, "compile: %s", why);
	policy_text_free(pt);
	return pol;
}

/* Parses and compiles text: the decisions are the helper's. */
static struct policy *parse(const char *text)
{
	return compiled(parse_rules(text));
}

/* The first diagnostic for text, which must not parse. */
static const char *parse_error(const char *text, size_t len)
{
	static struct diags d;
	struct policy_text *pol = policy_text_new();

	memset(&d, 0, sizeof d);
	ck_assert_int_eq(policy_parse(pol, "t", text, len, 0, collect, &d), -1);
	policy_text_free(pol);
	*strchr(d.buf, '\n') = '\0';
	return d.buf;
}

static const gid_t alice_gids[] = { 1000, 4, 27 };
static const char *const alice_groups[] = { "alice", "adm", "sudo" };
static const struct policy_caller alice = { 1000, "alice", 3, alice_gids,
					    alice_groups, 0, NULL };
static const gid_t bob_gids[] = { 1001 };
static const char *const bob_groups[] = { "bob" };
static const struct policy_caller bob = { 1001, "bob", 1, bob_gids,
					  bob_groups, 0, NULL };
static const char *const no_names[] = { NULL };
static const struct policy_caller nameless = { 5000, NULL, 1, bob_gids,
					       no_names, 0, NULL };
/* alice, when the name service failed: no name known, and none missing. */
static const char *const failed_names[] = { NULL, NULL, NULL };
static const unsigned char all_failed[] = { 1, 1, 1 };
static const struct policy_caller unreachable = { 1000, NULL, 3, alice_gids,
						  failed_names, 1, all_failed };
/* alice's own name known, her group adm's not. */
static const char *const adm_failed_names[] = { "alice", NULL, "sudo" };
static const unsigned char adm_failed[] = { 0, 1, 0 };
static const struct policy_caller adm_unreachable = { 1000, "alice", 3,
						      alice_gids, adm_failed_names,
						      0, adm_failed };

static int allows(const struct policy *pol, const struct policy_caller *c,
		  const char *path, unsigned type, unsigned access)
{
	struct policy_decision d;
	int r = policy_decide(pol, c, path, type, access, &d);

	ck_assert_int_eq(r, d.allow);
	return r;
}

#define R(pol, c, path) allows(pol, c, path, TYPE_FILE, ACC_READ)

START_TEST(glob_within_component)
{
	struct policy *p = parse("allow * read /var/log/*.log\n"
				 "allow * read /a/*b*c\n");

	ck_assert(R(p, &alice, "/var/log/syslog.log"));
	ck_assert(R(p, &alice, "/var/log/.log"));
	ck_assert(!R(p, &alice, "/var/log/x/y.log"));
	ck_assert(!R(p, &alice, "/var/log/syslog.txt"));
	ck_assert(!R(p, &alice, "/var/log"));
	ck_assert(R(p, &alice, "/a/xbyc"));
	ck_assert(R(p, &alice, "/a/bc"));
	ck_assert(!R(p, &alice, "/a/cb"));
	policy_free(p);
}
END_TEST

START_TEST(globstar_across_components)
{
	struct policy *p = parse("allow * read /var/log/**\n"
				 "allow * read /a/**/b\n"
				 "allow * read /**/core\n");

	ck_assert(R(p, &alice, "/var/log/a"));
	ck_assert(R(p, &alice, "/var/log/a/b/c"));
	ck_assert(!R(p, &alice, "/var/log"));
	ck_assert(!R(p, &alice, "/var/logs/a"));
	ck_assert(R(p, &alice, "/a/b"));
	ck_assert(R(p, &alice, "/a/x/b"));
	ck_assert(R(p, &alice, "/a/x/y/b"));
	ck_assert(!R(p, &alice, "/a/x/c"));
	ck_assert(!R(p, &alice, "/a/b/c"));
	ck_assert(R(p, &alice, "/core"));
	ck_assert(R(p, &alice, "/x/y/core"));
	policy_free(p);
}
END_TEST

START_TEST(substitutions)
{
	struct policy *p = parse("allow * read /home/%u/*\n"
				 "allow * read /id/%U\n"
				 "allow * read /grp/%g/%G\n"
				 "allow * read /lit/100%%\n"
				 "allow * read /pre/x-%u-y\n");

	ck_assert(R(p, &alice, "/home/alice/notes"));
	ck_assert(!R(p, &alice, "/home/bob/notes"));
	ck_assert(R(p, &bob, "/home/bob/notes"));
	ck_assert(!R(p, &nameless, "/home/(null)/x"));
	ck_assert(R(p, &alice, "/id/1000"));
	ck_assert(!R(p, &alice, "/id/1001"));
	ck_assert(R(p, &alice, "/grp/alice/1000"));
	ck_assert(!R(p, &alice, "/grp/adm/4"));
	ck_assert(R(p, &alice, "/lit/100%"));
	ck_assert(R(p, &alice, "/pre/x-alice-y"));
	ck_assert(!R(p, &alice, "/pre/x-bob-y"));
	policy_free(p);
}
END_TEST

START_TEST(substitution_is_literal)
{
	/* A user name can never act as a pattern or reach another component. */
	static const char *const g[] = { "g" };
	static const gid_t gid[] = { 7 };
	struct policy_caller star = { 7, "*", 1, gid, g, 0, NULL };
	struct policy_caller dots = { 7, "..", 1, gid, g, 0, NULL };
	struct policy *p = parse("allow * read /home/%u/f\n");

	ck_assert(!R(p, &star, "/home/alice/f"));
	ck_assert(R(p, &star, "/home/*/f"));
	ck_assert(!R(p, &dots, "/home/../f"));
	policy_free(p);
}
END_TEST

START_TEST(last_match_wins)
{
	struct policy *p = parse("allow * read /srv/**\n"
				 "deny user bob read /srv/private/**\n"
				 "allow user bob read /srv/private/bob/*\n");

	ck_assert(R(p, &alice, "/srv/private/x"));
	ck_assert(!R(p, &bob, "/srv/private/x"));
	ck_assert(R(p, &bob, "/srv/private/bob/x"));
	ck_assert(R(p, &bob, "/srv/public"));
	policy_free(p);
}
END_TEST

START_TEST(each_access_decided_alone)
{
	struct policy *p = parse("allow * read,write /srv/**\n"
				 "deny * write /srv/ro/*\n"
				 "allow * append /log/*\n");
	struct policy_decision d;

	ck_assert(allows(p, &alice, "/srv/ro/x", TYPE_FILE, ACC_READ));
	ck_assert(!allows(p, &alice, "/srv/ro/x", TYPE_FILE, ACC_WRITE));
	ck_assert(!allows(p, &alice, "/srv/ro/x", TYPE_FILE, ACC_READ | ACC_WRITE));
	ck_assert(!allows(p, &alice, "/srv/ro/x", TYPE_FILE, ACC_APPEND));
	ck_assert(allows(p, &alice, "/srv/rw", TYPE_FILE, ACC_APPEND));
	ck_assert(allows(p, &alice, "/log/a", TYPE_FILE, ACC_APPEND));
	ck_assert(!allows(p, &alice, "/log/a", TYPE_FILE, ACC_WRITE));
	ck_assert(!allows(p, &alice, "/srv/x", TYPE_FILE, ACC_READ | ACC_TRUNCATE));
	policy_decide(p, &alice, "/srv/ro/x", TYPE_FILE, ACC_WRITE, &d);
	ck_assert_ptr_nonnull(d.rule.file);
	ck_assert_uint_eq(d.rule.line, 2);
	ck_assert_str_eq(d.rule.text, "deny * write /srv/ro/*");
	policy_decide(p, &alice, "/srv/x", TYPE_FILE, ACC_READ, &d);
	ck_assert_uint_eq(d.rule.line, 1);
	ck_assert_str_eq(d.rule.file, "t");
	policy_free(p);
}
END_TEST

START_TEST(prefix_confusion)
{
	struct policy *p = parse("allow * read /srv/data/**\n"
				 "allow * read /etc/motd\n");

	ck_assert(R(p, &alice, "/srv/data/x"));
	ck_assert(!R(p, &alice, "/srv/database/x"));
	ck_assert(!R(p, &alice, "/srv/data-evil"));
	ck_assert(!R(p, &alice, "/srv/data"));
	ck_assert(R(p, &alice, "/etc/motd"));
	ck_assert(!R(p, &alice, "/etc/motd/x"));
	ck_assert(!R(p, &alice, "/etc/motd.d"));
	ck_assert(!R(p, &alice, "/etc/mot"));
	ck_assert(!R(p, &alice, "etc/motd"));
	policy_free(p);
}
END_TEST

START_TEST(subjects)
{
	struct policy *p = parse("allow user alice read /u/name\n"
				 "allow user 1001 read /u/id\n"
				 "allow group adm read /g/name\n"
				 "allow group 1001 read /g/id\n"
				 "allow group * read /g/any\n"
				 "allow * read /any\n");

	ck_assert(R(p, &alice, "/u/name"));
	ck_assert(!R(p, &bob, "/u/name"));
	ck_assert(R(p, &bob, "/u/id"));
	ck_assert(!R(p, &alice, "/u/id"));
	ck_assert(R(p, &alice, "/g/name")); /* supplementary group */
	ck_assert(!R(p, &bob, "/g/name"));
	ck_assert(R(p, &bob, "/g/id"));	    /* primary group */
	ck_assert(!R(p, &alice, "/g/id"));
	ck_assert(R(p, &nameless, "/g/any"));
	ck_assert(R(p, &nameless, "/any"));
	ck_assert(!R(p, &nameless, "/u/name"));
	policy_free(p);
}
END_TEST

START_TEST(types)
{
	struct policy *p = parse("allow * read /dev/**\n"
				 "allow * read /dev/lp* type=device\n"
				 "allow * read /d type=dir\n"
				 "allow * read /x/** type=any\n"
				 "deny * read /x/no\n");

	ck_assert(allows(p, &alice, "/dev/null", TYPE_FILE, ACC_READ));
	ck_assert(!allows(p, &alice, "/dev/null", TYPE_DEVICE, ACC_READ));
	ck_assert(allows(p, &alice, "/dev/lp0", TYPE_DEVICE, ACC_READ));
	ck_assert(!allows(p, &alice, "/dev/lp0", TYPE_FIFO, ACC_READ));
	ck_assert(allows(p, &alice, "/d", TYPE_DIR, ACC_READ));
	ck_assert(!allows(p, &alice, "/d", TYPE_FILE, ACC_READ));
	ck_assert(allows(p, &alice, "/x/f", TYPE_FIFO, ACC_READ));
	ck_assert(!allows(p, &alice, "/x/no", TYPE_FIFO, ACC_READ));
	ck_assert(!allows(p, &alice, "/x/f", 0, ACC_READ)); /* a socket */
	policy_free(p);
}
END_TEST

START_TEST(traversal_only_towards_grants)
{
	struct policy *p = parse("allow * read /var/log/syslog\n"
				 "allow group adm read /var/adm/**\n"
				 "allow * read /srv/**/pub/*\n"
				 "allow * read /home/%u/*\n"
				 "deny * read /var/secret/**\n");

	ck_assert(policy_may_traverse(p, &bob, "/"));
	ck_assert(policy_may_traverse(p, &bob, "/var"));
	ck_assert(policy_may_traverse(p, &bob, "/var/log"));
	ck_assert(!policy_may_traverse(p, &bob, "/var/log/syslog"));
	ck_assert(!policy_may_traverse(p, &bob, "/var/secret"));
	ck_assert(!policy_may_traverse(p, &bob, "/var/adm"));
	ck_assert(policy_may_traverse(p, &alice, "/var/adm"));
	ck_assert(policy_may_traverse(p, &alice, "/var/adm/a/b"));
	ck_assert(policy_may_traverse(p, &bob, "/srv"));
	ck_assert(policy_may_traverse(p, &bob, "/srv/x/y"));
	ck_assert(policy_may_traverse(p, &bob, "/srv/x/pub"));
	ck_assert(policy_may_traverse(p, &bob, "/home/bob"));
	ck_assert(!policy_may_traverse(p, &bob, "/home/alice"));
	ck_assert(!policy_may_traverse(p, &bob, "/etc"));
	policy_free(p);
}
END_TEST

/* Whether rule b of text is always overridden by rule a (0-based). */
START_TEST(unknown_names_fail_closed)
{
	struct policy *p = parse("allow * read /srv/**\n"
				 "deny user bob any /srv/nss/file\n"
				 "deny group staff read /srv/nss/by-group\n"
				 "deny * read /srv/home/%u/secret\n"
				 "deny * read /srv/grp/%g/secret\n"
				 "allow user alice read /named/**\n"
				 "allow group adm read /adm/**\n"
				 "allow * read /home/%u/**\n"
				 "deny user 1001 read /srv/nss/by-id\n"
				 "deny group 27 read /srv/nss/by-gid\n");
	struct policy_decision d;

	/* A deny naming a user or group applies when the name service
	 * could not tell the caller's, by its subject or %u, %g ... */
	ck_assert(!R(p, &unreachable, "/srv/nss/file"));
	policy_decide(p, &unreachable, "/srv/nss/file", TYPE_FILE, ACC_READ, &d);
	ck_assert_ptr_nonnull(d.rule.file);
	ck_assert_uint_eq(d.rule.line, 2);
	ck_assert(!R(p, &unreachable, "/srv/nss/by-group"));
	ck_assert(!R(p, &unreachable, "/srv/home/anyone/secret"));
	ck_assert(!R(p, &unreachable, "/srv/grp/anyone/secret"));
	ck_assert(!R(p, &adm_unreachable, "/srv/nss/by-group"));
	/* ... an allow does not, and opens no way through directories ... */
	ck_assert(!R(p, &unreachable, "/named/x"));
	ck_assert(!R(p, &unreachable, "/adm/x"));
	ck_assert(!R(p, &adm_unreachable, "/adm/x"));
	ck_assert(!R(p, &unreachable, "/home/alice/x"));
	ck_assert(!policy_may_traverse(p, &unreachable, "/named"));
	ck_assert(!policy_may_traverse(p, &adm_unreachable, "/adm"));
	ck_assert(!policy_may_traverse(p, &unreachable, "/home/alice"));
	/* ... and what needs no unknown name is decided as ever. */
	ck_assert(R(p, &unreachable, "/srv/other"));
	ck_assert(R(p, &unreachable, "/srv/nss/by-id"));
	ck_assert(!R(p, &unreachable, "/srv/nss/by-gid"));
	ck_assert(R(p, &adm_unreachable, "/named/x"));
	ck_assert(R(p, &adm_unreachable, "/srv/home/bob/secret"));
	ck_assert(R(p, &adm_unreachable, "/srv/grp/anyone/secret"));
	ck_assert(!R(p, &adm_unreachable, "/srv/grp/alice/secret"));
	/* A uid or group without a name is no failure: no rule names it. */
	ck_assert(R(p, &nameless, "/srv/nss/file"));
	ck_assert(R(p, &nameless, "/srv/nss/by-group"));
	ck_assert(R(p, &nameless, "/srv/home/anyone/secret"));
	policy_free(p);
}
END_TEST

static int covers(const char *text, size_t a, size_t b)
{
	struct policy_text *p = parse_rules(text);
	int r = policy_rule_covers(policy_rule_at(p, a), policy_rule_at(p, b));

	policy_text_free(p);
	return r;
}

START_TEST(rule_covering_is_never_claimed_wrongly)
{
	ck_assert(covers("allow * read /a/b\nallow * read /a/**\n", 1, 0));
	ck_assert(covers("allow * read /a/b\nallow * read,write /a/*\n", 1, 0));
	ck_assert(covers("allow user bob read /a/*.log\nallow * read /a/*\n", 1, 0));
	ck_assert(covers("allow * read /a/x/**\nallow * read /a/**\n", 1, 0));
	ck_assert(covers("allow * read /a/**/z\nallow * read /**\n", 1, 0));
	ck_assert(covers("deny * read /a/%u/x type=file\nallow * read /a/%u/*\n", 1, 0));
	ck_assert(!covers("deny * read /a/%u/x\nallow * read /a/%u/*\n", 1, 0));
	/* Not covering: narrower access, subject, type, or pattern. */
	ck_assert(!covers("allow * read,write /a/b\nallow * read /a/**\n", 1, 0));
	ck_assert(!covers("allow * read /a/b\nallow user bob read /a/**\n", 1, 0));
	ck_assert(!covers("allow * read /a/b type=dir\nallow * read /a/**\n", 1, 0));
	ck_assert(!covers("allow * read /a\nallow * read /a/**\n", 1, 0));
	ck_assert(!covers("allow * read /a/**\nallow * read /a/*\n", 1, 0));
	ck_assert(!covers("allow * read /a/**/z\nallow * read /a/*/z\n", 1, 0));
	ck_assert(!covers("allow * read /a/*\nallow * read /a/b*\n", 1, 0));
	ck_assert(!covers("allow * read /a/%u\nallow * read /a/alice\n", 1, 0));
	ck_assert(!covers("allow user 1000 read /a\nallow user alice read /a\n", 1, 0));
	ck_assert(!covers("allow * read /\nallow * read /**\n", 1, 0));
}
END_TEST

START_TEST(directory_grants_reach_below)
{
	static const struct {
		const char *grant, *deny;
		int reaches;
	} cases[] = {
		{ "allow * read /srv/pub/sub type=dir", "deny * any /srv/pub/sub/deny*", 1 },
		{ "allow * read /srv/pub/sub type=dir", "deny * any /srv/pub/sub/a/b/c", 1 },
		{ "allow * read /srv/pub/sub type=dir", "deny * any /srv/**/secret", 1 },
		{ "allow * read /srv/pub/sub type=any", "deny * write /srv/pub/sub/x type=dir", 1 },
		{ "allow * read / type=dir", "deny * any /etc/shadow", 1 },
		/* the directory itself is decided, not reached */
		{ "allow * read /srv/pub/sub type=dir", "deny * any /srv/pub/sub", 0 },
		{ "allow * read /srv/pub/sub type=dir", "deny * any /srv/pub/other/x", 0 },
		{ "allow * read /srv/pub/sub type=dir", "deny * any /srv/pub/subway/x", 0 },
		{ "allow * read /srv/pub/sub type=dir", "deny * any /srv/*/secret", 0 },
		/* a trailing ** names what is inside, not the directory */
		{ "allow * read /srv/pub/** type=dir", "deny * any /srv/pub/x", 0 },
		{ "allow * read /srv/pub/** type=dir", "deny * any /srv/pub/x/y", 1 },
		{ "allow * read /srv/*/in type=dir", "deny * any /srv/a/in/x", 1 },
		{ "allow * read /srv/*/in type=dir", "deny * any /srv/a/out/x", 0 },
		{ "allow * read /srv/a* type=dir", "deny * any /srv/*b/x", 1 },
		{ "allow * read /srv/a*b type=dir", "deny * any /srv/a*c/x", 0 },
		{ "allow * read /srv/x*b type=dir", "deny * any /srv/y*/x", 0 },
		{ "allow * read /home/%u type=dir", "deny * any /home/alice/secret", 1 },
		{ "allow * read /home/al%u type=dir", "deny * any /home/bob/secret", 0 },
		/* files only, or not a deny, or never the same caller */
		{ "allow * read /srv/pub/sub", "deny * any /srv/pub/sub/x", 0 },
		{ "allow * read /srv/d type=dir", "allow * read /srv/d/x", 0 },
		{ "allow user alice read /srv/d type=dir", "deny user bob any /srv/d/x", 0 },
		{ "allow user alice read /srv/d type=dir", "deny user 1001 any /srv/d/x", 1 },
		{ "allow group adm read /srv/d type=dir", "deny group staff any /srv/d/x", 1 },
		{ "allow user alice read /srv/d type=dir", "deny group staff any /srv/d/x", 1 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[256];
		struct policy_text *p;

		snprintf(text, sizeof text, "%s\n%s\n", cases[i].grant, cases[i].deny);
		p = parse_rules(text);
		ck_assert_msg(policy_dir_grant_reaches(policy_rule_at(p, 0),
						       policy_rule_at(p, 1)) == cases[i].reaches,
			      "%s", text);
		policy_text_free(p);
	}
}
END_TEST

START_TEST(covering_is_fast_with_many_globstars)
{
	char text[2048];
	size_t o = 0;
	clock_t t0 = clock();

	o += (size_t)snprintf(text + o, sizeof text - o, "allow * read ");
	for (int i = 0; i < 60; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, "/q");
	o += (size_t)snprintf(text + o, sizeof text - o, "\nallow * read ");
	for (int i = 0; i < 12; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, "/**");
	snprintf(text + o, sizeof text - o, "/x\n");
	ck_assert(!covers(text, 1, 0));
	ck_assert_msg(clock() - t0 < 2 * CLOCKS_PER_SEC, "took %ld", (long)(clock() - t0));
}
END_TEST

START_TEST(literal_prefixes_and_access_words)
{
	struct policy_text *p = parse_rules("allow * read /\n"
				 "allow * read /a/b/c\n"
				 "allow * read /a/b*/c\n"
				 "allow * read /**/x\n"
				 "allow * read /home/%u/x\n"
				 "allow * read /with\\ space/*\n");
	char buf[PATH_MAX];

	ck_assert_uint_eq(pattern_literal_prefix(&policy_rule_at(p, 0)->pat, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "/");
	ck_assert_uint_eq(pattern_literal_prefix(&policy_rule_at(p, 1)->pat, buf, sizeof buf), 3);
	ck_assert_str_eq(buf, "/a/b/c");
	ck_assert_uint_eq(pattern_literal_prefix(&policy_rule_at(p, 2)->pat, buf, sizeof buf), 1);
	ck_assert_str_eq(buf, "/a");
	pattern_literal_prefix(&policy_rule_at(p, 3)->pat, buf, sizeof buf);
	ck_assert_str_eq(buf, "/");
	pattern_literal_prefix(&policy_rule_at(p, 4)->pat, buf, sizeof buf);
	ck_assert_str_eq(buf, "/home");
	pattern_literal_prefix(&policy_rule_at(p, 5)->pat, buf, sizeof buf);
	ck_assert_str_eq(buf, "/with space");
	policy_text_free(p);
	ck_assert_uint_eq(policy_parse_access("read,write"), ACC_READ | ACC_WRITE);
	ck_assert_uint_eq(policy_parse_access("any"), ACC_ANY);
	ck_assert_uint_eq(policy_parse_access("reed"), 0);
	ck_assert_uint_eq(policy_parse_access("read,"), 0);
}
END_TEST

START_TEST(create_mode_and_no_match)
{
	struct policy *p = parse("allow * read,create /drop/* mode=0640\n"
				 "allow * create /other/*\n");
	struct policy_decision d;

	ck_assert(policy_decide(p, &alice, "/drop/f", TYPE_FILE,
				ACC_READ | ACC_CREATE, &d));
	ck_assert_int_eq(d.mode, 0640);
	ck_assert(policy_decide(p, &alice, "/other/f", TYPE_FILE, ACC_CREATE, &d));
	ck_assert_int_eq(d.mode, -1);
	ck_assert(!policy_decide(p, &alice, "/other/f", TYPE_FILE,
				 ACC_CREATE | ACC_WRITE, &d));
	ck_assert_ptr_null(d.rule.file);
	ck_assert(!policy_decide(p, &alice, "/nowhere", TYPE_FILE, ACC_READ, &d));
	ck_assert_ptr_null(d.rule.file);
	ck_assert(!policy_decide(p, &alice, "/drop/f", TYPE_FILE, 0, &d));
	policy_free(p);
}
END_TEST

START_TEST(root_and_escapes)
{
	struct policy *p = parse("allow * read / type=dir\n"
				 "allow * read /with\\ space/\\*\n");

	ck_assert(allows(p, &alice, "/", TYPE_DIR, ACC_READ));
	ck_assert(!allows(p, &alice, "/x", TYPE_DIR, ACC_READ));
	ck_assert(R(p, &alice, "/with space/*"));
	ck_assert(!R(p, &alice, "/with space/x"));
	policy_free(p);
}
END_TEST

START_TEST(pathological_globs_are_fast)
{
	struct policy *p = parse("allow * read /a/*a*a*a*a*a*a*a*a*a*b\n"
				 "allow * read /**/**/**/**/**/z\n");
	char path[4096] = "/a/";
	clock_t t0 = clock();

	memset(path + 3, 'a', 250);
	path[253] = '\0';
	ck_assert(!R(p, &alice, path));
	for (size_t i = 0; i < 1000; i++)
		memcpy(path + i * 2, "/y", 2);
	strcpy(path + 2000, "/q");
	ck_assert(!R(p, &alice, path));
	path[2001] = 'z';
	ck_assert(R(p, &alice, path));
	/* Generous: a backtracking matcher would take hours. */
	ck_assert_msg(clock() - t0 < 5 * CLOCKS_PER_SEC, "matching took %ld",
		      (long)(clock() - t0));
	policy_free(p);
}
END_TEST

START_TEST(long_line_and_bytes)
{
	size_t n = 1u << 20;
	char *big = malloc(n + 1);

	memset(big, 'a', n);
	memcpy(big, "allow * read /", 14);
	big[n] = '\n';
	ck_assert_str_eq(parse_error(big, n + 1),
			 "t:1:4097: line is longer than 4096 bytes");
	free(big);
	ck_assert_str_eq(parse_error("allow * read /x\0\n", 17),
			 "t:1:16: NUL byte in the policy");
	/* A long word is quoted cut, with an ellipsis, never overrun. */
	{
		char word[128], want[256];

		memset(word, 'k', 90);
		strcpy(word + 90, " * read /x\n");
		memset(want, 0, sizeof want);
		strcpy(want, "t:1:1: unknown keyword '");
		memset(want + strlen(want), 'k', 76);
		strcat(want, "...' (expected allow, deny or include)");
		ck_assert_str_eq(parse_error(word, strlen(word)), want);
	}
}
END_TEST

START_TEST(failed_policy_has_no_partial_grant)
{
	struct policy_text *pol = policy_text_new();
	const char *text = "allow * read /ok\nallow * reed /bad\n";
	unsigned char *image = NULL;
	const char *why = NULL;
	size_t len;

	ck_assert_int_eq(policy_parse(pol, "t", text, strlen(text), 0, NULL,
				      NULL), -1);
	/* Never compiled: the helper has nothing to grant from. */
	ck_assert_int_eq(policy_compile(pol, &image, &len, &why), -1);
	ck_assert_ptr_null(image);
	ck_assert_str_eq(why, "the policy has errors");
	policy_text_free(pol);
}
END_TEST

START_TEST(access_words)
{
	char buf[64];

	ck_assert_str_eq(policy_access_str(ACC_READ | ACC_TRUNCATE, buf, sizeof buf),
			 "read,truncate");
	ck_assert_str_eq(policy_access_str(ACC_ANY, buf, sizeof buf),
			 "read,write,append,create,truncate");
	ck_assert_str_eq(policy_access_str(ACC_ANY, buf, 8), "read,wr");
	ck_assert_str_eq(policy_access_str(0, buf, sizeof buf), "");
}
END_TEST

/* The words an open needs, as the helper asks the policy for them. */
START_TEST(open_flags_need)
{
	ck_assert_uint_eq(policy_open_access(O_RDONLY, 0), ACC_READ);
	ck_assert_uint_eq(policy_open_access(O_WRONLY | O_APPEND, 0), ACC_APPEND);
	ck_assert_uint_eq(policy_open_access(O_RDWR | O_APPEND, 0), ACC_READ | ACC_APPEND);
	/* fopen("w") on a file that exists truncates it ... */
	ck_assert_uint_eq(policy_open_access(O_WRONLY | O_CREAT | O_TRUNC, 0),
			  ACC_WRITE | ACC_TRUNCATE);
	/* ... and creates one that does not: nothing to truncate. */
	ck_assert_uint_eq(policy_open_access(O_WRONLY | O_CREAT | O_TRUNC, 1),
			  ACC_WRITE | ACC_CREATE);
	ck_assert_uint_eq(policy_open_access(O_RDONLY | O_TRUNC, 0), ACC_READ | ACC_TRUNCATE);
}
END_TEST

/* A scratch directory for include tests, removed by the fork's exit. */
static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void make_tmpdir(void)
{
	char path[PATH_MAX];

	snprintf(tmpdir, sizeof tmpdir, "/tmp/check_policy.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(path, sizeof path, "%s/policy.d", tmpdir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
}

static void rm_tmpdir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static struct policy_text *load_tmp(struct diags *d, int *rc)
{
	struct policy_text *pol = policy_text_new();
	char main_path[PATH_MAX], dir[PATH_MAX];

	snprintf(main_path, sizeof main_path, "%s/policy", tmpdir);
	snprintf(dir, sizeof dir, "%s/policy.d", tmpdir);
	*rc = policy_load(pol, main_path, dir, 0, collect, d);
	return pol;
}

START_TEST(dropins_in_order_after_main)
{
	struct diags d = { .len = 0 };
	struct policy_text *pt;
	struct policy *pol;
	int rc;

	make_tmpdir();
	write_file("policy", "allow * read /a\n");
	write_file("policy.d/20-b.conf", "deny * read /a\nallow * read /b\n");
	write_file("policy.d/10-a.conf", "allow * read /c\n");
	write_file("policy.d/30-x.conf~", "allow * read /backup\n");
	write_file("policy.d/.hidden.conf", "allow * read /hidden\n");
	write_file("policy.d/40.conf.dpkg-old", "allow * read /dpkg\n");
	write_file("policy.d/50.txt", "allow * read /txt\n");
	pt = load_tmp(&d, &rc);
	ck_assert_msg(rc == 0, "%s", d.buf);
	ck_assert_uint_eq(policy_text_count(pt), 4);
	ck_assert_uint_eq(policy_rule_at(pt, 1)->line, 1);
	ck_assert(strstr(policy_rule_at(pt, 1)->file, "10-a.conf") != NULL);
	pol = compiled(pt);
	ck_assert(!R(pol, &alice, "/a"));
	ck_assert(R(pol, &alice, "/b"));
	ck_assert(!R(pol, &alice, "/backup"));
	ck_assert(!R(pol, &alice, "/hidden"));
	ck_assert(!R(pol, &alice, "/dpkg"));
	policy_free(pol);
	rm_tmpdir();
}
END_TEST

START_TEST(include_in_place_and_once)
{
	struct diags d = { .len = 0 };
	struct policy_text *pt;
	struct policy *pol;
	char text[512];
	int rc;

	make_tmpdir();
	snprintf(text, sizeof text,
		 "allow * read /a\ninclude %s/policy.d/*.conf\ndeny * read /b\n",
		 tmpdir);
	write_file("policy", text);
	write_file("policy.d/1.conf", "deny * read /a\nallow * read /b\n");
	pt = load_tmp(&d, &rc);
	ck_assert_msg(rc == 0, "%s", d.buf);
	/* 1.conf is read at the include and not again after the main file. */
	ck_assert_uint_eq(policy_text_count(pt), 4);
	pol = compiled(pt);
	ck_assert(!R(pol, &alice, "/a"));
	ck_assert(!R(pol, &alice, "/b"));
	policy_free(pol);
	rm_tmpdir();
}
END_TEST

START_TEST(include_loop_and_missing)
{
	struct diags d = { .len = 0 };
	struct policy_text *pol;
	char text[512], want[1024];
	int rc;

	make_tmpdir();
	snprintf(text, sizeof text, "include %s/policy.d/a.conf\n", tmpdir);
	write_file("policy", text);
	snprintf(text, sizeof text, "allow * read /x\ninclude %s/policy\n", tmpdir);
	write_file("policy.d/a.conf", text);
	snprintf(text, sizeof text, "include %s/nothere\n", tmpdir);
	write_file("policy.d/b.conf", text);
	pol = load_tmp(&d, &rc);
	ck_assert_int_eq(rc, -1);
	snprintf(want, sizeof want,
		 "%s/policy.d/a.conf:2:9: cannot include %s/policy: includes itself (include loop)\n"
		 "%s/policy.d/b.conf:1:9: cannot include %s/nothere: No such file or directory\n",
		 tmpdir, tmpdir, tmpdir, tmpdir);
	ck_assert_str_eq(d.buf, want);
	policy_text_free(pol);
	rm_tmpdir();
}
END_TEST

START_TEST(include_depth_is_bounded)
{
	struct diags d = { .len = 0 };
	struct policy_text *pol;
	char text[512], name[32], want[1024];
	int rc;

	make_tmpdir();
	/* policy -> 1 -> 2 -> ... -> 9: the ninth level is refused. */
	snprintf(text, sizeof text, "include %s/1\n", tmpdir);
	write_file("policy", text);
	for (int i = 1; i <= 9; i++) {
		snprintf(name, sizeof name, "%d", i);
		snprintf(text, sizeof text, "allow * read /%d\ninclude %s/%d\n", i,
			 tmpdir, i + 1);
		write_file(name, text);
	}
	pol = load_tmp(&d, &rc);
	ck_assert_int_eq(rc, -1);
	snprintf(want, sizeof want,
		 "%s/7:2:9: cannot include %s/8: is nested too deeply (at most 8 files, each including the next)\n",
		 tmpdir, tmpdir);
	ck_assert_str_eq(d.buf, want);
	policy_text_free(pol);
	rm_tmpdir();
}
END_TEST

START_TEST(reads_every_place_a_change_matters)
{
	static const struct {
		const char *rel; /* below tmpdir; "/" alone for the root */
		int reads;
	} cases[] = {
		{ "policy", 1 },
		{ "", 1 },			/* on the way, as "/" is */
		{ "/", 1 },
		{ "notes", 0 },			/* beside the policy */
		{ "inc", 1 },
		{ "inc/one.conf", 1 },
		{ "inc/two.conf", 0 },		/* beside an include */
		{ "glob/new.conf", 1 },		/* a glob's directory: any name */
		{ "glob/sub/x.conf", 0 },
		{ "later", 1 },			/* a glob's directory to come */
		{ "later/x.conf", 1 },
		{ "policy.d/x.conf", 1 },
		{ "other/x", 0 },
	};
	struct diags d = { .len = 0 };
	char text[4 * PATH_MAX], path[PATH_MAX];
	struct policy_text *pt;
	struct policy *pol;
	const char *why = NULL;
	int rc;

	make_tmpdir();
	ck_assert_int_eq(mkdir(strcat(strcpy(path, tmpdir), "/inc"), 0755), 0);
	ck_assert_int_eq(mkdir(strcat(strcpy(path, tmpdir), "/glob"), 0755), 0);
	ck_assert_int_eq(mkdir(strcat(strcpy(path, tmpdir), "/wild"), 0755), 0);
	write_file("inc/one.conf", "allow * read /one\n");
	snprintf(text, sizeof text,
		 "include %s/inc/one.conf\ninclude %s/glob/*.conf\n"
		 "include %s/later/*.conf\n",
		 tmpdir, tmpdir, tmpdir);
	write_file("policy", text);
	pt = load_tmp(&d, &rc);
	ck_assert_msg(rc == 0, "%s", d.buf);
	pol = compiled(pt);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (strcmp(cases[i].rel, "/") == 0)
			strcpy(path, "/");
		else
			snprintf(path, sizeof path, "%s%s%s", tmpdir,
				 cases[i].rel[0] ? "/" : "", cases[i].rel);
		ck_assert_msg(policy_reads(pol, path) == cases[i].reads, "%s", path);
	}
	snprintf(path, sizeof path, "%s/policy", tmpdir);
	ck_assert_str_eq(policy_source_at(pol, 0), path);
	ck_assert_ptr_null(policy_source_at(pol, 1000));
	policy_free(pol);
	/* Directories a wildcard may match cannot be watched: not compiled. */
	snprintf(text, sizeof text, "include %s/wild/*/x.conf\n", tmpdir);
	write_file("policy", text);
	pt = load_tmp(&d, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_null(policy_text_compiled(pt, &why));
	ck_assert_msg(strstr(why, "directory pattern") != NULL, "%s", why);
	policy_text_free(pt);
	rm_tmpdir();
}
END_TEST

/* --- the compiled policy, written and read back ---------------------- */

static unsigned rnd_state = 12345;

static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 16) % n;
}

static const char *const comps[] = { "a", "b", "c", "ab", "alice", "1000" };
static const char *const globs[] = { "*", "a*", "*b", "**", "%u", "x%U", "%g" };

static void random_pattern(char *out, size_t len)
{
	size_t o = 0;
	unsigned depth = rnd(5);

	if (depth == 0) {
		snprintf(out, len, "/");
		return;
	}
	for (unsigned i = 0; i < depth; i++) {
		const char *c = rnd(3) ? comps[rnd(6)] : globs[rnd(7)];

		/* "**" twice in a row says nothing new. */
		if (strcmp(c, "**") == 0 && o >= 3 && strcmp(out + o - 3, "/**") == 0)
			c = "*";
		o += (size_t)snprintf(out + o, len - o, "/%s", c);
	}
}

static void random_policy(char *buf, size_t len, unsigned nrules)
{
	static const char *const subj[] = {
		"*", "user alice", "user bob", "user 1000", "user 1001",
		"group adm", "group 1000", "group sudo", "group bob", "user *",
	};
	static const char *const access[] = {
		"read", "write", "append", "create", "truncate", "any",
		"read,write", "read,create", "write,truncate",
	};
	static const char *const opts[] = { "", " type=dir", " type=any",
					     " type=device,fifo" };
	size_t o = 0;

	for (unsigned i = 0; i < nrules; i++) {
		char pat[128];
		int allow = rnd(3) != 0;
		const char *acc = access[rnd(9)];

		random_pattern(pat, sizeof pat);
		o += (size_t)snprintf(buf + o, len - o, "%s %s %s %s%s%s\n",
				      allow ? "allow" : "deny", subj[rnd(10)],
				      acc, pat, opts[rnd(4)],
				      allow && (strstr(acc, "create") || !strcmp(acc, "any")) &&
					      rnd(2) ? " mode=0640" : "");
	}
}

static void random_path(char *out, size_t len)
{
	size_t o = 0;
	unsigned depth = rnd(6);

	out[0] = '/';
	out[1] = '\0';
	for (unsigned i = 0; i < depth; i++) {
		static const char *const extra[] = { "xab", "x1000", "bob", "zzz" };
		const char *c = rnd(4) ? comps[rnd(6)] : extra[rnd(4)];

		o += (size_t)snprintf(out + o, len - o, "/%s", c);
	}
}

/* Compiles the policy file at path (with the drop-ins of dir, or none)
 * into the file compiled; fails the test on any problem. */
static void compile_to(const char *path, const char *dir, const char *compiled_path)
{
	struct policy_text *pt = policy_text_new();
	struct diags d = { .len = 0 };
	const char *why = NULL;

	ck_assert_msg(policy_load(pt, path, dir, 0, collect, &d) == 0, "%s", d.buf);
	ck_assert_msg(policy_compile_write(pt, compiled_path, &why) == 0, "%s", why);
	policy_text_free(pt);
}

/* The compiled policy at compiled_path, for the policy at path: NULL with
 * why when unusable. */
static struct policy *open_compiled(const char *compiled_path, const char *path,
				    char *why, size_t len)
{
	why[0] = '\0';
	return policy_open_compiled(compiled_path, path, 0, why, len);
}

START_TEST(compiled_file_decides_as_compiled_in_memory)
{
	static const struct policy_caller *const callers[] = {
		&alice, &bob, &nameless, &unreachable, &adm_unreachable,
	};
	static char text[1 << 16];
	char path[PATH_MAX], file[PATH_MAX], why[2 * PATH_MAX];
	unsigned decisions = 0, allowed = 0, unnamed_rounds = 0;
	int names;

	make_tmpdir();
	snprintf(path, sizeof path, "%s/policy", tmpdir);
	snprintf(file, sizeof file, "%s/policy.cache", tmpdir);
	for (unsigned round = 0; round < 60; round++) {
		struct policy *mem, *disk;

		random_policy(text, sizeof text, 1 + rnd(round < 30 ? 8 : 60));
		write_file("policy", text);
		mem = parse(text);
		compile_to(path, NULL, file);
		disk = open_compiled(file, path, why, sizeof why);
		ck_assert_msg(disk != NULL, "%s", why);
		names = policy_names_groups(mem);
		ck_assert_int_eq(policy_names_groups(disk), names);
		for (unsigned q = 0; q < 400; q++) {
			const struct policy_caller *c = callers[rnd(5)];
			struct policy_decision a, b;
			unsigned type = 1u << rnd(4), acc = 1 + rnd(ACC_ANY);
			char req[PATH_MAX];
			/* As the helper asks when no rule names a group: the
			 * primary group's name only. */
			const char *first[8] = { c->group_names[0] };
			const unsigned char first_unknown[8] = {
				c->group_unknown ? c->group_unknown[0] : 0
			};
			struct policy_caller unnamed = *c;
			int ra, rb;

			unnamed.group_names = first;
			unnamed.group_unknown = first_unknown;
			random_path(req, sizeof req);
			ra = policy_decide(mem, c, req, type, acc, &a);
			rb = policy_decide(disk, names ? c : &unnamed, req, type, acc, &b);
			ck_assert_msg(ra == rb && a.mode == b.mode &&
					      (a.rule.file == NULL) == (b.rule.file == NULL) &&
					      a.rule.line == b.rule.line,
				      "%s %s type %u access %u: in memory %d (line %u), from the file %d (line %u)\n%s",
				      c->user ? c->user : "?", req, type, acc, ra,
				      a.rule.line, rb, b.rule.line, text);
			ck_assert_msg(policy_may_traverse(mem, c, req) ==
					      policy_may_traverse(disk, names ? c : &unnamed, req),
				      "traverse %s for %s\n%s", req, c->user ? c->user : "?", text);
			decisions++;
			allowed += (unsigned)ra;
		}
		unnamed_rounds += !names;
		policy_free(mem);
		policy_free(disk);
	}
	/* The generated cases must exercise both answers, and policies that
	 * name groups and that do not. */
	ck_assert_uint_gt(unnamed_rounds, 5);
	ck_assert_uint_lt(unnamed_rounds, 55);
	ck_assert_uint_gt(allowed, decisions / 50);
	ck_assert_uint_lt(allowed, decisions - decisions / 50);
	rm_tmpdir();
}
END_TEST

START_TEST(names_groups_only_when_a_rule_does)
{
	static const struct {
		const char *text;
		int names;
	} cases[] = {
		{ "allow * read /x\nallow user alice read /y/%g\n", 0 },
		{ "allow group 10 read /x\n", 0 },
		{ "allow * read /x\ndeny group interns read /x/secret\n", 1 },
		{ "allow group adm read /var/log/**\n", 1 },
	};

	ck_assert_int_eq(policy_names_groups(NULL), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct policy *pol = parse(cases[i].text);

		ck_assert_msg(policy_names_groups(pol) == cases[i].names, "%s",
			      cases[i].text);
		policy_free(pol);
	}
}
END_TEST

START_TEST(many_groups)
{
	static gid_t gids[200];
	static char names[200][16];
	static const char *np[200];
	struct policy_caller many = { 3000, "many", 200, gids, np, 0, NULL };
	struct policy *pol;

	for (int i = 0; i < 200; i++) {
		gids[i] = (gid_t)(5000 + i);
		snprintf(names[i], sizeof names[i], "g%d", i);
		np[i] = names[i];
	}
	pol = parse("allow group g199 read /last/*\nallow group 5150 read /id/*\n");
	ck_assert(R(pol, &many, "/last/x"));
	ck_assert(R(pol, &many, "/id/x"));
	ck_assert(policy_may_traverse(pol, &many, "/last"));
	ck_assert(!R(pol, &alice, "/last/x"));
	policy_free(pol);
}
END_TEST

/* The places the workers of openfiled confine themselves to. */
static void add_root(void *ctx, const char *root, unsigned access)
{
	char *out = ctx;

	snprintf(out + strlen(out), 512 - strlen(out), "%s:%u ", root, access);
}

START_TEST(grant_roots_are_the_literal_prefixes)
{
	struct policy *pol = parse("allow * read /srv/a/*\n"
				   "allow user bob write /srv/b/**\n"
				   "deny * read /srv/a/x\n"
				   "allow group adm read /var/log/*.log\n"
				   "allow * read /**/pub\n");
	char got[512] = "";

	/* In the index's order: by subject, then from "/" down. */
	ck_assert_int_eq(policy_grant_roots(pol, &alice, NULL, add_root, got), 0);
	ck_assert_str_eq(got, "/srv/a:1 /:1 /var/log:1 ");
	got[0] = '\0';
	ck_assert_int_eq(policy_grant_roots(pol, &bob, "/srv/b/c", add_root, got), 0);
	ck_assert_str_eq(got, "/:1 /srv/b:6 ");
	got[0] = '\0';
	ck_assert_int_eq(policy_grant_roots(pol, &bob, "/srv/a", add_root, got), 0);
	ck_assert_str_eq(got, "/:1 /srv/a:1 ");
	policy_free(pol);
}
END_TEST

START_TEST(compiled_watches_escaped_include_directories)
{
	char path[PATH_MAX], file[PATH_MAX], text[PATH_MAX + 64], why[2 * PATH_MAX];
	struct policy *pol;

	make_tmpdir();
	snprintf(path, sizeof path, "%s/my dir", tmpdir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(text, sizeof text, "allow * read /srv/**\ninclude %s/my\\ dir/*.conf\n",
		 tmpdir);
	write_file("policy", text);
	write_file("my dir/10.conf", "allow * read /ten\n");
	snprintf(path, sizeof path, "%s/policy", tmpdir);
	snprintf(file, sizeof file, "%s/policy.cache", tmpdir);
	compile_to(path, NULL, file);
	pol = open_compiled(file, path, why, sizeof why);
	ck_assert_msg(pol != NULL, "%s", why);
	ck_assert(R(pol, &alice, "/ten"));
	policy_free(pol);
	write_file("my dir/20.conf", "deny * read /srv/secret\n");
	ck_assert_ptr_null(open_compiled(file, path, why, sizeof why));
	ck_assert_msg(strstr(why, "my dir changed") != NULL, "%s", why);
	rm_tmpdir();
}
END_TEST

/* Stale, absent, for another policy, not one at all: never used, and the
 * reason says what to run. */
START_TEST(unusable_compiled_policy_is_refused)
{
	char path[2 * PATH_MAX], dir[PATH_MAX], file[PATH_MAX], why[2 * PATH_MAX];
	struct policy *pol;

	make_tmpdir();
	snprintf(path, sizeof path, "%s/policy", tmpdir);
	snprintf(dir, sizeof dir, "%s/policy.d", tmpdir);
	snprintf(file, sizeof file, "%s/policy.cache", tmpdir);
	ck_assert_ptr_null(open_compiled(file, path, why, sizeof why));
	ck_assert_str_eq(why, "no compiled policy: run openfile-policy compile");
	write_file("policy", "allow * read /a\n");
	write_file("policy.d/1.conf", "allow * read /b\n");
	compile_to(path, dir, file);
	/* Current: used. */
	pol = open_compiled(file, path, why, sizeof why);
	ck_assert_msg(pol != NULL, "%s", why);
	ck_assert(R(pol, &alice, "/b"));
	policy_free(pol);
	/* For another policy: not used. */
	ck_assert_ptr_null(open_compiled(file, dir, why, sizeof why));
	ck_assert_msg(strstr(why, "not compiled from") != NULL, "%s", why);
	/* A new drop-in: the directory changed. */
	write_file("policy.d/2.conf", "allow * read /c\n");
	ck_assert_ptr_null(open_compiled(file, path, why, sizeof why));
	snprintf(path, sizeof path,
		 "the policy changed after it was compiled (%s changed): run openfile-policy compile",
		 dir);
	ck_assert_str_eq(why, path);
	snprintf(path, sizeof path, "%s/policy", tmpdir);
	/* A rewritten policy of the same size: stale. */
	compile_to(path, dir, file);
	write_file("policy", "allow * read /z\n");
	ck_assert_ptr_null(open_compiled(file, path, why, sizeof why));
	ck_assert_msg(strstr(why, "changed after it was compiled") != NULL, "%s", why);
	/* A source removed: stale. */
	compile_to(path, dir, file);
	snprintf(dir, sizeof dir, "%s/policy.d/2.conf", tmpdir);
	ck_assert_int_eq(unlink(dir), 0);
	ck_assert_ptr_null(open_compiled(file, path, why, sizeof why));
	ck_assert_msg(strstr(why, "policy.d changed") != NULL, "%s", why);
	/* Garbage where it should be: refused. */
	write_file("policy.cache", "OFPC and then nothing of use, really, at all......"
				   "......................................................");
	ck_assert_ptr_null(open_compiled(file, path, why, sizeof why));
	ck_assert_msg(strstr(why, "not a compiled policy") != NULL, "%s", why);
	rm_tmpdir();
}
END_TEST

/* A damaged image: a truncated one is refused whole; one damaged inside,
 * wherever, is read within its bounds and denies where it cannot tell. */
START_TEST(damaged_image_is_refused_or_denies)
{
	static const char text[] = "allow * read /srv/**\n"
				   "allow user alice read,write /home/%u/*\n"
				   "deny group adm any /srv/secret\n"
				   "allow * read /a/*b*/c type=any\n";
	struct policy_text *pt = parse_rules(text);
	unsigned char *image, *copy;
	const char *err = NULL;
	char why[256], roots[512];
	struct policy *pol;
	size_t len;

	ck_assert_int_eq(policy_compile(pt, &image, &len, &err), 0);
	policy_text_free(pt);
	for (size_t cut = 0; cut < len; cut++) {
		copy = malloc(cut ? cut : 1);
		memcpy(copy, image, cut);
		ck_assert_ptr_null(policy_from_image(copy, cut, why, sizeof why));
	}
	/* Every byte past the header, set to values that point far away. */
	for (size_t at = 64; at < len; at++) {
		static const unsigned char far[] = { 0xff, 0x80, 0x01, 0x00 };

		for (size_t k = 0; k < sizeof far; k++) {
			struct policy_decision d;

			copy = malloc(len);
			memcpy(copy, image, len);
			copy[at] = far[k];
			pol = policy_from_image(copy, len, why, sizeof why);
			if (pol == NULL)
				continue;
			policy_decide(pol, &alice, "/srv/x", TYPE_FILE, ACC_READ, &d);
			policy_decide(pol, &alice, "/home/alice/f", TYPE_FILE, ACC_WRITE, &d);
			policy_decide(pol, &alice, "/a/xbx/c", TYPE_DIR, ACC_READ, &d);
			policy_may_traverse(pol, &alice, "/home");
			roots[0] = '\0';
			policy_grant_roots(pol, &alice, NULL, add_root, roots);
			policy_free(pol);
		}
	}
	/* A rule whose text runs past the end: its decision denies. */
	copy = malloc(len);
	memcpy(copy, image, len);
	((struct img_rule *)(copy + ((struct img_header *)copy)->rules))->text = 0x7fffffff;
	pol = policy_from_image(copy, len, why, sizeof why);
	ck_assert_ptr_nonnull(pol);
	ck_assert(!R(pol, &alice, "/srv/x"));
	policy_free(pol);
	pol = policy_from_image(image, len, why, sizeof why);
	ck_assert(R(pol, &alice, "/srv/x"));
	policy_free(pol);
}
END_TEST

START_TEST(secure_load_refuses_unsafe_files)
{
	struct diags d = { .len = 0 };
	struct policy_text *pol = policy_text_new();
	char path[PATH_MAX];

	/* Ours is not root's when we are not root, and group-writable when
	 * we are: refused either way, with the reason. */
	make_tmpdir();
	write_file("policy", "allow * read /x\n");
	snprintf(path, sizeof path, "%s/policy", tmpdir);
	ck_assert_int_eq(chmod(path, 0664), 0);
	ck_assert_int_eq(policy_load(pol, path, NULL, POLICY_LOAD_SECURE,
				     collect, &d), -1);
	ck_assert_int_eq(d.count, 1);
	ck_assert_msg(strstr(d.buf, geteuid() == 0 ?
					    "policy is writable by group or others" :
					    "is not owned by root") != NULL,
		      "%s", d.buf);
	ck_assert_uint_eq(policy_text_count(pol), 0);
	policy_text_free(pol);
	rm_tmpdir();
}
END_TEST

/*
 * One secure load walks to several files under one prefix and keeps the
 * directories it checked: each path must still be judged by its own
 * directories, where it parts from the last one, and past the depth kept.
 */
START_TEST(secure_walk_judges_each_path)
{
	struct diags d = { .len = 0 };
	/* Room for deep and more: the compiler checks every snprintf. */
	char path[2 * PATH_MAX], deep[PATH_MAX], text[3 * PATH_MAX + 128];
	struct policy_text *pol;
	size_t len;

	make_tmpdir();
	if (geteuid() != 0) {
		/* Ours is not root's: the first directory that is not says so. */
		write_file("policy", "allow * read /x\n");
		snprintf(path, sizeof path, "%s/policy", tmpdir);
		pol = policy_text_new();
		ck_assert_int_eq(policy_load(pol, path, NULL, POLICY_LOAD_SECURE,
					     collect, &d), -1);
		ck_assert_msg(strstr(d.buf, "is not owned by root") != NULL, "%s", d.buf);
		policy_text_free(pol);
		rm_tmpdir();
		return;
	}
	/* Deeper than the walk keeps (32 directories), and a directory named
	 * as long as the first of those, where the walk parts from them. */
	len = (size_t)snprintf(deep, sizeof deep, "%s", tmpdir);
	for (int i = 0; i < 40; i++) {
		len += (size_t)snprintf(deep + len, sizeof deep - len, "/d%d", i);
		ck_assert_int_eq(mkdir(deep, 0755), 0);
	}
	snprintf(path, sizeof path, "%s/deep.conf", deep + strlen(tmpdir) + 1);
	write_file(path, "allow * read /deep\n");
	/* ... and group-writable at depth 41, below what the walk keeps. */
	strcat(deep, "/w");
	ck_assert_int_eq(mkdir(deep, 0755), 0);
	ck_assert_int_eq(chmod(deep, 0775), 0);
	snprintf(path, sizeof path, "%s/w.conf", deep + strlen(tmpdir) + 1);
	write_file(path, "allow * read /w\n");
	deep[strlen(deep) - 2] = '\0';
	ck_assert_int_eq(mkdir(strcat(strcpy(path, tmpdir), "/dx"), 0755), 0);
	ck_assert_int_eq(chmod(path, 0775), 0); /* past the umask */
	write_file("dx/inc.conf", "allow * read /open\n");
	ck_assert_int_eq(chmod(tmpdir, 0755), 0);
	ck_assert_int_eq(chmod(strcat(strcpy(path, tmpdir), "/policy.d"), 0755), 0);
	write_file("policy.d/a.conf", "allow * read /a\n");
	snprintf(text, sizeof text,
		 "include %s/deep.conf\ninclude %s/w/w.conf\ninclude %s/dx/inc.conf\n",
		 deep, deep, tmpdir);
	write_file("policy", text);
	for (int round = 0; round < 2; round++) {
		char dir[PATH_MAX];
		int fds = tu_count_fds();

		d.len = 0, d.count = 0, d.buf[0] = '\0';
		pol = policy_text_new();
		snprintf(path, sizeof path, "%s/policy", tmpdir);
		snprintf(dir, sizeof dir, "%s/policy.d", tmpdir);
		ck_assert_int_eq(policy_load(pol, path, dir, POLICY_LOAD_SECURE,
					     collect, &d), (round == 0 ? -1 : 0));
		/* The walk's descriptors are closed with the load. */
		ck_assert_int_eq(tu_count_fds(), fds);
		if (round == 0) {
			/* The group-writable directories, named; the files
			 * around them still read. */
			ck_assert_int_eq(d.count, 2);
			snprintf(path, sizeof path, "%s/w is writable by group or others",
				 deep);
			ck_assert_msg(strstr(d.buf, path) != NULL, "%s", d.buf);
			snprintf(path, sizeof path, "%s/dx is writable by group or others",
				 tmpdir);
			ck_assert_msg(strstr(d.buf, path) != NULL, "%s", d.buf);
			ck_assert_uint_eq(policy_text_count(pol), 2);
			snprintf(path, sizeof path, "%s/dx", tmpdir);
			ck_assert_int_eq(chmod(path, 0755), 0);
			snprintf(path, sizeof path, "%s/w", deep);
			ck_assert_int_eq(chmod(path, 0755), 0);
			policy_text_free(pol);
		} else {
			struct policy *c;

			ck_assert_msg(d.count == 0, "%s", d.buf);
			c = compiled(pol);
			ck_assert(R(c, &alice, "/deep"));
			ck_assert(R(c, &alice, "/w"));
			ck_assert(R(c, &alice, "/open"));
			ck_assert(R(c, &alice, "/a"));
			policy_free(c);
		}
	}
	rm_tmpdir();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("policy");
	TCase *fx = tcase_create("fixtures"), *m = tcase_create("match");
	TCase *inc = tcase_create("include");

	tcase_add_loop_test(fx, good_fixture_loads, 0,
			    (int)(sizeof good / sizeof good[0]));
	tcase_add_loop_test(fx, bad_fixture_reports, 0,
			    (int)(sizeof bad / sizeof bad[0]));
	tcase_add_test(fx, long_line_and_bytes);
	tcase_add_test(fx, failed_policy_has_no_partial_grant);
	tcase_add_test(m, glob_within_component);
	tcase_add_test(m, globstar_across_components);
	tcase_add_test(m, substitutions);
	tcase_add_test(m, substitution_is_literal);
	tcase_add_test(m, last_match_wins);
	tcase_add_test(m, each_access_decided_alone);
	tcase_add_test(m, prefix_confusion);
	tcase_add_test(m, subjects);
	tcase_add_test(m, types);
	tcase_add_test(m, traversal_only_towards_grants);
	tcase_add_test(m, unknown_names_fail_closed);
	tcase_add_test(m, rule_covering_is_never_claimed_wrongly);
	tcase_add_test(m, covering_is_fast_with_many_globstars);
	tcase_add_test(m, directory_grants_reach_below);
	tcase_add_test(m, literal_prefixes_and_access_words);
	tcase_add_test(m, create_mode_and_no_match);
	tcase_add_test(m, root_and_escapes);
	tcase_add_test(m, pathological_globs_are_fast);
	tcase_add_test(m, access_words);
	tcase_add_test(m, open_flags_need);
	tcase_add_test(inc, dropins_in_order_after_main);
	tcase_add_test(inc, include_in_place_and_once);
	tcase_add_test(inc, include_loop_and_missing);
	tcase_add_test(inc, include_depth_is_bounded);
	tcase_add_test(inc, secure_load_refuses_unsafe_files);
	tcase_add_test(inc, secure_walk_judges_each_path);
	tcase_add_test(m, names_groups_only_when_a_rule_does);
	tcase_add_test(inc, compiled_file_decides_as_compiled_in_memory);
	tcase_add_test(m, many_groups);
	tcase_add_test(m, grant_roots_are_the_literal_prefixes);
	tcase_add_test(inc, compiled_watches_escaped_include_directories);
	tcase_add_test(inc, reads_every_place_a_change_matters);
	tcase_add_test(inc, unusable_compiled_policy_is_refused);
	tcase_add_test(m, damaged_image_is_refused_or_denies);
	suite_add_tcase(s, fx);
	suite_add_tcase(s, m);
	suite_add_tcase(s, inc);
	return tu_run(s);
}

/* SPDX-License-Identifier: ISC */
/*
 * openfile-policy - the administrator's tool for the openfile policy:
 * check it, ask what it decides, list what a user may open, edit it safely.
 * It compiles the policy as the helper reads it, decides through the
 * helper's own engine on what it compiled, and never runs privileged.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fopen-flags.h"
#include "logsink.h"
#include "paths.h"
#include "policy-text.h"

#define EXIT_USAGE 2

static const char *prog = "openfile-policy";

/* To stdout with status 0 when asked for (--help), else to stderr with
 * EXIT_USAGE. */
static void __attribute__((noreturn)) usage_to(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: %s check [--strict] [--syntax-only] [--json] [FILE...]\n"
		"       %s test [-f FILE] [--json] USER PATH ACCESS\n"
		"       %s test [-f FILE] [--json] --flags FLAGS|--fopen MODE USER PATH\n"
		"       %s list [-f FILE] [--json] USER\n"
		"       %s edit [FILE]\n"
		"       %s compile\n"
		"See openfile-policy(8).\n",
		prog, prog, prog, prog, prog, prog);
	exit(status);
}

static void __attribute__((noreturn)) usage(void)
{
	usage_to(EXIT_USAGE);
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void vsay(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	exit(EXIT_USAGE);
}

/* Notes on an answer, said before it: how the question was understood. */
static char *notes[8];
static size_t nnotes;

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void note(const char *fmt, ...)
{
	va_list ap;

	if (nnotes == sizeof notes / sizeof notes[0])
		return;
	va_start(ap, fmt);
	if (vasprintf(&notes[nnotes], fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	nnotes++;
}

/* The options of check, test and list, before their arguments. */
enum { OPT_FILE = 1, OPT_JSON = 2, OPT_STRICT = 4, OPT_SYNTAX = 8, OPT_OPEN = 16 };

struct opts {
	const char *file;         /* -f FILE */
	const char *flags, *mode; /* --flags FLAGS, --fopen MODE */
	int strict, syntax_only;
};

/* One JSON document on stdout instead of text (--json). */
static int json;

static void options(int *argc, char ***argv, unsigned allowed, struct opts *o)
{
	static const struct {
		const char *name;
		unsigned opt;
	} known[] = {
		{ "-f", OPT_FILE },	     { "--json", OPT_JSON },
		{ "--strict", OPT_STRICT }, { "--syntax-only", OPT_SYNTAX },
		{ "--flags", OPT_OPEN },    { "--fopen", OPT_OPEN },
	};
	const char **arg[] = { &o->file, NULL, NULL, NULL, &o->flags, &o->mode };

	memset(o, 0, sizeof *o);
	while (*argc > 0 && (*argv)[0][0] == '-') {
		const char *a = (*argv)[0];
		size_t i = 0;

		(*argc)--, (*argv)++;
		if (strcmp(a, "--") == 0)
			return;
		if (strcmp(a, "--help") == 0)
			usage_to(0);
		while (i < sizeof known / sizeof known[0] && strcmp(a, known[i].name) != 0)
			i++;
		if (i == sizeof known / sizeof known[0] || !(allowed & known[i].opt)) {
			fprintf(stderr, "%s: unknown option '%s'\n", prog, a);
			usage();
		}
		if (arg[i] != NULL) {
			if (*argc == 0 || (known[i].opt == OPT_OPEN && (o->flags || o->mode))) {
				fprintf(stderr, *argc == 0 ? "%s: %s needs an argument\n" :
					"%s: %s: one of --flags and --fopen\n", prog, a);
				usage();
			}
			*arg[i] = (*argv)[0];
			(*argc)--, (*argv)++;
		}
		json |= known[i].opt == OPT_JSON;
		o->strict |= known[i].opt == OPT_STRICT;
		o->syntax_only |= known[i].opt == OPT_SYNTAX;
	}
}

/* --- JSON ------------------------------------------------------------------ */

/* s as a JSON string, in ASCII: the quote, the backslash and control
 * characters escaped, and every byte beyond ASCII as \u00XX.  A path is
 * bytes, not always UTF-8: each byte stays one character, and encoding
 * the string as ISO-8859-1 gives the bytes back. */
static void json_str(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* "key": "value" (null for NULL), after a comma unless first. */
static void json_kv(int first, const char *key, const char *value)
{
	printf("%s\"%s\": ", first ? "" : ", ", key);
	if (value != NULL)
		json_str(value);
	else
		fputs("null", stdout);
}

/* Where a rule stands, as an object; null for none. */
static void json_rule(const char *file, unsigned line, const char *text)
{
	if (file == NULL) {
		fputs("null", stdout);
		return;
	}
	putchar('{');
	json_kv(1, "file", file);
	printf(", \"line\": %u", line);
	json_kv(0, "text", text);
	putchar('}');
}

/* --- diagnostics ---------------------------------------------------------- */

struct report {
	int errors, warnings;
	const char *rename_from, *rename_to; /* edit: the temporary's name */
	int json;  /* as JSON objects on stdout, not text on stderr */
	int shown; /* of them */
};

static void print_diag(struct report *rep, const char *kind, const char *file,
		       unsigned line, unsigned col, const char *msg)
{
	if (rep->rename_from != NULL && strcmp(file, rep->rename_from) == 0)
		file = rep->rename_to;
	if (rep->json) {
		/* One more in the list of the policy's diagnostics. */
		printf("%s{", rep->shown++ ? ", " : "");
		json_kv(1, "kind", kind);
		json_kv(0, "file", file);
		if (line == 0)
			printf(", \"line\": null, \"column\": null");
		else
			printf(", \"line\": %u, \"column\": %u", line, col);
		json_kv(0, "message", msg);
		putchar('}');
	} else if (line == 0)
		fprintf(stderr, "%s: %s: %s\n", file, kind, msg);
	else
		fprintf(stderr, "%s:%u:%u: %s: %s\n", file, line, col, kind, msg);
}

static void on_error(void *ctx, const char *file, unsigned line, unsigned col,
		     const char *msg)
{
	struct report *rep = ctx;

	rep->errors++;
	print_diag(rep, "error", file, line, col, msg);
}

static void warn_rule(struct report *rep, const struct policy_rule *r,
		      unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void warn_rule(struct report *rep, const struct policy_rule *r,
		      unsigned col, const char *fmt, ...)
{
	char msg[PATH_MAX + 512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	rep->warnings++;
	print_diag(rep, "warning", r->file, r->line, col, msg);
}

/* name as an absolute path (into out, PATH_MAX long, if it is not one
 * already): against the working directory, as visudo takes it. */
static const char *absolute(const char *name, char *out)
{
	char cwd[PATH_MAX];

	if (name[0] == '/')
		return name;
	while (strncmp(name, "./", 2) == 0)
		name += 2 + strspn(name + 2, "/");
	if (getcwd(cwd, sizeof cwd) == NULL)
		die("%s: cannot tell the working directory: %s", name, strerror(errno));
	if (snprintf(out, PATH_MAX, "%s%s%s", cwd, strcmp(cwd, "/") ? "/" : "", name) >=
	    PATH_MAX)
		die("%s: the path is too long", name);
	return out;
}

/* --- loading ---------------------------------------------------------------- */

/* The live policy (checked as the helper checks it), or one file, with
 * flags (POLICY_LOAD_SECURE: checked so too). */
static struct policy_text *load(const char *file, unsigned flags,
				struct report *rep)
{
	struct policy_text *pol = policy_text_new();
	int rc;

	if (pol == NULL)
		die("out of memory");
	if (file == NULL)
		rc = policy_load(pol, OPENFILE_POLICY_PATH, OPENFILE_POLICY_DIR,
				 POLICY_LOAD_SECURE, on_error, rep);
	else
		rc = policy_load(pol, file, NULL, flags, on_error, rep);
	if (rc < 0 && rep->errors == 0)
		rep->errors++;
	return pol;
}

/* --- check: the warnings a careful reviewer would give ----------------------- */

/* Rules sorted by the literal prefix of their pattern, so that the rules
 * that could cover a rule are found without comparing every pair. */
struct keyed {
	char key[PATH_MAX];
	size_t index;
};

static int by_key(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

/* The rules sorted by their literal prefix, to free. */
static struct keyed *by_prefix(const struct policy_text *pol, size_t n)
{
	struct keyed *ks = calloc(n ? n : 1, sizeof *ks);

	if (ks == NULL)
		die("out of memory");
	for (size_t i = 0; i < n; i++) {
		pattern_literal_prefix(&policy_rule_at(pol, i)->pat, ks[i].key,
				       sizeof ks[i].key);
		ks[i].index = i;
	}
	qsort(ks, n, sizeof *ks, by_key);
	return ks;
}

/* The entries whose literal prefix is key (whole) or starts with it:
 * ks[*lo] up to the one returned. */
static size_t key_range(const struct keyed *ks, size_t n, const char *key,
			int whole, size_t *lo)
{
	size_t a = 0, b = n, len = strlen(key);

	while (a < b) { /* first entry with key >= key */
		size_t mid = (a + b) / 2;

		if (strcmp(ks[mid].key, key) < 0)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	while (a < n && (whole ? strcmp(ks[a].key, key) == 0 :
				 strncmp(ks[a].key, key, len) == 0))
		a++;
	return a;
}

/* Cuts prefix to its parent directory.  Returns 0 when it was "/". */
static int up(char *prefix)
{
	if (strcmp(prefix, "/") == 0)
		return 0;
	*strrchr(prefix, '/') = '\0';
	if (prefix[0] == '\0')
		strcpy(prefix, "/");
	return 1;
}

/* A later rule that always overrides r, among those whose literal prefix
 * is exactly prefix.  NULL if none. */
static const struct policy_rule *overrider(const struct policy_text *pol,
					   const struct keyed *ks, size_t n,
					   const char *prefix, size_t self)
{
	size_t lo, hi = key_range(ks, n, prefix, 1, &lo);

	for (; lo < hi; lo++) {
		const struct policy_rule *later = policy_rule_at(pol, ks[lo].index);

		if (ks[lo].index > self &&
		    policy_rule_covers(later, policy_rule_at(pol, self)))
			return later;
	}
	return NULL;
}

static void warn_shadowed(const struct policy_text *pol, const struct keyed *ks,
			  struct report *rep)
{
	size_t n = policy_text_count(pol);

	for (size_t i = 0; i < n; i++) {
		const struct policy_rule *r = policy_rule_at(pol, i), *later;
		char prefix[PATH_MAX];

		/* Candidates: rules whose literal prefix is a prefix of ours. */
		pattern_literal_prefix(&r->pat, prefix, sizeof prefix);
		while ((later = overrider(pol, ks, n, prefix, i)) == NULL && up(prefix))
			;
		if (later != NULL)
			warn_rule(rep, r, 1,
				  "this rule never decides anything: the later rule at %s:%u (%s) always overrides it",
				  later->file, later->line, later->text);
	}
}

/* Warns of r, a directory grant, for each deny among ks[lo] up to hi that
 * names something below a directory it grants. */
static void warn_reaches(const struct policy_text *pol, const struct policy_rule *r,
			 const struct keyed *ks, size_t lo, size_t hi,
			 struct report *rep)
{
	for (; lo < hi; lo++) {
		const struct policy_rule *deny = policy_rule_at(pol, ks[lo].index);

		if (policy_dir_grant_reaches(r, deny))
			warn_rule(rep, r, r->pattern_col,
				  "a descriptor on a directory this grants reaches below it with the caller's own rights, past the deny at %s:%u (%s), which cannot hold there",
				  deny->file, deny->line, deny->text);
	}
}

/*
 * A type=dir grant hands out a descriptor from which openat(2) opens,
 * with the caller's own rights, what lies below, whatever a deny says.
 * A deny that names something there must share a literal prefix with the
 * grant: its own is the grant's, lies above it, or lies below it.
 */
static void warn_dir_grants(const struct policy_text *pol, const struct keyed *ks,
			    struct report *rep)
{
	size_t n = policy_text_count(pol), lo, hi;

	for (size_t i = 0; i < n; i++) {
		const struct policy_rule *r = policy_rule_at(pol, i);
		char prefix[PATH_MAX], below[PATH_MAX + 1];

		if (!r->allow || !(r->types & TYPE_DIR))
			continue;
		pattern_literal_prefix(&r->pat, prefix, sizeof prefix);
		if (strcmp(prefix, "/") == 0) {
			warn_reaches(pol, r, ks, 0, n, rep);
			continue;
		}
		snprintf(below, sizeof below, "%s/", prefix);
		hi = key_range(ks, n, below, 0, &lo);
		warn_reaches(pol, r, ks, lo, hi, rep);
		do {
			hi = key_range(ks, n, prefix, 1, &lo);
			warn_reaches(pol, r, ks, lo, hi, rep);
		} while (up(prefix));
	}
}

/* The names the system knows, enumerated once: a lookup per rule would
 * read the user database once per rule. */
struct names {
	char **v;
	size_t n;
	int loaded;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void names_add(struct names *ns, const char *name)
{
	char **nv = realloc(ns->v, (ns->n + 1) * sizeof *nv);

	if (nv == NULL || (nv[ns->n] = strdup(name)) == NULL)
		die("out of memory");
	ns->v = nv;
	ns->n++;
}

static void names_load(struct names *ns, int groups)
{
	if (groups) {
		struct group *g;

		setgrent();
		while ((g = getgrent()) != NULL)
			names_add(ns, g->gr_name);
		endgrent();
	} else {
		struct passwd *p;

		setpwent();
		while ((p = getpwent()) != NULL)
			names_add(ns, p->pw_name);
		endpwent();
	}
	qsort(ns->v, ns->n, sizeof *ns->v, by_name);
	ns->loaded = 1;
}

/* Whether the system knows the name; sources that do not enumerate are
 * asked directly. */
static int known(struct names *ns, int groups, const char *name)
{
	if (!ns->loaded)
		names_load(ns, groups);
	if (bsearch(&name, ns->v, ns->n, sizeof *ns->v, by_name) != NULL)
		return 1;
	return groups ? getgrnam(name) != NULL : getpwnam(name) != NULL;
}

static void warn_subject(const struct policy_rule *r, struct report *rep)
{
	static struct names users, groups;

	if (r->subject.name == NULL)
		return;
	if (r->subject.kind == SUBJ_USER && !known(&users, 0, r->subject.name))
		warn_rule(rep, r, r->subject_col,
			  "unknown user '%s': this rule applies to nobody",
			  r->subject.name);
	if (r->subject.kind == SUBJ_GROUP && !known(&groups, 1, r->subject.name))
		warn_rule(rep, r, r->subject_col,
			  "unknown group '%s': this rule applies to nobody",
			  r->subject.name);
}

/* Who besides root can change entries of a directory, or NULL. */
static const char *writer(const struct stat *st, char *buf, size_t len)
{
	if (st->st_uid != 0) {
		struct passwd *pw = getpwuid(st->st_uid);

		if (pw != NULL)
			snprintf(buf, len, "user %s", pw->pw_name);
		else
			snprintf(buf, len, "uid %u", (unsigned)st->st_uid);
		return buf;
	}
	if (st->st_mode & S_IWOTH)
		return "everyone";
	if (st->st_mode & S_IWGRP) {
		struct group *gr = getgrgid(st->st_gid);

		if (gr != NULL)
			snprintf(buf, len, "group %s", gr->gr_name);
		else
			snprintf(buf, len, "gid %u", (unsigned)st->st_gid);
		return buf;
	}
	return NULL;
}

/*
 * Walks the literal directories of a rule's pattern: a symbolic link on the
 * way means the rule can never match (the helper decides on real paths); a
 * directory that others can change is bait for symlinks and hard links.
 */
static void warn_places(const struct policy_rule *r, struct report *rep)
{
	/* bait holds "PATH, which WHO" whole. */
	char prefix[PATH_MAX], path[PATH_MAX], who[128],
	     bait[PATH_MAX + sizeof ", which " + sizeof who];
	size_t lit = pattern_literal_prefix(&r->pat, prefix, sizeof prefix);
	const char *p = prefix, *w;
	int sticky = 0;

	path[0] = bait[0] = '\0';
	for (size_t i = 0; i < lit; i++) {
		struct stat st;
		const char *e = strchr(p + 1, '/');
		size_t len = strlen(path);

		if (e == NULL)
			e = p + strlen(p);
		snprintf(path + len, sizeof path - len, "%.*s", (int)(e - p), p);
		p = e;
		if (lstat(path, &st) < 0)
			break; /* not there (yet): nothing more to say */
		if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlink(path, target, sizeof target - 1);

			target[n > 0 ? n : 0] = '\0';
			warn_rule(rep, r, r->pattern_col,
				  "the pattern goes through the symbolic link %s (-> %s): the helper decides on real paths, so it can never match; name the real path",
				  path, target);
			return;
		}
		/* The last literal component is the target itself when nothing
		 * follows it in the pattern: not a directory to judge. */
		if (!S_ISDIR(st.st_mode) || (i == lit - 1 && lit == r->pat.ncomps))
			break;
		if ((w = writer(&st, who, sizeof who)) != NULL) {
			snprintf(bait, sizeof bait, "%s, which %s", path, w);
			sticky = (st.st_mode & S_ISVTX) != 0;
		} else if (sticky) {
			/* Root's own directory in a sticky one (/tmp/x): nobody
			 * else can rename or replace it. */
			bait[0] = '\0';
			sticky = 0;
		}
	}
	if (r->allow && bait[0] != '\0')
		warn_rule(rep, r, r->pattern_col,
			  "this grant lies inside %s can change: symlink and hard-link bait",
			  bait);
}

/* Whether the helper and openfiled can use the compiled policy as things
 * are: if not, they deny everything, which check counts as a warning (the
 * text itself may be fine, and is what an administrator checks before
 * compiling).  Returns 1 when it is current. */
static int report_compiled(struct report *rep)
{
	char why[2 * PATH_MAX + 128];
	struct policy *pol = policy_open_compiled(OPENFILE_POLICY_CACHE,
						  OPENFILE_POLICY_PATH,
						  POLICY_LOAD_SECURE, why, sizeof why);

	if (pol != NULL) {
		if (!rep->json)
			printf("%s: current\n", OPENFILE_POLICY_CACHE);
		policy_free(pol);
		return 1;
	}
	rep->warnings++;
	strncat(why, " (the helper and openfiled deny every request until then)",
		sizeof why - strlen(why) - 1);
	print_diag(rep, "warning", OPENFILE_POLICY_CACHE, 0, 0, why);
	return 0;
}

/* Where the helper's and openfiled's records would go now, as they
 * choose (openfile(8), LOGGING): said, with a warning when nowhere, for
 * then they refuse every request.  Returns "journal", "syslog", "file",
 * or NULL: nowhere (*where the audit file), or not known (*where NULL:
 * only root may open the audit file). */
static const char *report_audit(struct report *rep, const char **where)
{
	static const struct {
		const char *sink, *path, *text;
	} sockets[] = {
		{ "journal", OPENFILE_JOURNAL_SOCKET, "the journal" },
		{ "syslog", OPENFILE_SYSLOG_SOCKET, "syslog (authpriv)" },
	};
	char why[PATH_MAX + 256];
	int fd;

	/* As audit.c tries them. */
	for (size_t i = 0; i < sizeof sockets / sizeof sockets[0]; i++) {
		if ((fd = logsink_connect(sockets[i].path)) >= 0) {
			close(fd);
			*where = sockets[i].path;
			if (!rep->json)
				printf("audit records: to %s, %s\n", sockets[i].text, *where);
			return sockets[i].sink;
		}
	}
	*where = OPENFILE_AUDIT_LOG;
	if ((fd = logsink_open_file(OPENFILE_AUDIT_LOG, 0)) >= 0) {
		close(fd);
		if (!rep->json)
			printf("audit records: to the audit file %s (no journal or syslog listens)\n",
			       *where);
		return "file";
	}
	if (errno == EACCES && geteuid() != 0) {
		*where = NULL;
		if (!rep->json)
			printf("audit records: no journal or syslog listens; whether %s takes them, only root can tell\n",
			       OPENFILE_AUDIT_LOG);
		return NULL;
	}
	snprintf(why, sizeof why, "audit records have nowhere to go: no journal (%s) or syslog (%s) listens, and the audit file is unusable: %s (the helper and openfiled refuse every request with EIO)",
		 OPENFILE_JOURNAL_SOCKET, OPENFILE_SYSLOG_SOCKET,
		 errno == EPERM ? "not a regular file of root's that only root may write" :
				  strerror(errno));
	rep->warnings++;
	print_diag(rep, "warning", OPENFILE_AUDIT_LOG, 0, 0, why);
	return NULL;
}

static int cmd_check(int argc, char **argv)
{
	struct opts o;
	int bad = 0;

	options(&argc, &argv, OPT_STRICT | OPT_SYNTAX | OPT_JSON, &o);
	if (json)
		printf("{\"policies\": [");
	for (int i = 0; i == 0 || i < argc; i++) {
		struct report rep = { 0, 0, NULL, NULL, json, 0 };
		char abs[PATH_MAX];
		const char *file = argc > 0 ? absolute(argv[i], abs) : NULL;
		const char *name = file ? file : OPENFILE_POLICY_PATH, *status;
		struct policy_text *pol;
		size_t n;
		struct keyed *ks;
		struct policy *compiled = NULL;
		const char *why;
		int current = -1;
		const char *sink = NULL, *sink_at = NULL;

		if (json) {
			printf("%s{", i ? ", " : "");
			json_kv(1, "file", name);
			printf(", \"diagnostics\": [");
		}
		/* As the helper would read it, installed: unless a draft. */
		pol = load(file, o.syntax_only ? 0 : POLICY_LOAD_SECURE, &rep);
		n = policy_text_count(pol);
		ks = by_prefix(pol, n);

		for (size_t k = 0; k < n; k++) {
			warn_subject(policy_rule_at(pol, k), &rep);
			warn_places(policy_rule_at(pol, k), &rep);
		}
		warn_shadowed(pol, ks, &rep);
		warn_dir_grants(pol, ks, &rep);
		free(ks);
		/* What compile would refuse, the helper could never use. */
		if (rep.errors == 0 && (compiled = policy_text_compiled(pol, &why)) == NULL) {
			rep.errors++;
			print_diag(&rep, "error", name, 0, 0, why);
		}
		policy_free(compiled);
		if (file == NULL && rep.errors == 0)
			current = report_compiled(&rep);
		if (file == NULL)
			sink = report_audit(&rep, &sink_at);
		status = rep.errors ? "INVALID (the helper denies every request)" :
			 rep.warnings && o.strict ? "not accepted with --strict" : "OK";
		if (json) {
			printf("], \"rules\": %zu, \"errors\": %d, \"warnings\": %d",
			       n, rep.errors, rep.warnings);
			printf(", \"valid\": %s", rep.errors ? "false" : "true");
			if (current >= 0)
				printf(", \"compiled_current\": %s", current ? "true" : "false");
			if (sink_at != NULL) {
				printf(", \"audit\": {");
				json_kv(1, "sink", sink);
				json_kv(0, "path", sink_at);
				putchar('}');
			}
			json_kv(0, "status", status);
			putchar('}');
		} else {
			printf("%s: %zu rule%s, %d error%s, %d warning%s: %s\n", name, n,
			       n == 1 ? "" : "s", rep.errors, rep.errors == 1 ? "" : "s",
			       rep.warnings, rep.warnings == 1 ? "" : "s", status);
		}
		bad |= rep.errors > 0 || (o.strict && rep.warnings > 0);
		policy_text_free(pol);
	}
	if (json)
		printf("]}\n");
	return bad ? 1 : 0;
}

/* --- test and list: a user as the helper sees one --------------------------- */

struct user {
	struct policy_caller pc;
	gid_t gids[NGROUPS_MAX + 1];
	char *names[NGROUPS_MAX + 1];
	char *name; /* the user's name, or "uid N" for a uid without one */
};

/* Looks a user up by name or number, with all its groups.  Only root may
 * ask about others: their groups are their business.  A uid the user
 * database does not know is still a caller rules may name by number. */
static void user_load(const char *who, struct user *u)
{
	struct passwd *pw;
	char *end;
	int n = NGROUPS_MAX + 1;
	unsigned long id = strtoul(who, &end, 10);
	int numeric = *who >= '0' && *who <= '9' && *end == '\0' &&
		      id < (unsigned long)(uid_t)-1;

	pw = numeric ? getpwuid((uid_t)id) : getpwnam(who);
	if (pw == NULL && !numeric)
		die("unknown user '%s'", who);
	if (getuid() != 0 && (pw ? pw->pw_uid : (uid_t)id) != getuid())
		die("only root may ask about another user than yourself");
	memset(u, 0, sizeof *u);
	if (pw == NULL) {
		if (asprintf(&u->name, "uid %lu", id) < 0)
			die("out of memory");
		u->pc.uid = (uid_t)id;
		note("uid %lu has no user name: decided without groups (the helper takes a caller's groups from the kernel)",
		     id);
		return;
	}
	u->name = strdup(pw->pw_name);
	if (u->name == NULL ||
	    getgrouplist(pw->pw_name, pw->pw_gid, u->gids, &n) < 0)
		die("cannot read the groups of '%s'", who);
	for (int i = 0; i < n; i++) {
		struct group *gr = getgrgid(u->gids[i]);

		u->names[i] = gr ? strdup(gr->gr_name) : NULL;
	}
	u->pc.uid = pw->pw_uid;
	u->pc.user = u->name;
	u->pc.ngroups = (size_t)n;
	u->pc.gids = u->gids;
	u->pc.group_names = (const char *const *)u->names;
}

static void user_free(struct user *u)
{
	for (size_t i = 0; i < u->pc.ngroups; i++)
		free(u->names[i]);
	free(u->name);
}

/* Whether a path exists: what an open of it meets. */
enum presence { PARENT_MISSING, ABSENT, EXISTS };

/* The path the helper would decide on: the real path of what exists, or
 * of the existing directory plus the name.  Returns its type bit, and
 * how much of it exists in *there. */
static unsigned real_target(const char *path, char *out, enum presence *there)
{
	struct stat st;
	char dir[PATH_MAX];
	const char *base;

	if (path[0] != '/' || strlen(path) >= PATH_MAX)
		die("'%s' is not an absolute path of at most %d bytes", path, PATH_MAX - 1);
	for (const char *p = path + 1; *p != '\0';) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			die("'%s' is not canonical: write it without '.', '..' and '//'",
			    path);
		p += n + (p[n] == '/');
	}
	*there = EXISTS;
	if (realpath(path, out) != NULL && stat(out, &st) == 0)
		return policy_type_of(st.st_mode);
	*there = PARENT_MISSING;
	base = strrchr(path, '/') + 1;
	snprintf(dir, sizeof dir, "%.*s", (int)(base - path), path);
	if (realpath(dir, out) == NULL || *base == '\0' ||
	    strlen(out) + strlen(base) + 2 > PATH_MAX) {
		snprintf(out, PATH_MAX, "%s", path);
	} else {
		snprintf(out + strlen(out), PATH_MAX - strlen(out), "%s%s",
			 strcmp(out, "/") == 0 ? "" : "/", base);
		*there = ABSENT;
	}
	return TYPE_FILE;
}

/* The policy compiled in memory, as the helper would decide with it. */
static struct policy *compiled_or_die(const char *file)
{
	struct report rep = { 0, 0, NULL, NULL, 0, 0 };
	struct policy_text *pt = load(file, 0, &rep);
	struct policy *pol = NULL;
	const char *why = NULL;

	if (rep.errors == 0)
		pol = policy_text_compiled(pt, &why);
	policy_text_free(pt);
	if (pol == NULL) {
		if (why != NULL)
			fprintf(stderr, "%s: %s\n", prog, why);
		fprintf(stderr, "%s: the policy is invalid, so the helper denies every request\n",
			prog);
		if (json)
			printf("{\"decision\": \"deny\", \"valid\": false}\n");
		exit(1);
	}
	return pol;
}

/* open(2) flags by name, as --flags takes them: those the helper
 * accepts (it refuses the rest with EINVAL). */
static const struct {
	const char *name;
	int flag;
} open_flag_names[] = {
	{ "O_RDONLY", O_RDONLY },     { "O_WRONLY", O_WRONLY },
	{ "O_RDWR", O_RDWR },	      { "O_CREAT", O_CREAT },
	{ "O_EXCL", O_EXCL },	      { "O_TRUNC", O_TRUNC },
	{ "O_APPEND", O_APPEND },     { "O_DIRECTORY", O_DIRECTORY },
	{ "O_NOFOLLOW", O_NOFOLLOW }, { "O_CLOEXEC", O_CLOEXEC },
	{ "O_NOCTTY", O_NOCTTY },     { "O_NONBLOCK", O_NONBLOCK },
	{ "O_DSYNC", O_DSYNC },	      { "O_SYNC", O_SYNC },
	{ "O_DIRECT", O_DIRECT },
};
#define N_OPEN_FLAGS (sizeof open_flag_names / sizeof open_flag_names[0])

/* Flags written as "O_WRONLY|O_TRUNC" (blanks around '|' allowed). */
static int parse_open_flags(const char *text)
{
	int flags = 0;

	for (const char *p = text;; p++) {
		size_t n, i;

		p += strspn(p, " \t");
		n = strcspn(p, "| \t");
		for (i = 0; i < N_OPEN_FLAGS; i++)
			if (strlen(open_flag_names[i].name) == n &&
			    strncmp(p, open_flag_names[i].name, n) == 0)
				break;
		if (i == N_OPEN_FLAGS)
			die("--flags '%s': unknown or unsupported flag '%.*s' (O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC, O_NOCTTY, O_NONBLOCK, O_DSYNC, O_SYNC or O_DIRECT, joined by '|')",
			    text, (int)(n ? n : strcspn(p, "|")), p);
		flags |= open_flag_names[i].flag;
		p += n + strspn(p + n, " \t");
		if (*p != '|')
			break;
	}
	if ((flags & O_ACCMODE) == O_ACCMODE)
		die("--flags '%s': O_WRONLY and O_RDWR together (the helper refuses it)", text);
	return flags;
}

/* flags by name into buf.  Returns buf. */
static const char *open_flags_str(int flags, char *buf, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < N_OPEN_FLAGS && o < len; i++) {
		int f = open_flag_names[i].flag;

		if (f == O_RDONLY || f == O_WRONLY || f == O_RDWR ?
		    (flags & O_ACCMODE) == f : (flags & f) == f)
			o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? "|" : "",
					      open_flag_names[i].name);
	}
	return buf;
}

/* What test asks: access words, or an open's flags. */
struct question {
	unsigned access;
	int flags; /* -1: access words were asked */
	int fails; /* the errno the open fails with where allowed, or 0 */
};

static const char *const type_names[] = { "file", "dir", "device", "fifo" };

/* The type word of a type bit. */
static const char *type_name(unsigned type)
{
	for (unsigned i = 0; i < 4; i++)
		if (type == 1u << i)
			return type_names[i];
	return "socket";
}

/* The name of an errno open_question gives. */
static const char *errno_name(int err)
{
	return err == EEXIST ? "EEXIST" : err == ENOENT ? "ENOENT" : "ENOTDIR";
}

/* The words an open of what there is needs, and how it fails besides. */
static void open_question(struct question *q, enum presence there, unsigned type)
{
	char fl[256], acc[64];
	int f = q->flags;

	if (there == EXISTS && (f & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
		q->access = ACC_CREATE;
		q->fails = EEXIST;
	} else if (there != EXISTS && (f & O_CREAT)) {
		q->access = policy_open_access(f, 1);
		q->fails = there == PARENT_MISSING ? ENOENT : 0;
	} else {
		q->access = policy_open_access(f, 0);
		q->fails = there != EXISTS ? ENOENT :
			   (f & O_DIRECTORY) && type != TYPE_DIR ? ENOTDIR : 0;
	}
	note("%s on %s needs %s", open_flags_str(f, fl, sizeof fl),
	     there == EXISTS ? "what exists" : (f & O_CREAT) ? "a file it creates" :
							   "a path that does not exist",
	     policy_access_str(q->access, acc, sizeof acc));
	if ((q->access & ACC_TRUNCATE) && there == EXISTS && type == TYPE_FILE)
		note("O_TRUNC on a file that exists needs truncate: fopen(\"w\") asks for it; \"r+\" or \"a\" do not");
}

/* A rule that would have decided word but for the type: its pattern
 * matches, its type= does not.  Returns 1 and fills *d, or 0. */
static int other_type(const struct policy *pol, const struct user *u,
		      const char *real, unsigned type, unsigned word,
		      struct policy_decision *d, unsigned *as)
{
	for (unsigned t = 0; t < 4; t++)
		if ((*as = 1u << t) != type &&
		    policy_decide(pol, &u->pc, real, *as, word, d) && d->rule.file != NULL)
			return 1;
	return 0;
}

/* What test found: the decision, each word's, and why. */
struct answer {
	const char *path, *real;
	unsigned type;
	struct question q;
	const struct user *u;
	struct policy_decision d, by[5];
	struct policy_decision hint; /* a rule whose type alone did not match */
	unsigned hint_type, none;    /* that rule's type; the words no rule decided */
};

#define ORIGIN(o) (o).file, (o).line, (o).text

static void answer_text(const struct answer *a)
{
	char acc[64];
	int words = (a->q.access & (a->q.access - 1)) != 0;

	for (size_t i = 0; i < nnotes; i++)
		printf("(%s)\n", notes[i]);
	for (unsigned w = 0; words && w < 5; w++) {
		if (!(a->q.access & 1u << w))
			continue;
		printf("%s: ", policy_access_str(1u << w, acc, sizeof acc));
		if (a->by[w].rule.file != NULL)
			printf("%s by %s:%u: %s\n", a->by[w].allow ? "allowed" : "denied",
			       ORIGIN(a->by[w].rule));
		else
			printf("denied: no rule matched\n");
	}
	printf("%s\n", a->d.allow ? "allow" : "deny");
	if (a->d.rule.file != NULL)
		printf("%s:%u: %s\n", ORIGIN(a->d.rule));
	else
		printf("no rule matched%s%s (%s for user %s)\n",
		       a->hint.rule.file ? " for type=" : "",
		       a->hint.rule.file ? type_name(a->type) : "",
		       policy_access_str(a->none, acc, sizeof acc), a->u->name);
	/* The path matched, the type did not: the commonest surprise. */
	if (a->hint.rule.file != NULL)
		printf("%s:%u: %s\n  matches %s but is for type=%s, not %s: add type=%s to it\n",
		       ORIGIN(a->hint.rule), a->real, type_name(a->hint_type),
		       type_name(a->type), type_name(a->type));
	if (a->d.allow && a->q.fails != 0)
		printf("but the open fails: %s (%s)\n", errno_name(a->q.fails),
		       strerror(a->q.fails));
}

static void answer_json(const struct answer *a)
{
	char acc[64], fl[256];
	int first = 1;

	printf("{");
	json_kv(1, "decision", a->d.allow ? "allow" : "deny");
	json_kv(0, "user", a->u->pc.user);
	printf(", \"uid\": %u", (unsigned)a->u->pc.uid);
	json_kv(0, "path", a->path);
	json_kv(0, "real", a->real);
	json_kv(0, "type", type_name(a->type));
	json_kv(0, "flags", a->q.flags >= 0 ? open_flags_str(a->q.flags, fl, sizeof fl) : NULL);
	printf(", \"access\": [");
	for (unsigned w = 0; w < 5; w++) {
		if (!(a->q.access & 1u << w))
			continue;
		printf("%s{", first ? "" : ", ");
		first = 0;
		json_kv(1, "word", policy_access_str(1u << w, acc, sizeof acc));
		json_kv(0, "decision", a->by[w].allow ? "allow" : "deny");
		printf(", \"rule\": ");
		json_rule(ORIGIN(a->by[w].rule));
		putchar('}');
	}
	printf("], \"rule\": ");
	json_rule(ORIGIN(a->d.rule));
	printf(", \"type_mismatch\": ");
	if (a->hint.rule.file != NULL) {
		printf("{\"rule\": ");
		json_rule(ORIGIN(a->hint.rule));
		json_kv(0, "rule_type", type_name(a->hint_type));
		json_kv(0, "suggest", type_name(a->type));
		putchar('}');
	} else {
		fputs("null", stdout);
	}
	json_kv(0, "open_fails", a->d.allow && a->q.fails ? errno_name(a->q.fails) : NULL);
	printf(", \"notes\": [");
	for (size_t i = 0; i < nnotes; i++) {
		printf("%s", i ? ", " : "");
		json_str(notes[i]);
	}
	printf("]}\n");
}

static int cmd_test(int argc, char **argv)
{
	struct opts o;
	char real[PATH_MAX];
	struct answer a = { .q = { 0, -1, 0 } };
	struct policy *pol;
	struct user u;
	enum presence there;

	options(&argc, &argv, OPT_FILE | OPT_JSON | OPT_OPEN, &o);
	if (argc != (o.flags || o.mode ? 2 : 3))
		usage();
	user_load(argv[0], &u);
	if (o.flags != NULL) {
		a.q.flags = parse_open_flags(o.flags);
	} else if (o.mode != NULL) {
		if ((a.q.flags = fopen_flags(o.mode, 0)) < 0)
			die("--fopen '%s': not an fopen(3) mode my_fopen takes (r, w or a, then any of +, b, e, x)",
			    o.mode);
	} else if ((a.q.access = policy_parse_access(argv[2])) == 0) {
		die("unknown access '%s' (read, write, append, create, truncate or any, separated by commas)",
		    argv[2]);
	}
	a.path = argv[1];
	a.real = real;
	a.u = &u;
	a.type = real_target(argv[1], real, &there);
	if (strcmp(real, argv[1]) != 0)
		note("%s resolves to %s", argv[1], real);
	if (a.type == 0)
		note("%s is a socket or the like, which no rule can grant", real);
	if (a.q.flags >= 0)
		open_question(&a.q, there, a.type);
	pol = compiled_or_die(o.file);
	policy_decide(pol, &u.pc, real, a.type, a.q.access, &a.d);
	/* Each word on its own, as the engine decides it. */
	for (unsigned w = 0; w < 5; w++) {
		if (!(a.q.access & 1u << w) ||
		    policy_decide(pol, &u.pc, real, a.type, 1u << w, &a.by[w]) ||
		    a.by[w].rule.file != NULL)
			continue;
		a.none |= 1u << w;
		if (a.hint.rule.file == NULL && a.type != 0)
			other_type(pol, &u, real, a.type, 1u << w, &a.hint, &a.hint_type);
	}
	if (json)
		answer_json(&a);
	else
		answer_text(&a);
	policy_free(pol);
	user_free(&u);
	return a.d.allow && a.q.fails == 0 ? 0 : 1;
}

static int cmd_list(int argc, char **argv)
{
	struct opts o;
	struct report rep = { 0, 0, NULL, NULL, 0, 0 };
	struct policy_text *pol;
	struct user u;
	size_t shown = 0;

	options(&argc, &argv, OPT_FILE | OPT_JSON, &o);
	if (argc != 1)
		usage();
	user_load(argv[0], &u);
	/* The rules as written: compiling proves the policy usable. */
	policy_free(compiled_or_die(o.file));
	pol = load(o.file, 0, &rep);
	if (json) {
		printf("{");
		json_kv(1, "user", u.pc.user);
		printf(", \"uid\": %u, \"rules\": [", (unsigned)u.pc.uid);
	}
	for (size_t i = 0; i < policy_text_count(pol); i++) {
		const struct policy_rule *r = policy_rule_at(pol, i);

		if (!policy_subject_covers(&r->subject, r->allow, &u.pc))
			continue;
		if (json) {
			printf("%s", shown ? ", " : "");
			json_rule(r->file, r->line, r->text);
		} else {
			printf("%s:%u: %s\n", r->file, r->line, r->text);
		}
		shown++;
	}
	if (json)
		printf("]}\n");
	else if (shown == 0)
		printf("no rule applies to %s: every request is denied\n", u.name);
	policy_text_free(pol);
	user_free(&u);
	return 0;
}

/* --- compile: the cache that keeps large policies cheap ------------------- */

/* Compiles the live policy into its cache, or removes the cache when the
 * policy is invalid.  Returns 0 or 1. */
static int compile_live(void)
{
	struct report rep = { 0, 0, NULL, NULL, 0, 0 };
	struct policy_text *pol = load(NULL, 0, &rep);
	char dir[PATH_MAX];
	const char *why = NULL;
	size_t n = policy_text_count(pol);
	int rc = 0;

	snprintf(dir, sizeof dir, "%s", OPENFILE_POLICY_CACHE);
	*strrchr(dir, '/') = '\0';
	if (rep.errors) {
		unlink(OPENFILE_POLICY_CACHE);
		fprintf(stderr, "%s: the policy is invalid: not compiled (the helper denies every request)\n",
			prog);
		rc = 1;
	} else if ((mkdir(dir, 0755) < 0 && errno != EEXIST) ||
		   policy_compile_write(pol, OPENFILE_POLICY_CACHE, &why) < 0) {
		fprintf(stderr, "%s: cannot write %s: %s\n", prog,
			OPENFILE_POLICY_CACHE, why ? why : strerror(errno));
		unlink(OPENFILE_POLICY_CACHE);
		rc = 1;
	} else {
		printf("%s: compiled %zu rule%s into %s\n", OPENFILE_POLICY_PATH, n,
		       n == 1 ? "" : "s", OPENFILE_POLICY_CACHE);
	}
	policy_text_free(pol);
	return rc;
}

static int cmd_compile(int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		usage();
	return compile_live();
}

/* Whether path is, or would be, one of the live policy's files, as far as
 * the live policy as it is can tell. */
static int is_live(const char *path)
{
	struct policy_text *pt = policy_text_new();
	struct policy *pol = NULL;
	size_t dl = strlen(OPENFILE_POLICY_DIR);
	const char *why;
	int live;

	if (pt == NULL)
		die("out of memory");
	live = strcmp(path, OPENFILE_POLICY_PATH) == 0 ||
	       (strncmp(path, OPENFILE_POLICY_DIR "/", dl + 1) == 0 &&
		strchr(path + dl + 1, '/') == NULL);
	if (!live && policy_load(pt, OPENFILE_POLICY_PATH, OPENFILE_POLICY_DIR,
				 POLICY_LOAD_SECURE, NULL, NULL) == 0)
		pol = policy_text_compiled(pt, &why);
	live |= pol != NULL && policy_reads(pol, path);
	policy_free(pol);
	policy_text_free(pt);
	return live;
}

/* --- edit: the visudo workflow -------------------------------------------- */

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/*
 * What an edit leaves beside the file until it ends, removed on every way
 * out (at exit too, for die()): the lock, and the temporary copy until
 * edit_file has decided about it.  Empty: none.
 */
static char lock_path[PATH_MAX], tmp_path[PATH_MAX];

static void remove_leftovers(void)
{
	if (tmp_path[0] != '\0')
		unlink(tmp_path);
	if (lock_path[0] != '\0')
		unlink(lock_path);
	tmp_path[0] = lock_path[0] = '\0';
}

/* SIGINT, SIGTERM or SIGHUP, the last caught during an edit: the edit
 * ends there, nothing installed, and the tool as the signal would end it,
 * once it has cleaned up and compiled as any edit does. */
static volatile sig_atomic_t caught;
static const int edit_signals[] = { SIGINT, SIGTERM, SIGHUP };

static void on_signal(int sig)
{
	caught = sig;
}

/*
 * Runs $VISUAL, $EDITOR or vi on path.  Returns its exit status.  A
 * SIGTERM or SIGHUP meanwhile is passed on to it.  A SIGINT is the
 * editor's, as with system(3): typed at the terminal, it reached the
 * editor too, which may take it as a key (vi does); only if it ended the
 * editor does it end the edit.
 */
static int run_editor(const char *path)
{
	const char *ed = getenv("VISUAL");
	pid_t pid;
	int st;

	if (ed == NULL || *ed == '\0')
		ed = getenv("EDITOR");
	if (ed == NULL || *ed == '\0')
		ed = "vi";
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		/* Through the shell, so EDITOR may carry arguments. */
		execl("/bin/sh", "sh", "-c", "exec $0 \"$1\"", ed, path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			die("waitpid: %s", strerror(errno));
		if (caught == SIGTERM || caught == SIGHUP)
			kill(pid, caught);
	}
	if (caught == SIGINT && !WIFSIGNALED(st))
		caught = 0;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Asks what to do about an invalid edit: 'e', 'x' or 'Q'.  Without a
 * terminal to ask, the edit is discarded. */
static int ask(void)
{
	char line[64];
	FILE *tty = fopen("/dev/tty", "r+");

	if (tty == NULL)
		return 'x';
	for (;;) {
		fprintf(tty, "What now? (e)dit again, e(x)it without saving, (Q)uit and save anyway: ");
		fflush(tty);
		if (fgets(line, sizeof line, tty) == NULL) {
			fclose(tty);
			return 'x';
		}
		if (line[0] == 'e' || line[0] == 'x' || line[0] == 'Q') {
			fclose(tty);
			return line[0];
		}
	}
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Prints a message about the edit and gives the exit status. */
static int edit_fail(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int edit_fail(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	return status;
}

/*
 * Takes the lock beside target: a regular file of ours, never followed,
 * removed when the edit ends.  Since its holder removes it, the lock is
 * held only if the name still leads to the file locked once the lock is
 * taken; else its holder removed it meanwhile, and it is taken anew.
 */
static int edit_lock(const char *dir, const char *base, const char *target)
{
	char lockpath[PATH_MAX];
	struct stat st, now;
	int lock;

	/* A truncated name would be another file's lock. */
	if (snprintf(lockpath, sizeof lockpath, "%s/.%s.lock", dir, base) >=
	    (int)sizeof lockpath)
		die("%s: the name is too long for a lock beside it", target);
	for (int tries = 0;; tries++) {
		lock = open(lockpath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (lock < 0)
			die("cannot create the lock %s: %s", lockpath, strerror(errno));
		if (fstat(lock, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid())
			die("%s is not a lock file of yours: remove it", lockpath);
		if (flock(lock, LOCK_EX | LOCK_NB) < 0 || tries == 8)
			die("%s is being edited by someone else (%s is locked); try again later",
			    target, lockpath);
		if (lstat(lockpath, &now) == 0 && now.st_dev == st.st_dev &&
		    now.st_ino == st.st_ino)
			break;
		close(lock);
	}
	memcpy(lock_path, lockpath, sizeof lock_path);
	return lock;
}

/* The edit itself, once the lock is held.  Returns the exit status. */
static int edit_file(const char *target, const char *dir, const char *base)
{
	char tmp[PATH_MAX];
	const char *why = NULL;
	struct stat before, now;
	size_t oldlen = 0, newlen;
	char *old = NULL, *new;
	int fd, tfd, exists, rc;
	mode_t mode = 0644;
	gid_t group = 0;

	fd = open(target, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	exists = fd >= 0;
	if (!exists && errno != ENOENT)
		return edit_fail(2, "cannot read %s: %s", target, strerror(errno));
	if (exists) {
		if (fstat(fd, &before) < 0 || !S_ISREG(before.st_mode))
			return edit_fail(2, "%s is not a regular file", target);
		mode = before.st_mode & 0644;
		group = before.st_gid;
		old = policy_read_all(fd, &oldlen, &why);
		close(fd);
		if (old == NULL)
			return edit_fail(2, "cannot read %s: %s", target, why);
	}
	if (snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, base) >=
	    (int)sizeof tmp) {
		rc = edit_fail(2, "%s: the name is too long for a copy beside it",
			       target);
		goto out_old;
	}
	tfd = mkstemp(tmp);
	if (tfd >= 0)
		memcpy(tmp_path, tmp, sizeof tmp_path);
	if (tfd < 0) {
		rc = edit_fail(2, "cannot create a temporary file in %s: %s", dir,
			       strerror(errno));
		goto out_old;
	}
	if ((old != NULL && write_all(tfd, old, oldlen) < 0) || fsync(tfd) < 0) {
		unlink(tmp);
		rc = edit_fail(2, "cannot write %s: %s", tmp, strerror(errno));
		goto out_old;
	}
	for (;;) {
		struct report rep = { 0, 0, tmp, target, 0, 0 };
		struct policy_text *pol;

		if (caught || (rc = run_editor(tmp)) != 0 || caught) {
			unlink(tmp);
			rc = caught ? edit_fail(1, "%s; %s is unchanged", strsignal(caught), target) :
				      edit_fail(2, "the editor exited with status %d; %s is unchanged",
						rc, target);
			goto out_old;
		}
		/* Editors often replace the file: read it back by name. */
		close(tfd);
		tfd = open(tmp, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		if (tfd < 0 || (new = policy_read_all(tfd, &newlen, &why)) == NULL) {
			unlink(tmp);
			rc = edit_fail(2, "cannot read back %s", tmp);
			goto out_old;
		}
		if (exists && newlen == oldlen && memcmp(new, old, oldlen) == 0) {
			unlink(tmp);
			printf("%s: no changes\n", target);
			free(new);
			rc = 0;
			goto out_old;
		}
		pol = policy_text_new();
		policy_parse(pol, target, new, newlen, 0, on_error, &rep);
		policy_text_free(pol);
		free(new);
		if (rep.errors == 0)
			break;
		rc = caught ? 'x' : ask();
		if (rc == 'e')
			continue;
		if (rc != 'Q') {
			unlink(tmp);
			rc = edit_fail(1, "%s is unchanged", target);
			goto out_old;
		}
		fprintf(stderr, "%s: WARNING: installing a policy with errors: the helper denies every request until it is fixed\n",
			prog);
		break;
	}
	if (caught) {
		unlink(tmp);
		rc = edit_fail(1, "%s; %s is unchanged", strsignal(caught), target);
		goto out_old;
	}
	/* Someone may have changed it without this tool meanwhile. */
	if (exists ? (lstat(target, &now) < 0 || !same_file(&before, &now)) :
		     lstat(target, &now) == 0) {
		rc = edit_fail(1, "%s was changed by someone else while you edited it; nothing installed.\n"
			       "Your version is in %s: merge it by hand and run this again.",
			       target, tmp);
		goto out_old;
	}
	if ((getuid() == 0 && fchown(tfd, 0, group) < 0) || fchmod(tfd, mode) < 0 ||
	    fsync(tfd) < 0 || rename(tmp, target) < 0) {
		rc = edit_fail(1, "cannot install %s: %s; your version is in %s",
			       target, strerror(errno), tmp);
		goto out_old;
	}
	close(tfd);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	printf("%s: installed\n", target);
	rc = 0;
out_old:
	/* Removed, installed, or kept for the administrator to merge. */
	tmp_path[0] = '\0';
	free(old);
	return rc;
}

static int cmd_edit(int argc, char **argv)
{
	const char *target = argc > 0 ? argv[0] : OPENFILE_POLICY_PATH;
	char dir[PATH_MAX], abs[PATH_MAX];
	const char *base;
	int lock, rc;

	if (argc > 1)
		usage();
	target = absolute(target, abs);
	base = strrchr(target, '/') + 1;
	snprintf(dir, sizeof dir, "%.*s", (int)(base - target - 1), target);
	if (dir[0] == '\0')
		strcpy(dir, "/");
	/* One editor at a time: a lock beside the file, never read as policy. */
	atexit(remove_leftovers);
	for (size_t i = 0; i < 3; i++) {
		/* No SA_RESTART: the wait for the editor, or for an answer at
		 * the terminal, must hear of it. */
		struct sigaction sa = { .sa_handler = on_signal };

		sigaction(edit_signals[i], &sa, NULL);
	}
	lock = edit_lock(dir, base, target);
	rc = edit_file(target, dir, base);
	/* The lock goes while still held; its removal, like the temporary's
	 * and the lock's making, touched the directory: keep the compiled
	 * policy in step with the live policy as it now is. */
	remove_leftovers();
	if (is_live(target)) {
		int c = compile_live();

		rc = rc ? rc : c;
	}
	close(lock);
	if (caught) {
		signal(caught, SIG_DFL);
		raise(caught);
	}
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		usage_to(0);
	if (strcmp(argv[1], "--version") == 0) {
		printf("openfile-policy (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 2, argv + 2);
	if (strcmp(argv[1], "test") == 0)
		return cmd_test(argc - 2, argv + 2);
	if (strcmp(argv[1], "list") == 0)
		return cmd_list(argc - 2, argv + 2);
	if (strcmp(argv[1], "edit") == 0)
		return cmd_edit(argc - 2, argv + 2);
	if (strcmp(argv[1], "compile") == 0)
		return cmd_compile(argc - 2, argv + 2);
	usage();
}

/* SPDX-License-Identifier: ISC */
/*
 * load.c - reading policy files, checked as the engine checks them
 * (secure-open.h) before a byte is parsed: includes and drop-ins, and the
 * files and directories the policy was read from, for the compiled policy
 * to watch.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text-int.h"

#define INCLUDE_DEPTH_MAX 8
#define POLICY_FILE_MAX (64u << 20)

struct file_id {
	dev_t dev;
	ino_t ino;
	int open; /* still being read: including it again is a loop */
};

struct loader {
	struct file_id *ids;
	size_t nids;
	unsigned depth;
};

struct policy_text *policy_text_new(void)
{
	return calloc(1, sizeof(struct policy_text));
}

void policy_text_free(struct policy_text *pol)
{
	if (pol == NULL)
		return;
	for (size_t i = 0; i < pol->nrules; i++) {
		free((char *)pol->rules[i].subject.name);
		free(pol->rules[i].text);
		pattern_free(&pol->rules[i].pat);
	}
	for (size_t i = 0; i < pol->nfiles; i++)
		free(pol->files[i]);
	for (size_t i = 0; i < pol->nsources; i++)
		free(pol->sources[i].path);
	free(pol->sources);
	free(pol->files);
	free(pol->rules);
	free(pol);
}

size_t policy_text_count(const struct policy_text *pol)
{
	return pol->nrules;
}

const struct policy_rule *policy_rule_at(const struct policy_text *pol, size_t i)
{
	return i < pol->nrules ? &pol->rules[i] : NULL;
}

const char *policy_intern_file(struct policy_text *pol, const char *name)
{
	char **nf, *copy;

	for (size_t i = 0; i < pol->nfiles; i++)
		if (strcmp(pol->files[i], name) == 0)
			return pol->files[i];
	copy = strdup(name);
	nf = realloc(pol->files, (pol->nfiles + 1) * sizeof *nf);
	if (copy == NULL || nf == NULL) {
		free(copy);
		if (nf != NULL)
			pol->files = nf;
		return NULL;
	}
	pol->files = nf;
	pol->files[pol->nfiles++] = copy;
	return copy;
}

static void diagf(policy_diag_fn *diag, void *ctx, const char *file,
		  unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void diagf(policy_diag_fn *diag, void *ctx, const char *file,
		  unsigned line, unsigned col, const char *fmt, ...)
{
	char msg[PATH_MAX + 256];
	va_list ap;

	if (diag == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag(ctx, file, line, col, msg);
}

/* Remembers what the policy was read from, for a cache to be checked
 * against.  A failure only makes the policy uncacheable. */
static void add_source(struct policy_text *pol, const char *path, int kind,
		       const struct stat *st)
{
	struct policy_source *ns, *src;

	ns = realloc(pol->sources, (pol->nsources + 1) * sizeof *ns);
	if (ns == NULL) {
		pol->uncacheable = 1;
		return;
	}
	pol->sources = ns;
	src = &ns[pol->nsources];
	memset(src, 0, sizeof *src);
	if ((src->path = strdup(path)) == NULL) {
		pol->uncacheable = 1;
		return;
	}
	src->kind = kind;
	if (st != NULL) {
		src->dev = st->st_dev;
		src->ino = st->st_ino;
		src->size = st->st_size;
		src->mtime = st->st_mtim;
		src->ctime = st->st_ctim;
	}
	pol->nsources++;
}

/* Records a directory a glob reads, whose changes a cache must see. */
static void add_glob_dir(struct policy_text *pol, const char *dir, unsigned flags)
{
	char whypath[PATH_MAX];
	const char *why;
	struct stat st;
	int fd = policy_open_checked(pol->walk, dir, flags, 1, &why, whypath, sizeof whypath);

	if (fd >= 0 && fstat(fd, &st) == 0) {
		add_source(pol, dir, SRC_DIR, &st);
	} else if (fd < 0 && errno == ENOENT && lstat(dir, &st) < 0 && errno == ENOENT) {
		add_source(pol, dir, SRC_ABSENT, NULL);
	} else {
		pol->uncacheable = 1;
		add_source(pol, dir, SRC_DIR, NULL);
	}
	if (fd >= 0)
		close(fd);
}

/* Records the directories a glob pattern reads: the one its last '/'
 * ends, or, where wildcards come before that, the one before the first
 * of them and every directory each level after matches, which a cache
 * cannot watch (not knowing which will match) but openfiled can. */
static void add_glob_dirs(struct policy_text *pol, const char *pattern,
			  unsigned flags)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(pattern, '/'), *wild;
	size_t lit;

	snprintf(dir, sizeof dir, "%.*s", slash == pattern ? 1 : (int)(slash - pattern),
		 pattern);
	if ((wild = strpbrk(dir, "*?[")) == NULL) {
		add_glob_dir(pol, dir, flags);
		return;
	}
	pol->uncacheable = 1;
	for (lit = (size_t)(wild - dir); dir[lit] != '/';)
		lit--;
	dir[lit] = '\0';
	add_source(pol, lit == 0 ? "/" : dir, SRC_DIR, NULL);
	dir[lit] = '/';
	for (char *e = dir + lit; e != NULL;) {
		glob_t g;

		e = strchr(e + 1, '/');
		if (e != NULL)
			*e = '\0';
		if (glob(dir, GLOB_NOESCAPE | GLOB_ONLYDIR, NULL, &g) == 0) {
			for (size_t i = 0; i < g.gl_pathc; i++)
				add_source(pol, g.gl_pathv[i], SRC_DIR, NULL);
			globfree(&g);
		}
		if (e != NULL)
			*e = '/';
	}
}

char *policy_read_all(int fd, size_t *len, const char **why)
{
	size_t cap = 8192, n = 0;
	char *buf = malloc(cap), *nb;

	while (buf != NULL) {
		ssize_t r;

		if (n == cap) {
			if (cap >= POLICY_FILE_MAX) {
				*why = "is larger than 64 MiB";
				break;
			}
			cap *= 2;
			if ((nb = realloc(buf, cap)) == NULL)
				break;
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r == 0) {
			*len = n;
			return buf;
		}
		if (r < 0 && errno != EINTR) {
			*why = strerror(errno);
			break;
		}
		if (r > 0)
			n += (size_t)r;
	}
	if (buf == NULL)
		*why = "out of memory";
	free(buf);
	return NULL;
}

/* Remembers a file by inode.  Returns 1 when it must be read now, 0 when it
 * was read before, -1 on a loop or no memory (with *why). */
static int note_file(struct loader *ld, const struct stat *st, size_t *slot,
		     const char **why)
{
	struct file_id *ni;

	for (size_t i = 0; i < ld->nids; i++) {
		if (ld->ids[i].dev == st->st_dev && ld->ids[i].ino == st->st_ino) {
			if (ld->ids[i].open) {
				*why = "includes itself (include loop)";
				return -1;
			}
			return 0;
		}
	}
	ni = realloc(ld->ids, (ld->nids + 1) * sizeof *ni);
	if (ni == NULL) {
		*why = "out of memory";
		return -1;
	}
	ld->ids = ni;
	ni[ld->nids].dev = st->st_dev;
	ni[ld->nids].ino = st->st_ino;
	ni[ld->nids].open = 1;
	*slot = ld->nids++;
	return 1;
}

/*
 * Reads and parses one file.  from/line/col name the include line, or are
 * NULL/0 for a top-level file.  Returns 0 or -1 (after reporting).
 */
static int load_file(struct policy_text *pol, const char *path, unsigned flags,
		     policy_diag_fn *diag, void *ctx, const char *from,
		     unsigned line, unsigned col)
{
	char whypath[PATH_MAX];
	const char *why = NULL, *name;
	struct stat st;
	size_t len, slot = 0;
	char *buf = NULL;
	int fd, rc = -1, fresh;

	whypath[0] = '\0';
	if (pol->ld->depth >= INCLUDE_DEPTH_MAX) {
		why = "is nested too deeply (at most 8 files, each including the next)";
		goto report;
	}
	fd = policy_open_checked(pol->walk, path, flags, 0, &why, whypath, sizeof whypath);
	if (fd < 0)
		goto report;
	if (fstat(fd, &st) < 0) {
		why = strerror(errno);
		close(fd);
		goto report;
	}
	fresh = note_file(pol->ld, &st, &slot, &why);
	if (fresh <= 0) {
		close(fd);
		if (fresh == 0)
			return 0;
		goto report;
	}
	buf = policy_read_all(fd, &len, &why);
	close(fd);
	if (buf == NULL)
		goto report;
	add_source(pol, path, SRC_FILE, &st);
	if ((name = policy_intern_file(pol, path)) == NULL) {
		why = "out of memory";
		goto report;
	}
	pol->ld->depth++;
	rc = parse_text(pol, name, buf, len, flags, diag, ctx);
	pol->ld->depth--;
	pol->ld->ids[slot].open = 0;
	free(buf);
	return rc;
report:
	free(buf);
	/* Where to look for the fix. */
	add_source(pol, path, SRC_UNREAD, NULL);
	if (whypath[0] != '\0' && strcmp(whypath, path) != 0)
		diagf(diag, ctx, from ? from : path, line, col,
		      "refusing policy %s: %s %s", path, whypath, why);
	else if (from != NULL && line != 0)
		diagf(diag, ctx, from, line, col, "cannot include %s: %s",
		      path, why);
	else
		diagf(diag, ctx, path, 0, 0, "refusing policy: %s %s", path,
		      why);
	return -1;
}

/* A drop-in directory that does not exist is empty; other errors count. */
static int glob_error(const char *path, int err)
{
	(void)path;
	return err != ENOENT && err != ENOTDIR;
}

/* Names that editors and package managers leave behind are not policy. */
static int skip_name(const char *path)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strlen(b);
	return b[0] == '.' || n == 0 || b[n - 1] == '~' ||
	       strstr(b, ".dpkg-") != NULL || strstr(b, ".rpm") != NULL ||
	       strstr(b, ".ucf-") != NULL;
}

int load_include(struct policy_text *pol, const char *pattern, const char *file,
		 unsigned line, unsigned col, unsigned flags,
		 policy_diag_fn *diag, void *ctx)
{
	glob_t g;
	int rc = 0, grc;

	if (pattern[0] != '/') {
		diagf(diag, ctx, file, line, col,
		      "include needs an absolute path, not '%s'", pattern);
		return -1;
	}
	if (strpbrk(pattern, "*?[") == NULL)
		return load_file(pol, pattern, flags, diag, ctx, file, line, col);
	add_glob_dirs(pol, pattern, flags);
	grc = glob(pattern, GLOB_NOESCAPE, glob_error, &g);
	if (grc == GLOB_NOMATCH)
		return 0; /* an empty drop-in directory is fine */
	if (grc != 0) {
		diagf(diag, ctx, file, line, col, "cannot read %s: %s", pattern,
		      grc == GLOB_NOSPACE ? "out of memory" : "read error");
		return -1;
	}
	for (size_t i = 0; i < g.gl_pathc; i++)
		if (!skip_name(g.gl_pathv[i]) &&
		    load_file(pol, g.gl_pathv[i], flags, diag, ctx, file, line,
			      col) < 0)
			rc = -1;
	globfree(&g);
	return rc;
}

/* A load's state, from begin to end: the files read (for include loops)
 * and the directories walked. */
static void load_begin(struct policy_text *pol, struct loader *ld,
		       struct policy_walk *w)
{
	*ld = (struct loader){ NULL, 0, 0 };
	w->n = 0;
	pol->walk = w;
	pol->ld = ld;
}

static int load_end(struct policy_text *pol, int rc)
{
	policy_walk_end(pol->walk);
	free(pol->ld->ids);
	pol->ld = NULL;
	pol->walk = NULL;
	pol->failed |= rc < 0;
	return rc;
}

int policy_parse(struct policy_text *pol, const char *name, const char *buf,
		 size_t len, unsigned flags, policy_diag_fn *diag, void *ctx)
{
	struct loader ld;
	struct policy_walk w;
	const char *n;
	int rc = -1;

	load_begin(pol, &ld, &w);
	if ((n = policy_intern_file(pol, name)) != NULL)
		rc = parse_text(pol, n, buf, len, flags, diag, ctx);
	return load_end(pol, rc);
}

int policy_load(struct policy_text *pol, const char *path, const char *dropin_dir,
		unsigned flags, policy_diag_fn *diag, void *ctx)
{
	struct loader ld;
	struct policy_walk w;
	int rc;

	load_begin(pol, &ld, &w);
	rc = load_file(pol, path, flags, diag, ctx, NULL, 0, 0);
	if (dropin_dir != NULL) {
		char pat[PATH_MAX];

		if ((size_t)snprintf(pat, sizeof pat, "%s/*.conf", dropin_dir) >=
		    sizeof pat) {
			diagf(diag, ctx, dropin_dir, 0, 0, "drop-in directory name too long");
			rc = -1;
		} else if (load_include(pol, pat, path, 0, 0, flags, diag,
					ctx) < 0) {
			rc = -1;
		}
	}
	return load_end(pol, rc);
}

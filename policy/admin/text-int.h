/* SPDX-License-Identifier: ISC */
/* text-int.h - what the files of the policy's text share: the loader, the
 * parser and the compiler. */
#ifndef OPENFILE_POLICY_TEXT_INT_H
#define OPENFILE_POLICY_TEXT_INT_H

#include <sys/types.h>
#include <time.h>

#include "format.h"
#include "policy-text.h"
#include "secure-open.h"

/* Everything loading needs while files include each other. */
struct loader;

/* A file the policy names but that could not be read (missing, unsafe):
 * the policy failed. */
#define SRC_UNREAD (SRC_ABSENT + 1)

/* A file or directory the policy was read from, as it was then (the
 * identity only where the compiled policy can watch it). */
struct policy_source {
	char *path;
	int kind; /* enum img_source_kind, or SRC_UNREAD */
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
};

struct policy_text {
	struct policy_rule *rules;
	size_t nrules, cap;
	char **files; /* names of the files read, for the rules' file */
	size_t nfiles;
	struct loader *ld; /* set while loading */
	struct policy_source *sources;
	size_t nsources;
	int uncacheable; /* read from somewhere a compiled policy cannot watch */
	int failed;      /* something was wrong: it must deny everything */
	struct policy_walk *walk; /* set while loading */
};

/* Parses one file's text; name must already be owned by pt. */
int parse_text(struct policy_text *pt, const char *name, const char *buf,
	       size_t len, unsigned flags, policy_diag_fn *diag, void *ctx);

/* Follows an include line.  Returns 0, or -1 after reporting. */
int load_include(struct policy_text *pt, const char *pattern, const char *file,
		 unsigned line, unsigned col, unsigned flags,
		 policy_diag_fn *diag, void *ctx);

/* Keeps a copy of a file name for the lifetime of pt.  NULL on ENOMEM. */
const char *policy_intern_file(struct policy_text *pt, const char *name);

#endif /* OPENFILE_POLICY_TEXT_INT_H */

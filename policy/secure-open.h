/*
 * secure-open.h - opening the policy's files (the compiled policy, the
 * files it was compiled from) only when they and every directory above
 * them are root's and nobody else can change them, checked on the
 * descriptors opened, so nothing can be swapped between check and use.
 */
#ifndef OPENFILE_POLICY_SECURE_OPEN_H
#define OPENFILE_POLICY_SECURE_OPEN_H

#include <limits.h>
#include <stddef.h>

/* The directories a secure open has checked, from "/" down the last path
 * opened, kept open: the next file below them (the policy, its drop-in
 * directory, each drop-in, the compiled policy: all under one prefix) is
 * not walked to again.  Each is checked again (fstat) for each path that
 * passes through it; only the lookups are saved.  No one but root can
 * rename entries in a directory that passed, so its descriptor reaches
 * what a new lookup of its name would. */
#define WALK_DEPTH 32
struct policy_walk {
	int fd[WALK_DEPTH]; /* fd[0] is "/"; n == 0: nothing checked yet */
	size_t end[WALK_DEPTH]; /* directory i is path[0..end[i]) */
	char path[PATH_MAX];
	unsigned n;
};

/* Closes what w keeps; it may be used again. */
void policy_walk_end(struct policy_walk *w);

/* Opens a policy file (dir: a directory, O_PATH) for reading: with
 * POLICY_LOAD_SECURE in flags, through w (NULL: a walk of its own) with
 * the checks above, else plainly.  Returns the descriptor, or -1 with
 * *why and maybe whypath (the path refused, when not path itself) set;
 * errno ENOENT when it does not exist. */
int policy_open_checked(struct policy_walk *w, const char *path,
			unsigned flags, int dir, const char **why,
			char *whypath, size_t wplen);

#endif /* OPENFILE_POLICY_SECURE_OPEN_H */

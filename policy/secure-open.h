/* SPDX-License-Identifier: ISC */
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

/* The directory a secure open last walked to and checked, kept open: the
 * next file in it (each drop-in, each file the compiled policy was
 * compiled from) is not walked to again, only that directory checked
 * again (fstat).  No one but root can rename entries in the directories
 * that passed, so its descriptor reaches what a new walk would. */
struct policy_walk {
	int fd;
	size_t n; /* its path is dir[0..n), with a final '/'; 0: none */
	char dir[PATH_MAX];
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

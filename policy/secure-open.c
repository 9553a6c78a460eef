/* SPDX-License-Identifier: ISC */
/*
 * secure-open.c - the checks on the policy's files before a byte of them
 * is read (secure-open.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy.h"
#include "secure-open.h"

/* Why a policy file (or, dir, a directory above one or that it reads) is
 * unsafe, or NULL: it must be root's and nobody else may change it or
 * rename entries in it (a root-owned sticky directory such as /tmp is
 * safe to pass through).  Not secure: only its type counts. */
static const char *unsafe(const struct stat *st, int dir, int secure)
{
	if (dir ? !S_ISDIR(st->st_mode) : !S_ISREG(st->st_mode))
		return dir ? "is not a directory" : "is not a regular file";
	if (secure && st->st_uid != 0)
		return "is not owned by root";
	if (secure && (st->st_mode & (S_IWGRP | S_IWOTH)) &&
	    !(dir && (st->st_mode & S_ISVTX)))
		return "is writable by group or others";
	return NULL;
}

/* Opens name in the directory at (dir: as a directory, O_PATH; else a
 * file, to read) and checks what it opened.  Returns the descriptor, or
 * -1 with *why. */
static int open_at(int at, const char *name, int dir, int secure,
		   const char **why)
{
	struct stat st;
	int fd = openat(at, name, (dir ? O_PATH | O_DIRECTORY : O_RDONLY | O_NONBLOCK | O_NOCTTY) |
				  (secure ? O_NOFOLLOW : 0) | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0)
		*why = errno == ELOOP ? "is a symbolic link" :
		       errno == ENOTDIR ? "is not a directory" : strerror(errno);
	else if ((*why = unsafe(&st, dir, secure)) == NULL)
		return fd;
	if (fd >= 0)
		close(fd);
	return -1;
}

void policy_walk_end(struct policy_walk *w)
{
	if (w->n > 0)
		close(w->fd);
	w->n = 0;
}

/* Whether name is a component of a canonical path; else why not. */
static int comp_ok(const char *name, const char **why)
{
	*why = "is not a canonical absolute path";
	return name[0] != '\0' && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

/*
 * Opens path for reading, walking down from "/" one component at a time
 * without following symbolic links and checking each directory on the
 * descriptor it opened, so nothing can be swapped between check and use.
 * The last directory is kept in w for the next path.
 */
static int open_secure(struct policy_walk *w, const char *path, int dir,
		       const char **why, char *whypath, size_t wplen)
{
	char buf[PATH_MAX], *p, *e;
	size_t n = strlen(path);
	struct stat st;
	int fd;

	if (path[0] != '/' || n >= sizeof buf) {
		*why = "is not a canonical absolute path";
		return -1;
	}
	memcpy(buf, path, n + 1);
	n = (size_t)(strrchr(path, '/') - path) + 1;
	if (w->n == n && memcmp(w->dir, path, n) == 0) {
		/* Checked again for this path, as a new walk would. */
		snprintf(whypath, wplen, "%.*s", (int)(n > 1 ? n - 1 : 1), path);
		if (fstat(w->fd, &st) < 0 || (*why = unsafe(&st, 1, 1)) != NULL)
			return -1;
	} else {
		policy_walk_end(w);
		snprintf(whypath, wplen, "/");
		fd = open_at(AT_FDCWD, "/", 1, 1, why);
		for (p = buf + 1; fd >= 0 && (e = strchr(p, '/')) != NULL; p = e + 1) {
			int at = fd;

			*e = '\0';
			snprintf(whypath, wplen, "%s", buf);
			fd = comp_ok(p, why) ? open_at(at, p, 1, 1, why) : -1;
			*e = '/';
			close(at);
		}
		if (fd < 0)
			return -1;
		w->fd = fd;
		memcpy(w->dir, path, n);
		w->n = n;
	}
	whypath[0] = '\0';
	return comp_ok(buf + n, why) ? open_at(w->fd, buf + n, dir, 1, why) : -1;
}

int policy_open_checked(struct policy_walk *w, const char *path,
			unsigned flags, int dir, const char **why,
			char *whypath, size_t wplen)
{
	struct policy_walk own = { .n = 0 };
	int fd;

	whypath[0] = '\0';
	if (!(flags & POLICY_LOAD_SECURE))
		return open_at(AT_FDCWD, path, dir, 0, why);
	fd = open_secure(w != NULL ? w : &own, path, dir, why, whypath, wplen);
	policy_walk_end(&own);
	return fd;
}

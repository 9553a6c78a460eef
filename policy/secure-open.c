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

/* Owner and mode rules for a directory above a policy file: root's, and
 * nobody else may rename entries in it (a root-owned sticky directory such
 * as /tmp is safe to pass through).  NULL when safe, else why not. */
static const char *dir_unsafe(const struct stat *st)
{
	if (!S_ISDIR(st->st_mode))
		return "is not a directory";
	if (st->st_uid != 0)
		return "is not owned by root";
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) && !(st->st_mode & S_ISVTX))
		return "is writable by group or others";
	return NULL;
}

static const char *file_unsafe(const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		return "is not a regular file";
	if (st->st_uid != 0)
		return "is not owned by root";
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return "is writable by group or others";
	return NULL;
}

/* Forgets the directories below the first keep. */
static void walk_truncate(struct policy_walk *w, unsigned keep)
{
	while (w->n > keep)
		close(w->fd[--w->n]);
}

/* Whether directory i of w is path's prefix up to e. */
static int walk_has(const struct policy_walk *w, unsigned i, const char *path,
		    const char *e)
{
	return w->end[i] == (size_t)(e - path) &&
	       memcmp(w->path, path, w->end[i]) == 0;
}

/*
 * Opens path for reading, walking down from "/" one component at a time
 * without following symbolic links and checking each directory on the
 * descriptor it opened, so nothing can be swapped between check and use.
 * The directories checked are kept in w for the next path.  Returns the
 * descriptor, or -1 with *why (and *whypath) set.
 */
static int open_secure(struct policy_walk *w, const char *path, int dir,
		       const char **why, char *whypath, size_t wplen)
{
	struct stat st;
	const char *p = path;
	unsigned d = 0; /* w->fd[d] is where we stand, unless own >= 0 */
	int own = -1, fd;

	snprintf(whypath, wplen, "/");
	if (w->n == 0) {
		if ((fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
			goto sysfail;
		w->fd[0] = fd;
		w->end[0] = 0;
		w->n = 1;
	}
	/* "/" too is checked for each path, kept or new. */
	if (fstat(w->fd[0], &st) < 0)
		goto sysfail;
	if ((*why = dir_unsafe(&st)) != NULL)
		goto fail;
	for (;;) {
		char comp[NAME_MAX + 1];
		const char *e;
		size_t len;

		while (*p == '/')
			p++;
		e = strchrnul(p, '/');
		len = (size_t)(e - p);
		snprintf(whypath, wplen, "%.*s", (int)(e - path), path);
		if (len == 0 || len > NAME_MAX || (len == 1 && p[0] == '.') ||
		    (len == 2 && p[0] == '.' && p[1] == '.')) {
			*why = "is not a canonical absolute path";
			goto fail;
		}
		memcpy(comp, p, len);
		comp[len] = '\0';
		if (*e == '\0')
			break;
		if (own < 0 && d + 1 < w->n && walk_has(w, d + 1, path, e)) {
			/* Checked again for this path, as a new walk would. */
			if (fstat(w->fd[d + 1], &st) < 0)
				goto sysfail;
			if ((*why = dir_unsafe(&st)) != NULL)
				goto fail;
			d++;
			p = e;
			continue;
		}
		fd = openat(own >= 0 ? own : w->fd[d], comp,
			    O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			goto sysfail;
		if (fstat(fd, &st) < 0) {
			close(fd);
			goto sysfail;
		}
		if ((*why = dir_unsafe(&st)) != NULL) {
			close(fd);
			goto fail;
		}
		if (own < 0 && d + 1 < WALK_DEPTH && (size_t)(e - path) < sizeof w->path) {
			/* Below d, w now holds this path's directories. */
			walk_truncate(w, d + 1);
			memcpy(w->path, path, (size_t)(e - path));
			w->fd[w->n] = fd;
			w->end[w->n++] = (size_t)(e - path);
			d++;
		} else {
			if (own >= 0)
				close(own);
			own = fd;
		}
		p = e;
	}
	fd = openat(own >= 0 ? own : w->fd[d], p,
		    dir ? O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC :
			  O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		goto sysfail;
	if (own >= 0)
		close(own);
	if (fstat(fd, &st) < 0)
		*why = strerror(errno);
	else
		*why = dir ? dir_unsafe(&st) : file_unsafe(&st);
	if (*why != NULL) {
		close(fd);
		return -1;
	}
	return fd;
sysfail:
	*why = errno == ELOOP ? "is a symbolic link" :
	       errno == ENOTDIR ? "is not a directory" : strerror(errno);
fail:
	if (own >= 0)
		close(own);
	return -1;
}

static int open_plain(const char *path, int dir, const char **why)
{
	struct stat st;
	int fd = open(path, dir ? O_PATH | O_DIRECTORY | O_CLOEXEC :
				  O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd < 0) {
		*why = strerror(errno);
		return -1;
	}
	if (fstat(fd, &st) < 0 || (!dir && !S_ISREG(st.st_mode))) {
		*why = "is not a regular file";
		close(fd);
		return -1;
	}
	return fd;
}

void policy_walk_end(struct policy_walk *w)
{
	walk_truncate(w, 0);
}

int policy_open_checked(struct policy_walk *w, const char *path,
			unsigned flags, int dir, const char **why,
			char *whypath, size_t wplen)
{
	struct policy_walk own;
	int fd;

	whypath[0] = '\0';
	if (!(flags & POLICY_LOAD_SECURE))
		return open_plain(path, dir, why);
	if (w == NULL) {
		own.n = 0;
		w = &own;
	}
	fd = open_secure(w, path, dir, why, whypath, wplen);
	if (w == &own)
		policy_walk_end(w);
	return fd;
}

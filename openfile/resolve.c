/* SPDX-License-Identifier: ISC */
/*
 * resolve.c - steps 6 to 8: resolve the path to a kernel object, decide on
 * where that object really is, open that same object.
 *
 * The policy never sees the caller's string.  The helper walks the path
 * itself, one component at a time, following symlinks and ".." on its own,
 * so it always knows the canonical path of the directory it stands in.  It
 * looks a name up with the caller's own search right first and with
 * CAP_DAC_READ_SEARCH only in directories below which the policy may grant
 * this caller something: the privilege never shows the caller what is in a
 * directory the policy keeps from it.  A plain path the caller could walk
 * on its own, through no symlink, is looked up in one step instead: the
 * kernel's walk is then the same walk.  The object reached is an O_PATH
 * descriptor whose path the kernel must confirm; the policy decides on that
 * path, and the open is a reopen of that descriptor, so nothing can be
 * swapped between check and use.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "audit.h"
#include "confine.h"
#include "paths.h"
#include "policy.h"
#include "priv.h"
#include "resolve.h"

/* The kernel's O_LARGEFILE, which glibc hides on 64-bit systems. */
#define KERNEL_O_LARGEFILE 0100000

/* Everything else (O_PATH, O_TMPFILE, O_ASYNC, O_NOATIME, unknown bits)
 * is refused with EINVAL. */
#define FLAGS_OK (O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC |      \
		  O_APPEND | O_NONBLOCK | O_DSYNC | O_SYNC | O_DIRECTORY |  \
		  O_NOFOLLOW | O_CLOEXEC | O_DIRECT | KERNEL_O_LARGEFILE)
/* What a reopen of an existing object passes on. */
#define FLAGS_REOPEN (O_ACCMODE | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC | \
		      O_SYNC | O_DIRECTORY | O_DIRECT)
/* Created files never get group or other write without a mode= limit. */
#define CREATE_MODE_DEFAULT 0755
/* As the kernel: at most this many symlinks in one resolution. */
#define LINKS_MAX 40

struct req_ctx {
	const struct policy *pol;
	const struct request_env *env;
	const struct policy_caller *caller;
	int flags;
	unsigned need;
	struct audit_rec *a;
	char *real;
	size_t reallen;
	int blind;            /* a name was looked up with privilege */
	char lex[PATH_MAX];   /* where a symlink met blind was, as named */
};

/* openat2(2) through no link: the walk follows links itself.  resolve:
 * what else it keeps to. */
static int sys_openat2(int dirfd, const char *path, uint64_t flags,
		       uint64_t mode, uint64_t resolve)
{
	struct open_how how;
	int fd;

	memset(&how, 0, sizeof how);
	how.flags = flags | O_CLOEXEC;
	how.mode = mode;
	how.resolve = resolve | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
	return fd < 0 ? -errno : fd;
}

/* Where a walk stands: a directory, by descriptor and canonical path. */
struct walk {
	int fd;
	char path[PATH_MAX];
	size_t len;
};

/* Where and why a walk stopped short of the object. */
struct stop {
	char name[NAME_MAX + 1]; /* the name that could not be resolved */
	const char *rest;        /* what followed it */
	int last;                /* it was the final component */
	int slash;               /* a '/' followed it */
	char buf[2 * PATH_MAX];  /* what is left to resolve */
};

static int walk_to(struct walk *w, int fd, const char *path, size_t len)
{
	if (fd < 0)
		return -EACCES; /* "/" or a parent that would not open */
	if (len >= sizeof w->path) {
		close(fd);
		return -ENAMETOOLONG;
	}
	if (w->fd >= 0)
		close(w->fd);
	w->fd = fd;
	memcpy(w->path, path, len);
	w->path[len] = '\0';
	w->len = len;
	return 0;
}

/* Writes the path of name, then rest, in the directory w into buf (len
 * bytes).  Returns 0, or -1 when it does not fit. */
static int path_in(const struct walk *w, const char *name, const char *rest,
		   char *buf, size_t len)
{
	return (size_t)snprintf(buf, len, "%s/%s%s", w->len == 1 ? "" : w->path,
				name, rest) < len ? 0 : -1;
}

/* Moves w into its entry name (a directory), or to its parent for "..". */
static int walk_into(struct walk *w, int fd, const char *name)
{
	char path[PATH_MAX];
	size_t len = w->len;

	if (strcmp(name, "..") == 0) {
		while (len > 1 && w->path[len - 1] != '/')
			len--;
		if (len > 1)
			len--; /* "/a/b" -> "/a", "/a" -> "/" */
		return walk_to(w, fd, w->path, len);
	}
	return path_in(w, name, "", path, sizeof path) < 0 ?
		       (close(fd), -ENAMETOOLONG) :
		       walk_to(w, fd, path, strlen(path));
}

/* The kernel's path for fd into buf (PATH_MAX bytes, NUL-terminated).
 * Returns its length, or -1 when it has none or it does not fit. */
static ssize_t fd_path(int fd, char *buf)
{
	char proc[32];
	ssize_t n;

	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	n = readlink(proc, buf, PATH_MAX);
	if (n <= 0 || n >= PATH_MAX)
		return -1;
	buf[n] = '\0';
	return n;
}

/*
 * Starts a walk at "/" or, for a relative path, at the caller's working
 * directory cwd (the helper's own when cwd is -1).  The walk never stands
 * on a descriptor the client gave: that may come from another mount
 * namespace, where the names below it lead elsewhere.  It stands on the
 * directory our own lookup of the kernel's path for cwd finds, and only
 * when that is the same directory.
 */
static int walk_start(struct walk *w, int absolute, int cwd)
{
	char path[PATH_MAX];
	struct stat a, b;
	ssize_t n;
	int own = -1, vfd;

	w->fd = -1;
	if (absolute)
		return walk_to(w, open("/", O_PATH | O_CLOEXEC), "/", 1);
	if (cwd < 0) {
		/* The caller stands there already, whether or not it may
		 * search it. */
		if (priv_raise(0) < 0)
			return -EPERM;
		own = cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
		priv_lower();
		if (cwd < 0)
			return -EACCES;
	}
	n = fd_path(cwd, path);
	vfd = -EACCES;
	if (n > 0 && path[0] == '/') {
		if (priv_raise(0) < 0) {
			vfd = -EPERM;
		} else {
			vfd = sys_openat2(AT_FDCWD, path, O_PATH | O_DIRECTORY, 0, 0);
			priv_lower();
		}
	}
	if (vfd >= 0 && (fstat(cwd, &a) < 0 || fstat(vfd, &b) < 0 ||
			 a.st_dev != b.st_dev || a.st_ino != b.st_ino)) {
		close(vfd);
		vfd = -EACCES; /* a removed, moved or unreachable directory */
	}
	if (own >= 0)
		close(own);
	if (vfd < 0)
		return vfd == -EPERM ? -EPERM : -EACCES;
	return walk_to(w, vfd, path, (size_t)n);
}

/*
 * Looks name up in the directory w: with the caller's own search right,
 * and, when may_raise, with CAP_DAC_READ_SEARCH where the policy may grant
 * this caller something below w.  Returns an O_PATH descriptor (of a
 * symlink itself, never followed) or -errno.
 */
static int lookup(struct req_ctx *rc, const struct walk *w, const char *name,
		  int may_raise)
{
	int fd = sys_openat2(w->fd, name, O_PATH | O_NOFOLLOW, 0, 0);

	if (fd == -ENOSYS)
		audit_error("the kernel lacks openat2(2): refusing every request");
	if (fd != -EACCES || !may_raise ||
	    !policy_may_traverse(rc->pol, rc->caller, w->path))
		return fd;
	if (priv_raise(0) < 0)
		return -EPERM;
	rc->blind = 1;
	fd = sys_openat2(w->fd, name, O_PATH | O_NOFOLLOW, 0, 0);
	priv_lower();
	return fd;
}

/* Where "/.." that follows a name at p ends, or NULL. */
static const char *dotdot_after(const char *p)
{
	if (*p != '/')
		return NULL;
	p += strspn(p, "/");
	return p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0') ?
		       p + 2 : NULL;
}

/* Whether path has a "." or ".." component. */
static int has_dots(const char *path)
{
	for (const char *p = path; *p != '\0';) {
		size_t k;

		p += strspn(p, "/");
		k = strcspn(p, "/");
		if ((k == 1 && p[0] == '.') || (k == 2 && p[0] == '.' && p[1] == '.'))
			return 1;
		p += k;
	}
	return 0;
}

/* Replaces what is left to resolve with target followed by rest. */
static int push_link(struct stop *st, const char **p, int lfd, const char *rest)
{
	char target[PATH_MAX], tmp[sizeof st->buf];
	ssize_t n = readlinkat(lfd, "", target, sizeof target);
	size_t len;

	if (n <= 0 || (size_t)n >= sizeof target)
		return n == 0 ? -ENOENT : -ENAMETOOLONG;
	target[n] = '\0';
	len = (size_t)snprintf(tmp, sizeof tmp, "%s%s", target, rest);
	if (len >= sizeof tmp)
		return -ENAMETOOLONG;
	memcpy(st->buf, tmp, len + 1);
	*p = st->buf;
	return 0;
}

static int on_procfs(int fd)
{
	struct statfs sf;

	return fstatfs(fd, &sf) != 0 || sf.f_type == PROC_SUPER_MAGIC;
}

/*
 * Whether owner's entry in the directory w is where the kernel's
 * protected_symlinks (bits S_IWOTH) or protected_regular and
 * protected_fifos (S_IWOTH | S_IWGRP, their stricter level) refuse: w is
 * sticky and writable by others, and owner is neither the caller nor w's
 * owner.  The helper follows links and reopens on its own, so the kernel
 * never applies those rules to its walk: it applies them itself, whatever
 * the sysctls say.  A directory it cannot stat counts as such.
 */
static int sticky_foreign(const struct req_ctx *rc, const struct walk *w,
			  uid_t owner, mode_t bits)
{
	struct stat ds;

	if (fstat(w->fd, &ds) < 0)
		return 1;
	return (ds.st_mode & S_ISVTX) && (ds.st_mode & bits) &&
	       owner != rc->caller->uid && owner != ds.st_uid;
}

/* Whether path (not empty) names its object the one way: no "." or ".."
 * component, no repeated or trailing slash. */
static int plain_path(const char *path)
{
	return !has_dots(path) && strstr(path, "//") == NULL &&
	       path[strlen(path) - 1] != '/';
}

/*
 * The fast path.  A plain path that the kernel resolves from dirfd (at
 * the canonical path base) in one lookup, with the caller's own search
 * rights and through no symlink, reaches the object the component walk
 * would reach without ever raising a privilege, and the string is its
 * canonical path.  Anything else (a symlink on the way or at the end, a
 * refusal, a missing name) returns -1 and takes the walk, which alone
 * decides what a failure may tell.
 */
static int resolve_plain(struct req_ctx *rc, int dirfd, const char *base,
			 const char *path, struct stat *sb)
{
	size_t n;
	int fd;

	if (!plain_path(path))
		return -1;
	n = (size_t)snprintf(rc->real, rc->reallen, "%s%s%s", base,
			     base[0] == '\0' || strcmp(base, "/") == 0 ? "" : "/",
			     path);
	if (n >= rc->reallen)
		return -1;
	fd = sys_openat2(dirfd, path, O_PATH | O_NOFOLLOW, 0, 0);
	if (fd < 0)
		return -1;
	if (fstat(fd, sb) < 0 || S_ISLNK(sb->st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Resolves path to an O_PATH descriptor, its canonical path in rc->real,
 * its stat in *osb (the type and identity of the inode behind it, which
 * cannot change).
 * Symlinks are followed (the final one not with nofollow) except in /proc,
 * whose links are refused (ELOOP) as magic.  On failure returns -errno and
 * leaves w at the directory where the walk stopped and st saying where.
 */
static int resolve(struct req_ctx *rc, const char *path, int nofollow,
		   struct walk *w, struct stop *st, struct stat *osb)
{
	/* O_CREAT of an existing file is judged by its directory: walk. */
	int plain = !(rc->flags & O_CREAT);
	const char *p;
	int links = 0, r;

	rc->blind = 0;
	rc->lex[0] = '\0';
	if (plain && path[0] == '/' &&
	    (r = resolve_plain(rc, AT_FDCWD, "", path, osb)) >= 0)
		return r;
	snprintf(st->buf, sizeof st->buf, "%s", path);
	p = st->buf;
	if ((r = walk_start(w, path[0] == '/', rc->env->cwd)) < 0)
		return r;
	if (plain && path[0] != '/' &&
	    (r = resolve_plain(rc, w->fd, w->path, path, osb)) >= 0)
		return r;
	for (;;) {
		const char *up;
		struct stat sb;
		size_t n;
		int fd;

		p += strspn(p, "/");
		if (*p == '\0')
			break;
		n = strcspn(p, "/");
		if (n > NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(st->name, p, n);
		st->name[n] = '\0';
		p += n;
		st->rest = p;
		st->slash = *p == '/';
		st->last = p[strspn(p, "/")] == '\0';
		if (strcmp(st->name, ".") == 0)
			continue;
		/*
		 * Past what the caller can see, looking a name up and
		 * leaving it again would tell whether it exists: "name/.."
		 * is taken as written there, without a lookup, and any other
		 * ".." after a name looked up with privilege is refused
		 * (unless within a link's target: see decide()).
		 */
		if (strcmp(st->name, "..") == 0 && rc->blind && rc->lex[0] == '\0')
			return -EACCES;
		up = strcmp(st->name, "..") == 0 ? NULL : dotdot_after(p);
		fd = up != NULL && rc->blind ? -EACCES :
					       lookup(rc, w, st->name, up == NULL);
		if (fd == -EACCES && up != NULL) {
			p = up;
			continue;
		}
		if (fd < 0)
			return fd;
		if (fstat(fd, &sb) < 0) {
			close(fd);
			return -EACCES;
		}
		if (S_ISLNK(sb.st_mode) && (!st->last || st->slash || !nofollow)) {
			if (on_procfs(w->fd) || ++links > LINKS_MAX) {
				close(fd);
				return -ELOOP;
			}
			if (sticky_foreign(rc, w, sb.st_uid, S_IWOTH)) {
				close(fd);
				rc->a->why = "protected-symlink";
				return -EACCES;
			}
			/* A link met blind is followed only for a path
			 * granted as named there too (decide()). */
			if (rc->blind && rc->lex[0] == '\0' &&
			    (has_dots(st->rest) ||
			     path_in(w, st->name, st->rest, rc->lex, sizeof rc->lex) < 0)) {
				rc->lex[0] = '\0';
				close(fd);
				return -EACCES;
			}
			r = push_link(st, &p, fd, st->rest);
			close(fd);
			if (r < 0)
				return r;
			if (*p == '/' && (r = walk_to(w, open("/", O_PATH | O_CLOEXEC), "/", 1)) < 0)
				return r;
			continue;
		}
		if ((!st->last || st->slash) && !S_ISDIR(sb.st_mode)) {
			close(fd);
			return -ENOTDIR;
		}
		if (st->last && !S_ISDIR(sb.st_mode)) {
			/* The object: w stays its directory. */
			if (path_in(w, st->name, "", rc->real, rc->reallen) < 0) {
				close(fd);
				return -ENAMETOOLONG;
			}
			*osb = sb;
			return fd;
		}
		if ((r = walk_into(w, fd, st->name)) < 0)
			return r;
	}
	/* The object is the directory w itself. */
	snprintf(rc->real, rc->reallen, "%s", w->path);
	if ((r = dup(w->fd)) < 0)
		return -errno;
	if (fstat(r, osb) < 0) {
		close(r);
		return -EACCES;
	}
	return r;
}

/* Whether the kernel agrees that fd is at rc->real: a rename between the
 * walk and now makes the answer EACCES, never a decision on a stale path. */
static int real_path_ok(struct req_ctx *rc, int fd)
{
	char kpath[PATH_MAX];

	return fd_path(fd, kpath) > 0 && strcmp(kpath, rc->real) == 0;
}

static int decide(struct req_ctx *rc, const char *path, unsigned type,
		  unsigned need, struct policy_decision *d)
{
	int ok = policy_decide(rc->pol, rc->caller, path, type, need, d);

	/* Through a link met blind, the path as named there must be granted
	 * too: else the answer would tell that the link exists. */
	if (ok && rc->lex[0] != '\0' && strcmp(path, rc->lex) != 0) {
		struct policy_decision named;

		ok = policy_decide(rc->pol, rc->caller, rc->lex, type, need, &named);
		if (!ok)
			rc->a->why = "link-not-granted-as-named";
	}
#ifdef OPENFILE_TEST_HOOKS
	struct stat bug;

	/* Test builds only: a matcher that allows everything, to show the
	 * kernel refusing what the policy does not grant. */
	if (stat(OPENFILE_POLICY_PATH "-matcher-bug", &bug) == 0)
		ok = d->allow = 1;
#endif

	rc->a->rule = d->rule;
	rc->a->access = need;
	return ok;
}

/* What the open under Landlock works on: the O_PATH descriptor of an
 * existing object and its stat, or the directory to create name in. */
struct target {
	int fd;
	const struct stat *st;
	const char *name;
	int flags;
	mode_t mode;
};

/* Opens the inode behind the O_PATH descriptor t->fd, whose stat is t->st. */
static int reopen(void *arg)
{
	const struct target *t = arg;
	const struct stat *st = t->st;
	int flags = t->flags, fd = t->fd;
	int oflags = (flags & FLAGS_REOPEN) | O_NOCTTY | O_CLOEXEC;
	int writing = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
	char proc[32];
	struct stat ns;
	int nfd, err;

	/* A FIFO without a peer must never hang the helper. */
	if (S_ISFIFO(st->st_mode))
		oflags |= O_NONBLOCK;
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	/* As the caller first: privilege only where the caller's own
	 * permissions would refuse the open (and two capset(2) calls less
	 * for every file the caller could open itself). */
	nfd = open(proc, oflags);
	if (nfd < 0 && errno == EACCES) {
		if (priv_raise(writing) < 0)
			return -EPERM;
		nfd = open(proc, oflags);
		err = errno;
		priv_lower();
		errno = err;
	}
	if (nfd < 0)
		return -errno;
	if (fstat(nfd, &ns) < 0 || ns.st_dev != st->st_dev ||
	    ns.st_ino != st->st_ino ||
	    (S_ISFIFO(st->st_mode) && !(flags & O_NONBLOCK) &&
	     fcntl(nfd, F_SETFL, oflags & ~O_NONBLOCK & ~O_ACCMODE) < 0)) {
		close(nfd);
		return -EACCES;
	}
	return nfd;
}

/* Creates t->name in the directory t->fd, where the walk found nothing. */
static int create_in(void *arg)
{
	const struct target *t = arg;
	int fd;

	if (priv_raise(1) < 0)
		return -EPERM;
	/* O_EXCL: we create the file or fail, never open what was planted. */
	fd = sys_openat2(t->fd, t->name,
			 (uint64_t)(t->flags & FLAGS_REOPEN & ~O_TRUNC) |
				 O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY,
			 t->mode, RESOLVE_BENEATH);
	priv_lower();
	return fd;
}

/*
 * Opens t with fn under Landlock: to what the policy could grant at the
 * decided path, unless the transport confined us for the whole connection
 * already.  Those places are wider than the object; the truncate right,
 * which the kernel keeps on the descriptor for ftruncate(2), the open
 * holds only where the policy grants truncate on this very object.  A
 * read-only open without O_TRUNC needs no decision on it.
 */
static int confine(struct req_ctx *rc, unsigned type, int (*fn)(void *),
		   struct target *t)
{
	struct policy_decision d;
	int truncate = (rc->flags & (O_ACCMODE | O_TRUNC)) != O_RDONLY &&
		       policy_decide(rc->pol, rc->caller, rc->real, type,
				     ACC_TRUNCATE, &d);

	if (!rc->env->confined &&
	    confine_paths(rc->pol, rc->caller, rc->real, truncate) < 0) {
		audit_error("cannot confine the helper with Landlock");
		return -EACCES;
	}
	/* No record, no grant. */
	if (audit_granted(rc->a) < 0)
		return -EIO;
	if (truncate && rc->env->opener != NULL)
		return rc->env->opener(fn, t);
	return fn(t);
}

/* Opens the object behind pfd, which resolve() found with stat *st in
 * the directory w (unless w->fd is -1: found in one lookup, never for
 * O_CREAT). */
static int open_existing(struct req_ctx *rc, const struct walk *w, int pfd,
			 const struct stat *st)
{
	struct target t = { pfd, st, NULL, rc->flags, 0 };
	struct policy_decision d;
	unsigned type;

	rc->a->real = rc->real;
	if (!real_path_ok(rc, pfd))
		return -EACCES;
	type = S_ISLNK(st->st_mode) ? TYPE_FILE : policy_type_of(st->st_mode);
	if ((rc->flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return decide(rc, rc->real, type, ACC_CREATE, &d) ? -EEXIST :
								    -EACCES;
	if (S_ISLNK(st->st_mode)) /* only with O_NOFOLLOW */
		return decide(rc, rc->real, TYPE_FILE, rc->need, &d) ? -ELOOP :
								       -EACCES;
	if (!decide(rc, rc->real, type, rc->need, &d))
		return -EACCES;
	if ((rc->flags & O_CREAT) && (S_ISREG(st->st_mode) || S_ISFIFO(st->st_mode)) &&
	    sticky_foreign(rc, w, st->st_uid, S_IWOTH | S_IWGRP)) {
		rc->a->why = S_ISREG(st->st_mode) ? "protected-regular" : "protected-fifo";
		return -EACCES;
	}
	return confine(rc, type, reopen, &t);
}

/*
 * Answers a path that did not resolve (error err) without telling the
 * caller anything the policy does not let it know.  The walk stopped at a
 * real directory the caller was allowed to reach; the real errno is told
 * only where the policy would allow the request at the place named there,
 * EACCES otherwise.
 */
static int hidden_error(struct req_ctx *rc, const struct walk *w,
			const struct stop *st, int err, unsigned need)
{
	struct policy_decision d;
	char named[PATH_MAX];
	const char *path = named;

	if (err == EPERM || err == ENOSYS)
		return -err;
	if (rc->lex[0] != '\0') {
		/* Past a link met blind: as if that link were missing. */
		path = rc->lex;
		err = ENOENT;
	} else if (err == EACCES) {
		return -err;
	} else if (path_in(w, st->name, st->rest, named, sizeof named) < 0) {
		return -EACCES;
	}
	/* Blind, a name on the way that is not a directory and a missing
	 * one look alike. */
	if (err == ENOTDIR && rc->blind && !st->last)
		err = ENOENT;
	if (has_dots(path))
		return -EACCES; /* no place can be named without guessing */
	if ((size_t)snprintf(rc->real, rc->reallen, "%s", path) >= rc->reallen)
		return -EACCES;
	rc->a->real = rc->real;
	return decide(rc, rc->real, TYPE_FILE, need, &d) ? -err : -EACCES;
}

/* Creates st->name in the directory w, where the walk found nothing. */
static int create_new(struct req_ctx *rc, const struct walk *w,
		      const struct stop *st, mode_t mode)
{
	unsigned need = policy_open_access(rc->flags, 1);
	struct target t = { w->fd, NULL, st->name, rc->flags, 0 };
	struct policy_decision d;

	if (st->slash)
		return hidden_error(rc, w, st, EISDIR, need);
	if (path_in(w, st->name, "", rc->real, rc->reallen) < 0)
		return -ENAMETOOLONG;
	rc->a->real = rc->real;
	if (!decide(rc, rc->real, TYPE_FILE, need, &d))
		return -EACCES;
	t.mode = mode & 0777 & (mode_t)(d.mode >= 0 ? d.mode : CREATE_MODE_DEFAULT);
	return confine(rc, TYPE_FILE, create_in, &t);
}

int open_request(const struct request_env *env, const struct proto_request *req,
		 struct audit_rec *a, char *real, size_t reallen)
{
	struct req_ctx rc = { .pol = env->pol, .env = env, .caller = a->caller,
			      .flags = (int)req->flags, .a = a, .real = real,
			      .reallen = reallen };
	static struct stop st;
	int r = -EEXIST;

	rc.flags &= ~O_CLOEXEC; /* the client's business */
	if ((req->flags & ~(unsigned)FLAGS_OK) != 0 ||
	    (rc.flags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	rc.need = policy_open_access(rc.flags, 0);
	/* A file created under us between two steps is looked at again. */
	for (int attempt = 0; attempt < 4 && r == -EEXIST; attempt++) {
		struct walk w = { .fd = -1 };
		/* As open(2): O_CREAT|O_EXCL never follows a final symlink. */
		int nofollow = (rc.flags & O_NOFOLLOW) ||
			       (rc.flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
		struct stat sb;
		int fd = resolve(&rc, req->path, nofollow, &w, &st, &sb);

		if (fd >= 0) {
			r = open_existing(&rc, &w, fd, &sb);
			close(fd);
		} else if (fd == -ENOENT && st.last && (rc.flags & O_CREAT)) {
			r = create_new(&rc, &w, &st, (mode_t)req->mode);
			if (rc.flags & O_EXCL)
				attempt = 4;
		} else if (fd == -ENAMETOOLONG) {
			r = fd; /* a property of the string, not of the tree */
		} else {
			r = hidden_error(&rc, &w, &st, -fd,
					 rc.need | ((rc.flags & O_CREAT) ? ACC_CREATE : 0));
		}
		if (w.fd >= 0)
			close(w.fd);
	}
	return r; /* EEXIST after the retries: someone keeps creating it */
}

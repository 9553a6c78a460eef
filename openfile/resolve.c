/*
 * resolve.c - steps 6 to 8: resolve the path to a kernel object, decide on
 * where that object really is, open that same object.
 *
 * The policy never sees the caller's string: the kernel resolves it (every
 * symlink and ".." followed, magic links refused) to an O_PATH descriptor,
 * whose canonical path is read back from /proc and verified to lead to the
 * same inode without following any link.  The open is a reopen of that
 * descriptor, so nothing can be swapped between check and use.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "openfile.h"

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

struct req_ctx {
	const struct policy *pol;
	const struct policy_caller *caller;
	int flags;
	unsigned need;
	struct audit_rec *a;
	char *real;
	size_t reallen;
};

static int sys_openat2(int dirfd, const char *path, uint64_t flags,
		       uint64_t mode, uint64_t resolve)
{
	struct open_how how;
	int fd;

	memset(&how, 0, sizeof how);
	how.flags = flags | O_CLOEXEC;
	how.mode = mode;
	how.resolve = resolve;
	fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
	return fd < 0 ? -errno : fd;
}

/* Resolves path to an O_PATH descriptor with the caller's view of the
 * tree but the search rights of CAP_DAC_READ_SEARCH.  Magic links are never
 * followed; strict also refuses every symlink.  Returns fd or -errno. */
static int resolve_opath(int dirfd, const char *path, int nofollow, int strict)
{
	int fd;

	if (priv_raise(0) < 0)
		return -EPERM;
	fd = sys_openat2(dirfd, path, O_PATH | (nofollow ? O_NOFOLLOW : 0), 0,
			 RESOLVE_NO_MAGICLINKS |
				 (strict ? RESOLVE_NO_SYMLINKS : 0));
	priv_lower();
	if (fd == -ENOSYS)
		audit_error("the kernel lacks openat2(2): refusing every request");
	return fd;
}

/*
 * The canonical path of fd into out, verified: it must lead, without
 * following any link, to the very inode fd is.  Returns 0 or -EACCES (the
 * object was moved, deleted, or is out of reach: fail closed).
 */
static int real_path(int fd, struct stat *st, char *out, size_t len)
{
	char proc[32];
	struct stat vs;
	ssize_t n;
	int vfd;

	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	n = readlink(proc, out, len);
	if (n <= 0 || (size_t)n >= len || out[0] != '/' || fstat(fd, st) < 0)
		return -EACCES;
	out[n] = '\0';
	vfd = resolve_opath(AT_FDCWD, out, 1, 1);
	if (vfd < 0)
		return -EACCES;
	if (fstat(vfd, &vs) < 0 || vs.st_dev != st->st_dev ||
	    vs.st_ino != st->st_ino) {
		close(vfd);
		return -EACCES;
	}
	close(vfd);
	return 0;
}

static unsigned type_of(mode_t m)
{
	if (S_ISREG(m))
		return TYPE_FILE;
	if (S_ISDIR(m))
		return TYPE_DIR;
	if (S_ISCHR(m) || S_ISBLK(m))
		return TYPE_DEVICE;
	if (S_ISFIFO(m))
		return TYPE_FIFO;
	return 0; /* sockets and the rest: no rule can grant them */
}

/* The access words an open of an existing object with flags needs. */
static unsigned access_needed(int flags)
{
	int acc = flags & O_ACCMODE;
	unsigned need = 0;

	if (acc == O_RDONLY || acc == O_RDWR)
		need |= ACC_READ;
	if (acc == O_WRONLY || acc == O_RDWR)
		need |= (flags & O_APPEND) ? ACC_APPEND : ACC_WRITE;
	if (flags & O_TRUNC) /* Linux truncates even with O_RDONLY */
		need |= ACC_TRUNCATE;
	return need;
}

static int decide(struct req_ctx *rc, const char *path, unsigned type,
		  unsigned need, struct policy_decision *d)
{
	int ok = policy_decide(rc->pol, rc->caller, path, type, need, d);

	rc->a->rule = d->rule;
	rc->a->access = need;
	return ok;
}

/* Opens the inode behind the O_PATH descriptor fd, whose stat is st. */
static int reopen(int fd, const struct stat *st, int flags)
{
	int oflags = (flags & FLAGS_REOPEN) | O_NOCTTY | O_CLOEXEC;
	int writing = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
	char proc[32];
	struct stat ns;
	int nfd, err;

	/* A FIFO without a peer must never hang the helper. */
	if (S_ISFIFO(st->st_mode))
		oflags |= O_NONBLOCK;
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	if (priv_raise(writing) < 0)
		return -EPERM;
	nfd = open(proc, oflags);
	err = errno;
	priv_lower();
	if (nfd < 0)
		return -err;
	if (fstat(nfd, &ns) < 0 || ns.st_dev != st->st_dev ||
	    ns.st_ino != st->st_ino ||
	    (S_ISFIFO(st->st_mode) && !(flags & O_NONBLOCK) &&
	     fcntl(nfd, F_SETFL, oflags & ~O_NONBLOCK & ~O_ACCMODE) < 0)) {
		close(nfd);
		return -EACCES;
	}
	return nfd;
}

static int open_existing(struct req_ctx *rc, int pfd)
{
	struct policy_decision d;
	struct stat st;
	unsigned type;

	if (real_path(pfd, &st, rc->real, rc->reallen) < 0)
		return -EACCES;
	rc->a->real = rc->real;
	if (S_ISLNK(st.st_mode)) /* only with O_NOFOLLOW */
		return decide(rc, rc->real, TYPE_FILE, rc->need, &d) ? -ELOOP :
								       -EACCES;
	type = type_of(st.st_mode);
	if ((rc->flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return decide(rc, rc->real, type, ACC_CREATE, &d) ? -EEXIST :
								    -EACCES;
	if (!decide(rc, rc->real, type, rc->need, &d))
		return -EACCES;
	return reopen(pfd, &st, rc->flags);
}

/* Joins a verified directory path and the rest of a request into
 * rc->real.  Returns 0, or -1 when it cannot be done without guessing. */
static int compose(struct req_ctx *rc, const char *rest)
{
	size_t dl = strlen(rc->real);

	for (const char *p = rest; *p != '\0';) {
		size_t n = strcspn(p, "/");

		if ((n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return -1; /* the kernel would have to say */
		p += n;
		p += strspn(p, "/");
	}
	if (dl == 1)
		dl = 0; /* "/" + "x" is "/x" */
	if (dl + 1 + strlen(rest) >= rc->reallen)
		return -1;
	rc->real[dl] = '/';
	strcpy(rc->real + dl + 1, rest);
	return 0;
}

/*
 * Answers a path that did not resolve (error err) without telling a caller
 * anything the policy does not let it know: the real errno only when the
 * policy would allow the request at the place the path names (its deepest
 * existing directory, resolved, plus the rest), EACCES otherwise.
 */
static int hidden_error(struct req_ctx *rc, const char *path, int err,
			unsigned need)
{
	char prefix[PATH_MAX];
	size_t len = strlen(path);
	struct policy_decision d;

	while (len > 0) {
		struct stat st;
		const char *rest;
		int fd, rv;

		while (len > 0 && path[len - 1] == '/')
			len--;
		while (len > 0 && path[len - 1] != '/')
			len--;
		rest = path + len;
		while (len > 1 && path[len - 1] == '/')
			len--;
		if (len == 0)
			snprintf(prefix, sizeof prefix, "%s",
				 path[0] == '/' ? "/" : ".");
		else
			snprintf(prefix, sizeof prefix, "%.*s", (int)len, path);
		fd = resolve_opath(AT_FDCWD, prefix, 0, 0);
		if (fd < 0) {
			if (len <= 1)
				break;
			continue;
		}
		rv = real_path(fd, &st, rc->real, rc->reallen);
		close(fd);
		if (rv < 0 || *rest == '\0' || compose(rc, rest) < 0)
			break;
		rc->a->real = rc->real;
		return decide(rc, rc->real, TYPE_FILE, need, &d) ? -err : -EACCES;
	}
	return -EACCES;
}

static int create_new(struct req_ctx *rc, const char *path, mode_t mode)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char dir[PATH_MAX];
	struct policy_decision d;
	struct stat st;
	int dfd, fd, limit;
	unsigned need = rc->need | ACC_CREATE;

	need &= ~ACC_TRUNCATE; /* nothing to truncate in a new file */
	/* Not a name a file can be created at; say so only where allowed. */
	if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return hidden_error(rc, path, EISDIR, need);
	snprintf(dir, sizeof dir, "%.*s",
		 slash == NULL ? 1 : slash == path ? 1 : (int)(slash - path),
		 slash == NULL ? "." : path);
	dfd = resolve_opath(AT_FDCWD, dir, 0, 0);
	if (dfd < 0)
		return hidden_error(rc, path, -dfd, need);
	if (real_path(dfd, &st, rc->real, rc->reallen) < 0 ||
	    !S_ISDIR(st.st_mode) || compose(rc, base) < 0) {
		close(dfd);
		return hidden_error(rc, path, ENOTDIR, need);
	}
	rc->a->real = rc->real;
	if (!decide(rc, rc->real, TYPE_FILE, need, &d)) {
		close(dfd);
		return -EACCES;
	}
	limit = d.mode >= 0 ? d.mode : CREATE_MODE_DEFAULT;
	if (priv_raise(1) < 0) {
		close(dfd);
		return -EPERM;
	}
	/* O_EXCL: we create the file or fail, never open what was planted. */
	fd = sys_openat2(dfd, base,
			 (uint64_t)(rc->flags & FLAGS_REOPEN & ~O_TRUNC) |
				 O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY,
			 mode & 0777 & (mode_t)limit,
			 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
				 RESOLVE_NO_MAGICLINKS);
	priv_lower();
	close(dfd);
	return fd;
}

static int path_ok(const char *path)
{
	for (const char *p = path; *p != '\0';) {
		size_t n = strcspn(p, "/");

		if (n > NAME_MAX)
			return 0;
		p += n;
		p += strspn(p, "/");
	}
	return 1;
}

int open_request(const struct policy *pol, const struct proto_request *req,
		 struct audit_rec *a, char *real, size_t reallen)
{
	struct req_ctx rc = { pol, a->caller, (int)req->flags, 0, a, real,
			      reallen };

	a->flags = req->flags;
	rc.flags &= ~O_CLOEXEC; /* the client's business */
	if ((req->flags & ~(unsigned)FLAGS_OK) != 0 ||
	    (rc.flags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	if (!path_ok(req->path))
		return -ENAMETOOLONG;
	rc.need = access_needed(rc.flags);
	/* A file created under us between two steps is looked at again. */
	for (int attempt = 0; attempt < 4; attempt++) {
		int fd = resolve_opath(AT_FDCWD, req->path,
				       (rc.flags & O_NOFOLLOW) != 0, 0);

		if (fd >= 0) {
			int r = open_existing(&rc, fd);

			close(fd);
			return r;
		}
		if (fd == -ENOSYS)
			return -ENOSYS;
		if (fd != -ENOENT || !(rc.flags & O_CREAT))
			return hidden_error(&rc, req->path, -fd,
					    rc.need | ((rc.flags & O_CREAT) ?
							       ACC_CREATE : 0));
		fd = create_new(&rc, req->path, (mode_t)req->mode);
		if (fd != -EEXIST || (rc.flags & O_EXCL))
			return fd;
	}
	return -EEXIST; /* a dangling symlink planted at the name */
}

/* SPDX-License-Identifier: ISC */
/*
 * preload.c - the shim openfile-run puts in LD_PRELOAD: every name a
 * glibc program reaches to open a file calls the real function first and,
 * only when the kernel refused with EACCES or EPERM, asks my_open().  When
 * the policy refuses too, the program sees the kernel's errno, never
 * my_open()'s.
 *
 * The library's sources are compiled into the shim and a version script
 * exports only the interposed names: the shim needs no libmyopen on the
 * loader's path and puts no name of its own into the program's namespace.
 * The library's own opens (of "/", of /proc/self/...) reach the shim's
 * open() too: the per-thread guard sends them straight to the real one.
 *
 * The path every call takes is the real function, a thread-local guard and
 * a comparison: no malloc, no lock, async-signal-safe as open(2) is.  The
 * fallback runs with every signal blocked, so that a handler cannot run
 * inside the library's locks; it is not taken in a vfork() child (which
 * shares its parent's memory, the library's state included) nor in a
 * process the loader marked AT_SECURE.
 */
/* The shim defines open() and the rest: not glibc's fortified inlines. */
#undef _FORTIFY_SOURCE
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/types.h>
#include <unistd.h>

#include "fopen-flags.h"
#include "myopen.h"

#define EXPORT __attribute__((visibility("default")))

/* The real functions, the next definitions after ours. */
static struct {
	int (*open)(const char *, int, ...);
	int (*open64)(const char *, int, ...);
	int (*openat)(int, const char *, int, ...);
	int (*openat64)(int, const char *, int, ...);
	int (*creat)(const char *, mode_t);
	int (*creat64)(const char *, mode_t);
	int (*open_2)(const char *, int);
	int (*open64_2)(const char *, int);
	int (*openat_2)(int, const char *, int);
	int (*openat64_2)(int, const char *, int);
	FILE *(*fopen)(const char *, const char *);
	FILE *(*fopen64)(const char *, const char *);
	FILE *(*freopen)(const char *, const char *, FILE *);
	FILE *(*freopen64)(const char *, const char *, FILE *);
} real;

/* Set while this thread is inside my_open(): the library's own opens go
 * straight to the real functions.  initial-exec: no allocation on first
 * use, as a general-dynamic TLS variable of a loaded object may need. */
static __thread int busy __attribute__((tls_model("initial-exec")));
/* The process the library's state belongs to (a vfork() child has
 * another pid and the same memory); 0 when the shim must stay out. */
static pid_t owner;

/* real.open last, and released: ready() takes it set to mean that every
 * pointer is, also in a thread that calls while another resolves. */
static void resolve(void)
{
	void *open_fn = dlsym(RTLD_NEXT, "open");

	real.open64 = dlsym(RTLD_NEXT, "open64");
	real.openat = dlsym(RTLD_NEXT, "openat");
	real.openat64 = dlsym(RTLD_NEXT, "openat64");
	real.creat = dlsym(RTLD_NEXT, "creat");
	real.creat64 = dlsym(RTLD_NEXT, "creat64");
	real.open_2 = dlsym(RTLD_NEXT, "__open_2");
	real.open64_2 = dlsym(RTLD_NEXT, "__open64_2");
	real.openat_2 = dlsym(RTLD_NEXT, "__openat_2");
	real.openat64_2 = dlsym(RTLD_NEXT, "__openat64_2");
	real.fopen = dlsym(RTLD_NEXT, "fopen");
	real.fopen64 = dlsym(RTLD_NEXT, "fopen64");
	real.freopen = dlsym(RTLD_NEXT, "freopen");
	real.freopen64 = dlsym(RTLD_NEXT, "freopen64");
	__atomic_store_n(&real.open, open_fn, __ATOMIC_RELEASE);
}

static inline void ready(void)
{
	if (__builtin_expect(__atomic_load_n(&real.open, __ATOMIC_ACQUIRE) == NULL, 0))
		resolve();
}

static void forked(void)
{
	if (owner != 0)
		owner = getpid();
}

/* Runs before main, but another library's constructor may open a file
 * before this one runs (libselinux's does): each entry point calls
 * ready() first, which resolves then.  Storing the same pointers twice
 * from two threads is harmless. */
__attribute__((constructor)) static void init(void)
{
	ready();
	/* The loader does not preload into a setuid program; if it ever
	 * did, the shim would add nothing to what the program may do. */
	if (getauxval(AT_SECURE) == 0)
		owner = getpid();
	(void)pthread_atfork(NULL, NULL, forked);
}

/* Whether an open that failed with errno err is asked of the policy. */
static int ask(int err)
{
	return (err == EACCES || err == EPERM) && !busy && owner != 0 &&
	       owner == getpid();
}

/* my_open() with every signal blocked and the guard set; the kernel's
 * errno err when it fails. */
static int ask_my_open(const char *path, int flags, mode_t mode, int err)
{
	sigset_t all, old;
	int fd;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	busy = 1;
	fd = my_open(path, flags, mode);
	busy = 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (fd < 0)
		errno = err;
	return fd;
}

/* What my_open() is asked for openat(dirfd, path): a relative path is
 * made absolute from where dirfd points (into buf).  NULL when it cannot
 * be named. */
static const char *at_path(int dirfd, const char *path, char *buf, size_t size)
{
	char link[32];
	ssize_t n;
	size_t len;

	if (path[0] == '/' || dirfd == AT_FDCWD)
		return path;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", dirfd);
	n = readlink(link, buf, size);
	if (n <= 0 || buf[0] != '/' || (size_t)n >= size)
		return NULL;
	len = strlen(path);
	if ((size_t)n + 1 + len >= size)
		return NULL;
	buf[n] = '/';
	memcpy(buf + n + 1, path, len + 1);
	return buf;
}

/* The policy's answer for an open the kernel refused with err. */
static __attribute__((noinline)) int ask_policy(int dirfd, const char *path,
						 int flags, mode_t mode, int err)
{
	char buf[PATH_MAX];

	if ((path = at_path(dirfd, path, buf, sizeof(buf))) == NULL) {
		errno = err;
		return -1;
	}
	return ask_my_open(path, flags, mode, err);
}

/* The fallback of every open-like entry point: fd is what the real call
 * returned.  Inline and small, the path buffer in the slow path only: a
 * thread with a small stack opens as cheaply as without the shim. */
static inline int fallback(int fd, int dirfd, const char *path, int flags,
			   mode_t mode)
{
	int err;

	if (__builtin_expect(fd >= 0, 1))
		return fd;
	err = errno;
	if (!ask(err) || path == NULL || (flags & O_PATH))
		return fd;
	return ask_policy(dirfd, path, flags, mode, err);
}

/* The mode argument: only with O_CREAT or O_TMPFILE, as open(2) reads it. */
#define MODE_ARG(flags)                                                      \
	mode_t mode = 0;                                                     \
	if (((flags) & O_CREAT) || ((flags) & O_TMPFILE) == O_TMPFILE) {     \
		va_list ap;                                                  \
		va_start(ap, flags);                                         \
		mode = (mode_t)va_arg(ap, int);                              \
		va_end(ap);                                                  \
	}

#define OPEN_LIKE(name)                                                      \
	EXPORT int name(const char *path, int flags, ...)                    \
	{                                                                    \
		MODE_ARG(flags)                                              \
		ready();                                                     \
		return fallback(real.name(path, flags, mode), AT_FDCWD, path, \
				flags, mode);                                \
	}
#define OPENAT_LIKE(name)                                                    \
	EXPORT int name(int dirfd, const char *path, int flags, ...)         \
	{                                                                    \
		MODE_ARG(flags)                                              \
		ready();                                                     \
		return fallback(real.name(dirfd, path, flags, mode), dirfd,  \
				path, flags, mode);                          \
	}
#define CREAT_LIKE(name)                                                     \
	EXPORT int name(const char *path, mode_t mode)                       \
	{                                                                    \
		ready();                                                     \
		return fallback(real.name(path, mode), AT_FDCWD, path,       \
				O_WRONLY | O_CREAT | O_TRUNC, mode);         \
	}
/* The fortified forms, which -D_FORTIFY_SOURCE programs call when the
 * flags take no mode (glibc declares them only inside its headers'
 * inline wrappers). */
#define OPEN_2_LIKE(name, field)                                             \
	int name(const char *path, int flags);                               \
	EXPORT int name(const char *path, int flags)                         \
	{                                                                    \
		ready();                                                     \
		return fallback(real.field(path, flags), AT_FDCWD, path,     \
				flags, 0);                                   \
	}
#define OPENAT_2_LIKE(name, field)                                           \
	int name(int dirfd, const char *path, int flags);                    \
	EXPORT int name(int dirfd, const char *path, int flags)              \
	{                                                                    \
		ready();                                                     \
		return fallback(real.field(dirfd, path, flags), dirfd, path, \
				flags, 0);                                   \
	}

OPEN_LIKE(open)
OPEN_LIKE(open64)
OPENAT_LIKE(openat)
OPENAT_LIKE(openat64)
CREAT_LIKE(creat)
CREAT_LIKE(creat64)
OPEN_2_LIKE(__open_2, open_2)
OPEN_2_LIKE(__open64_2, open64_2)
OPENAT_2_LIKE(__openat_2, openat_2)
OPENAT_2_LIKE(__openat64_2, openat64_2)

/* The descriptor my_open() gives for an fopen of path that the kernel
 * refused with err, or -1 and err. */
static int fopen_fd(const char *path, const char *mode, int err)
{
	int flags;

	if (!ask(err) || path == NULL || mode == NULL ||
	    (flags = fopen_flags(mode, 1)) < 0) {
		errno = err;
		return -1;
	}
	return ask_my_open(path, flags, 0666, err);
}

static FILE *fopen_common(FILE *fp, const char *path, const char *mode)
{
	int fd, err;

	if (fp != NULL || (fd = fopen_fd(path, mode, errno)) < 0)
		return fp;
	if ((fp = fdopen(fd, mode)) == NULL) {
		err = errno;
		close(fd);
		errno = err;
	}
	return fp;
}

EXPORT FILE *fopen(const char *path, const char *mode)
{
	ready();
	return fopen_common(real.fopen(path, mode), path, mode);
}

EXPORT FILE *fopen64(const char *path, const char *mode)
{
	ready();
	return fopen_common(real.fopen64(path, mode), path, mode);
}

/* A freopen() the kernel refused has closed the stream, and my_open()'s
 * descriptor is to take the number the stream had, as glibc's freopen
 * keeps it (freopen(path, "r", stdin) is descriptor 0).  The stream is
 * reopened on /dev/null with the same mode (less x, which /dev/null would
 * fail), which sets up its buffer and mode, then given that number
 * (_fileno: the shim is for glibc, whose FILE declares it).  A NULL path
 * changes the mode of the stream's own descriptor: nothing to ask. */
static FILE *freopen_common(FILE *(*reopen)(const char *, const char *, FILE *),
			    const char *path, const char *mode, FILE *stream)
{
	char plain[8];
	size_t i, n = 0;
	int fd, err, old = stream != NULL ? fileno(stream) : -1;
	FILE *fp = reopen(path, mode, stream);

	if (fp != NULL || path == NULL || (fd = fopen_fd(path, mode, errno)) < 0)
		return fp;
	for (i = 0; mode[i] != '\0' && mode[i] != ',' && n < sizeof(plain) - 1; i++)
		if (mode[i] != 'x')
			plain[n++] = mode[i];
	plain[n] = '\0';
	busy = 1;
	fp = reopen("/dev/null", plain, stream);
	busy = 0;
	if (fp == NULL)
		goto fail;
	if (old < 0)
		old = fileno(fp);
	if (fd != old && dup3(fd, old, fopen_flags(mode, 1) & O_CLOEXEC) < 0) {
		fclose(fp);
		goto fail;
	}
	if (fileno(fp) != old) {
		close(fileno(fp));
		fp->_fileno = old;
	}
	if (fd != old)
		close(fd);
	return fp;
fail:
	err = errno;
	close(fd);
	errno = err;
	return NULL;
}

EXPORT FILE *freopen(const char *path, const char *mode, FILE *stream)
{
	ready();
	return freopen_common(real.freopen, path, mode, stream);
}

EXPORT FILE *freopen64(const char *path, const char *mode, FILE *stream)
{
	ready();
	return freopen_common(real.freopen64, path, mode, stream);
}

/* SPDX-License-Identifier: ISC */
/*
 * run-probe.c - what openfile-run's cases run under the shim: opens the
 * way real programs do and prints what they got.  Built with
 * -D_FORTIFY_SOURCE=2 -O2, so that its open() is glibc's __open_2 (or
 * __open64_2); tests/e2e-run.sh checks that it references it.
 *
 *   run-probe cat PATH          __open_2(PATH, O_RDONLY), print the file
 *   run-probe threads N PATH    N threads open PATH at once: "N opened"
 *   run-probe cloexec PATH      open with O_CLOEXEC: the flag, then whether
 *                               the descriptor is still open after exec
 *   run-probe freopen PATH      freopen(PATH, "r", stdin): its descriptor,
 *                               then the file
 *   run-probe fdflags FD        "append=A cloexec=C" of descriptor FD
 *   run-probe isopen FD         "open" or "closed" (after exec)
 *   run-probe closeall PATH     opens PATH, closes every descriptor above 2
 *                               (the library's connection too), opens it
 *                               again: "reopened"
 *   run-probe vfork PATH        a vfork() child opens PATH (the shim stays
 *                               out: refused), then the parent: "child=E
 *                               parent=opened"
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Flags the compiler cannot see: the fortified open() calls __open_2
 * only for those (constant flags go to open itself). */
static volatile int read_only = O_RDONLY;

static int copy_out(int fd)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(STDOUT_FILENO, buf, (size_t)n) != n)
			return 1;
	return n < 0;
}

static int fail(const char *what, const char *path)
{
	printf("%s %s: %s\n", what, path, strerror(errno));
	return 1;
}

static pthread_barrier_t start;
static const char *thread_path;

static void *opener(void *arg)
{
	int fd;

	(void)arg;
	pthread_barrier_wait(&start);
	fd = open(thread_path, O_RDONLY);
	if (fd >= 0)
		close(fd);
	return (void *)(long)(fd >= 0);
}

static int threads(int n, const char *path)
{
	pthread_t t[64];
	int i, opened = 0;
	void *r;

	if (n < 1 || n > 64)
		return 2;
	thread_path = path;
	pthread_barrier_init(&start, NULL, (unsigned)n);
	for (i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, opener, NULL) != 0)
			return 1;
	for (i = 0; i < n; i++) {
		pthread_join(t[i], &r);
		opened += r != NULL;
	}
	printf("%d opened\n", opened);
	return opened != n;
}

static int in_vfork(const char *path)
{
	int status, fd;
	pid_t pid = vfork();

	if (pid < 0)
		return fail("vfork", path);
	if (pid == 0)
		_exit(open(path, read_only) >= 0 ? 0 : errno == EACCES ? 1 : 2);
	if (waitpid(pid, &status, 0) < 0)
		return fail("waitpid", path);
	printf("child=%s ", WEXITSTATUS(status) == 0 ? "opened" :
	       WEXITSTATUS(status) == 1 ? "EACCES" : "other");
	if ((fd = open(path, read_only)) < 0)
		return fail("open", path);
	puts("parent=opened");
	return 0;
}

int main(int argc, char *argv[])
{
	char fdarg[16];
	int fd, fl;

	if (argc < 3)
		return 2;
	if (strcmp(argv[1], "cat") == 0) {
		if ((fd = open(argv[2], read_only)) < 0)
			return fail("open", argv[2]);
		return copy_out(fd);
	}
	if (strcmp(argv[1], "threads") == 0 && argc == 4)
		return threads(atoi(argv[2]), argv[3]);
	if (strcmp(argv[1], "cloexec") == 0) {
		if ((fd = open(argv[2], O_RDONLY | O_CLOEXEC)) < 0)
			return fail("open", argv[2]);
		printf("cloexec=%d ", (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
		fflush(stdout);
		snprintf(fdarg, sizeof(fdarg), "%d", fd);
		execl("/proc/self/exe", argv[0], "isopen", fdarg, (char *)NULL);
		return fail("exec", "/proc/self/exe");
	}
	if (strcmp(argv[1], "isopen") == 0) {
		puts(fcntl(atoi(argv[2]), F_GETFD) >= 0 ? "open" : "closed");
		return 0;
	}
	if (strcmp(argv[1], "freopen") == 0) {
		if (freopen(argv[2], "r", stdin) == NULL)
			return fail("freopen", argv[2]);
		printf("fd=%d ", fileno(stdin));
		fflush(stdout);
		return copy_out(fileno(stdin));
	}
	if (strcmp(argv[1], "closeall") == 0) {
		if ((fd = open(argv[2], read_only)) < 0)
			return fail("open", argv[2]);
		close_range(3, ~0U, 0);
		if ((fd = open(argv[2], read_only)) < 0)
			return fail("reopen", argv[2]);
		puts("reopened");
		return 0;
	}
	if (strcmp(argv[1], "vfork") == 0)
		return in_vfork(argv[2]);
	if (strcmp(argv[1], "fdflags") == 0) {
		fd = atoi(argv[2]);
		if ((fl = fcntl(fd, F_GETFL)) < 0)
			return fail("fcntl", argv[2]);
		printf("append=%d cloexec=%d\n", (fl & O_APPEND) != 0,
		       (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
		return 0;
	}
	return 2;
}

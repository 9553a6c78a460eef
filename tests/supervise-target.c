/* SPDX-License-Identifier: ISC */
/*
 * supervise-target.c - the command check_supervise runs under the
 * supervisor: does what its arguments say, with the system calls
 * themselves (no libc wrapper picks another), and writes one line for
 * each step to OUT, which it opens for appending:
 *
 *   supervise-target OUT STEP...
 *   open PATH      open(2) O_RDONLY          "ok CONTENT CLOEXEC" | "err ERRNO"
 *   cloexec PATH   openat(2) O_CLOEXEC       the same
 *   openat DIR P   openat(2) on DIR's descriptor
 *   i386 PATH      the i386 open through int 0x80 (x86-64 only)
 *   fifo PATH      open(2) O_RDONLY of a FIFO
 *   creat PATH     creat(2), mode 0640, and writes "written"  "ok" | "err E"
 *   threads N P    N threads open P at once    "ok SAME CONTENT"
 *   fork PATH      a child execs this program to open PATH; "exit N"
 *   orphan PATH    a child opens PATH once this process has ended, and
 *                  says who its parent is then       "parent PID"
 *   term-parent -  sends SIGTERM to its parent and waits to be killed
 *   excl PATH      open(2) O_CREAT | O_EXCL | O_WRONLY, mode 0600
 *   badptr -       open(2) of an address that is not mapped
 *   long -         open(2) of a path longer than PATH_MAX
 *   notdir FILE    openat(2) of "x" on a descriptor of FILE
 *   pageend PATH   open(2) of PATH ending where an unmapped page begins
 *   gonedir DIR    makes DIR, enters it, removes it, opens "x" there
 *   linkage -      how this program was linked     "static" | "dynamic"
 *   chdir DIR, umask OCTAL, exit N, kill SIG
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static FILE *out;

static int sys_open(const char *path, int flags, mode_t mode)
{
#ifdef SYS_open
	return (int)syscall(SYS_open, path, flags, mode);
#else
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
#endif
}

/* "ok CONTENT CLOEXEC" for a descriptor (its first line), or "err E". */
static void report(int fd)
{
	char buf[64];
	ssize_t n;

	if (fd < 0) {
		fprintf(out, "err %d\n", errno);
		return;
	}
	n = read(fd, buf, sizeof buf - 1);
	buf[n < 0 ? 0 : n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fprintf(out, "ok %s %d\n", buf, (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
	close(fd);
}

#if defined(__x86_64__) && !defined(__ILP32__)
/* open(2) as a 32-bit program makes it: the path below 4 GiB. */
static int open_i386(const char *path)
{
	char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	long r;

	if (low == MAP_FAILED || strlen(path) >= 4096)
		return -1;
	strcpy(low, path);
	/* 0100000: O_LARGEFILE, as a 32-bit glibc's open sets it. */
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(5L), "b"(low), "c"(0100000L)
			 : "memory");
	munmap(low, 4096);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return (int)r;
}
#endif

struct opener {
	pthread_t t;
	const char *path;
	pthread_barrier_t *start;
	char got[64];
};

static void *open_at_once(void *arg)
{
	struct opener *o = arg;
	ssize_t n;
	int fd;

	pthread_barrier_wait(o->start);
	fd = (int)syscall(SYS_openat, AT_FDCWD, o->path, O_RDONLY);
	strcpy(o->got, "-");
	if (fd >= 0 && (n = read(fd, o->got, sizeof o->got - 1)) >= 0)
		o->got[n] = '\0';
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* Every thread's content, if all read the same. */
static void threads(int n, const char *path)
{
	struct opener o[64];
	pthread_barrier_t start;
	int same = 1;

	if (n < 1 || n > 64)
		exit(2);
	pthread_barrier_init(&start, NULL, (unsigned)n);
	for (int i = 0; i < n; i++) {
		o[i] = (struct opener){ .path = path, .start = &start };
		if (pthread_create(&o[i].t, NULL, open_at_once, &o[i]) != 0)
			exit(2);
	}
	for (int i = 0; i < n; i++) {
		pthread_join(o[i].t, NULL);
		same &= strcmp(o[i].got, o[0].got) == 0;
	}
	o[0].got[strcspn(o[0].got, "\n")] = '\0';
	fprintf(out, same ? "ok %s\n" : "differ\n", o[0].got);
}

static void fork_open(const char *outpath, const char *path)
{
	pid_t pid;
	int st;

	fflush(out);
	if ((pid = fork()) == 0) {
		execl("/proc/self/exe", "supervise-target", outpath, "open", path,
		      (char *)NULL);
		_exit(126);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		exit(2);
	fprintf(out, "exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

/* PATH copied to end with the last byte of a page after which nothing
 * is mapped: a reader that reads past the NUL fails. */
static int open_at_page_end(const char *path)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), len = strlen(path) + 1;
	char *two = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd;

	if (two == MAP_FAILED || len > page || munmap(two + page, page) != 0)
		exit(2);
	memcpy(two + page - len, path, len);
	fd = sys_open(two + page - len, O_RDONLY, 0);
	munmap(two, page);
	return fd;
}

/* A path longer than PATH_MAX, of "/" repeated. */
static int open_long(void)
{
	static char path[PATH_MAX + 2];

	memset(path, '/', sizeof path - 1);
	return sys_open(path, O_RDONLY, 0);
}

/* "x" in a working directory that is gone. */
static int open_in_gone_dir(const char *dir)
{
	if (mkdir(dir, 0700) != 0 || chdir(dir) != 0 || rmdir(dir) != 0)
		exit(2);
	return sys_open("x", O_RDONLY, 0);
}

/* The child waits for its parent's end: the death signal comes once it
 * has a new parent, which EOF on a pipe would not wait for (an exiting
 * process closes its files first). */
static void orphan_open(const char *path)
{
	pid_t parent = getpid();
	sigset_t usr1;
	int sig;

	fflush(out);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	switch (fork()) {
	case -1:
		exit(2);
	case 0:
		sigprocmask(SIG_BLOCK, &usr1, NULL);
		if (prctl(PR_SET_PDEATHSIG, SIGUSR1) != 0)
			_exit(2);
		if (getppid() == parent)
			sigwait(&usr1, &sig);
		fprintf(out, "parent %d\n", (int)getppid());
		report(sys_open(path, O_RDONLY, 0));
		_exit(0);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2 || (out = fopen(argv[1], "a")) == NULL)
		return 2;
	setvbuf(out, NULL, _IOLBF, 0);
	for (int i = 2; i < argc; i++) {
		const char *step = argv[i], *a = i + 1 < argc ? argv[i + 1] : NULL;

		if (a == NULL)
			return 2;
		i++;
		if (strcmp(step, "open") == 0) {
			report(sys_open(a, O_RDONLY, 0));
		} else if (strcmp(step, "cloexec") == 0) {
			report((int)syscall(SYS_openat, AT_FDCWD, a, O_RDONLY | O_CLOEXEC));
		} else if (strcmp(step, "openat") == 0 && i + 1 < argc) {
			int dir = open(a, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

			report((int)syscall(SYS_openat, dir, argv[++i], O_RDONLY));
			close(dir);
#if defined(__x86_64__) && !defined(__ILP32__)
		} else if (strcmp(step, "i386") == 0) {
			report(open_i386(a));
#endif
		} else if (strcmp(step, "excl") == 0) {
			report(sys_open(a, O_CREAT | O_EXCL | O_WRONLY, 0600));
		} else if (strcmp(step, "badptr") == 0) {
			report(sys_open((const char *)8, O_RDONLY, 0));
		} else if (strcmp(step, "long") == 0) {
			report(open_long());
		} else if (strcmp(step, "notdir") == 0) {
			int file = open(a, O_RDONLY | O_CLOEXEC);

			report((int)syscall(SYS_openat, file, "x", O_RDONLY));
			close(file);
		} else if (strcmp(step, "pageend") == 0) {
			report(open_at_page_end(a));
		} else if (strcmp(step, "gonedir") == 0) {
			report(open_in_gone_dir(a));
		} else if (strcmp(step, "linkage") == 0) {
			/* Where the loader was mapped: nowhere in a static
			 * program. */
			fprintf(out, getauxval(AT_BASE) == 0 ? "static\n" : "dynamic\n");
		} else if (strcmp(step, "fifo") == 0) {
			report(sys_open(a, O_RDONLY, 0));
		} else if (strcmp(step, "creat") == 0) {
#ifdef SYS_creat
			int fd = (int)syscall(SYS_creat, a, 0640);
#else
			int fd = sys_open(a, O_CREAT | O_WRONLY | O_TRUNC, 0640);
#endif
			if (fd < 0 || write(fd, "written", 7) != 7)
				fprintf(out, "err %d\n", errno);
			else
				fprintf(out, "ok\n");
			if (fd >= 0)
				close(fd);
		} else if (strcmp(step, "threads") == 0 && i + 1 < argc) {
			threads(atoi(a), argv[++i]);
		} else if (strcmp(step, "fork") == 0) {
			fork_open(argv[1], a);
		} else if (strcmp(step, "orphan") == 0) {
			orphan_open(a);
		} else if (strcmp(step, "term-parent") == 0) {
			kill(getppid(), SIGTERM);
			for (;;)
				pause();
		} else if (strcmp(step, "chdir") == 0) {
			if (chdir(a) != 0)
				return 2;
		} else if (strcmp(step, "umask") == 0) {
			umask((mode_t)strtoul(a, NULL, 8));
		} else if (strcmp(step, "exit") == 0) {
			return atoi(a);
		} else if (strcmp(step, "kill") == 0) {
			fflush(out);
			signal(atoi(a), SIG_DFL);
			raise(atoi(a));
		} else {
			return 2;
		}
	}
	return 0;
}

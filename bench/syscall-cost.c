/* SPDX-License-Identifier: ISC */
/*
 * syscall-cost - what each system call a broker request makes costs on
 * this machine, outside any filter: the price list behind the broker's
 * count of calls a request (doc/performance.md).
 *
 *   make bench/syscall-cost && bench/syscall-cost FILE
 *
 * FILE: a file the caller may read (the broker's world-readable case).
 * Each call is timed over CALLS calls, ROUNDS times, the rounds of every
 * call taking turns; the median round is printed, in microseconds.
 */
#include "config.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "clock.h"

#define CALLS 5000
#define ROUNDS 7

enum call { BARE, CAPSET, ALARM, OPENAT2, FSTAT, READLINK, REOPEN, WRITEV,
	    SENDRECV, PPOLL, NCALLS };

static const char *const names[NCALLS] = {
	"getppid: a bare system call",
	"capset",
	"alarm",
	"openat2 O_PATH of FILE, with its close",
	"newfstatat AT_EMPTY_PATH",
	"readlink /proc/self/fd/N",
	"open /proc/self/fd/N, with its close",
	"writev of a 250-byte record, O_APPEND",
	"sendmsg + recvmsg of 12 bytes",
	"ppoll with no wait",
};

static struct {
	const char *file;
	struct open_how how;
	int pfd, log, sv[2];
	char proc[32], buf[4096], rec[250];
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct d[2];
} s;

static void once(enum call c)
{
	struct iovec iov = { s.rec, sizeof s.rec };
	struct pollfd p = { s.sv[1], POLLIN, 0 };
	struct timespec zero = { 0, 0 };
	struct stat st;

	switch (c) {
	case BARE:
		(void)getppid();
		break;
	case CAPSET:
		(void)syscall(SYS_capset, &s.h, s.d);
		break;
	case ALARM:
		(void)alarm(3600);
		break;
	case OPENAT2:
		close((int)syscall(SYS_openat2, AT_FDCWD, s.file, &s.how, sizeof s.how));
		break;
	case FSTAT:
		(void)fstatat(s.pfd, "", &st, AT_EMPTY_PATH);
		break;
	case READLINK:
		(void)readlink(s.proc, s.buf, sizeof s.buf);
		break;
	case REOPEN:
		close(open(s.proc, O_RDONLY | O_CLOEXEC));
		break;
	case WRITEV:
		(void)writev(s.log, &iov, 1);
		break;
	case SENDRECV:
		(void)send(s.sv[0], s.rec, 12, 0);
		(void)recv(s.sv[1], s.buf, 12, 0);
		break;
	case PPOLL:
		(void)ppoll(&p, 1, &zero, NULL);
		break;
	case NCALLS:
		break;
	}
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char *argv[])
{
	static double us[NCALLS][ROUNDS];
	char logname[] = "/tmp/syscall-cost.XXXXXX";

	if (argc != 2) {
		fprintf(stderr, "usage: syscall-cost FILE\n");
		return 2;
	}
	s.file = argv[1];
	s.how = (struct open_how){ .flags = O_PATH | O_CLOEXEC | O_NOFOLLOW,
				   .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
	s.pfd = (int)syscall(SYS_openat2, AT_FDCWD, s.file, &s.how, sizeof s.how);
	s.log = mkstemp(logname);
	s.h = (struct __user_cap_header_struct){ _LINUX_CAPABILITY_VERSION_3, 0 };
	if (s.pfd < 0 || s.log < 0 || unlink(logname) < 0 ||
	    fcntl(s.log, F_SETFL, O_APPEND) < 0 ||
	    syscall(SYS_capget, &s.h, s.d) < 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, s.sv) < 0) {
		perror("syscall-cost: setting up");
		return 1;
	}
	snprintf(s.proc, sizeof s.proc, "/proc/self/fd/%d", s.pfd);
	memset(s.rec, 'x', sizeof s.rec);
	for (int r = 0; r < ROUNDS; r++)
		for (int c = 0; c < NCALLS; c++) {
			long long t0 = now_ns();

			for (int i = 0; i < CALLS; i++)
				once((enum call)c);
			us[c][r] = (double)(now_ns() - t0) / CALLS / 1000.0;
		}
	alarm(0);
	printf("%-42s %s\n", "system call", "median µs");
	for (int c = 0; c < NCALLS; c++) {
		qsort(us[c], ROUNDS, sizeof us[c][0], by_value);
		printf("%-42s %6.2f\n", names[c], us[c][ROUNDS / 2]);
	}
	return 0;
}

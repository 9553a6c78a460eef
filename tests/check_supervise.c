/* SPDX-License-Identifier: ISC */
/*
 * check_supervise.c - supervise_run() for real: a command
 * (supervise-target) under the filter, its refused opens answered by a
 * stand-in for my_open() that records what it was asked and opens a file
 * of the test's choosing.  The kernel must refuse the files the test
 * makes mode 0: as root each test first becomes nobody.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "supervise.h"
#include "testutil.h"

#define NOBODY 65534

static char dir[256]; /* the test's directory, as the kernel names it */
static char target[PATH_MAX]; /* supervise-target, where the test user may run it */
static char target_static[PATH_MAX];
static char outpath[PATH_MAX];

/* What the stand-in was asked, and what it answers: the file answer
 * opened with the access mode asked, or EACCES when answer is NULL. */
static struct {
	int calls;
	char path[PATH_MAX];
	int flags;
	mode_t mode, umask;
} asked;
static const char *answer;

static int stand_in(const char *path, int flags, mode_t mode)
{
	asked.calls++;
	snprintf(asked.path, sizeof asked.path, "%s", path);
	asked.flags = flags;
	asked.mode = mode;
	asked.umask = umask(0);
	umask(asked.umask);
	if (answer == NULL) {
		errno = EACCES;
		return -1;
	}
	return open(answer, (flags & O_ACCMODE) | O_CLOEXEC);
}

static char *in_dir(const char *name)
{
	static char buf[4][PATH_MAX];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, PATH_MAX, "%s/%s", dir, name);
	return p;
}

static void write_file(const char *name, const char *content, mode_t mode)
{
	int fd = open(in_dir(name), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
}

static void copy(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), o;
	ssize_t n;

	ck_assert_msg(in >= 0, "%s: %s", from, strerror(errno));
	o = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	ck_assert_int_ge(o, 0);
	while ((n = read(in, buf, sizeof buf)) > 0)
		ck_assert_int_eq(write(o, buf, (size_t)n), n);
	ck_assert_int_eq(n, 0);
	close(in);
	close(o);
}

static const char *built(const char *name)
{
	static char p[PATH_MAX];
	const char *top = getenv("top_builddir");

	snprintf(p, sizeof p, "%s/tests/%s", top ? top : ".", name);
	return p;
}

/* A directory of the test's, the targets copied in (a build tree may be
 * closed to nobody), then, as root, nobody's ids. */
static void setup(void)
{
	char tmpl[] = "/tmp/check_supervise.XXXXXX", real[PATH_MAX];

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	ck_assert_ptr_nonnull(realpath(tmpl, real));
	ck_assert_uint_lt(strlen(real), sizeof dir);
	strcpy(dir, real);
	snprintf(target, sizeof target, "%s/supervise-target", dir);
	copy(built("supervise-target"), target);
	snprintf(target_static, sizeof target_static, "%s/supervise-target-static", dir);
	if (access(built("supervise-target-static"), F_OK) == 0)
		copy(built("supervise-target-static"), target_static);
	copy("/proc/self/exe", in_dir("check_supervise"));
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(dir, NOBODY, NOBODY), 0);
		ck_assert_int_eq(setgroups(0, NULL), 0);
		ck_assert_int_eq(setresgid(NOBODY, NOBODY, NOBODY), 0);
		ck_assert_int_eq(setresuid(NOBODY, NOBODY, NOBODY), 0);
	}
	snprintf(outpath, sizeof outpath, "%s", in_dir("out"));
	write_file("secret", "secret\n", 0);
	write_file("readable", "readable\n", 0644);
	write_file("subst", "substituted\n", 0644);
	answer = in_dir("subst");
	memset(&asked, 0, sizeof asked);
}

/* Each test runs in a process of its own, which may be nobody's now:
 * what it made, it removes. */
static void teardown(void)
{
	char cmd[PATH_MAX + 16];

	chmod(in_dir("ro"), 0755);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	(void)!system(cmd);
}

/* Runs the target (or prog) with steps, NULL-terminated; returns the
 * wait status. */
static int run_with(const char *prog, ...)
{
	char *argv[16];
	va_list ap;
	int n = 0, st;

	argv[n++] = (char *)prog;
	argv[n++] = outpath;
	va_start(ap, prog);
	while ((argv[n] = va_arg(ap, char *)) != NULL && n < 15)
		n++;
	va_end(ap);
	argv[n] = NULL;
	st = supervise_run(argv, stand_in);
	ck_assert_msg(st != -1, "supervise_run: %s", strerror(errno));
	return st;
}
#define run(...) run_with(target, __VA_ARGS__, (char *)NULL)

/* A file's first 4 KiB, as a string. */
static const char *contents(const char *path)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);

	buf[n < 0 ? 0 : n] = '\0';
	if (fd >= 0)
		close(fd);
	return buf;
}

/* What the target wrote. */
#define output() contents(outpath)

static void assert_ran(int st)
{
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "status %#x, output:\n%s", st, output());
}

START_TEST(refused_absolute_is_answered)
{
	assert_ran(run("open", in_dir("secret")));
	ck_assert_str_eq(output(), "ok substituted 0\n");
	ck_assert_int_eq(asked.calls, 1);
	ck_assert_str_eq(asked.path, in_dir("secret"));
	ck_assert_int_eq(asked.flags, O_RDONLY | O_CLOEXEC);
}
END_TEST

START_TEST(allowed_never_asks)
{
	assert_ran(run("linkage", "-", "open", in_dir("readable"), "cloexec",
		       in_dir("readable")));
	ck_assert_str_eq(output(), "dynamic\nok readable 0\nok readable 1\n");
	ck_assert_int_eq(asked.calls, 0);
}
END_TEST

/* /proc/self is the command's there, the supervisor's here: the test's
 * process, no longer root, is not dumpable, so its own environ is
 * root's and a probe of it would say EACCES. */
START_TEST(proc_goes_to_the_kernel)
{
	assert_ran(run("open", "/proc/self/environ"));
	ck_assert_int_eq(asked.calls, 0);
}
END_TEST

START_TEST(relative_to_working_directory)
{
	assert_ran(run("chdir", dir, "open", "secret"));
	ck_assert_str_eq(output(), "ok substituted 0\n");
	ck_assert_str_eq(asked.path, in_dir("secret"));
}
END_TEST

/* The directory's descriptor, not the working directory (/). */
START_TEST(relative_to_dirfd)
{
	assert_ran(run("chdir", "/", "openat", dir, "secret"));
	ck_assert_str_eq(output(), "ok substituted 0\n");
	ck_assert_int_eq(asked.calls, 1);
	ck_assert_str_eq(asked.path, in_dir("secret"));
}
END_TEST

START_TEST(cloexec_as_asked)
{
	assert_ran(run("cloexec", in_dir("secret"), "open", in_dir("secret")));
	ck_assert_str_eq(output(), "ok substituted 1\nok substituted 0\n");
	ck_assert_int_eq(asked.calls, 2);
}
END_TEST

/* In a directory the user may not write: the stand-in gets the mode, the
 * flags and the command's umask, and the command writes to what it gave. */
START_TEST(creat_is_answered)
{
	struct stat st;

	ck_assert_int_eq(mkdir(in_dir("ro"), 0555), 0);
	assert_ran(run("umask", "027", "creat", in_dir("ro/new")));
	ck_assert_str_eq(output(), "ok\n");
	ck_assert_int_eq(asked.calls, 1);
	ck_assert_str_eq(asked.path, in_dir("ro/new"));
	ck_assert_int_eq(asked.flags, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC);
	ck_assert_int_eq(asked.mode, 0640);
	ck_assert_int_eq(asked.umask, 027);
	ck_assert_int_ne(umask(022), 027); /* ours again */
	ck_assert_int_eq(stat(in_dir("ro/new"), &st), -1);
	ck_assert_str_eq(contents(in_dir("subst")), "writtenuted\n");
}
END_TEST

/* Allowed to create: the kernel does it, with the command's umask. */
START_TEST(creat_allowed_never_asks)
{
	struct stat st;

	assert_ran(run("umask", "077", "creat", in_dir("new")));
	ck_assert_str_eq(output(), "ok\n");
	ck_assert_int_eq(asked.calls, 0);
	ck_assert_int_eq(stat(in_dir("new"), &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
}
END_TEST

START_TEST(refused_by_both_is_the_kernels_errno)
{
	answer = NULL;
	assert_ran(run("open", in_dir("secret")));
	ck_assert_str_eq(output(), "err 13\n");
	ck_assert_int_eq(asked.calls, 1);
}
END_TEST

/* Where the kernel's answer says more, the stand-in is never asked:
 * EEXIST for O_EXCL on a file the user may not open. */
START_TEST(excl_on_existing_never_asks)
{
	assert_ran(run("excl", in_dir("secret")));
	ck_assert_str_eq(output(), "err 17\n");
	ck_assert_int_eq(asked.calls, 0);
}
END_TEST

/* In doubt the kernel answers: a bad pointer, a path too long, a dirfd
 * that is no directory, a working directory that is gone. */
START_TEST(doubt_goes_to_the_kernel)
{
	char want[64];

	assert_ran(run("badptr", "-", "long", "-", "notdir", in_dir("readable"),
		       "gonedir", in_dir("gone")));
	snprintf(want, sizeof want, "err %d\nerr %d\nerr %d\nerr %d\n",
		 EFAULT, ENAMETOOLONG, ENOTDIR, ENOENT);
	ck_assert_str_eq(output(), want);
	ck_assert_int_eq(asked.calls, 0);
}
END_TEST

/* A path whose NUL is the last byte mapped is read whole. */
START_TEST(path_at_the_end_of_the_mapping)
{
	assert_ran(run("pageend", in_dir("secret")));
	ck_assert_str_eq(output(), "ok substituted 0\n");
	ck_assert_str_eq(asked.path, in_dir("secret"));
}
END_TEST

START_TEST(sixteen_threads_at_once)
{
	assert_ran(run("threads", "16", in_dir("secret")));
	ck_assert_str_eq(output(), "ok substituted\n");
	ck_assert_int_eq(asked.calls, 16);
}
END_TEST

START_TEST(child_of_the_command)
{
	assert_ran(run("fork", in_dir("secret")));
	ck_assert_str_eq(output(), "ok substituted 0\nexit 0\n");
	ck_assert_int_eq(asked.calls, 1);
}
END_TEST

/* The command ends first; its child, which then opens, is still served,
 * and the command's status is what comes back. */
START_TEST(orphan_is_served_until_it_ends)
{
	int st = run("orphan", in_dir("secret"), "exit", "5");
	char want[64];

	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 5, "status %#x", st);
	/* Ours, the subreaper's, as it ended. */
	snprintf(want, sizeof want, "parent %d\nok substituted 0\n", (int)getpid());
	ck_assert_str_eq(output(), want);
	ck_assert_int_eq(asked.calls, 1);
	ck_assert_int_eq(waitpid(-1, &st, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}
END_TEST

START_TEST(static_binary)
{
	assert_ran(run_with(target_static, "linkage", "-", "open", in_dir("secret"),
			    "chdir", "/", "openat", dir, "secret", "threads", "4",
			    in_dir("secret"), (char *)NULL));
	ck_assert_str_eq(output(), "static\nok substituted 0\nok substituted 0\n"
				   "ok substituted\n");
	ck_assert_int_eq(asked.calls, 6);
}
END_TEST

#if defined(__x86_64__) && !defined(__ILP32__)
/* Whether int 0x80 is a system call here, not a SIGSEGV: a kernel
 * without IA32 emulation has no 32-bit ABI for a command to use. */
static int ia32_syscalls(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		long r;

		/* Killed by the fault, not reported by a sanitizer's handler. */
		signal(SIGSEGV, SIG_DFL);
		__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
		_exit(r > 0 ? 0 : 1);
	}
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	       WEXITSTATUS(st) == 0;
}

START_TEST(i386_abi)
{
	assert_ran(run("i386", in_dir("secret"), "i386", in_dir("readable")));
	ck_assert_str_eq(output(), "ok substituted 0\nok readable 0\n");
	ck_assert_int_eq(asked.calls, 1);
	ck_assert_str_eq(asked.path, in_dir("secret"));
	ck_assert_int_eq(asked.flags, O_RDONLY | O_CLOEXEC);
}
END_TEST
#endif

START_TEST(exit_status_and_signal)
{
	int st = run("exit", "3");

	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 3, "status %#x", st);
	st = run("kill", "9");
	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "status %#x", st);
}
END_TEST

/* The supervisor, sent SIGTERM, passes it on and waits. */
START_TEST(signal_is_forwarded)
{
	int st = run("term-parent", "-");

	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "status %#x", st);
}
END_TEST

START_TEST(missing_command)
{
	static char name[] = "openfile-no-such-command";
	char *missing[] = { name, NULL };
	char *nopath[] = { in_dir("no-such"), NULL };
	char *noexec[] = { in_dir("readable"), NULL };
	int st;

	/* execvp says EACCES when a directory on PATH is closed to it. */
	ck_assert_int_eq(setenv("PATH", "/usr/bin:/bin", 1), 0);
	errno = 0;
	ck_assert_int_eq(supervise_run(missing, stand_in), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(supervise_run(nopath, stand_in), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(supervise_run(noexec, stand_in), -1);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_int_eq(supervise_run(missing, NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	missing[0] = NULL;
	ck_assert_int_eq(supervise_run(missing, stand_in), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* Nothing ran, nothing is left. */
	ck_assert_int_eq(waitpid(-1, &st, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
	ck_assert_int_eq(asked.calls, 0);
}
END_TEST

/* The writer, a thread (supervise_run reaps every child): it blocks
 * until the command opens the other end, which it does only if the
 * supervisor let the open through without opening the FIFO itself. */
static void *fifo_writer(void *arg)
{
	int fd = open(arg, O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		(void)!write(fd, "fifo\n", 5);
		close(fd);
	}
	return NULL;
}

START_TEST(fifo_is_not_opened_by_the_supervisor)
{
	sigset_t all, old;
	pthread_t t;

	ck_assert_int_eq(mkfifo(in_dir("fifo"), 0644), 0);
	/* Every signal blocked in the thread: SIGCHLD is the signalfd's. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ck_assert_int_eq(pthread_create(&t, NULL, fifo_writer, in_dir("fifo")), 0);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	assert_ran(run("fifo", in_dir("fifo")));
	pthread_join(t, NULL);
	ck_assert_str_eq(output(), "ok fifo 0\n");
	ck_assert_int_eq(asked.calls, 0);
}
END_TEST

/* This program, run under the supervisor to try another inside it:
 * writes "SUPPORTED RESULT ERRNO" to out. */
static int nested(const char *out)
{
	static char name[] = "true";
	char *argv[] = { name, NULL };
	int supported = supervise_supported(), r = supervise_run(argv, stand_in);
	FILE *f = fopen(out, "a");

	if (f == NULL)
		return 2;
	fprintf(f, "%d %d %d\n", supported, r, r < 0 ? errno : 0);
	return fclose(f) != 0;
}

START_TEST(nested_supervisor_is_busy)
{
	char want[32];

	assert_ran(run_with(in_dir("check_supervise"), "--nested", (char *)NULL));
	snprintf(want, sizeof want, "0 -1 %d\n", EBUSY);
	ck_assert_str_eq(output(), want);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s;
	TCase *tc;

	/* Before the suite is made: a sanitizer build checks this process
	 * for leaks too. */
	if (argc == 3 && strcmp(argv[2], "--nested") == 0)
		return nested(argv[1]);
	s = suite_create("supervise");
	tc = tcase_create("supervise_run");

	if (!supervise_supported()) {
		/* TAP: a plan of none, with the reason. */
		printf("1..0 # SKIP the kernel lacks SECCOMP_ADDFD_FLAG_SEND (Linux 5.14)\n");
		return 0;
	}
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, refused_absolute_is_answered);
	tcase_add_test(tc, allowed_never_asks);
	tcase_add_test(tc, proc_goes_to_the_kernel);
	tcase_add_test(tc, relative_to_working_directory);
	tcase_add_test(tc, relative_to_dirfd);
	tcase_add_test(tc, cloexec_as_asked);
	tcase_add_test(tc, creat_is_answered);
	tcase_add_test(tc, creat_allowed_never_asks);
	tcase_add_test(tc, refused_by_both_is_the_kernels_errno);
	tcase_add_test(tc, excl_on_existing_never_asks);
	tcase_add_test(tc, doubt_goes_to_the_kernel);
	tcase_add_test(tc, path_at_the_end_of_the_mapping);
	tcase_add_test(tc, sixteen_threads_at_once);
	tcase_add_test(tc, child_of_the_command);
	tcase_add_test(tc, orphan_is_served_until_it_ends);
	if (access(built("supervise-target-static"), X_OK) == 0)
		tcase_add_test(tc, static_binary);
	else
		printf("# static_binary skipped: no static supervise-target "
		       "(libc.a missing, or a sanitizer build)\n");
#if defined(__x86_64__) && !defined(__ILP32__)
	if (ia32_syscalls())
		tcase_add_test(tc, i386_abi);
	else
		printf("# i386_abi skipped: this kernel has no 32-bit system "
		       "calls (ia32_emulation off): none can reach it\n");
#endif
	tcase_add_test(tc, exit_status_and_signal);
	tcase_add_test(tc, signal_is_forwarded);
	tcase_add_test(tc, missing_command);
	tcase_add_test(tc, fifo_is_not_opened_by_the_supervisor);
	tcase_add_test(tc, nested_supervisor_is_busy);
	suite_add_tcase(s, tc);
	return tu_run(s);
}

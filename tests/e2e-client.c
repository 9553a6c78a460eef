/* SPDX-License-Identifier: ISC */
/*
 * e2e-client - the unprivileged side of the end-to-end tests: calls
 * my_open() (built against the test helper) in the ways a host program
 * might, and prints what happened for tests/e2e.sh to check.
 *
 * Every command prints one line: "ok ..." or "err ENAME" (the errno), or
 * "fail: why" when the host-side invariants (descriptors, zombies) broke.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "myopen.h"
#include "protocol.h"
#include "testutil.h"
#include "e2e-client.h"

FILE *out;

static const struct {
	const char *name;
	int flag;
} flag_names[] = {
	{ "r", O_RDONLY },	{ "w", O_WRONLY },	 { "rw", O_RDWR },
	{ "creat", O_CREAT },	{ "excl", O_EXCL },	 { "trunc", O_TRUNC },
	{ "append", O_APPEND }, { "nofollow", O_NOFOLLOW },
	{ "dir", O_DIRECTORY }, { "cloexec", O_CLOEXEC },
	{ "nonblock", O_NONBLOCK }, { "path", O_PATH },
	{ "tmpfile", O_TMPFILE }, { "noatime", O_NOATIME },
	{ "async", O_ASYNC }, { "accmode3", O_ACCMODE },
};

/* "rw,creat,excl" or a number to open(2) flags. */
int parse_flags(const char *s)
{
	char buf[256], *save = NULL;
	int flags = 0;

	if (s[0] >= '0' && s[0] <= '9')
		return (int)strtoul(s, NULL, 0);
	snprintf(buf, sizeof buf, "%s", s);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
			if (strcmp(t, flag_names[i].name) == 0)
				break;
		if (i == sizeof flag_names / sizeof flag_names[0]) {
			fprintf(stderr, "e2e-client: unknown flag %s\n", t);
			exit(2);
		}
		flags |= flag_names[i].flag;
	}
	return flags;
}

const char *ename(int e)
{
	static const struct {
		int e;
		const char *n;
	} names[] = {
		{ EACCES, "EACCES" }, { ENOENT, "ENOENT" }, { EPERM, "EPERM" },
		{ ENOSYS, "ENOSYS" }, { EIO, "EIO" }, { EPROTO, "EPROTO" },
		{ EMFILE, "EMFILE" }, { EINVAL, "EINVAL" }, { EEXIST, "EEXIST" },
		{ ELOOP, "ELOOP" }, { ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" },
		{ ENAMETOOLONG, "ENAMETOOLONG" }, { ENXIO, "ENXIO" },
		{ EFAULT, "EFAULT" }, { EAGAIN, "EAGAIN" }, { EBADF, "EBADF" },
		{ ENOMEM, "ENOMEM" }, { ENOTTY, "ENOTTY" }, { EPIPE, "EPIPE" },
		{ EXDEV, "EXDEV" }, { ECONNREFUSED, "ECONNREFUSED" },
		{ ETIMEDOUT, "ETIMEDOUT" }, { EADDRINUSE, "EADDRINUSE" },
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].e == e)
			return names[i].n;
	return strerror(e);
}

/* Children of ours that are zombies (there must be none after a call). */
int count_zombies(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	while (d != NULL && (e = readdir(d)) != NULL) {
		char path[300], buf[512], *p;
		FILE *f;
		int ppid;
		char state;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(buf, sizeof buf, f) != NULL &&
		    (p = strrchr(buf, ')')) != NULL &&
		    sscanf(p + 1, " %c %d", &state, &ppid) == 2 &&
		    ppid == getpid() && state == 'Z')
			n++;
		fclose(f);
	}
	if (d != NULL)
		closedir(d);
	return n;
}

/* Prints the outcome of one open: the access mode the descriptor has and
 * whether it is close-on-exec, or the errno. */
int report(int fd)
{
	if (fd < 0) {
		fprintf(out, "err %s\n", ename(errno));
		return 1;
	}
	int fl = fcntl(fd, F_GETFL), fdfl = fcntl(fd, F_GETFD);
	int acc = fl & O_ACCMODE;

	fprintf(out, "ok %s cloexec=%d append=%d\n",
		acc == O_RDONLY ? "r" : acc == O_WRONLY ? "w" : "rw",
		(fdfl & FD_CLOEXEC) != 0, (fl & O_APPEND) != 0);
	close(fd);
	return 0;
}

static int do_open(const char *path, int flags, mode_t mode)
{
	return my_open(path, flags, mode);
}

static int cmd_open(int argc, char **argv)
{
	mode_t mode = argc > 4 ? (mode_t)strtoul(argv[4], NULL, 8) : 0600;

	if (argc > 5)
		umask((mode_t)strtoul(argv[5], NULL, 8));
	return report(do_open(argv[2], parse_flags(argv[3]), mode));
}

/* Reads the whole file through my_open to stdout. */
static int cmd_cat(const char *path)
{
	char buf[4096];
	ssize_t n;
	int fd = my_open(path, O_RDONLY);

	if (fd < 0)
		return report(fd);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		fwrite(buf, 1, (size_t)n, out);
	close(fd);
	return 0;
}

static int cmd_write(const char *path, const char *flags, const char *text)
{
	int fd = my_open(path, parse_flags(flags), 0644);

	if (fd < 0)
		return report(fd);
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		fprintf(out, "err %s\n", ename(errno));
		close(fd);
		return 1;
	}
	close(fd);
	fprintf(out, "ok\n");
	return 0;
}

static int cmd_fopen(const char *path, const char *mode)
{
	FILE *f = my_fopen(path, mode);
	char line[256];

	if (f == NULL) {
		fprintf(out, "err %s\n", ename(errno));
		return 1;
	}
	if (fgets(line, sizeof line, f) == NULL)
		line[0] = '\0';
	fclose(f);
	fprintf(out, "ok %s", line);
	return 0;
}

/* SIGCHLD ignored: the kernel reaps the helper, the answer is in-band. */
static int cmd_sigchld_ignored(const char *path)
{
	signal(SIGCHLD, SIG_IGN);
	return report(my_open(path, O_RDONLY));
}

static void reap_all(int sig)
{
	int e = errno;

	(void)sig;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	errno = e;
}

/* A host with a SIGCHLD handler reaping everything, and a child of its
 * own that my_open must leave alone when no handler runs. */
static int cmd_reaper(const char *path)
{
	struct sigaction sa;
	pid_t other;
	int st, r;

	other = fork();
	if (other == 0) {
		usleep(300000);
		_exit(42);
	}
	r = report(my_open(path, O_RDONLY));
	if (waitpid(other, &st, 0) != other || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 42) {
		fprintf(out, "fail: my_open reaped the host's other child\n");
		return 1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = reap_all;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	return r | report(my_open(path, O_RDONLY));
}

/* Standard streams closed: the answer goes to a saved descriptor. */
static int cmd_closed_fds(const char *path, const char *which)
{
	int saved = dup(1), fd;

	out = fdopen(saved, "w");
	for (const char *p = which; *p; p++)
		close(*p - '0');
	fd = my_open(path, O_RDONLY);
	if (fd >= 0 && fd <= 2 && strchr(which, '0' + fd) == NULL) {
		fprintf(out, "fail: got descriptor %d, which was open\n", fd);
		return 1;
	}
	return report(fd);
}

/* All but `room` descriptors below the limit in use. */
static int cmd_nofile(const char *path, int room)
{
	struct rlimit rl;
	int before, zombies;

	int last = -1, fd;

	rl.rlim_cur = rl.rlim_max = 16;
	setrlimit(RLIMIT_NOFILE, &rl);
	while ((fd = dup(0)) >= 0)
		last = fd;
	for (int i = 0; i < room && last >= 0; i++)
		close(last--);
	before = tu_count_fds();
	report(my_open(path, O_RDONLY));
	zombies = count_zombies();
	if (tu_count_fds() != before || zombies != 0) {
		fprintf(out, "fail: fds %d -> %d, zombies %d\n", before,
			tu_count_fds(), zombies);
		return 1;
	}
	return 0;
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* A 1 ms interval timer without SA_RESTART interrupts every wait. */
static int cmd_alarm(const char *path, int n)
{
	struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
	struct sigaction sa;
	int ok = 0;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (int i = 0; i < n; i++) {
		int fd = my_open(path, O_RDONLY);

		if (fd >= 0) {
			ok++;
			close(fd);
		} else {
			fprintf(out, "err %s at call %d\n", ename(errno), i);
			return 1;
		}
	}
	fprintf(out, "ok %d calls, %d alarms\n", ok, (int)alarms);
	return 0;
}

struct mix {
	const char *allowed, *denied, *missing;
	int iterations, failures;
};

/* One round of calls whose answers are known. */
static int mixed_round(const struct mix *m, int i)
{
	int fd;

	switch (i % 4) {
	case 0:
	case 3:
		fd = my_open(m->allowed, (i & 8) ? O_RDONLY | O_CLOEXEC : O_RDONLY);
		if (fd < 0)
			return 1;
		close(fd);
		return 0;
	case 1:
		return !(my_open(m->denied, O_RDONLY) < 0 && errno == EACCES);
	default:
		return !(my_open(m->missing, O_RDONLY) < 0 && errno == ENOENT);
	}
}

static void *mixed_thread(void *arg)
{
	struct mix *m = arg;

	for (int i = 0; i < m->iterations; i++)
		m->failures += mixed_round(m, i);
	return NULL;
}

/* threads x iterations mixed calls; descriptors and zombies unchanged. */
static int cmd_mixed(char **argv, int threads, int iterations)
{
	struct mix m[64];
	pthread_t t[64];
	int before = tu_count_fds(), failures = 0, zombies;

	if (threads < 1 || threads > 64)
		return 2;
	for (int i = 0; i < threads; i++) {
		m[i] = (struct mix){ argv[0], argv[1], argv[2], iterations, 0 };
		if (pthread_create(&t[i], NULL, mixed_thread, &m[i]) != 0)
			return 2;
	}
	for (int i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		failures += m[i].failures;
	}
	zombies = count_zombies();
	if (failures || tu_count_fds() != before || zombies) {
		fprintf(out, "fail: %d wrong answers, fds %d -> %d, %d zombies\n",
			failures, before, tu_count_fds(), zombies);
		return 1;
	}
	fprintf(out, "ok %d calls\n", threads * iterations);
	return 0;
}

/* The argument vectors a hostile caller could exec the helper with. */
static char **direct_argv(const char *spec)
{
	static char a0[] = "openfile", a1[] = "3", empty[] = "", extra[] = "x";
	static char fmt[] = "%n%s%x%n", *huge;
	static char *std[] = { a0, a1, NULL }, *none[] = { NULL },
		    *empty0[] = { empty, a1, NULL }, *more[] = { a0, a1, extra, NULL },
		    *fmts[] = { fmt, fmt, NULL }, *fmt1[] = { a0, fmt, NULL },
		    *big[] = { a0, NULL, NULL };

	if (strcmp(spec, "none") == 0)
		return none;
	if (strcmp(spec, "empty0") == 0)
		return empty0;
	if (strcmp(spec, "extra") == 0)
		return more;
	if (strcmp(spec, "fmt") == 0)
		return fmts;
	if (strcmp(spec, "fmt1") == 0)
		return fmt1;
	if (strcmp(spec, "huge") == 0) { /* 100 KiB of format directives */
		huge = malloc(100001);
		for (int i = 0; huge != NULL && i < 100000; i += 2)
			memcpy(huge + i, "%n", 2);
		if (huge != NULL)
			huge[100000] = '\0';
		big[1] = huge;
		return big;
	}
	return std;
}

/*
 * Runs the helper directly, as a hostile caller could: with the argv
 * direct_argv names, a hostile environment, and on descriptor 3 a
 * socketpair ("socket"; "fds" adds 500 inherited descriptors from 10 up)
 * or something else (file, pipe, dgram, listen, closed).  Prints the exit
 * status, whether anything was written on descriptor 3, and the answer.
 */
static int cmd_direct(const char *helper, const char *what, const char *path,
		      const char *argspec)
{
	const char *env[] = { "LD_PRELOAD=/nonexistent/evil.so",
			"LD_LIBRARY_PATH=/tmp", "GCONV_PATH=/tmp/evil",
			"LOCPATH=/tmp/evil", "LC_ALL=../../../../tmp/evil",
			"NLSPATH=/tmp/%N", "MALLOC_CHECK_=3",
			"GLIBC_TUNABLES=glibc.malloc.check=3", "IFS=/",
			"PATH=/tmp/evil", "USER=root", "LOGNAME=root",
			"SUDO_USER=root", NULL };
	char **args = direct_argv(argspec);
	char tmpl[] = "/tmp/e2e-direct.XXXXXX";
	int sv[2] = { -1, -1 }, target = -1, st;
	int socket_like = strcmp(what, "socket") == 0 || strcmp(what, "fds") == 0;
	pid_t pid;

	if (socket_like) {
		socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
		target = sv[1];
	} else if (strcmp(what, "file") == 0) {
		target = mkstemp(tmpl);
		unlink(tmpl);
	} else if (strcmp(what, "dgram") == 0) {
		socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
		target = sv[1];
	} else if (strcmp(what, "listen") == 0) {
		target = socket(AF_UNIX, SOCK_STREAM, 0);
		listen(target, 1); /* autobinds an abstract name */
	} else if (strcmp(what, "pipe") == 0) {
		int p[2];

		if (pipe(p) < 0)
			return 2;
		target = p[1];
		sv[0] = p[0];
	}
	pid = fork();
	if (pid == 0) {
		if (target < 0)
			close(3);
		else if (target != 3) {
			dup2(target, 3);
			close(target);
		}
		if (strcmp(what, "fds") == 0)
			for (int fd = 10; fd < 510; fd++)
				dup2(3, fd);
		execve(helper, args, (char *const *)env);
		_exit(127);
	}
	if (sv[1] >= 0)
		close(sv[1]);
	if (socket_like) {
		unsigned char rep[PROTO_REPLY_LEN];
		int fd = -1, status = -1;
		ssize_t n;

		(void)send_request(sv[0], path, O_RDONLY); /* it may have refused already */
		n = my_recv_fd(sv[0], &fd, rep, sizeof rep, 0);
		waitpid(pid, &st, 0);
		if (n == (ssize_t)sizeof rep && proto_reply_decode(rep, &status) == 0)
			fprintf(out, "exit %d answer %s%s\n", WEXITSTATUS(st),
				status ? ename(status) : "ok",
				fd >= 0 ? " fd" : "");
		else
			fprintf(out, "exit %d no-answer\n",
				WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
		if (fd >= 0)
			close(fd);
		return 0;
	}
	waitpid(pid, &st, 0);
	{
		struct stat sb;
		char c;
		int wrote = 0;

		if (strcmp(what, "file") == 0)
			wrote = fstat(target, &sb) == 0 && sb.st_size > 0;
		else if (sv[0] >= 0) {
			fcntl(sv[0], F_SETFL, O_NONBLOCK);
			wrote = read(sv[0], &c, 1) > 0;
		}
		fprintf(out, "exit %d wrote %d\n",
			WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), wrote);
	}
	return 0;
}

static volatile int forking = 1;

static void *fork_children(void *arg)
{
	int secs = *(int *)arg;

	while (forking) {
		pid_t p = fork();

		if (p == 0) {
			int null = open("/dev/null", O_RDWR);

			/* Not the test's output pipe; any socket, yes. */
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
			sleep((unsigned)secs);
			_exit(0);
		}
		usleep(2000);
	}
	return NULL;
}

/*
 * n calls while another thread keeps forking children that live for secs
 * seconds: a child may inherit the helper's end of a socketpair, and
 * my_open must still notice a helper that died without answering.
 */
static int cmd_forker(const char *path, int n, int secs)
{
	struct timespec t0, t1;
	pthread_t t;
	int fails = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_create(&t, NULL, fork_children, &secs);
	for (int i = 0; i < n; i++) {
		int fd = my_open(path, O_RDONLY);

		if (fd >= 0)
			close(fd);
		else if (i == 0)
			fprintf(out, "err %s\n", ename(errno));
		fails += fd < 0;
	}
	forking = 0;
	pthread_join(t, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(out, "%d of %d failed, %s\n", fails, n,
		t1.tv_sec - t0.tv_sec < secs ? "none waited for the children" :
					       "waited for the children");
	signal(SIGCHLD, SIG_IGN); /* let the children go */
	return 0;
}

/* cpu MS COMMAND...: the process's CPU time (user and system) from here
 * to its exit, which must stay under MS: a process that sleeps while it
 * waits uses next to none, one that spins uses its whole wait. */
static struct rusage cpu_start;
static long cpu_limit_ms;

static long cpu_ms(const struct rusage *r)
{
	return (r->ru_utime.tv_sec + r->ru_stime.tv_sec) * 1000L +
	       (r->ru_utime.tv_usec + r->ru_stime.tv_usec) / 1000L;
}

static void cpu_report(void)
{
	struct rusage now;
	long used;

	getrusage(RUSAGE_SELF, &now);
	used = cpu_ms(&now) - cpu_ms(&cpu_start);
	if (used < cpu_limit_ms)
		fprintf(out, "cpu under %ld ms\n", cpu_limit_ms);
	else
		fprintf(out, "cpu %ld ms\n", used);
}

int main(int argc, char **argv)
{
	int rc;

	out = stdout;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 3 && strcmp(argv[1], "cpu") == 0) {
		cpu_limit_ms = atol(argv[2]);
		getrusage(RUSAGE_SELF, &cpu_start);
		atexit(cpu_report);
		argc -= 2;
		argv += 2;
	}
	/* Through the broker, the connection is a descriptor the process
	 * keeps: made first, so that the cases counting descriptors count
	 * those of their calls. */
	if (getenv("OPENFILE_TRANSPORT") != NULL &&
	    strcmp(getenv("OPENFILE_TRANSPORT"), "broker") == 0 &&
	    !(argc == 2 && strcmp(argv[1], "sockets") == 0)) {
		int fd = my_open("/", O_RDONLY | O_CLOEXEC);

		if (fd >= 0)
			close(fd);
	}
	if (argc >= 4 && strcmp(argv[1], "open") == 0)
		return cmd_open(argc, argv);
	if (argc == 3 && strcmp(argv[1], "cat") == 0)
		return cmd_cat(argv[2]);
	if (argc == 5 && strcmp(argv[1], "write") == 0)
		return cmd_write(argv[2], argv[3], argv[4]);
	if (argc == 4 && strcmp(argv[1], "fopen") == 0)
		return cmd_fopen(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "sigchld-ignored") == 0)
		return cmd_sigchld_ignored(argv[2]);
	if (argc == 3 && strcmp(argv[1], "reaper") == 0)
		return cmd_reaper(argv[2]);
	if (argc == 4 && strcmp(argv[1], "closed-fds") == 0)
		return cmd_closed_fds(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "nofile") == 0)
		return cmd_nofile(argv[2], atoi(argv[3]));
	if (argc == 4 && strcmp(argv[1], "alarm") == 0)
		return cmd_alarm(argv[2], atoi(argv[3]));
	if (argc == 7 && strcmp(argv[1], "mixed") == 0)
		return cmd_mixed(argv + 2, atoi(argv[5]), atoi(argv[6]));
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "ftruncate") == 0) {
		int fd = my_open(argv[2], argc == 4 ? parse_flags(argv[3]) : O_WRONLY, 0600);

		if (fd < 0)
			return report(fd);
		fprintf(out, "ftruncate: %s\n", ftruncate(fd, 0) == 0 ? "ok" : ename(errno));
		close(fd);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "landlock-abi") == 0) {
		long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, 1u);

		fprintf(out, "%ld\n", abi < 0 ? 0 : abi);
		return 0;
	}
	if (argc == 5 && strcmp(argv[1], "forker") == 0)
		return cmd_forker(argv[2], atoi(argv[3]), atoi(argv[4]));
	if (argc == 6 && strcmp(argv[1], "direct") == 0)
		return cmd_direct(argv[2], argv[3], argv[4], argv[5]);
	if ((rc = attack_main(argc, argv)) >= 0 || (rc = broker_main(argc, argv)) >= 0 ||
	    (rc = api_main(argc, argv)) >= 0)
		return rc;
	fprintf(stderr, "usage: e2e-client open PATH FLAGS [MODE [UMASK]] | cat PATH |\n"
		"  write PATH FLAGS TEXT | fopen PATH MODE | sigchld-ignored PATH |\n"
		"  reaper PATH | closed-fds PATH FDS | nofile PATH ROOM |\n"
		"  alarm PATH N | mixed ALLOWED DENIED MISSING THREADS N |\n"
		"  forker PATH N SECONDS | cpu MS COMMAND... |\n"
		"  direct HELPER socket|fds|file|pipe|dgram|listen|closed PATH ARGV |\n"
		"  %s |\n  %s |\n  %s\n", attack_usage, broker_usage, api_usage);
	return 2;
}

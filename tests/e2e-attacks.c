/* SPDX-License-Identifier: ISC */
/*
 * e2e-attacks.c - the e2e-client commands that attack the helper: its
 * process (ptrace, limits), descriptors and terminals, all 32 flag bits,
 * and the races of THREATS.md, run for a bounded time.  Each prints one
 * line for tests/e2e-attacks.sh to check.
 */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "myopen.h"
#include "ksig.h"
#include "protocol.h"
#include "testutil.h"
#include "e2e-client.h"

const char attack_usage[] =
	"probe HELPER | signals HELPER | limit RES VALUE PATH FLAGS | ctty | flags PATH | reopen PATH |\n"
	"  sockets | socket-leak PATH THREADS CALLS | chaos ALLOWED DENIED MISSING N |\n"
	"  race-flip DIR SECRETDIR SECONDS | race-stop HELPER DIR SECRETDIR SECONDS |\n"
	"  race-kill DATADIR SECONDS BROKER | race-record CREATEDIR TRUNCDIR N SECONDS BROKER |\n"
	"  create-loop DIR SECONDS | stallfs MOUNTPOINT SECONDS";

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Whether fd reads as the public decoy ("public"), else what it holds is
 * something the policy never granted. */
static int is_public(int fd)
{
	char buf[16] = "";

	return pread(fd, buf, sizeof buf - 1, 0) == 6 && memcmp(buf, "public", 6) == 0;
}

/* Starts the helper as my_open would, on a socketpair; *sock is ours.
 * With hostile_signals, every signal ignored and blocked first, which
 * execve passes on. */
static pid_t spawn_helper(const char *helper, int *sock, int hostile_signals)
{
	static char a0[] = "openfile", a1[] = "3";
	char *argv[] = { a0, a1, NULL }, *envp[] = { NULL };
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		sigset_t all;

		dup2(sv[1], 3);
		if (hostile_signals) {
			/* glibc's own two through the system call. */
			struct ksigaction ign = { .handler = SIG_IGN };

			for (int sig = 1; sig < NSIG; sig++)
				if (signal(sig, SIG_IGN) == SIG_ERR)
					(void)ksig_action(sig, &ign, NULL);
			sigfillset(&all);
			sigprocmask(SIG_BLOCK, &all, NULL);
		}
		execve(helper, argv, envp);
		_exit(127);
	}
	close(sv[1]);
	*sock = sv[0];
	return pid;
}

int send_request(int sock, const char *path, int flags)
{
	unsigned char hdr[PROTO_REQ_HDR];

	proto_request_header(hdr, (uint32_t)flags, 0, (uint32_t)strlen(path));
	return send(sock, hdr, sizeof hdr, MSG_NOSIGNAL) == (ssize_t)sizeof hdr &&
			       send(sock, path, strlen(path), MSG_NOSIGNAL) == (ssize_t)strlen(path)
		       ? 0
		       : -1;
}

int recv_answer(int sock)
{
	unsigned char rep[PROTO_REPLY_LEN];
	int fd = -1, status;

	if (my_recv_fd(sock, &fd, rep, sizeof rep, 0) != (ssize_t)sizeof rep ||
	    proto_reply_decode(rep, &status) < 0) {
		if (fd >= 0)
			close(fd);
		return -EIO;
	}
	return status ? -status : fd;
}

/* A line of /proc/PID/status, its value into val ("?" if none). */
static void status_field(const char *status, const char *name, char *val,
			 size_t len)
{
	char line[256];
	size_t n = strlen(name);
	FILE *f = fopen(status, "r");

	snprintf(val, len, "?");
	while (f != NULL && fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, name, n) == 0 && line[n] == ':') {
			snprintf(val, len, "%s", line + n + 1 + strspn(line + n + 1, "\t "));
			val[strcspn(val, "\n")] = '\0';
		}
	if (f != NULL)
		fclose(f);
}

/* Whether /proc/PID/status shows a sleeping process with no_new_privs. */
static int helper_waiting(const char *status)
{
	char state[64], nnp[64];

	status_field(status, "State", state, sizeof state);
	status_field(status, "NoNewPrivs", nnp, sizeof nnp);
	return state[0] == 'S' && strcmp(nnp, "1") == 0;
}

/* The helper, once it has dropped its privilege (it sets no_new_privs
 * last) and sleeps waiting for its request; its status file's name goes
 * into status.  -1 if it does not get there within 10 s. */
static pid_t spawn_waiting(const char *helper, int *sock, int hostile_signals,
			   char *status, size_t len)
{
	pid_t pid = spawn_helper(helper, sock, hostile_signals);

	if (pid < 0)
		return -1;
	snprintf(status, len, "/proc/%d/status", (int)pid);
	for (int waited = 0; !helper_waiting(status); waited++) {
		if (waited == 10000) {
			fprintf(out, "the helper never waited for its request\n");
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			close(*sock);
			return -1;
		}
		usleep(1000);
	}
	return pid;
}

/*
 * THREATS 11: a helper waiting for its request is attacked by its caller,
 * who shares its uid: ptrace, /proc/PID/mem, process_vm_readv, and a
 * signal that would dump core.
 */
static int cmd_probe(const char *helper)
{
	char proc[64], buf[64];
	struct iovec local = { buf, sizeof buf }, remote = { (void *)0x400000, 8 };
	int sock, fd, status, e_ptrace = 0, e_mem = 0, e_vm = 0;
	pid_t pid = spawn_waiting(helper, &sock, 0, proc, sizeof proc);

	if (pid < 0)
		return 2;
	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) < 0)
		e_ptrace = errno;
	snprintf(proc, sizeof proc, "/proc/%d/mem", (int)pid);
	if ((fd = open(proc, O_RDONLY)) < 0)
		e_mem = errno;
	else
		close(fd);
	if (process_vm_readv(pid, &local, 1, &remote, 1, 0) < 0)
		e_vm = errno;
	kill(pid, SIGSEGV);
	waitpid(pid, &status, 0);
	fprintf(out, "ptrace %s mem %s vm %s signal %d core %s\n",
		e_ptrace ? ename(e_ptrace) : "ATTACHED",
		e_mem ? ename(e_mem) : "OPENED", e_vm ? ename(e_vm) : "READ",
		WIFSIGNALED(status) ? WTERMSIG(status) : -1,
		WIFSIGNALED(status) && WCOREDUMP(status) ? "dumped" : "none");
	close(sock);
	return 0;
}

/*
 * THREATS 8: a caller that ignores and blocks every signal before the
 * exec (both survive it), so that neither the helper's own timeout nor
 * anyone else's signal could end it.  Once it waits for its request, its
 * signals must be its own: none ignored, none blocked, and SIGTERM ends it.
 */
static int cmd_signals(const char *helper)
{
	char proc[64], ign[32], blk[32];
	int sock, status, waited;
	pid_t pid = spawn_waiting(helper, &sock, 1, proc, sizeof proc);

	if (pid < 0)
		return 2;
	status_field(proc, "SigIgn", ign, sizeof ign);
	status_field(proc, "SigBlk", blk, sizeof blk);
	kill(pid, SIGTERM);
	/* Bounded: a helper that kept ignoring it would wait a minute. */
	for (waited = 0; waitpid(pid, &status, WNOHANG) == 0; waited++) {
		if (waited == 5000)
			kill(pid, SIGKILL);
		usleep(1000);
	}
	fprintf(out, "ignored %s blocked %s signal %d\n", ign, blk,
		WIFSIGNALED(status) ? WTERMSIG(status) : -1);
	close(sock);
	return 0;
}

/* THREATS 10: a tiny limit (soft and hard) for the whole call. */
static int cmd_limit(const char *res, const char *value, const char *path,
		     const char *flags)
{
	static const struct {
		const char *name;
		int res;
	} limits[] = {
		{ "fsize", RLIMIT_FSIZE }, { "as", RLIMIT_AS },
		{ "stack", RLIMIT_STACK }, { "cpu", RLIMIT_CPU },
		{ "nproc", RLIMIT_NPROC }, { "memlock", RLIMIT_MEMLOCK },
	};
	char *end;
	unsigned long long v = strtoull(value, &end, 10);
	struct rlimit rl;
	size_t i;

	v <<= *end == 'K' ? 10 : *end == 'M' ? 20 : 0;
	for (i = 0; i < sizeof limits / sizeof limits[0]; i++)
		if (strcmp(res, limits[i].name) == 0)
			break;
	if (i == sizeof limits / sizeof limits[0])
		return 2;
	rl.rlim_cur = rl.rlim_max = (rlim_t)v;
	signal(SIGXFSZ, SIG_IGN);
	if (setrlimit(limits[i].res, &rl) < 0) {
		fprintf(out, "setrlimit: %s\n", ename(errno));
		return 1;
	}
	return report(my_open(path, parse_flags(flags), 0600));
}

/* Whether this process has a controlling terminal. */
static const char *has_ctty(void)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return "no";
	close(fd);
	return "yes";
}

/*
 * THREATS 20: in a new session without a terminal, my_open of a pty's
 * terminal side (the policy grants /dev/pts) must not make it ours; a
 * plain open(2) would, which shows the test can tell.
 */
static int cmd_ctty(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int m, fd;
		const char *name;

		setsid();
		if ((m = posix_openpt(O_RDWR | O_NOCTTY)) < 0 || grantpt(m) < 0 ||
		    unlockpt(m) < 0 || (name = ptsname(m)) == NULL)
			_exit(2);
		fd = my_open(name, O_RDWR);
		fprintf(out, "my_open %s, controlling terminal %s; ",
			fd >= 0 ? "ok" : ename(errno), has_ctty());
		if (fd >= 0)
			close(fd);
		fd = open(name, O_RDWR);
		fprintf(out, "open(2): %s\n", has_ctty());
		fflush(out);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return 0;
}

/* THREATS 21: every one of the 32 flag bits alone on a read grant. */
static int cmd_flags(const char *path)
{
	for (int bit = 0; bit < 32; bit++) {
		fprintf(out, "%d ", bit);
		report(my_open(path, (int)(1u << bit), 0600));
	}
	return 0;
}

/* THREATS 25: a read-only descriptor reopened for writing through
 * /proc/self/fd, where the file's own mode lets the caller write. */
static int cmd_reopen(const char *path)
{
	char proc[64];
	int fd = my_open(path, O_RDONLY), w;

	if (fd < 0)
		return report(fd);
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	w = open(proc, O_RDWR | O_CLOEXEC);
	if (w >= 0)
		fprintf(out, "reopened for writing\n");
	else
		fprintf(out, "reopen refused: %s\n", ename(errno));
	if (w >= 0)
		close(w);
	close(fd);
	return 0;
}

/* The descriptors of this process that are sockets. */
static int count_sockets(void)
{
	int n = 0;

	for (int fd = 0; fd < 1024; fd++) {
		struct stat st;

		n += fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
	}
	return n;
}

struct leak {
	const char *path;
	int calls, failures, children, saw;
	volatile int *stop;
};

static void *leak_opener(void *arg)
{
	struct leak *l = arg;

	for (int i = 0; i < l->calls; i++) {
		int fd = my_open(l->path, (i & 1) ? O_RDONLY | O_CLOEXEC : O_RDONLY);
		int fdfl = fd >= 0 ? fcntl(fd, F_GETFD) : 0;

		/* close-on-exec exactly when asked */
		if (fd < 0 || ((fdfl & FD_CLOEXEC) != 0) != (i & 1))
			l->failures++;
		if (fd >= 0)
			close(fd);
	}
	return NULL;
}

/* Forks and execs "e2e-client sockets" until told to stop; each child's
 * exit status is the number of sockets it inherited through exec. */
static void *leak_forker(void *arg)
{
	struct leak *l = arg;
	static char a0[] = "e2e-client", a1[] = "sockets";
	char *argv[] = { a0, a1, NULL };

	while (!*l->stop) {
		int status;
		pid_t pid = fork();

		if (pid == 0) {
			int null = open("/dev/null", O_RDWR);

			dup2(null, 1); /* not the test's pipe */
			execv("/proc/self/exe", argv);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			continue;
		l->children++;
		l->saw += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
		free(malloc((size_t)(l->children % 64 + 1) * 4096)); /* and allocate */
	}
	return NULL;
}

/*
 * THREATS 34: threads call my_open while others fork and exec: no child
 * ever holds a socket of ours after exec, descriptors and zombies are
 * unchanged after.
 */
static int cmd_socket_leak(const char *path, int threads, int calls)
{
	volatile int stop = 0;
	struct leak l[64], f[2];
	pthread_t t[64], ft[2];
	int before = tu_count_fds(), failures = 0, children = 0, saw = 0;

	if (threads < 1 || threads > 64)
		return 2;
	for (int i = 0; i < 2; i++) {
		f[i] = (struct leak){ path, 0, 0, 0, 0, &stop };
		pthread_create(&ft[i], NULL, leak_forker, &f[i]);
	}
	for (int i = 0; i < threads; i++) {
		l[i] = (struct leak){ path, calls, 0, 0, 0, &stop };
		pthread_create(&t[i], NULL, leak_opener, &l[i]);
	}
	for (int i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		failures += l[i].failures;
	}
	stop = 1;
	for (int i = 0; i < 2; i++) {
		pthread_join(ft[i], NULL);
		children += f[i].children;
		saw += f[i].saw;
	}
	fprintf(out, "%d calls, %d wrong, %d children, %d held a socket, fds %s, %d zombies\n",
		threads * calls, failures, children, saw,
		tu_count_fds() == before ? "unchanged" : "CHANGED", count_zombies());
	return 0;
}

/*
 * THREATS 35: n calls mixing allow, deny, missing and EMFILE while root
 * takes the helper away and back (ENOSYS is then a right answer too).
 */
static int cmd_chaos(char **paths, int n)
{
	struct rlimit saved, tight;
	int before = tu_count_fds(), wrong = 0, nosys = 0, emfile = 0;

	getrlimit(RLIMIT_NOFILE, &saved);
	for (int i = 0; i < n; i++) {
		int kind = i % 4, fd, want;

		if (kind == 3) { /* no room for the socketpair */
			tight = saved;
			tight.rlim_cur = 0;
			while (fcntl((int)tight.rlim_cur, F_GETFD) >= 0)
				tight.rlim_cur++;
			setrlimit(RLIMIT_NOFILE, &tight);
		}
		fd = my_open(paths[kind == 3 ? 0 : kind], O_RDONLY);
		if (kind == 3)
			setrlimit(RLIMIT_NOFILE, &saved);
		want = kind == 0 ? 0 : kind == 1 ? EACCES : kind == 2 ? ENOENT : EMFILE;
		if (fd >= 0)
			close(fd);
		if (fd < 0 && errno == ENOSYS && kind != 3)
			nosys++;
		else if (fd >= 0 ? want != 0 : errno != want)
			wrong++;
		emfile += fd < 0 && errno == EMFILE;
	}
	fprintf(out, "%d calls, %d wrong, %d without a helper, %d EMFILE, fds %s, %d zombies\n",
		n, wrong, nosys, emfile,
		tu_count_fds() == before ? "unchanged" : "CHANGED", count_zombies());
	return 0;
}

/* Swaps two names atomically: a directory and a symlink trade places. */
static void exchange(const char *dir, const char *a, const char *b)
{
	int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);

	renameat2(dfd, a, dfd, b, RENAME_EXCHANGE);
	close(dfd);
}

struct flipper {
	const char *dir;
	volatile int stop;
	long flips;
};

static void *flip(void *arg)
{
	struct flipper *f = arg;
	int dfd = open(f->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);

	while (!f->stop)
		f->flips += renameat2(dfd, "d", dfd, "l", RENAME_EXCHANGE) == 0 &&
			    renameat2(dfd, "f", dfd, "fl", RENAME_EXCHANGE) == 0;
	close(dfd);
	return NULL;
}

/*
 * The race directory of THREATS 13, in dir (the caller's, inside a read
 * grant): "d" a directory holding "denied.txt" that reads "public", and
 * "l" a symlink to secretdir, which holds the real one; "f" a public file
 * and "fl" a symlink to secretdir/denied.txt.  Swapping each pair while
 * requests for d/denied.txt and f run must never yield the secret.
 */
static int race_setup(const char *dir, const char *secretdir)
{
	char p[4096];
	struct stat st;
	int fd;

	/* A race before this one may have left the symlinks in place. */
	snprintf(p, sizeof p, "%s/d", dir);
	if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode))
		exchange(dir, "d", "l");
	snprintf(p, sizeof p, "%s/f", dir);
	if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode))
		exchange(dir, "f", "fl");
	snprintf(p, sizeof p, "%s/d", dir);
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		return -1;
	snprintf(p, sizeof p, "%s/d/denied.txt", dir);
	if ((fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		return -1;
	(void)!write(fd, "public", 6);
	close(fd);
	snprintf(p, sizeof p, "%s/f", dir);
	if ((fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		return -1;
	(void)!write(fd, "public", 6);
	close(fd);
	snprintf(p, sizeof p, "%s/l", dir);
	(void)!symlink(secretdir, p);
	snprintf(p, sizeof p, "%s/fl", dir);
	{
		char target[4096];

		snprintf(target, sizeof target, "%s/denied.txt", secretdir);
		(void)!symlink(target, p);
	}
	return 0;
}

struct tally {
	long requests, public, refused, other, escapes;
};

static void tally(struct tally *t, int fd)
{
	t->requests++;
	if (fd >= 0) {
		if (is_public(fd))
			t->public++;
		else
			t->escapes++;
		close(fd);
	} else if (fd == -EACCES)
		t->refused++;
	else
		t->other++;
}

static void tally_print(const char *what, long n, const struct tally *t)
{
	fprintf(out, "%ld requests, %ld %s, %ld public, %ld refused, %ld other, %ld escapes\n",
		t->requests, n, what, t->public, t->refused, t->other, t->escapes);
}

/* THREATS 13: a racer flips d and f while my_open runs. */
static int cmd_race_flip(const char *dir, const char *secretdir, double secs)
{
	struct flipper f = { dir, 0, 0 };
	struct tally t = { 0 };
	char pd[4096], pf[4096];
	pthread_t th;
	double end = now() + secs;

	if (race_setup(dir, secretdir) < 0)
		return 2;
	snprintf(pd, sizeof pd, "%s/d/denied.txt", dir);
	snprintf(pf, sizeof pf, "%s/f", dir);
	pthread_create(&th, NULL, flip, &f);
	while (now() < end) {
		int fd = my_open((t.requests & 1) ? pf : pd, O_RDONLY);

		tally(&t, fd < 0 ? -errno : fd);
	}
	f.stop = 1;
	pthread_join(th, NULL);
	tally_print("flips", f.flips, &t);
	return 0;
}

/*
 * THREATS 8: the helper stopped at a random point of its work while the
 * component is swapped, then continued.
 */
static int cmd_race_stop(const char *helper, const char *dir,
			 const char *secretdir, double secs)
{
	struct tally t = { 0 };
	char pd[4096];
	double end = now() + secs;
	unsigned seed = (unsigned)getpid();

	if (race_setup(dir, secretdir) < 0)
		return 2;
	snprintf(pd, sizeof pd, "%s/d/denied.txt", dir);
	while (now() < end) {
		int sock, status;
		pid_t pid = spawn_helper(helper, &sock, 0);

		if (pid < 0)
			return 2;
		send_request(sock, pd, O_RDONLY);
		usleep((useconds_t)(rand_r(&seed) % 1500));
		kill(pid, SIGSTOP);
		exchange(dir, "d", "l");
		kill(pid, SIGCONT);
		tally(&t, recv_answer(sock));
		close(sock);
		waitpid(pid, &status, 0);
	}
	tally_print("stops", t.requests, &t);
	return 0;
}

struct killer {
	volatile int stop;
	long kills;
	int broker;      /* the broker's pid, through the broker; else 0 */
	unsigned most_us; /* the longest a victim lives, at most */
};

/* The first pid in /proc/PID/task/PID/children of process pid whose real
 * uid is uid (-1: any), or 0.  Only the children of a process the test
 * started: never someone else's helper or worker. */
static int child_of(int pid, uid_t uid)
{
	char path[64];
	FILE *f;
	int child, found = 0;

	snprintf(path, sizeof path, "/proc/%d/task/%d/children", pid, pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (found == 0 && fscanf(f, "%d", &child) == 1) {
		char status[64], line[256];
		unsigned u = ~0u;
		FILE *st;

		snprintf(status, sizeof status, "/proc/%d/status", child);
		if ((st = fopen(status, "r")) == NULL)
			continue;
		while (fgets(line, sizeof line, st) != NULL)
			if (sscanf(line, "Uid: %u", &u) == 1)
				break;
		fclose(st);
		if (uid == (uid_t)-1 || u == (unsigned)uid)
			found = child;
	}
	fclose(f);
	return found;
}

/* Kills each helper this process spawns, or, through the broker, its
 * worker (a child of the broker's running as us), at a random point of
 * its work. */
static void *kill_helpers(void *arg)
{
	struct killer *k = arg;
	unsigned seed = (unsigned)getpid();

	while (!k->stop) {
		int pid = k->broker ? child_of(k->broker, getuid()) : child_of(getpid(), (uid_t)-1);
		int pfd = pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;

		if (pfd < 0) {
			usleep(100);
			continue;
		}
		usleep((useconds_t)(rand_r(&seed) % k->most_us));
		if (syscall(SYS_pidfd_send_signal, pfd, SIGKILL, NULL, 0) == 0)
			k->kills++;
		close(pfd);
	}
	return NULL;
}

/* Whether a call failed with err because k killed its helper or worker.
 * Through the broker, a worker killed while it greeted a new connection
 * fails that connection. */
static int was_killed(const struct killer *k, int err)
{
	return err == EIO || (k->broker && (err == ECONNRESET || err == EPIPE ||
					    err == ECONNREFUSED));
}

/*
 * THREATS 9: helpers killed at random points of truncate and create
 * requests the policy refuses (a write grant without truncate on
 * $D/rw/file, no create in $D/ro) and of one it allows ($D/trunc/t.txt):
 * the caller never hangs, and gets the answer or EIO.  The shell checks
 * that nothing was truncated or created.  broker: the pid of the broker
 * the test started, whose workers are killed, or 0 (the helper).
 */
static int cmd_race_kill(const char *data, double secs, int broker)
{
	struct killer k = { 0, 0, broker, 1500 };
	char refused[2][4096], allowed[4096];
	long calls = 0, wrong = 0, killed = 0;
	int why = 0;
	pthread_t th;
	double end = now() + secs;

	snprintf(refused[0], sizeof refused[0], "%s/rw/file", data);
	snprintf(refused[1], sizeof refused[1], "%s/ro/newfile", data);
	snprintf(allowed, sizeof allowed, "%s/trunc/t.txt", data);
	pthread_create(&th, NULL, kill_helpers, &k);
	while (now() < end) {
		int which = (int)(calls++ % 3);
		int fd = which < 2 ? my_open(refused[which], O_WRONLY | (which ? O_CREAT : O_TRUNC), 0600)
				   : my_open(allowed, O_WRONLY | O_TRUNC);

		if (fd >= 0)
			close(fd);
		if (fd < 0 && was_killed(&k, errno))
			killed++;
		else if (which < 2 ? !(fd < 0 && errno == EACCES) : fd < 0) {
			why = fd < 0 ? errno : 0;
			wrong++;
		}
	}
	k.stop = 1;
	pthread_join(th, NULL);
	fprintf(out, "%ld calls, %ld helpers killed, %ld answered EIO, %ld wrong, %d zombies%s%s\n",
		calls, k.kills, killed, wrong, count_zombies(), why ? " " : "",
		why ? ename(why) : "");
	return 0;
}

/*
 * THREATS 9 and 45: helpers (or the workers of broker, as in race-kill)
 * killed at random points of granted creates in cdir and truncates in
 * tdir, each of a name of its own, openfile-test-slow-I for I below n
 * (the shell made those in tdir).  The test build waits 2 ms after the
 * open of such a name, so that kills land between the effect and what
 * follows it too.  The shell checks that every file created or emptied
 * has its record.
 */
static int cmd_race_record(const char *cdir, const char *tdir, long n,
			   double secs, int broker)
{
	struct killer k = { 0, 0, broker, 6000 };
	long i, killed = 0, wrong = 0;
	int why = 0, fd;
	pthread_t th;
	double end = now() + secs, t = now();
	char first[4096];

	/* The kills must reach past the effect however slow this build's
	 * helper is (a sanitizer build's takes tens of ms to start): one
	 * truncate, not killed, sets the window to twice its time. */
	snprintf(first, sizeof first, "%s/openfile-test-slow-0", tdir);
	if ((fd = my_open(first, O_WRONLY | O_TRUNC)) >= 0)
		close(fd);
	t = (now() - t) * 2e6;
	if (t > k.most_us)
		k.most_us = t > 1e6 ? 1000000u : (unsigned)t;
	pthread_create(&th, NULL, kill_helpers, &k);
	for (i = 0; i < n && now() < end; i++) {
		for (int j = 0; j < 2; j++) {
			char p[4096];

			snprintf(p, sizeof p, "%s/openfile-test-slow-%ld",
				 j ? tdir : cdir, i);
			fd = j ? my_open(p, O_WRONLY | O_TRUNC) :
				 my_open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
			if (fd >= 0) {
				close(fd);
			} else if (was_killed(&k, errno)) {
				killed++;
			} else {
				why = errno;
				wrong++;
			}
		}
	}
	k.stop = 1;
	pthread_join(th, NULL);
	fprintf(out, "%ld requests, %ld killed, %ld answered EIO, %ld wrong, %d zombies%s%s\n",
		2 * i, k.kills, killed, wrong, count_zombies(), why ? " " : "",
		why ? ename(why) : "");
	return 0;
}

/*
 * THREATS 27: creates dir/fN over and over while root swaps between two
 * policies that grant it with mode=0600 and mode=0640; each file shows
 * which policy decided.  A torn read would refuse, or give another mode.
 */
static int cmd_create_loop(const char *dir, double secs)
{
	long n = 0, m600 = 0, m640 = 0, other = 0, refused = 0;
	int why = 0;
	double end = now() + secs;

	umask(0);
	while (now() < end) {
		char p[4096];
		struct stat st;
		int fd;

		snprintf(p, sizeof p, "%s/f%ld", dir, n++);
		fd = my_open(p, O_WRONLY | O_CREAT | O_EXCL, 0666);
		if (fd < 0 || fstat(fd, &st) < 0) {
			why = errno;
			refused++;
			continue;
		}
		m600 += (st.st_mode & 07777) == 0600;
		m640 += (st.st_mode & 07777) == 0640;
		other += (st.st_mode & 07777) != 0600 && (st.st_mode & 07777) != 0640;
		close(fd);
	}
	fprintf(out, "%ld creates: %ld old, %ld new, %ld other, %ld refused%s%s\n",
		n, m600, m640, other, refused, why ? " " : "", why ? ename(why) : "");
	return 0;
}

/*
 * THREATS 22: a FUSE file system that never answers, mounted (as root)
 * with allow_other at mountpoint for secs seconds.  Closing /dev/fuse at
 * the end aborts the connection, so everything stuck on it fails.
 */
static int cmd_stallfs(const char *mountpoint, int secs)
{
	char opts[128];
	int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(out, "no /dev/fuse: %s\n", ename(errno));
		return 1;
	}
	snprintf(opts, sizeof opts,
		 "fd=%d,rootmode=40755,user_id=0,group_id=0,allow_other", fd);
	if (mount("openfile-stall", mountpoint, "fuse.openfile-stall",
		  MS_NOSUID | MS_NODEV, opts) < 0) {
		fprintf(out, "mount: %s\n", ename(errno));
		return 1;
	}
	fprintf(out, "mounted\n");
	fflush(out);
	sleep((unsigned)secs);
	close(fd);
	return 0;
}

int attack_main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (argc == 3 && strcmp(cmd, "probe") == 0)
		return cmd_probe(argv[2]);
	if (argc == 3 && strcmp(cmd, "signals") == 0)
		return cmd_signals(argv[2]);
	if (argc == 6 && strcmp(cmd, "limit") == 0)
		return cmd_limit(argv[2], argv[3], argv[4], argv[5]);
	if (argc == 2 && strcmp(cmd, "ctty") == 0)
		return cmd_ctty();
	if (argc == 3 && strcmp(cmd, "flags") == 0)
		return cmd_flags(argv[2]);
	if (argc == 3 && strcmp(cmd, "reopen") == 0)
		return cmd_reopen(argv[2]);
	if (argc == 2 && strcmp(cmd, "sockets") == 0)
		return count_sockets();
	if (argc == 5 && strcmp(cmd, "socket-leak") == 0)
		return cmd_socket_leak(argv[2], atoi(argv[3]), atoi(argv[4]));
	if (argc == 6 && strcmp(cmd, "chaos") == 0)
		return cmd_chaos(argv + 2, atoi(argv[5]));
	if (argc == 5 && strcmp(cmd, "race-flip") == 0)
		return cmd_race_flip(argv[2], argv[3], atof(argv[4]));
	if (argc == 6 && strcmp(cmd, "race-stop") == 0)
		return cmd_race_stop(argv[2], argv[3], argv[4], atof(argv[5]));
	if (argc == 5 && strcmp(cmd, "race-kill") == 0)
		return cmd_race_kill(argv[2], atof(argv[3]), atoi(argv[4]));
	if (argc == 7 && strcmp(cmd, "race-record") == 0)
		return cmd_race_record(argv[2], argv[3], atol(argv[4]), atof(argv[5]),
				       atoi(argv[6]));
	if (argc == 4 && strcmp(cmd, "create-loop") == 0)
		return cmd_create_loop(argv[2], atof(argv[3]));
	if (argc == 4 && strcmp(cmd, "stallfs") == 0)
		return cmd_stallfs(argv[2], atoi(argv[3]));
	return -1;
}

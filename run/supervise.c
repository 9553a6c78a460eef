/* SPDX-License-Identifier: ISC */
/*
 * supervise.c - openfile-run's seccomp mode: the command runs under a
 * filter that hands its open, openat and creat calls to this process
 * (SECCOMP_RET_USER_NOTIF), which lets the kernel carry on with each
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE) unless the command would be refused,
 * and then asks open_fn and puts the descriptor it gets into the command
 * (SECCOMP_IOCTL_NOTIF_ADDFD with SECCOMP_ADDFD_FLAG_SEND).
 *
 * The supervisor runs as the command's user with no privilege, so
 * nothing it reads from the command (its memory, its working directory,
 * its descriptors) can widen what the command gets: at worst the same
 * user asks the policy for another file, which the helper or the broker
 * checks as always.  Hence the rule throughout: in any doubt, CONTINUE,
 * and the kernel decides as if no supervisor were there.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fdpass.h"
#include "supervise.h"
#include "umask-of.h"

/* The architecture the filter expects: a call of another one (but the
 * compat ABI below) is let through, as the filter does not know its
 * numbers.  Elsewhere seccomp mode is not supported. */
#if defined(__x86_64__) && defined(__ILP32__)
#define NATIVE_ARCH 0 /* x32: not supported */
#elif defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__) && !defined(__AARCH64EB__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#elif defined(__i386__)
#define NATIVE_ARCH AUDIT_ARCH_I386
#elif defined(__arm__) && defined(__ARM_EABI__) && !defined(__ARMEB__)
#define NATIVE_ARCH AUDIT_ARCH_ARM
#elif defined(__riscv) && __riscv_xlen == 64
#define NATIVE_ARCH AUDIT_ARCH_RISCV64
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NATIVE_ARCH AUDIT_ARCH_PPC64LE
#elif defined(__s390x__)
#define NATIVE_ARCH AUDIT_ARCH_S390X
#else
#define NATIVE_ARCH 0
#endif

enum kind { K_OPEN, K_OPENAT, K_CREAT };

/* The calls the filter hands over.  On x86-64 a 32-bit program (the i386
 * ABI, through int 0x80 or a 32-bit binary) has numbers of its own and is
 * handed over too.  x32 calls (the x86-64 numbers with bit 30 set) are
 * let through: most kernels, Debian's among them, turn x32 off, so they
 * could not be tested, and an x32 open the kernel refuses stays refused. */
static const struct call {
	uint32_t arch;
	uint32_t nr;
	enum kind kind;
	int largefile; /* the ABI's O_LARGEFILE, which this one spells 0 */
} calls[] = {
#if NATIVE_ARCH
#ifdef __NR_open
	{ NATIVE_ARCH, __NR_open, K_OPEN, 0 },
#endif
	{ NATIVE_ARCH, __NR_openat, K_OPENAT, 0 },
#ifdef __NR_creat
	{ NATIVE_ARCH, __NR_creat, K_CREAT, 0 },
#endif
#endif
#if defined(__x86_64__) && !defined(__ILP32__)
	{ AUDIT_ARCH_I386, 5, K_OPEN, 0100000 },
	{ AUDIT_ARCH_I386, 295, K_OPENAT, 0100000 },
	{ AUDIT_ARCH_I386, 8, K_CREAT, 0100000 },
#endif
};
#define NCALLS (sizeof calls / sizeof calls[0])

/* The filter: for each call, its architecture and number, else ALLOW.
 * Five instructions a call, no jump further than 3: written out rather
 * than generated with libseccomp, which openfile-run then need not load.
 * Everything else the kernel lets through without running it (the
 * constant-action cache of Linux 5.11). */
#define FILTER_LEN (5 * NCALLS + 1)

static void build_filter(struct sock_filter f[FILTER_LEN])
{
	size_t n = 0;

	for (size_t i = 0; i < NCALLS; i++) {
		f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, arch));
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			calls[i].arch, 0, 3);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, nr));
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			calls[i].nr, 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
			SECCOMP_RET_USER_NOTIF);
	}
	f[n] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
}

/* Installs the filter on this process (no_new_privs first, which an
 * unprivileged filter needs).  Returns the listener, or -1 and errno. */
static int install_filter(void)
{
	struct sock_filter f[FILTER_LEN];
	struct sock_fprog prog = { FILTER_LEN, f };

	if (NATIVE_ARCH == 0) {
		errno = ENOSYS;
		return -1;
	}
	build_filter(f);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			    SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
}

/*
 * USER_NOTIF came in 5.0 and SECCOMP_GET_ACTION_AVAIL says whether it is
 * there; ADDFD_FLAG_SEND (5.14) has no such query, and a version number
 * misleads on backports.  So a child takes a listener of its own (a filter
 * that allows everything) and asks ADDFD with FLAG_SEND for a notification
 * that does not exist: a kernel that knows the flag looks the id up and
 * says ENOENT; one that does not refuses the flag (EINVAL), and one
 * without ADDFD at all the ioctl.  Nothing is added anywhere.  While the
 * child waits, we read its memory as we would the command's: Yama's
 * ptrace_scope 2 or 3 forbids it, and then every path would be unreadable.
 * It costs a fork, once, where openfile-run chooses its mode.
 */
int supervise_supported(void)
{
	static const char mark = 'm';
	uint32_t action = SECCOMP_RET_USER_NOTIF;
	struct seccomp_notif_addfd addfd = { .id = 0, .flags = SECCOMP_ADDFD_FLAG_SEND,
					     .srcfd = 0 };
	int sv[2], st, fd, ok = 0;
	char c = 0, got = 0;
	pid_t pid;

	if (NATIVE_ARCH == 0 ||
	    syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) != 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return 0;
	if ((pid = fork()) == 0) {
		struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		struct sock_fprog prog = { 1, &allow };

		close(sv[0]);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
		    (fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				       SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog)) >= 0 &&
		    ioctl(fd, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd) < 0 && errno == ENOENT)
			c = 1;
		/* Then alive until the parent has read: it closes its end. */
		if (write(sv[1], &c, 1) == 1)
			while (read(sv[1], &c, 1) < 0 && errno == EINTR)
				;
		_exit(0);
	}
	close(sv[1]);
	if (pid > 0) {
		struct iovec local = { &got, 1 };
		struct iovec remote = { (void *)(uintptr_t)&mark, 1 };

		while (read(sv[0], &c, 1) < 0 && errno == EINTR)
			;
		ok = c == 1 && process_vm_readv(pid, &local, 1, &remote, 1, 0) == 1 &&
		     got == mark;
	}
	close(sv[0]);
	while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return ok;
}

/* What the child tells the parent: 0 and the listener, or the errno of
 * the step that failed (the filter, then execvp). */
static _Noreturn void child(char *const argv[], int sock, const sigset_t *mask)
{
	int err = 0, fd;

	sigprocmask(SIG_SETMASK, mask, NULL);
	if ((fd = install_filter()) < 0)
		err = errno;
	/* The socket is close-on-exec: exec'ing closes it, which the
	 * parent reads as "the command runs". */
	if (fdpass_send(sock, fd, &err, sizeof err) == 0 && fd >= 0) {
		close(fd);
		execvp(argv[0], argv);
		err = errno;
		(void)!write(sock, &err, sizeof err);
	}
	_exit(127);
}

/* Reads the command's NUL-terminated string at addr into buf (PATH_MAX
 * bytes), a page at a time: a read across into an unmapped page fails
 * whole.  Returns 0, or -1 (unreadable, or no NUL within PATH_MAX). */
static int read_string(pid_t pid, uint64_t addr, char *buf)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), got = 0;

	while (got < PATH_MAX) {
		size_t want = page - (size_t)((addr + got) % page);
		struct iovec local, remote;
		ssize_t n;

		if (want > PATH_MAX - got)
			want = PATH_MAX - got;
		local = (struct iovec){ buf + got, want };
		remote = (struct iovec){ (void *)(uintptr_t)(addr + got), want };
		if ((n = process_vm_readv(pid, &local, 1, &remote, 1, 0)) <= 0)
			return -1;
		if (memchr(buf + got, '\0', (size_t)n) != NULL)
			return 0;
		got += (size_t)n;
	}
	return -1;
}

/* Makes rel (relative) absolute in out (PATH_MAX) against the command's
 * directory: its working directory, or its descriptor dirfd, which must
 * be a directory with a path (not a deleted one, not a socket).  Returns
 * 0 or -1. */
static int absolute(pid_t pid, int dirfd, const char *rel, char *out)
{
	char link[64];
	ssize_t n;
	struct stat st;

	if (dirfd == AT_FDCWD)
		snprintf(link, sizeof link, "/proc/%d/cwd", (int)pid);
	else
		snprintf(link, sizeof link, "/proc/%d/fd/%d", (int)pid, dirfd);
	if (stat(link, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    (n = readlink(link, out, PATH_MAX)) <= 0 || n >= PATH_MAX ||
	    out[0] != '/')
		return -1;
	out[n] = '\0';
	/* A removed directory reads "/old/path (deleted)": not a path. */
	if (st.st_nlink == 0)
		return -1;
	if (snprintf(out + n, (size_t)(PATH_MAX - n), "%s%s",
		     out[n - 1] == '/' ? "" : "/", rel) >= PATH_MAX - n)
		return -1;
	return 0;
}

/* Whether the kernel would refuse this open for permission, found out
 * without opening anything (a FIFO would block, O_EXCL would then fail in
 * the command, a device acts on open): access(2) with the effective ids,
 * which the command's are (no_new_privs: it cannot gain any), for what
 * the flags ask; a file O_CREAT would make asks the directory's write
 * and search permission.  Anything but EACCES and EPERM (the file is
 * missing, exists under O_EXCL, lies on a read-only file system...) the
 * kernel says better itself. */
static int refused(const char *path, int flags)
{
	int acc = flags & O_ACCMODE, mode = 0, r;
	struct stat st;

	if (acc != O_WRONLY)
		mode |= R_OK;
	if (acc != O_RDONLY || (flags & O_TRUNC))
		mode |= W_OK;
	if (flags & O_PATH)
		mode = F_OK;
	/* O_NOFOLLOW on a symbolic link is ELOOP, and O_CREAT | O_EXCL on
	 * anything there EEXIST, whatever the permissions; access would
	 * follow the link. */
	if ((flags & O_NOFOLLOW) && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		return 0;
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL) && lstat(path, &st) == 0)
		return 0;
	r = faccessat(AT_FDCWD, path, mode, AT_EACCESS);
	if (r != 0 && errno == ENOENT && (flags & O_CREAT)) {
		char dir[PATH_MAX];
		char *slash;

		strcpy(dir, path);
		slash = strrchr(dir, '/');
		if (slash == dir)
			slash++;
		*slash = '\0';
		r = faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS);
	}
	return r != 0 && (errno == EACCES || errno == EPERM);
}

/* The open a notification asks for: the command's arguments as the
 * kernel would read them. */
struct request {
	int dirfd;
	uint64_t path;
	int flags;
	mode_t mode;
};

static const struct call *decode(const struct seccomp_notif *n, struct request *r)
{
	const struct call *c = NULL;
	const __u64 *a = n->data.args;

	for (size_t i = 0; i < NCALLS && c == NULL; i++)
		if (calls[i].arch == n->data.arch && calls[i].nr == (uint32_t)n->data.nr)
			c = &calls[i];
	if (c == NULL)
		return NULL;
	/* int arguments are the low 32 bits of the register, as the
	 * kernel takes them. */
	if (c->kind == K_OPENAT)
		*r = (struct request){ (int)a[0], a[1], (int)a[2], (mode_t)a[3] };
	else if (c->kind == K_OPEN)
		*r = (struct request){ AT_FDCWD, a[0], (int)a[1], (mode_t)a[2] };
	else
		*r = (struct request){ AT_FDCWD, a[0], O_CREAT | O_WRONLY | O_TRUNC,
				       (mode_t)a[1] };
	r->flags &= ~c->largefile;
	if (!(r->flags & O_CREAT) && (r->flags & O_TMPFILE) != O_TMPFILE)
		r->mode = 0;
	r->mode &= 07777;
	return c;
}

static void reply_continue(int listener, uint64_t id)
{
	struct seccomp_notif_resp resp = { .id = id,
					   .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE };

	/* ENOENT: the call is gone (the command was interrupted or
	 * killed); nothing waits for the answer. */
	(void)ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

/* Asks open_fn for path with the command's umask (the helper applies its
 * caller's: ours) and hands the descriptor over.  Returns 0, or -1 when
 * the command is to be answered by the kernel. */
static int substitute(int listener, const struct seccomp_notif *n,
		      const struct request *r, const char *path,
		      supervise_open_fn open_fn)
{
	struct seccomp_notif_addfd addfd = { .id = n->id,
					     .flags = SECCOMP_ADDFD_FLAG_SEND };
	char status[64];
	int fd, mask = 0, old = 0, ret;

	snprintf(status, sizeof status, "/proc/%d/status", (int)n->pid);
	if ((r->flags & O_CREAT) && (mask = umask_of(status)) < 0)
		return -1;
	/* Everything read of PID (its memory, its directories, its umask)
	 * is the command's only if the call still waits: PID may be another
	 * process's now. */
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &n->id) != 0)
		return 0;
	if (r->flags & O_CREAT)
		old = (int)umask((mode_t)mask);
	fd = open_fn(path, r->flags | O_CLOEXEC, r->mode);
	if (r->flags & O_CREAT)
		umask((mode_t)old);
	if (fd < 0)
		return -1;
	addfd.srcfd = (uint32_t)fd;
	addfd.newfd_flags = r->flags & O_CLOEXEC;
	/* With FLAG_SEND this is the answer; if the command could not take
	 * the descriptor (its limit, say) the call waits for another, and
	 * the kernel's own open says why (EMFILE).  ENOENT: it is gone. */
	ret = ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
	close(fd);
	return ret < 0 && errno != ENOENT ? -1 : 0;
}

/* Answers one notification, received. */
static void serve(int listener, const struct seccomp_notif *n, supervise_open_fn open_fn)
{
	char path[PATH_MAX], abs[PATH_MAX];
	struct request r;
	const char *p = path;

	if (decode(n, &r) == NULL || read_string((pid_t)n->pid, r.path, path) != 0 ||
	    path[0] == '\0')
		goto kernel;
	if (path[0] != '/') {
		if (absolute((pid_t)n->pid, r.dirfd, path, abs) != 0)
			goto kernel;
		p = abs;
	}
	/* What was read may be another process's, its pid reused: harmless
	 * for a CONTINUE, which then finds no call to answer; substitute
	 * checks the id before it asks.  /proc names the command's files
	 * by names that mean ours here (/proc/self), and no policy grants
	 * there (the helper follows no link in /proc): the kernel's. */
	if (strncmp(p, "/proc/", 6) == 0 || !refused(p, r.flags) || substitute(listener, n, &r, p, open_fn) != 0)
		goto kernel;
	return;
kernel:
	reply_continue(listener, n->id);
}

/* A notification as this kernel writes it, which may be larger than our
 * headers' (supervise_run checks it fits). */
union notif {
	struct seccomp_notif n;
	char room[512];
};

/* The signals supervise_run takes, and what its handler shares with the
 * loop: the command while it is ours to signal (0 once reaped: its pid
 * may be another's then), whether a signal came, whether one asked us
 * to stop.  One supervise_run at a time in a process. */
static const int taken[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD };
#define NTAKEN (sizeof taken / sizeof taken[0])
static volatile sig_atomic_t command, signalled, stop;

/* Forwards a signal a process sent: a terminal's went to the whole
 * process group, the command with it.  Forwarding here, not in the loop,
 * leaves no window in which a signal waits for the next open. */
static void on_signal(int sig, siginfo_t *si, void *ctx)
{
	int e = errno;

	(void)ctx;
	signalled = 1;
	if (sig != SIGCHLD) {
		if (command == 0)
			stop = 1;
		else if (si->si_code != SI_KERNEL)
			kill((pid_t)command, sig);
	}
	errno = e;
}

/* Reaps every child that ended; the command's status goes to *status.
 * Returns whether the command was among them. */
static int reap(pid_t pid, int *status, int options)
{
	int st, found = 0;
	pid_t got;

	while ((got = waitpid(-1, &st, options)) > 0 || (got < 0 && errno == EINTR))
		if (got == pid) {
			*status = st;
			found = 1;
		}
	return found;
}

/* Takes the listener from the child, then waits for its exec: EOF says
 * the command runs.  Returns the listener, or -1 and errno (the child's,
 * which has then been reaped). */
static int start(int sock, pid_t pid)
{
	int err = EPROTO, fd = -1, st;
	ssize_t n = fdpass_recv(sock, &fd, NULL, &err, sizeof err, MSG_CMSG_CLOEXEC);

	if (n == (ssize_t)sizeof err && err == 0 && fd >= 0) {
		while ((n = read(sock, &err, sizeof err)) < 0 && errno == EINTR)
			;
		if (n == 0)
			return fd;
		if (n != (ssize_t)sizeof err)
			err = EPROTO;
	} else if (n >= 0 && err == 0) {
		err = EPROTO;
	} else if (n < 0) {
		err = errno;
	}
	if (fd >= 0)
		close(fd);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	errno = err;
	return -1;
}

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS /* Linux 6.6, newer than our headers */
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

/* Waits for the next notification into n with the signals in open
 * unblocked.  Returns 1 with one, 0 without (a signal, a caller gone),
 * -1 once no process is under the filter (the listener hangs up).
 *
 * Where the kernel has SYNC_WAKE_UP (Linux 6.6) we wait in RECV itself:
 * the command then wakes us, and we it, on the CPU it runs on, which
 * takes an allowed open from ~55 to ~17 us on our VM (doc/seccomp-mode.md).
 * A signal that comes just before the RECV does not interrupt it; its
 * handler has forwarded it, and only a reap or a stop waits for the next
 * wake-up.  Elsewhere ppoll, which unblocks atomically. */
static int next(int listener, int sync, const sigset_t *open, struct seccomp_notif *n)
{
	struct pollfd p = { listener, POLLIN, 0 };
	sigset_t blocked;
	int r;

	if (sync) {
		sigprocmask(SIG_SETMASK, open, &blocked);
		r = ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, n);
		sigprocmask(SIG_SETMASK, &blocked, NULL);
		if (r == 0)
			return 1;
		/* ENOENT: a caller gone, or none left (RECV does not wait
		 * then). */
		return poll(&p, 1, 0) == 1 && (p.revents & POLLHUP) ? -1 : 0;
	}
	if (ppoll(&p, 1, NULL, open) != 1)
		return 0;
	if (!(p.revents & POLLIN))
		return -1;
	return ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, n) == 0;
}

/* The answers go on while any process under the filter lives: when the
 * command ends first (a daemon it started, a background job), until the
 * last of them does (the listener hangs up), and then its status is the
 * command's.  Answering stops at once only on a signal to stop once the
 * command is gone: what remains then sees ENOSYS for an open. */
static int supervise(int listener, pid_t pid, const sigset_t *open,
		     supervise_open_fn open_fn)
{
	union notif buf;
	int status = 0, done = 0, sync = 0, r;

#ifndef SUPERVISE_TEST_POLL
	sync = ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
		     SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) == 0;
#endif
	do {
		memset(&buf, 0, sizeof buf);
		if ((r = next(listener, sync, open, &buf.n)) == 1)
			serve(listener, &buf.n, open_fn);
		if (signalled) {
			signalled = 0;
			if (!done && reap(pid, &status, WNOHANG))
				done = 1, command = 0;
		}
	} while (r >= 0 && !(done && stop));
	close(listener);
	/* The listener hangs up as the last process under the filter
	 * exits, before it is a zombie: wait for those to be.  Not after a
	 * signal to stop, when some may run on. */
	if (!stop)
		reap(pid, &status, 0);
	return status;
}

int supervise_run(char *const argv[], supervise_open_fn open_fn)
{
	struct seccomp_notif_sizes sizes;
	struct sigaction act = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO }, old_act[NTAKEN];
	sigset_t take, old, open;
	int sv[2], listener, reaper = 0, status = -1, err;
	pid_t pid;

	if (argv == NULL || argv[0] == NULL || open_fn == NULL) {
		errno = EINVAL;
		return -1;
	}
	/* The kernel wants a zeroed buffer of its own size to write to. */
	if (NATIVE_ARCH == 0 ||
	    syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) != 0 ||
	    sizes.seccomp_notif > sizeof(union notif)) {
		errno = ENOSYS;
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return -1;
	/* Blocked from before the fork until we wait, so that none is lost
	 * or kills us meanwhile; the child restores mask and actions (an
	 * ignored SIGINT stays ignored in a background job).  SIGCHLD at
	 * SIG_IGN would have the kernel reap the command, status and all:
	 * we take it too. */
	sigemptyset(&take);
	for (size_t i = 0; i < NTAKEN; i++)
		sigaddset(&take, taken[i]);
	act.sa_mask = take;
	sigprocmask(SIG_BLOCK, &take, &old);
	open = old;
	for (size_t i = 0; i < NTAKEN; i++) {
		sigdelset(&open, taken[i]);
		sigaction(taken[i], &act, &old_act[i]);
	}
	command = signalled = stop = 0;
	/* Orphans of the command become ours, so that we reap them rather
	 * than leave them to whichever process above us is a reaper: where
	 * a zombie still holds the filter, the listener would hang up only
	 * once that one got round to it. */
	if (prctl(PR_GET_CHILD_SUBREAPER, &reaper) != 0 ||
	    prctl(PR_SET_CHILD_SUBREAPER, 1) != 0 || (pid = fork()) < 0) {
		err = errno;
		goto out;
	}
	if (pid == 0) {
		for (size_t i = 0; i < NTAKEN; i++)
			sigaction(taken[i], &old_act[i], NULL);
		child(argv, sv[1], &old);
	}
	command = pid;
	close(sv[1]);
	sv[1] = -1;
	if ((listener = start(sv[0], pid)) < 0) {
		err = errno;
		goto out;
	}
	status = supervise(listener, pid, &open, open_fn);
	err = 0;
out:
	command = 0;
	prctl(PR_SET_CHILD_SUBREAPER, reaper);
	for (size_t i = 0; i < NTAKEN; i++)
		sigaction(taken[i], &old_act[i], NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	errno = err;
	return status;
}

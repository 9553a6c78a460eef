/* SPDX-License-Identifier: ISC */
/*
 * openfile-run - run an unmodified program so that the files the policy
 * grants its user open for it: through the preload shim (open and fopen
 * ask my_open() when the kernel refuses), or under a seccomp filter whose
 * opens this process answers, and with descriptors opened beforehand
 * (--open).  Never privileged: the helper or the broker decides.  See
 * openfile-run(1).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <link.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "fopen-flags.h"
#include "myopen.h"
#include "supervise.h"

/* The exit statuses of env(1) and timeout(1). */
#define EXIT_OWN 125
#define EXIT_CANNOT_RUN 126
#define EXIT_NOT_FOUND 127

/* --open's N is 0..OPEN_FD_MAX; the descriptors are held above it until
 * all are open, so that none lands on another's N. */
#define OPEN_FD_MAX 255
#define OPEN_MAX_COUNT 64

enum mode { AUTO, PRELOAD, SECCOMP };

static const char *prog = "openfile-run";

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [--mode auto|preload|seccomp] [--open N=PATH[:MODE]]... [--]\n"
		"       COMMAND [ARG...]\n"
		"Runs COMMAND so that the files the openfile policy grants its user open\n"
		"for it.\n"
		"  --mode auto      preload for a dynamically linked COMMAND, else seccomp\n"
		"                   where the kernel supports it (default)\n"
		"  --mode preload   the shim " OPENFILE_PRELOAD_PATH " in LD_PRELOAD\n"
		"  --mode seccomp   a seccomp filter whose opens openfile-run answers\n"
		"  --open N=PATH[:MODE]  open PATH through the policy as descriptor N\n"
		"                   (0..%d) of COMMAND; MODE an fopen mode, r by default\n"
		"  --help, --version\n"
		"Exit status: COMMAND's; 125 for an error of openfile-run's, 126 when\n"
		"COMMAND cannot be run, 127 when it is not found.  See openfile-run(1).\n",
		prog, OPEN_FD_MAX);
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_OWN);
}

struct open_arg {
	int n;
	const char *path;
	char *spec;
	int flags;
	int fd;
};

/* Whether s reads as a mode rather than as the end of a path: what
 * follows the last ':' is taken for a mode when it is only letters and
 * '+', so "/srv/a:b.csv" is a path and "/srv/x:q" a bad mode. */
static int looks_like_mode(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz+");

	return n > 0 && s[n] == '\0';
}

/* Parses N=PATH[:MODE] (arg is modified in place). */
static void parse_open(char *arg, struct open_arg *o, const struct open_arg *prev,
		       int nprev)
{
	const char *spec = arg;
	char *eq = strchr(arg, '='), *colon, *end;
	const char *mode = "r";
	long n;
	int i;

	if (eq == NULL || eq == arg)
		die("--open %s: expected N=PATH[:MODE]", spec);
	errno = 0;
	n = strtol(arg, &end, 10);
	if (end != eq || arg[0] < '0' || arg[0] > '9' || errno != 0 ||
	    n < 0 || n > OPEN_FD_MAX)
		die("--open %s: N must be a number from 0 to %d", spec, OPEN_FD_MAX);
	for (i = 0; i < nprev; i++)
		if (prev[i].n == n)
			die("--open %s: descriptor %ld is given twice", spec, n);
	o->spec = strdup(spec);
	if (o->spec == NULL)
		die("out of memory");
	o->path = eq + 1;
	colon = strrchr(eq + 1, ':');
	if (colon != NULL && looks_like_mode(colon + 1)) {
		*colon = '\0';
		mode = colon + 1;
	}
	if (o->path[0] == '\0')
		die("--open %s: no PATH", o->spec);
	o->flags = fopen_flags(mode, 0);
	if (o->flags < 0)
		die("--open %s: '%s' is not an fopen mode", o->spec, mode);
	o->n = (int)n;
	o->fd = -1;
}

/* Opens each through the policy, then places each at its N without
 * close-on-exec.  Each is first held above OPEN_FD_MAX, so that one
 * opened cannot sit on an N placed later. */
static void open_all(struct open_arg *o, int count)
{
	int i, fd;

	for (i = 0; i < count; i++) {
		fd = my_open(o[i].path, o[i].flags, 0666);
		if (fd < 0)
			die("--open %s: %s: %s", o[i].spec, o[i].path, strerror(errno));
		o[i].fd = fcntl(fd, F_DUPFD_CLOEXEC, OPEN_FD_MAX + 1);
		if (o[i].fd < 0)
			die("--open %s: fcntl(F_DUPFD_CLOEXEC): %s", o[i].spec,
			    strerror(errno));
		close(fd);
	}
	for (i = 0; i < count; i++) {
		if (dup2(o[i].fd, o[i].n) < 0)
			die("--open %s: dup2: %s", o[i].spec, strerror(errno));
		close(o[i].fd);
	}
}

/* Where execvp(3) would find cmd, into buf; NULL when nowhere. */
static const char *find_command(const char *cmd, char *buf, size_t size)
{
	const char *path = getenv("PATH"), *p, *end;
	size_t dlen, clen = strlen(cmd);

	if (strchr(cmd, '/') != NULL)
		return cmd;
	if (path == NULL)
		path = "/bin:/usr/bin";
	for (p = path;; p = end + 1) {
		end = strchrnul(p, ':');
		dlen = (size_t)(end - p);
		if (dlen == 0) {
			p = ".";
			dlen = 1;
		}
		if (dlen + 1 + clen < size) {
			memcpy(buf, p, dlen);
			buf[dlen] = '/';
			memcpy(buf + dlen + 1, cmd, clen + 1);
			if (access(buf, X_OK) == 0)
				return buf;
		}
		if (*end == '\0')
			return NULL;
	}
}

/* Whether the loader takes the shim into the program at path: a script
 * (its interpreter is, in practice, dynamically linked), or an ELF
 * program of our class that names a program interpreter.  Not a static
 * program, one of another class, nor one we may not read.  O_NONBLOCK:
 * a FIFO with the execute bit on PATH must not hold us up. */
static int preloadable(const char *path)
{
	ElfW(Ehdr) eh;
	ElfW(Phdr) ph;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC), yes = 0;
	ssize_t n;

	if (fd < 0)
		return 0;
	n = pread(fd, &eh, sizeof eh, 0);
	if (n >= 2 && memcmp(&eh, "#!", 2) == 0)
		yes = 1;
	else if (n == (ssize_t)sizeof eh && memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 &&
		 eh.e_ident[EI_CLASS] == (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32) &&
		 eh.e_phentsize == sizeof ph)
		for (unsigned i = 0; i < eh.e_phnum && !yes; i++)
			yes = pread(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + i * sizeof ph)) ==
				      (ssize_t)sizeof ph && ph.p_type == PT_INTERP;
	close(fd);
	return yes;
}

/* The mode auto stands for, for cmd: the one place that choice is made.
 * The shim costs an open the kernel allows nothing, the supervisor a
 * round trip (doc/seccomp-mode.md): the supervisor only where the shim
 * cannot go, and where the kernel can. */
static enum mode choose(enum mode asked, const char *path)
{
	int shim = path != NULL && preloadable(path);

	if (asked == PRELOAD || (asked == AUTO && shim))
		return PRELOAD;
	if (supervise_supported())
		return SECCOMP;
	if (asked == SECCOMP)
		die("--mode seccomp: this kernel cannot notify a supervisor of opens "
		    "and let it give descriptors (Linux 5.14 or later), or this process "
		    "is supervised already");
	if (path != NULL)
		fprintf(stderr, "%s: warning: %s does not take the preload shim (statically "
			"linked, or unreadable) and this kernel cannot supervise it: its opens "
			"are not interposed\n", prog, path);
	return PRELOAD;
}

/* Warns when the program at path gains privilege on exec: the loader
 * ignores LD_PRELOAD for it, and under seccomp no_new_privs keeps the
 * privilege from it. */
static void warn_privileged(const char *path, enum mode mode)
{
	const char *what = NULL;
	struct stat st;

	if (path == NULL || stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	if (st.st_mode & S_ISUID)
		what = "setuid";
	else if ((st.st_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		what = "setgid";
	else if (getxattr(path, "security.capability", NULL, 0) >= 0)
		what = "given file capabilities";
	if (what != NULL)
		fprintf(stderr, "%s: warning: %s is %s: %s\n", prog, path, what,
			mode == SECCOMP ? "under seccomp it runs without that privilege"
					: "it runs without interposition");
}

static void preload(void)
{
	const char *old = getenv("LD_PRELOAD");
	char *val;

	if (access(OPENFILE_PRELOAD_PATH, R_OK) < 0)
		die("%s: %s", OPENFILE_PRELOAD_PATH, strerror(errno));
	if (old == NULL || old[0] == '\0')
		val = strdup(OPENFILE_PRELOAD_PATH);
	else if (asprintf(&val, "%s:%s", OPENFILE_PRELOAD_PATH, old) < 0)
		val = NULL;
	if (val == NULL || setenv("LD_PRELOAD", val, 1) < 0)
		die("setting LD_PRELOAD: %s", strerror(errno));
	free(val);
}

static int ask_policy(const char *path, int flags, mode_t mode)
{
	return my_open(path, flags, mode);
}

/* Ends as the command ended: its exit status, or its signal. */
static void __attribute__((noreturn)) end_like(int status)
{
	struct rlimit none = { 0, 0 };
	sigset_t set;
	int sig;

	if (WIFEXITED(status))
		exit(WEXITSTATUS(status));
	sig = WTERMSIG(status);
	/* Its core, if any, was dumped: not ours too. */
	(void)setrlimit(RLIMIT_CORE, &none);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	exit(128 + sig);
}

static void __attribute__((noreturn)) cannot_run(const char *cmd, int err)
{
	fprintf(stderr, "%s: %s: %s\n", prog, cmd, strerror(err));
	exit(err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN);
}

int main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "open", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct open_arg opens[OPEN_MAX_COUNT];
	int nopen = 0, c, status;
	enum mode mode = AUTO;
	char found[PATH_MAX];
	const char *path;

	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (strcmp(optarg, "auto") == 0)
				mode = AUTO;
			else if (strcmp(optarg, "preload") == 0)
				mode = PRELOAD;
			else if (strcmp(optarg, "seccomp") == 0)
				mode = SECCOMP;
			else
				die("--mode %s: expected auto, preload or seccomp", optarg);
			break;
		case 'o':
			if (nopen == OPEN_MAX_COUNT)
				die("--open %s: more than %d --open", optarg, OPEN_MAX_COUNT);
			parse_open(optarg, &opens[nopen], opens, nopen);
			nopen++;
			break;
		case 'h':
			usage(stdout);
			return fflush(stdout) == 0 ? 0 : EXIT_OWN;
		case 'V':
			printf("openfile-run (openfile) %s\n", PACKAGE_VERSION);
			return fflush(stdout) == 0 ? 0 : EXIT_OWN;
		default:
			fprintf(stderr, "Try '%s --help'.\n", prog);
			return EXIT_OWN;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "%s: no COMMAND\nTry '%s --help'.\n", prog, prog);
		return EXIT_OWN;
	}
	argv += optind;
	path = find_command(argv[0], found, sizeof(found));
	mode = choose(mode, path);
	warn_privileged(path, mode);
	open_all(opens, nopen);
	if (mode == PRELOAD) {
		preload();
		execvp(argv[0], argv);
		cannot_run(argv[0], errno);
	}
	status = supervise_run(argv, ask_policy);
	if (status < 0) {
		if (errno == ENOENT || errno == EACCES || errno == ENOEXEC ||
		    errno == ENOTDIR || errno == ELOOP || errno == ETXTBSY)
			cannot_run(argv[0], errno);
		die("%s: starting it under seccomp: %s", argv[0], strerror(errno));
	}
	end_like(status);
}

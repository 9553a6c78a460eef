/* SPDX-License-Identifier: ISC */
/*
 * audit.c - what the helper and openfiled say: one audit record per
 * request, and diagnostics.  Each goes to the journal (the record's
 * fields as journal fields too) where it runs, else to syslog's authpriv
 * facility, else, when neither socket takes it, to the audit file; and,
 * when asked, to stderr (the helper: only a terminal the caller owns).
 * The sockets are connected and the file opened while we are root and
 * before the caller can have changed anything; see openfile(8), LOGGING.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "logsink.h"

static int to_stderr, admin;
static const char *me = "openfile";
/* The journal's socket (journal set) or syslog's, and the audit file:
 * -1 when not there. */
static int lfd = -1, ffd = -1, journal;
static pid_t pid;    /* ours, as audit_open found it */
static time_t tried; /* when connect_log last tried */

void audit_init(const char *ident, int stderr_too, int for_admin)
{
	me = ident;
	to_stderr = stderr_too;
	admin = for_admin;
	audit_open();
}

/* The journal, else syslog, unless one is connected: while neither is,
 * tried again at most once a second (a daemon started later), not at
 * each of a worker's records, where four failing system calls a record
 * would cost a fifth of a request. */
static void connect_log(void)
{
	time_t now = time(NULL);

	if (lfd >= 0 || now == tried)
		return;
	tried = now;
	if (!(journal = (lfd = logsink_connect(OPENFILE_JOURNAL_SOCKET)) >= 0))
		lfd = logsink_connect(OPENFILE_SYSLOG_SOCKET);
}

void audit_open(void)
{
	pid = getpid();
	connect_log();
	/* Created by root alone: a helper with file capabilities runs as
	 * its caller. */
	if (ffd < 0)
		ffd = logsink_open_file(OPENFILE_AUDIT_LOG, geteuid() == 0);
}

void audit_close(void)
{
	if (lfd >= 0)
		close(lfd);
	if (ffd >= 0)
		close(ffd);
	lfd = ffd = -1;
	tried = 0; /* the next audit_open tries the sockets at once */
}

int audit_sinks(void)
{
	return lfd >= 0 || ffd >= 0;
}

/* Writes byte c as the log shows it into e: itself, or \xHH for control
 * characters, the backslash, bytes beyond ASCII and, when space, the
 * space, so that nothing the caller names can forge a record, or a field
 * of one.  Returns how many bytes (1 or 4). */
static size_t escape_byte(unsigned char c, int space, char e[4])
{
	static const char hex[] = "0123456789abcdef";

	if (c >= 0x20 + space && c < 0x7f && c != '\\') {
		e[0] = (char)c;
		return 1;
	}
	e[0] = '\\';
	e[1] = 'x';
	e[2] = hex[c >> 4];
	e[3] = hex[c & 15];
	return 4;
}

static int dgram_send(int fd, struct iovec *iov, int n)
{
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = (size_t)n };

	return sendmsg(fd, &m, MSG_NOSIGNAL) >= 0 ? 0 : -1;
}

/*
 * A record is never cut: a path up to PATH_MAX, escaped, can take four
 * times that.  glibc's syslog(3) speaks RFC 3164, which bounds a message
 * at 1024 bytes, and some receivers still cut there, so a record that does
 * not fit in one message of MSG_MAX bytes (the header, "<PRI>Mmm dd
 * hh:mm:ss openfiled[PID]: ", takes at most 42 more) goes to syslog as
 * numbered parts, each headed "VERDICT: req=N part=I/K " (at most
 * HEAD_MAX) and split between two escapes, never inside one.  The journal
 * and the file take it whole.
 */
#define MSG_MAX 960
#define HEAD_MAX 64
#define PART_MAX (MSG_MAX - HEAD_MAX)

/* Where the part of text (len bytes) that fits in PART_MAX ends: before
 * an escape ("\xHH", the only backslashes there are) that would not fit. */
static size_t part_end(const char *text, size_t len)
{
	size_t n = len < PART_MAX ? len : PART_MAX;

	for (size_t k = 1; n < len && k <= 3; k++)
		if (text[n - k] == '\\')
			return n - k;
	return n;
}

static int syslog_send(int prio, const char *head, const char *text, size_t len)
{
	char hdr[96 + HEAD_MAX], stamp[32];
	size_t parts = 0, n;
	time_t now = time(NULL);
	struct tm tm;
	int h;

	strftime(stamp, sizeof stamp, "%b %e %T", localtime_r(&now, &tm));
	for (size_t o = 0; o < len || parts == 0; o += part_end(text + o, len - o))
		parts++;
	for (size_t i = 1, o = 0; i <= parts; i++, o += n) {
		struct iovec iov[2];

		n = part_end(text + o, len - o);
		h = parts == 1 ?
			snprintf(hdr, sizeof hdr, "<%d>%s %s[%d]: %s", LOG_AUTHPRIV | prio,
				 stamp, me, (int)pid, head) :
			snprintf(hdr, sizeof hdr, "<%d>%s %s[%d]: %spart=%zu/%zu ",
				 LOG_AUTHPRIV | prio, stamp, me, (int)pid, head, i, parts);
		iov[0] = (struct iovec){ hdr, (size_t)h };
		iov[1] = (struct iovec){ (char *)text + o, n };
		if (dgram_send(lfd, iov, 2) < 0)
			return -1;
	}
	return 0;
}

/* Room for a record's text, and for its fields as the journal's own
 * (OPENFILE_NAME=value, one a line): three names of up to PATH_MAX bytes
 * (path, real, rule) and the rest, each byte escaped to at most four. */
#define REC_MAX (4 * (3 * PATH_MAX + 1024))
struct fields {
	char buf[REC_MAX];
	size_t len;
};

static int journal_send(int prio, const char *head, const char *text, size_t len,
			const struct fields *f)
{
	char pre[sizeof "MESSAGE=" + HEAD_MAX], post[128];
	struct iovec iov[4] = {
		{ pre, (size_t)snprintf(pre, sizeof pre, "MESSAGE=%s", head) },
		{ (char *)text, len },
		{ post, (size_t)snprintf(post, sizeof post,
					 "\nPRIORITY=%d\nSYSLOG_FACILITY=%d\nSYSLOG_IDENTIFIER=%s\nSYSLOG_PID=%d\n",
					 prio, LOG_AUTHPRIV >> 3, me, (int)pid) },
		{ f != NULL ? (char *)f->buf : NULL, f != NULL ? f->len : 0 },
	};

	return dgram_send(lfd, iov, 4);
}

/* One line, "TIME IDENT[PID]: HEAD TEXT", time in UTC (ISO 8601), written
 * whole in one write(2): with O_APPEND, records of several processes
 * never interleave. */
static int file_write(const char *head, const char *text, size_t len)
{
	char pre[128 + HEAD_MAX];
	time_t now = time(NULL);
	struct tm tm;
	size_t p = strftime(pre, sizeof pre, "%FT%TZ ", gmtime_r(&now, &tm));
	struct iovec iov[3];
	ssize_t want;

	p += (size_t)snprintf(pre + p, sizeof pre - p, "%s[%d]: %s", me,
			      (int)pid, head);
	iov[0] = (struct iovec){ pre, p };
	iov[1] = (struct iovec){ (char *)text, len };
	iov[2] = (struct iovec){ (char *)"\n", 1 };
	want = (ssize_t)(p + len + 1);
	return ffd >= 0 && writev(ffd, iov, 3) == want ? 0 : -1;
}

/* To the journal or syslog, whichever is connected; one that fails is
 * closed. */
static int send_log(int prio, const char *head, const char *text, size_t len,
		    const struct fields *f)
{
	if (lfd < 0)
		return -1;
	if ((journal ? journal_send(prio, head, text, len, f) :
		       syslog_send(prio, head, text, len)) == 0)
		return 0;
	close(lfd);
	lfd = -1;
	return -1;
}

/* Says head and text (escaped) at priority prio, with the journal fields f
 * (or NULL): to the journal or syslog, connecting once more when the one
 * connected fails (a daemon restarted, or another took over), else to
 * the audit file.  Returns 0, or -1 when no sink took it. */
static int emit(int prio, const char *head, const char *text, size_t len,
		const struct fields *f)
{
	int had = lfd >= 0;

	connect_log();
	if (send_log(prio, head, text, len, f) == 0)
		return 0;
	if (had) {
		connect_log();
		if (send_log(prio, head, text, len, f) == 0)
			return 0;
	}
	return file_write(head, text, len);
}

/* A diagnostic, escaped into out (outlen > 3), cut with "..." where it does
 * not fit: diagnostics are bounded, the audit record (below) never is. */
static size_t escape(const char *in, char *out, size_t outlen)
{
	size_t o = 0;

	for (; *in != '\0'; in++) {
		char e[4];
		size_t n = escape_byte((unsigned char)*in, 0, e);

		if (o + n + 4 > outlen) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(out + o, e, n);
		o += n;
	}
	out[o] = '\0';
	return o;
}

/* A diagnostic, escaped, to the log, and to stderr when stderr_too. */
static void __attribute__((format(printf, 3, 0)))
say(int prio, int stderr_too, const char *fmt, va_list ap)
{
	char msg[1024], esc[1024];
	size_t n;

	vsnprintf(msg, sizeof msg, fmt, ap);
	n = escape(msg, esc, sizeof esc);
	(void)emit(prio, "", esc, n, NULL);
	if (stderr_too)
		dprintf(2, "%s: %s\n", me, esc);
}

void audit_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(LOG_ERR, to_stderr, fmt, ap);
	va_end(ap);
}

void audit_notice(const char *fmt, ...)
{
	va_list ap;

	/* The helper's stderr is its caller's; openfiled's, an administrator's. */
	va_start(ap, fmt);
	say(LOG_NOTICE, to_stderr && admin, fmt, ap);
	va_end(ap);
}

/* open(2) flags by name, for administrators reading the log. */
static const char *flags_str(unsigned flags, char *buf, size_t len)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ O_CREAT, "O_CREAT" },	      { O_EXCL, "O_EXCL" },
		{ O_NOCTTY, "O_NOCTTY" },     { O_TRUNC, "O_TRUNC" },
		{ O_APPEND, "O_APPEND" },     { O_NONBLOCK, "O_NONBLOCK" },
		{ O_DSYNC, "O_DSYNC" },	      { O_DIRECTORY, "O_DIRECTORY" },
		{ O_NOFOLLOW, "O_NOFOLLOW" }, { O_DIRECT, "O_DIRECT" },
	};
	unsigned acc = flags & O_ACCMODE, rest = flags & ~(unsigned)O_ACCMODE;
	size_t o;

	o = (size_t)snprintf(buf, len, "%s",
			     acc == O_RDONLY ? "O_RDONLY" :
			     acc == O_WRONLY ? "O_WRONLY" :
			     acc == O_RDWR ? "O_RDWR" : "O_ACCMODE");
	for (size_t i = 0; i < sizeof names / sizeof names[0] && o < len; i++) {
		if ((rest & names[i].bit) == names[i].bit) {
			o += (size_t)snprintf(buf + o, len - o, "|%s", names[i].name);
			rest &= ~names[i].bit;
		}
	}
	if (rest != 0 && o < len)
		snprintf(buf + o, len - o, "|%#o", rest);
	return buf;
}

struct record {
	char text[REC_MAX];
	size_t len;
	struct fields f;
};

/* Appends s (n bytes) to buf; the sizes above leave room for every field
 * a record has, so nothing is ever dropped here but past a bug. */
static void put(char *buf, size_t *len, const char *s, size_t n)
{
	if (*len + n < REC_MAX) {
		memcpy(buf + *len, s, n);
		*len += n;
	}
}

/* Appends " name=value" to the text and OPENFILE_NAME=value to the
 * fields, the value escaped in both, its spaces too where the caller
 * chose it (the path). */
static void rec_field(struct record *r, const char *name, const char *value,
		      int callers)
{
	char e[4];
	size_t n = strlen(name);

	if (r->len > 0)
		put(r->text, &r->len, " ", 1);
	put(r->text, &r->len, name, n);
	put(r->text, &r->len, "=", 1);
	put(r->f.buf, &r->f.len, "OPENFILE_", 9);
	for (size_t i = 0; i < n; i++) {
		e[0] = (char)(name[i] - 'a' + 'A');
		put(r->f.buf, &r->f.len, e, 1);
	}
	put(r->f.buf, &r->f.len, "=", 1);
	for (; *value != '\0'; value++) {
		size_t k = escape_byte((unsigned char)*value, callers, e);

		put(r->text, &r->len, e, k);
		put(r->f.buf, &r->f.len, e, k);
	}
	put(r->f.buf, &r->f.len, "\n", 1);
}

int audit_log(const struct audit_rec *a)
{
	static struct record r;
	char num[32], head[HEAD_MAX], flags[256], acc[64], rule[PATH_MAX + 32];
	const struct policy_caller *c = a->caller;
	const char *verdict = a->status == 0 ? "allow" : a->status == EACCES ? "deny" : "fail";

	r.len = r.f.len = 0;
	rec_field(&r, "decision", verdict, 0);
	snprintf(num, sizeof num, "%lu", a->req);
	rec_field(&r, "req", num, 0);
	snprintf(head, sizeof head, "%s: req=%lu ", verdict, a->req);
	/* The text starts after them: they head each syslog part. */
	r.len = 0;
	rec_field(&r, "user", c->user ? c->user : "?", 0);
	snprintf(num, sizeof num, "%u", (unsigned)c->uid);
	rec_field(&r, "uid", num, 0);
	snprintf(num, sizeof num, "%d", (int)a->pid);
	rec_field(&r, "pid", num, 0);
	rec_field(&r, "path", a->path, 1);
	rec_field(&r, "real", a->real ? a->real : "-", 1);
	rec_field(&r, "flags", flags_str(a->flags, flags, sizeof flags), 0);
	rec_field(&r, "access", policy_access_str(a->access, acc, sizeof acc), 0);
	if (a->rule.file != NULL)
		snprintf(rule, sizeof rule, "%s:%u", a->rule.file, a->rule.line);
	rec_field(&r, "rule", a->rule.file != NULL ? rule : "none", 0);
	if (a->status != 0)
		rec_field(&r, "error", strerror(a->status), 0);
	if (a->why != NULL)
		rec_field(&r, "why", a->why, 0);
	if (to_stderr && admin)
		dprintf(2, "%s: %s%.*s\n", me, head, (int)r.len, r.text);
	return emit(a->status ? LOG_NOTICE : LOG_INFO, head, r.text, r.len, &r.f);
}

int audit_granted(struct audit_rec *a)
{
	a->status = 0;
	a->logged = 1;
	return audit_log(a);
}

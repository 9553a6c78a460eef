/* SPDX-License-Identifier: ISC */
/*
 * audit.c - what the helper and openfiled say: one audit record per request
 * to syslog's authpriv facility, and diagnostics to syslog and, when asked
 * (the helper: only a terminal the caller owns), to stderr.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "audit.h"

static int to_stderr, admin;
static const char *me = "openfile";

void audit_init(const char *ident, int stderr_too, int for_admin)
{
	me = ident;
	to_stderr = stderr_too;
	admin = for_admin;
	/* Connect now, while the caller cannot yet have changed anything. */
	audit_reopen();
}

void audit_reopen(void)
{
	openlog(me, LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);
}

/* Writes byte c as records show it into e: itself, or \xHH for control
 * characters, the backslash and bytes beyond ASCII, so that nothing the
 * caller names can forge a record.  Returns how many bytes (1 or 4). */
static size_t escape_byte(unsigned char c, char e[4])
{
	static const char hex[] = "0123456789abcdef";

	if (c >= 0x20 && c < 0x7f && c != '\\') {
		e[0] = (char)c;
		return 1;
	}
	e[0] = '\\';
	e[1] = 'x';
	e[2] = hex[c >> 4];
	e[3] = hex[c & 15];
	return 4;
}

/* A diagnostic, escaped into out (outlen > 3), cut with "..." where it does
 * not fit: diagnostics are bounded, the audit record (below) never is. */
static char *escape(const char *in, char *out, size_t outlen)
{
	size_t o = 0;

	for (; *in != '\0'; in++) {
		char e[4];
		size_t n = escape_byte((unsigned char)*in, e);

		if (o + n + 4 > outlen) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(out + o, e, n);
		o += n;
	}
	out[o] = '\0';
	return out;
}

/* A diagnostic, escaped, to syslog, and to stderr when stderr_too. */
static void __attribute__((format(printf, 3, 0)))
say(int prio, int stderr_too, const char *fmt, va_list ap)
{
	char msg[1024], esc[1024];

	vsnprintf(msg, sizeof msg, fmt, ap);
	syslog(prio, "%s", escape(msg, esc, sizeof esc));
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

/*
 * The audit record is never cut: a path up to PATH_MAX, escaped, can take
 * four times that.  glibc's syslog(3) speaks RFC 3164, which bounds a
 * message at 1024 bytes, and some receivers still cut there, so a record
 * that does not fit in one message of MSG_MAX bytes (syslog's header,
 * "<PRI>Mmm dd hh:mm:ss openfiled[PID]: ", takes at most 42 more) goes as
 * numbered parts, each headed "VERDICT: req=N part=I/K " (at most HEAD_MAX)
 * and split between two escapes, never inside one.
 */
#define MSG_MAX 960
#define HEAD_MAX 64

struct record {
	const char *verdict;
	unsigned long req;
	int prio;
	unsigned part, parts; /* parts 0: only counting them */
	size_t len;
	char text[MSG_MAX - HEAD_MAX + 1];
};

/* Sends the text gathered as the next part. */
static void rec_flush(struct record *r)
{
	r->text[r->len] = '\0';
	r->len = 0;
	r->part++;
	if (r->parts == 1)
		syslog(r->prio, "%s: req=%lu %s", r->verdict, r->req, r->text);
	else if (r->parts > 1)
		syslog(r->prio, "%s: req=%lu part=%u/%u %s", r->verdict, r->req,
		       r->part, r->parts, r->text);
}

static void rec_put(struct record *r, const char *s, size_t n)
{
	if (r->len + n > sizeof r->text - 1)
		rec_flush(r);
	memcpy(r->text + r->len, s, n);
	r->len += n;
}

/* Appends " name=value" (no space first), the value escaped. */
static void rec_field(struct record *r, const char *name, const char *value)
{
	char e[4];

	if (r->len > 0 || r->part > 0)
		rec_put(r, " ", 1);
	rec_put(r, name, strlen(name));
	rec_put(r, "=", 1);
	for (; *value != '\0'; value++)
		rec_put(r, e, escape_byte((unsigned char)*value, e));
}

static void rec_fields(struct record *r, const struct audit_rec *a)
{
	char num[32], flags[256], acc[64], rule[PATH_MAX + 32];
	const struct policy_caller *c = a->caller;

	rec_field(r, "user", c->user ? c->user : "?");
	snprintf(num, sizeof num, "%u", (unsigned)c->uid);
	rec_field(r, "uid", num);
	snprintf(num, sizeof num, "%d", (int)a->pid);
	rec_field(r, "pid", num);
	rec_field(r, "path", a->path);
	rec_field(r, "real", a->real ? a->real : "-");
	rec_field(r, "flags", flags_str(a->flags, flags, sizeof flags));
	rec_field(r, "access", policy_access_str(a->access, acc, sizeof acc));
	if (a->rule.file != NULL)
		snprintf(rule, sizeof rule, "%s:%u", a->rule.file, a->rule.line);
	rec_field(r, "rule", a->rule.file != NULL ? rule : "none");
	if (a->status != 0)
		rec_field(r, "error", strerror(a->status));
	if (a->why != NULL)
		rec_field(r, "why", a->why);
	rec_flush(r);
}

void audit_log(const struct audit_rec *a)
{
	static struct record r;

	r.verdict = a->status == 0 ? "allow" : a->status == EACCES ? "deny" : "fail";
	r.req = a->req;
	r.prio = a->status ? LOG_NOTICE : LOG_INFO;
	/* Count the parts first, for each to say how many there are. */
	r.len = r.part = r.parts = 0;
	rec_fields(&r, a);
	r.parts = r.part;
	r.part = 0;
	rec_fields(&r, a);
}

void audit_granted(struct audit_rec *a)
{
	a->status = 0;
	audit_log(a);
	a->logged = 1;
}

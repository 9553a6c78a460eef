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

#include "openfile.h"

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

char *audit_escape(const char *in, char *out, size_t outlen)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (outlen == 0)
		return out;
	for (; *in != '\0'; in++) {
		unsigned char c = (unsigned char)*in;
		int plain = c >= 0x20 && c < 0x7f && c != '\\';
		size_t need = plain ? 1 : 4;

		if (o + need + 4 > outlen) { /* room for "..." and NUL */
			if (outlen >= 4) {
				while (o + 4 > outlen)
					o--;
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		if (plain) {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return out;
}

static void say(int prio, const char *msg)
{
	char esc[1024];

	audit_escape(msg, esc, sizeof esc);
	syslog(prio, "%s", esc);
	if (to_stderr)
		dprintf(2, "%s: %s\n", me, esc);
}

void audit_error(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	say(LOG_ERR, msg);
}

void audit_notice(const char *fmt, ...)
{
	char msg[1024], esc[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	syslog(LOG_NOTICE, "%s", audit_escape(msg, esc, sizeof esc));
	/* The helper's stderr is its caller's; openfiled's, an administrator's. */
	if (to_stderr && admin)
		dprintf(2, "%s: %s\n", me, esc);
}

void audit_policy_diag(void *ctx, const char *file, unsigned line,
		       unsigned col, const char *msg)
{
	char where[PATH_MAX + 32], full[PATH_MAX + 1024], esc[2048];

	(void)ctx;
	if (line == 0)
		snprintf(where, sizeof where, "%s", file);
	else
		snprintf(where, sizeof where, "%s:%u:%u", file, line, col);
	snprintf(full, sizeof full, "%s: %s (denying everything)", where, msg);
	audit_escape(full, esc, sizeof esc);
	syslog(LOG_ERR, "%s", esc);
	if (!to_stderr)
		return;
	/* The caller sees the policy's words only if it may read them. */
	if (line != 0 && access(file, R_OK) != 0) {
		snprintf(full, sizeof full,
			 "%s: error in the policy (details in the system log; denying everything)",
			 where);
		audit_escape(full, esc, sizeof esc);
	}
	dprintf(2, "%s: %s\n", me, esc);
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

void audit_log(const struct audit_rec *a)
{
	char path[1024], real[1024], user[256], acc[64], raw[PATH_MAX + 32],
	     rule[1024], flags[256];
	const struct policy_caller *c = a->caller;

	if (a->rule != NULL)
		snprintf(raw, sizeof raw, "%s:%u", a->rule->file,
			 a->rule->line);
	else
		snprintf(raw, sizeof raw, "none");
	audit_escape(c->user ? c->user : "?", user, sizeof user);
	audit_escape(a->path, path, sizeof path);
	audit_escape(a->real ? a->real : "-", real, sizeof real);
	audit_escape(raw, rule, sizeof rule);
	syslog(a->status ? LOG_NOTICE : LOG_INFO,
	       "%s: user=%s uid=%u pid=%d path=%s real=%s flags=%s access=%s rule=%s%s%s%s%s",
	       a->status == 0 ? "allow" : a->status == EACCES ? "deny" : "fail",
	       user, (unsigned)c->uid, (int)a->pid, path, real,
	       flags_str(a->flags, flags, sizeof flags),
	       policy_access_str(a->access, acc, sizeof acc), rule,
	       a->status ? " error=" : "", a->status ? strerror(a->status) : "",
	       a->why ? " why=" : "", a->why ? a->why : "");
}

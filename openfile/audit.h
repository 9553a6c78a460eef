/* SPDX-License-Identifier: ISC */
/* audit.h - diagnostics and the audit record. */
#ifndef OPENFILE_AUDIT_H
#define OPENFILE_AUDIT_H

#include <sys/types.h>

#include "policy.h"

/* ident names us in the log and on stderr, which gets errors only when
 * to_stderr, and notices and records too when it is an administrator's
 * (openfiled's), not a caller's.  Opens the sinks, as audit_open. */
void audit_init(const char *ident, int to_stderr, int admin);
/* Connects to the journal or else syslog, and opens the audit file
 * (root's alone: as root, or with CAP_DAC_OVERRIDE), those not open yet. */
void audit_open(void);
/* Closes what audit_open opened. */
void audit_close(void);
/* Whether any sink is open: with none, no record could be kept. */
int audit_sinks(void);
void audit_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* News for the administrator, not the caller: syslog, and stderr only
 * when audit_init said it is an administrator's. */
void audit_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct audit_rec {
	const struct policy_caller *caller;
	const char *path;     /* as requested */
	const char *real;     /* as resolved, or NULL */
	unsigned flags;
	unsigned access;
	int status;           /* 0 or errno */
	struct policy_origin rule; /* file NULL: none */
	const char *why;      /* a fixed reason besides the errno, or NULL */
	pid_t pid;            /* the client process, or 0: unknown */
	unsigned long req;    /* the request's number in this process */
	int logged;           /* its grant is logged already */
};
/* Logs a's record, whole: every field escaped (control characters, the
 * backslash and bytes beyond ASCII as \xHH), never cut; one that does not
 * fit in one syslog message goes as numbered parts (openfile(8)).
 * Returns 0, or -1 when no sink took it. */
int audit_log(const struct audit_rec *a);
/* Logs a's grant, before the open that acts on it: a caller that kills us
 * then cannot have the effect without the record.  What follows is logged
 * only if the open fails.  Returns 0, or -1 when no sink took the record:
 * then the grant must not take effect. */
int audit_granted(struct audit_rec *a);

#endif /* OPENFILE_AUDIT_H */

/* openfile.h - the helper's parts, in the order main() uses them. */
#ifndef OPENFILE_OPENFILE_H
#define OPENFILE_OPENFILE_H

#include <stddef.h>
#include <sys/types.h>

#include "paths.h"
#include "policy.h"
#include "protocol.h"

/* Seconds before a helper that got no answer from the kernel gives up, so
 * a stalled filesystem or a silent client never holds it for ever. */
#ifndef HELPER_TIMEOUT /* the test build waits less for a stalled filesystem */
#define HELPER_TIMEOUT 60
#endif

#ifdef OPENFILE_COVERAGE_DIR
/* Coverage builds count the paths that end in _exit too. */
void __gcov_dump(void);
#define _exit(code) (__gcov_dump(), _exit(code))
#endif

/* The stack the helper's deepest frames (path buffers) fit in, with room
 * to spare; a caller's lower hard limit is refused, not crashed into. */
#define HELPER_STACK (256 * 1024)

/* sanitize.c: steps 1 and 2.  limits_ok: whether the caller's limits
 * leave the helper what it needs. */
void fds_sanitize(int keep);
void env_sanitize(void);
int limits_ok(void);

/* priv.c: step 3.  Returns 0, or -1 with *why. */
int priv_drop(const char **why);
/* Raises the capability for opening (writing: DAC_OVERRIDE, else
 * DAC_READ_SEARCH) into the effective set.  Returns 0 or -1. */
int priv_raise(int writing);
void priv_lower(void);

/* confine.c: the system call allowlist; Landlock to the places below
 * which the policy could grant caller something at path (nothing to do
 * on a kernel without Landlock).  Each returns 0 or -1. */
int confine_syscalls(void);
int confine_paths(const struct policy *pol, const struct policy_caller *caller,
		  const char *path);

/* audit.c: diagnostics and the audit record. */
void audit_init(uid_t caller);
void audit_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* To syslog only: news for the administrator, not the caller. */
void audit_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
policy_diag_fn audit_policy_diag;
/* Escapes control characters, backslash and non-ASCII bytes as \xHH into
 * out (always NUL-terminated; "..." marks a cut).  Returns out. */
char *audit_escape(const char *in, char *out, size_t outlen);

struct audit_rec {
	const struct policy_caller *caller;
	const char *path;     /* as requested */
	const char *real;     /* as resolved, or NULL */
	unsigned flags;
	unsigned access;
	int status;           /* 0 or errno */
	const struct policy_rule *rule;
	const char *why;      /* a fixed reason besides the errno, or NULL */
};
void audit_log(const struct audit_rec *a);

/* caller.c: who is asking, from the kernel. */
struct caller_id {
	struct policy_caller pc;
	gid_t *gids;
	char **names;
	char *user;
};
int caller_load(struct caller_id *c);

/* request.c: step 5. */
int request_socket_ok(int fd);
/* Reads one request.  Returns 0, an errno value for a request that gets an
 * answer, or -1 for a malformed one (no answer). */
int request_read(int sock, struct proto_request *req);

/* resolve.c: steps 6 to 8.  Returns the descriptor or -errno; fills a. */
int open_request(const struct policy *pol, const struct proto_request *req,
		 struct audit_rec *a, char *real, size_t reallen);

#endif /* OPENFILE_OPENFILE_H */

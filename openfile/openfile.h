/* openfile.h - the parts of the helper and of openfiled's workers, in the
 * order the helper's main() uses them. */
#ifndef OPENFILE_OPENFILE_H
#define OPENFILE_OPENFILE_H

#include <stddef.h>
#include <sys/socket.h>
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
/* Closes every descriptor from first up. */
void fds_close_from(int first);
/* Every signal's disposition back to the default (an ignored one
 * survives execve).  Returns 0, or -1 if one stays ignored. */
int signals_default(void);
void env_sanitize(void);
int limits_ok(void);

/* priv.c: step 3.  Becomes the caller: uid, gid and, when groups is not
 * NULL, the ngroups supplementary groups (else the inherited ones stay).
 * Returns 0, or -1 with *why. */
int priv_drop(uid_t uid, gid_t gid, size_t ngroups, const gid_t *groups,
	      const char **why);
/* Raises the capability for opening (writing: DAC_OVERRIDE, else
 * DAC_READ_SEARCH) into the effective set.  Returns 0 or -1.  Before
 * priv_drop (openfiled's main process) both are no-ops: it has them all. */
int priv_raise(int writing);
void priv_lower(void);
/* openfiled's main process keeps only what its workers need (the two
 * capabilities an open needs, and those to become the caller), in its
 * bounding set too.  Returns 0, or -1 with *why. */
int priv_broker(const char **why);

/* confine.c: the system call allowlist, for every thread; Landlock to the
 * places below which the policy could grant caller something at path
 * (nothing to do on a kernel without Landlock), the truncate right there
 * only when truncate is set.  Each returns 0 or -1. */
int confine_syscalls(int worker);
/* path NULL: below every place the policy could grant this caller
 * anything (a worker, for its whole connection; needs a policy read in
 * full, not from the cache). */
int confine_paths(const struct policy *pol, const struct policy_caller *caller,
		  const char *path, int truncate);
/* A worker, after confine_paths: its own thread gives up the truncate
 * right, which a thread of its own (the opener) keeps.  Returns 0 or -1. */
int confine_split_truncate(void);
/* Returns fn(arg), an open of the object the policy decided on, made by
 * the opener when the open must hold the truncate right and there is one. */
int confine_open(int truncate, int (*fn)(void *), void *arg);

/* audit.c: diagnostics and the audit record.  ident names us in syslog
 * and on stderr, which gets errors only when to_stderr, and notices too
 * when it is an administrator's (openfiled's), not a caller's. */
void audit_init(const char *ident, int to_stderr, int admin);
/* Connects to syslog again, as audit_init did (after closelog). */
void audit_reopen(void);
void audit_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* News for the administrator, not the caller: syslog, and stderr only
 * when audit_init said it is an administrator's. */
void audit_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
policy_diag_fn audit_policy_diag;

struct audit_rec {
	const struct policy_caller *caller;
	const char *path;     /* as requested */
	const char *real;     /* as resolved, or NULL */
	unsigned flags;
	unsigned access;
	int status;           /* 0 or errno */
	const struct policy_rule *rule;
	const char *why;      /* a fixed reason besides the errno, or NULL */
	pid_t pid;            /* the client process, or 0: unknown */
	unsigned long req;    /* the request's number in this process */
	int logged;           /* its grant is logged already */
};
/* Logs a's record, whole: every field escaped (control characters, the
 * backslash and bytes beyond ASCII as \xHH), never cut; one that does not
 * fit in one syslog message goes as numbered parts (openfile(8)). */
void audit_log(const struct audit_rec *a);
/* Logs a's grant, before the open that acts on it: a caller that kills us
 * then cannot have the effect without the record.  What follows is logged
 * only if the open fails. */
void audit_granted(struct audit_rec *a);

/* caller.c: who is asking, from the kernel. */
struct caller_id {
	struct policy_caller pc;
	gid_t *gids;
	char **names;
	unsigned char *unknown; /* the name service failed on names[i] */
	char *user;
};
int caller_load(struct caller_id *c, int group_names);

/* request.c: step 5.  Whether fd is an AF_UNIX stream socket, listening
 * or not as asked; request_socket_ok: a connected one. */
int unix_stream_socket(int fd, int listening);
int request_socket_ok(int fd);
/* The pid of the process at the other end of fd when it connected or made
 * the pair (SO_PEERCRED), or 0. */
pid_t request_peer_pid(int fd);
/* Reads one request.  Returns 0, an errno value for a request that gets an
 * answer, -1 for a malformed one (no answer), or -2 when the client closed
 * the connection before sending anything.  A descriptor sent with
 * it goes to *cwdfd when cwdfd is not NULL (and *cwdfd was -1); any other
 * is closed.  With from (a socket with SO_PASSCRED), the whole request's
 * sender goes to *from (fdpass_recv), FDPASS_NO_SENDER when no one
 * process sent all of it. */
int request_read(int sock, struct proto_request *req, int *cwdfd,
		 struct ucred *from);
/* Reads openfiled's hello, the client's root directory into *rootfd, and
 * its sender into *from.  Returns 0, EPROTO for a wrong one, or -1 when
 * there was none. */
int request_read_hello(int sock, int *rootfd, struct ucred *from);
/* Whether a message read with its sender from may be answered for sender:
 * sent by one process whose uid and gid were sender's when it sent it.
 * sender NULL: anyone (the helper's own socket pair). */
int request_sender_ok(const struct ucred *from, const struct ucred *sender);

/* What a request is served with: the same for both transports but for
 * where a relative path starts and when Landlock is applied. */
struct request_env {
	const struct policy *pol; /* NULL: unusable, everything is denied */
	int cwd;                  /* the caller's working directory as the
				   * client sent it, or -1: our own */
	int confined;             /* Landlock was applied for the whole
				   * connection, not per request */
	pid_t client;             /* the process that made the socket or
				   * connection (SO_PEERCRED), or 0 */
	const struct ucred *sender; /* a broker connection's caller: its
				   * requests must be sent with its uid and
				   * gid (SCM_CREDENTIALS); NULL: the helper */
};

/* resolve.c: steps 6 to 8.  Returns the descriptor or -errno; fills a. */
int open_request(const struct request_env *env, const struct proto_request *req,
		 struct audit_rec *a, char *real, size_t reallen);

/* serve.c: the one request handler of both transports. */
/* The helper's policy from its compiled-in paths (through the compiled
 * cache when it is current), or NULL when it is unusable, which denies
 * all. */
struct policy *policy_read(void);
/* Sends a reply: status, and fd when status is 0. */
void serve_reply(int sock, int status, int fd);
/* Reads one request from sock and answers it (steps 5 to 9).  With
 * cwd_from_client, a relative path must come with the caller's working
 * directory as a descriptor.  Returns the status answered, -1 for a
 * malformed request, which gets no answer, or -2 for none at all. */
int serve_request(int sock, const struct request_env *env,
		  const struct policy_caller *caller, int cwd_from_client);

#endif /* OPENFILE_OPENFILE_H */

/*
 * openfile - the setuid helper behind my_open(3).
 *
 * main() is the list of the security steps, in order; see openfile(8).
 * Exit status: 0 when a descriptor was sent, else the errno value sent
 * (the same in-band), or one of the HELPER_EXIT_* codes of protocol.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "myopen.h"
#include "openfile.h"

#define SOCK_FD 3

#ifdef OPENFILE_TEST_HOOKS
/* Test builds only: requests that make the helper misbehave on purpose,
 * to show what confines it.  Never in the installed helper.  They run
 * after the open, where the helper is confined the most. */
static void test_hooks(const char *path)
{
	static char *const argv[] = { NULL };

	if (strcmp(path, "/openfile-test/execve") == 0)
		execve("/bin/true", argv, argv);
	if (strcmp(path, "/openfile-test/socket") == 0)
		(void)socket(AF_INET, SOCK_STREAM, 0);
	/* Inherited descriptors still open once the policy is read (the
	 * tests pass them from 10 up; ours are below). */
	if (strcmp(path, "/openfile-test/fds") == 0) {
		int n = 0;

		for (int fd = 10; fd < 1024; fd++)
			n += fcntl(fd, F_GETFD) >= 0;
		_exit(n > 255 ? 255 : n);
	}
#ifdef OPENFILE_SANITIZER
	/* Bugs on purpose (under Landlock too when the request named a
	 * granted file): their reports must reach the caller. */
	const char *name = strrchr(path, '/');
	volatile size_t n = 1;
	volatile int big = INT_MAX;

	if (name != NULL && strcmp(name, "/openfile-test-asan") == 0) {
		char *p = malloc(n);

		if (p != NULL)
			p[n] = 0;
		free(p);
	}
	if (name != NULL && strcmp(name, "/openfile-test-ubsan") == 0)
		big = big + 1;
#endif
}
#endif

/* Loads the policy from its compiled-in paths with read-search rights,
 * through its compiled cache while that is current.  NULL when it is
 * unusable: everything is then denied. */
static struct policy *policy_read(void)
{
	struct policy *pol = policy_new();
	const char *stale = NULL;
	int rc;

	if (pol == NULL || priv_raise(0) < 0) {
		policy_free(pol);
		return NULL;
	}
	rc = policy_load_cached(pol, OPENFILE_POLICY_CACHE, OPENFILE_POLICY_PATH,
				OPENFILE_POLICY_DIR, POLICY_LOAD_SECURE,
				audit_policy_diag, NULL, &stale);
	priv_lower();
	/* No cache at all is a choice; one that cannot be used is news. */
	if (stale != NULL && stale != policy_cache_absent)
		audit_notice("policy cache %s not used: it %s",
			     OPENFILE_POLICY_CACHE, stale);
	if (rc < 0) {
		policy_free(pol);
		return NULL;
	}
	return pol;
}

static void reply(int sock, int status, int fd)
{
	unsigned char rep[PROTO_REPLY_LEN];

	proto_reply_encode(rep, status);
	/* The client may be gone: the exit status still tells. */
	(void)my_send_fd(sock, status == 0 ? fd : -1, rep, sizeof rep);
}

/* A helper that cannot serve says so in-band too, for hosts that never
 * see its exit status. */
static void __attribute__((noreturn)) fail(int code)
{
	reply(SOCK_FD, code, -1);
	_exit(code);
}

int main(int argc, char *argv[])
{
	static char real[PATH_MAX];
	struct proto_request req;
	struct caller_id caller;
	struct audit_rec a;
	struct policy *pol;
	const char *why;
	int status, fd = -1;

	/* 1: fds 0-2 exist, nothing else is inherited but the socket. */
	fds_sanitize(SOCK_FD);
	/* 2: no environment, no signal state, no locale from the caller. */
	env_sanitize();
	/* argv[0] is never printed: only told apart from the empty string
	 * that no caller but an attacker passes. */
	if (argc != 2 || argv[0][0] == '\0' || strcmp(argv[1], "3") != 0)
		_exit(HELPER_EXIT_USAGE);
	audit_init(getuid());
	/* Nothing is ever written to a descriptor 3 that is not our socket. */
	if (!request_socket_ok(SOCK_FD)) {
		audit_error("descriptor 3 is not a connected unix stream socket");
		_exit(HELPER_EXIT_PROTOCOL);
	}
	if (!limits_ok()) {
		audit_error("the caller's stack limit is below %d KiB", HELPER_STACK / 1024);
		fail(HELPER_EXIT_SYSTEM);
	}
	/* 3: the caller's ids plus two capabilities, not effective. */
	if (priv_drop(&why) < 0) {
		audit_error("%s", why);
		fail(HELPER_EXIT_NOPRIV);
	}
	if (caller_load(&caller) < 0) {
		audit_error("cannot learn the caller's identity");
		fail(HELPER_EXIT_SYSTEM);
	}
	/* 4: the policy, checked before parsing; unusable means deny. */
	pol = policy_read();
	/* Only the calls the rest needs, from here on. */
	if (confine_syscalls() < 0) {
		audit_error("cannot install the system call filter");
		fail(HELPER_EXIT_SYSTEM);
	}
	/* 5: one bounded request. */
	memset(&a, 0, sizeof a);
	a.caller = &caller.pc;
	status = request_read(SOCK_FD, &req);
	if (status < 0) {
		audit_error("malformed request");
		_exit(HELPER_EXIT_PROTOCOL);
	}
	a.path = status == 0 ? req.path : "(invalid)";
	/* 6-8: resolve, decide on the real object, open that object. */
	if (status == 0 && pol == NULL) {
		status = EACCES;
		a.flags = req.flags;
		a.why = "policy-unusable";
	} else if (status == 0) {
		fd = open_request(pol, &req, &a, real, sizeof real);
		status = fd < 0 ? -fd : 0;
	}
#ifdef OPENFILE_TEST_HOOKS
	test_hooks(a.path);
#endif
	/* 9: log (first, so a caller killing us at the answer cannot skip
	 * the record), answer, exit with the same answer. */
	a.status = status;
	audit_log(&a);
	reply(SOCK_FD, status, fd);
	return status;
}

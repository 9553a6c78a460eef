/* SPDX-License-Identifier: ISC */
/*
 * serve.c - the one request handler behind both transports: the setuid
 * helper serves one request on its socketpair, each of openfiled's workers
 * serves every request on its connection, with the same code from reading
 * the request to logging and answering it, so the decisions are the same.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "audit.h"
#include "fdpass.h"
#include "openfile.h"
#include "paths.h"
#include "policy.h"
#include "priv.h"
#include "protocol.h"
#include "request.h"
#include "serve.h"

#ifdef OPENFILE_TEST_HOOKS
#include "clock.h"

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
	const char *name = strrchr(path, '/');

	/* 2 ms between the open and the rest, for a test to kill us in. */
	if (name != NULL && strncmp(name, "/openfile-test-slow", 19) == 0)
		for (long long t = now_ns(); now_ns() - t < 2000000;)
			;
#ifdef OPENFILE_SANITIZER
	/* Bugs on purpose (under Landlock too when the request named a
	 * granted file): their reports must reach the caller. */
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

void serve_reply(int sock, int status, int fd)
{
	unsigned char rep[PROTO_REPLY_LEN];

	proto_reply_encode(rep, status);
	/* The client may be gone: the helper's exit status still tells. */
	(void)fdpass_send(sock, status == 0 ? fd : -1, rep, sizeof rep);
}

int serve_request(int sock, const struct request_env *env,
		  const struct policy_caller *caller, int cwd_from_client)
{
	static char real[PATH_MAX];
	static unsigned long served;
	struct request_env e = *env;
	struct proto_request req;
	struct audit_rec a;
	struct ucred from = FDPASS_NO_SENDER;
	int status, fd = -1, cwd = -1;

	/* 5: one bounded request. */
	memset(&a, 0, sizeof a);
	a.caller = caller;
	a.pid = env->client;
	a.req = ++served;
	status = request_read(sock, &req, cwd_from_client ? &cwd : NULL,
			      env->sender != NULL ? &from : NULL);
	if (status < 0) {
		if (cwd >= 0)
			close(cwd);
		if (status == -1)
			audit_error("malformed request");
		return status;
	}
	a.path = status == 0 ? req.path : "(invalid)";
	a.flags = status == 0 ? req.flags : 0;
#ifdef OPENFILE_BROKER
	/* A broker connection outlives its maker's setuid(), and may be
	 * inherited: each request is answered only as its sender is now.
	 * (The helper's socket pair is its caller's alone: no sender.) */
	if (status == 0 && !request_sender_ok(&from, env->sender)) {
		/* The record has no room for the sender's ids. */
		audit_notice("refused a request on a connection of uid %u: sent by pid %d with uid %d gid %d",
			     (unsigned)env->sender->uid, (int)from.pid,
			     (int)from.uid, (int)from.gid);
		status = EPERM;
		a.why = "sender-ids-differ";
		a.pid = from.pid;
	}
#endif
	/* A descriptor goes with a relative path, and only with one. */
	if (cwd >= 0 && (status != 0 || req.path[0] == '/')) {
		close(cwd);
		cwd = -1;
	}
	e.cwd = cwd_from_client ? cwd : -1;
	if (status == 0 && cwd_from_client && req.path[0] != '/' && cwd < 0) {
		status = EBADF;
		a.why = "relative-path-without-directory";
	}
	/* 6-8: resolve, decide on the real object, open that object. */
	if (status == 0 && !audit_sinks()) {
		/* Refused before it is decided: an answer could tell the
		 * caller what the policy grants, with no record of asking. */
		status = EIO;
		a.why = "no-audit-sink";
	} else if (status == 0 && e.pol == NULL) {
		status = EACCES;
		a.why = "policy-unusable";
	} else if (status == 0) {
		fd = open_request(&e, &req, &a, real, sizeof real);
		status = fd < 0 ? -fd : 0;
	}
	if (cwd >= 0)
		close(cwd);
#ifdef OPENFILE_TEST_HOOKS
	test_hooks(a.path);
#endif
	/* 9: log (first, so a caller killing us at the answer cannot skip
	 * the record), then answer.  A grant was logged before its open. */
	a.status = status;
	if (status != 0 || !a.logged)
		audit_log(&a);
	serve_reply(sock, status, fd);
	if (fd >= 0)
		close(fd);
	return status;
}

/* SPDX-License-Identifier: ISC */
/*
 * fake-helper - a hostile stand-in for the openfile helper, for testing
 * libmyopen: it reads the request like the helper and answers the way the
 * request's path names ("/fake/two-fds", ...), always wrongly.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "myopen.h"
#include "protocol.h"
#include "testutil.h"

#define send_fds(data, len, fd, n) (void)tu_send_fds(SOCK, data, len, fd, n)

#define SOCK 3

int main(void)
{
	unsigned char hdr[PROTO_REQ_HDR], rep[PROTO_REPLY_LEN];
	struct proto_request req;
	char path[PROTO_PATH_MAX];
	long len;
	int fd = open("/dev/null", O_RDONLY);

	if (read(SOCK, hdr, sizeof hdr) != (ssize_t)sizeof hdr ||
	    (len = proto_request_check(hdr, &req)) < 0 ||
	    read(SOCK, path, (size_t)len) != len ||
	    proto_request_path(&req, path, (size_t)len) < 0)
		return HELPER_EXIT_PROTOCOL;
	proto_reply_encode(rep, 0);
	if (strcmp(req.path, "/fake/two-fds") == 0)
		send_fds(rep, sizeof rep, fd, 2);
	else if (strcmp(req.path, "/fake/253-fds") == 0)
		send_fds(rep, sizeof rep, fd, 253);
	else if (strcmp(req.path, "/fake/no-fd") == 0)
		(void)write(SOCK, rep, sizeof rep);
	else if (strcmp(req.path, "/fake/denied-with-fd") == 0) {
		proto_reply_encode(rep, EACCES);
		send_fds(rep, sizeof rep, fd, 1);
	} else if (strcmp(req.path, "/fake/truncated") == 0)
		send_fds(rep, 5, fd, 1);
	else if (strcmp(req.path, "/fake/bad-magic") == 0) {
		rep[0] ^= 0xff;
		send_fds(rep, sizeof rep, fd, 1);
	} else if (strcmp(req.path, "/fake/bad-status") == 0) {
		proto_reply_encode(rep, 4242);
		(void)write(SOCK, rep, sizeof rep);
	} else if (strcmp(req.path, "/fake/garbage") == 0)
		(void)write(SOCK, "\x01\x02garbage, not a reply", 22);
	else if (strcmp(req.path, "/fake/exit-13") == 0)
		return 13;
	else if (strcmp(req.path, "/fake/silent-0") == 0)
		return 0;
	else if (strcmp(req.path, "/fake/killed") == 0)
		raise(SIGKILL);
	else if (strcmp(req.path, "/fake/fds-in-two-messages") == 0) {
		send_fds(rep, 4, fd, 1);
		send_fds(rep + 4, sizeof rep - 4, fd, 1);
	} else if (strcmp(req.path, "/fake/good") == 0)
		send_fds(rep, sizeof rep, fd, 1);
	return 0;
}

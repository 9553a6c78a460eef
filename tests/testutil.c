/* SPDX-License-Identifier: ISC */
/* testutil.c - see testutil.h. */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "testutil.h"

int tu_count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = -1; /* the directory's own descriptor */

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

ssize_t tu_send_fds(int sock, const void *data, size_t len, int fd, int n)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 253)];
	struct iovec iov = { (void *)(uintptr_t)data, len };
	struct msghdr msg;
	struct cmsghdr *c;
	int fds[253];

	if (n < 0 || n > 253)
		return -1;
	memset(&msg, 0, sizeof msg);
	memset(cbuf, 0, sizeof cbuf);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (n > 0) {
		for (int i = 0; i < n; i++)
			fds[i] = fd;
		msg.msg_control = cbuf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)n);
	}
	return sendmsg(sock, &msg, MSG_NOSIGNAL);
}

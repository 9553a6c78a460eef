/* SPDX-License-Identifier: ISC */
/*
 * e2e-api.c - e2e-client's cases of the library's wider interface:
 * my_openat() under directory descriptors of every kind, and a named
 * endpoint (my_listen(), my_connect(), my_accept()) over which two
 * unrelated processes pass descriptors both ways with my_send_fds() and
 * my_recv_fds().
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "myopen.h"
#include "e2e-client.h"

#define NFDS 3

/*
 * my_openat(DIR, path, flags) with DIR opened as how says: "cwd"
 * (AT_FDCWD), "path" (O_PATH, which needs no right on DIR itself), "dir"
 * (O_RDONLY | O_DIRECTORY) or "bad" (a descriptor that is not open).
 * Prints "ok CONTENT" when the file opened for reading, else as report().
 */
static int cmd_openat(const char *dir, const char *how, const char *path,
		      const char *flags)
{
	char buf[64];
	int dirfd = AT_FDCWD, fd, fl = parse_flags(flags);
	ssize_t n;

	if (strcmp(how, "path") == 0)
		dirfd = open(dir, O_PATH | O_CLOEXEC);
	else if (strcmp(how, "dir") == 0)
		dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	else if (strcmp(how, "bad") == 0)
		dirfd = 1000;
	if (dirfd == -1) {
		fprintf(out, "fail: open %s: %s\n", dir, ename(errno));
		return 1;
	}
	fd = my_openat(dirfd, path, fl, 0600);
	if (dirfd >= 0 && dirfd != 1000)
		close(dirfd);
	if (fd < 0 || (fl & O_ACCMODE) != O_RDONLY)
		return report(fd);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	fprintf(out, "ok %.*s\n", n < 0 ? 0 : (int)n, buf);
	return 0;
}

/* Reads one descriptor's first bytes into buf (size bytes) and closes it. */
static void drain(int fd, char *buf, size_t size)
{
	ssize_t n = read(fd, buf, size - 1);

	buf[n < 0 ? 0 : n] = '\0';
	close(fd);
}

/*
 * The serving side, as root: listens at path (which everyone may connect
 * to), says "listening on PATH", accepts one peer of uid want (turning away up
 * to four others, saying "refused uid N" for each), takes
 * its NFDS descriptors (pipes, each with a letter in it) and sends it the
 * NFDS files named, opened here.  Leaves the socket file: a later server
 * finds it stale.
 */
static int cmd_serve(const char *path, uid_t want, char **files)
{
	int l, c, got[NFDS], fds[NFDS];
	size_t n = NFDS;
	char buf[2], letters[NFDS + 1] = "";
	uid_t uid;
	gid_t gid;

	l = my_listen(path, 1);
	if (l < 0 || chmod(path, 0666) < 0) {
		fprintf(out, "err %s\n", ename(errno));
		return 1;
	}
	fprintf(out, "listening on %s\n", path);
	fflush(out);
	/* Whoever else connects is turned away. */
	for (int tries = 0; (c = my_accept(l, &uid, &gid)) >= 0 && uid != want; tries++) {
		fprintf(out, "refused uid %d\n", (int)uid);
		fflush(out);
		close(c);
		if (tries == 3)
			break;
	}
	close(l);
	if (c < 0 || uid != want) {
		fprintf(out, "fail: accept: %s\n", c < 0 ? ename(errno) : "no peer of that uid");
		return 1;
	}
	if (my_recv_fds(c, got, &n, buf, 1, MSG_CMSG_CLOEXEC) != 1 || n != NFDS) {
		fprintf(out, "fail: received %zu descriptors: %s\n", n, ename(errno));
		return 1;
	}
	for (size_t i = 0; i < NFDS; i++) {
		drain(got[i], buf, sizeof buf);
		letters[i] = buf[0];
		if ((fds[i] = open(files[i], O_RDONLY | O_CLOEXEC)) < 0) {
			fprintf(out, "fail: %s: %s\n", files[i], ename(errno));
			return 1;
		}
	}
	n = my_send_fds(c, fds, NFDS, "3", 1) == 0 ? NFDS : 0;
	fprintf(out, "%s peer uid=%d gid=%d, its fds: %s, sent %zu\n",
		n == NFDS ? "ok" : "fail", (int)uid, (int)gid, letters, n);
	return n == NFDS ? 0 : 1;
}

/* The other side, as anyone: sends NFDS pipes, and prints what the NFDS
 * descriptors it is sent back hold. */
static int cmd_client(const char *path)
{
	int c = my_connect(path), p[2], reads[NFDS], got[NFDS];
	size_t n = NFDS;
	char buf[64];

	if (c < 0) {
		fprintf(out, "err %s\n", ename(errno));
		return 1;
	}
	for (int i = 0; i < NFDS; i++) {
		if (pipe2(p, O_CLOEXEC) < 0 || write(p[1], "abc" + i, 1) != 1)
			return 1;
		close(p[1]);
		reads[i] = p[0];
	}
	if (my_send_fds(c, reads, NFDS, "3", 1) < 0 ||
	    my_recv_fds(c, got, &n, buf, 1, MSG_CMSG_CLOEXEC) != 1) {
		fprintf(out, "err %s\n", ename(errno));
		return 1;
	}
	fprintf(out, "ok got %zu:", n);
	for (size_t i = 0; i < n; i++) {
		drain(got[i], buf, sizeof buf);
		fprintf(out, " %s", buf);
	}
	fprintf(out, "\n");
	return 0;
}

int api_main(int argc, char **argv)
{
	if (argc == 6 && strcmp(argv[1], "openat") == 0)
		return cmd_openat(argv[2], argv[3], argv[4], argv[5]);
	if (argc == 7 && strcmp(argv[1], "endpoint-serve") == 0)
		return cmd_serve(argv[2], (uid_t)atoi(argv[3]), argv + 4);
	if (argc == 3 && strcmp(argv[1], "endpoint-client") == 0)
		return cmd_client(argv[2]);
	if (argc == 3 && strcmp(argv[1], "endpoint-listen") == 0) {
		int l = my_listen(argv[2], 1);

		fprintf(out, l < 0 ? "err %s\n" : "ok\n", ename(errno));
		return l < 0;
	}
	return -1;
}

const char api_usage[] =
	"openat DIR cwd|path|dir|bad PATH FLAGS |\n"
	"  endpoint-serve SOCKET UID FILE FILE FILE | endpoint-client SOCKET |\n"
	"  endpoint-listen SOCKET";

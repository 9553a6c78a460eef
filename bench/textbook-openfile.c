/* SPDX-License-Identifier: ISC */
/*
 * textbook-openfile - the helper of UNIX Network Programming 15.7, for the
 * transport benchmark: argv is the socket's descriptor, the path and the
 * open(2) flags; it opens the path, sends the descriptor back with one
 * byte, and exits with the errno value as its status.
 *
 * It checks nothing, so setuid root it opens any file for whoever can run
 * it: bench/transport.sh installs it for a group only its own clients have
 * (mode 4750) and removes it when done.  Never install it anywhere else.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

#include "fdpass.h"

int main(int argc, char *argv[])
{
	int fd;

	if (argc != 4)
		exit(EINVAL);
	if ((fd = open(argv[2], atoi(argv[3]))) < 0)
		exit(errno > 0 ? errno : 255);
	/* fdpass_send(), as the helper sends, is the book's write_fd(). */
	if (fdpass_send(atoi(argv[1]), fd, "", 1) < 0)
		exit(errno > 0 ? errno : 255);
	exit(0);
}

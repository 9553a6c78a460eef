/* SPDX-License-Identifier: ISC */
/* logsink.c - see logsink.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "logsink.h"

int logsink_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = strlen(path) < sizeof sa.sun_path ?
			 socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0) : -1;

	if (fd >= 0) {
		strcpy(sa.sun_path, path);
		if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
			close(fd);
			fd = -1;
		}
	}
	return fd;
}

int logsink_open_file(const char *path, int create)
{
	struct stat st;
	int fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC |
				    (create ? O_CREAT : 0), 0600);

	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
			st.st_uid != 0 || (st.st_mode & 022) != 0)) {
		close(fd);
		errno = EPERM;
		fd = -1;
	}
	return fd;
}

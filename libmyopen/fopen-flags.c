/* SPDX-License-Identifier: ISC */
/* fopen-flags.c - an fopen(3) mode as open(2) flags (fopen-flags.h). */
#include "config.h"

#include <fcntl.h>

#include "fopen-flags.h"

int fopen_flags(const char *mode, int as_glibc)
{
	int flags, i;

	switch (mode[0]) {
	case 'r':
		flags = O_RDONLY;
		break;
	case 'w':
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case 'a':
		flags = O_WRONLY | O_CREAT | O_APPEND;
		break;
	default:
		return -1;
	}
	/* glibc's fopen looks at no more than 6 characters after the first. */
	for (i = 1; mode[i] != '\0' && !(as_glibc && (i > 6 || mode[i] == ',')); i++) {
		switch (mode[i]) {
		case '+':
			flags = (flags & ~O_ACCMODE) | O_RDWR;
			break;
		case 'b':
			break;
		case 'e':
			flags |= O_CLOEXEC;
			break;
		case 'x':
			flags |= O_EXCL;
			break;
		default:
			if (!as_glibc)
				return -1;
		}
	}
	return flags;
}

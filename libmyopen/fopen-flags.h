/* SPDX-License-Identifier: ISC */
/* fopen-flags.h - the one mapping from an fopen(3) mode to open(2) flags,
 * for my_fopen(), openfile-run's --open and the preload shim's fopen. */
#ifndef MYOPEN_FOPEN_FLAGS_H
#define MYOPEN_FOPEN_FLAGS_H

/* Maps an fopen(3) mode (r, w, a, each with optional +, b, and the glibc
 * extensions e for O_CLOEXEC and x for O_EXCL) to open(2) flags.  Strict
 * (as_glibc 0): any other character makes the mode bad.  As glibc reads
 * it (as_glibc 1): at most 6 characters after the first, up to a ','
 * (",ccs=..."), any other character ignored.  Returns -1 for a bad mode. */
int fopen_flags(const char *mode, int as_glibc);

#endif

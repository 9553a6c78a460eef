/* SPDX-License-Identifier: ISC */
/*
 * textbook.h - my_open() as UNIX Network Programming 15.7 wrote it, the
 * seed design, for the transport benchmark to compare against.
 */
#ifndef BENCH_TEXTBOOK_H
#define BENCH_TEXTBOOK_H

/*
 * Opens path with the open(2) flags mode through the textbook helper at
 * helper (textbook-openfile).  Returns the descriptor, or -1 and sets errno
 * (to the helper's exit status when it refused).
 */
int textbook_open(const char *helper, const char *path, int mode);

#endif /* BENCH_TEXTBOOK_H */

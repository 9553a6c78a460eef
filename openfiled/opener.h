/* SPDX-License-Identifier: ISC */
/* opener.h - a worker's opener: the thread that makes the opens that
 * must hold the truncate right. */
#ifndef OPENFILE_OPENER_H
#define OPENFILE_OPENER_H

/* After confine_paths, starts the opener and gives up the truncate right
 * on the calling thread.  Returns 1, 0 when Landlock has no truncate
 * right to split (then there is no opener), or -1. */
int opener_start(void);
/* Returns fn(arg), made by the opener. */
int opener_open(int (*fn)(void *), void *arg);

#endif /* OPENFILE_OPENER_H */

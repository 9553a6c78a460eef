/* SPDX-License-Identifier: ISC */
/* inherit.h - descriptors and signal dispositions a process inherits,
 * undone. */
#ifndef OPENFILE_INHERIT_H
#define OPENFILE_INHERIT_H

/* Closes every descriptor from first up. */
void fds_close_from(int first);
/* Every signal's disposition back to the default (an ignored one
 * survives execve).  Returns 0, or -1 if one stays ignored. */
int signals_default(void);

#endif /* OPENFILE_INHERIT_H */

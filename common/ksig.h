/* SPDX-License-Identifier: ISC */
/*
 * ksig.h - rt_sigaction(2) without glibc.  glibc keeps the first two
 * real-time signals for itself and its sigaction refuses them, but a
 * process can set them with the system call, and execve keeps SIG_IGN:
 * undoing that, or testing that it is undone, needs the call itself.
 */
#ifndef OPENFILE_KSIG_H
#define OPENFILE_KSIG_H

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel's struct sigaction: the handler first, except on MIPS; the
 * restorer and the mask after it.  All zero is SIG_DFL, no flags and an
 * empty mask everywhere. */
struct ksigaction {
#ifdef __mips__
	unsigned long flags;
	void (*handler)(int);
#else
	void (*handler)(int);
	unsigned long flags;
#endif
	unsigned long rest[6];
};

/* Sets sig's action to act (NULL: unchanged) and reads the old one into
 * old (NULL: not read).  Returns 0, or -1 with errno. */
static inline int ksig_action(int sig, const struct ksigaction *act,
			      struct ksigaction *old)
{
#ifdef __sparc__
	/* SPARC's call takes the restorer before the set's size. */
	return (int)syscall(SYS_rt_sigaction, sig, act, old, NULL,
			    (size_t)(NSIG / 8));
#else
	return (int)syscall(SYS_rt_sigaction, sig, act, old, (size_t)(NSIG / 8));
#endif
}

#endif

/* SPDX-License-Identifier: ISC */
/* e2e-client.h - what the parts of e2e-client share. */
#ifndef OPENFILE_E2E_CLIENT_H
#define OPENFILE_E2E_CLIENT_H

#include <stdio.h>

extern FILE *out;

/* "rw,creat,excl" or a number to open(2) flags. */
int parse_flags(const char *s);
/* An errno's name, as the tests expect it. */
const char *ename(int e);
/* Zombie children of this process. */
int count_zombies(void);
/* Prints "ok ACCMODE cloexec=.. append=.." or "err ENAME"; closes fd. */
int report(int fd);

/* Sends a request for path, without SIGPIPE when the helper is gone:
 * 0, or -1. */
int send_request(int sock, const char *path, int flags);
/* The answer: a descriptor, or -errno, or -EIO when none came. */
int recv_answer(int sock);

/* e2e-attacks.c: the attacks and races.  Returns -1 when argv names none
 * of them, else the exit status. */
int attack_main(int argc, char **argv);
extern const char attack_usage[];

/* e2e-broker.c: the broker's cases, the same way. */
int broker_main(int argc, char **argv);
extern const char broker_usage[];

/* e2e-api.c: my_openat() and the named endpoints, the same way. */
int api_main(int argc, char **argv);
extern const char api_usage[];

#endif

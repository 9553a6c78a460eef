/* SPDX-License-Identifier: ISC */
/*
 * sanitizer-options.c - built into the helper only in a sanitizer build (configure
 * saw -fsanitize= in CFLAGS), which make check runs and make install never
 * makes setuid.
 *
 * The library starts the helper with an empty environment and the helper
 * clears its own, so ASAN_OPTIONS never reaches it: the sanitizer runtimes
 * ask these functions for their options instead.  A report goes to the
 * helper's stderr, which is its caller's.
 */
#include "config.h"

const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

/*
 * detect_leaks=0: LeakSanitizer stops the world with ptrace(2), which a
 * non-dumpable process under a seccomp filter cannot do; the library and
 * the tests keep it.
 * abort_on_error=1: a report ends in SIGABRT (confine.c lets abort()
 * through), not in exit status 1, which the library would read as EPERM,
 * an answer the tests expect in places.  A helper killed before it
 * answered gives its caller EIO, so a report fails the test even when the
 * helper's stderr goes nowhere.
 * color=never: choosing colours asks the terminal (ioctl), which the
 * seccomp filter does not allow.
 */
#define HELPER_SANITIZER_OPTIONS "abort_on_error=1:color=never"

const char *__asan_default_options(void)
{
	return HELPER_SANITIZER_OPTIONS ":detect_leaks=0";
}

const char *__ubsan_default_options(void)
{
	return HELPER_SANITIZER_OPTIONS ":print_stacktrace=1";
}

/* SPDX-License-Identifier: ISC */
/* fuzz.h - the entry point every fuzz target defines, for libFuzzer and
 * for the replay driver that make check runs over the seed corpora. */
#ifndef OPENFILE_FUZZ_H
#define OPENFILE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * gen-filter - writes seccomp-filter.h: the helper's and a worker's system
 * call filters (seccomp-rules.c) as BPF for this machine's architecture,
 * made by libseccomp once, when building, instead of in every helper.
 * Usage: gen-filter > seccomp-filter.h
 */
#include "config.h"

#include <linux/filter.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "seccomp-rules.h"

static int emit(const char *name, int worker)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	FILE *tmp = tmpfile();
	struct sock_filter f;
	size_t n = 0;

	if (ctx == NULL || tmp == NULL || confine_rules(ctx, worker) < 0 ||
	    seccomp_export_bpf(ctx, fileno(tmp)) < 0) {
		fprintf(stderr, "gen-filter: cannot make the %s filter\n", name);
		return -1;
	}
	rewind(tmp);
	printf("static const struct sock_filter %s[] = {\n", name);
	while (fread(&f, sizeof f, 1, tmp) == 1) {
		printf("\t{ %#x, %u, %u, %#x },\n", f.code, f.jt, f.jf, f.k);
		n++;
	}
	printf("};\n");
	fclose(tmp);
	seccomp_release(ctx);
	return n > 0 ? 0 : -1;
}

int main(void)
{
	printf("/* Made by gen-filter from seccomp-rules.c when building. */\n");
	if (emit("helper_filter", 0) < 0 || emit("worker_filter", 1) < 0)
		return 1;
	return fflush(stdout) == 0 ? 0 : 1;
}

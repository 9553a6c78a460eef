/* SPDX-License-Identifier: ISC */
/*
 * null-helper - a helper that does nothing, for the transport benchmark.
 * It is compiled, linked (libcap and libseccomp kept though unused) and
 * installed (setuid root) like the helper, and mounted over the helper's
 * path, so that my_open() through it costs what spawning the helper costs
 * before the helper does any work of its own.
 */
int main(void)
{
	return 0;
}

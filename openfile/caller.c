/* SPDX-License-Identifier: ISC */
/*
 * caller.c - who is asking: the real uid, gid and groups the kernel gave
 * the helper, and the names a policy can use.  Nothing the caller sends
 * or sets (USER, LOGNAME, SUDO_USER, ...) is consulted.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "caller.h"

/* The name service failed on id: unsure, the rules fail closed. */
static void name_failed(int group, unsigned id, int err)
{
	audit_error("cannot look up the name of %s %u: %s (of the rules naming a %s, each deny applies and no allow does)",
		    group ? "gid" : "uid", id, strerror(err),
		    group ? "group" : "user");
}

#ifdef OPENFILE_NSS_HELPER_PATH
/*
 * The static helper: glibc cannot load a name service module into a
 * static program (libnss_systemd crashes it), so the helper reads
 * /etc/passwd and /etc/group itself where nsswitch.conf makes files the
 * first source, as glibc's files module does, and leaves every other
 * case to openfile-nss, the same helper linked dynamically.
 */
enum source { SOURCE_OTHER, SOURCE_FILES_FIRST, SOURCE_FILES_ONLY };

/*
 * What nsswitch.conf lists for passwd and for group.  Anything this does
 * not read the way glibc would for certain (no file or no line, a line
 * twice, an action after files, a line too long) is SOURCE_OTHER: the
 * dynamic helper then asks glibc itself.
 */
static void nss_sources(enum source *src)
{
	static const char *const db[2] = { "passwd", "group" };
	int seen[2] = { 0, 0 };
	FILE *f = fopen("/etc/nsswitch.conf", "re");
	char line[1024];

	src[0] = src[1] = SOURCE_OTHER;
	while (f != NULL && fgets(line, sizeof line, f) != NULL) {
		char *p = line + strspn(line, " \t"), *save, *first, *next;

		if (strchr(line, '\n') == NULL && !feof(f)) {
			seen[0] = seen[1] = 2;
			break;
		}
		p[strcspn(p, "#\n")] = '\0';
		for (int i = 0; i < 2; i++) {
			size_t n = strlen(db[i]);

			if (strncmp(p, db[i], n) != 0 ||
			    p[n + strspn(p + n, " \t")] != ':')
				continue;
			first = strtok_r(strchr(p, ':') + 1, " \t", &save);
			next = strtok_r(NULL, " \t", &save);
			seen[i]++;
			src[i] = first == NULL || strcmp(first, "files") != 0 ?
					 SOURCE_OTHER :
				 next == NULL ? SOURCE_FILES_ONLY :
				 next[0] == '[' ? SOURCE_OTHER :
						  SOURCE_FILES_FIRST;
		}
	}
	for (int i = 0; i < 2; i++)
		if (seen[i] != 1)
			src[i] = SOURCE_OTHER;
	if (f != NULL)
		fclose(f);
}

/*
 * The names of ids[0..n) in /etc/passwd (group clear) or /etc/group:
 * names[i] for each found, from the first entry with that id, as the
 * files module answers.  Returns 0 or an errno value.
 */
static int files_names(int group, const gid_t *ids, size_t n, char **names)
{
	FILE *f = fopen(group ? "/etc/group" : "/etc/passwd", "re");
	size_t len = 1024, left = n;
	char *buf = NULL;
	int err = f == NULL ? errno : 0;

	while (err == 0 && left > 0) {
		struct passwd p, *pw = NULL;
		struct group g, *gr = NULL;
		unsigned id;

		if (buf == NULL && (buf = malloc(len)) == NULL) {
			err = ENOMEM;
			break;
		}
		/* Both rewind to the line's start on ERANGE. */
		err = group ? fgetgrent_r(f, &g, buf, len, &gr) :
			      fgetpwent_r(f, &p, buf, len, &pw);
		if (err == ERANGE && len < (1u << 20)) {
			free(buf);
			buf = NULL;
			len *= 2;
			err = 0;
			continue;
		}
		if (err != 0)
			break;
		id = group ? g.gr_gid : p.pw_uid;
		for (size_t i = 0; i < n; i++)
			if (ids[i] == id && names[i] == NULL) {
				if ((names[i] = strdup(group ? g.gr_name : p.pw_name)) == NULL)
					err = ENOMEM;
				left--;
			}
	}
	free(buf);
	if (f != NULL)
		fclose(f);
	return err == ENOENT ? 0 : err;
}

/*
 * The caller's names from the files, every group's.  Returns 1 when some
 * name only a source after files could tell: openfile-nss's to find.
 */
static int names_from_files(struct caller_id *c, size_t ngids)
{
	enum source src[2];
	gid_t uid = (gid_t)c->pc.uid;
	int err;

	nss_sources(src);
	if (src[0] == SOURCE_OTHER || src[1] == SOURCE_OTHER)
		return 1;
	if ((err = files_names(0, &uid, 1, &c->user)) != 0) {
		c->pc.user_unknown = 1;
		name_failed(0, uid, err);
	} else if (c->user == NULL && src[0] == SOURCE_FILES_FIRST) {
		return 1;
	}
	err = files_names(1, c->gids, ngids, c->names);
	for (size_t i = 0; i < ngids; i++) {
		if (c->names[i] != NULL)
			continue;
		if (err == 0 && src[1] == SOURCE_FILES_FIRST)
			return 1;
		if (err != 0) {
			c->unknown[i] = 1;
			name_failed(1, c->gids[i], err);
		}
	}
	return 0;
}
#else
/*
 * getpwuid_r/getgrgid_r with a growing buffer.  Returns a copy of the
 * name, or NULL with *failed set when the name service failed (or memory
 * ran out) and clear when there is no such entry.
 *
 * glibc answers "no entry" with 0 and a NULL result, and clears errno;
 * when no service could answer at all (a module missing or down for each
 * one nsswitch.conf lists) it returns errno as it found it, which would be
 * 0 and look like "no entry": so errno is set first.  Every other error,
 * ENOENT and ESRCH included (which other libraries use for "no entry"), is
 * a failure: unsure, the rules fail closed.  A service that answers
 * "no entry" for an account it could not reach cannot be told apart.
 */
static char *name_of(int group, unsigned id, int *failed)
{
	size_t len = 1024;
	char *buf = NULL, *name = NULL;
	int err = ENOMEM;

	for (;;) {
		char *nb = realloc(buf, len), *found;
		struct group g, *gr = NULL;
		struct passwd p, *pw = NULL;

		if (nb == NULL)
			break;
		buf = nb;
		errno = EAGAIN;
		err = group ? getgrgid_r((gid_t)id, &g, buf, len, &gr) :
			      getpwuid_r((uid_t)id, &p, buf, len, &pw);
		found = gr != NULL ? gr->gr_name : pw != NULL ? pw->pw_name : NULL;
		if (err == 0 && found != NULL && (name = strdup(found)) == NULL)
			err = ENOMEM;
		if (err != ERANGE || len >= (1u << 20))
			break;
		len *= 2;
	}
	free(buf);
	*failed = err != 0;
	if (*failed)
		name_failed(group, id, err);
	return name;
}
#endif

int caller_load(struct caller_id *c, int group_names)
{
	gid_t gid = getgid();
	int n = getgroups(0, NULL);

	memset(c, 0, sizeof *c);
	if (n < 0)
		return -1;
	c->gids = calloc((size_t)n + 1, sizeof *c->gids);
	c->names = calloc((size_t)n + 1, sizeof *c->names);
	c->unknown = calloc((size_t)n + 1, sizeof *c->unknown);
	if (c->gids == NULL || c->names == NULL || c->unknown == NULL)
		return -1;
	c->gids[0] = gid;
	n = getgroups(n, c->gids + 1);
	if (n < 0)
		return -1;
	c->pc.uid = getuid();
#ifdef OPENFILE_NSS_HELPER_PATH
	/* One pass over each file finds every group's name. */
	(void)group_names;
	if (names_from_files(c, (size_t)n + 1))
		return CALLER_NSS;
#else
	/* The primary group's name always (%g may use it); the others' only
	 * when a rule names a group. */
	for (int i = 0; i <= (group_names ? n : 0); i++) {
		int failed;

		c->names[i] = name_of(1, c->gids[i], &failed);
		c->unknown[i] = (unsigned char)failed;
	}
	c->user = name_of(0, c->pc.uid, &c->pc.user_unknown);
#endif
	c->pc.user = c->user;
	c->pc.ngroups = (size_t)n + 1;
	c->pc.gids = c->gids;
	c->pc.group_names = (const char *const *)c->names;
	c->pc.group_unknown = c->unknown;
	return 0;
}

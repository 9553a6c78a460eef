/* SPDX-License-Identifier: ISC */
/*
 * parse.c - the policy file grammar, one rule a line:
 *
 *   allow|deny SUBJECT ACCESS[,ACCESS...] PATTERN [mode=OCTAL] [type=T[,T...]]
 *   include PATTERN
 *
 * SUBJECT is "*", "user NAME|ID|*" or "group NAME|ID|*".  '#' starts a
 * comment.  The parser reports every problem it finds and goes on with the
 * next line, so an administrator sees all of them at once.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text-int.h"

#define LINE_MAX_BYTES 4096
#define TOKENS_MAX 16

struct token {
	const char *s;
	size_t len;
	unsigned col;
};

struct line_ctx {
	struct policy_text *pol;
	const char *file;
	unsigned line;
	policy_diag_fn *diag;
	void *ctx;
	int errors;
};

static void report(struct line_ctx *lc, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void report(struct line_ctx *lc, unsigned col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	lc->errors++;
	if (lc->diag != NULL)
		lc->diag(lc->ctx, lc->file, lc->line, col, msg);
}

/* Quotes a token for a message, with unprintable bytes escaped and a
 * long one cut with "...". */
static const char *quote(const struct token *t, char *buf, size_t n)
{
	size_t o = 0, i;

	for (i = 0; i < t->len; i++) {
		unsigned char c = (unsigned char)t->s[i];
		size_t need = isprint(c) ? 1 : 4;

		if (o + need + 4 > n) /* keep room for "..." and the NUL */
			break;
		if (need == 1)
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, n - o, "\\x%02x", c);
	}
	if (i < t->len) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

static int tok_is(const struct token *t, const char *word)
{
	return t->len == strlen(word) && memcmp(t->s, word, t->len) == 0;
}

/* Splits a line into tokens at spaces and tabs, up to a '#' comment.
 * A backslash keeps the next byte in the token.  Returns the count, or -1
 * after reporting too many. */
static int tokenize(struct line_ctx *lc, const char *s, size_t len,
		    struct token *tok, size_t *textlen)
{
	int n = 0;
	size_t i = 0;

	*textlen = 0;
	while (i < len) {
		size_t start;

		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == len || s[i] == '#')
			break;
		if (n == TOKENS_MAX) {
			report(lc, (unsigned)i + 1,
			       "too many words on one line (at most %d)",
			       TOKENS_MAX);
			return -1;
		}
		start = i;
		while (i < len && s[i] != ' ' && s[i] != '\t') {
			if (s[i] == '\\' && i + 1 < len)
				i++;
			i++;
		}
		tok[n].s = s + start;
		tok[n].len = i - start;
		tok[n].col = (unsigned)start + 1;
		*textlen = i;
		n++;
	}
	return n;
}

/* Checks the characters of one line before any word is read. */
static int line_bytes_ok(struct line_ctx *lc, const char *s, size_t len)
{
	if (len > LINE_MAX_BYTES) {
		report(lc, LINE_MAX_BYTES + 1,
		       "line is longer than %d bytes", LINE_MAX_BYTES);
		return 0;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\0') {
			report(lc, (unsigned)i + 1, "NUL byte in the policy");
			return 0;
		}
		if (s[i] == '\r') {
			report(lc, (unsigned)i + 1,
			       "carriage return (the file has DOS line endings: convert it with dos2unix)");
			return 0;
		}
	}
	return 1;
}

static int name_ok(const struct token *t)
{
	if (t->len == 0 || t->len > IMG_NAME_MAX || t->s[0] == '-')
		return 0;
	for (size_t i = 0; i < t->len; i++) {
		unsigned char c = (unsigned char)t->s[i];

		if (!(isalnum(c) || c == '_' || c == '.' || c == '-' ||
		      (c == '$' && i == t->len - 1)))
			return 0;
	}
	return 1;
}

/* Parses a subject at tok[*i].  Returns 0, or -1 after reporting. */
static int parse_subject(struct line_ctx *lc, const struct token *tok, int n,
			 int *i, const struct token *prev,
			 struct policy_rule *r)
{
	const struct token *kind = &tok[*i], *id;
	const char *what;
	char q[80];

	r->subject.kind = SUBJ_ANY;
	if (tok_is(kind, "*")) {
		(*i)++;
		return 0;
	}
	if (tok_is(kind, "user"))
		r->subject.kind = SUBJ_USER, what = "user";
	else if (tok_is(kind, "group"))
		r->subject.kind = SUBJ_GROUP, what = "group";
	else {
		report(lc, kind->col,
		       "expected a subject after '%.*s' (user NAME, group NAME or *), found '%s'",
		       (int)prev->len, prev->s, quote(kind, q, sizeof q));
		return -1;
	}
	if (++*i == n) {
		report(lc, kind->col + (unsigned)kind->len,
		       "expected a %s name, id or * after '%s'", what, what);
		return -1;
	}
	id = &tok[(*i)++];
	r->subject_col = id->col;
	if (tok_is(id, "*")) {
		r->subject.kind = SUBJ_ANY;
		return 0;
	}
	if (isdigit((unsigned char)id->s[0])) {
		unsigned long long v = 0;

		for (size_t k = 0; k < id->len; k++) {
			if (!isdigit((unsigned char)id->s[k]) ||
			    (v = v * 10 + (unsigned)(id->s[k] - '0')) > 0xfffffffeULL) {
				report(lc, id->col,
				       "invalid %s id '%s' (expected a number from 0 to 4294967294)",
				       what, quote(id, q, sizeof q));
				return -1;
			}
		}
		r->subject.id = (uint32_t)v;
		return 0;
	}
	if (!name_ok(id)) {
		report(lc, id->col,
		       "invalid %s name '%s' (letters, digits, '.', '_', '-' and a final '$'; not starting with '-')",
		       what, quote(id, q, sizeof q));
		return -1;
	}
	if ((r->subject.name = strndup(id->s, id->len)) == NULL) {
		report(lc, id->col, "out of memory");
		return -1;
	}
	return 0;
}

static const struct {
	const char *word;
	unsigned bits;
} access_words[] = {
	{ "read", ACC_READ },	  { "write", ACC_WRITE },
	{ "append", ACC_APPEND }, { "create", ACC_CREATE },
	{ "truncate", ACC_TRUNCATE }, { "any", ACC_ANY },
};

static const struct {
	const char *word;
	unsigned bits;
} type_words[] = {
	{ "file", TYPE_FILE },	   { "dir", TYPE_DIR },
	{ "device", TYPE_DEVICE }, { "fifo", TYPE_FIFO },
	{ "any", TYPE_ANY },
};

#define LOOKUP(table, s, len, out)                                          \
	do {                                                                \
		(out) = 0;                                                  \
		for (size_t k_ = 0; k_ < sizeof(table) / sizeof(table[0]); \
		     k_++)                                                  \
			if (strlen(table[k_].word) == (len) &&              \
			    memcmp(table[k_].word, (s), (len)) == 0)        \
				(out) = table[k_].bits;                     \
	} while (0)

/*
 * Parses a comma-separated list of words from one of the tables above.
 * Returns the bits, or 0 after reporting.
 */
static unsigned parse_list(struct line_ctx *lc, const struct token *t,
			   size_t off, int types, const char *expected)
{
	unsigned all = 0;
	size_t i = off;

	for (;;) {
		size_t start = i;
		unsigned bits;
		struct token w;
		char q[80];

		while (i < t->len && t->s[i] != ',')
			i++;
		w.s = t->s + start;
		w.len = i - start;
		w.col = t->col + (unsigned)start;
		if (types)
			LOOKUP(type_words, w.s, w.len, bits);
		else
			LOOKUP(access_words, w.s, w.len, bits);
		if (bits == 0) {
			if (w.len == 0)
				report(lc, w.col, "empty word in the list '%s' (expected %s)",
				       quote(t, q, sizeof q), expected);
			else
				report(lc, w.col, "unknown %s '%s' (expected %s)",
				       types ? "type" : "access", quote(&w, q, sizeof q),
				       expected);
			return 0;
		}
		all |= bits;
		if (i == t->len)
			return all;
		i++;
	}
}

/* A name the name service could not tell might be the one a rule names:
 * the rule fails closed, a deny applying and an allow not. */
int policy_subject_covers(const struct policy_subject *s, int allow,
			  const struct policy_caller *c)
{
	int unknown = 0;

	switch (s->kind) {
	case SUBJ_ANY:
		return 1;
	case SUBJ_USER:
		if (s->name == NULL)
			return s->id == (uint32_t)c->uid;
		if (c->user != NULL)
			return strcmp(s->name, c->user) == 0;
		return !allow && c->user_unknown;
	case SUBJ_GROUP:
		for (size_t i = 0; i < c->ngroups; i++) {
			if (s->name == NULL ? s->id == (uint32_t)c->gids[i] :
				    c->group_names[i] != NULL &&
					    strcmp(s->name, c->group_names[i]) == 0)
				return 1;
			unknown |= c->group_names[i] == NULL &&
				   c->group_unknown != NULL && c->group_unknown[i];
		}
		return !allow && s->name != NULL && unknown;
	}
	return 0;
}

unsigned policy_parse_access(const char *words)
{
	struct line_ctx lc = { NULL, "", 0, NULL, NULL, 0 };
	struct token t = { words, strlen(words), 1 };

	return parse_list(&lc, &t, 0, 0, "");
}

#define ACCESS_EXPECTED "read, write, append, create, truncate or any, separated by commas"
#define TYPE_EXPECTED "file, dir, device, fifo or any, separated by commas"

static int parse_mode(struct line_ctx *lc, const struct token *t,
		      struct policy_rule *r)
{
	size_t off = 5; /* "mode=" */
	unsigned v = 0;
	char q[80];

	if (t->len == off || t->len - off > 4)
		goto bad;
	for (size_t i = off; i < t->len; i++) {
		if (t->s[i] < '0' || t->s[i] > '7')
			goto bad;
		v = v * 8 + (unsigned)(t->s[i] - '0');
	}
	if (v > 0777)
		goto bad;
	r->mode = (int)v;
	return 0;
bad:
	report(lc, t->col + (unsigned)off,
	       "invalid mode in '%s' (expected an octal number from 0 to 0777, such as mode=0640)",
	       quote(t, q, sizeof q));
	return -1;
}

/* Parses the options after the pattern.  Returns 0, or -1 after reporting. */
static int parse_options(struct line_ctx *lc, const struct token *tok, int n,
			 int i, struct policy_rule *r)
{
	int have_type = 0;
	char q[80];

	for (; i < n; i++) {
		const struct token *t = &tok[i];

		if (t->len >= 5 && memcmp(t->s, "mode=", 5) == 0) {
			if (r->mode >= 0) {
				report(lc, t->col, "mode= given twice");
				return -1;
			}
			if (parse_mode(lc, t, r) < 0)
				return -1;
			if (!r->allow) {
				report(lc, t->col, "mode= limits created files: it belongs on allow rules only");
				return -1;
			}
			if (!(r->access & ACC_CREATE)) {
				report(lc, t->col, "mode= limits created files, but this rule does not grant create");
				return -1;
			}
		} else if (t->len >= 5 && memcmp(t->s, "type=", 5) == 0) {
			if (have_type++) {
				report(lc, t->col, "type= given twice");
				return -1;
			}
			r->types = parse_list(lc, t, 5, 1, TYPE_EXPECTED);
			if (r->types == 0)
				return -1;
		} else {
			report(lc, t->col,
			       "unexpected '%s' after the pattern (expected mode=OCTAL or type=LIST; escape spaces in patterns with '\\')",
			       quote(t, q, sizeof q));
			return -1;
		}
	}
	/* An allow rule grants regular files unless it names other types;
	 * a deny rule covers every type unless it narrows itself. */
	if (!have_type)
		r->types = r->allow ? TYPE_FILE : TYPE_ANY;
	return 0;
}

static int add_rule(struct line_ctx *lc, struct policy_rule *r)
{
	struct policy_text *pol = lc->pol;

	if (pol->nrules == pol->cap) {
		size_t cap = pol->cap ? pol->cap * 2 : 64;
		struct policy_rule *nr = realloc(pol->rules, cap * sizeof *nr);

		if (nr == NULL)
			return -1;
		pol->rules = nr;
		pol->cap = cap;
	}
	pol->rules[pol->nrules++] = *r;
	return 0;
}

static void rule_clear(struct policy_rule *r)
{
	free((char *)r->subject.name);
	free(r->text);
	pattern_free(&r->pat);
}

static void parse_rule(struct line_ctx *lc, const char *s, size_t textlen,
		       const struct token *tok, int n)
{
	struct policy_rule r;
	const char *emsg;
	size_t epos;
	int i = 1;

	memset(&r, 0, sizeof r);
	r.file = lc->file;
	r.line = lc->line;
	r.mode = -1;
	r.allow = tok_is(&tok[0], "allow");
	if (n == 1) {
		report(lc, tok[0].col + (unsigned)tok[0].len,
		       "expected a subject after '%s' (user NAME, group NAME or *)",
		       r.allow ? "allow" : "deny");
		return;
	}
	if (parse_subject(lc, tok, n, &i, &tok[0], &r) < 0)
		goto out;
	if (i == n) {
		report(lc, tok[i - 1].col + (unsigned)tok[i - 1].len,
		       "expected access words (%s) after the subject", ACCESS_EXPECTED);
		goto out;
	}
	r.access = parse_list(lc, &tok[i], 0, 0, ACCESS_EXPECTED);
	if (r.access == 0)
		goto out;
	/* Appending is writing: a write grant covers it, a write denial too. */
	if (r.access & ACC_WRITE)
		r.access |= ACC_APPEND;
	if (++i == n) {
		report(lc, tok[i - 1].col + (unsigned)tok[i - 1].len,
		       "expected a path pattern (such as /var/log/**) after the access words");
		goto out;
	}
	r.pattern_col = tok[i].col;
	if (pattern_compile(&r.pat, tok[i].s, tok[i].len, &epos, &emsg) < 0) {
		report(lc, tok[i].col + (unsigned)epos, "%s", emsg);
		goto out;
	}
	if (parse_options(lc, tok, n, i + 1, &r) < 0)
		goto out;
	r.text = strndup(s, textlen);
	if (r.text == NULL || add_rule(lc, &r) < 0) {
		report(lc, 0, "out of memory");
		goto out;
	}
	return;
out:
	rule_clear(&r);
}

static void parse_line(struct line_ctx *lc, const char *s, size_t len,
		       unsigned flags)
{
	struct token tok[TOKENS_MAX];
	size_t textlen;
	char q[80];
	int n;

	if (!line_bytes_ok(lc, s, len))
		return;
	n = tokenize(lc, s, len, tok, &textlen);
	if (n <= 0)
		return;
	if (tok_is(&tok[0], "allow") || tok_is(&tok[0], "deny")) {
		parse_rule(lc, s + (tok[0].col - 1), textlen - (tok[0].col - 1),
			   tok, n);
	} else if (tok_is(&tok[0], "include")) {
		char *pat;

		if (n != 2) {
			report(lc, n == 1 ? tok[0].col + 7 : tok[2].col,
			       "include takes exactly one absolute path or glob");
			return;
		}
		/* A backslash keeps the next byte, as in patterns: the glob
		 * then sees the name itself and escapes nothing. */
		pat = malloc(tok[1].len + 1);
		if (pat == NULL) {
			report(lc, tok[1].col, "out of memory");
			return;
		}
		{
			size_t o = 0;

			for (size_t k = 0; k < tok[1].len; k++) {
				if (tok[1].s[k] == '\\' && k + 1 < tok[1].len)
					k++;
				pat[o++] = tok[1].s[k];
			}
			pat[o] = '\0';
		}
		if (load_include(lc->pol, pat, lc->file, lc->line, tok[1].col,
				 flags, lc->diag, lc->ctx) < 0)
			lc->errors++;
		free(pat);
	} else {
		report(lc, tok[0].col,
		       "unknown keyword '%s' (expected allow, deny or include)",
		       quote(&tok[0], q, sizeof q));
	}
}

int parse_text(struct policy_text *pol, const char *name, const char *buf,
	       size_t len, unsigned flags, policy_diag_fn *diag, void *ctx)
{
	struct line_ctx lc = { pol, name, 0, diag, ctx, 0 };
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - buf) : len;

		lc.line++;
		parse_line(&lc, buf + i, end - i, flags);
		i = end + 1;
	}
	return lc.errors ? -1 : 0;
}

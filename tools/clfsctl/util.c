// SPDX-License-Identifier: GPL-2.0
/*
 * clfsctl utilities: the pieces every command uses.
 *
 * Messages: every failure is one line on stderr, "clfsctl: COMMAND: WHAT:
 * TEXT (ENAME)", where TEXT is clfs_strerror()'s (ioctl results) or
 * strerror()'s (system calls) and ENAME the errno's name, so that scripts
 * can match either.  Usage errors are one line too, and exit with 2.
 *
 * Options: "--name", "--name value" and "--name=value" anywhere after the
 * command, "--" ends them; --device and --json are accepted everywhere.
 *
 * Output: JSON objects are printed without spaces; lists put one element
 * per line so that line tools can pick them out.  The record format is
 * the one place that prints a record, for both read (from the module) and
 * dump (from an image), so the two can be compared byte for byte.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clfsctl.h"

struct cli cli;

static void prefix(void)
{
	if (cli.cmd)
		fprintf(stderr, "clfsctl: %s: ", cli.cmd);
	else
		fputs("clfsctl: ", stderr);
}

static int vfail(int err, const char *text, const char *fmt, va_list ap)
{
	fflush(stdout);
	prefix();
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, ": %s (%s)\n", text, clfs_errno_name(err));
	return EXIT_FAIL;
}

int fail(int err, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfail(err, clfs_strerror(err), fmt, ap);
	va_end(ap);
	return ret;
}

int fail_sys(int err, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfail(err, strerror(err < 0 ? -err : err), fmt, ap);
	va_end(ap);
	return ret;
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	prefix();
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see clfsctl --help)\n", stderr);
	return EXIT_USAGE;
}

void opt_init(struct opt_state *st, int argc, char **argv)
{
	st->argc = argc;
	st->argv = argv;
	st->i = 0;
	st->only_pos = false;
}

/* The value of an option that takes one, or NULL after a usage error. */
static const char *opt_value(struct opt_state *st, const char *name,
			     const char *eq)
{
	if (eq)
		return eq + 1;
	if (st->i < st->argc)
		return st->argv[st->i++];
	usage_error("option '--%s' needs an argument", name);
	return NULL;
}

int opt_next(struct opt_state *st, const struct opt *opts, const char **val)
{
	const struct opt *o;
	const char *a, *eq;
	size_t n;

	for (;;) {
		*val = NULL;
		if (st->i >= st->argc)
			return OPT_END;
		a = st->argv[st->i++];
		if (st->only_pos || a[0] != '-' || !a[1]) {
			*val = a;
			return OPT_POS;
		}
		if (!strcmp(a, "--")) {
			st->only_pos = true;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			return OPT_HELP;
		if (a[1] != '-') {
			usage_error("unknown option '%s'", a);
			return OPT_ERR;
		}
		a += 2;
		eq = strchr(a, '=');
		n = eq ? (size_t)(eq - a) : strlen(a);
		if (n == 4 && !strncmp(a, "json", 4) && !eq) {
			cli.json = true;
			continue;
		}
		if (n == 6 && !strncmp(a, "device", 6)) {
			*val = opt_value(st, "device", eq);
			if (!*val)
				return OPT_ERR;
			if (cli.n_devices >= MAX_DEVICES) {
				usage_error("more than %u devices", MAX_DEVICES);
				return OPT_ERR;
			}
			cli.devices[cli.n_devices++] = *val;
			continue;
		}
		for (o = opts; o && o->name; o++)
			if (strlen(o->name) == n && !strncmp(o->name, a, n))
				break;
		if (!o || !o->name) {
			usage_error("unknown option '--%.*s'", (int)n, a);
			return OPT_ERR;
		}
		if (o->has_arg) {
			*val = opt_value(st, o->name, eq);
			if (!*val)
				return OPT_ERR;
		} else if (eq) {
			usage_error("option '--%s' takes no argument", o->name);
			return OPT_ERR;
		}
		return o->id;
	}
}

int parse_u64(const char *what, const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (*s == '-' || *s == '+' || *s == '\0' || *s == ' ')
		goto bad;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	usage_error("%s '%s' is not a number in 0..%#" PRIx64, what, s, max);
	return -1;
}

int parse_size(const char *what, const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	errno = 0;
	if (*s == '-' || *s == '+' || *s == '\0' || *s == ' ')
		goto bad;
	v = strtoull(s, &end, 0);
	if (errno)
		goto bad;
	switch (*end) {
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	case 't': case 'T':
		shift = 40;
		break;
	case '\0':
		break;
	default:
		goto bad;
	}
	if (shift && end[1])
		goto bad;
	if (v > (max >> shift))
		goto bad;
	*out = (uint64_t)v << shift;
	return 0;
bad:
	usage_error("%s '%s' is not a size in 0..%" PRIu64
		    " (a number with an optional K, M, G or T suffix)",
		    what, s, max);
	return -1;
}

int parse_lsn(const char *what, const char *s, uint64_t *out)
{
	if (!strcmp(s, "invalid")) {
		*out = CLFS_LSN_INVALID;
		return 0;
	}
	if (!strcmp(s, "null")) {
		*out = CLFS_LSN_NULL;
		return 0;
	}
	return parse_u64(what, s, UINT64_MAX, out);
}

void put_lsn(uint64_t lsn)
{
	printf("0x%016" PRIx64, lsn);
}

void put_json_lsn(const char *key, uint64_t lsn)
{
	printf("\"%s\":\"0x%016" PRIx64 "\"", key, lsn);
}

void put_json_str(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	putchar('"');
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

void fmt_uuid(const uint8_t u[16], char out[37])
{
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
}

const char *record_type_name(uint32_t type)
{
	switch (type) {
	case CLFS_RECORD_DATA:
		return "data";
	case CLFS_RECORD_RESTART:
		return "restart";
	}
	return "unknown";
}

/*
 * One record, without a line end.  Human: printable ASCII as is except
 * '"' and '\', every other byte as \xNN.  JSON: the bytes in hex.
 */
void put_record(const struct clfs_record_info *r, const void *data)
{
	const unsigned char *d = data;
	uint32_t i;

	if (cli.json) {
		putchar('{');
		put_json_lsn("lsn", r->lsn);
		printf(",\"type\":\"%s\",\"length\":%" PRIu32 ",",
		       record_type_name(r->type), r->length);
		put_json_lsn("undo_next", r->undo_next);
		putchar(',');
		put_json_lsn("previous", r->previous);
		fputs(",\"data_hex\":\"", stdout);
		for (i = 0; i < r->length; i++)
			printf("%02x", d[i]);
		fputs("\"}", stdout);
		return;
	}
	printf("lsn 0x%016" PRIx64 " type %s length %" PRIu32
	       " undo-next 0x%016" PRIx64 " previous 0x%016" PRIx64 " data \"",
	       r->lsn, record_type_name(r->type), r->length, r->undo_next,
	       r->previous);
	for (i = 0; i < r->length; i++) {
		if (d[i] >= 0x20 && d[i] < 0x7f && d[i] != '"' && d[i] != '\\')
			putchar(d[i]);
		else
			printf("\\x%02x", d[i]);
	}
	putchar('"');
}

void list_begin(struct list *l, const char *open)
{
	l->any = false;
	printf("%s\n", open);
}

void list_item(struct list *l)
{
	if (l->any)
		fputs(",\n", stdout);
	l->any = true;
}

void list_end(struct list *l, const char *close)
{
	if (l->any)
		putchar('\n');
	printf("%s\n", close);
}

int read_all(int fd, size_t max, uint8_t **bufp, size_t *lenp)
{
	/* Read up to max + 1 bytes: one more than allowed means too long. */
	size_t limit = max < SIZE_MAX ? max + 1 : max;
	size_t len = 0, cap = limit < 4096 ? limit : 4096;
	uint8_t *buf, *nb;
	ssize_t n;

	buf = malloc(cap ? cap : 1);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (len == cap) {
			if (cap == limit)
				break;
			cap = cap > limit / 2 ? limit : cap * 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			free(buf);
			return (int)n;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > max) {
		free(buf);
		return -EMSGSIZE;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

/*
 * Objects: JSON {"key":value,...}; human "key value" lines (a block, keys
 * padded) or, with @line, "key value key value" on one line.
 */
void obj_begin(struct obj *o, bool line)
{
	o->any = false;
	o->line = line;
	if (cli.json)
		putchar('{');
}

static void obj_key(struct obj *o, const char *key)
{
	if (cli.json)
		printf("%s\"%s\":", o->any ? "," : "", key);
	else if (o->line)
		printf("%s%s ", o->any ? " " : "", key);
	else
		printf("%-16s ", key);
	o->any = true;
}

static void obj_value_end(struct obj *o)
{
	if (!cli.json && !o->line)
		putchar('\n');
}

void obj_u64(struct obj *o, const char *key, uint64_t v)
{
	obj_key(o, key);
	printf("%" PRIu64, v);
	obj_value_end(o);
}

void obj_lsn(struct obj *o, const char *key, uint64_t lsn)
{
	obj_key(o, key);
	printf(cli.json ? "\"0x%016" PRIx64 "\"" : "0x%016" PRIx64, lsn);
	obj_value_end(o);
}

void obj_str(struct obj *o, const char *key, const char *s)
{
	obj_key(o, key);
	if (cli.json)
		put_json_str(s);
	else
		fputs(s, stdout);
	obj_value_end(o);
}

void obj_uuid(struct obj *o, const char *key, const uint8_t uuid[16])
{
	char s[37];

	fmt_uuid(uuid, s);
	obj_str(o, key, s);
}

void obj_end(struct obj *o)
{
	if (cli.json)
		putchar('}');
	else if (o->line)
		putchar('\n');
}

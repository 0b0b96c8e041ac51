// SPDX-License-Identifier: GPL-2.0
/*
 * clfsctl record commands: append, restart write, restart read, read.
 *
 * append turns each DATA argument (or the file, or stdin, or each line of
 * stdin) into one record, appended in order with one RESERVE_AND_APPEND
 * each, or with --batch up to CLFS_MAX_BATCH of them (and at most
 * CLFS_BATCH_BYTES_MAX bytes) per APPEND_BATCH; reservations given with
 * --reserve travel with the first call (or alone, without records).  The marshalling area is flushed before it is
 * closed, so every printed LSN is durable when clfsctl exits 0.
 *
 * Reads start with a buffer of READ_BUF bytes and grow it to the length
 * the module reports with -ERANGE, then ask again: READ_RECORD and
 * READ_RESTART made no context, and a context returns the same record
 * again.  Records are printed by put_record(), the format dump uses too.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clfsctl.h"

#define READ_BUF	4096U

enum { O_UNDO_NEXT = 1, O_PREVIOUS, O_CHAIN, O_FLUSH, O_FORCE, O_USE_RSV,
       O_RESERVE, O_FILE, O_STDIN, O_LINES, O_BASE, O_ALL, O_FROM, O_MODE,
       O_TYPE, O_MAX, O_FOLLOW, O_BATCH };

/* Read a record source (a file, or stdin for "-" / NULL). */
static int load(const char *path, uint8_t **buf, size_t *len)
{
	int fd = 0, ret;

	if (path && strcmp(path, "-")) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return fail_sys(errno, "open %s", path);
	}
	ret = read_all(fd, CLFS_BLOCK_SIZE_MAX, buf, len);
	if (fd)
		close(fd);
	if (ret == -EMSGSIZE)
		return fail(ret, "read %s", path ? path : "stdin");
	if (ret)
		return fail_sys(ret, "read %s", path ? path : "stdin");
	return 0;
}

/* --batch: records wait here, each a copy, until a call takes them. */
struct batch {
	struct clfs_batch_record rec[CLFS_MAX_BATCH];
	unsigned int n;
	uint64_t bytes;
};

struct append {
	int ma;
	uint64_t undo_next;
	uint64_t previous;
	bool chain;
	uint32_t flags;
	int64_t rsv[CLFS_MAX_RESERVATIONS];
	unsigned int n_rsv;	/* still to send with the next call */
	struct list list;
	struct batch *batch;	/* NULL without --batch */
};

static void put_appended(struct append *a, uint64_t lsn)
{
	if (cli.json) {
		list_item(&a->list);
		putchar('{');
		put_json_lsn("lsn", lsn);
		putchar('}');
		return;
	}
	put_lsn(lsn);
	putchar('\n');
}

/* Append the records waiting in the batch, in as many calls as it takes. */
static int batch_send(struct append *a)
{
	struct batch *b = a->batch;
	unsigned int sent = 0, done, i;
	int ret = 0;

	while (sent < b->n) {
		done = 0;
		ret = clfs_append_log_batch(a->ma, b->rec + sent, b->n - sent,
					    a->flags, &done);
		for (i = sent; i < sent + done; i++)
			put_appended(a, b->rec[i].lsn);
		sent += done;
		if (!ret && !done)	/* no progress: never from the module */
			ret = -EIO;
		if (ret) {
			ret = fail(ret, "append batch");
			break;
		}
	}
	for (i = 0; i < b->n; i++)
		free((void *)(uintptr_t)b->rec[i].data);
	b->n = 0;
	b->bytes = 0;
	return ret;
}

/* Queue a copy of a record for the next batch call. */
static int batch_add(struct append *a, const void *data, size_t len)
{
	struct batch *b = a->batch;
	void *copy;
	int ret;

	/* No record this large fits a block: the module's answer. */
	if (len > CLFS_BATCH_BYTES_MAX)
		return fail(-EMSGSIZE, "append batch");
	if (b->n == CLFS_MAX_BATCH || b->bytes + len > CLFS_BATCH_BYTES_MAX) {
		ret = batch_send(a);
		if (ret)
			return ret;
	}
	copy = malloc(len ? len : 1);
	if (!copy)
		return fail(-ENOMEM, "allocate");
	memcpy(copy, data, len);
	b->rec[b->n] = (struct clfs_batch_record){
		.data = (uintptr_t)copy, .len = (uint32_t)len,
		.type = CLFS_RECORD_DATA, .undo_next = a->undo_next,
		.previous = a->previous, .lsn = CLFS_LSN_INVALID,
	};
	b->n++;
	b->bytes += len;
	return 0;
}

/* One RESERVE_AND_APPEND: a record (@data, @len) or, with @data NULL,
 * reservations only.
 */
static int append_one(struct append *a, const void *data, size_t len)
{
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
	unsigned int n_rsv = a->n_rsv, i;
	uint64_t lsn;
	int ret;

	if (a->batch && data)
		return batch_add(a, data, len);
	ret = clfs_reserve_and_append_log(a->ma, data ? &iov : NULL,
					  data ? 1 : 0, a->undo_next,
					  a->previous, n_rsv,
					  n_rsv ? a->rsv : NULL,
					  data ? a->flags : 0, &lsn);
	if (ret)
		return fail(ret, "reserve and append");
	a->n_rsv = 0;
	if (a->chain && data)
		a->previous = lsn;
	if (cli.json) {
		list_item(&a->list);
		putchar('{');
		put_json_lsn("lsn", lsn);
		if (n_rsv) {
			fputs(",\"reserved\":[", stdout);
			for (i = 0; i < n_rsv; i++)
				printf("%s%" PRId64, i ? "," : "", a->rsv[i]);
			putchar(']');
		}
		putchar('}');
		return 0;
	}
	if (data) {
		put_lsn(lsn);
		putchar('\n');
	}
	for (i = 0; i < n_rsv; i++)
		printf("reserved %" PRId64 "\n", a->rsv[i]);
	return 0;
}

/* Each line of stdin, without its newline, is one record. */
static int append_lines(struct append *a)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int ret = 0;

	while ((n = getline(&line, &cap, stdin)) >= 0) {
		if (n && line[n - 1] == '\n')
			n--;
		ret = append_one(a, line, (size_t)n);
		if (ret)
			break;
	}
	if (!ret && ferror(stdin))
		ret = fail_sys(errno, "read stdin");
	free(line);
	return ret;
}

static int parse_reserve(const char *s, int64_t *out)
{
	bool neg = *s == '-';
	uint64_t v;

	if (parse_size("reservation size", s + neg, INT64_MAX, &v))
		return -1;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

int cmd_append(int argc, char **argv)
{
	static const struct opt opts[] = {
		{ "undo-next", true, O_UNDO_NEXT },
		{ "previous", true, O_PREVIOUS },
		{ "chain", false, O_CHAIN },
		{ "flush", false, O_FLUSH },
		{ "force", false, O_FORCE },
		{ "use-reservation", false, O_USE_RSV },
		{ "reserve", true, O_RESERVE },
		{ "file", true, O_FILE },
		{ "stdin", false, O_STDIN },
		{ "lines", false, O_LINES },
		{ "batch", false, O_BATCH },
		{ NULL, false, 0 },
	};
	static struct append a;
	static struct batch batch;
	const char *dev = NULL, *file = NULL, *val;
	bool use_stdin = false, lines = false;
	char **data;
	unsigned int n_data = 0, i;
	struct opt_state st;
	struct session s;
	uint8_t *buf = NULL;
	size_t len = 0;
	int o, ret = 0;

	a.undo_next = a.previous = CLFS_LSN_INVALID;
	data = calloc((size_t)argc + 1, sizeof(*data));
	if (!data)
		return fail(-ENOMEM, "allocate");
	opt_init(&st, argc, argv);
	while ((o = opt_next(&st, opts, &val)) != OPT_END) {
		switch (o) {
		case OPT_ERR:
			ret = EXIT_USAGE;
			goto out;
		case OPT_HELP:
			ret = help(stdout);
			goto out;
		case OPT_POS:
			if (!dev)
				dev = val;
			else
				data[n_data++] = (char *)val;
			break;
		case O_UNDO_NEXT:
		case O_PREVIOUS:
			if (parse_lsn(o == O_UNDO_NEXT ? "undo-next LSN" :
				      "previous LSN", val,
				      o == O_UNDO_NEXT ? &a.undo_next :
				      &a.previous)) {
				ret = EXIT_USAGE;
				goto out;
			}
			break;
		case O_CHAIN:
			a.chain = true;
			break;
		case O_FLUSH:
			a.flags |= CLFS_FLAG_FORCE_FLUSH;
			break;
		case O_FORCE:
			a.flags |= CLFS_FLAG_FORCE_APPEND;
			break;
		case O_USE_RSV:
			a.flags |= CLFS_FLAG_USE_RESERVATION;
			break;
		case O_RESERVE:
			if (a.n_rsv == CLFS_MAX_RESERVATIONS) {
				ret = usage_error("more than %u reservations",
						  CLFS_MAX_RESERVATIONS);
				goto out;
			}
			if (parse_reserve(val, &a.rsv[a.n_rsv++])) {
				ret = EXIT_USAGE;
				goto out;
			}
			break;
		case O_FILE:
			file = val;
			break;
		case O_STDIN:
			use_stdin = true;
			break;
		case O_LINES:
			lines = true;
			break;
		case O_BATCH:
			a.batch = &batch;
			break;
		}
	}
	if (!dev)
		ret = usage_error("missing argument DEV");
	else if ((n_data > 0) + !!file + use_stdin > 1)
		ret = usage_error("give DATA, --file or --stdin, not several");
	else if (!n_data && !file && !use_stdin && !a.n_rsv)
		ret = usage_error("nothing to append: give DATA, --file or --stdin");
	else if (lines && !use_stdin)
		ret = usage_error("--lines needs --stdin");
	else if (a.batch && (a.chain || a.n_rsv ||
			     (a.flags & CLFS_FLAG_USE_RESERVATION)))
		ret = usage_error("--batch takes no --chain, --reserve or --use-reservation");
	if (ret)
		goto out;
	if ((file || (use_stdin && !lines)) && (ret = load(file, &buf, &len)))
		goto out;
	if (session_open(&s, dev, SESSION_AREA)) {
		ret = EXIT_FAIL;
		goto out;
	}
	a.ma = s.ma;
	if (cli.json)
		list_begin(&a.list, "[");
	if (lines)
		ret = append_lines(&a);
	else if (file || use_stdin)
		ret = append_one(&a, buf ? (void *)buf : "", len);
	for (i = 0; !ret && i < n_data; i++)
		ret = append_one(&a, data[i], strlen(data[i]));
	if (!ret && a.batch)
		ret = batch_send(&a);
	if (!ret && a.n_rsv)	/* reservations without any record */
		ret = append_one(&a, NULL, 0);
	if (cli.json)
		list_end(&a.list, "]");
	if (!ret) {
		o = clfs_flush_buffers(s.ma, NULL);
		if (o)
			ret = fail(o, "flush buffers");
	}
	session_close(&s);
out:
	for (i = 0; i < batch.n; i++)	/* left after an error */
		free((void *)(uintptr_t)batch.rec[i].data);
	batch.n = 0;
	free(buf);
	free(data);
	return ret;
}

/* A growing read buffer. */
struct rbuf {
	uint8_t *p;
	uint32_t len;
};

static int rbuf_fit(struct rbuf *b, uint32_t need)
{
	uint8_t *p;

	if (need <= b->len && b->p)
		return 0;
	p = realloc(b->p, need ? need : 1);
	if (!p)
		return -ENOMEM;
	b->p = p;
	b->len = need;
	return 0;
}

enum rkind { R_RECORD, R_NEXT, R_RESTART, R_PREVIOUS_RESTART, R_FOLLOW };

/* One read, asked again with a large enough buffer after -ERANGE. */
static int read_grow(enum rkind k, int fd, uint64_t lsn, uint32_t mode,
		     uint32_t mask, struct rbuf *b,
		     struct clfs_record_info *rec, int *ctx)
{
	uint32_t had;
	int ret;

	for (;;) {
		ret = rbuf_fit(b, b->len ? b->len : READ_BUF);
		if (ret)
			return ret;
		memset(rec, 0, sizeof(*rec));
		switch (k) {
		case R_RECORD:
			ret = clfs_read_log_record(fd, lsn, mode, mask, b->p,
						   b->len, rec, ctx);
			break;
		case R_NEXT:
			ret = clfs_read_next_log_record(fd, b->p, b->len, rec);
			break;
		case R_RESTART:
			ret = clfs_read_log_restart_area(fd, b->p, b->len, rec,
							 ctx);
			break;
		case R_PREVIOUS_RESTART:
			ret = clfs_read_previous_log_restart_area(fd, b->p,
								  b->len, rec);
			break;
		case R_FOLLOW:
			/* Waits for the next durable record. */
			ret = clfs_read_next_log_record_follow(fd, b->p, b->len,
							       rec, -1);
			break;
		}
		if (ret != -ERANGE)
			return ret;
		had = b->len;
		/* A length that would not help means a confused module. */
		if (rec->length <= had)
			return -ERANGE;
		ret = rbuf_fit(b, rec->length);
		if (ret)
			return ret;
	}
}

static void put_one(struct list *l, const struct clfs_record_info *rec,
		    const void *data)
{
	if (cli.json)
		list_item(l);
	put_record(rec, data);
	if (!cli.json)
		putchar('\n');
}

static int restart_write(int argc, char **argv)
{
	static const struct opt opts[] = {
		{ "base", true, O_BASE },
		{ "use-reservation", false, O_USE_RSV },
		{ "file", true, O_FILE },
		{ NULL, false, 0 },
	};
	const char *dev = NULL, *data = NULL, *file = NULL, *val;
	uint64_t base = 0, lsn = 0;
	bool have_base = false;
	uint32_t flags = 0, written = 0;
	struct opt_state st;
	struct session s;
	uint8_t *buf = NULL;
	size_t len = 0;
	int o, ret;

	opt_init(&st, argc, argv);
	while ((o = opt_next(&st, opts, &val)) != OPT_END) {
		switch (o) {
		case OPT_ERR:
			return EXIT_USAGE;
		case OPT_HELP:
			return help(stdout);
		case OPT_POS:
			if (!dev)
				dev = val;
			else if (!data)
				data = val;
			else
				return usage_error("unexpected argument '%s'", val);
			break;
		case O_BASE:
			if (parse_lsn("base LSN", val, &base))
				return EXIT_USAGE;
			have_base = true;
			break;
		case O_USE_RSV:
			flags |= CLFS_FLAG_USE_RESERVATION;
			break;
		case O_FILE:
			file = val;
			break;
		}
	}
	if (!dev)
		return usage_error("missing argument DEV");
	if (!data == !file)
		return usage_error("give the restart area as DATA or --file F");
	if (file && (ret = load(file, &buf, &len)))
		return ret;
	if (session_open(&s, dev, SESSION_AREA)) {
		free(buf);
		return EXIT_FAIL;
	}
	if (data) {
		len = strlen(data);
		if (len > UINT32_MAX)
			len = UINT32_MAX;
	}
	ret = clfs_write_log_restart_area(s.ma, data ? (const void *)data : buf,
					  (uint32_t)len,
					  have_base ? &base : NULL, flags,
					  &written, &lsn);
	free(buf);
	if (!ret) {
		ret = clfs_flush_buffers(s.ma, NULL);
		session_close(&s);
		if (ret)
			return fail(ret, "flush buffers");
	} else {
		session_close(&s);
		return fail(ret, "write restart area");
	}
	if (cli.json) {
		putchar('{');
		put_json_lsn("lsn", lsn);
		printf(",\"written\":%" PRIu32 "}\n", written);
	} else {
		printf("lsn 0x%016" PRIx64 " written %" PRIu32 "\n", lsn,
		       written);
	}
	return 0;
}

static int restart_read(int argc, char **argv)
{
	static const struct opt opts[] = {
		{ "all", false, O_ALL },
		{ NULL, false, 0 },
	};
	struct clfs_record_info rec;
	struct rbuf b = { NULL, 0 };
	const char *dev = NULL, *val;
	struct opt_state st;
	struct session s;
	bool all = false;
	int o, ret, ctx = -1;
	struct list l;

	opt_init(&st, argc, argv);
	while ((o = opt_next(&st, opts, &val)) != OPT_END) {
		switch (o) {
		case OPT_ERR:
			return EXIT_USAGE;
		case OPT_HELP:
			return help(stdout);
		case OPT_POS:
			if (dev)
				return usage_error("unexpected argument '%s'", val);
			dev = val;
			break;
		case O_ALL:
			all = true;
			break;
		}
	}
	if (!dev)
		return usage_error("missing argument DEV");
	if (session_open(&s, dev, SESSION_READ))
		return EXIT_FAIL;
	ret = read_grow(R_RESTART, s.log, 0, 0, 0, &b, &rec, &ctx);
	if (ret) {
		session_close(&s);
		free(b.p);
		return fail(ret, "read restart area");
	}
	if (cli.json)
		list_begin(&l, "{\"records\":[");
	put_one(&l, &rec, b.p);
	while (all) {
		ret = read_grow(R_PREVIOUS_RESTART, ctx, 0, 0, 0, &b, &rec,
				NULL);
		if (ret)
			break;
		put_one(&l, &rec, b.p);
	}
	if (cli.json)
		list_end(&l, "]}");
	clfs_terminate_read_log(ctx);
	session_close(&s);
	free(b.p);
	if (ret && ret != -ENOENT)
		return fail(ret, "read previous restart area");
	return 0;
}

int cmd_restart(int argc, char **argv)
{
	if (argc >= 1 && !strcmp(argv[0], "write")) {
		cli.cmd = "restart write";
		return restart_write(argc - 1, argv + 1);
	}
	if (argc >= 1 && !strcmp(argv[0], "read")) {
		cli.cmd = "restart read";
		return restart_read(argc - 1, argv + 1);
	}
	if (argc == 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")))
		return help(stdout);
	return usage_error("expected 'restart write' or 'restart read'");
}

/*
 * The first record of type @mask at or after @from along @mode: READ_RECORD
 * refuses a start record of another type, so without an explicit --from
 * the start is searched with a context that takes every type.
 */
static int read_find_start(int ma, uint64_t *from, uint32_t mode,
			   uint32_t mask, struct rbuf *b)
{
	struct clfs_record_info rec;
	int ctx = -1, ret;

	ret = read_grow(R_RECORD, ma, *from, mode, CLFS_TYPE_ANY, b, &rec,
			&ctx);
	while (!ret && (rec.type - 1U >= 32 || !(mask & CLFS_TYPE_OF(rec.type))))
		ret = read_grow(R_NEXT, ctx, 0, 0, 0, b, &rec, NULL);
	if (ctx >= 0)
		clfs_terminate_read_log(ctx);
	if (!ret)
		*from = rec.lsn;
	return ret;
}

/*
 * The log's first and last LSNs; with @follow, an empty log is watched
 * until it has a first record.
 */
static int read_first(struct session *s, bool follow,
		      struct clfs_log_info *info)
{
	int ret;

	for (;;) {
		ret = clfs_query_log_file_information(s->log, info);
		if (ret || !follow || info->first_lsn != CLFS_LSN_INVALID)
			return ret;
		usleep(100 * 1000);
	}
}

/*
 * --follow prints durable records only.  The later ones come from
 * READ_NEXT with CLFS_READ_FOLLOW, which waits in the kernel; READ_RECORD
 * does not wait, so the record a follower starts on is watched for until
 * it is durable.
 */
static int wait_durable(struct session *s, uint64_t lsn)
{
	struct clfs_log_info info;
	int ret;

	for (;;) {
		ret = clfs_query_log_file_information(s->log, &info);
		if (ret || (info.flushed_lsn != CLFS_LSN_INVALID &&
			    info.flushed_lsn >= lsn))
			return ret;
		usleep(100 * 1000);
	}
}

int cmd_read(int argc, char **argv)
{
	static const struct opt opts[] = {
		{ "from", true, O_FROM },
		{ "mode", true, O_MODE },
		{ "type", true, O_TYPE },
		{ "max", true, O_MAX },
		{ "follow", false, O_FOLLOW },
		{ NULL, false, 0 },
	};
	uint64_t from = 0, max = UINT64_MAX, n = 0, at = 0;
	bool follow = false;
	uint32_t mode = CLFS_READ_FORWARD, mask = CLFS_TYPE_ANY;
	struct clfs_log_info info;
	struct clfs_record_info rec;
	struct rbuf b = { NULL, 0 };
	const char *dev = NULL, *val, *what = "read log record";
	bool have_from = false;
	struct opt_state st;
	struct session s;
	int o, ret, ctx = -1;
	struct list l;

	opt_init(&st, argc, argv);
	while ((o = opt_next(&st, opts, &val)) != OPT_END) {
		switch (o) {
		case OPT_ERR:
			return EXIT_USAGE;
		case OPT_HELP:
			return help(stdout);
		case OPT_POS:
			if (dev)
				return usage_error("unexpected argument '%s'", val);
			dev = val;
			break;
		case O_FROM:
			if (parse_lsn("LSN", val, &from))
				return EXIT_USAGE;
			have_from = true;
			break;
		case O_MODE:
			if (!strcmp(val, "forward"))
				mode = CLFS_READ_FORWARD;
			else if (!strcmp(val, "previous"))
				mode = CLFS_READ_PREVIOUS;
			else if (!strcmp(val, "undo-next"))
				mode = CLFS_READ_UNDO_NEXT;
			else
				return usage_error("mode '%s' is not forward, previous or undo-next",
						   val);
			break;
		case O_TYPE:
			if (!strcmp(val, "data"))
				mask = CLFS_TYPE_DATA;
			else if (!strcmp(val, "restart"))
				mask = CLFS_TYPE_RESTART;
			else if (!strcmp(val, "any"))
				mask = CLFS_TYPE_ANY;
			else
				return usage_error("type '%s' is not data, restart or any",
						   val);
			break;
		case O_MAX:
			if (parse_u64("record count", val, UINT64_MAX, &max))
				return EXIT_USAGE;
			break;
		case O_FOLLOW:
			follow = true;
			break;
		}
	}
	if (!dev)
		return usage_error("missing argument DEV");
	if (follow && mode != CLFS_READ_FORWARD)
		return usage_error("--follow reads forward only");
	if (session_open(&s, dev, SESSION_READ))
		return EXIT_FAIL;
	if (!have_from) {
		ret = read_first(&s, follow, &info);
		if (ret) {
			session_close(&s);
			return fail(ret, "query log information");
		}
		from = mode == CLFS_READ_FORWARD ? info.first_lsn :
		       info.last_lsn;
	}
	if (cli.json)
		list_begin(&l, "{\"records\":[");
	ret = 0;
	if (!max || (!have_from && from == CLFS_LSN_INVALID)) {
		/* Nothing to read: an empty log, or --max 0. */
		goto done;
	}
	if (!have_from && mask != CLFS_TYPE_ANY) {
		ret = read_find_start(s.log, &from, mode, mask, &b);
		if (ret == -ENOENT) {
			ret = 0;
			goto done;
		}
	}
	at = from;
	if (!ret && follow)
		ret = wait_durable(&s, from);
	if (!ret)
		ret = read_grow(R_RECORD, s.log, from, mode, mask, &b, &rec,
				&ctx);
	while (!ret) {
		put_one(&l, &rec, b.p);
		if (follow)
			fflush(stdout);
		if (++n >= max)
			break;
		what = "read next log record after";
		at = rec.lsn;
		ret = read_grow(follow ? R_FOLLOW : R_NEXT, ctx, 0, 0, 0, &b,
				&rec, NULL);
	}
	/* The end of the log or of the chain. */
	if (ret == -ENOENT && n)
		ret = 0;
done:
	if (cli.json)
		list_end(&l, "]}");
	if (ctx >= 0)
		clfs_terminate_read_log(ctx);
	session_close(&s);
	free(b.p);
	if (ret)
		return fail(ret, "%s 0x%016" PRIx64, what, at);
	return 0;
}

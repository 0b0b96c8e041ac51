// SPDX-License-Identifier: GPL-2.0
/*
 * clfsctl log commands: sessions, and the commands that manage a log as a
 * whole (create, info, containers, add-container, remove-container, flush,
 * advance-base, set-archive-tail, truncate).
 *
 * A session is one open log, or one stream of a multiplexed log when the
 * log is named DEV::STREAM: /dev/clfs is opened, the base device DEV and
 * every --device are opened O_RDWR | O_CLOEXEC by clfsctl and passed as
 * descriptors (never by path, which would need CAP_SYS_ADMIN), the log is
 * opened (and so recovered), the stream is opened on it (its descriptor
 * then stands for the log), and a marshalling area is created when the
 * command needs one.  The control and device descriptors are closed as
 * soon as the log is open; closing the session closes the marshalling
 * area (which flushes) and the log.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clfsctl.h"

/* Write buffers of a marshalling area clfsctl creates. */
#define MA_BUFFERS	4

int open_control(void)
{
	int fd = clfs_open_control();

	if (fd < 0) {
		fflush(stdout);
		fprintf(stderr, "clfsctl: %s: cannot open %s: %s%s (%s)\n",
			cli.cmd ? cli.cmd : "clfsctl", CLFS_CONTROL_PATH,
			strerror(-fd),
			fd == -ENOENT ? " (is the clfs module loaded?)" : "",
			clfs_errno_name(fd));
		return -1;
	}
	return fd;
}

static int open_dev(const char *path, int mode)
{
	int fd = open(path, mode | O_CLOEXEC);

	if (fd < 0)
		fail_sys(errno, "open %s", path);
	return fd;
}

/* The stream @name of log @log_fd, which it replaces: 0 or EXIT_FAIL. */
static int session_stream(struct session *s, const char *name, bool ro)
{
	int r = clfs_open_log_stream(s->log, name,
				     ro ? CLFS_OPEN_READ_ONLY : 0);

	if (r < 0)
		return fail(r, "open stream %s of %s", name, s->dev);
	clfs_close_log_file(s->log);
	s->log = r;
	return 0;
}

int session_open(struct session *s, const char *name, enum session_kind kind)
{
	int mode = kind == SESSION_READ ? O_RDONLY : O_RDWR;
	int ctl, fd = -1, fds[MAX_DEVICES], ret = EXIT_FAIL, r;
	char stream[CLFS_STREAM_NAME_SIZE];
	unsigned int i, n = 0;
	bool has_stream;

	s->log = s->ma = -1;
	s->dev = s->devbuf;
	r = clfs_split_log_name(name, s->devbuf, sizeof(s->devbuf), stream);
	if (r < 0)
		return fail(r, "log name %s (DEV or DEV::STREAM)", name);
	has_stream = r;
	ctl = open_control();
	if (ctl < 0)
		return EXIT_FAIL;
	fd = open_dev(s->dev, mode);
	if (fd < 0)
		goto out;
	for (n = 0; n < cli.n_devices; n++) {
		fds[n] = open_dev(cli.devices[n], mode);
		if (fds[n] < 0)
			goto out;
	}
	r = clfs_open_log_file(ctl, fd, NULL, fds, n);
	if (r < 0) {
		fail(r, "open log on %s", s->dev);
		goto out;
	}
	s->log = r;
	if (has_stream && session_stream(s, stream, kind == SESSION_READ)) {
		session_close(s);
		goto out;
	}
	if (kind == SESSION_AREA) {
		r = clfs_create_marshalling_area(s->log, 0, MA_BUFFERS);
		if (r < 0) {
			fail(r, "create marshalling area");
			session_close(s);
			goto out;
		}
		s->ma = r;
	}
	ret = 0;
out:
	for (i = 0; i < n; i++)
		close(fds[i]);
	if (fd >= 0)
		close(fd);
	clfs_close(ctl);
	return ret;
}

void session_close(struct session *s)
{
	if (s->ma >= 0)
		clfs_delete_marshalling_area(s->ma);
	if (s->log >= 0)
		clfs_close_log_file(s->log);
	s->ma = s->log = -1;
}

/*
 * Exactly @n positional arguments into @pos, for commands with @opts.
 * Return: 0; an exit status after a usage error; -1 after --help.
 */
static int simple_args(int argc, char **argv, const struct opt *opts,
		       unsigned int n, const char **pos, const char *what)
{
	struct opt_state st;
	unsigned int got = 0;
	const char *val;
	int o;

	opt_init(&st, argc, argv);
	while ((o = opt_next(&st, opts, &val)) != OPT_END) {
		if (o == OPT_ERR)
			return EXIT_USAGE;
		if (o == OPT_HELP)
			return help(stdout) ? EXIT_USAGE : -1;
		if (o != OPT_POS)
			return usage_error("option not expected here");
		if (got == n)
			return usage_error("unexpected argument '%s' (expected %s)",
					   val, what);
		pos[got++] = val;
	}
	if (got < n)
		return usage_error("missing argument (expected %s)", what);
	return 0;
}

static const struct opt no_opts[] = { { NULL, false, 0 } };

enum { O_CONTAINERS = 1, O_CONTAINER_SIZE, O_BLOCK_SIZE, O_ON, O_OFFSET,
       O_COUNT, O_TO, O_MULTIPLEXED };

int cmd_create(int argc, char **argv)
{
	static const struct opt opts[] = {
		{ "containers", true, O_CONTAINERS },
		{ "container-size", true, O_CONTAINER_SIZE },
		{ "block-size", true, O_BLOCK_SIZE },
		{ "multiplexed", false, O_MULTIPLEXED },
		{ NULL, false, 0 },
	};
	uint64_t n = 0, csize = 0, bsize = 65536;
	bool have_n = false, have_csize = false;
	uint32_t flags = 0;
	struct clfs_log_info info;
	const char *dev = NULL, *val;
	struct opt_state st;
	int ctl, fd, log, o, ret;
	struct obj ob;

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
		case O_CONTAINERS:
			if (parse_u64("container count", val, UINT32_MAX, &n))
				return EXIT_USAGE;
			have_n = true;
			break;
		case O_CONTAINER_SIZE:
			if (parse_size("container size", val, UINT64_MAX, &csize))
				return EXIT_USAGE;
			have_csize = true;
			break;
		case O_BLOCK_SIZE:
			if (parse_size("block size", val, UINT32_MAX, &bsize))
				return EXIT_USAGE;
			break;
		case O_MULTIPLEXED:
			flags |= CLFS_CREATE_MULTIPLEXED;
			break;
		}
	}
	if (!dev)
		return usage_error("missing argument DEV");
	if (!have_n || !have_csize)
		return usage_error("--containers and --container-size are required");
	if (cli.n_devices)
		return usage_error("--device does not apply: a new log lives on DEV");
	ctl = open_control();
	if (ctl < 0)
		return EXIT_FAIL;
	fd = open_dev(dev, O_RDWR);
	if (fd < 0) {
		clfs_close(ctl);
		return EXIT_FAIL;
	}
	log = clfs_create_log_file_flags(ctl, fd, NULL, (uint32_t)bsize, csize,
					 (uint32_t)n, flags);
	close(fd);
	clfs_close(ctl);
	if (log < 0)
		return fail(log, "create log on %s", dev);
	ret = clfs_query_log_file_information(log, &info);
	clfs_close_log_file(log);
	if (ret)
		return fail(ret, "query log information");
	obj_begin(&ob, false);
	obj_uuid(&ob, "uuid", info.uuid);
	obj_u64(&ob, "io_unit", info.io_unit);
	obj_u64(&ob, "block_size", info.block_size);
	obj_u64(&ob, "container_size", info.container_size);
	obj_u64(&ob, "n_containers", info.n_containers);
	obj_u64(&ob, "total_bytes", info.total_bytes);
	obj_str(&ob, "kind", info.flags & CLFS_INFO_MULTIPLEXED ?
			     "multiplexed" : "dedicated");
	obj_end(&ob);
	if (cli.json)
		putchar('\n');
	return 0;
}

static void put_info(const struct clfs_log_info *i)
{
	struct obj o;

	obj_begin(&o, false);
	obj_u64(&o, "flags", i->flags);
	obj_uuid(&o, "uuid", i->uuid);
	obj_u64(&o, "io_unit", i->io_unit);
	obj_u64(&o, "block_size", i->block_size);
	obj_u64(&o, "n_containers", i->n_containers);
	obj_u64(&o, "n_writable", i->n_writable);
	obj_u64(&o, "container_size", i->container_size);
	obj_u64(&o, "generation", i->generation);
	obj_u64(&o, "seq_floor", i->seq_floor);
	obj_lsn(&o, "base_lsn", i->base_lsn);
	obj_lsn(&o, "first_lsn", i->first_lsn);
	obj_lsn(&o, "last_lsn", i->last_lsn);
	obj_lsn(&o, "flushed_lsn", i->flushed_lsn);
	obj_u64(&o, "appends", i->appends);
	obj_u64(&o, "append_bytes", i->append_bytes);
	obj_u64(&o, "blocks_written", i->blocks_written);
	obj_u64(&o, "flushes", i->flushes);
	obj_u64(&o, "flush_writes", i->flush_writes);
	obj_u64(&o, "cache_flushes", i->cache_flushes);
	obj_u64(&o, "meta_writes", i->meta_writes);
	obj_u64(&o, "reads", i->reads);
	obj_lsn(&o, "archive_tail", i->archive_tail);
	obj_lsn(&o, "restart_lsn", i->restart_lsn);
	obj_u64(&o, "total_bytes", i->total_bytes);
	obj_u64(&o, "free_bytes", i->free_bytes);
	obj_u64(&o, "reserved_bytes", i->reserved_bytes);
	obj_u64(&o, "reserved_records", i->reserved_records);
	obj_u64(&o, "block_bytes", i->block_bytes);
	obj_u64(&o, "meta_bytes", i->meta_bytes);
	obj_u64(&o, "dev_writes", i->dev_writes);
	obj_str(&o, "kind", i->flags & CLFS_INFO_MULTIPLEXED ?
			    "multiplexed" : "dedicated");
	obj_u64(&o, "stream_id", i->stream_id);
	obj_u64(&o, "n_streams", i->n_streams);
	obj_u64(&o, "pin_stream", i->pin_stream);
	obj_end(&o);
}

/* Human output prefixes the I/O statistics, whose names repeat info's. */
static void put_stats(const struct clfs_io_stats *s)
{
	static const struct {
		const char *name;
		size_t off;
	} f[] = {
#define F(x) { #x, offsetof(struct clfs_io_stats, x) }
		F(appends), F(append_bytes), F(blocks_written), F(block_bytes),
		F(flushes), F(flush_writes), F(cache_flushes), F(meta_writes),
		F(meta_bytes), F(dev_writes), F(reads),
#undef F
	};
	char key[64];
	struct obj o;
	size_t i;
	__u64 v;

	obj_begin(&o, false);
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		memcpy(&v, (const char *)s + f[i].off, sizeof(v));
		snprintf(key, sizeof(key), "%s%s", cli.json ? "" : "io_stats.",
			 f[i].name);
		obj_u64(&o, key, v);
	}
	obj_end(&o);
}

int cmd_info(int argc, char **argv)
{
	struct clfs_log_info info;
	struct clfs_io_stats st;
	struct session s;
	const char *dev;
	int ret;

	ret = simple_args(argc, argv, no_opts, 1, &dev, "DEV");
	if (ret)
		return ret < 0 ? 0 : ret;
	if (session_open(&s, dev, SESSION_READ))
		return EXIT_FAIL;
	ret = clfs_query_log_file_information(s.log, &info);
	if (ret) {
		session_close(&s);
		return fail(ret, "query log information");
	}
	ret = clfs_get_io_statistics(s.log, &st);
	session_close(&s);
	if (ret)
		return fail(ret, "get I/O statistics");
	if (cli.json)
		fputs("{\"info\":", stdout);
	put_info(&info);
	if (cli.json)
		fputs(",\"io_stats\":", stdout);
	put_stats(&st);
	if (cli.json)
		puts("}");
	return 0;
}

static const char *state_name(uint32_t state)
{
	switch (state) {
	case CLFS_CONT_FREE:
		return "free";
	case CLFS_CONT_ACTIVE:
		return "active";
	case CLFS_CONT_PENDING_REMOVAL:
		return "pending-removal";
	}
	return "unknown";
}

int cmd_containers(int argc, char **argv)
{
	struct clfs_container_entry e[64];
	uint32_t start = 0, got = 0, total = 0, i;
	struct session s;
	const char *dev;
	struct list l;
	struct obj o;
	int ret;

	ret = simple_args(argc, argv, no_opts, 1, &dev, "DEV");
	if (ret)
		return ret < 0 ? 0 : ret;
	if (session_open(&s, dev, SESSION_READ))
		return EXIT_FAIL;
	if (cli.json)
		list_begin(&l, "{\"containers\":[");
	do {
		ret = clfs_scan_log_containers(s.log, start, e, 64, &got,
					       &total);
		if (ret)
			break;
		for (i = 0; i < got && i < 64; i++) {
			if (cli.json)
				list_item(&l);
			else
				fputs("container ", stdout);
			obj_begin(&o, true);
			obj_u64(&o, "physical_id", e[i].physical_id);
			obj_u64(&o, "logical_id", e[i].logical_id);
			obj_str(&o, "state", state_name(e[i].state));
			obj_u64(&o, "dev_major", e[i].dev_major);
			obj_u64(&o, "dev_minor", e[i].dev_minor);
			obj_u64(&o, "offset", e[i].offset);
			obj_u64(&o, "bytes", e[i].bytes);
			obj_uuid(&o, "dev_uuid", e[i].dev_uuid);
			obj_end(&o);
		}
		start += got;
	} while (got && start < total);
	if (cli.json)
		list_end(&l, "]}");
	session_close(&s);
	if (ret)
		return fail(ret, "scan log containers");
	return 0;
}

int cmd_add_container(int argc, char **argv)
{
	static const struct opt opts[] = {
		{ "on", true, O_ON },
		{ "offset", true, O_OFFSET },
		{ "count", true, O_COUNT },
		{ NULL, false, 0 },
	};
	static struct clfs_container_add specs[CLFS_MAX_CONTAINERS];
	static uint32_t ids[CLFS_MAX_CONTAINERS];
	uint64_t offset = CLFS_OFFSET_ANY, count = 1, off;
	const char *dev = NULL, *on = NULL, *val;
	struct clfs_log_info info;
	struct opt_state st;
	struct session s;
	int on_fd = -1, o, ret;
	struct list l;
	uint64_t i;

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
		case O_ON:
			on = val;
			break;
		case O_OFFSET:
			if (parse_size("offset", val, UINT64_MAX - 1, &offset))
				return EXIT_USAGE;
			break;
		case O_COUNT:
			if (parse_u64("count", val, CLFS_MAX_CONTAINERS, &count))
				return EXIT_USAGE;
			if (!count)
				return usage_error("count must be at least 1");
			break;
		}
	}
	if (!dev)
		return usage_error("missing argument DEV");
	if (session_open(&s, dev, SESSION_WRITE))
		return EXIT_FAIL;
	ret = 0;
	if (offset != CLFS_OFFSET_ANY && count > 1) {
		/* A set at an explicit offset: back to back. */
		ret = clfs_query_log_file_information(s.log, &info);
		if (ret) {
			session_close(&s);
			return fail(ret, "query log information");
		}
	}
	if (on) {
		on_fd = open(on, O_RDWR | O_CLOEXEC);
		if (on_fd < 0) {
			ret = fail_sys(errno, "open %s", on);
			session_close(&s);
			return ret;
		}
	}
	for (i = 0; i < count; i++) {
		memset(&specs[i], 0, sizeof(specs[i]));
		specs[i].dev_fd = on_fd >= 0 ? on_fd : CLFS_FD_NONE;
		off = offset;
		if (offset != CLFS_OFFSET_ANY && i &&
		    (__builtin_mul_overflow(i, info.container_size, &off) ||
		     __builtin_add_overflow(off, offset, &off) ||
		     off == CLFS_OFFSET_ANY)) {
			if (on_fd >= 0)
				close(on_fd);
			session_close(&s);
			return usage_error("offset %" PRIu64 " + %" PRIu64
					   " containers overflows", offset,
					   count);
		}
		specs[i].offset = off;
	}
	ret = clfs_add_log_container_set(s.log, specs, (unsigned int)count, ids);
	if (on_fd >= 0)
		close(on_fd);
	session_close(&s);
	if (ret)
		return fail(ret, "add log containers");
	if (cli.json)
		list_begin(&l, "{\"physical_ids\":[");
	for (i = 0; i < count; i++) {
		if (cli.json) {
			list_item(&l);
			printf("%" PRIu32, ids[i]);
		} else {
			printf("physical_id %" PRIu32 "\n", ids[i]);
		}
	}
	if (cli.json)
		list_end(&l, "]}");
	return 0;
}

int cmd_remove_container(int argc, char **argv)
{
	const char *pos[2];
	struct session s;
	uint64_t id;
	int ret;

	ret = simple_args(argc, argv, no_opts, 2, pos, "DEV ID");
	if (ret)
		return ret < 0 ? 0 : ret;
	if (parse_u64("container id", pos[1], UINT32_MAX, &id))
		return EXIT_USAGE;
	if (session_open(&s, pos[0], SESSION_WRITE))
		return EXIT_FAIL;
	ret = clfs_remove_log_container(s.log, (uint32_t)id);
	session_close(&s);
	if (ret)
		return fail(ret, "remove log container %" PRIu64, id);
	return 0;
}

int cmd_flush(int argc, char **argv)
{
	static const struct opt opts[] = {
		{ "to", true, O_TO },
		{ NULL, false, 0 },
	};
	uint64_t to = 0, flushed;
	const char *dev = NULL, *val;
	bool have_to = false;
	struct opt_state st;
	struct session s;
	int o, ret;

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
		case O_TO:
			if (parse_lsn("LSN", val, &to))
				return EXIT_USAGE;
			have_to = true;
			break;
		}
	}
	if (!dev)
		return usage_error("missing argument DEV");
	if (session_open(&s, dev, SESSION_AREA))
		return EXIT_FAIL;
	if (have_to)
		ret = clfs_flush_log_to_lsn(s.ma, to, &flushed);
	else
		ret = clfs_flush_buffers(s.ma, &flushed);
	session_close(&s);
	if (ret)
		return have_to ? fail(ret, "flush to 0x%016" PRIx64, to) :
				 fail(ret, "flush buffers");
	if (cli.json) {
		putchar('{');
		put_json_lsn("flushed", flushed);
		puts("}");
	} else {
		put_lsn(flushed);
		putchar('\n');
	}
	return 0;
}

/* advance-base, set-archive-tail and truncate: DEV LSN, no output. */
int cmd_lsn_op(int argc, char **argv)
{
	const char *pos[2];
	struct session s;
	bool archive = !strcmp(cli.cmd, "set-archive-tail");
	uint64_t lsn;
	int ret;

	ret = simple_args(argc, argv, no_opts, 2, pos, "DEV LSN");
	if (ret)
		return ret < 0 ? 0 : ret;
	if (parse_lsn("LSN", pos[1], &lsn))
		return EXIT_USAGE;
	/* Every tail move makes records durable through the marshalling
	 * area, so set-archive-tail needs one too (EINVAL without). */
	if (session_open(&s, pos[0], SESSION_AREA))
		return EXIT_FAIL;
	if (archive)
		ret = clfs_set_log_archive_tail(s.log, lsn);
	else if (!strcmp(cli.cmd, "advance-base"))
		ret = clfs_advance_log_base(s.ma, lsn);
	else
		ret = clfs_truncate_log(s.ma, lsn);
	session_close(&s);
	if (ret)
		return fail(ret, "%s 0x%016" PRIx64,
			    archive ? "set archive tail" :
			    !strcmp(cli.cmd, "advance-base") ? "advance log base" :
			    "truncate log", lsn);
	return 0;
}

/* stream list DEV: the stream table, one line (or JSON object) each. */
static int stream_list(int argc, char **argv)
{
	struct clfs_stream_entry e[CLFS_MAX_STREAMS];
	uint32_t total = 0, i;
	struct session s;
	const char *dev;
	struct list l;
	struct obj o;
	int ret;

	ret = simple_args(argc, argv, no_opts, 1, &dev, "DEV");
	if (ret)
		return ret < 0 ? 0 : ret;
	if (session_open(&s, dev, SESSION_READ))
		return EXIT_FAIL;
	ret = clfs_list_log_streams(s.log, e, CLFS_MAX_STREAMS, &total);
	session_close(&s);
	if (ret)
		return fail(ret, "list streams of %s", dev);
	if (cli.json)
		list_begin(&l, "{\"streams\":[");
	for (i = 0; i < total && i < CLFS_MAX_STREAMS; i++) {
		if (cli.json)
			list_item(&l);
		else
			fputs("stream ", stdout);
		obj_begin(&o, true);
		obj_u64(&o, "id", e[i].id);
		obj_str(&o, "name", e[i].name);
		obj_lsn(&o, "base_lsn", e[i].base_lsn);
		obj_lsn(&o, "archive_tail", e[i].archive_tail);
		obj_lsn(&o, "restart_lsn", e[i].restart_lsn);
		obj_lsn(&o, "last_lsn", e[i].last_lsn);
		obj_u64(&o, "users", e[i].users);
		obj_end(&o);
	}
	if (cli.json)
		list_end(&l, "]}");
	return 0;
}

/* stream create|delete DEV NAME. */
static int stream_change(int argc, char **argv, bool create)
{
	const char *pos[2];
	struct session s;
	struct obj o;
	uint32_t id = 0;
	int ret;

	ret = simple_args(argc, argv, no_opts, 2, pos, "DEV NAME");
	if (ret)
		return ret < 0 ? 0 : ret;
	if (session_open(&s, pos[0], SESSION_WRITE))
		return EXIT_FAIL;
	ret = create ? clfs_create_log_stream(s.log, pos[1], &id) :
		       clfs_delete_log_stream(s.log, pos[1]);
	session_close(&s);
	if (ret)
		return fail(ret, "%s stream %s of %s",
			    create ? "create" : "delete", pos[1], pos[0]);
	if (create) {
		obj_begin(&o, false);
		obj_u64(&o, "id", id);
		obj_str(&o, "name", pos[1]);
		obj_end(&o);
		if (cli.json)
			putchar('\n');
	}
	return 0;
}

int cmd_stream(int argc, char **argv)
{
	if (argc >= 1 && !strcmp(argv[0], "create")) {
		cli.cmd = "stream create";
		return stream_change(argc - 1, argv + 1, true);
	}
	if (argc >= 1 && !strcmp(argv[0], "delete")) {
		cli.cmd = "stream delete";
		return stream_change(argc - 1, argv + 1, false);
	}
	if (argc >= 1 && !strcmp(argv[0], "list")) {
		cli.cmd = "stream list";
		return stream_list(argc - 1, argv + 1);
	}
	if (argc == 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")))
		return help(stdout);
	return usage_error("expected 'stream create', 'stream list' or 'stream delete'");
}

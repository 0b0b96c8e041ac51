// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of libclfs's marshalling, without the module: this program
 * defines ioctl() itself, so every call of lib/libclfs.c lands in
 * fake_ioctl() below, which checks the command number and each field of
 * the argument struct against include/uapi/linux/clfs.h (size, reserved fields
 * zero, pointers, counts), and answers like the module would (outputs,
 * new descriptors, -ERANGE with the length).  It checks too that every
 * call returns the negative errno and leaves errno alone, that a -ERANGE
 * read still reports the length, and that a context the caller does not
 * want is closed.  Built 64-bit and, where gcc -m32 works, 32-bit (where
 * struct iovec must be converted).
 *
 * Output: "ok   NAME" or "FAIL NAME: detail" per check, then a summary;
 * exit status 1 on any failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libclfs.h"

static unsigned int passed, failed;

static void check(int ok, const char *name)
{
	if (ok) {
		passed++;
		printf("ok   %s\n", name);
	} else {
		failed++;
		printf("FAIL %s\n", name);
	}
}

/* What the fake module saw last, and how it answers. */
static struct {
	unsigned long cmd;
	int fd;
	int err;		/* answer with this errno (0: success) */
	int flush_err;		/* a forced append's flush fails with it */
	char arg[256];		/* copy of the argument struct */
	uint64_t seen_bytes;	/* append: bytes gathered from the iovecs */
	char data[64];		/* append: the record */
	int zero_reserved;	/* reserved fields were zero */
	unsigned long calls[16];	/* the commands, in order */
	unsigned int n_calls;
} fk;

static void *u64p(__u64 v)
{
	return (void *)(uintptr_t)v;
}

/* A real descriptor for a new object, so that close() works. */
static int new_fd(void)
{
	return open("/dev/null", O_RDONLY | O_CLOEXEC);
}

static int fake_ioctl(int fd, unsigned long cmd, void *arg)
{
	uint32_t size = *(uint32_t *)arg;
	unsigned int i;

	fk.cmd = cmd;
	fk.fd = fd;
	if (fk.n_calls < 16)
		fk.calls[fk.n_calls++] = cmd;
	if (size <= sizeof(fk.arg))
		memcpy(fk.arg, arg, size);
	if (_IOC_TYPE(cmd) != CLFS_IOC_MAGIC || _IOC_SIZE(cmd) != size)
		return -EPROTO;
	if (fk.err && cmd != CLFS_IOC_READ_RECORD &&
	    cmd != CLFS_IOC_READ_RESTART && cmd != CLFS_IOC_READ_NEXT &&
	    cmd != CLFS_IOC_READ_PREVIOUS_RESTART)
		return -fk.err;
	switch (cmd) {
	case CLFS_IOC_VERSION: {
		struct clfs_version *v = arg;

		v->major = 7;
		return 0;
	}
	case CLFS_IOC_CREATE_LOG: {
		struct clfs_create_log *a = arg;

		fk.zero_reserved = !a->flags && !a->reserved[0] &&
				   !a->reserved[1];
		a->log_fd = new_fd();
		return 0;
	}
	case CLFS_IOC_OPEN_LOG: {
		struct clfs_open_log *a = arg;
		const __s32 *d = u64p(a->devices);

		fk.zero_reserved = !a->flags && !a->reserved &&
				   !a->reserved2[0] && !a->reserved2[1];
		fk.seen_bytes = 0;
		for (i = 0; i < a->n_devices; i++)
			fk.seen_bytes += (uint64_t)d[i];
		a->log_fd = new_fd();
		return 0;
	}
	case CLFS_IOC_QUERY_INFO:
		((struct clfs_log_info *)arg)->first_lsn = 0x1000;
		return 0;
	case CLFS_IOC_GET_IO_STATS:
		((struct clfs_io_stats *)arg)->reads = 3;
		return 0;
	case CLFS_IOC_ADD_CONTAINERS: {
		struct clfs_add_containers *a = arg;
		uint32_t *ids = u64p(a->ids);

		fk.zero_reserved = !a->reserved;
		for (i = 0; ids && i < a->count; i++)
			ids[i] = 100 + i;
		return 0;
	}
	case CLFS_IOC_REMOVE_CONTAINER: {
		struct clfs_remove_container *a = arg;

		fk.zero_reserved = !a->flags && !a->reserved;
		return 0;
	}
	case CLFS_IOC_SCAN_CONTAINERS: {
		struct clfs_scan_containers *a = arg;
		struct clfs_container_entry *e = u64p(a->entries);

		if (a->entry_size != sizeof(*e))
			return -EINVAL;
		e[0].physical_id = 9;
		a->returned = 1;
		a->total = 5;
		return 0;
	}
	case CLFS_IOC_CREATE_MARSHAL: {
		struct clfs_create_marshal *a = arg;

		fk.zero_reserved = !a->flags && !a->reserved;
		a->ma_fd = new_fd();
		return 0;
	}
	case CLFS_IOC_RESERVE_AND_APPEND: {
		struct clfs_append *a = arg;
		const struct clfs_iovec *iov = u64p(a->iov);
		__s64 *rsv = u64p(a->rsv);

		fk.zero_reserved = !a->reserved;
		fk.seen_bytes = 0;
		memset(fk.data, 0, sizeof(fk.data));
		for (i = 0; i < a->n_iov; i++) {
			if (fk.seen_bytes + iov[i].len < sizeof(fk.data))
				memcpy(fk.data + fk.seen_bytes,
				       u64p(iov[i].base), iov[i].len);
			fk.seen_bytes += iov[i].len;
		}
		for (i = 0; i < a->n_rsv; i++)
			rsv[i] = rsv[i] > 0 ? rsv[i] + 8 : rsv[i] - 8;
		a->lsn = a->n_iov ? 0x2003 : CLFS_LSN_INVALID;
		/* Appended, then the flush failed: written back all the same. */
		if (a->n_iov && (a->flags & CLFS_FLAG_FORCE_FLUSH))
			return -fk.flush_err;
		return 0;
	}
	case CLFS_IOC_READ_NEXT_BATCH: {
		struct clfs_read_batch *a = arg;
		struct clfs_batch_record *r = u64p(a->records);

		fk.zero_reserved = !a->reserved && !a->done;
		fk.seen_bytes = a->buf_len;
		/* Two records of 3 bytes, "abc" and "def". */
		for (i = 0; i < 2 && i < a->count; i++) {
			memcpy((char *)u64p(a->buf) + 3 * i, i ? "def" : "abc", 3);
			r[i].data = a->buf + 3 * i;
			r[i].len = 3;
			r[i].lsn = 0x4000 + i;
		}
		a->done = i;
		return 0;
	}
	case CLFS_IOC_APPEND_BATCH: {
		struct clfs_append_batch *a = arg;
		struct clfs_batch_record *r = u64p(a->records);

		fk.zero_reserved = !a->reserved && !a->done;
		fk.seen_bytes = 0;
		/* The first two are taken; the log is full after them. */
		for (i = 0; i < a->count; i++) {
			fk.seen_bytes += r[i].len;
			r[i].lsn = i < 2 ? 0x3000 + i : CLFS_LSN_INVALID;
		}
		a->done = a->count < 2 ? a->count : 2;
		return 0;
	}
	case CLFS_IOC_ALIGN_RESERVED:
	case CLFS_IOC_ALLOC_RESERVED:
	case CLFS_IOC_FREE_RESERVED: {
		struct clfs_reserved *a = arg;
		const uint32_t *s = u64p(a->sizes);
		uint32_t *al = u64p(a->aligned);

		fk.seen_bytes = a->bytes;
		if (cmd != CLFS_IOC_ALIGN_RESERVED)
			return a->aligned ? -EINVAL : 0;
		a->bytes = 0;
		for (i = 0; i < a->count; i++) {
			if (al)
				al[i] = s[i] + 40;
			a->bytes += s[i] + 40;
		}
		return 0;
	}
	case CLFS_IOC_FLUSH_BUFFERS:
	case CLFS_IOC_FLUSH_TO_LSN: {
		struct clfs_flush *a = arg;

		fk.zero_reserved = !a->flags;
		a->flushed = a->lsn ? a->lsn : 0x5000;
		return 0;
	}
	case CLFS_IOC_WRITE_RESTART: {
		struct clfs_write_restart *a = arg;

		fk.zero_reserved = !a->reserved;
		memset(fk.data, 0, sizeof(fk.data));
		memcpy(fk.data, u64p(a->data), a->length < 63 ? a->length : 63);
		fk.seen_bytes = a->new_base;
		a->written = 4096;
		a->lsn = 0x3000;
		return 0;
	}
	case CLFS_IOC_READ_RECORD:
	case CLFS_IOC_READ_RESTART:
	case CLFS_IOC_READ_NEXT:
	case CLFS_IOC_READ_PREVIOUS_RESTART: {
		struct clfs_read *a = arg;

		fk.zero_reserved = !a->flags && !a->timeout_ns;
		a->length = 11;
		a->lsn = a->start ? a->start : 0x4000;
		a->type = CLFS_RECORD_DATA;
		a->undo_next = CLFS_LSN_INVALID;
		a->previous = 0x1000;
		if (a->buf_len < 11)
			return -ERANGE;
		if (fk.err)
			return -fk.err;
		memcpy(u64p(a->buf), "hello world", 11);
		if (cmd == CLFS_IOC_READ_RECORD || cmd == CLFS_IOC_READ_RESTART)
			a->ctx_fd = new_fd();
		return 0;
	}
	case CLFS_IOC_ADVANCE_BASE:
	case CLFS_IOC_SET_ARCHIVE_TAIL:
	case CLFS_IOC_TRUNCATE: {
		struct clfs_lsn_arg *a = arg;

		fk.zero_reserved = !a->flags;
		fk.seen_bytes = a->lsn;
		return 0;
	}
	case CLFS_IOC_STREAM_CREATE:
	case CLFS_IOC_STREAM_DELETE:
	case CLFS_IOC_OPEN_STREAM: {
		struct clfs_stream_arg *a = arg;

		fk.zero_reserved = !a->reserved && !a->name[31];
		a->id = 7;
		if (cmd == CLFS_IOC_OPEN_STREAM)
			a->stream_fd = new_fd();
		return 0;
	}
	case CLFS_IOC_STREAM_LIST: {
		struct clfs_stream_list *a = arg;

		fk.zero_reserved = a->entry_size ==
				   sizeof(struct clfs_stream_entry);
		a->total = 3;
		return 0;
	}
	}
	return -ENOTTY;
}

/* The libc entry point, replaced for this program. */
int ioctl(int fd, unsigned long cmd, ...)
{
	va_list ap;
	void *arg;
	int ret;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	ret = fake_ioctl(fd, cmd, arg);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

/* Streams: names marshalled NUL-padded, DEVICE::STREAM split. */
static void test_streams(void)
{
	struct clfs_stream_arg *a = (void *)fk.arg;
	struct clfs_stream_entry e[2];
	char dev[16], st[CLFS_STREAM_NAME_SIZE];
	uint32_t id = 0, total = 0;
	int fd;

	check(clfs_create_log_stream(3, "orders", &id) == 0 &&
	      fk.cmd == CLFS_IOC_STREAM_CREATE && a->size == sizeof(*a) &&
	      !strcmp(a->name, "orders") && !a->flags && fk.zero_reserved &&
	      id == 7, "stream create: name, id back");
	check(clfs_create_log_stream(3, "0123456789abcdef0123456789abcdef",
				     &id) == -EINVAL,
	      "stream create: a 32-byte name is EINVAL before any ioctl");
	check(clfs_delete_log_stream(3, "orders") == 0 &&
	      fk.cmd == CLFS_IOC_STREAM_DELETE, "stream delete");
	fd = clfs_open_log_stream(3, "orders", CLFS_OPEN_READ_ONLY);
	check(fd >= 0 && fk.cmd == CLFS_IOC_OPEN_STREAM &&
	      a->flags == CLFS_OPEN_READ_ONLY, "open stream: read-only flag");
	close(fd);
	check(clfs_list_log_streams(3, e, 2, &total) == 0 && total == 3 &&
	      fk.cmd == CLFS_IOC_STREAM_LIST && fk.zero_reserved,
	      "stream list: entry size, total");
	check(clfs_split_log_name("/dev/vdb::orders", dev, sizeof(dev), st) ==
	      1 && !strcmp(dev, "/dev/vdb") && !strcmp(st, "orders") &&
	      !st[31], "split DEVICE::STREAM");
	check(clfs_split_log_name("/dev/vdb", dev, sizeof(dev), st) == 0 &&
	      !strcmp(dev, "/dev/vdb") && !st[0], "split DEVICE alone");
	check(clfs_split_log_name("/dev/vdb::", dev, sizeof(dev), st) ==
	      -EINVAL && clfs_split_log_name("::s", dev, sizeof(dev), st) ==
	      -EINVAL && clfs_split_log_name("/dev/a-very-long-name::s", dev,
					     sizeof(dev), st) == -EINVAL,
	      "split: an empty or too long part is EINVAL");
}

static void test_batch(void)
{
	struct clfs_append_batch *a = (void *)fk.arg;
	struct clfs_batch_record r[3];
	unsigned int done = 9, i;

	memset(r, 0, sizeof(r));
	for (i = 0; i < 3; i++) {
		r[i].data = (uintptr_t)"abcdef";
		r[i].len = 2 * i + 1;
		r[i].type = CLFS_RECORD_DATA;
	}
	check(clfs_append_log_batch(4, r, 3, CLFS_FLAG_FORCE_FLUSH, &done) ==
	      0 && fk.cmd == CLFS_IOC_APPEND_BATCH && a->size == sizeof(*a) &&
	      a->count == 3 && a->flags == CLFS_FLAG_FORCE_FLUSH &&
	      fk.zero_reserved && fk.seen_bytes == 9,
	      "append batch: records, count, flags in");
	check(done == 2 && r[0].lsn == 0x3000 && r[1].lsn == 0x3001 &&
	      r[2].lsn == CLFS_LSN_INVALID,
	      "append batch: done and each LSN back, partial");
	check(clfs_append_log_batch(4, r, 1, 0, NULL) == 0 &&
	      r[0].lsn == 0x3000, "append batch: done may be NULL");
}

static int is_open(int fd)
{
	return fd >= 0 && fcntl(fd, F_GETFD) >= 0;
}

/* READ_NEXT_BATCH: the struct marshalled, done and records back. */
static void test_read_batch(void)
{
	struct clfs_read_batch *a = (void *)fk.arg;
	struct clfs_batch_record r[4];
	unsigned int done = 9;
	char buf[16];

	memset(r, 0, sizeof(r));
	check(clfs_read_next_log_records(7, buf, sizeof(buf), r, 4,
					 CLFS_READ_DURABLE, &done) == 0 &&
	      fk.cmd == CLFS_IOC_READ_NEXT_BATCH && fk.fd == 7 &&
	      a->size == sizeof(*a) && a->flags == CLFS_READ_DURABLE &&
	      a->buf == (uintptr_t)buf && a->buf_len == sizeof(buf) &&
	      a->count == 4 && a->records == (uintptr_t)r &&
	      fk.zero_reserved && done == 2 && r[1].lsn == 0x4001 &&
	      r[1].data == (uintptr_t)buf + 3 && !memcmp(buf, "abcdef", 6),
	      "read batch: marshalled, two records back");
	fk.err = EAGAIN;
	check(clfs_read_next_log_records(7, buf, sizeof(buf), r, 4, 0,
					 &done) == -EAGAIN && done == 0,
	      "read batch: an error with nothing read");
	fk.err = 0;
}

#ifdef TEST_RING
/*
 * Rings in their fallback (CLFS_RING_NO_URING): each command runs as its
 * ioctl at submission, in the order queued, and completes at once.
 */
static void test_ring(void)
{
	static char five[5][4] = { "a", "bb", "ccc", "dd", "e" };
	struct clfs_append *a = (void *)fk.arg;
	struct clfs_ring_done d[8];
	struct iovec iov[5];
	struct clfs_ring *r;
	unsigned int i;
	int ret;

	for (i = 0; i < 5; i++) {
		iov[i].iov_base = five[i];
		iov[i].iov_len = strlen(five[i]);
	}
	check(clfs_ring_open(1, 0, 0, &r) == -EINVAL &&
	      clfs_ring_open(1, 4, 0x8, &r) == -EINVAL &&
	      clfs_ring_open(1, 4, CLFS_RING_NO_URING, NULL) == -EINVAL,
	      "ring: bad depth, flags, pointer");
	ret = clfs_ring_open(1, 3, CLFS_RING_NO_URING, &r);
	check(!ret && clfs_ring_mode(r) == CLFS_RING_MODE_IOCTL,
	      "ring: fallback mode");
	if (ret)
		return;
	fk.n_calls = 0;
	/* A flush queued after an append runs after it. */
	check(clfs_ring_append(r, iov, 5, 0x11, 0x22, CLFS_FLAG_FORCE_FLUSH,
			       1) == 0 &&
	      clfs_ring_flush(r, CLFS_LSN_INVALID, 2) == 0 &&
	      clfs_ring_flush(r, 0x1001, 3) == 0 &&
	      clfs_ring_flush(r, 0x1001, 4) == -EBUSY && fk.n_calls == 0,
	      "ring: three queued, the fourth is EBUSY, nothing run yet");
	check(clfs_ring_wait(r, d, 8, 1) == -EAGAIN,
	      "ring: waiting for commands not submitted is EAGAIN");
	check(clfs_ring_submit(r) == 3 && fk.n_calls == 3 &&
	      fk.calls[0] == CLFS_IOC_RESERVE_AND_APPEND &&
	      fk.calls[1] == CLFS_IOC_FLUSH_BUFFERS &&
	      fk.calls[2] == CLFS_IOC_FLUSH_TO_LSN,
	      "ring: submitted in the order queued");
	ret = clfs_ring_wait(r, d, 8, 3);
	check(ret == 3 && d[0].tag == 1 && d[0].ret == 0 &&
	      d[0].lsn == 0x2003 && d[0].cmd == CLFS_IOC_RESERVE_AND_APPEND &&
	      d[1].tag == 2 && d[1].lsn == 0x5000 && d[2].tag == 3 &&
	      d[2].lsn == 0x1001 && d[2].ret == 0,
	      "ring: completions with their tags, LSNs and results");
	/* The append's struct as the kernel sees it (the last one run). */
	check(clfs_ring_append(r, iov, 2, 0x11, 0x22, 0, 5) == 0 &&
	      clfs_ring_submit(r) == 1 && a->size == sizeof(*a) &&
	      a->n_iov == 2 && !a->n_rsv && a->undo_next == 0x11 &&
	      a->previous == 0x22 && !a->flags && fk.seen_bytes == 3 &&
	      !memcmp(fk.data, "abb", 3) && fk.zero_reserved,
	      "ring: append marshalled");
	check(clfs_ring_wait(r, d, 8, 0) == 1 && d[0].tag == 5,
	      "ring: a completion taken without waiting");
	fk.err = ENOSPC;
	check(clfs_ring_append(r, iov, 1, 0, 0, 0, 6) == 0 &&
	      clfs_ring_submit(r) == 1 && clfs_ring_wait(r, d, 8, 1) == 1 &&
	      d[0].ret == -ENOSPC && d[0].lsn == CLFS_LSN_INVALID,
	      "ring: an error is the completion's");
	fk.err = 0;
	check(clfs_ring_append(r, iov, 0, 0, 0, 0, 7) == -EINVAL &&
	      clfs_ring_append(r, NULL, 1, 0, 0, 0, 7) == -EINVAL,
	      "ring: an append without a record is EINVAL");
	/* Queued, never submitted: dropped by the close. */
	check(clfs_ring_append(r, iov, 5, 0, 0, 0, 8) == 0, "ring: queued");
	clfs_ring_close(r);
}
#endif

int main(void)
{
	struct clfs_container_add specs[2] = { { 3, 0, 4096 },
					       { CLFS_FD_NONE, 0,
						 CLFS_OFFSET_ANY } };
	struct clfs_container_entry ents[4];
	struct clfs_record_info rec;
	struct clfs_log_info info;
	struct clfs_io_stats st;
	struct clfs_version v;
	struct iovec iov[3];
	static struct iovec many[CLFS_MAX_IOV + 1];
	uint32_t ids[2], sizes[2] = { 100, 200 }, aligned[2], n, total, wr;
	int64_t rsv[2] = { 64, -32 };
	uint64_t lsn, flushed, base = 0x1002, bytes;
	int fds[2] = { 5, 6 }, fd, ctx;
	char buf[32];

	errno = 4321;
	check(clfs_get_version(1, &v) == 0 && v.major == 7 &&
	      fk.cmd == CLFS_IOC_VERSION && v.size == sizeof(v), "version");
	check(errno == 4321, "errno left alone on success");

	fd = clfs_create_log_file(1, 5, "/dev/ignored", 65536, 1 << 20, 4);
	{
		struct clfs_create_log *a = (void *)fk.arg;

		check(fd >= 0 && fk.cmd == CLFS_IOC_CREATE_LOG &&
		      a->size == sizeof(*a) && a->dev_fd == 5 && !a->path &&
		      a->block_size == 65536 && a->container_size == 1 << 20 &&
		      a->n_containers == 4 && fk.zero_reserved,
		      "create: by descriptor, no path");
		close(fd);
		fd = clfs_create_log_file(1, -7, "/dev/vdb", 4096, 1 << 20, 2);
		check(fd >= 0 && a->dev_fd == CLFS_FD_NONE &&
		      !strcmp(u64p(a->path), "/dev/vdb"),
		      "create: by path, dev_fd CLFS_FD_NONE");
		close(fd);
	}
	fd = clfs_open_log_file(1, 5, NULL, fds, 2);
	{
		struct clfs_open_log *a = (void *)fk.arg;

		check(fd >= 0 && fk.cmd == CLFS_IOC_OPEN_LOG &&
		      a->size == sizeof(*a) && a->dev_fd == 5 && !a->path &&
		      a->n_devices == 2 && fk.seen_bytes == 11 &&
		      fk.zero_reserved, "open: devices passed");
		close(fd);
		fd = clfs_open_log_file_flags(1, 5, NULL, NULL, 0,
					      CLFS_OPEN_READ_ONLY);
		check(fd >= 0 && a->flags == CLFS_OPEN_READ_ONLY &&
		      a->dev_fd == 5, "open read-only: the flag passed");
		close(fd);
		fd = clfs_open_log_file(1, -1, "/dev/vdb", NULL, 0);
		check(fd >= 0 && !a->devices && !a->n_devices &&
		      a->dev_fd == CLFS_FD_NONE, "open: by path, no devices");
		close(fd);
	}
	check(clfs_query_log_file_information(1, &info) == 0 &&
	      info.first_lsn == 0x1000 && fk.cmd == CLFS_IOC_QUERY_INFO &&
	      info.size == sizeof(info), "query information");
	check(clfs_query_log_file_information(1, NULL) == -EINVAL,
	      "query information: NULL is EINVAL");
	check(clfs_get_io_statistics(1, &st) == 0 && st.reads == 3 &&
	      fk.cmd == CLFS_IOC_GET_IO_STATS, "I/O statistics");

	check(clfs_add_log_container_set(1, specs, 2, ids) == 0 &&
	      ids[0] == 100 && ids[1] == 101 && fk.zero_reserved &&
	      ((struct clfs_add_containers *)fk.arg)->count == 2,
	      "add container set");
	check(clfs_add_log_container(1, -1, CLFS_OFFSET_ANY, &ids[0]) == 0 &&
	      ids[0] == 100 && ((struct clfs_add_containers *)fk.arg)->count == 1,
	      "add one container");
	check(clfs_remove_log_container(1, 9) == 0 &&
	      ((struct clfs_remove_container *)fk.arg)->physical_id == 9 &&
	      fk.cmd == CLFS_IOC_REMOVE_CONTAINER, "remove container");
	check(clfs_scan_log_containers(1, 0, ents, 4, &n, &total) == 0 &&
	      n == 1 && total == 5 && ents[0].physical_id == 9 &&
	      ((struct clfs_scan_containers *)fk.arg)->count == 4,
	      "scan containers");

	fd = clfs_create_marshalling_area(1, 0, 4);
	check(fd >= 0 && fk.cmd == CLFS_IOC_CREATE_MARSHAL && fk.zero_reserved &&
	      ((struct clfs_create_marshal *)fk.arg)->max_buffers == 4,
	      "create marshalling area");
	check(clfs_delete_marshalling_area(fd) == 0 && !is_open(fd),
	      "delete marshalling area closes it");

	iov[0].iov_base = "abc";
	iov[0].iov_len = 3;
	iov[1].iov_base = "";
	iov[1].iov_len = 0;
	iov[2].iov_base = "defgh";
	iov[2].iov_len = 5;
	check(clfs_reserve_and_append_log(1, iov, 3, CLFS_LSN_INVALID, 0x1000,
					  2, rsv, CLFS_FLAG_FORCE_FLUSH,
					  &lsn) == 0 && lsn == 0x2003 &&
	      fk.seen_bytes == 8 && !strcmp(fk.data, "abcdefgh") &&
	      rsv[0] == 72 && rsv[1] == -40 && fk.zero_reserved &&
	      ((struct clfs_append *)fk.arg)->previous == 0x1000 &&
	      ((struct clfs_append *)fk.arg)->flags == CLFS_FLAG_FORCE_FLUSH,
	      "append: gather list, reservations, flags");
	check(clfs_reserve_and_append_log(1, NULL, 0, CLFS_LSN_INVALID,
					  CLFS_LSN_INVALID, 0, NULL, 0,
					  &lsn) == 0 && lsn == CLFS_LSN_INVALID,
	      "append: no record");
	check(sizeof(void *) == 8 ||
	      clfs_reserve_and_append_log(1, many, CLFS_MAX_IOV + 1,
					  CLFS_LSN_INVALID, CLFS_LSN_INVALID,
					  0, NULL, 0, &lsn) == -EINVAL,
	      "append: too many pieces is EINVAL");

	check(clfs_align_reserved_log(1, 2, sizes, aligned, &bytes) == 0 &&
	      aligned[0] == 140 && aligned[1] == 240 && bytes == 380,
	      "align reserved");
	check(clfs_alloc_reserved_log(1, 2, sizes, 380) == 0 &&
	      fk.cmd == CLFS_IOC_ALLOC_RESERVED && fk.seen_bytes == 380,
	      "alloc reserved");
	check(clfs_free_reserved_log(1, 2, sizes, 380) == 0 &&
	      fk.cmd == CLFS_IOC_FREE_RESERVED && fk.seen_bytes == 380,
	      "free reserved");
	check(clfs_flush_buffers(1, &flushed) == 0 && flushed == 0x5000 &&
	      fk.cmd == CLFS_IOC_FLUSH_BUFFERS && clfs_flush_buffers(1, NULL) == 0,
	      "flush buffers");
	check(clfs_flush_log_to_lsn(1, 0x1001, &flushed) == 0 &&
	      flushed == 0x1001 && fk.cmd == CLFS_IOC_FLUSH_TO_LSN,
	      "flush to LSN");
	check(clfs_write_log_restart_area(1, "ckpt", 4, NULL, 0, &wr, &lsn) == 0 &&
	      wr == 4096 && lsn == 0x3000 && fk.seen_bytes == CLFS_LSN_INVALID &&
	      !strcmp(fk.data, "ckpt") && fk.zero_reserved,
	      "write restart: keep the base");
	check(clfs_write_log_restart_area(1, "ckpt", 4, &base,
					  CLFS_FLAG_USE_RESERVATION, NULL,
					  NULL) == 0 && fk.seen_bytes == 0x1002,
	      "write restart: new base");

	memset(&rec, 0, sizeof(rec));
	ctx = 77;
	errno = 4321;
	check(clfs_read_log_record(1, 0x1000, CLFS_READ_FORWARD, CLFS_TYPE_ANY,
				   buf, 4, &rec, &ctx) == -ERANGE &&
	      rec.length == 11 && ctx == -1 && errno == 4321,
	      "read record: ERANGE reports the length, no context, errno kept");
	check(clfs_read_log_record(1, 0x1000, CLFS_READ_PREVIOUS,
				   CLFS_TYPE_DATA, buf, sizeof(buf), &rec,
				   &ctx) == 0 && is_open(ctx) &&
	      rec.lsn == 0x1000 && rec.previous == 0x1000 &&
	      !memcmp(buf, "hello world", 11) &&
	      ((struct clfs_read *)fk.arg)->mode == CLFS_READ_PREVIOUS &&
	      ((struct clfs_read *)fk.arg)->type_mask == CLFS_TYPE_DATA,
	      "read record");
	check(clfs_read_next_log_record(ctx, buf, 2, &rec) == -ERANGE &&
	      rec.length == 11, "read next: ERANGE reports the length");
	check(clfs_read_next_log_record(ctx, buf, sizeof(buf), &rec) == 0 &&
	      fk.cmd == CLFS_IOC_READ_NEXT && fk.fd == ctx, "read next");
	check(clfs_read_next_log_record(ctx, buf, sizeof(buf), &rec) == 0 &&
	      ((struct clfs_read *)fk.arg)->flags == 0, "read next: no flag");
	check(clfs_read_next_log_record_at(ctx, 0x1234, buf, sizeof(buf),
					   &rec) == 0 &&
	      fk.cmd == CLFS_IOC_READ_NEXT && fk.fd == ctx &&
	      ((struct clfs_read *)fk.arg)->flags == CLFS_READ_AT &&
	      ((struct clfs_read *)fk.arg)->start == 0x1234,
	      "read next at an LSN: CLFS_READ_AT and the LSN in start");
	check(clfs_read_next_log_record_follow(ctx, buf, sizeof(buf), &rec,
					       0) == 0 &&
	      fk.cmd == CLFS_IOC_READ_NEXT &&
	      ((struct clfs_read *)fk.arg)->flags == CLFS_READ_DURABLE &&
	      ((struct clfs_read *)fk.arg)->timeout_ns == 0,
	      "follow without waiting: CLFS_READ_DURABLE");
	check(clfs_read_next_log_record_follow(ctx, buf, sizeof(buf), &rec,
					       -1) == 0 &&
	      ((struct clfs_read *)fk.arg)->flags == CLFS_READ_FOLLOW &&
	      ((struct clfs_read *)fk.arg)->timeout_ns == 0,
	      "follow, waiting without a limit");
	check(clfs_read_next_log_record_follow(ctx, buf, sizeof(buf), &rec,
					       5000) == 0 &&
	      ((struct clfs_read *)fk.arg)->flags == CLFS_READ_FOLLOW &&
	      ((struct clfs_read *)fk.arg)->timeout_ns == 5000,
	      "follow, waiting at most 5000 ns");
	check(clfs_terminate_read_log(ctx) == 0 && !is_open(ctx),
	      "terminate read closes the context");
	check(clfs_read_log_restart_area(1, buf, sizeof(buf), &rec, &ctx) == 0 &&
	      fk.cmd == CLFS_IOC_READ_RESTART && is_open(ctx),
	      "read restart area");
	check(clfs_read_previous_log_restart_area(ctx, buf, sizeof(buf), NULL) == 0 &&
	      fk.cmd == CLFS_IOC_READ_PREVIOUS_RESTART,
	      "read previous restart area");
	clfs_terminate_read_log(ctx);
	fd = new_fd();
	close(fd);	/* the number the unwanted context gets */
	check(clfs_read_log_record(1, 0x1000, CLFS_READ_FORWARD, CLFS_TYPE_ANY,
				   buf, sizeof(buf), NULL, NULL) == 0 &&
	      !is_open(fd), "read record without a context: it is closed");
	fk.err = ENODATA;
	check(clfs_read_log_restart_area(1, buf, sizeof(buf), &rec, &ctx) ==
	      -ENODATA && ctx == -1, "read restart area: ENODATA");
	fk.err = ENOSPC;
	errno = 4321;
	check(clfs_reserve_and_append_log(1, iov, 1, CLFS_LSN_INVALID,
					  CLFS_LSN_INVALID, 0, NULL, 0,
					  &lsn) == -ENOSPC && errno == 4321 &&
	      lsn == CLFS_LSN_INVALID,
	      "append: ENOSPC returned, errno kept, no LSN");
	fk.err = 0;
	fk.flush_err = EIO;
	rsv[0] = 64;
	lsn = 0;
	check(clfs_reserve_and_append_log(1, iov, 1, CLFS_LSN_INVALID,
					  CLFS_LSN_INVALID, 1, rsv,
					  CLFS_FLAG_FORCE_FLUSH, &lsn) == -EIO &&
	      lsn == 0x2003 && rsv[0] == 72,
	      "append: a forced record whose flush failed has its LSN");
	fk.flush_err = 0;

	check(clfs_advance_log_base(1, 0x1001) == 0 &&
	      fk.cmd == CLFS_IOC_ADVANCE_BASE && fk.seen_bytes == 0x1001,
	      "advance base");
	check(clfs_set_log_archive_tail(1, 0x1002) == 0 &&
	      fk.cmd == CLFS_IOC_SET_ARCHIVE_TAIL && fk.seen_bytes == 0x1002,
	      "set archive tail");
	check(clfs_truncate_log(1, 0x1003) == 0 && fk.cmd == CLFS_IOC_TRUNCATE &&
	      fk.seen_bytes == 0x1003 && fk.zero_reserved, "truncate");

	check(!strcmp(clfs_strerror(-ENOSPC), "log is full") &&
	      !strcmp(clfs_strerror(ENOSPC), "log is full") &&
	      !strcmp(clfs_strerror(-EUCLEAN), "corrupt log structure") &&
	      !strcmp(clfs_strerror(-ENODATA), "no restart area") &&
	      !strcmp(clfs_strerror(-ERANGE), "buffer too small for the record") &&
	      !strcmp(clfs_strerror(0), "success") &&
	      clfs_strerror(-99999) && clfs_strerror(-2147483647 - 1),
	      "strerror");
	check(!strcmp(clfs_errno_name(-EBADF), "EBADF") &&
	      !strcmp(clfs_errno_name(-EUCLEAN), "EUCLEAN") &&
	      !strcmp(clfs_errno_name(-99999), "E?") &&
	      !strcmp(clfs_errno_name(-2147483647 - 1), "E?"),
	      "errno names");
	test_streams();
	test_batch();
	test_read_batch();
#ifdef TEST_RING
	test_ring();
#endif
	printf("test-libclfs (%zu-bit): %u passed, %u failed\n",
	       sizeof(void *) * 8, passed, failed);
	return failed ? 1 : 0;
}

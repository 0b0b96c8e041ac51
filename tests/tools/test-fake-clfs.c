// SPDX-License-Identifier: GPL-2.0
/*
 * A fake clfs module in user space, for host tests of clfsctl's ioctl
 * flows (tests/tools/test-clfsctl.sh) where the real module cannot be loaded.
 *
 * Linked into a dynamic build of clfsctl, it replaces open() (only for
 * /dev/clfs) and ioctl() (only for the descriptors it handed out) and
 * answers the ioctls of include/uapi/linux/clfs.h the way their kernel-doc says:
 * argument sizes and reserved fields checked, -ERANGE with the length and
 * the same record again, ENODATA without a restart area, ENOSPC when the
 * log holds CLFS_FAKE_CAPACITY records, ENOENT at the end of a chain, and
 * so on.  The log is a list of records kept in the file named by
 * CLFS_FAKE_STATE between clfsctl runs; LSNs are one block per record.
 * It models what clfsctl relies on, not the engine (no containers'
 * contents, no recycling); the real module is tested by the QEMU lanes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libclfs.h"

enum kind { K_NONE, K_CTL, K_LOG, K_MA, K_CTX };

struct frec {
	uint64_t lsn, undo, prev;
	uint32_t type, len;
	uint8_t *data;
};

static struct {
	uint32_t block_size;
	uint64_t container_size;
	uint32_t n_conts;
	uint32_t phys[CLFS_MAX_CONTAINERS];
	uint64_t offset[CLFS_MAX_CONTAINERS];
	uint32_t next_phys;
	uint64_t base, archive, restart, next_lsn;
	struct frec r[4096];
	size_t n;
	uint64_t reads;
} S;

static struct {
	enum kind kind;
	int mode;
	uint32_t mask;
	size_t idx;		/* the record last delivered */
	int restart;
} fds[1024];

static int real_open(const char *path, int flags, mode_t mode)
{
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}

static int new_fd(enum kind k)
{
	int fd = real_open("/dev/null", O_RDONLY | O_CLOEXEC, 0);

	if (fd >= 0 && fd < 1024) {
		memset(&fds[fd], 0, sizeof(fds[fd]));
		fds[fd].kind = k;
	}
	return fd;
}

static enum kind kind_of(int fd)
{
	if (fd < 0 || fd >= 1024 || fcntl(fd, F_GETFD) < 0)
		return K_NONE;
	return fds[fd].kind;
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;
	int fd;

	va_start(ap, flags);
	if (flags & (O_CREAT | O_TMPFILE))
		mode = va_arg(ap, mode_t);
	va_end(ap);
	if (!strcmp(path, CLFS_CONTROL_PATH))
		return new_fd(K_CTL);
	fd = real_open(path, flags, mode);
	if (fd >= 0 && fd < 1024)
		fds[fd].kind = K_NONE;	/* a number a closed object had */
	return fd;
}

static const char *state_path(void)
{
	const char *p = getenv("CLFS_FAKE_STATE");

	return p ? p : "/tmp/clfs-fake.state";
}

static void save(void)
{
	FILE *f = fopen(state_path(), "w");
	size_t i;
	uint32_t k;

	if (!f)
		abort();
	fprintf(f, "%u %llu %u %u %llu %llu %llu %llu\n", S.block_size,
		(unsigned long long)S.container_size, S.n_conts, S.next_phys,
		(unsigned long long)S.base, (unsigned long long)S.archive,
		(unsigned long long)S.restart, (unsigned long long)S.next_lsn);
	for (i = 0; i < S.n_conts; i++)
		fprintf(f, "%u %llu\n", S.phys[i],
			(unsigned long long)S.offset[i]);
	fprintf(f, "%zu\n", S.n);
	for (i = 0; i < S.n; i++) {
		fprintf(f, "%llu %llu %llu %u %u ",
			(unsigned long long)S.r[i].lsn,
			(unsigned long long)S.r[i].undo,
			(unsigned long long)S.r[i].prev, S.r[i].type,
			S.r[i].len);
		for (k = 0; k < S.r[i].len; k++)
			fprintf(f, "%02x", S.r[i].data[k]);
		fputs(" .\n", f);
	}
	fclose(f);
}

static int load(void)
{
	unsigned long long cs, base, arch, rst, nl, lsn, undo, prev, off;
	FILE *f = fopen(state_path(), "r");
	unsigned int type, len, k, byte;
	size_t i;

	if (!f)
		return -EUCLEAN;
	if (fscanf(f, "%u %llu %u %u %llu %llu %llu %llu", &S.block_size, &cs,
		   &S.n_conts, &S.next_phys, &base, &arch, &rst, &nl) != 8)
		abort();
	S.container_size = cs;
	S.base = base;
	S.archive = arch;
	S.restart = rst;
	S.next_lsn = nl;
	for (i = 0; i < S.n_conts; i++) {
		if (fscanf(f, "%u %llu", &S.phys[i], &off) != 2)
			abort();
		S.offset[i] = off;
	}
	if (fscanf(f, "%zu", &S.n) != 1)
		abort();
	for (i = 0; i < S.n; i++) {
		if (fscanf(f, "%llu %llu %llu %u %u ", &lsn, &undo, &prev,
			   &type, &len) != 5)
			abort();
		S.r[i] = (struct frec){ lsn, undo, prev, type, len,
					malloc(len + 1) };
		for (k = 0; k < len; k++)
			if (fscanf(f, "%2x", &byte) != 1)
				abort();
			else
				S.r[i].data[k] = (uint8_t)byte;
		if (fscanf(f, " .") != 0)
			abort();
	}
	fclose(f);
	return 0;
}

static uint64_t start_lsn(void)
{
	return S.archive < S.base ? S.archive : S.base;
}

static long find(uint64_t lsn)
{
	size_t i;

	for (i = 0; i < S.n; i++)
		if (S.r[i].lsn == lsn)
			return (long)i;
	return -1;
}

static uint64_t capacity(void)
{
	const char *c = getenv("CLFS_FAKE_CAPACITY");

	return c ? strtoull(c, NULL, 0) : 4000;
}

static int add(uint32_t type, const void *data, uint32_t len, uint64_t undo,
	       uint64_t prev, __u64 *lsn)
{
	struct frec *r;

	if (S.n >= capacity() || S.n >= 4096)
		return -ENOSPC;
	r = &S.r[S.n++];
	r->lsn = S.next_lsn;
	S.next_lsn += 0x200;
	r->undo = undo;
	r->prev = prev;
	r->type = type;
	r->len = len;
	r->data = malloc(len + 1);
	memcpy(r->data, data, len);
	*lsn = r->lsn;
	save();
	return 0;
}

/* A record of the active log at @lsn? */
static long active(uint64_t lsn)
{
	long i = find(lsn);

	return i >= 0 && lsn >= start_lsn() ? i : -1;
}

static int deliver(struct clfs_read *a, size_t i)
{
	const struct frec *r = &S.r[i];

	a->length = r->len;
	a->lsn = r->lsn;
	a->undo_next = r->undo;
	a->previous = r->prev;
	a->type = r->type;
	if (r->len > a->buf_len)
		return -ERANGE;
	memcpy((void *)(uintptr_t)a->buf, r->data, r->len);
	S.reads++;
	return 0;
}

static int wanted(uint32_t mask, size_t i)
{
	return !!(mask & CLFS_TYPE_OF(S.r[i].type));
}

/* The context's next record: forward, or along a chain. */
static long next_of(int ctx, int previous_restart)
{
	size_t i = fds[ctx].idx, k;
	uint64_t lsn;
	long j;

	if (previous_restart) {
		for (k = i; k-- > 0;)
			if (S.r[k].type == CLFS_RECORD_RESTART &&
			    S.r[k].lsn >= start_lsn())
				return (long)k;
		return -1;
	}
	for (;;) {
		if (fds[ctx].mode == CLFS_READ_FORWARD) {
			if (++i >= S.n)
				return -1;
		} else {
			lsn = fds[ctx].mode == CLFS_READ_PREVIOUS ?
			      S.r[i].prev : S.r[i].undo;
			if (lsn >= S.r[i].lsn || !lsn)
				return -1;
			j = active(lsn);
			if (j < 0)
				return -1;
			i = (size_t)j;
		}
		if (wanted(fds[ctx].mask, i))
			return (long)i;
	}
}

static int fake(int fd, unsigned long cmd, void *arg)
{
	enum kind k = kind_of(fd);
	uint32_t size = *(uint32_t *)arg;
	unsigned int i;
	long j;
	int ret;

	if (k == K_NONE)
		return -EBADF;
	if (_IOC_TYPE(cmd) != CLFS_IOC_MAGIC || size != _IOC_SIZE(cmd))
		return -EINVAL;
	if (cmd == CLFS_IOC_VERSION) {
		struct clfs_version *v = arg;

		v->major = CLFS_VERSION_MAJOR;
		v->minor = CLFS_VERSION_MINOR;
		v->patch = CLFS_VERSION_PATCH;
		return 0;
	}
	/* Reads open on a log descriptor as on an area (ABI 0.3). */
	if (k == K_LOG && (cmd == CLFS_IOC_READ_RECORD ||
			   cmd == CLFS_IOC_READ_RESTART))
		k = K_MA;
	switch (k) {
	case K_CTL:
		if (cmd == CLFS_IOC_CREATE_LOG) {
			struct clfs_create_log *a = arg;
			int fl = fcntl(a->dev_fd, F_GETFL);

			if (a->flags || a->reserved[0] || a->reserved[1] ||
			    a->path)
				return -EINVAL;
			if (fl < 0 || (fl & O_ACCMODE) != O_RDWR)
				return -EBADF;
			if (a->block_size < 4096 || a->block_size > (1 << 20) ||
			    a->container_size % CLFS_CONTAINER_ALIGN ||
			    !a->container_size || !a->n_containers ||
			    a->n_containers > CLFS_MAX_CONTAINERS)
				return -EINVAL;
			memset(&S, 0, sizeof(S));
			S.block_size = a->block_size;
			S.container_size = a->container_size;
			S.n_conts = a->n_containers;
			for (i = 0; i < S.n_conts; i++) {
				S.phys[i] = i;
				S.offset[i] = CLFS_CONTAINERS_START +
					      i * a->container_size;
			}
			S.next_phys = S.n_conts;
			S.base = CLFS_LSN_NULL;
			S.archive = S.restart = CLFS_LSN_INVALID;
			S.next_lsn = 0x1000;
			save();
			a->log_fd = new_fd(K_LOG);
			return 0;
		}
		if (cmd == CLFS_IOC_OPEN_LOG) {
			struct clfs_open_log *a = arg;
			int fl = fcntl(a->dev_fd, F_GETFL);
			const __s32 *d = (void *)(uintptr_t)a->devices;

			if ((a->flags & ~CLFS_OPEN_READ_ONLY) || a->reserved ||
			    a->path)
				return -EINVAL;
			if (fl < 0 || (fl & O_ACCMODE) == O_WRONLY)
				return -EBADF;
			for (i = 0; i < a->n_devices; i++)
				if (fcntl(d[i], F_GETFL) < 0)
					return -EBADF;
			if (a->n_devices)	/* the fake has one device */
				return -EINVAL;
			ret = load();
			if (ret)
				return ret;
			a->log_fd = new_fd(K_LOG);
			return 0;
		}
		return -ENOTTY;
	case K_LOG:
		switch (cmd) {
		case CLFS_IOC_QUERY_INFO: {
			struct clfs_log_info *a = arg;

			memset(a->uuid, 0xab, 16);
			a->io_unit = 512;
			a->block_size = S.block_size;
			a->n_containers = S.n_conts;
			a->n_writable = S.n_conts;
			a->container_size = S.container_size;
			a->generation = 2;
			a->base_lsn = S.base;
			a->archive_tail = S.archive;
			a->restart_lsn = S.restart;
			a->first_lsn = a->last_lsn = a->flushed_lsn =
				CLFS_LSN_INVALID;
			for (i = 0; i < S.n; i++) {
				if (S.r[i].lsn < start_lsn())
					continue;
				if (a->first_lsn == CLFS_LSN_INVALID)
					a->first_lsn = S.r[i].lsn;
			}
			if (S.n)
				a->last_lsn = a->flushed_lsn = S.r[S.n - 1].lsn;
			a->reads = S.reads;
			a->total_bytes = S.n_conts * (S.container_size - 4096);
			return 0;
		}
		case CLFS_IOC_GET_IO_STATS:
			((struct clfs_io_stats *)arg)->reads = S.reads;
			return 0;
		case CLFS_IOC_SCAN_CONTAINERS: {
			struct clfs_scan_containers *a = arg;
			struct clfs_container_entry *e =
				(void *)(uintptr_t)a->entries;

			if (a->entry_size != sizeof(*e) || a->start > S.n_conts ||
			    a->count > CLFS_MAX_CONTAINERS)
				return -EINVAL;
			a->total = S.n_conts;
			for (i = 0; i < a->count && a->start + i < S.n_conts; i++) {
				memset(&e[i], 0, sizeof(e[i]));
				e[i].physical_id = S.phys[a->start + i];
				e[i].logical_id = a->start + i;
				e[i].state = CLFS_CONT_ACTIVE;
				e[i].dev_major = 7;
				e[i].offset = S.offset[a->start + i];
				e[i].bytes = S.container_size;
			}
			a->returned = i;
			return 0;
		}
		case CLFS_IOC_ADD_CONTAINERS: {
			struct clfs_add_containers *a = arg;
			const struct clfs_container_add *s =
				(void *)(uintptr_t)a->specs;
			uint32_t *ids = (void *)(uintptr_t)a->ids;

			if (a->reserved || !a->count ||
			    a->count > CLFS_MAX_CONTAINERS)
				return -EINVAL;
			if (S.n_conts + a->count > CLFS_MAX_CONTAINERS)
				return -ENOSPC;
			for (i = 0; i < a->count; i++) {
				if (s[i].reserved)
					return -EINVAL;
				if (s[i].dev_fd != CLFS_FD_NONE &&
				    fcntl(s[i].dev_fd, F_GETFL) < 0)
					return -EBADF;
			}
			for (i = 0; i < a->count; i++) {
				S.phys[S.n_conts] = S.next_phys++;
				S.offset[S.n_conts] = s[i].offset;
				if (ids)
					ids[i] = S.phys[S.n_conts];
				S.n_conts++;
			}
			save();
			return 0;
		}
		case CLFS_IOC_REMOVE_CONTAINER: {
			struct clfs_remove_container *a = arg;

			if (a->flags || a->reserved)
				return -EINVAL;
			for (i = 0; i < S.n_conts; i++)
				if (S.phys[i] == a->physical_id)
					break;
			if (i == S.n_conts)
				return -ENOENT;
			memmove(&S.phys[i], &S.phys[i + 1],
				(S.n_conts - i - 1) * sizeof(S.phys[0]));
			memmove(&S.offset[i], &S.offset[i + 1],
				(S.n_conts - i - 1) * sizeof(S.offset[0]));
			S.n_conts--;
			save();
			return 0;
		}
		case CLFS_IOC_CREATE_MARSHAL: {
			struct clfs_create_marshal *a = arg;

			if (a->flags || a->reserved || !a->max_buffers ||
			    a->max_buffers > CLFS_MAX_IN_FLIGHT)
				return -EINVAL;
			a->ma_fd = new_fd(K_MA);
			return 0;
		}
		case CLFS_IOC_SET_ARCHIVE_TAIL: {
			struct clfs_lsn_arg *a = arg;

			if (a->flags || active(a->lsn) < 0)
				return -EINVAL;
			S.archive = a->lsn;
			save();
			return 0;
		}
		}
		return -ENOTTY;
	case K_MA:
		switch (cmd) {
		case CLFS_IOC_RESERVE_AND_APPEND: {
			struct clfs_append *a = arg;
			const struct clfs_iovec *iov = (void *)(uintptr_t)a->iov;
			__s64 *rsv = (void *)(uintptr_t)a->rsv;
			static uint8_t buf[1 << 20];
			uint64_t len = 0;

			if (a->reserved || (a->flags & ~CLFS_FLAG_ALL) ||
			    a->n_iov > CLFS_MAX_IOV ||
			    a->n_rsv > CLFS_MAX_RESERVATIONS)
				return -EINVAL;
			for (i = 0; i < a->n_iov; i++) {
				if (len + iov[i].len > S.block_size - 104)
					return -EMSGSIZE;
				memcpy(buf + len, (void *)(uintptr_t)iov[i].base,
				       iov[i].len);
				len += iov[i].len;
			}
			for (i = 0; i < a->n_rsv; i++) {
				if (!rsv[i])
					return -EINVAL;
				rsv[i] += rsv[i] > 0 ? 40 : -40;
			}
			a->lsn = CLFS_LSN_INVALID;
			if (!a->n_iov)
				return 0;
			return add(CLFS_RECORD_DATA, buf, (uint32_t)len,
				   a->undo_next, a->previous, &a->lsn);
		}
		case CLFS_IOC_APPEND_BATCH: {
			struct clfs_append_batch *a = arg;
			struct clfs_batch_record *r =
				(void *)(uintptr_t)a->records;
			int ret = 0;

			if (a->reserved || a->done || !a->count ||
			    a->count > CLFS_MAX_BATCH ||
			    (a->flags & ~(CLFS_FLAG_FORCE_APPEND |
					  CLFS_FLAG_FORCE_FLUSH)))
				return -EINVAL;
			for (i = 0; i < a->count; i++)
				if (r[i].len > S.block_size - 104)
					return -EMSGSIZE;
			/* The records that fit go in; then a partial count. */
			for (i = 0; i < a->count && !ret; i++) {
				r[i].lsn = CLFS_LSN_INVALID;
				ret = add(r[i].type,
					  (void *)(uintptr_t)r[i].data,
					  r[i].len, r[i].undo_next,
					  r[i].previous, &r[i].lsn);
				if (!ret)
					a->done++;
			}
			return a->done ? 0 : ret;
		}
		case CLFS_IOC_FLUSH_BUFFERS:
		case CLFS_IOC_FLUSH_TO_LSN: {
			struct clfs_flush *a = arg;

			if (a->flags)
				return -EINVAL;
			if (cmd == CLFS_IOC_FLUSH_TO_LSN && find(a->lsn) < 0)
				return -ENOENT;
			a->flushed = S.n ? S.r[S.n - 1].lsn : CLFS_LSN_INVALID;
			return 0;
		}
		case CLFS_IOC_WRITE_RESTART: {
			struct clfs_write_restart *a = arg;

			if (a->reserved || !a->data || !a->length ||
			    (a->flags & ~CLFS_FLAG_USE_RESERVATION))
				return -EINVAL;
			if (a->new_base != CLFS_LSN_INVALID &&
			    (active(a->new_base) < 0 || a->new_base < S.base))
				return -EINVAL;
			ret = add(CLFS_RECORD_RESTART,
				  (void *)(uintptr_t)a->data, a->length,
				  CLFS_LSN_INVALID, S.restart, &a->lsn);
			if (ret)
				return ret;
			S.restart = a->lsn;
			if (a->new_base != CLFS_LSN_INVALID)
				S.base = a->new_base;
			a->written = 4096;
			save();
			return 0;
		}
		case CLFS_IOC_READ_RECORD:
		case CLFS_IOC_READ_RESTART: {
			struct clfs_read *a = arg;
			int c;

			if (a->flags || a->timeout_ns)
				return -EINVAL;
			if (cmd == CLFS_IOC_READ_RESTART) {
				if (S.restart == CLFS_LSN_INVALID)
					return -ENODATA;
				j = active(S.restart);
			} else {
				if (!a->type_mask ||
				    (a->type_mask & ~CLFS_TYPE_ANY) ||
				    a->mode < 1 || a->mode > 3 ||
				    a->start >= CLFS_LSN_INVALID || !a->start)
					return -EINVAL;
				j = active(a->start);
				if (j >= 0 && !wanted(a->type_mask, (size_t)j))
					j = -1;
			}
			if (j < 0)
				return -ENOENT;
			ret = deliver(a, (size_t)j);
			if (ret)
				return ret;
			c = new_fd(K_CTX);
			fds[c].mode = cmd == CLFS_IOC_READ_RESTART ?
				      CLFS_READ_FORWARD : (int)a->mode;
			fds[c].mask = cmd == CLFS_IOC_READ_RESTART ?
				      CLFS_TYPE_ANY : a->type_mask;
			fds[c].idx = (size_t)j;
			fds[c].restart = cmd == CLFS_IOC_READ_RESTART;
			a->ctx_fd = c;
			return 0;
		}
		case CLFS_IOC_ADVANCE_BASE:
		case CLFS_IOC_TRUNCATE: {
			struct clfs_lsn_arg *a = arg;

			if (a->flags)
				return -EINVAL;
			j = active(a->lsn);
			if (cmd == CLFS_IOC_TRUNCATE) {
				if (j < 0 || a->lsn < S.base)
					return -EINVAL;
				S.n = (size_t)j + 1;
				if (S.restart != CLFS_LSN_INVALID &&
				    S.restart > a->lsn)
					S.restart = CLFS_LSN_INVALID;
			} else {
				if (j < 0 || a->lsn < S.base)
					return -EINVAL;
				S.base = a->lsn;
			}
			save();
			return 0;
		}
		}
		return -ENOTTY;
	case K_CTX:
		if (cmd == CLFS_IOC_READ_NEXT ||
		    cmd == CLFS_IOC_READ_PREVIOUS_RESTART) {
			struct clfs_read *a = arg;
			int prev = cmd == CLFS_IOC_READ_PREVIOUS_RESTART;

			if ((a->flags & ~(prev ? 0 : CLFS_READ_DURABLE)) ||
			    a->timeout_ns)
				return -EINVAL;
			if (prev && !fds[fd].restart)
				return -EINVAL;
			j = next_of(fd, prev);
			if (j < 0)
				return -ENOENT;
			ret = deliver(a, (size_t)j);
			if (ret)
				return ret;	/* same record next time */
			a->ctx_fd = CLFS_FD_NONE;
			fds[fd].idx = (size_t)j;
			return 0;
		}
		return -ENOTTY;
	case K_NONE:
		break;
	}
	return -ENOTTY;
}

int ioctl(int fd, unsigned long cmd, ...)
{
	va_list ap;
	void *arg;
	int ret;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (kind_of(fd) == K_NONE)
		return (int)syscall(SYS_ioctl, fd, cmd, arg);
	ret = fake(fd, cmd, arg);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libclfs: thin wrappers over the /dev/clfs ioctls (include/uapi/linux/clfs.h).
 *
 * Design: every wrapper zeroes its argument struct, fills in @size and
 * the caller's values, issues one ioctl through clfs_ioctl() and copies
 * the outputs back.  clfs_ioctl() turns a failure into a negative errno
 * and restores errno, so the library never changes what a caller sees in
 * errno.  Pointers cross the ABI as __u64 through clfs_ptr(), so the same
 * source works for 32-bit callers.  Nothing here allocates, except the
 * conversion of a struct iovec array on ABIs where it is not laid out like
 * struct clfs_iovec.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libclfs.h"

static __u64 clfs_ptr(const void *p)
{
	return (__u64)(uintptr_t)p;
}

/* One ioctl: its result (>= 0) or -errno; errno is left as it was. */
static int clfs_ioctl(int fd, unsigned long cmd, void *arg)
{
	int saved = errno;
	int ret = ioctl(fd, cmd, arg);

	if (ret < 0)
		ret = -errno;
	errno = saved;
	return ret;
}

/* close(2) as a libclfs call. */
static int clfs_close_fd(int fd)
{
	int saved = errno;
	int ret = close(fd) < 0 ? -errno : 0;

	errno = saved;
	return ret;
}

int clfs_open_control(void)
{
	int saved = errno;
	int fd = open(CLFS_CONTROL_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		fd = -errno;
	errno = saved;
	return fd;
}

void clfs_close(int fd)
{
	if (fd >= 0)
		clfs_close_fd(fd);
}

int clfs_get_version(int fd, struct clfs_version *v)
{
	if (!v)
		return -EINVAL;
	memset(v, 0, sizeof(*v));
	v->size = sizeof(*v);
	return clfs_ioctl(fd, CLFS_IOC_VERSION, v);
}

int clfs_create_log_file(int ctl, int dev_fd, const char *path,
			 uint32_t block_size, uint64_t container_size,
			 uint32_t n_containers)
{
	return clfs_create_log_file_flags(ctl, dev_fd, path, block_size,
					  container_size, n_containers, 0);
}

int clfs_create_log_file_flags(int ctl, int dev_fd, const char *path,
			       uint32_t block_size, uint64_t container_size,
			       uint32_t n_containers, uint32_t flags)
{
	struct clfs_create_log a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.flags = flags;
	a.dev_fd = dev_fd < 0 ? CLFS_FD_NONE : dev_fd;
	a.path = dev_fd < 0 ? clfs_ptr(path) : 0;
	a.block_size = block_size;
	a.container_size = container_size;
	a.n_containers = n_containers;
	a.log_fd = CLFS_FD_NONE;
	ret = clfs_ioctl(ctl, CLFS_IOC_CREATE_LOG, &a);
	return ret < 0 ? ret : a.log_fd;
}

int clfs_open_log_file(int ctl, int dev_fd, const char *path,
		       const int *dev_fds, unsigned int n_devs)
{
	return clfs_open_log_file_flags(ctl, dev_fd, path, dev_fds, n_devs, 0);
}

int clfs_open_log_file_flags(int ctl, int dev_fd, const char *path,
			     const int *dev_fds, unsigned int n_devs,
			     uint32_t flags)
{
	struct clfs_open_log a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.flags = flags;
	a.dev_fd = dev_fd < 0 ? CLFS_FD_NONE : dev_fd;
	a.path = dev_fd < 0 ? clfs_ptr(path) : 0;
	a.n_devices = n_devs;
	a.devices = n_devs ? clfs_ptr(dev_fds) : 0;
	a.log_fd = CLFS_FD_NONE;
	ret = clfs_ioctl(ctl, CLFS_IOC_OPEN_LOG, &a);
	return ret < 0 ? ret : a.log_fd;
}

int clfs_close_log_file(int log_fd)
{
	return clfs_close_fd(log_fd);
}

/* A stream ioctl's argument, or -EINVAL for a name that cannot fit. */
static int clfs_stream_arg(struct clfs_stream_arg *a, const char *name,
			   uint32_t flags)
{
	size_t n;

	if (!name)
		return -EINVAL;
	n = strnlen(name, sizeof(a->name));
	if (n >= sizeof(a->name))
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->flags = flags;
	memcpy(a->name, name, n);
	a->stream_fd = CLFS_FD_NONE;
	return 0;
}

int clfs_create_log_stream(int log_fd, const char *name, uint32_t *id)
{
	struct clfs_stream_arg a;
	int ret = clfs_stream_arg(&a, name, 0);

	if (!ret)
		ret = clfs_ioctl(log_fd, CLFS_IOC_STREAM_CREATE, &a);
	if (!ret && id)
		*id = a.id;
	return ret;
}

int clfs_delete_log_stream(int log_fd, const char *name)
{
	struct clfs_stream_arg a;
	int ret = clfs_stream_arg(&a, name, 0);

	return ret ? ret : clfs_ioctl(log_fd, CLFS_IOC_STREAM_DELETE, &a);
}

int clfs_list_log_streams(int log_fd, struct clfs_stream_entry *entries,
			  uint32_t count, uint32_t *total)
{
	struct clfs_stream_list a;
	int ret;

	if (!total || (count && !entries))
		return -EINVAL;
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.count = count;
	a.entries = clfs_ptr(entries);
	a.entry_size = sizeof(*entries);
	ret = clfs_ioctl(log_fd, CLFS_IOC_STREAM_LIST, &a);
	if (!ret)
		*total = a.total;
	return ret;
}

int clfs_open_log_stream(int log_fd, const char *name, uint32_t flags)
{
	struct clfs_stream_arg a;
	int ret = clfs_stream_arg(&a, name, flags);

	if (!ret)
		ret = clfs_ioctl(log_fd, CLFS_IOC_OPEN_STREAM, &a);
	return ret < 0 ? ret : a.stream_fd;
}

int clfs_split_log_name(const char *name, char *dev, size_t dev_len,
			char stream[CLFS_STREAM_NAME_SIZE])
{
	const char *sep;
	size_t n;

	if (!name || !dev || !dev_len || !stream)
		return -EINVAL;
	sep = strstr(name, "::");
	n = sep ? (size_t)(sep - name) : strlen(name);
	if (!n || n >= dev_len)
		return -EINVAL;
	memcpy(dev, name, n);
	dev[n] = '\0';
	memset(stream, 0, CLFS_STREAM_NAME_SIZE);
	if (!sep)
		return 0;
	sep += 2;
	n = strlen(sep);
	if (!n || n >= CLFS_STREAM_NAME_SIZE)
		return -EINVAL;
	memcpy(stream, sep, n);
	return 1;
}

int clfs_query_log_file_information(int log_fd, struct clfs_log_info *info)
{
	if (!info)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return clfs_ioctl(log_fd, CLFS_IOC_QUERY_INFO, info);
}

int clfs_get_io_statistics(int log_fd, struct clfs_io_stats *st)
{
	if (!st)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return clfs_ioctl(log_fd, CLFS_IOC_GET_IO_STATS, st);
}

int clfs_add_log_container_set(int log_fd,
			       const struct clfs_container_add *specs,
			       unsigned int n, uint32_t *physical_ids)
{
	struct clfs_add_containers a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.count = n;
	a.specs = clfs_ptr(specs);
	a.ids = clfs_ptr(physical_ids);
	return clfs_ioctl(log_fd, CLFS_IOC_ADD_CONTAINERS, &a);
}

int clfs_add_log_container(int log_fd, int dev_fd, uint64_t offset,
			   uint32_t *physical_id)
{
	struct clfs_container_add spec;

	memset(&spec, 0, sizeof(spec));
	spec.dev_fd = dev_fd < 0 ? CLFS_FD_NONE : dev_fd;
	spec.offset = offset;
	return clfs_add_log_container_set(log_fd, &spec, 1, physical_id);
}

int clfs_remove_log_container(int log_fd, uint32_t physical_id)
{
	struct clfs_remove_container a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.physical_id = physical_id;
	return clfs_ioctl(log_fd, CLFS_IOC_REMOVE_CONTAINER, &a);
}

int clfs_scan_log_containers(int log_fd, uint32_t start,
			     struct clfs_container_entry *entries, uint32_t n,
			     uint32_t *returned, uint32_t *total)
{
	struct clfs_scan_containers a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.start = start;
	a.count = n;
	a.entry_size = sizeof(*entries);
	a.entries = clfs_ptr(entries);
	ret = clfs_ioctl(log_fd, CLFS_IOC_SCAN_CONTAINERS, &a);
	if (ret < 0)
		return ret;
	if (returned)
		*returned = a.returned;
	if (total)
		*total = a.total;
	return 0;
}

int clfs_create_marshalling_area(int log_fd, uint32_t buffer_size,
				 uint32_t max_buffers)
{
	struct clfs_create_marshal a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.buffer_size = buffer_size;
	a.max_buffers = max_buffers;
	a.ma_fd = CLFS_FD_NONE;
	ret = clfs_ioctl(log_fd, CLFS_IOC_CREATE_MARSHAL, &a);
	return ret < 0 ? ret : a.ma_fd;
}

int clfs_delete_marshalling_area(int ma_fd)
{
	return clfs_close_fd(ma_fd);
}

/* Is struct iovec laid out exactly like struct clfs_iovec on this ABI? */
#define CLFS_IOVEC_SAME_LAYOUT \
	(sizeof(struct iovec) == sizeof(struct clfs_iovec) && \
	 sizeof(void *) == sizeof(__u64) && sizeof(size_t) == sizeof(__u64) && \
	 offsetof(struct iovec, iov_base) == offsetof(struct clfs_iovec, base) && \
	 offsetof(struct iovec, iov_len) == offsetof(struct clfs_iovec, len))

int clfs_reserve_and_append_log(int ma_fd, const struct iovec *iov,
				unsigned int n_iov, uint64_t undo_next,
				uint64_t previous, unsigned int n_rsv,
				int64_t *rsv, uint32_t flags, uint64_t *lsn)
{
	struct clfs_iovec small[8], *civ = NULL;
	struct clfs_append a;
	unsigned int i;
	int ret;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.flags = flags;
	a.n_iov = n_iov;
	a.n_rsv = n_rsv;
	a.rsv = clfs_ptr(rsv);
	a.undo_next = undo_next;
	a.previous = previous;
	a.lsn = CLFS_LSN_INVALID;
	if (lsn)
		*lsn = CLFS_LSN_INVALID;
	if (CLFS_IOVEC_SAME_LAYOUT || !n_iov) {
		a.iov = clfs_ptr(iov);
	} else {
		if (n_iov > CLFS_MAX_IOV)
			return -EINVAL;
		if (!iov)
			return -EFAULT;
		civ = small;
		if (n_iov > sizeof(small) / sizeof(small[0])) {
			civ = calloc(n_iov, sizeof(*civ));
			if (!civ)
				return -ENOMEM;
		}
		for (i = 0; i < n_iov; i++) {
			civ[i].base = clfs_ptr(iov[i].iov_base);
			civ[i].len = iov[i].iov_len;
		}
		a.iov = clfs_ptr(civ);
	}
	ret = clfs_ioctl(ma_fd, CLFS_IOC_RESERVE_AND_APPEND, &a);
	if (civ && civ != small)
		free(civ);
	/* Also on an error: a forced record whose flush failed has one. */
	if (lsn)
		*lsn = a.lsn;
	return ret < 0 ? ret : 0;
}

int clfs_append_log_batch(int ma_fd, struct clfs_batch_record *recs,
			  unsigned int count, uint32_t flags,
			  unsigned int *done)
{
	struct clfs_append_batch a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.flags = flags;
	a.records = clfs_ptr(recs);
	a.count = count;
	ret = clfs_ioctl(ma_fd, CLFS_IOC_APPEND_BATCH, &a);
	if (done)
		*done = a.done;
	return ret < 0 ? ret : 0;
}

static int clfs_reserved(int ma_fd, unsigned long cmd, unsigned int n,
			 const uint32_t *sizes, uint32_t *aligned,
			 uint64_t *bytes)
{
	struct clfs_reserved a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.count = n;
	a.sizes = clfs_ptr(sizes);
	a.aligned = clfs_ptr(aligned);
	a.bytes = cmd == CLFS_IOC_ALIGN_RESERVED ? 0 : *bytes;
	ret = clfs_ioctl(ma_fd, cmd, &a);
	if (ret < 0)
		return ret;
	if (cmd == CLFS_IOC_ALIGN_RESERVED && bytes)
		*bytes = a.bytes;
	return 0;
}

int clfs_align_reserved_log(int ma_fd, unsigned int n, const uint32_t *sizes,
			    uint32_t *aligned, uint64_t *total)
{
	return clfs_reserved(ma_fd, CLFS_IOC_ALIGN_RESERVED, n, sizes, aligned,
			     total);
}

int clfs_alloc_reserved_log(int ma_fd, unsigned int n, const uint32_t *sizes,
			    uint64_t bytes)
{
	return clfs_reserved(ma_fd, CLFS_IOC_ALLOC_RESERVED, n, sizes, NULL,
			     &bytes);
}

int clfs_free_reserved_log(int ma_fd, unsigned int n, const uint32_t *sizes,
			   uint64_t bytes)
{
	return clfs_reserved(ma_fd, CLFS_IOC_FREE_RESERVED, n, sizes, NULL,
			     &bytes);
}

static int clfs_flush(int ma_fd, unsigned long cmd, uint64_t lsn,
		      uint64_t *flushed)
{
	struct clfs_flush a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.lsn = lsn;
	ret = clfs_ioctl(ma_fd, cmd, &a);
	if (ret < 0)
		return ret;
	if (flushed)
		*flushed = a.flushed;
	return 0;
}

int clfs_flush_buffers(int ma_fd, uint64_t *flushed)
{
	return clfs_flush(ma_fd, CLFS_IOC_FLUSH_BUFFERS, 0, flushed);
}

int clfs_flush_log_to_lsn(int ma_fd, uint64_t lsn, uint64_t *flushed)
{
	return clfs_flush(ma_fd, CLFS_IOC_FLUSH_TO_LSN, lsn, flushed);
}

int clfs_write_log_restart_area(int ma_fd, const void *data, uint32_t len,
				const uint64_t *new_base, uint32_t flags,
				uint32_t *written, uint64_t *lsn)
{
	struct clfs_write_restart a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.flags = flags;
	a.data = clfs_ptr(data);
	a.length = len;
	a.new_base = new_base ? *new_base : CLFS_LSN_INVALID;
	ret = clfs_ioctl(ma_fd, CLFS_IOC_WRITE_RESTART, &a);
	if (ret < 0)
		return ret;
	if (written)
		*written = a.written;
	if (lsn)
		*lsn = a.lsn;
	return 0;
}

/*
 * The four reads share struct clfs_read.  On success or -ERANGE the record
 * header is copied out (on -ERANGE only @length is meaningful); a new
 * context is handed over, or closed when the caller does not want it.
 */
static int clfs_read(int fd, unsigned long cmd, uint32_t flags, uint64_t start,
		     uint32_t mode, uint32_t type_mask, void *buf,
		     uint32_t buf_len, struct clfs_record_info *rec, int *ctx_fd,
		     uint64_t timeout_ns)
{
	struct clfs_read a;
	int ret;

	if (ctx_fd)
		*ctx_fd = -1;
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.flags = flags;
	a.start = start;
	a.mode = mode;
	a.type_mask = type_mask;
	a.buf = clfs_ptr(buf);
	a.buf_len = buf_len;
	a.ctx_fd = CLFS_FD_NONE;
	a.timeout_ns = timeout_ns;
	ret = clfs_ioctl(fd, cmd, &a);
	if (ret < 0 && ret != -ERANGE)
		return ret;
	if (rec) {
		rec->lsn = a.lsn;
		rec->undo_next = a.undo_next;
		rec->previous = a.previous;
		rec->type = a.type;
		rec->length = a.length;
	}
	if (ret < 0)
		return ret;
	if (cmd == CLFS_IOC_READ_RECORD || cmd == CLFS_IOC_READ_RESTART) {
		if (ctx_fd)
			*ctx_fd = a.ctx_fd;
		else
			clfs_close(a.ctx_fd);
	}
	return 0;
}

int clfs_read_log_restart_area(int ma_fd, void *buf, uint32_t buf_len,
			       struct clfs_record_info *rec, int *ctx_fd)
{
	return clfs_read(ma_fd, CLFS_IOC_READ_RESTART, 0, 0, 0, 0, buf, buf_len,
			 rec, ctx_fd, 0);
}

int clfs_read_previous_log_restart_area(int ctx_fd, void *buf,
					uint32_t buf_len,
					struct clfs_record_info *rec)
{
	return clfs_read(ctx_fd, CLFS_IOC_READ_PREVIOUS_RESTART, 0, 0, 0, 0, buf,
			 buf_len, rec, NULL, 0);
}

int clfs_read_log_record(int ma_fd, uint64_t lsn, uint32_t mode,
			 uint32_t type_mask, void *buf, uint32_t buf_len,
			 struct clfs_record_info *rec, int *ctx_fd)
{
	return clfs_read(ma_fd, CLFS_IOC_READ_RECORD, 0, lsn, mode, type_mask, buf,
			 buf_len, rec, ctx_fd, 0);
}

int clfs_read_next_log_record(int ctx_fd, void *buf, uint32_t buf_len,
			      struct clfs_record_info *rec)
{
	return clfs_read(ctx_fd, CLFS_IOC_READ_NEXT, 0, 0, 0, 0, buf, buf_len, rec,
			 NULL, 0);
}

int clfs_read_next_log_record_at(int ctx_fd, uint64_t lsn, void *buf,
				 uint32_t buf_len, struct clfs_record_info *rec)
{
	return clfs_read(ctx_fd, CLFS_IOC_READ_NEXT, CLFS_READ_AT, lsn, 0, 0, buf,
			 buf_len, rec, NULL, 0);
}

int clfs_read_next_log_records(int ctx_fd, void *buf, uint32_t buf_len,
			       struct clfs_batch_record *recs,
			       unsigned int count, uint32_t flags,
			       unsigned int *done)
{
	struct clfs_read_batch a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.flags = flags;
	a.buf = clfs_ptr(buf);
	a.buf_len = buf_len;
	a.count = count;
	a.records = clfs_ptr(recs);
	ret = clfs_ioctl(ctx_fd, CLFS_IOC_READ_NEXT_BATCH, &a);
	if (done)
		*done = ret < 0 ? 0 : a.done;
	return ret < 0 ? ret : 0;
}

int clfs_read_next_log_record_follow(int ctx_fd, void *buf, uint32_t buf_len,
				     struct clfs_record_info *rec,
				     int64_t timeout_ns)
{
	uint32_t flags = CLFS_READ_DURABLE;

	if (timeout_ns)
		flags |= CLFS_READ_WAIT;
	return clfs_read(ctx_fd, CLFS_IOC_READ_NEXT, flags, 0, 0, 0, buf,
			 buf_len, rec, NULL,
			 timeout_ns > 0 ? (uint64_t)timeout_ns : 0);
}

int clfs_terminate_read_log(int ctx_fd)
{
	return clfs_close_fd(ctx_fd);
}

static int clfs_lsn_ioctl(int fd, unsigned long cmd, uint64_t lsn)
{
	struct clfs_lsn_arg a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.lsn = lsn;
	return clfs_ioctl(fd, cmd, &a);
}

int clfs_advance_log_base(int ma_fd, uint64_t lsn)
{
	return clfs_lsn_ioctl(ma_fd, CLFS_IOC_ADVANCE_BASE, lsn);
}

int clfs_set_log_archive_tail(int log_fd, uint64_t lsn)
{
	return clfs_lsn_ioctl(log_fd, CLFS_IOC_SET_ARCHIVE_TAIL, lsn);
}

int clfs_truncate_log(int ma_fd, uint64_t lsn)
{
	return clfs_lsn_ioctl(ma_fd, CLFS_IOC_TRUNCATE, lsn);
}

/* Errnos with a meaning of their own in clfs, and their names. */
static const struct {
	int err;
	const char *name;
	const char *text;	/* NULL: strerror()'s */
} clfs_errnos[] = {
	{ EPERM, "EPERM", NULL },
	{ ENOENT, "ENOENT", "not found" },
	{ ESRCH, "ESRCH", NULL },
	{ EINTR, "EINTR", NULL },
	{ EIO, "EIO", "I/O error" },
	{ ENXIO, "ENXIO", NULL },
	{ E2BIG, "E2BIG", "argument has fields the module does not know" },
	{ EBADF, "EBADF", "bad descriptor (not open, or not open for writing)" },
	{ EAGAIN, "EAGAIN", NULL },
	{ ENOMEM, "ENOMEM", NULL },
	{ EACCES, "EACCES", NULL },
	{ EFAULT, "EFAULT", NULL },
	{ ENOTBLK, "ENOTBLK", "not a block device" },
	{ EBUSY, "EBUSY", "busy (in use)" },
	{ EEXIST, "EEXIST", NULL },
	{ EXDEV, "EXDEV", NULL },
	{ ENODEV, "ENODEV", "a device holding containers was not given" },
	{ ENOTDIR, "ENOTDIR", NULL },
	{ EISDIR, "EISDIR", NULL },
	{ EINVAL, "EINVAL", NULL },
	{ ENFILE, "ENFILE", NULL },
	{ EMFILE, "EMFILE", NULL },
	{ ENOTTY, "ENOTTY", "wrong kind of clfs descriptor" },
	{ EFBIG, "EFBIG", NULL },
	{ ENOSPC, "ENOSPC", "log is full" },
	{ ESPIPE, "ESPIPE", NULL },
	{ EROFS, "EROFS", NULL },
	{ EPIPE, "EPIPE", NULL },
	{ ERANGE, "ERANGE", "buffer too small for the record" },
	{ EDEADLK, "EDEADLK", NULL },
	{ ENAMETOOLONG, "ENAMETOOLONG", NULL },
	{ ENOSYS, "ENOSYS", NULL },
	{ ELOOP, "ELOOP", NULL },
	{ ENODATA, "ENODATA", "no restart area" },
	{ EOVERFLOW, "EOVERFLOW", NULL },
	{ EMSGSIZE, "EMSGSIZE", "record too large for a write buffer" },
	{ EOPNOTSUPP, "EOPNOTSUPP", NULL },
	{ ETIMEDOUT, "ETIMEDOUT", NULL },
	{ ECANCELED, "ECANCELED", NULL },
	{ EUCLEAN, "EUCLEAN", "corrupt log structure" },
	{ EREMOTEIO, "EREMOTEIO", NULL },
};

/* |err|, without overflow for INT_MIN (which is no errno). */
static int clfs_errno_abs(int err)
{
	if (err == INT_MIN)
		return INT_MAX;
	return err < 0 ? -err : err;
}

static int clfs_errno_index(int err)
{
	unsigned int i;

	err = clfs_errno_abs(err);
	for (i = 0; i < sizeof(clfs_errnos) / sizeof(clfs_errnos[0]); i++)
		if (clfs_errnos[i].err == err)
			return (int)i;
	return -1;
}

const char *clfs_strerror(int err)
{
	int i = clfs_errno_index(err);

	if (err == 0)
		return "success";
	if (i >= 0 && clfs_errnos[i].text)
		return clfs_errnos[i].text;
	return strerror(clfs_errno_abs(err));
}

const char *clfs_errno_name(int err)
{
	int i = clfs_errno_index(err);

	return i >= 0 ? clfs_errnos[i].name : "E?";
}

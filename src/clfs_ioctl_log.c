// SPDX-License-Identifier: GPL-2.0
/*
 * clfs log and stream descriptors: the ioctls on a log or a stream of one
 * (query, I/O statistics, containers, streams, marshalling area creation,
 * archive tail, reads), and closing them.
 *
 * The file's private_data is a struct clfs_ulog: the log, and the stream
 * its calls use (a dedicated log's own; for a multiplexed log, the stream
 * OPEN_STREAM opened, or none on the log's own handle).  Release closes
 * the handle: a log handle drops one opener (clfs_log_close(): every
 * OPEN_LOG of a log that is open already shares it), a stream handle
 * closes its stream and drops the log handle it holds.  That happens only
 * when no ioctl runs on the file and no marshalling area, read context or
 * stream descriptor holds it (see clfs_uapi.h).  A read-only handle is an
 * O_RDONLY file: it queries, scans, lists and reads; the rest is -EBADF
 * (clfs_file_writable()).
 */
#include <linux/compat.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/clfs.h>

#include "clfs_internal.h"
#include "clfs_uapi.h"

static long clfs_ioc_query(struct clfs_ulog *ul, void __user *uarg)
{
	struct clfs_log_info info;
	int ret = clfs_arg_size(uarg, sizeof(info));

	if (ret < 0)
		return ret;
	ret = ul->st ? clfs_stream_query(ul->st, &info) :
		       clfs_log_query(ul->log, &info);
	return ret ? ret : clfs_arg_out(uarg, &info, sizeof(info));
}

static long clfs_ioc_io_stats(struct clfs_log *log, void __user *uarg)
{
	struct clfs_log_info info;
	struct clfs_io_stats st = {};
	int ret = clfs_arg_size(uarg, sizeof(st));

	if (ret < 0)
		return ret;
	ret = clfs_log_query(log, &info);
	if (ret)
		return ret;
	st.appends = info.appends;
	st.append_bytes = info.append_bytes;
	st.blocks_written = info.blocks_written;
	st.block_bytes = info.block_bytes;
	st.flushes = info.flushes;
	st.flush_writes = info.flush_writes;
	st.cache_flushes = info.cache_flushes;
	st.meta_writes = info.meta_writes;
	st.meta_bytes = info.meta_bytes;
	st.dev_writes = info.dev_writes;
	st.reads = info.reads;
	return clfs_arg_out(uarg, &st, sizeof(st));
}

static long clfs_ioc_add_containers(struct clfs_log *log, void __user *uarg)
{
	struct clfs_add_containers a;
	struct clfs_container_add *ua;
	struct clfs_container_spec *specs;
	u32 *ids;
	u32 i;
	int ret;

	ret = clfs_arg_in(&a, sizeof(a), uarg);
	if (ret)
		return ret;
	if (a.reserved || !a.count || a.count > CLFS_MAX_CONTAINERS)
		return -EINVAL;
	ua = vmemdup_user(u64_to_user_ptr(a.specs),
			  array_size(a.count, sizeof(*ua)));
	if (IS_ERR(ua))
		return PTR_ERR(ua);
	specs = kvcalloc(a.count, sizeof(*specs), CLFS_GFP);
	ids = kvcalloc(a.count, sizeof(*ids), CLFS_GFP);
	if (!specs || !ids) {
		ret = -ENOMEM;
		goto out_free;
	}
	for (i = 0; i < a.count; i++) {
		if (ua[i].reserved) {
			ret = -EINVAL;
			goto out_free;
		}
		specs[i].dev_offset = ua[i].offset;
		if (ua[i].dev_fd == CLFS_FD_NONE)
			continue;
		ret = clfs_fd_devt(ua[i].dev_fd, &specs[i].devt);
		if (ret)
			goto out_free;
	}
	ret = clfs_container_add_set(log, specs, a.count, ids);
	if (!ret && a.ids &&
	    copy_to_user(u64_to_user_ptr(a.ids), ids,
			 array_size(a.count, sizeof(*ids))))
		ret = -EFAULT;
out_free:
	kvfree(ids);
	kvfree(specs);
	kvfree(ua);
	return ret;
}

static long clfs_ioc_remove_container(struct clfs_log *log,
				      void __user *uarg)
{
	struct clfs_remove_container a;
	int ret = clfs_arg_in(&a, sizeof(a), uarg);

	if (ret)
		return ret;
	if (a.flags || a.reserved)
		return -EINVAL;
	return clfs_container_remove(log, a.physical_id);
}

static long clfs_ioc_scan_containers(struct clfs_log *log, void __user *uarg)
{
	struct clfs_scan_containers a;
	struct clfs_container_entry *e;
	int ret = clfs_arg_in(&a, sizeof(a), uarg);

	if (ret)
		return ret;
	if (a.entry_size != sizeof(*e) || a.count > CLFS_MAX_CONTAINERS ||
	    (a.count && !a.entries))
		return -EINVAL;
	e = kvcalloc(a.count ?: 1, sizeof(*e), CLFS_GFP);
	if (!e)
		return -ENOMEM;
	ret = clfs_container_scan(log, a.start, a.count, e, &a.returned,
				  &a.total);
	if (!ret && a.returned &&
	    copy_to_user(u64_to_user_ptr(a.entries), e,
			 array_size(a.returned, sizeof(*e))))
		ret = -EFAULT;
	kvfree(e);
	return ret ? ret : clfs_arg_out(uarg, &a, sizeof(a));
}

static long clfs_ioc_create_marshal(struct file *file, void __user *uarg)
{
	struct clfs_ulog *ul = file->private_data;
	struct clfs_create_marshal a;
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_newfd nf;
	int ret;

	ret = clfs_arg_in(&a, sizeof(a), uarg);
	if (ret)
		return ret;
	if (a.flags || a.reserved)
		return -EINVAL;
	if (!a.buffer_size) {
		ret = clfs_log_query(ul->log, &info);
		if (ret)
			return ret;
		a.buffer_size = info.block_size;
	}
	ret = clfs_stream_marshal_create(ul->st, a.buffer_size, a.max_buffers,
					 &ma);
	if (ret)
		return ret;
	ret = clfs_ma_fd_new(file, ma, &nf);
	if (ret)
		return ret;
	return clfs_newfd_publish(&nf, &a.ma_fd, uarg, &a, sizeof(a));
}

static long clfs_ioc_set_archive_tail(struct clfs_stream *st,
				      void __user *uarg)
{
	u64 lsn;
	int ret = clfs_lsn_arg_in(uarg, &lsn);

	return ret ? ret : clfs_stream_set_archive_tail(st, lsn);
}

/* STREAM_CREATE and STREAM_DELETE. */
static long clfs_ioc_stream(struct clfs_log *log, unsigned int cmd,
			    void __user *uarg)
{
	struct clfs_stream_arg a;
	int ret = clfs_arg_in(&a, sizeof(a), uarg);

	if (ret)
		return ret;
	if (a.flags || a.reserved)
		return -EINVAL;
	if (CLFS_IOC_NR(cmd) == CLFS_IOC_NR(CLFS_IOC_STREAM_DELETE))
		return clfs_stream_delete(log, a.name);
	ret = clfs_stream_create(log, a.name, &a.id);
	return ret ? ret : clfs_arg_out(uarg, &a, sizeof(a));
}

static long clfs_ioc_stream_list(struct clfs_log *log, void __user *uarg)
{
	struct clfs_stream_entry *e;
	struct clfs_stream_list a;
	int ret = clfs_arg_in(&a, sizeof(a), uarg);

	if (ret)
		return ret;
	if (a.entry_size != sizeof(*e) || a.count > CLFS_MAX_STREAMS ||
	    (a.count && !a.entries))
		return -EINVAL;
	e = kvcalloc(a.count ?: 1, sizeof(*e), CLFS_GFP);
	if (!e)
		return -ENOMEM;
	ret = clfs_stream_list(log, e, a.count, &a.total);
	if (!ret && a.count &&
	    copy_to_user(u64_to_user_ptr(a.entries), e,
			 array_size(min(a.count, a.total), sizeof(*e))))
		ret = -EFAULT;
	kvfree(e);
	return ret ? ret : clfs_arg_out(uarg, &a, sizeof(a));
}

static const struct file_operations clfs_log_fops;

/* A new descriptor for @ul, freeing it (and what it holds) on failure. */
static int clfs_ulog_fd_new(struct clfs_ulog *ul, bool writable,
			    struct clfs_newfd *nf)
{
	int ret = clfs_newfd_prepare(nf, ul->log_file ? "[clfs-stream]" :
					 "[clfs-log]", &clfs_log_fops, ul,
				     writable ? O_RDWR : O_RDONLY);

	if (!ret)
		return 0;
	if (ul->log_file) {
		clfs_stream_close(ul->st);
		fput(ul->log_file);
	} else {
		clfs_log_close(ul->log);
	}
	kfree(ul);
	return ret;
}

/*
 * OPEN_STREAM: a stream handle, holding the log handle @file (or the one
 * a stream handle @file holds), read-only when @file is.
 */
static long clfs_ioc_open_stream(struct file *file, void __user *uarg)
{
	struct clfs_ulog *ul = file->private_data, *su;
	struct file *log_file = ul->log_file ?: file;
	struct clfs_log_info info;
	struct clfs_stream_arg a;
	struct clfs_stream *st;
	struct clfs_newfd nf;
	bool writable;
	int ret;

	ret = clfs_arg_in(&a, sizeof(a), uarg);
	if (ret)
		return ret;
	if ((a.flags & ~CLFS_OPEN_READ_ONLY) || a.reserved)
		return -EINVAL;
	writable = !clfs_file_writable(file) &&
		   !(a.flags & CLFS_OPEN_READ_ONLY);
	su = kzalloc(sizeof(*su), CLFS_GFP);
	if (!su)
		return -ENOMEM;
	ret = clfs_stream_open(ul->log, a.name, &st);
	if (ret) {
		kfree(su);
		return ret;
	}
	su->log = ul->log;
	su->st = st;
	su->log_file = get_file(log_file);
	ret = clfs_ulog_fd_new(su, writable, &nf);
	if (ret)
		return ret;
	ret = clfs_stream_query(st, &info);
	if (ret) {
		clfs_newfd_abort(&nf);
		return ret;
	}
	a.id = info.stream_id;
	return clfs_newfd_publish(&nf, &a.stream_fd, uarg, &a, sizeof(a));
}

static long clfs_log_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct clfs_ulog *ul = file->private_data;
	struct clfs_log *log = ul->log;
	void __user *uarg = (void __user *)arg;

	switch (CLFS_IOC_NR(cmd)) {
	case CLFS_IOC_NR(CLFS_IOC_VERSION):
		return clfs_ioc_version(uarg);
	case CLFS_IOC_NR(CLFS_IOC_QUERY_INFO):
		return clfs_ioc_query(ul, uarg);
	case CLFS_IOC_NR(CLFS_IOC_STREAM_LIST):
		return clfs_ioc_stream_list(log, uarg);
	case CLFS_IOC_NR(CLFS_IOC_OPEN_STREAM):
		return clfs_ioc_open_stream(file, uarg);
	case CLFS_IOC_NR(CLFS_IOC_GET_IO_STATS):
		return clfs_ioc_io_stats(log, uarg);
	case CLFS_IOC_NR(CLFS_IOC_SCAN_CONTAINERS):
		return clfs_ioc_scan_containers(log, uarg);
	case CLFS_IOC_NR(CLFS_IOC_READ_RESTART):
	case CLFS_IOC_NR(CLFS_IOC_READ_RECORD):
		return clfs_ioc_read_open(file, ul->st, cmd, uarg);
	}
	switch (CLFS_IOC_NR(cmd)) {
	case CLFS_IOC_NR(CLFS_IOC_ADD_CONTAINERS):
		return clfs_file_writable(file) ?:
		       clfs_ioc_add_containers(log, uarg);
	case CLFS_IOC_NR(CLFS_IOC_REMOVE_CONTAINER):
		return clfs_file_writable(file) ?:
		       clfs_ioc_remove_container(log, uarg);
	case CLFS_IOC_NR(CLFS_IOC_CREATE_MARSHAL):
		return clfs_file_writable(file) ?:
		       clfs_ioc_create_marshal(file, uarg);
	case CLFS_IOC_NR(CLFS_IOC_SET_ARCHIVE_TAIL):
		return clfs_file_writable(file) ?:
		       clfs_ioc_set_archive_tail(ul->st, uarg);
	case CLFS_IOC_NR(CLFS_IOC_STREAM_CREATE):
	case CLFS_IOC_NR(CLFS_IOC_STREAM_DELETE):
		return clfs_file_writable(file) ?:
		       clfs_ioc_stream(log, cmd, uarg);
	default:
		return -ENOTTY;
	}
}

static int clfs_log_release(struct inode *inode, struct file *file)
{
	struct clfs_ulog *ul = file->private_data;
	int ret = 0;

	if (ul->log_file) {
		clfs_stream_close(ul->st);
		fput(ul->log_file);
	} else {
		ret = clfs_log_close(ul->log);
	}
	kfree(ul);
	if (ret)
		pr_warn_ratelimited("closing a log: %d\n", ret);
	return 0;
}

static const struct file_operations clfs_log_fops = {
	.owner = THIS_MODULE,
	.release = clfs_log_release,
	.unlocked_ioctl = clfs_log_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/**
 * clfs_log_fd_new() - a descriptor for a log just created or opened
 * @log: the log (one opener of it); on failure that opener is closed
 * @writable: a handle that may change the log; otherwise read-only
 * @nf: receives the prepared descriptor
 *
 * Return: 0, or -EMFILE, -ENFILE, -ENOMEM.
 */
int clfs_log_fd_new(struct clfs_log *log, bool writable,
		    struct clfs_newfd *nf)
{
	struct clfs_ulog *ul = kzalloc(sizeof(*ul), CLFS_GFP);

	if (!ul) {
		clfs_log_close(log);
		return -ENOMEM;
	}
	ul->log = log;
	ul->st = clfs_log_dedicated_stream(log);
	return clfs_ulog_fd_new(ul, writable, nf);
}

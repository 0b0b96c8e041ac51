// SPDX-License-Identifier: GPL-2.0
/*
 * clfs marshalling area descriptors: appends with reservations, batched
 * appends, the
 * reservation calls, flushes, restart areas, base moves and truncation;
 * reads start here too (clfs_ioctl_read.c).  Closing the descriptor is
 * ClfsDeleteMarshallingArea: it flushes what was appended.
 *
 * A record goes to the engine as an iov_iter over the caller's iovecs
 * (clfs_reserve_and_append_iter()): the engine takes its pages before
 * its locks and copies it once, from them straight into the log block.
 * The records of APPEND_BATCH are small and many: they are gathered into
 * one kernel buffer, one copy each and no page-table walk per record,
 * and the engine copies them from there into the blocks.  Sizes are bounded (a
 * record by CLFS_BLOCK_SIZE_MAX, a batch by CLFS_BATCH_BYTES_MAX) before
 * anything is allocated.
 */
#include <linux/compat.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/clfs.h>

#include "clfs_internal.h"
#include "clfs_uapi.h"

/*
 * A record, the caller's @a->n_iov clfs_iovecs at @a->iov (none: no
 * record), as an iov_iter for clfs_reserve_and_append_iter(), with the
 * reservation changes @rsv.
 */
static int clfs_append_user(struct clfs_marshal *ma, struct clfs_append *a,
			    s64 *rsv, struct clfs_flush_req *req)
{
	struct clfs_iovec *civ;
	struct iovec *iov;
	struct iov_iter it;
	u64 total = 0;
	u32 i;
	int ret = 0;

	if (!a->n_iov)
		return clfs_reserve_and_append_iter(ma, NULL, a->undo_next,
						    a->previous, a->n_rsv, rsv,
						    a->flags, &a->lsn, req);
	civ = memdup_user(u64_to_user_ptr(a->iov),
			  array_size(a->n_iov, sizeof(*civ)));
	if (IS_ERR(civ))
		return PTR_ERR(civ);
	iov = kvmalloc_array(a->n_iov, sizeof(*iov), CLFS_GFP);
	if (!iov) {
		ret = -ENOMEM;
		goto out_free_civ;
	}
	for (i = 0; i < a->n_iov && !ret; i++) {
		if (check_add_overflow(total, civ[i].len, &total) ||
		    total > CLFS_BLOCK_SIZE_MAX)
			ret = -EMSGSIZE;
		else if (civ[i].len &&
			 !access_ok(u64_to_user_ptr(civ[i].base), civ[i].len))
			ret = -EFAULT;
		iov[i].iov_base = u64_to_user_ptr(civ[i].base);
		iov[i].iov_len = civ[i].len;
	}
	if (!ret) {
		iov_iter_init(&it, ITER_SOURCE, iov, a->n_iov, total);
		ret = clfs_reserve_and_append_iter(ma, &it, a->undo_next,
						   a->previous, a->n_rsv, rsv,
						   a->flags, &a->lsn, req);
	}
	kvfree(iov);
out_free_civ:
	kfree(civ);
	return ret;
}

/*
 * The outputs of a command whose flush was queued (-EIOCBQUEUED) are
 * written: one that could not be becomes its completion's result
 * (clfs_ioctl_uring.c posts it only after this).
 */
static long clfs_queued_out(struct clfs_uring_req *ur, int out)
{
	if (out)
		ur->err = out;
	return -EIOCBQUEUED;
}

/*
 * RESERVE_AND_APPEND.  With @ur (io_uring), a FORCE_FLUSH record returns
 * -EIOCBQUEUED once appended, its LSN (and rounded reservations)
 * written; its flush completes @ur.  Without, a forced record whose
 * flush failed returns the error with its LSN and rounded reservations
 * written.
 */
long clfs_ioc_append(struct clfs_marshal *ma, void __user *uarg,
		     struct clfs_uring_req *ur)
{
	struct clfs_append a;
	s64 *rsv = NULL;
	int ret, out;

	ret = clfs_arg_in(&a, sizeof(a), uarg);
	if (ret)
		return ret;
	/* Flags are the engine's to check (clfs_reserve_and_append()). */
	if (a.reserved ||
	    a.n_iov > CLFS_MAX_IOV || a.n_rsv > CLFS_MAX_RESERVATIONS ||
	    (a.n_iov && !a.iov) || (a.n_rsv && !a.rsv))
		return -EINVAL;
	if (a.n_rsv) {
		rsv = memdup_user(u64_to_user_ptr(a.rsv),
				  array_size(a.n_rsv, sizeof(*rsv)));
		if (IS_ERR(rsv))
			return PTR_ERR(rsv);
	}
	a.lsn = CLFS_LSN_INVALID;
	ret = clfs_append_user(ma, &a, rsv, ur ? &ur->fl : NULL);
	/*
	 * A forced record whose flush failed (-EIO, -ENOENT) had been
	 * appended, its reservations changed: its LSN and the rounded
	 * sizes go back with the error.
	 */
	if (ret && ret != -EIOCBQUEUED && a.lsn == CLFS_LSN_INVALID)
		goto out_free;
	out = a.n_rsv && copy_to_user(u64_to_user_ptr(a.rsv), rsv,
				      array_size(a.n_rsv, sizeof(*rsv))) ?
	      -EFAULT : 0;
	out = out ?: clfs_arg_out(uarg, &a, sizeof(a));
	if (ret == -EIOCBQUEUED)
		ret = clfs_queued_out(ur, out);
	else
		ret = ret ?: out;
out_free:
	kfree(rsv);
	return ret;
}

/*
 * APPEND_BATCH: every record's bytes gathered into one buffer (at most
 * CLFS_BATCH_BYTES_MAX), then one engine call; the LSNs and the count
 * appended go back whenever records were appended, also when a forced
 * flush after them failed.  With @ur (io_uring), a FORCE_FLUSH batch
 * returns -EIOCBQUEUED once appended, its LSNs written; its flush
 * completes @ur.
 */
long clfs_ioc_append_batch(struct clfs_marshal *ma, void __user *uarg,
			   struct clfs_uring_req *ur)
{
	struct clfs_append_rec *recs = NULL;
	struct clfs_batch_record *br;
	struct clfs_append_batch a;
	unsigned int i, done = 0;
	u64 total = 0, off = 0;
	u8 *data = NULL;
	int ret, out;

	ret = clfs_arg_in(&a, sizeof(a), uarg);
	if (ret)
		return ret;
	if (a.reserved || a.done || !a.count || a.count > CLFS_MAX_BATCH ||
	    !a.records)
		return -EINVAL;
	br = vmemdup_user(u64_to_user_ptr(a.records),
			  array_size(a.count, sizeof(*br)));
	if (IS_ERR(br))
		return PTR_ERR(br);
	for (i = 0; i < a.count; i++)
		total += br[i].len;	/* at most 1024 * U32_MAX */
	if (total > CLFS_BATCH_BYTES_MAX) {
		ret = -EMSGSIZE;
		goto out_free;
	}
	recs = kvmalloc_array(a.count, sizeof(*recs), CLFS_GFP);
	data = kvmalloc(total ?: 1, CLFS_GFP);
	if (!recs || !data) {
		ret = -ENOMEM;
		goto out_free;
	}
	for (i = 0; i < a.count; i++) {
		if (copy_from_user(data + off, u64_to_user_ptr(br[i].data),
				   br[i].len)) {
			ret = -EFAULT;
			goto out_free;
		}
		recs[i].data = data + off;
		recs[i].len = br[i].len;
		recs[i].type = br[i].type;
		recs[i].undo_next = br[i].undo_next;
		recs[i].previous = br[i].previous;
		off += br[i].len;
	}
	ret = clfs_append_batch_async(ma, recs, a.count, a.flags, &done,
				      ur ? &ur->fl : NULL);
	if (!done)
		goto out_free;
	for (i = 0; i < a.count; i++)
		br[i].lsn = recs[i].lsn;
	a.done = done;
	out = copy_to_user(u64_to_user_ptr(a.records), br,
			   array_size(a.count, sizeof(*br))) ? -EFAULT : 0;
	out = out ?: clfs_arg_out(uarg, &a, sizeof(a));
	if (ret == -EIOCBQUEUED)
		ret = clfs_queued_out(ur, out);
	else
		ret = ret ?: out;
out_free:
	kvfree(data);
	kvfree(recs);
	kvfree(br);
	return ret;
}

/* ALIGN_RESERVED, ALLOC_RESERVED and FREE_RESERVED. */
static long clfs_ioc_reserved(struct clfs_marshal *ma, unsigned int cmd,
			      void __user *uarg)
{
	bool align = CLFS_IOC_NR(cmd) == CLFS_IOC_NR(CLFS_IOC_ALIGN_RESERVED);
	struct clfs_reserved a;
	u32 *sizes, *aligned = NULL;
	int ret;

	ret = clfs_arg_in(&a, sizeof(a), uarg);
	if (ret)
		return ret;
	if (!a.count || a.count > CLFS_MAX_RESERVATIONS || !a.sizes ||
	    (!align && a.aligned))
		return -EINVAL;
	sizes = memdup_user(u64_to_user_ptr(a.sizes),
			    array_size(a.count, sizeof(*sizes)));
	if (IS_ERR(sizes))
		return PTR_ERR(sizes);
	if (!align) {
		if (CLFS_IOC_NR(cmd) == CLFS_IOC_NR(CLFS_IOC_ALLOC_RESERVED))
			ret = clfs_alloc_reserved(ma, a.count, sizes, a.bytes);
		else
			ret = clfs_free_reserved(ma, a.count, sizes, a.bytes);
		goto out_free;
	}
	aligned = kcalloc(a.count, sizeof(*aligned), CLFS_GFP);
	if (!aligned) {
		ret = -ENOMEM;
		goto out_free;
	}
	ret = clfs_align_reserved(ma, a.count, sizes, aligned, &a.bytes);
	if (ret)
		goto out_free;
	if (a.aligned && copy_to_user(u64_to_user_ptr(a.aligned), aligned,
				      array_size(a.count, sizeof(*aligned)))) {
		ret = -EFAULT;
		goto out_free;
	}
	ret = clfs_arg_out(uarg, &a, sizeof(a));
out_free:
	kfree(aligned);
	kfree(sizes);
	return ret;
}

/*
 * FLUSH_BUFFERS and FLUSH_TO_LSN.  With @ur (io_uring), a flush that has
 * to wait returns -EIOCBQUEUED, @flushed unwritten, and completes @ur.
 */
long clfs_ioc_flush(struct clfs_uma *u, unsigned int cmd, void __user *uarg,
		    struct clfs_uring_req *ur)
{
	bool to_lsn = CLFS_IOC_NR(cmd) == CLFS_IOC_NR(CLFS_IOC_FLUSH_TO_LSN);
	struct clfs_log_info info;
	struct clfs_flush a;
	int ret;

	ret = clfs_arg_in(&a, sizeof(a), uarg);
	if (ret)
		return ret;
	if (a.flags)
		return -EINVAL;
	if (to_lsn) {
		if (ur) {
			/* @ur is the completion's once queued. */
			ret = clfs_flush_to_lsn_async(u->ma, a.lsn, &ur->fl);
			if (!ret)
				a.flushed = ur->fl.flushed;
		} else {
			ret = clfs_flush_to_lsn(u->ma, a.lsn, &a.flushed);
		}
	} else {
		ret = ur ? clfs_flush_buffers_async(u->ma, &ur->fl) :
			   clfs_flush_buffers(u->ma);
		if (ret)
			return ret;
		ret = clfs_stream_query(clfs_uma_stream(u), &info);
		a.flushed = info.flushed_lsn;
	}
	return ret ? ret : clfs_arg_out(uarg, &a, sizeof(a));
}

static long clfs_ioc_write_restart(struct clfs_marshal *ma, void __user *uarg)
{
	struct clfs_write_restart a;
	void *data;
	int ret;

	ret = clfs_arg_in(&a, sizeof(a), uarg);
	if (ret)
		return ret;
	if (a.reserved || !a.data || !a.length)
		return -EINVAL;
	if (a.length > CLFS_BLOCK_SIZE_MAX)
		return -EMSGSIZE;
	data = vmemdup_user(u64_to_user_ptr(a.data), a.length);
	if (IS_ERR(data))
		return PTR_ERR(data);
	ret = clfs_write_restart(ma, data, a.length,
				 a.new_base == CLFS_LSN_INVALID ? NULL :
				 &a.new_base, a.flags, &a.written, &a.lsn);
	kvfree(data);
	return ret ? ret : clfs_arg_out(uarg, &a, sizeof(a));
}

/* ADVANCE_BASE and TRUNCATE. */
static long clfs_ioc_lsn(struct clfs_marshal *ma, unsigned int cmd,
			 void __user *uarg)
{
	u64 lsn;
	int ret = clfs_lsn_arg_in(uarg, &lsn);

	if (ret)
		return ret;
	if (CLFS_IOC_NR(cmd) == CLFS_IOC_NR(CLFS_IOC_TRUNCATE))
		return clfs_truncate(ma, lsn);
	return clfs_advance_base(ma, lsn, 0);
}

static long clfs_ma_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct clfs_uma *u = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (CLFS_IOC_NR(cmd)) {
	case CLFS_IOC_NR(CLFS_IOC_VERSION):
		return clfs_ioc_version(uarg);
	case CLFS_IOC_NR(CLFS_IOC_RESERVE_AND_APPEND):
		return clfs_ioc_append(u->ma, uarg, NULL);
	case CLFS_IOC_NR(CLFS_IOC_APPEND_BATCH):
		return clfs_ioc_append_batch(u->ma, uarg, NULL);
	case CLFS_IOC_NR(CLFS_IOC_ALIGN_RESERVED):
	case CLFS_IOC_NR(CLFS_IOC_ALLOC_RESERVED):
	case CLFS_IOC_NR(CLFS_IOC_FREE_RESERVED):
		return clfs_ioc_reserved(u->ma, cmd, uarg);
	case CLFS_IOC_NR(CLFS_IOC_FLUSH_BUFFERS):
	case CLFS_IOC_NR(CLFS_IOC_FLUSH_TO_LSN):
		return clfs_ioc_flush(u, cmd, uarg, NULL);
	case CLFS_IOC_NR(CLFS_IOC_WRITE_RESTART):
		return clfs_ioc_write_restart(u->ma, uarg);
	case CLFS_IOC_NR(CLFS_IOC_READ_RESTART):
	case CLFS_IOC_NR(CLFS_IOC_READ_RECORD):
		return clfs_ioc_read_open(file, clfs_uma_stream(u), cmd, uarg);
	case CLFS_IOC_NR(CLFS_IOC_ADVANCE_BASE):
	case CLFS_IOC_NR(CLFS_IOC_TRUNCATE):
		return clfs_ioc_lsn(u->ma, cmd, uarg);
	default:
		return -ENOTTY;
	}
}

static int clfs_ma_release(struct inode *inode, struct file *file)
{
	struct clfs_uma *u = file->private_data;
	int ret = clfs_marshal_delete(u->ma);

	if (ret)
		pr_warn_ratelimited("deleting a marshalling area: %d\n", ret);
	fput(u->log_file);
	kfree(u);
	return 0;
}

static const struct file_operations clfs_ma_fops = {
	.owner = THIS_MODULE,
	.release = clfs_ma_release,
	.unlocked_ioctl = clfs_ma_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.uring_cmd = clfs_ma_uring_cmd,
	.llseek = noop_llseek,
};

/**
 * clfs_ma_fd_new() - a descriptor for a marshalling area just created
 * @log_file: the log's descriptor; the new one holds a reference to it
 * @ma: the area; on failure it is deleted
 * @nf: receives the prepared descriptor
 *
 * Return: 0, or -EMFILE, -ENFILE, -ENOMEM.
 */
int clfs_ma_fd_new(struct file *log_file, struct clfs_marshal *ma,
		   struct clfs_newfd *nf)
{
	struct clfs_uma *u = kzalloc(sizeof(*u), CLFS_GFP);
	int ret = -ENOMEM;

	if (!u)
		goto out_delete_ma;
	u->ma = ma;
	u->log_file = get_file(log_file);
	ret = clfs_newfd_prepare(nf, "[clfs-marshal]", &clfs_ma_fops, u,
				 O_RDWR);
	if (ret)
		goto out_put_log;
	return 0;

out_put_log:
	clfs_marshal_delete(ma);
	fput(u->log_file);
	kfree(u);
	return ret;

out_delete_ma:
	clfs_marshal_delete(ma);
	return ret;
}

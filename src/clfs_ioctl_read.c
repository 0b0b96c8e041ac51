// SPDX-License-Identifier: GPL-2.0
/*
 * clfs read context descriptors: READ_RECORD and READ_RESTART (on a log
 * handle, read-only ones too, or on a marshalling area) open one,
 * READ_NEXT, READ_NEXT_BATCH (many records a call) and
 * READ_PREVIOUS_RESTART go on along its chain, and closing it is
 * ClfsTerminateReadLog.
 *
 * Followers: READ_NEXT with CLFS_READ_DURABLE returns only durable
 * records (EAGAIN when the next one is not yet), and with CLFS_READ_WAIT
 * waits for it (clfs_read_follow()).  poll() reports EPOLLIN when a
 * record the context has not yet returned is durable (or one is pending
 * after ERANGE), and EPOLLERR when the log has shut down; it may report a
 * record that the context's type filter then skips, or one of another
 * stream of a multiplexed log, after which READ_NEXT with
 * CLFS_READ_DURABLE says EAGAIN (and the context has moved past it, so
 * poll() waits again).
 *
 * A record is never lost to a buffer that is too small: READ_RECORD and
 * READ_RESTART then fail with ERANGE, report the length and open nothing;
 * a context keeps the record it could not deliver (@pending) and returns
 * it on the next call.  The engine's context is not safe for concurrent
 * use, so calls on one descriptor are serialised by @lock (interruptible:
 * a read may wait for the device).  Fields a command does not use are
 * ignored, so one struct clfs_read serves a whole loop of reads.
 */
#include <linux/compat.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/clfs.h>

#include "clfs_internal.h"
#include "clfs_uapi.h"

/* A read context's descriptor. */
struct clfs_uctx {
	struct mutex lock;		/* serialises the calls */
	struct clfs_read_ctx *ctx;	/* [lock] */
	struct file *owner;		/* [fixed] pins the log handle or area */
	struct clfs_record rec;		/* [lock] the last record the engine gave */
	/*
	 * [lock] @rec not yet delivered; and the context's position: both
	 * written under @lock, read by poll() without it (READ_ONCE), so a
	 * call waiting under @lock never hides a record from poll().
	 */
	bool pending;
	u64 pos;
	/*
	 * [lock] What stopped a READ_NEXT_BATCH that returned records
	 * (other than the end, a record not durable yet, or one too long,
	 * which the engine or @pending say again): the next read's result.
	 */
	int err;
};

/*
 * Fill @a from @rec and copy the bytes to the caller's buffer: 0, -ERANGE
 * (buffer too small; @a->length set) or -EFAULT.
 */
static int clfs_deliver(const struct clfs_record *rec, struct clfs_read *a)
{
	a->length = rec->length;
	a->lsn = rec->lsn;
	a->undo_next = rec->undo_next;
	a->previous = rec->previous;
	a->type = rec->type;
	if (rec->length > a->buf_len)
		return -ERANGE;
	if (rec->length &&
	    copy_to_user(u64_to_user_ptr(a->buf), rec->data, rec->length))
		return -EFAULT;
	return 0;
}

/* READ_NEXT's wait for a durable record, in jiffies (0: do not wait). */
static long clfs_follow_timeout(const struct clfs_read *a)
{
	if (!(a->flags & CLFS_READ_WAIT))
		return 0;
	if (!a->timeout_ns)
		return MAX_SCHEDULE_TIMEOUT;
	return clamp_t(u64, nsecs_to_jiffies64(a->timeout_ns), 1,
		       MAX_SCHEDULE_TIMEOUT - 1);
}

/* Report the outcome of a delivery: on -ERANGE the length goes back. */
static long clfs_read_result(void __user *uarg, struct clfs_read *a, int ret)
{
	if (ret && ret != -ERANGE)
		return ret;
	return clfs_arg_out(uarg, a, sizeof(*a)) ?: ret;
}

/* The record a context's engine read last, as a batch record at @data. */
static void clfs_batch_fill(struct clfs_batch_record *br,
			    const struct clfs_record *rec, u64 data)
{
	br->data = data;
	br->len = rec->length;
	br->type = rec->type;
	br->undo_next = rec->undo_next;
	br->previous = rec->previous;
	br->lsn = rec->lsn;
}

/*
 * READ_NEXT_BATCH: READ_NEXT again and again, the records' bytes one
 * after the other in the caller's buffer.  A record is delivered once its
 * bytes and its description are both out; until then it stays @pending,
 * as for READ_NEXT, so a fault loses nothing.
 */
static long clfs_ioc_read_batch(struct clfs_uctx *u, void __user *uarg)
{
	struct clfs_batch_record __user *out;
	struct clfs_batch_record br;
	struct clfs_read_batch a;
	u32 done = 0;
	u64 off = 0;
	int ret;

	ret = clfs_arg_in(&a, sizeof(a), uarg);
	if (ret)
		return ret;
	if ((a.flags & ~CLFS_READ_DURABLE) || a.done || a.reserved ||
	    !a.count || a.count > CLFS_MAX_BATCH || !a.records)
		return -EINVAL;
	out = u64_to_user_ptr(a.records);
	/* A struct that cannot take @done fails before anything is read. */
	ret = clfs_arg_out(uarg, &a, sizeof(a));
	if (ret)
		return ret;
	/* As READ_NEXT: restarted after task work, EINTR for a signal. */
	if (mutex_lock_interruptible(&u->lock))
		return -ERESTARTSYS;
	ret = u->err;
	u->err = 0;
	while (!ret && done < a.count) {
		if (done && fatal_signal_pending(current))
			break;
		cond_resched();
		if (!u->pending) {
			ret = a.flags & CLFS_READ_DURABLE ?
			      clfs_read_follow(u->ctx, &u->rec, 0) :
			      clfs_read_next(u->ctx, &u->rec);
			if (ret)
				break;
			WRITE_ONCE(u->pending, true);
		}
		clfs_batch_fill(&br, &u->rec, a.buf + off);
		if (u->rec.length > a.buf_len - off) {
			/* The first one says how long it is. */
			ret = done || !copy_to_user(out, &br, sizeof(br)) ?
			      -ERANGE : -EFAULT;
			break;
		}
		if ((u->rec.length &&
		     copy_to_user(u64_to_user_ptr(a.buf + off), u->rec.data,
				  u->rec.length)) ||
		    copy_to_user(out + done, &br, sizeof(br))) {
			ret = -EFAULT;
			break;
		}
		WRITE_ONCE(u->pending, false);
		off += u->rec.length;
		done++;
	}
	/* What stopped a batch that returned records is the next call's. */
	if (done && ret != -ENOENT && ret != -EAGAIN && ret != -ERANGE)
		u->err = ret;
	if (done)
		ret = 0;
	WRITE_ONCE(u->pos, clfs_read_position(u->ctx));
	mutex_unlock(&u->lock);
	a.done = done;
	if (!ret || ret == -ERANGE)
		ret = clfs_arg_out(uarg, &a, sizeof(a)) ?: ret;
	return ret;
}

static long clfs_ctx_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct clfs_uctx *u = file->private_data;
	void __user *uarg = (void __user *)arg;
	struct clfs_read a;
	bool previous;
	int ret;

	switch (CLFS_IOC_NR(cmd)) {
	case CLFS_IOC_NR(CLFS_IOC_VERSION):
		return clfs_ioc_version(uarg);
	case CLFS_IOC_NR(CLFS_IOC_READ_NEXT):
		previous = false;
		break;
	case CLFS_IOC_NR(CLFS_IOC_READ_PREVIOUS_RESTART):
		previous = true;
		break;
	case CLFS_IOC_NR(CLFS_IOC_READ_NEXT_BATCH):
		return clfs_ioc_read_batch(u, uarg);
	default:
		return -ENOTTY;
	}
	ret = clfs_arg_in(&a, sizeof(a), uarg);
	if (ret)
		return ret;
	if ((a.flags & ~(previous ? 0 : CLFS_READ_NEXT_FLAGS)) ||
	    ((a.flags & CLFS_READ_AT) && (a.flags & CLFS_READ_FOLLOW)) ||
	    ((a.flags & CLFS_READ_WAIT) && !(a.flags & CLFS_READ_DURABLE)) ||
	    (a.timeout_ns && !(a.flags & CLFS_READ_WAIT)))
		return -EINVAL;
	/*
	 * Restarted when nothing but task work (io_uring's completions)
	 * interrupted the wait; EINTR only for a signal with a handler.
	 */
	if (mutex_lock_interruptible(&u->lock))
		return -ERESTARTSYS;
	if (u->err) {
		/* What stopped the last READ_NEXT_BATCH. */
		ret = u->err;
		u->err = 0;
		goto out_unlock;
	}
	if (a.flags & CLFS_READ_AT) {
		/* Another record than a pending one: that one is dropped. */
		ret = clfs_read_next_at(u->ctx, a.start, &u->rec);
		if (ret)
			goto out_unlock;
	} else if (!u->pending) {
		if (previous)
			ret = clfs_read_previous_restart(u->ctx, &u->rec);
		else if (a.flags & CLFS_READ_FOLLOW)
			ret = clfs_read_follow(u->ctx, &u->rec,
					       clfs_follow_timeout(&a));
		else
			ret = clfs_read_next(u->ctx, &u->rec);
		if (ret)
			goto out_unlock;
	}
	a.ctx_fd = CLFS_FD_NONE;
	ret = clfs_deliver(&u->rec, &a);
	WRITE_ONCE(u->pending, ret != 0);
	ret = clfs_read_result(uarg, &a, ret);
out_unlock:
	WRITE_ONCE(u->pos, clfs_read_position(u->ctx));
	mutex_unlock(&u->lock);
	return ret;
}

static __poll_t clfs_ctx_poll(struct file *file, poll_table *wait)
{
	struct clfs_uctx *u = file->private_data;
	__poll_t mask = 0;
	int ret;

	poll_wait(file, clfs_read_waitq(u->ctx), wait);
	ret = READ_ONCE(u->pending) ? 1 :
	      clfs_read_ready(u->ctx, READ_ONCE(u->pos));
	if (ret > 0)
		mask |= EPOLLIN | EPOLLRDNORM;
	else if (ret < 0)
		mask |= EPOLLERR;
	return mask;
}

static int clfs_ctx_release(struct inode *inode, struct file *file)
{
	struct clfs_uctx *u = file->private_data;

	clfs_read_terminate(u->ctx);
	fput(u->owner);
	mutex_destroy(&u->lock);
	kfree(u);
	return 0;
}

static const struct file_operations clfs_ctx_fops = {
	.owner = THIS_MODULE,
	.release = clfs_ctx_release,
	.unlocked_ioctl = clfs_ctx_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.poll = clfs_ctx_poll,
	.llseek = noop_llseek,
};

/**
 * clfs_ioc_read_open() - CLFS_IOC_READ_RECORD and CLFS_IOC_READ_RESTART
 * @file: the log's, stream's or a marshalling area's descriptor; the
 *	context holds it
 * @st: the stream it reads (NULL: a multiplexed log's own handle, -EINVAL)
 * @cmd: the command
 * @uarg: the user's struct clfs_read
 *
 * Return: 0 with a new context descriptor in @ctx_fd, or a negative errno
 * (see include/uapi/linux/clfs.h); on -ERANGE the record's length is reported and
 * no context is opened.
 */
long clfs_ioc_read_open(struct file *file, struct clfs_stream *st,
			unsigned int cmd, void __user *uarg)
{
	struct clfs_newfd nf;
	struct clfs_read a;
	struct clfs_uctx *u;
	int ret;

	ret = clfs_arg_in(&a, sizeof(a), uarg);
	if (ret)
		return ret;
	if (a.flags || a.timeout_ns)
		return -EINVAL;
	u = kzalloc(sizeof(*u), CLFS_GFP);
	if (!u)
		return -ENOMEM;
	mutex_init(&u->lock);
	if (CLFS_IOC_NR(cmd) == CLFS_IOC_NR(CLFS_IOC_READ_RESTART))
		ret = clfs_stream_read_restart(st, &u->ctx, &u->rec);
	else
		ret = clfs_stream_read_record(st, a.start, a.mode,
					      a.type_mask, &u->ctx, &u->rec);
	if (ret)
		goto out_free_u;
	a.ctx_fd = CLFS_FD_NONE;
	ret = clfs_deliver(&u->rec, &a);
	if (ret) {
		ret = clfs_read_result(uarg, &a, ret);
		goto out_terminate;
	}
	u->pos = clfs_read_position(u->ctx);
	u->owner = get_file(file);
	ret = clfs_newfd_prepare(&nf, "[clfs-read]", &clfs_ctx_fops, u,
				 O_RDONLY);
	if (ret) {
		clfs_read_terminate(u->ctx);
		fput(u->owner);
		goto out_free_u;
	}
	return clfs_newfd_publish(&nf, &a.ctx_fd, uarg, &a, sizeof(a));

out_terminate:
	clfs_read_terminate(u->ctx);
out_free_u:
	mutex_destroy(&u->lock);
	kfree(u);
	return ret;
}

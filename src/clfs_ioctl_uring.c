// SPDX-License-Identifier: GPL-2.0
/*
 * clfs io_uring commands: appends and flushes on a marshalling area
 * descriptor that complete on the ring instead of putting a thread to
 * sleep (IORING_OP_URING_CMD, file_operations.uring_cmd).
 *
 * The SQE's cmd_op names an ioctl, and its command bytes (struct
 * clfs_uring_cmd) point at that ioctl's argument struct; the command does
 * what the ioctl does (clfs_ioctl_ma.c), in the submitter's context, and
 * its result is what the ioctl returns.  Only the wait for durability
 * differs: a FORCE_FLUSH append (RESERVE_AND_APPEND or APPEND_BATCH),
 * FLUSH_BUFFERS and FLUSH_TO_LSN start the engine's wait
 * (struct clfs_flush_req) and return -EIOCBQUEUED once the records are
 * appended and their outputs written; the engine calls the request's
 * done from its workqueue when the records are durable, cut by a
 * truncation, or the log shut down, and the completion is posted from
 * the submitter's task (io_uring_cmd_complete_in_task()).  Appends still
 * run at submission and may sleep there briefly, for the log's write
 * position or a free buffer, as the ioctl does.
 *
 * Lifetime: io_uring holds the descriptor's file from submission to
 * completion, so the area, its log and this module stay while a command
 * waits.  A struct clfs_uring_req is allocated per command that may wait,
 * with two references: the engine's (dropped by its done) and the
 * submission's (dropped once the outputs are written).  The last one
 * hands the completion to the submitter's task, whose callback frees the
 * request and posts the CQE.  The submission may run in an io_uring
 * worker (IOSQE_ASYNC) while that task reaps, so the order matters: no
 * completion can overtake the outputs, or free the request under them.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/clfs.h>

#include "clfs_internal.h"
#include "clfs_uapi.h"

/* What the command keeps in its io_uring_cmd between submission and end. */
struct clfs_uring_pdu {
	struct clfs_uring_req *ur;
};

static struct clfs_uring_pdu *clfs_uring_pdu(struct io_uring_cmd *ioucmd)
{
	BUILD_BUG_ON(sizeof(struct clfs_uring_pdu) > sizeof(ioucmd->pdu));
	return (struct clfs_uring_pdu *)ioucmd->pdu;
}

/*
 * Task work: post the completion of a command whose wait ended.  With
 * IORING_SETUP_CQE32 the big CQE's first extra word is the LSN up to
 * which every record is durable.
 */
static void clfs_uring_end(struct io_uring_cmd *ioucmd,
			   unsigned int issue_flags)
{
	struct clfs_uring_req *ur = clfs_uring_pdu(ioucmd)->ur;
	int ret = ur->err ?: ur->ret;
	u64 flushed = ur->fl.flushed;

	kfree(ur);
	io_uring_cmd_done(ioucmd, ret, flushed, issue_flags);
}

/* Drop a reference to @ur; the last one posts its completion. */
static void clfs_uring_put(struct clfs_uring_req *ur)
{
	if (refcount_dec_and_test(&ur->ref))
		io_uring_cmd_complete_in_task(ur->ioucmd, clfs_uring_end);
}

/* The engine's done (struct clfs_flush_req): from its workqueue. */
static void clfs_uring_flushed(struct clfs_flush_req *fl, int ret)
{
	struct clfs_uring_req *ur = container_of(fl, struct clfs_uring_req,
						 fl);

	ur->ret = ret;
	clfs_uring_put(ur);
}

/**
 * clfs_ma_uring_cmd() - an io_uring command on a marshalling area
 * @ioucmd: the command: cmd_op an ioctl of the area, the command bytes a
 *	struct clfs_uring_cmd
 * @issue_flags: io_uring's
 *
 * Context: process context (the submitter, or an io_uring worker); may
 * sleep as the ioctl does, never for durability.
 * Return: the ioctl's result; -EIOCBQUEUED (the completion comes when the
 * records are durable); -EINVAL (reserved bytes set, a fixed buffer);
 * -EOPNOTSUPP (not an append, a flush or VERSION); -ENOMEM.
 */
int clfs_ma_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags)
{
	const struct clfs_uring_cmd *bytes = clfs_uring_cmd_bytes(ioucmd);
	struct clfs_uma *u = ioucmd->file->private_data;
	u32 op = CLFS_IOC_NR(ioucmd->cmd_op);
	struct clfs_uring_req *ur;
	void __user *uarg;
	long ret;

	/* The SQE is the submitter's memory: each field is read once. */
	if (READ_ONCE(bytes->reserved) ||
	    (ioucmd->flags & IORING_URING_CMD_FIXED))
		return -EINVAL;
	uarg = u64_to_user_ptr(READ_ONCE(bytes->arg));
	if (op == CLFS_IOC_NR(CLFS_IOC_VERSION))
		return clfs_ioc_version(uarg);
	if (op != CLFS_IOC_NR(CLFS_IOC_RESERVE_AND_APPEND) &&
	    op != CLFS_IOC_NR(CLFS_IOC_APPEND_BATCH) &&
	    op != CLFS_IOC_NR(CLFS_IOC_FLUSH_BUFFERS) &&
	    op != CLFS_IOC_NR(CLFS_IOC_FLUSH_TO_LSN))
		return -EOPNOTSUPP;
	ur = kzalloc(sizeof(*ur), CLFS_GFP);
	if (!ur)
		return -ENOMEM;
	ur->fl.done = clfs_uring_flushed;
	ur->ioucmd = ioucmd;
	refcount_set(&ur->ref, 2);
	clfs_uring_pdu(ioucmd)->ur = ur;
	if (op == CLFS_IOC_NR(CLFS_IOC_RESERVE_AND_APPEND))
		ret = clfs_ioc_append(u->ma, uarg, ur);
	else if (op == CLFS_IOC_NR(CLFS_IOC_APPEND_BATCH))
		ret = clfs_ioc_append_batch(u->ma, uarg, ur);
	else
		ret = clfs_ioc_flush(u, ioucmd->cmd_op, uarg, ur);
	if (ret == -EIOCBQUEUED)
		clfs_uring_put(ur);	/* the outputs are written */
	else
		kfree(ur);		/* the engine never had it */
	return ret;
}

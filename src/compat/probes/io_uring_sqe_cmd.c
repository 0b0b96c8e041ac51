// SPDX-License-Identifier: GPL-2.0
/*
 * struct io_uring_cmd points at the whole SQE, whose command bytes
 * io_uring_sqe_cmd() of <linux/io_uring/cmd.h> returns (6.12 has it);
 * before, its @cmd pointed at them, in <linux/io_uring.h> (6.1).
 */
#include <linux/io_uring/cmd.h>

static const void *clfs_probe_bytes(struct io_uring_cmd *c)
{
	return io_uring_sqe_cmd(c->sqe);
}

const void *(*clfs_probe_sqe_cmd)(struct io_uring_cmd *) = clfs_probe_bytes;

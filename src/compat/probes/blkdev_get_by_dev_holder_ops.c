// SPDX-License-Identifier: GPL-2.0
/*
 * v6.5 to v6.7: blkdev_get_by_dev() takes a blk_mode_t, a holder
 * (non-NULL means exclusive) and holder ops; blkdev_put() takes the holder.
 */
#include <linux/blkdev.h>

struct block_device *(*clfs_probe_get)(dev_t, blk_mode_t, void *,
				       const struct blk_holder_ops *) =
	blkdev_get_by_dev;
void (*clfs_probe_put)(struct block_device *, void *) = blkdev_put;

// SPDX-License-Identifier: GPL-2.0
/*
 * Up to v6.4: blkdev_get_by_dev() takes an fmode_t (FMODE_EXCL asks for
 * an exclusive claim) and a holder; blkdev_put() takes the same fmode_t.
 */
#include <linux/blkdev.h>

struct block_device *(*clfs_probe_get)(dev_t, fmode_t, void *) =
	blkdev_get_by_dev;
void (*clfs_probe_put)(struct block_device *, fmode_t) = blkdev_put;

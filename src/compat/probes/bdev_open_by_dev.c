// SPDX-License-Identifier: GPL-2.0
/*
 * v6.7 (e719b4d15674) to v6.8: bdev_open_by_dev() returns a
 * struct bdev_handle, released with bdev_release().
 */
#include <linux/blkdev.h>

struct bdev_handle *(*clfs_probe_open)(dev_t, blk_mode_t, void *,
				       const struct blk_holder_ops *) =
	bdev_open_by_dev;
void (*clfs_probe_release)(struct bdev_handle *) = bdev_release;

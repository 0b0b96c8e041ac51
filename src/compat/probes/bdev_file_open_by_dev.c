// SPDX-License-Identifier: GPL-2.0
/*
 * v6.9 (merge 910202f00a43): bdev_file_open_by_dev() opens a block device
 * and returns a struct file; file_bdev() reaches the block_device.
 */
#include <linux/blkdev.h>
#include <linux/fs.h>

struct file *(*clfs_probe_open)(dev_t, blk_mode_t, void *,
				const struct blk_holder_ops *) =
	bdev_file_open_by_dev;
struct block_device *(*clfs_probe_bdev)(struct file *) = file_bdev;

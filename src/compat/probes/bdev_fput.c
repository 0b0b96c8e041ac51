// SPDX-License-Identifier: GPL-2.0
/*
 * v6.9 (22650a99821d): bdev_fput() releases a file from
 * bdev_file_open_by_*() and ends the exclusive claim at once.
 */
#include <linux/blkdev.h>

void (*clfs_probe_fput)(struct file *) = bdev_fput;

// SPDX-License-Identifier: GPL-2.0
/*
 * clfs devices: the block devices a log's containers live on.
 *
 * Each device is opened once per log, read-write and exclusive with the
 * log as holder (clfs_bdev_open() in the compat layer), so another log, a
 * mounted file system or a second open of the same log gets -EBUSY.  A
 * second claim by the same holder succeeds, which is how a path that the
 * log already uses is recognised (same bdev) and the extra open dropped.
 * Devices hang on log->devs under log->lock; containers point at them.
 */
#include <linux/slab.h>

#include "clfs_dev.h"

/**
 * clfs_dev_get() - the log's device for a path or number, opening it if
 *	needed
 * @log: the log, log->lock held
 * @ref: the device: a path, or (path NULL) a device number
 * @opened: set when this call opened the device
 *
 * Context: process context; may sleep.
 * Return: the device, or an ERR_PTR: -ENOENT, -ENOTBLK, -ENXIO, -EBUSY
 * (held by someone else), -EINVAL (logical block size above 4 KiB),
 * -ENOMEM.
 */
struct clfs_dev *clfs_dev_get(struct clfs_log *log,
			      const struct clfs_devref *ref, bool *opened)
{
	struct clfs_dev *dev, *d;
	int ret;

	lockdep_assert_held(&log->lock);
	*opened = false;
	dev = kzalloc(sizeof(*dev), CLFS_GFP);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	if (ref->path)
		ret = clfs_bdev_open(&dev->cb, ref->path, log);
	else
		ret = clfs_bdev_open_dev(&dev->cb, ref->devt, log);
	if (ret) {
		kfree(dev);
		return ERR_PTR(ret);
	}
	list_for_each_entry(d, &log->devs, node) {
		if (d->cb.bdev == dev->cb.bdev) {
			clfs_bdev_close(&dev->cb);
			kfree(dev);
			return d;
		}
	}
	dev->bytes = bdev_nr_bytes(dev->cb.bdev);
	dev->lbs = bdev_logical_block_size(dev->cb.bdev);
	if (dev->lbs > CLFS_IO_UNIT_MAX) {
		clfs_bdev_close(&dev->cb);
		kfree(dev);
		return ERR_PTR(-EINVAL);
	}
	list_add_tail(&dev->node, &log->devs);
	*opened = true;
	return dev;
}

static void clfs_dev_put(struct clfs_dev *dev)
{
	list_del(&dev->node);
	clfs_bdev_close(&dev->cb);
	kfree(dev);
}

/**
 * clfs_dev_put_unused() - close the devices that no container uses
 * @log: the log, log->lock held; the base device always stays open
 */
void clfs_dev_put_unused(struct clfs_log *log)
{
	struct clfs_dev *d, *t;
	u32 i;

	lockdep_assert_held(&log->lock);
	list_for_each_entry_safe(d, t, &log->devs, node) {
		bool used = d == log->base;

		for (i = 0; i < log->n_conts && !used; i++)
			used = log->conts[i]->dev == d;
		if (!used)
			clfs_dev_put(d);
	}
}

/**
 * clfs_dev_put_all() - close every device of the log
 * @log: the log, being torn down
 */
void clfs_dev_put_all(struct clfs_log *log)
{
	struct clfs_dev *d, *t;

	list_for_each_entry_safe(d, t, &log->devs, node)
		clfs_dev_put(d);
	log->base = NULL;
}

/**
 * clfs_dev_find_uuid() - the open device with a clfs device uuid
 * @log: the log
 * @uuid: the uuid (all zero: the base device)
 *
 * Return: the device, or NULL.
 */
struct clfs_dev *clfs_dev_find_uuid(struct clfs_log *log, const u8 uuid[16])
{
	struct clfs_dev *d;

	if (clfs_uuid_is_zero(uuid))
		return log->base;
	list_for_each_entry(d, &log->devs, node)
		if (d != log->base && !memcmp(d->uuid, uuid, 16))
			return d;
	return NULL;
}

/**
 * clfs_dev_flush_all() - flush the volatile cache of every device
 * @log: the log
 *
 * Context: process context; sleeps.  Takes log->lock (the device list).
 * Return: 0, or -EIO if a device failed the flush.
 */
int clfs_dev_flush_all(struct clfs_log *log)
{
	struct clfs_dev *d;
	int ret = 0;

	mutex_lock(&log->lock);
	list_for_each_entry(d, &log->devs, node) {
		atomic64_inc(&log->stats.cache_flushes);
		atomic64_inc(&log->stats.flush_writes);
		if (blkdev_issue_flush(d->cb.bdev))
			ret = -EIO;
	}
	mutex_unlock(&log->lock);
	return ret;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs kernel compatibility layer: the one place that knows kernel API
 * differences.
 *
 * scripts/kcompat.sh compiles each src/compat/probes/NAME.c against the
 * target tree and writes HAVE_<NAME> into clfs_kcompat_generated.h, which
 * the out-of-tree build announces with -DCLFS_KCOMPAT_GENERATED.  This
 * header turns those defines into clfs_ helpers with one signature, so the
 * rest of the module contains no version checks.  An in-tree build has no
 * generated header and uses the current kernel's API.
 *
 * Block device open by number, by kernel generation:
 *   v6.9+      bdev_file_open_by_dev() -> struct file, bdev_fput()
 *   v6.7-6.8   bdev_open_by_dev() -> struct bdev_handle, bdev_release()
 *   v6.5-6.6   blkdev_get_by_dev(blk_mode_t, holder, hops), blkdev_put(holder)
 *   up to 6.4  blkdev_get_by_dev(fmode_t | FMODE_EXCL, holder), blkdev_put(mode)
 * Every open here is exclusive (the holder is the claimant) and read-write.
 * A path is first turned into a device number with lookup_bdev(), whose
 * signature has not changed since v5.11; so a path and a descriptor from
 * user space (its inode's i_rdev) reach a device the same way.
 *
 * io_uring commands (file_operations.uring_cmd), by kernel generation:
 *   6.12       <linux/io_uring/cmd.h>; the command bytes are
 *              io_uring_sqe_cmd(ioucmd->sqe)
 *   6.1        <linux/io_uring.h>; ioucmd->cmd points at them
 * io_uring_cmd_done() with issue flags and task-work callbacks that take
 * them are in both Debian 12 kernels (6.1 has them from the stable series).
 *
 * crc32c: declared in <linux/crc32c.h> up to v6.14, in <linux/crc32.h>
 * after; two values are joined with __crc32c_le_combine() up to v6.14,
 * crc32c_combine() after.
 */
#ifndef CLFS_COMPAT_H
#define CLFS_COMPAT_H

#include <linux/blkdev.h>
#include <linux/err.h>
#include <linux/fs.h>

#ifdef CLFS_KCOMPAT_GENERATED
#include "clfs_kcompat_generated.h"
#else
#define HAVE_BDEV_FILE_OPEN_BY_DEV 1
#define HAVE_BDEV_FPUT 1
#define HAVE_LINUX_CRC32C_H 1
#define HAVE_CRC32C_LE_COMBINE 1
#define HAVE_IO_URING_SQE_CMD 1
#endif

#if defined(HAVE_IO_URING_SQE_CMD)
#include <linux/io_uring/cmd.h>
#else
#include <linux/io_uring.h>
#endif

#if defined(HAVE_LINUX_CRC32C_H)
#include <linux/crc32c.h>
#endif
#include <linux/crc32.h>

/*
 * crc32c of A then B from crc32c of A (any seed) and of B from 0, B being
 * @len2 bytes long.
 */
static inline u32 clfs_crc32c_combine(u32 crc1, u32 crc2, size_t len2)
{
#if defined(HAVE_CRC32C_LE_COMBINE)
	return __crc32c_le_combine(crc1, crc2, len2);
#else
	return crc32c_combine(crc1, crc2, len2);
#endif
}

/**
 * struct clfs_bdev - an exclusively opened block device
 * @bdev: the block device, valid between clfs_bdev_open() and
 *	clfs_bdev_close()
 * @file: (v6.9+) the file that holds the claim
 * @handle: (v6.7-6.8) the handle that holds the claim
 * @holder: (up to v6.6) the claimant, needed again to release
 */
struct clfs_bdev {
	struct block_device *bdev;
#if defined(HAVE_BDEV_FILE_OPEN_BY_DEV)
	struct file *file;
#elif defined(HAVE_BDEV_OPEN_BY_DEV)
	struct bdev_handle *handle;
#else
	void *holder;
#endif
};

/**
 * clfs_bdev_open_dev() - open a block device by number, read-write and
 *	exclusive
 * @cb: filled in on success
 * @devt: the device's number
 * @holder: the exclusive claimant; a second claim by another holder fails
 *
 * Context: process context; may sleep.
 * Return: 0, or a negative errno: -ENXIO or -ENODEV (no such device),
 * -EBUSY (claimed by another holder), -EACCES or -EROFS (not writable),
 * or another error from the block layer.
 */
static inline int clfs_bdev_open_dev(struct clfs_bdev *cb, dev_t devt,
				     void *holder)
{
#if defined(HAVE_BDEV_FILE_OPEN_BY_DEV)
	struct file *f = bdev_file_open_by_dev(devt,
			BLK_OPEN_READ | BLK_OPEN_WRITE, holder, NULL);

	if (IS_ERR(f))
		return PTR_ERR(f);
	cb->file = f;
	cb->bdev = file_bdev(f);
#elif defined(HAVE_BDEV_OPEN_BY_DEV)
	struct bdev_handle *h = bdev_open_by_dev(devt,
			BLK_OPEN_READ | BLK_OPEN_WRITE, holder, NULL);

	if (IS_ERR(h))
		return PTR_ERR(h);
	cb->handle = h;
	cb->bdev = h->bdev;
#elif defined(HAVE_BLKDEV_GET_BY_DEV_HOLDER_OPS)
	struct block_device *b = blkdev_get_by_dev(devt,
			BLK_OPEN_READ | BLK_OPEN_WRITE, holder, NULL);

	if (IS_ERR(b))
		return PTR_ERR(b);
	cb->bdev = b;
	cb->holder = holder;
#elif defined(HAVE_BLKDEV_GET_BY_DEV_FMODE)
	struct block_device *b = blkdev_get_by_dev(devt,
			FMODE_READ | FMODE_WRITE | FMODE_EXCL, holder);

	if (IS_ERR(b))
		return PTR_ERR(b);
	cb->bdev = b;
	cb->holder = holder;
#else
#error "clfs: no known block device open API (see scripts/kcompat.sh)"
#endif
	return 0;
}

/**
 * clfs_bdev_open() - open a block device by path, read-write and exclusive
 * @cb: filled in on success
 * @path: path of the block device node
 * @holder: the exclusive claimant; a second claim by another holder fails
 *
 * Context: process context; may sleep.
 * Return: 0, or a negative errno: -ENOENT (no such path), -ENOTBLK (not a
 * block device), the errors of clfs_bdev_open_dev().
 */
static inline int clfs_bdev_open(struct clfs_bdev *cb, const char *path,
				 void *holder)
{
	dev_t devt;
	int ret = lookup_bdev(path, &devt);

	return ret ? ret : clfs_bdev_open_dev(cb, devt, holder);
}

/**
 * clfs_bdev_close() - release a block device opened by clfs_bdev_open()
 * @cb: the opened device; its @bdev is cleared
 *
 * Context: process context; may sleep.
 */
static inline void clfs_bdev_close(struct clfs_bdev *cb)
{
#if defined(HAVE_BDEV_FILE_OPEN_BY_DEV) && defined(HAVE_BDEV_FPUT)
	bdev_fput(cb->file);
	cb->file = NULL;
#elif defined(HAVE_BDEV_FILE_OPEN_BY_DEV)
	fput(cb->file);
	cb->file = NULL;
#elif defined(HAVE_BDEV_OPEN_BY_DEV)
	bdev_release(cb->handle);
	cb->handle = NULL;
#elif defined(HAVE_BLKDEV_GET_BY_DEV_HOLDER_OPS)
	blkdev_put(cb->bdev, cb->holder);
#else
	blkdev_put(cb->bdev, FMODE_READ | FMODE_WRITE | FMODE_EXCL);
#endif
	cb->bdev = NULL;
}

/**
 * clfs_uring_cmd_bytes() - the command bytes of an IORING_OP_URING_CMD
 * @ioucmd: the command
 *
 * Context: its ->uring_cmd() call.
 * Return: its 16 command bytes (80 with 128-byte SQEs); they may be in
 * memory the submitter still writes, so read each byte once.
 */
static inline const void *clfs_uring_cmd_bytes(const struct io_uring_cmd *ioucmd)
{
#if defined(HAVE_IO_URING_SQE_CMD)
	return io_uring_sqe_cmd(ioucmd->sqe);
#else
	return ioucmd->cmd;
#endif
}

#endif /* CLFS_COMPAT_H */

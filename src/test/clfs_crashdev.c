// SPDX-License-Identifier: GPL-2.0
/*
 * clfs_crashdev: a bio-based RAM block device with a volatile write cache,
 * crashed on purpose by the clfs KUnit tests to check what a log engine
 * recovers.  The model and the API are described in clfs_crashdev.h.
 *
 * State.  Two vmalloc'ed images of the whole device, "visible" and
 * "durable", and a bitmap with one bit per 512-byte sector, set when the
 * sector's visible content may differ from its durable content.  The
 * invariant: a sector whose bit is clear is the same in both images.
 * Writes land in the visible image and set bits; a flush (REQ_PREFLUSH)
 * copies every dirty sector to the durable image and clears its bit; FUA
 * does the same for the bio's own sectors.
 *
 * A crash resolves the dirty sectors at once: those that survive are
 * copied to the durable image and their bits cleared; those that are lost
 * keep their bits, and the device refuses all I/O.  Revive copies the
 * durable content of the sectors still dirty back to the visible image and
 * clears their bits; by the invariant the visible image then equals the
 * durable one, without copying the whole device.
 *
 * Every bio is completed inside ->submit_bio(), so when a flush arrives
 * every write submitted before it has already reached the visible image:
 * there is never a write in flight to wait for.  The exception is a bio
 * the test holds (clfs_crashdev_hold()): it is parked, not yet applied nor
 * completed, until clfs_crashdev_release() runs it, so the test decides
 * exactly when an I/O of the code under test completes.  A flush that
 * arrives meanwhile covers only what completed, as on a real disk.  Bios
 * the test fails (clfs_crashdev_fail()) complete at once with
 * BLK_STS_IOERR and change nothing.  Bios the test delays
 * (clfs_crashdev_delay()) are each applied and completed later, from a
 * workqueue, after a seeded random delay: they complete out of order and
 * on other CPUs, as on a real disk, and a flush covers only those that
 * completed before it.
 *
 * Locking.  One spinlock, cd->lock, protects the contents of both images,
 * the dirty bitmap, the crash state (crashed, the armed countdown, mode and
 * seed) and the counters.  Everything else (the pointers, the size, the
 * gendisk, the path) is set before add_disk() and constant until destroy.
 * The lock is taken by ->submit_bio() and by the API functions, always in
 * process context (submit_bio() may sleep, so nobody submits bios from
 * atomic context), hence the plain spin_lock().  The helpers named
 * *_locked() must be called with it held and assert so; nothing under the
 * lock sleeps or takes another lock.  bio_endio() and invalidate_bdev()
 * are called after it is dropped.
 */
#include <linux/bio.h>
#include <linux/bitmap.h>
#include <linux/blkdev.h>
#include <linux/err.h>
#include <linux/highmem.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>

#include "clfs_crashdev.h"

#define CLFS_CRASHDEV_DEV_PREFIX "/dev/"

struct clfs_crashdev {
	struct gendisk *disk;
	u64 bytes;
	sector_t nr_sectors;
	char path[sizeof(CLFS_CRASHDEV_DEV_PREFIX) + DISK_NAME_LEN];

	/* Protects the contents of the three buffers and all fields below. */
	spinlock_t lock;
	u8 *visible;
	u8 *durable;
	unsigned long *dirty;
	bool crashed;
	u64 countdown;		/* write bios left until the crash; 0: disarmed */
	enum clfs_crash_mode armed_mode;
	u64 armed_seed;
	u64 writes;
	u64 flushes;
	u64 fuas;
	u64 reads;
	unsigned int hold_ops;	/* CLFS_CRASHDEV_READ | _WRITE: park those */
	unsigned int fail_ops;	/* and those fail */
	struct bio_list held;	/* parked bios, in submission order */
	unsigned int n_held;
	wait_queue_head_t held_wait;	/* woken when a bio is parked */
	unsigned int delay_ops;	/* and those complete later, from wq */
	unsigned long delay_max;	/* after 0 .. delay_max jiffies */
	struct rnd_state delay_rnd;
	atomic_t delayed;	/* [atomic] delayed bios not yet completed */
	struct workqueue_struct *wq;	/* [fixed] runs the delayed bios */
};

/* A delayed bio, on its way through cd->wq. */
struct clfs_crashdev_io {
	struct delayed_work work;
	struct clfs_crashdev *cd;
	struct bio *bio;
};

static void *clfs_crashdev_at(u8 *image, sector_t sector)
{
	return image + ((size_t)sector << SECTOR_SHIFT);
}

/* Copy sectors [@start, @end) from one image to the other. */
static void clfs_crashdev_copy_range(u8 *to, const u8 *from,
				     unsigned long start, unsigned long end)
{
	size_t off = (size_t)start << SECTOR_SHIFT;

	memcpy(to + off, from + off, (size_t)(end - start) << SECTOR_SHIFT);
}

/* Make the dirty sectors among [@start, @end) durable.  Lock held. */
static void clfs_crashdev_persist_locked(struct clfs_crashdev *cd,
					 unsigned long start,
					 unsigned long end)
{
	unsigned long b = start, e;

	lockdep_assert_held(&cd->lock);

	for_each_set_bitrange_from(b, e, cd->dirty, end) {
		clfs_crashdev_copy_range(cd->durable, cd->visible, b, e);
		bitmap_clear(cd->dirty, b, e - b);
	}
}

/*
 * Crash: resolve every dirty sector by @mode and refuse I/O from now on.
 * The lost sectors keep their dirty bits for revive to restore.  A device
 * already crashed stays as it is.  Lock held.
 */
static void clfs_crashdev_crash_locked(struct clfs_crashdev *cd,
				       enum clfs_crash_mode mode, u64 seed)
{
	struct rnd_state rnd;
	unsigned long bit;

	lockdep_assert_held(&cd->lock);

	if (cd->crashed)
		return;

	if (mode == CLFS_CRASH_TEAR) {
		prandom_seed_state(&rnd, seed);
		for_each_set_bit(bit, cd->dirty, cd->nr_sectors) {
			if (!(prandom_u32_state(&rnd) & 1))
				continue;
			clfs_crashdev_copy_range(cd->durable, cd->visible,
						 bit, bit + 1);
			__clear_bit(bit, cd->dirty);
		}
	}
	cd->crashed = true;
	cd->countdown = 0;
}

/* Copy a bio's data between its pages and the visible image.  Lock held. */
static void clfs_crashdev_copy_bio_locked(struct clfs_crashdev *cd,
					  struct bio *bio, bool write)
{
	struct bvec_iter iter;
	struct bio_vec bv;
	char *pos = clfs_crashdev_at(cd->visible, bio->bi_iter.bi_sector);

	lockdep_assert_held(&cd->lock);

	bio_for_each_segment(bv, bio, iter) {
		if (write)
			memcpy_from_page(pos, bv.bv_page, bv.bv_offset,
					 bv.bv_len);
		else
			memcpy_to_page(bv.bv_page, bv.bv_offset, pos,
				       bv.bv_len);
		pos += bv.bv_len;
	}
}

static blk_status_t clfs_crashdev_read_locked(struct clfs_crashdev *cd,
					      struct bio *bio)
{
	lockdep_assert_held(&cd->lock);

	if (cd->crashed)
		return BLK_STS_IOERR;
	cd->reads++;
	clfs_crashdev_copy_bio_locked(cd, bio, false);
	return BLK_STS_OK;
}

/*
 * A write bio, maybe empty, maybe with REQ_PREFLUSH and/or REQ_FUA.  The
 * bio that fires an armed crash is counted and its data reaches the
 * visible image, but it never completes: neither its flush nor its FUA
 * takes effect, and it fails.  Lock held.
 */
static blk_status_t clfs_crashdev_write_locked(struct clfs_crashdev *cd,
					       struct bio *bio)
{
	sector_t start = bio->bi_iter.bi_sector;
	sector_t end = start + bio_sectors(bio);
	bool crash;

	lockdep_assert_held(&cd->lock);

	if (cd->crashed)
		return BLK_STS_IOERR;

	cd->writes++;
	if (bio->bi_opf & REQ_PREFLUSH)
		cd->flushes++;
	if (bio->bi_opf & REQ_FUA)
		cd->fuas++;
	crash = cd->countdown && !--cd->countdown;

	if ((bio->bi_opf & REQ_PREFLUSH) && !crash)
		clfs_crashdev_persist_locked(cd, 0, cd->nr_sectors);

	if (end > start) {
		clfs_crashdev_copy_bio_locked(cd, bio, true);
		bitmap_set(cd->dirty, start, end - start);
	}

	if (crash) {
		clfs_crashdev_crash_locked(cd, cd->armed_mode, cd->armed_seed);
		return BLK_STS_IOERR;
	}

	if (bio->bi_opf & REQ_FUA)
		clfs_crashdev_persist_locked(cd, start, end);
	return BLK_STS_OK;
}

/* CLFS_CRASHDEV_READ or _WRITE for @bio, 0 for other operations. */
static unsigned int clfs_crashdev_op(const struct bio *bio)
{
	switch (bio_op(bio)) {
	case REQ_OP_READ:
		return CLFS_CRASHDEV_READ;
	case REQ_OP_WRITE:
		return CLFS_CRASHDEV_WRITE;
	default:
		return 0;
	}
}

/* Apply @bio to the images and complete it. */
static void clfs_crashdev_run_bio(struct clfs_crashdev *cd, struct bio *bio)
{
	sector_t sector = bio->bi_iter.bi_sector;
	blk_status_t status;

	/* Only whole sectors, and only inside the device. */
	if (!IS_ALIGNED(bio->bi_iter.bi_size, SECTOR_SIZE) ||
	    sector > cd->nr_sectors ||
	    bio_sectors(bio) > cd->nr_sectors - sector) {
		status = BLK_STS_IOERR;
		goto end_io;
	}

	spin_lock(&cd->lock);
	if (clfs_crashdev_op(bio) & cd->fail_ops) {
		spin_unlock(&cd->lock);
		status = BLK_STS_IOERR;
		goto end_io;
	}
	switch (bio_op(bio)) {
	case REQ_OP_READ:
		status = clfs_crashdev_read_locked(cd, bio);
		break;
	case REQ_OP_WRITE:
		status = clfs_crashdev_write_locked(cd, bio);
		break;
	default:
		status = BLK_STS_NOTSUPP;
		break;
	}
	spin_unlock(&cd->lock);

end_io:
	bio->bi_status = status;
	bio_endio(bio);
}

static void clfs_crashdev_io_fn(struct work_struct *work)
{
	struct clfs_crashdev_io *io = container_of(to_delayed_work(work),
						   struct clfs_crashdev_io,
						   work);
	struct clfs_crashdev *cd = io->cd;

	clfs_crashdev_run_bio(cd, io->bio);
	kfree(io);
	if (atomic_dec_and_test(&cd->delayed))
		wake_up_var(&cd->delayed);
}

/* Wait until every delayed bio has completed. */
static void clfs_crashdev_drain(struct clfs_crashdev *cd)
{
	wait_var_event(&cd->delayed, !atomic_read(&cd->delayed));
}

static void clfs_crashdev_submit_bio(struct bio *bio)
{
	struct clfs_crashdev *cd = bio->bi_bdev->bd_disk->private_data;
	struct clfs_crashdev_io *io;
	unsigned long delay;

	spin_lock(&cd->lock);
	if (clfs_crashdev_op(bio) & cd->hold_ops) {
		bio_list_add(&cd->held, bio);
		cd->n_held++;
		spin_unlock(&cd->lock);
		wake_up_all(&cd->held_wait);
		return;
	}
	if (!(clfs_crashdev_op(bio) & cd->delay_ops)) {
		spin_unlock(&cd->lock);
		clfs_crashdev_run_bio(cd, bio);
		return;
	}
	delay = prandom_u32_state(&cd->delay_rnd) % (cd->delay_max + 1);
	spin_unlock(&cd->lock);
	io = kmalloc(sizeof(*io), GFP_NOIO);
	if (!io) {
		clfs_crashdev_run_bio(cd, bio);
		return;
	}
	INIT_DELAYED_WORK(&io->work, clfs_crashdev_io_fn);
	io->cd = cd;
	io->bio = bio;
	atomic_inc(&cd->delayed);
	queue_delayed_work(cd->wq, &io->work, delay);
}

static const struct block_device_operations clfs_crashdev_fops = {
	.owner		= THIS_MODULE,
	.submit_bio	= clfs_crashdev_submit_bio,
};

/**
 * clfs_crashdev_create() - create a crash-simulation block device
 * @name: the gendisk name; devtmpfs then provides /dev/@name.  Shorter than
 *	DISK_NAME_LEN, without '/', and not in use by another disk.
 * @bytes: the size, a non-zero multiple of 4096 below 2 TiB.
 * @lbs: the logical (and physical) block size, 512 or 4096.
 *
 * The device starts zeroed, clean, alive and disarmed.  It advertises a
 * volatile write cache and FUA, and has no partitions.
 *
 * Context: process context; sleeps.
 * Return: the device, or an ERR_PTR(): -EINVAL for a bad argument,
 * -ENOMEM, or add_disk()'s error (-EEXIST for a name in use).
 */
struct clfs_crashdev *clfs_crashdev_create(const char *name, u64 bytes,
					   unsigned int lbs)
{
	struct queue_limits lim = {
		.logical_block_size	= lbs,
		.physical_block_size	= lbs,
		.features		= BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA,
	};
	struct clfs_crashdev *cd;
	struct gendisk *disk;
	int err;

	if (!name || !*name || strchr(name, '/') ||
	    strlen(name) >= DISK_NAME_LEN)
		return ERR_PTR(-EINVAL);
	if (lbs != 512 && lbs != 4096)
		return ERR_PTR(-EINVAL);
	if (!bytes || !IS_ALIGNED(bytes, 4096) ||
	    (bytes >> SECTOR_SHIFT) > UINT_MAX || (size_t)bytes != bytes)
		return ERR_PTR(-EINVAL);

	cd = kzalloc(sizeof(*cd), GFP_KERNEL);
	if (!cd)
		return ERR_PTR(-ENOMEM);
	cd->bytes = bytes;
	cd->nr_sectors = bytes >> SECTOR_SHIFT;
	snprintf(cd->path, sizeof(cd->path), CLFS_CRASHDEV_DEV_PREFIX "%s",
		 name);
	spin_lock_init(&cd->lock);
	bio_list_init(&cd->held);
	init_waitqueue_head(&cd->held_wait);

	err = -ENOMEM;
	cd->wq = alloc_workqueue("clfs_crashdev", WQ_UNBOUND | WQ_MEM_RECLAIM,
				 0);
	if (!cd->wq)
		goto free_cd;
	cd->visible = vzalloc(bytes);
	if (!cd->visible)
		goto destroy_wq;
	cd->durable = vzalloc(bytes);
	if (!cd->durable)
		goto free_visible;
	cd->dirty = kvcalloc(BITS_TO_LONGS(cd->nr_sectors),
			     sizeof(unsigned long), GFP_KERNEL);
	if (!cd->dirty)
		goto free_durable;

	disk = blk_alloc_disk(&lim, NUMA_NO_NODE);
	if (IS_ERR(disk)) {
		err = PTR_ERR(disk);
		goto free_dirty;
	}
	cd->disk = disk;
	disk->fops = &clfs_crashdev_fops;
	disk->private_data = cd;
	disk->flags |= GENHD_FL_NO_PART;
	strscpy(disk->disk_name, name);
	set_capacity(disk, cd->nr_sectors);

	err = add_disk(disk);
	if (err)
		goto put_gendisk;
	return cd;

put_gendisk:
	put_disk(disk);
free_dirty:
	kvfree(cd->dirty);
free_durable:
	vfree(cd->durable);
free_visible:
	vfree(cd->visible);
destroy_wq:
	destroy_workqueue(cd->wq);
free_cd:
	kfree(cd);
	return ERR_PTR(err);
}

/**
 * clfs_crashdev_destroy() - remove a device and free it
 * @cd: the device; NULL or an ERR_PTR() is ignored.
 *
 * The gendisk is deleted first, which waits for the bios inside the driver
 * and fails all later ones, so the images can go.  A holder that still has
 * the device open only gets errors from it.
 *
 * Context: process context; sleeps.
 */
void clfs_crashdev_destroy(struct clfs_crashdev *cd)
{
	if (IS_ERR_OR_NULL(cd))
		return;

	clfs_crashdev_release(cd);
	clfs_crashdev_drain(cd);
	del_gendisk(cd->disk);
	put_disk(cd->disk);
	destroy_workqueue(cd->wq);
	kvfree(cd->dirty);
	vfree(cd->durable);
	vfree(cd->visible);
	kfree(cd);
}

/**
 * clfs_crashdev_path() - the device node of a device
 * @cd: the device.
 *
 * Context: any.
 * Return: "/dev/<name>", valid until clfs_crashdev_destroy().
 */
const char *clfs_crashdev_path(struct clfs_crashdev *cd)
{
	return cd->path;
}

/**
 * clfs_crashdev_arm() - crash at a chosen write bio
 * @cd: the device.
 * @nth_write: crash at the @nth_write-th write bio from now (1 is the
 *	next one); every write bio counts, an empty flush too, a read or a
 *	refused bio does not.  0 disarms.
 * @mode: what happens to the sectors not yet durable.
 * @seed: the seed for CLFS_CRASH_TEAR.
 *
 * That bio's data reaches the visible image but is not made durable, even
 * with REQ_FUA or REQ_PREFLUSH (its flush is not done either); then the
 * device crashes as clfs_crashdev_crash_now() describes, and that bio and
 * every later one fail with BLK_STS_IOERR.  Arming again replaces the
 * previous arming.  Revive disarms.
 *
 * Context: process context.
 */
void clfs_crashdev_arm(struct clfs_crashdev *cd, u64 nth_write,
		       enum clfs_crash_mode mode, u64 seed)
{
	spin_lock(&cd->lock);
	cd->countdown = nth_write;
	cd->armed_mode = mode;
	cd->armed_seed = seed;
	spin_unlock(&cd->lock);
}

/**
 * clfs_crashdev_crash_now() - crash without waiting for a bio
 * @cd: the device.
 * @mode: what happens to the sectors not yet durable.
 * @seed: the seed for CLFS_CRASH_TEAR.
 *
 * Every dirty sector is resolved by @mode (see enum clfs_crash_mode), the
 * device is disarmed, and every bio fails with BLK_STS_IOERR until
 * clfs_crashdev_revive().  Until then the visible image, which
 * clfs_crashdev_peek() shows, still holds the lost writes.  On a device
 * already crashed this does nothing.
 *
 * Context: process context.
 */
void clfs_crashdev_crash_now(struct clfs_crashdev *cd,
			     enum clfs_crash_mode mode, u64 seed)
{
	spin_lock(&cd->lock);
	clfs_crashdev_crash_locked(cd, mode, seed);
	spin_unlock(&cd->lock);
}

/**
 * clfs_crashdev_crashed() - whether a device is crashed
 * @cd: the device.
 *
 * Context: process context.
 * Return: true from a crash until clfs_crashdev_revive() or _reset().
 */
bool clfs_crashdev_crashed(struct clfs_crashdev *cd)
{
	bool crashed;

	spin_lock(&cd->lock);
	crashed = cd->crashed;
	spin_unlock(&cd->lock);
	return crashed;
}

/**
 * clfs_crashdev_revive() - power the device back on
 * @cd: the device.
 *
 * The visible image becomes the durable one (so writes not yet durable
 * are discarded even without a crash), no sector is dirty, the device
 * accepts I/O again and is disarmed.  Counters are kept.  Clean pages of
 * the block device's page cache are invalidated, best effort, so that
 * buffered readers do not see pre-crash data; bio users are not affected.
 *
 * Context: process context; sleeps.
 */
void clfs_crashdev_revive(struct clfs_crashdev *cd)
{
	unsigned long b, e;

	clfs_crashdev_drain(cd);
	spin_lock(&cd->lock);
	for_each_set_bitrange(b, e, cd->dirty, cd->nr_sectors)
		clfs_crashdev_copy_range(cd->visible, cd->durable, b, e);
	bitmap_zero(cd->dirty, cd->nr_sectors);
	cd->crashed = false;
	cd->countdown = 0;
	spin_unlock(&cd->lock);

	invalidate_bdev(cd->disk->part0);
}

/**
 * clfs_crashdev_reset() - back to the state of a new device
 * @cd: the device.
 *
 * Delays stop, parked bios are run (clfs_crashdev_release()) and
 * delayed ones completed first.  Both images are zeroed, no sector is
 * dirty, the device is alive, disarmed, parks, fails and delays nothing,
 * and its counters are zero.  Clean page cache pages are
 * invalidated as by clfs_crashdev_revive().  Meant to be called with no
 * I/O in flight.
 *
 * Context: process context; sleeps.
 */
void clfs_crashdev_reset(struct clfs_crashdev *cd)
{
	clfs_crashdev_delay(cd, 0, 0, 0);
	clfs_crashdev_release(cd);
	clfs_crashdev_drain(cd);
	spin_lock(&cd->lock);
	cd->fail_ops = 0;
	memset(cd->visible, 0, cd->bytes);
	memset(cd->durable, 0, cd->bytes);
	bitmap_zero(cd->dirty, cd->nr_sectors);
	cd->crashed = false;
	cd->countdown = 0;
	cd->writes = 0;
	cd->flushes = 0;
	cd->fuas = 0;
	cd->reads = 0;
	spin_unlock(&cd->lock);

	invalidate_bdev(cd->disk->part0);
}

/* Read one of the device's counters under its lock. */
static u64 clfs_crashdev_counter(struct clfs_crashdev *cd, const u64 *counter)
{
	u64 n;

	spin_lock(&cd->lock);
	n = *counter;
	spin_unlock(&cd->lock);
	return n;
}

/**
 * clfs_crashdev_writes() - count of write bios
 * @cd: the device.
 *
 * Context: process context.
 * Return: the write bios (empty flushes included, the bio that fired a
 * crash included, refused bios excluded) since create or reset.
 */
u64 clfs_crashdev_writes(struct clfs_crashdev *cd)
{
	return clfs_crashdev_counter(cd, &cd->writes);
}

/**
 * clfs_crashdev_flushes() - count of REQ_PREFLUSH bios
 * @cd: the device.
 *
 * Context: process context.
 * Return: the write bios counted by clfs_crashdev_writes() that carried
 * REQ_PREFLUSH.
 */
u64 clfs_crashdev_flushes(struct clfs_crashdev *cd)
{
	return clfs_crashdev_counter(cd, &cd->flushes);
}

/**
 * clfs_crashdev_fuas() - count of REQ_FUA bios
 * @cd: the device.
 *
 * Context: process context.
 * Return: the write bios counted by clfs_crashdev_writes() that carried
 * REQ_FUA.
 */
u64 clfs_crashdev_fuas(struct clfs_crashdev *cd)
{
	return clfs_crashdev_counter(cd, &cd->fuas);
}

/**
 * clfs_crashdev_reads() - count of read bios
 * @cd: the device.
 *
 * Context: process context.
 * Return: the read bios served (refused ones excluded) since create or
 * reset.
 */
u64 clfs_crashdev_reads(struct clfs_crashdev *cd)
{
	return clfs_crashdev_counter(cd, &cd->reads);
}

static bool clfs_crashdev_in_range(struct clfs_crashdev *cd, u64 off,
				   size_t len)
{
	return len <= cd->bytes && off <= cd->bytes - len;
}

/* Copy raw bytes out of the visible or the durable image. */
static int clfs_crashdev_read_image(struct clfs_crashdev *cd, bool durable,
				    u64 off, void *buf, size_t len)
{
	if (!clfs_crashdev_in_range(cd, off, len))
		return -EINVAL;

	spin_lock(&cd->lock);
	memcpy(buf, (durable ? cd->durable : cd->visible) + off, len);
	spin_unlock(&cd->lock);
	return 0;
}

/**
 * clfs_crashdev_poke() - write raw bytes into both images
 * @cd: the device.
 * @off: byte offset, any alignment.
 * @buf: the bytes.
 * @len: their number.
 *
 * For corruption tests: the bytes are at once visible and durable, and no
 * counter or dirty bit changes, crashed or not.  The page cache is not
 * updated.
 *
 * Context: process context.
 * Return: 0, or -EINVAL (nothing written) if the range is not inside the
 * device.
 */
int clfs_crashdev_poke(struct clfs_crashdev *cd, u64 off, const void *buf,
		       size_t len)
{
	if (!clfs_crashdev_in_range(cd, off, len))
		return -EINVAL;

	spin_lock(&cd->lock);
	memcpy(cd->visible + off, buf, len);
	memcpy(cd->durable + off, buf, len);
	spin_unlock(&cd->lock);
	return 0;
}

/**
 * clfs_crashdev_peek() - read raw bytes of the visible image
 * @cd: the device.
 * @off: byte offset, any alignment.
 * @buf: where to put them.
 * @len: their number.
 *
 * Works on a crashed device too, showing what reads returned before it.
 *
 * Context: process context.
 * Return: 0, or -EINVAL (@buf untouched) if the range is not inside the
 * device.
 */
int clfs_crashdev_peek(struct clfs_crashdev *cd, u64 off, void *buf,
		       size_t len)
{
	return clfs_crashdev_read_image(cd, false, off, buf, len);
}

/**
 * clfs_crashdev_peek_durable() - read raw bytes of the durable image
 * @cd: the device.
 * @off: byte offset, any alignment.
 * @buf: where to put them.
 * @len: their number.
 *
 * Context: process context.
 * Return: 0, or -EINVAL (@buf untouched) if the range is not inside the
 * device.
 */
int clfs_crashdev_peek_durable(struct clfs_crashdev *cd, u64 off, void *buf,
			       size_t len)
{
	return clfs_crashdev_read_image(cd, true, off, buf, len);
}

static unsigned int clfs_crashdev_n_held(struct clfs_crashdev *cd)
{
	unsigned int n;

	spin_lock(&cd->lock);
	n = cd->n_held;
	spin_unlock(&cd->lock);
	return n;
}

/**
 * clfs_crashdev_hold() - park the reads and/or writes submitted from now on
 * @cd: the device
 * @ops: CLFS_CRASHDEV_READ, CLFS_CRASHDEV_WRITE, both, or 0 to park no new
 *	bio (the parked ones stay parked)
 *
 * A parked bio is neither applied nor completed: its submitter waits as it
 * would for a slow disk, until clfs_crashdev_release().
 */
void clfs_crashdev_hold(struct clfs_crashdev *cd, unsigned int ops)
{
	spin_lock(&cd->lock);
	cd->hold_ops = ops;
	spin_unlock(&cd->lock);
}

/**
 * clfs_crashdev_held() - wait until at least @n bios are parked
 * @cd: the device
 * @n: the count to wait for
 * @timeout: the longest wait, in jiffies
 *
 * Context: process context; sleeps.
 * Return: true if @n bios are parked, false after @timeout.
 */
bool clfs_crashdev_held(struct clfs_crashdev *cd, unsigned int n,
			unsigned long timeout)
{
	return wait_event_timeout(cd->held_wait, clfs_crashdev_n_held(cd) >= n,
				  timeout) > 0;
}

/* Run the first @n parked bios (all: UINT_MAX); @stop: park no more. */
static void clfs_crashdev_run_held(struct clfs_crashdev *cd, unsigned int n,
				   bool stop)
{
	struct bio_list list;
	struct bio *bio;

	bio_list_init(&list);
	spin_lock(&cd->lock);
	if (stop)
		cd->hold_ops = 0;
	for (; n && (bio = bio_list_pop(&cd->held)); n--) {
		bio_list_add(&list, bio);
		cd->n_held--;
	}
	spin_unlock(&cd->lock);
	while ((bio = bio_list_pop(&list)))
		clfs_crashdev_run_bio(cd, bio);
}

/**
 * clfs_crashdev_release() - stop parking, and run the parked bios
 * @cd: the device
 *
 * The parked bios are applied and completed in the order they were
 * submitted, as if the disk had been slow.
 *
 * Context: process context.
 */
void clfs_crashdev_release(struct clfs_crashdev *cd)
{
	clfs_crashdev_run_held(cd, UINT_MAX, true);
}

/**
 * clfs_crashdev_release_first() - run the oldest parked bios only
 * @cd: the device
 * @n: how many of them
 *
 * The first @n parked bios, in submission order, are applied and
 * completed; the others stay parked, and parking goes on as it was.
 *
 * Context: process context.
 */
void clfs_crashdev_release_first(struct clfs_crashdev *cd, unsigned int n)
{
	clfs_crashdev_run_held(cd, n, false);
}

/**
 * clfs_crashdev_delay() - complete the reads and/or writes later
 * @cd: the device
 * @ops: CLFS_CRASHDEV_READ, CLFS_CRASHDEV_WRITE, both, or 0 to stop
 *	(bios already delayed still complete when their time comes)
 * @max: the longest delay, in jiffies; 0 still completes from the
 *	workqueue, on another CPU, soon
 * @seed: seeds the delays: bio i of the device gets the i-th value of
 *	prandom_u32_state() modulo @max + 1
 *
 * A delayed bio is applied and completed from a workqueue after its
 * delay, so completions come in any order and in parallel, and a flush
 * covers only the writes already completed.  A crash meanwhile fails the
 * bios still delayed (they were in flight); clfs_crashdev_revive(),
 * reset() and destroy() first wait for every delayed bio.
 */
void clfs_crashdev_delay(struct clfs_crashdev *cd, unsigned int ops,
			 unsigned long max, u64 seed)
{
	spin_lock(&cd->lock);
	cd->delay_ops = ops;
	cd->delay_max = max;
	prandom_seed_state(&cd->delay_rnd, seed);
	spin_unlock(&cd->lock);
}

/**
 * clfs_crashdev_fail() - fail the reads and/or writes from now on
 * @cd: the device
 * @ops: CLFS_CRASHDEV_READ, CLFS_CRASHDEV_WRITE, both, or 0 to stop
 *
 * A failed bio completes at once with BLK_STS_IOERR and changes nothing;
 * the device does not crash.
 */
void clfs_crashdev_fail(struct clfs_crashdev *cd, unsigned int ops)
{
	spin_lock(&cd->lock);
	cd->fail_ops = ops;
	spin_unlock(&cd->lock);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs_crashdev: a RAM block device with a volatile write cache that the
 * KUnit tests of clfs crash on purpose.
 *
 * A log engine is only as good as what it recovers after power is lost
 * between a write and the flush that would have made it stable.  This
 * device keeps two images of the disk: "visible", what reads return, and
 * "durable", what a crash leaves behind.  A write lands in the visible
 * image only; a REQ_PREFLUSH bio (an empty one too, as blkdev_issue_flush()
 * sends) makes everything written before it durable, and REQ_FUA makes the
 * bio's own sectors durable.  A test arms a crash at the N-th write bio, or
 * crashes at once, and chooses what happens to the sectors written but not
 * yet durable: all lost (CLFS_CRASH_DROP), or each 512-byte sector kept or
 * lost by a seeded coin toss (CLFS_CRASH_TEAR).  From the crash on, every
 * bio fails with BLK_STS_IOERR until the test revives the device, which
 * then reads back exactly what survived.
 *
 * The device is bio based and completes every bio inside submit_bio(), so
 * a flush never has to wait for writes in flight, except the bios a test
 * parks (clfs_crashdev_hold(): the I/O of the code under test stays in
 * flight until clfs_crashdev_release(), for tests of what meets an I/O in
 * flight), fails (clfs_crashdev_fail(): -EIO without a crash) and
 * delays (clfs_crashdev_delay(): completed later, out of order, from a
 * workqueue).  Each function has its kernel-doc at its definition in
 * clfs_crashdev.c, which also gives the lock rules.  All of them are for process context only.
 */
#ifndef _CLFS_CRASHDEV_H
#define _CLFS_CRASHDEV_H

#include <linux/types.h>

struct clfs_crashdev;

/**
 * enum clfs_crash_mode - the fate of the sectors not yet durable at a crash
 * @CLFS_CRASH_DROP: every one of them is lost.
 * @CLFS_CRASH_TEAR: each one survives or not, independently, with
 *	probability 1/2.  The dirty sectors are visited in ascending order
 *	and the i-th one survives when the i-th value of prandom_u32_state(),
 *	seeded with prandom_seed_state(seed), is odd; the same dirty set and
 *	seed give the same survivors.
 */
enum clfs_crash_mode {
	CLFS_CRASH_DROP,
	CLFS_CRASH_TEAR,
};

struct clfs_crashdev *clfs_crashdev_create(const char *name, u64 bytes,
					   unsigned int lbs);
void clfs_crashdev_destroy(struct clfs_crashdev *cd);
const char *clfs_crashdev_path(struct clfs_crashdev *cd);

void clfs_crashdev_arm(struct clfs_crashdev *cd, u64 nth_write,
		       enum clfs_crash_mode mode, u64 seed);
void clfs_crashdev_crash_now(struct clfs_crashdev *cd,
			     enum clfs_crash_mode mode, u64 seed);
bool clfs_crashdev_crashed(struct clfs_crashdev *cd);
void clfs_crashdev_revive(struct clfs_crashdev *cd);
void clfs_crashdev_reset(struct clfs_crashdev *cd);

u64 clfs_crashdev_writes(struct clfs_crashdev *cd);
u64 clfs_crashdev_flushes(struct clfs_crashdev *cd);
u64 clfs_crashdev_fuas(struct clfs_crashdev *cd);
u64 clfs_crashdev_reads(struct clfs_crashdev *cd);

/* The operations clfs_crashdev_hold() and clfs_crashdev_fail() take. */
#define CLFS_CRASHDEV_READ	0x1U
#define CLFS_CRASHDEV_WRITE	0x2U

void clfs_crashdev_hold(struct clfs_crashdev *cd, unsigned int ops);
bool clfs_crashdev_held(struct clfs_crashdev *cd, unsigned int n,
			unsigned long timeout);
void clfs_crashdev_release(struct clfs_crashdev *cd);
void clfs_crashdev_release_first(struct clfs_crashdev *cd, unsigned int n);
void clfs_crashdev_fail(struct clfs_crashdev *cd, unsigned int ops);
void clfs_crashdev_delay(struct clfs_crashdev *cd, unsigned int ops,
			 unsigned long max, u64 seed);

int clfs_crashdev_poke(struct clfs_crashdev *cd, u64 off, const void *buf,
		       size_t len);
int clfs_crashdev_peek(struct clfs_crashdev *cd, u64 off, void *buf,
		       size_t len);
int clfs_crashdev_peek_durable(struct clfs_crashdev *cd, u64 off, void *buf,
			       size_t len);

#endif /* _CLFS_CRASHDEV_H */

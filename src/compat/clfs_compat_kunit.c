// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "clfs_compat": the block device helpers of clfs_compat.h
 * against a real device, null_blk's /dev/nullb0 (CONFIG_BLK_DEV_NULL_BLK=y
 * in the lane's kernel creates it at boot).
 *
 * Checked: a read-write exclusive open gives the device and its geometry;
 * a second claimant is refused with -EBUSY while the first holds it and
 * admitted once it is released; a missing path gives -ENOENT and a
 * character device -ENOTBLK.
 */
#include <kunit/test.h>
#include <linux/blkdev.h>

#include "clfs_compat.h"

#define CLFS_TEST_BDEV "/dev/nullb0"

static int clfs_holder_a, clfs_holder_b;

static void clfs_compat_open_close_test(struct kunit *test)
{
	struct clfs_bdev a = {}, b = {};

	KUNIT_ASSERT_EQ(test, clfs_bdev_open(&a, CLFS_TEST_BDEV, &clfs_holder_a),
			0);
	KUNIT_EXPECT_NOT_NULL(test, a.bdev);
	KUNIT_EXPECT_GT(test, bdev_nr_sectors(a.bdev), 0ULL);
	KUNIT_EXPECT_EQ(test, bdev_logical_block_size(a.bdev), 512U);

	/* Another claimant is refused while the first holds the device. */
	KUNIT_EXPECT_EQ(test, clfs_bdev_open(&b, CLFS_TEST_BDEV, &clfs_holder_b),
			-EBUSY);

	clfs_bdev_close(&a);
	KUNIT_EXPECT_NULL(test, a.bdev);

	/* Released: the other claimant gets it now. */
	KUNIT_ASSERT_EQ(test, clfs_bdev_open(&b, CLFS_TEST_BDEV, &clfs_holder_b),
			0);
	clfs_bdev_close(&b);
}

static void clfs_compat_bad_path_test(struct kunit *test)
{
	struct clfs_bdev a = {};

	KUNIT_EXPECT_EQ(test, clfs_bdev_open(&a, "/dev/clfs-no-such-device",
					     &clfs_holder_a), -ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_bdev_open(&a, "/dev/null", &clfs_holder_a),
			-ENOTBLK);
	KUNIT_EXPECT_NULL(test, a.bdev);
}

static struct kunit_case clfs_compat_test_cases[] = {
	KUNIT_CASE(clfs_compat_open_close_test),
	KUNIT_CASE(clfs_compat_bad_path_test),
	{}
};

static struct kunit_suite clfs_compat_test_suite = {
	.name = "clfs_compat",
	.test_cases = clfs_compat_test_cases,
};

kunit_test_suites(&clfs_compat_test_suite);

MODULE_DESCRIPTION("clfs KUnit tests");
MODULE_LICENSE("GPL");

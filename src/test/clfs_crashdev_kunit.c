// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "clfs_crashdev": the crash-simulation block device of
 * clfs_crashdev.h, driven through the real block layer.
 *
 * Each case creates /dev/clfscrash9, opens it by path as a holder, and
 * does its I/O with bio_alloc() + submit_bio_wait() and
 * blkdev_issue_flush(), as the log engine will.  Every sector written
 * carries a pattern that depends on a tag and on the sector number, so a
 * sector is checked byte for byte: zeros (never durable), or the pattern
 * of one exact write.
 *
 * Checked: the geometry and the refused arguments; an unflushed write
 * lost by a DROP crash; a flush, a PREFLUSH and a FUA write surviving it
 * while the writes they do not cover are lost; the crash-firing bio not
 * taking effect even with FUA and PREFLUSH; TEAR keeping a strict subset
 * of the dirty sectors, the one its documented coin tosses give, and the
 * same one again for the same seed; -EIO for all I/O from the crash to
 * the revive; the counters; poke and peek, in range and out of it.
 *
 * Nothing is shared between cases, so no lock rules apply here; the cases
 * run one at a time.  Every resource is released by a KUnit action, also
 * when an assertion aborts a case.
 */
#include <kunit/test.h>
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/string.h>

#include "clfs_crashdev.h"

#define CLFS_CD_TEST_NAME	"clfscrash9"
#define CLFS_CD_TEST_PATH	"/dev/" CLFS_CD_TEST_NAME
#define CLFS_CD_TEST_BYTES	(1024 * 1024)
#define CLFS_CD_TEST_SECTORS	(CLFS_CD_TEST_BYTES >> SECTOR_SHIFT)
#define CLFS_CD_TEST_BUF_ORDER	1	/* 8 KiB: up to 16 sectors a bio */
#define CLFS_CD_TEST_BUF_SECTORS \
	((PAGE_SIZE << CLFS_CD_TEST_BUF_ORDER) >> SECTOR_SHIFT)
#define CLFS_CD_TEST_SEED	0x636c667363726173ULL

static int clfs_cd_test_holder;

struct clfs_cd_test {
	struct kunit *test;
	struct clfs_crashdev *cd;
	struct file *bdev_file;
	struct block_device *bdev;
	struct page *page;	/* the bio buffer, CLFS_CD_TEST_BUF_ORDER */
	u8 *buf;		/* its address */
	u8 *expect;		/* one sector of expected bytes */
};

KUNIT_DEFINE_ACTION_WRAPPER(clfs_cd_test_destroy, clfs_crashdev_destroy,
			    struct clfs_crashdev *);
KUNIT_DEFINE_ACTION_WRAPPER(clfs_cd_test_fput, bdev_fput, struct file *);

static void clfs_cd_test_free_buf(void *page)
{
	__free_pages(page, CLFS_CD_TEST_BUF_ORDER);
}

/* Create the device with @lbs, open it and get a bio buffer. */
static struct clfs_cd_test *clfs_cd_test_setup(struct kunit *test,
					       unsigned int lbs)
{
	struct clfs_cd_test *t;
	int ret;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	t->expect = kunit_kzalloc(test, SECTOR_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->expect);

	t->page = alloc_pages(GFP_KERNEL, CLFS_CD_TEST_BUF_ORDER);
	KUNIT_ASSERT_NOT_NULL(test, t->page);
	ret = kunit_add_action_or_reset(test, clfs_cd_test_free_buf, t->page);
	KUNIT_ASSERT_EQ(test, ret, 0);
	t->buf = page_address(t->page);

	t->cd = clfs_crashdev_create(CLFS_CD_TEST_NAME, CLFS_CD_TEST_BYTES,
				     lbs);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->cd);
	ret = kunit_add_action_or_reset(test, clfs_cd_test_destroy, t->cd);
	KUNIT_ASSERT_EQ(test, ret, 0);

	t->bdev_file = bdev_file_open_by_path(clfs_crashdev_path(t->cd),
					      BLK_OPEN_READ | BLK_OPEN_WRITE,
					      &clfs_cd_test_holder, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->bdev_file);
	ret = kunit_add_action_or_reset(test, clfs_cd_test_fput, t->bdev_file);
	KUNIT_ASSERT_EQ(test, ret, 0);
	t->bdev = file_bdev(t->bdev_file);
	return t;
}

/* The byte at offset @i of @sector as written with @tag; tag 0 is zeros. */
static u8 clfs_cd_test_byte(u8 tag, sector_t sector, unsigned int i)
{
	if (!tag)
		return 0;
	return (u8)(tag * 0x9d + sector * 31 + i / 3 + (i << 2));
}

static void clfs_cd_test_fill(u8 *dst, u8 tag, sector_t sector)
{
	unsigned int i;

	for (i = 0; i < SECTOR_SIZE; i++)
		dst[i] = clfs_cd_test_byte(tag, sector, i);
}

/* One bio on @nr sectors of the buffer (none: an empty bio). */
static int clfs_cd_test_bio(struct clfs_cd_test *t, blk_opf_t opf,
			    sector_t sector, unsigned int nr)
{
	struct bio *bio;
	int ret;

	bio = bio_alloc(t->bdev, 1, opf, GFP_KERNEL);
	bio->bi_iter.bi_sector = sector;
	if (nr)
		__bio_add_page(bio, t->page, nr << SECTOR_SHIFT, 0);
	ret = submit_bio_wait(bio);
	bio_put(bio);
	return ret;
}

/* Write sectors [@sector, @sector + @nr) with the pattern of @tag. */
static int clfs_cd_test_write(struct clfs_cd_test *t, blk_opf_t flags,
			      sector_t sector, unsigned int nr, u8 tag)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		clfs_cd_test_fill(t->buf + i * SECTOR_SIZE, tag, sector + i);
	return clfs_cd_test_bio(t, REQ_OP_WRITE | flags, sector, nr);
}

static int clfs_cd_test_read(struct clfs_cd_test *t, sector_t sector,
			     unsigned int nr)
{
	memset(t->buf, 0xee, nr << SECTOR_SHIFT);
	return clfs_cd_test_bio(t, REQ_OP_READ, sector, nr);
}

/* Whether sector @i of the buffer, read from @sector, is @tag's pattern. */
static bool clfs_cd_test_buf_is(struct clfs_cd_test *t, unsigned int i,
				sector_t sector, u8 tag)
{
	clfs_cd_test_fill(t->expect, tag, sector);
	return !memcmp(t->buf + i * SECTOR_SIZE, t->expect, SECTOR_SIZE);
}

/* Read [@sector, @sector + @nr) through the block layer; expect @tag's. */
static void clfs_cd_test_expect(struct clfs_cd_test *t, sector_t sector,
				unsigned int nr, u8 tag)
{
	struct kunit *test = t->test;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, clfs_cd_test_read(t, sector, nr), 0);
	for (i = 0; i < nr; i++)
		KUNIT_EXPECT_TRUE_MSG(test,
				      clfs_cd_test_buf_is(t, i, sector + i, tag),
				      "sector %llu is not tag %u",
				      (unsigned long long)(sector + i), tag);
}

/* Expect the durable image to hold @tag's pattern at @sector. */
static void clfs_cd_test_expect_durable(struct clfs_cd_test *t,
					sector_t sector, u8 tag)
{
	struct kunit *test = t->test;

	KUNIT_ASSERT_EQ(test,
			clfs_crashdev_peek_durable(t->cd,
						   sector << SECTOR_SHIFT,
						   t->buf, SECTOR_SIZE), 0);
	KUNIT_EXPECT_TRUE_MSG(test, clfs_cd_test_buf_is(t, 0, sector, tag),
			      "durable sector %llu is not tag %u",
			      (unsigned long long)sector, tag);
}

static void clfs_crashdev_create_test(struct kunit *test)
{
	struct clfs_cd_test *t;
	struct clfs_crashdev *cd;

	cd = clfs_crashdev_create(CLFS_CD_TEST_NAME, 0, 512);
	KUNIT_EXPECT_EQ(test, PTR_ERR(cd), -EINVAL);
	cd = clfs_crashdev_create(CLFS_CD_TEST_NAME, 4096 + 512, 512);
	KUNIT_EXPECT_EQ(test, PTR_ERR(cd), -EINVAL);
	cd = clfs_crashdev_create(CLFS_CD_TEST_NAME, 4096, 1024);
	KUNIT_EXPECT_EQ(test, PTR_ERR(cd), -EINVAL);
	cd = clfs_crashdev_create("clfs/crash9", 4096, 512);
	KUNIT_EXPECT_EQ(test, PTR_ERR(cd), -EINVAL);
	cd = clfs_crashdev_create("", 4096, 512);
	KUNIT_EXPECT_EQ(test, PTR_ERR(cd), -EINVAL);
	cd = clfs_crashdev_create("clfscrash9-a-name-far-too-long-for-a-disk",
				  4096, 512);
	KUNIT_EXPECT_EQ(test, PTR_ERR(cd), -EINVAL);

	t = clfs_cd_test_setup(test, 4096);
	KUNIT_EXPECT_STREQ(test, clfs_crashdev_path(t->cd), CLFS_CD_TEST_PATH);
	KUNIT_EXPECT_EQ(test, bdev_nr_sectors(t->bdev),
			(sector_t)CLFS_CD_TEST_SECTORS);
	KUNIT_EXPECT_EQ(test, bdev_logical_block_size(t->bdev), 4096U);
	KUNIT_EXPECT_EQ(test, bdev_physical_block_size(t->bdev), 4096U);
	KUNIT_EXPECT_TRUE(test, bdev_write_cache(t->bdev));
	KUNIT_EXPECT_TRUE(test, bdev_fua(t->bdev));

	/* A new device reads zeros; a 4 KiB block goes and comes back. */
	clfs_cd_test_expect(t, 8, 8, 0);
	KUNIT_ASSERT_EQ(test, clfs_cd_test_write(t, 0, 8, 8, 7), 0);
	clfs_cd_test_expect(t, 8, 8, 7);
	clfs_cd_test_expect_durable(t, 8, 0);
	clfs_cd_test_expect_durable(t, 15, 0);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_writes(t->cd), 1ULL);
	KUNIT_EXPECT_FALSE(test, clfs_crashdev_crashed(t->cd));
}

static void clfs_crashdev_drop_test(struct kunit *test)
{
	struct clfs_cd_test *t = clfs_cd_test_setup(test, 512);

	/* Old bytes, made durable by a flush. */
	KUNIT_ASSERT_EQ(test, clfs_cd_test_write(t, 0, 4, 2, 1), 0);
	KUNIT_ASSERT_EQ(test, blkdev_issue_flush(t->bdev), 0);
	clfs_cd_test_expect_durable(t, 4, 1);
	clfs_cd_test_expect_durable(t, 5, 1);

	/* New bytes, never flushed: visible, not durable. */
	KUNIT_ASSERT_EQ(test, clfs_cd_test_write(t, 0, 4, 2, 2), 0);
	clfs_cd_test_expect(t, 4, 2, 2);
	clfs_cd_test_expect_durable(t, 4, 1);

	clfs_crashdev_crash_now(t->cd, CLFS_CRASH_DROP, 0);
	KUNIT_EXPECT_TRUE(test, clfs_crashdev_crashed(t->cd));

	/* Until revive, the visible image still holds the lost write. */
	KUNIT_ASSERT_EQ(test, clfs_crashdev_peek(t->cd, 4 << SECTOR_SHIFT,
						 t->buf, SECTOR_SIZE), 0);
	KUNIT_EXPECT_TRUE(test, clfs_cd_test_buf_is(t, 0, 4, 2));

	clfs_crashdev_revive(t->cd);
	KUNIT_EXPECT_FALSE(test, clfs_crashdev_crashed(t->cd));
	clfs_cd_test_expect(t, 4, 2, 1);
	clfs_cd_test_expect(t, 0, 4, 0);
	clfs_cd_test_expect(t, 6, 2, 0);
}

static void clfs_crashdev_flush_test(struct kunit *test)
{
	struct clfs_cd_test *t = clfs_cd_test_setup(test, 512);

	/* A write then an empty flush: durable. */
	KUNIT_ASSERT_EQ(test, clfs_cd_test_write(t, 0, 0, 4, 1), 0);
	clfs_cd_test_expect_durable(t, 0, 0);
	KUNIT_ASSERT_EQ(test, blkdev_issue_flush(t->bdev), 0);
	clfs_cd_test_expect_durable(t, 0, 1);
	clfs_cd_test_expect_durable(t, 3, 1);

	/*
	 * A write with REQ_PREFLUSH makes the earlier write durable, not its
	 * own data.
	 */
	KUNIT_ASSERT_EQ(test, clfs_cd_test_write(t, 0, 16, 1, 3), 0);
	KUNIT_ASSERT_EQ(test, clfs_cd_test_write(t, REQ_PREFLUSH, 20, 1, 4),
			0);
	clfs_cd_test_expect_durable(t, 16, 3);
	clfs_cd_test_expect_durable(t, 20, 0);

	/* The crash fires on the next write bio, which fails. */
	clfs_crashdev_arm(t->cd, 1, CLFS_CRASH_DROP, 0);
	KUNIT_EXPECT_EQ(test, clfs_cd_test_write(t, 0, 8, 1, 2), -EIO);
	KUNIT_EXPECT_TRUE(test, clfs_crashdev_crashed(t->cd));
	clfs_crashdev_revive(t->cd);

	clfs_cd_test_expect(t, 0, 4, 1);
	clfs_cd_test_expect(t, 8, 1, 0);
	clfs_cd_test_expect(t, 16, 1, 3);
	clfs_cd_test_expect(t, 20, 1, 0);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_flushes(t->cd), 2ULL);
}

static void clfs_crashdev_fua_test(struct kunit *test)
{
	struct clfs_cd_test *t = clfs_cd_test_setup(test, 512);

	/* An unflushed write, then a FUA write to another sector. */
	KUNIT_ASSERT_EQ(test, clfs_cd_test_write(t, 0, 2, 1, 1), 0);
	KUNIT_ASSERT_EQ(test, clfs_cd_test_write(t, REQ_FUA, 10, 1, 2), 0);
	clfs_cd_test_expect_durable(t, 10, 2);
	clfs_cd_test_expect_durable(t, 2, 0);

	clfs_crashdev_crash_now(t->cd, CLFS_CRASH_DROP, 0);
	clfs_crashdev_revive(t->cd);
	clfs_cd_test_expect(t, 2, 1, 0);
	clfs_cd_test_expect(t, 10, 1, 2);

	/*
	 * The bio that fires the crash never completes: neither its FUA nor
	 * its PREFLUSH takes effect, so the unflushed write before it is
	 * lost along with it.
	 */
	KUNIT_ASSERT_EQ(test, clfs_cd_test_write(t, 0, 14, 1, 4), 0);
	clfs_crashdev_arm(t->cd, 1, CLFS_CRASH_DROP, 0);
	KUNIT_EXPECT_EQ(test, clfs_cd_test_write(t, REQ_PREFLUSH | REQ_FUA,
						 12, 1, 3), -EIO);
	clfs_crashdev_revive(t->cd);
	clfs_cd_test_expect(t, 12, 1, 0);
	clfs_cd_test_expect(t, 14, 1, 0);
	clfs_cd_test_expect(t, 10, 1, 2);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_fuas(t->cd), 2ULL);
}

/*
 * Read back sectors [@sector, @sector + @nr) after a TEAR crash of a write
 * of @tag over zeros: each must be all one or all the other.  Returns the
 * mask of the sectors that kept the write.
 */
static u32 clfs_cd_test_torn_mask(struct clfs_cd_test *t, sector_t sector,
				  unsigned int nr, u8 tag)
{
	struct kunit *test = t->test;
	unsigned int i;
	u32 mask = 0;

	KUNIT_EXPECT_EQ(test, clfs_cd_test_read(t, sector, nr), 0);
	for (i = 0; i < nr; i++) {
		if (clfs_cd_test_buf_is(t, i, sector + i, tag))
			mask |= BIT(i);
		else
			KUNIT_EXPECT_TRUE_MSG(test,
					      clfs_cd_test_buf_is(t, i,
								  sector + i, 0),
					      "sector %u is torn within", i);
	}
	return mask;
}

static void clfs_crashdev_tear_test(struct kunit *test)
{
	const unsigned int nr = CLFS_CD_TEST_BUF_SECTORS;
	struct clfs_cd_test *t = clfs_cd_test_setup(test, 512);
	u32 mask, again, predicted = 0;
	struct rnd_state rnd;
	unsigned int i;

	/* The documented coin tosses: the i-th dirty sector, the i-th draw. */
	prandom_seed_state(&rnd, CLFS_CD_TEST_SEED);
	for (i = 0; i < nr; i++)
		if (prandom_u32_state(&rnd) & 1)
			predicted |= BIT(i);

	KUNIT_ASSERT_EQ(test, clfs_cd_test_write(t, 0, 32, nr, 5), 0);
	clfs_crashdev_crash_now(t->cd, CLFS_CRASH_TEAR, CLFS_CD_TEST_SEED);
	clfs_crashdev_revive(t->cd);
	mask = clfs_cd_test_torn_mask(t, 32, nr, 5);
	KUNIT_EXPECT_NE(test, mask, 0U);
	KUNIT_EXPECT_NE(test, mask, (u32)GENMASK(nr - 1, 0));
	KUNIT_EXPECT_EQ(test, mask, predicted);
	clfs_cd_test_expect(t, 32 + nr, 1, 0);

	/*
	 * Same dirty sectors and seed, the crash now fired by the write bio
	 * itself: the same sectors survive.
	 */
	clfs_crashdev_reset(t->cd);
	clfs_crashdev_arm(t->cd, 1, CLFS_CRASH_TEAR, CLFS_CD_TEST_SEED);
	KUNIT_EXPECT_EQ(test, clfs_cd_test_write(t, 0, 32, nr, 5), -EIO);
	clfs_crashdev_revive(t->cd);
	again = clfs_cd_test_torn_mask(t, 32, nr, 5);
	KUNIT_EXPECT_EQ(test, again, mask);

	/* Sectors flushed before the crash are not at stake. */
	clfs_crashdev_reset(t->cd);
	KUNIT_ASSERT_EQ(test, clfs_cd_test_write(t, 0, 32, nr, 6), 0);
	KUNIT_ASSERT_EQ(test, blkdev_issue_flush(t->bdev), 0);
	clfs_crashdev_crash_now(t->cd, CLFS_CRASH_TEAR, CLFS_CD_TEST_SEED);
	clfs_crashdev_revive(t->cd);
	clfs_cd_test_expect(t, 32, nr, 6);
}

static void clfs_crashdev_eio_test(struct kunit *test)
{
	struct clfs_cd_test *t = clfs_cd_test_setup(test, 512);

	KUNIT_ASSERT_EQ(test, clfs_cd_test_write(t, 0, 0, 1, 1), 0);
	KUNIT_ASSERT_EQ(test, blkdev_issue_flush(t->bdev), 0);
	clfs_crashdev_crash_now(t->cd, CLFS_CRASH_DROP, 0);

	/* Everything fails, and nothing is counted. */
	KUNIT_EXPECT_EQ(test, clfs_cd_test_read(t, 0, 1), -EIO);
	KUNIT_EXPECT_EQ(test, clfs_cd_test_write(t, 0, 1, 1, 2), -EIO);
	KUNIT_EXPECT_EQ(test, clfs_cd_test_write(t, REQ_FUA, 2, 1, 2), -EIO);
	KUNIT_EXPECT_EQ(test, blkdev_issue_flush(t->bdev), -EIO);
	KUNIT_EXPECT_TRUE(test, clfs_crashdev_crashed(t->cd));
	KUNIT_EXPECT_EQ(test, clfs_crashdev_writes(t->cd), 2ULL);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_flushes(t->cd), 1ULL);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_fuas(t->cd), 0ULL);

	/* A second crash before revive changes nothing. */
	clfs_crashdev_crash_now(t->cd, CLFS_CRASH_TEAR, CLFS_CD_TEST_SEED);
	KUNIT_EXPECT_TRUE(test, clfs_crashdev_crashed(t->cd));

	clfs_crashdev_revive(t->cd);
	clfs_cd_test_expect(t, 0, 1, 1);
	clfs_cd_test_expect(t, 1, 2, 0);
	KUNIT_EXPECT_EQ(test, clfs_cd_test_write(t, 0, 1, 1, 2), 0);
	clfs_cd_test_expect(t, 1, 1, 2);

	/* Beyond the end: refused, not counted. */
	KUNIT_EXPECT_EQ(test, clfs_cd_test_write(t, 0,
						 CLFS_CD_TEST_SECTORS - 1, 2,
						 3), -EIO);
	KUNIT_EXPECT_EQ(test, clfs_cd_test_read(t, CLFS_CD_TEST_SECTORS, 1),
			-EIO);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_writes(t->cd), 3ULL);
}

static void clfs_crashdev_counters_test(struct kunit *test)
{
	struct clfs_cd_test *t = clfs_cd_test_setup(test, 512);

	KUNIT_EXPECT_EQ(test, clfs_crashdev_writes(t->cd), 0ULL);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_flushes(t->cd), 0ULL);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_fuas(t->cd), 0ULL);

	KUNIT_ASSERT_EQ(test, clfs_cd_test_read(t, 0, 4), 0);
	KUNIT_ASSERT_EQ(test, clfs_cd_test_write(t, 0, 0, 4, 1), 0);
	KUNIT_ASSERT_EQ(test, clfs_cd_test_write(t, REQ_FUA, 4, 2, 1), 0);
	KUNIT_ASSERT_EQ(test, blkdev_issue_flush(t->bdev), 0);
	KUNIT_ASSERT_EQ(test, clfs_cd_test_write(t, REQ_PREFLUSH | REQ_FUA,
						 8, 1, 1), 0);
	KUNIT_ASSERT_EQ(test, clfs_cd_test_read(t, 0, 16), 0);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_writes(t->cd), 4ULL);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_flushes(t->cd), 2ULL);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_fuas(t->cd), 2ULL);

	/* Arming counts from the arming: the second write bio fires. */
	clfs_crashdev_arm(t->cd, 2, CLFS_CRASH_DROP, 0);
	KUNIT_EXPECT_EQ(test, clfs_cd_test_read(t, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, blkdev_issue_flush(t->bdev), 0);
	KUNIT_EXPECT_FALSE(test, clfs_crashdev_crashed(t->cd));
	KUNIT_EXPECT_EQ(test, clfs_cd_test_write(t, REQ_FUA, 9, 1, 2), -EIO);
	KUNIT_EXPECT_TRUE(test, clfs_crashdev_crashed(t->cd));
	KUNIT_EXPECT_EQ(test, clfs_cd_test_write(t, 0, 10, 1, 2), -EIO);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_writes(t->cd), 6ULL);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_flushes(t->cd), 3ULL);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_fuas(t->cd), 3ULL);

	/* Revive keeps the counters and disarms; 0 disarms too. */
	clfs_crashdev_revive(t->cd);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_writes(t->cd), 6ULL);
	clfs_crashdev_arm(t->cd, 1, CLFS_CRASH_DROP, 0);
	clfs_crashdev_arm(t->cd, 0, CLFS_CRASH_DROP, 0);
	KUNIT_EXPECT_EQ(test, clfs_cd_test_write(t, 0, 10, 1, 2), 0);
	KUNIT_EXPECT_FALSE(test, clfs_crashdev_crashed(t->cd));
	KUNIT_EXPECT_EQ(test, clfs_crashdev_writes(t->cd), 7ULL);

	/* Reset: zero counters, zero images, alive, disarmed. */
	clfs_crashdev_arm(t->cd, 1, CLFS_CRASH_DROP, 0);
	clfs_crashdev_reset(t->cd);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_writes(t->cd), 0ULL);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_flushes(t->cd), 0ULL);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_fuas(t->cd), 0ULL);
	clfs_cd_test_expect(t, 0, 16, 0);
	clfs_cd_test_expect_durable(t, 8, 0);
	KUNIT_EXPECT_EQ(test, clfs_cd_test_write(t, 0, 0, 1, 3), 0);
	KUNIT_EXPECT_FALSE(test, clfs_crashdev_crashed(t->cd));
	KUNIT_EXPECT_EQ(test, clfs_crashdev_writes(t->cd), 1ULL);
}

static void clfs_crashdev_poke_peek_test(struct kunit *test)
{
	static const u8 bytes[] = { 0xde, 0xad, 0xbe };
	struct clfs_cd_test *t = clfs_cd_test_setup(test, 512);
	const u64 end = CLFS_CD_TEST_BYTES;
	u8 got[sizeof(bytes)];

	/* Into both images at once, at any offset, crashed or not. */
	KUNIT_ASSERT_EQ(test, clfs_crashdev_poke(t->cd, 1001, bytes,
						 sizeof(bytes)), 0);
	KUNIT_ASSERT_EQ(test, clfs_crashdev_peek(t->cd, 1001, got,
						 sizeof(got)), 0);
	KUNIT_EXPECT_MEMEQ(test, got, bytes, sizeof(bytes));
	memset(got, 0, sizeof(got));
	KUNIT_ASSERT_EQ(test, clfs_crashdev_peek_durable(t->cd, 1001, got,
							 sizeof(got)), 0);
	KUNIT_EXPECT_MEMEQ(test, got, bytes, sizeof(bytes));
	KUNIT_ASSERT_EQ(test, clfs_cd_test_read(t, 1, 1), 0);
	KUNIT_EXPECT_MEMEQ(test, t->buf + 1001 - SECTOR_SIZE, bytes,
			   sizeof(bytes));
	KUNIT_EXPECT_EQ(test, clfs_crashdev_writes(t->cd), 0ULL);

	clfs_crashdev_crash_now(t->cd, CLFS_CRASH_DROP, 0);
	KUNIT_ASSERT_EQ(test, clfs_crashdev_poke(t->cd, end - 1, bytes, 1), 0);
	clfs_crashdev_revive(t->cd);
	KUNIT_ASSERT_EQ(test, clfs_crashdev_peek(t->cd, end - 1, got, 1), 0);
	KUNIT_EXPECT_EQ(test, got[0], bytes[0]);

	/* Out of range: refused, nothing touched. */
	memset(got, 0x5c, sizeof(got));
	KUNIT_EXPECT_EQ(test, clfs_crashdev_poke(t->cd, end - 2, bytes,
						 sizeof(bytes)), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_poke(t->cd, U64_MAX, bytes, 2),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_peek(t->cd, end, got, 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_peek(t->cd, 0, got, end + 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_peek_durable(t->cd, U64_MAX - 1,
							 got, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, got[0], 0x5c);
	KUNIT_ASSERT_EQ(test, clfs_crashdev_peek(t->cd, end - 2, got, 2), 0);
	KUNIT_EXPECT_EQ(test, got[0], 0);
	KUNIT_EXPECT_EQ(test, got[1], bytes[0]);
}

static void clfs_cd_test_end_io(struct bio *bio)
{
	complete(bio->bi_private);
}

/* Submit a bio of the buffer's first sector at sector 0, completing @done. */
static struct bio *clfs_cd_test_submit(struct clfs_cd_test *t, blk_opf_t opf,
				       struct completion *done)
{
	struct bio *bio = bio_alloc(t->bdev, 1, opf, GFP_KERNEL);

	init_completion(done);
	bio->bi_iter.bi_sector = 0;
	__bio_add_page(bio, t->page, SECTOR_SIZE, 0);
	bio->bi_private = done;
	bio->bi_end_io = clfs_cd_test_end_io;
	submit_bio(bio);
	return bio;
}

/*
 * Parking and failing on command.  A parked write is neither applied nor
 * completed until the release, while reads go on and see the old data;
 * a parked read completes only at the release, with what is there then.
 * Failed bios return -EIO and change nothing, without a crash.
 */
static void clfs_crashdev_hold_fail_test(struct kunit *test)
{
	struct clfs_cd_test *t = clfs_cd_test_setup(test, 512);
	struct completion done;
	struct bio *bio;

	KUNIT_ASSERT_EQ(test, clfs_cd_test_write(t, 0, 0, 1, 1), 0);

	/* A write parked: not visible, not complete. */
	clfs_crashdev_hold(t->cd, CLFS_CRASHDEV_WRITE);
	clfs_cd_test_fill(t->buf, 2, 0);
	bio = clfs_cd_test_submit(t, REQ_OP_WRITE, &done);
	KUNIT_EXPECT_TRUE(test, clfs_crashdev_held(t->cd, 1, HZ));
	KUNIT_EXPECT_FALSE(test, completion_done(&done));
	KUNIT_EXPECT_EQ(test, clfs_crashdev_writes(t->cd), 1ULL);
	clfs_crashdev_release(t->cd);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&done, 10 * HZ) > 0);
	KUNIT_EXPECT_EQ(test, bio->bi_status, BLK_STS_OK);
	bio_put(bio);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_writes(t->cd), 2ULL);
	clfs_cd_test_expect(t, 0, 1, 2);

	/* A read parked completes at the release, with the data of then. */
	clfs_crashdev_hold(t->cd, CLFS_CRASHDEV_READ);
	memset(t->buf, 0xee, SECTOR_SIZE);
	bio = clfs_cd_test_submit(t, REQ_OP_READ, &done);
	KUNIT_EXPECT_TRUE(test, clfs_crashdev_held(t->cd, 1, HZ));
	KUNIT_EXPECT_FALSE(test, completion_done(&done));
	clfs_crashdev_release(t->cd);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&done, 10 * HZ) > 0);
	KUNIT_EXPECT_EQ(test, bio->bi_status, BLK_STS_OK);
	bio_put(bio);
	KUNIT_EXPECT_TRUE(test, clfs_cd_test_buf_is(t, 0, 0, 2));

	/* Failing writes, then reads: -EIO, nothing changes, no crash. */
	clfs_crashdev_fail(t->cd, CLFS_CRASHDEV_WRITE);
	KUNIT_EXPECT_EQ(test, clfs_cd_test_write(t, REQ_FUA, 0, 1, 3), -EIO);
	KUNIT_EXPECT_FALSE(test, clfs_crashdev_crashed(t->cd));
	clfs_cd_test_expect(t, 0, 1, 2);
	clfs_crashdev_fail(t->cd, CLFS_CRASHDEV_READ);
	KUNIT_EXPECT_EQ(test, clfs_cd_test_read(t, 0, 1), -EIO);
	clfs_crashdev_fail(t->cd, 0);
	KUNIT_EXPECT_EQ(test, clfs_cd_test_write(t, REQ_FUA, 0, 1, 3), 0);
	clfs_cd_test_expect(t, 0, 1, 3);
	clfs_cd_test_expect_durable(t, 0, 3);
}

static struct kunit_case clfs_crashdev_cases[] = {
	KUNIT_CASE(clfs_crashdev_create_test),
	KUNIT_CASE(clfs_crashdev_drop_test),
	KUNIT_CASE(clfs_crashdev_flush_test),
	KUNIT_CASE(clfs_crashdev_fua_test),
	KUNIT_CASE(clfs_crashdev_tear_test),
	KUNIT_CASE(clfs_crashdev_eio_test),
	KUNIT_CASE(clfs_crashdev_counters_test),
	KUNIT_CASE(clfs_crashdev_poke_peek_test),
	KUNIT_CASE(clfs_crashdev_hold_fail_test),
	{}
};

static struct kunit_suite clfs_crashdev_suite = {
	.name = "clfs_crashdev",
	.test_cases = clfs_crashdev_cases,
};

kunit_test_suites(&clfs_crashdev_suite);

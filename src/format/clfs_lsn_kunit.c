// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "clfs_lsn": the LSN layout and helpers of
 * include/uapi/linux/clfs_lsn.h, checked against exact values.
 *
 * The table-driven case runs the vectors of clfs_lsn_cases.h, which the
 * host unit test runs too; the other cases check the constants, the part
 * extractors, and the order that comparison gives.
 */
#include <kunit/test.h>
#include <linux/clfs_lsn.h>

#include "clfs_lsn_cases.h"

static void clfs_lsn_constants_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, CLFS_LSN_NULL, 0ULL);
	KUNIT_EXPECT_EQ(test, CLFS_LSN_INVALID, 0xffffffff00000000ULL);
	KUNIT_EXPECT_EQ(test, clfs_lsn_container(CLFS_LSN_INVALID), 0xffffffffU);
	KUNIT_EXPECT_EQ(test, clfs_lsn_block_offset(CLFS_LSN_INVALID), 0U);
	KUNIT_EXPECT_EQ(test, clfs_lsn_record(CLFS_LSN_INVALID), 0U);
	KUNIT_EXPECT_TRUE(test, clfs_lsn_is_null(CLFS_LSN_NULL));
	KUNIT_EXPECT_FALSE(test, clfs_lsn_is_null(1));
	KUNIT_EXPECT_TRUE(test, clfs_lsn_is_valid(CLFS_LSN_NULL));
	KUNIT_EXPECT_TRUE(test, clfs_lsn_is_valid(0xfffffffeffffffffULL));
	KUNIT_EXPECT_FALSE(test, clfs_lsn_is_valid(CLFS_LSN_INVALID));
	KUNIT_EXPECT_FALSE(test, clfs_lsn_is_valid(~0ULL));
}

static void clfs_lsn_parts_test(struct kunit *test)
{
	u64 lsn = 0x0000002a0001f405ULL;

	KUNIT_EXPECT_EQ(test, clfs_lsn_container(lsn), 42U);
	KUNIT_EXPECT_EQ(test, clfs_lsn_block_offset(lsn), 0x1f400U);
	KUNIT_EXPECT_EQ(test, clfs_lsn_record(lsn), 5U);
	KUNIT_EXPECT_EQ(test, clfs_lsn_make(42, 0x1f400, 5), lsn);

	lsn = 0xfffffffeffffffffULL;
	KUNIT_EXPECT_EQ(test, clfs_lsn_container(lsn), 0xfffffffeU);
	KUNIT_EXPECT_EQ(test, clfs_lsn_block_offset(lsn), 0xfffffe00U);
	KUNIT_EXPECT_EQ(test, clfs_lsn_record(lsn), 511U);
}

static void clfs_lsn_order_test(struct kunit *test)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(clfs_lsn_ordered); i++) {
		for (j = 0; j < ARRAY_SIZE(clfs_lsn_ordered); j++) {
			u64 a = clfs_lsn_ordered[i], b = clfs_lsn_ordered[j];
			int want = (i > j) - (i < j);

			KUNIT_EXPECT_EQ_MSG(test, clfs_lsn_cmp(a, b), want,
					    "cmp(%#llx, %#llx)", a, b);
		}
	}
}

static void clfs_lsn_vector_test(struct kunit *test)
{
	const struct clfs_lsn_case *c = test->param_value;

	KUNIT_EXPECT_EQ_MSG(test, clfs_lsn_case_eval(c), c->want, "%s",
			    c->name);
}

static void clfs_lsn_case_desc(const struct clfs_lsn_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(clfs_lsn_vector, clfs_lsn_cases, clfs_lsn_case_desc);

static struct kunit_case clfs_lsn_test_cases[] = {
	KUNIT_CASE(clfs_lsn_constants_test),
	KUNIT_CASE(clfs_lsn_parts_test),
	KUNIT_CASE(clfs_lsn_order_test),
	KUNIT_CASE_PARAM(clfs_lsn_vector_test, clfs_lsn_vector_gen_params),
	{}
};

static struct kunit_suite clfs_lsn_test_suite = {
	.name = "clfs_lsn",
	.test_cases = clfs_lsn_test_cases,
};

kunit_test_suites(&clfs_lsn_test_suite);

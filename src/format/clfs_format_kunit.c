// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "clfs_format": the v1 on-disk format code
 * (src/format/clfs_format.c) against the cases of clfs_format_cases.h, which
 * the host unit test (tests/unit/format_test.c) runs too.
 *
 * Two parameterised cases: every mutation of the table (one broken rule of
 * Documentation/clfs/format.rst each) must give its decoder's exact result
 * (-EUCLEAN, or 0 for the valid edge cases) and, for blocks,
 * clfs_block_peek()'s exact result; every positive check (round trips,
 * exact layout, copy choice, the seq chain, LSN order across container
 * recycling) reports each of its expectations as a KUnit expectation.
 * Buffers, and the 40 KiB struct clfs_meta_info in particular, come from
 * kunit_kzalloc(), never from the stack.
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "clfs_format.h"
#include "clfs_format_cases.h"

static void clfs_format_bufs(struct kunit *test, struct clfs_fc_bufs *b)
{
	b->meta = kunit_kzalloc(test, CLFS_META_COPY_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->meta);
	b->cont = kunit_kzalloc(test, CLFS_IO_UNIT_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->cont);
	b->block = kunit_kzalloc(test, CLFS_FC_BLOCK_BUF, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->block);
	b->block2 = kunit_kzalloc(test, CLFS_FC_BLOCK_BUF, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->block2);
	b->mi = kunit_kzalloc(test, sizeof(*b->mi), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->mi);
	b->mi2 = kunit_kzalloc(test, sizeof(*b->mi2), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->mi2);
}

static void clfs_format_mutation_test(struct kunit *test)
{
	const struct clfs_fc_mutation *m = test->param_value;
	struct clfs_fc_bufs b;
	int ret, peek;

	clfs_format_bufs(test, &b);
	ret = clfs_fc_mutation_run(m, &b, &peek);
	KUNIT_EXPECT_EQ_MSG(test, ret, m->want, "%s: decoder", m->name);
	if (m->what == CLFS_FC_BLOCK)
		KUNIT_EXPECT_EQ_MSG(test, peek, m->want_peek,
				    "%s: clfs_block_peek", m->name);
}

static void clfs_format_expect(struct clfs_fc_t *t, bool ok, const char *what,
			       long long got, long long want)
{
	struct kunit *test = t->priv;

	KUNIT_EXPECT_TRUE_MSG(test, ok, "%s: got %lld (%#llx), want %lld (%#llx)",
			      what, got, got, want, want);
}

static void clfs_format_check_test(struct kunit *test)
{
	const struct clfs_fc_check *c = test->param_value;
	struct clfs_fc_t t = {
		.expect = clfs_format_expect,
		.priv = test,
	};

	clfs_format_bufs(test, &t.b);
	c->run(&t);
}

static void clfs_format_mutation_desc(const struct clfs_fc_mutation *m,
				      char *desc)
{
	strscpy(desc, m->name, KUNIT_PARAM_DESC_SIZE);
}

static void clfs_format_check_desc(const struct clfs_fc_check *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(clfs_format_mutation, clfs_fc_mutations,
		  clfs_format_mutation_desc);
KUNIT_ARRAY_PARAM(clfs_format_check, clfs_fc_checks, clfs_format_check_desc);

static struct kunit_case clfs_format_test_cases[] = {
	KUNIT_CASE_PARAM(clfs_format_mutation_test,
			 clfs_format_mutation_gen_params),
	KUNIT_CASE_PARAM(clfs_format_check_test, clfs_format_check_gen_params),
	{}
};

static struct kunit_suite clfs_format_test_suite = {
	.name = "clfs_format",
	.test_cases = clfs_format_test_cases,
};

kunit_test_suites(&clfs_format_test_suite);

// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test of include/uapi/linux/clfs_lsn.h: the vectors shared with the
 * KUnit suite (src/format/clfs_lsn_cases.h), part extraction, and the
 * order that comparison gives.  One line per check, then "N passed,
 * N failed"; the exit status is non-zero on any failure.
 */
#include <inttypes.h>
#include <stdio.h>
#include <linux/clfs_lsn.h>

#include "../../src/format/clfs_lsn_cases.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static unsigned int passed, failed;

static void check(int ok, const char *name, uint64_t got, uint64_t want)
{
	if (ok) {
		passed++;
		printf("ok   %s\n", name);
	} else {
		failed++;
		printf("FAIL %s: got %#" PRIx64 ", want %#" PRIx64 "\n", name,
		       got, want);
	}
}

#define CHECK_EQ(name, got, want) \
	check((uint64_t)(got) == (uint64_t)(want), name, got, want)

int main(void)
{
	uint64_t lsn = 0x0000002a0001f405ULL;
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(clfs_lsn_cases); i++) {
		const struct clfs_lsn_case *c = &clfs_lsn_cases[i];

		CHECK_EQ(c->name, clfs_lsn_case_eval(c), c->want);
	}

	CHECK_EQ("container of 0x2a0001f405", clfs_lsn_container(lsn), 42);
	CHECK_EQ("block offset of 0x2a0001f405", clfs_lsn_block_offset(lsn),
		 0x1f400);
	CHECK_EQ("record of 0x2a0001f405", clfs_lsn_record(lsn), 5);
	CHECK_EQ("INVALID is not valid", clfs_lsn_is_valid(CLFS_LSN_INVALID), 0);
	CHECK_EQ("largest LSN is valid",
		 clfs_lsn_is_valid(0xfffffffeffffffffULL), 1);
	CHECK_EQ("NULL is null", clfs_lsn_is_null(CLFS_LSN_NULL), 1);

	for (i = 0; i < ARRAY_SIZE(clfs_lsn_ordered); i++) {
		for (j = 0; j < ARRAY_SIZE(clfs_lsn_ordered); j++) {
			char name[96];
			int want = (i > j) - (i < j);

			snprintf(name, sizeof(name), "cmp(%#" PRIx64 ", %#" PRIx64 ")",
				 (uint64_t)clfs_lsn_ordered[i],
				 (uint64_t)clfs_lsn_ordered[j]);
			CHECK_EQ(name, (int64_t)clfs_lsn_cmp(clfs_lsn_ordered[i],
							      clfs_lsn_ordered[j]),
				 (int64_t)want);
		}
	}

	printf("lsn_test: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}

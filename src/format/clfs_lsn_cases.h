/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LSN helper test vectors, shared by the KUnit suite (clfs_lsn_kunit.c, in
 * the kernel) and the host unit test (tests/unit/lsn_test.c, in user
 * space), so both check the one header include/uapi/linux/clfs_lsn.h against the
 * same exact values.  Include after <linux/clfs_lsn.h>.
 */
#ifndef CLFS_LSN_CASES_H
#define CLFS_LSN_CASES_H

enum clfs_lsn_case_op {
	CLFS_CASE_MAKE,			/* clfs_lsn_make(a, b, c) */
	CLFS_CASE_INCREMENT,		/* clfs_lsn_increment(in) */
	CLFS_CASE_NEXT_RECORD,		/* clfs_lsn_next_record(in) */
	CLFS_CASE_NEXT_BLOCK,		/* clfs_lsn_next_block(in, a) */
	CLFS_CASE_NEXT_CONTAINER,	/* clfs_lsn_next_container(in) */
};

struct clfs_lsn_case {
	const char *name;
	enum clfs_lsn_case_op op;
	__u64 in;
	__u32 a, b, c;
	__u64 want;
};

static const struct clfs_lsn_case clfs_lsn_cases[] = {
	{ "make zero is NULL", CLFS_CASE_MAKE, 0, 0, 0, 0, CLFS_LSN_NULL },
	{ "make parts", CLFS_CASE_MAKE, 0, 1, 0x200, 3, 0x0000000100000203ULL },
	{ "make largest", CLFS_CASE_MAKE, 0, 0xfffffffeU, 0xfffffe00U, 511,
	  0xfffffffeffffffffULL },
	{ "make container 0xffffffff", CLFS_CASE_MAKE, 0, 0xffffffffU, 0, 0,
	  CLFS_LSN_INVALID },
	{ "make unaligned offset", CLFS_CASE_MAKE, 0, 1, 0x201, 0,
	  CLFS_LSN_INVALID },
	{ "make record 512", CLFS_CASE_MAKE, 0, 1, 0, 512, CLFS_LSN_INVALID },
	{ "increment record", CLFS_CASE_INCREMENT, 0x0000000100000203ULL,
	  0, 0, 0, 0x0000000100000204ULL },
	{ "increment carries into block", CLFS_CASE_INCREMENT,
	  0x00000001000003ffULL, 0, 0, 0, 0x0000000100000400ULL },
	{ "increment carries into container", CLFS_CASE_INCREMENT,
	  0x00000001ffffffffULL, 0, 0, 0, 0x0000000200000000ULL },
	{ "increment NULL", CLFS_CASE_INCREMENT, CLFS_LSN_NULL, 0, 0, 0, 1 },
	{ "increment largest", CLFS_CASE_INCREMENT, 0xfffffffeffffffffULL,
	  0, 0, 0, CLFS_LSN_INVALID },
	{ "increment INVALID", CLFS_CASE_INCREMENT, CLFS_LSN_INVALID, 0, 0, 0,
	  CLFS_LSN_INVALID },
	{ "increment above INVALID", CLFS_CASE_INCREMENT, ~0ULL, 0, 0, 0,
	  CLFS_LSN_INVALID },
	{ "next record", CLFS_CASE_NEXT_RECORD, 0x0000000100000205ULL, 0, 0, 0,
	  0x0000000100000206ULL },
	{ "next record past 511", CLFS_CASE_NEXT_RECORD, 0x00000001000003ffULL,
	  0, 0, 0, CLFS_LSN_INVALID },
	{ "next record of INVALID", CLFS_CASE_NEXT_RECORD, CLFS_LSN_INVALID,
	  0, 0, 0, CLFS_LSN_INVALID },
	{ "next block", CLFS_CASE_NEXT_BLOCK, 0x0000000100000207ULL, 0x1000,
	  0, 0, 0x0000000100001200ULL },
	{ "next block to the last offset", CLFS_CASE_NEXT_BLOCK,
	  0x00000001fffffc00ULL, 512, 0, 0, 0x00000001fffffe00ULL },
	{ "next block past the last offset", CLFS_CASE_NEXT_BLOCK,
	  0x00000001fffffe00ULL, 512, 0, 0, CLFS_LSN_INVALID },
	{ "next block of size 0", CLFS_CASE_NEXT_BLOCK, 0x0000000100000200ULL,
	  0, 0, 0, CLFS_LSN_INVALID },
	{ "next block of unaligned size", CLFS_CASE_NEXT_BLOCK,
	  0x0000000100000200ULL, 100, 0, 0, CLFS_LSN_INVALID },
	{ "next block of huge size", CLFS_CASE_NEXT_BLOCK, 0x0000000100000200ULL,
	  0xfffffe00U, 0, 0, CLFS_LSN_INVALID },
	{ "next block of INVALID", CLFS_CASE_NEXT_BLOCK, CLFS_LSN_INVALID, 512,
	  0, 0, CLFS_LSN_INVALID },
	{ "next container", CLFS_CASE_NEXT_CONTAINER, 0x0000000100000203ULL,
	  0, 0, 0, 0x0000000200000000ULL },
	{ "next container of NULL", CLFS_CASE_NEXT_CONTAINER, CLFS_LSN_NULL,
	  0, 0, 0, 0x0000000100000000ULL },
	{ "next container after the last", CLFS_CASE_NEXT_CONTAINER,
	  0xfffffffe00000000ULL, 0, 0, 0, CLFS_LSN_INVALID },
	{ "next container of INVALID", CLFS_CASE_NEXT_CONTAINER,
	  CLFS_LSN_INVALID, 0, 0, 0, CLFS_LSN_INVALID },
};

/* Evaluate one case; both test harnesses compare the result with ->want. */
static inline __u64 clfs_lsn_case_eval(const struct clfs_lsn_case *c)
{
	switch (c->op) {
	case CLFS_CASE_MAKE:
		return clfs_lsn_make(c->a, c->b, c->c);
	case CLFS_CASE_INCREMENT:
		return clfs_lsn_increment(c->in);
	case CLFS_CASE_NEXT_RECORD:
		return clfs_lsn_next_record(c->in);
	case CLFS_CASE_NEXT_BLOCK:
		return clfs_lsn_next_block(c->in, c->a);
	case CLFS_CASE_NEXT_CONTAINER:
		return clfs_lsn_next_container(c->in);
	}
	return ~0ULL;	/* never a wanted value: fails the case */
}

/* LSNs in strictly increasing order, for the comparison checks. */
static const __u64 clfs_lsn_ordered[] = {
	CLFS_LSN_NULL,
	0x0000000000000001ULL,
	0x00000000000001ffULL,
	0x0000000000000200ULL,
	0x00000000fffffe00ULL,
	0x00000000ffffffffULL,
	0x0000000100000000ULL,
	0x0000000100000203ULL,
	0xfffffffeffffffffULL,
	CLFS_LSN_INVALID,
};

#endif /* CLFS_LSN_CASES_H */

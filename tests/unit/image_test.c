// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test of the offline image reader (tools/lib/clfs_image.c), the
 * code behind clfsctl dump and check.
 *
 * Each case builds a log image in memory with the shared encoders of
 * src/format/clfs_format.c (metadata copies A and B, container headers, log
 * blocks), laid out as Documentation/clfs/format.rst says, written the way
 * the module's writer writes (block after block, the next logical
 * container when a block does not fit, sequence numbers and floors), then
 * damages it the way a crash, a recycle, a truncation or an attacker
 * would, and checks that the reader returns exactly the records the
 * module's recovery keeps (LSNs, headers, bytes), says why the log ended
 * where it did, and refuses what the module refuses, with its errno.  The
 * read callback checks that the reader never asks for bytes outside a
 * device.  A last case flips random bytes of a valid image and only asks
 * that nothing crashes (run it under ASan/UBSan).
 *
 * Output: "ok   NAME" or "FAIL NAME: detail" per check, then a summary;
 * the exit status is non-zero on any failure.  With a directory argument
 * the images of a few cases are also written there as NAME.img (and
 * NAME-dev2.img), with the records clfsctl dump must print in
 * NAME.records, for tests/tools/test-clfsctl.sh.
 *
 * Build: gcc -Wall -Wextra -Werror -Iuapi -Ikernel -Itools/lib
 *        -o build/image_test tests/unit/image_test.c tools/lib/clfs_image.c
 *        src/format/clfs_format.c tools/lib/crc32c.c
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "image_fixture.h"

#define MAX_RECS	64

static unsigned int passed, failed;
static const char *out_dir;

static void check(bool ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void check(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		printf("ok   %s\n", name);
		return;
	}
	failed++;
	printf("FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* What the reader returned. */
struct got {
	unsigned int n;
	struct clfs_record_view rv[MAX_RECS];
	u8 data[MAX_RECS][BS];
};

static struct got got;

static int collect(void *arg, const struct clfs_record_view *rv,
		   const void *data)
{
	struct got *g = arg;

	if (g->n == MAX_RECS)
		return -E2BIG;
	g->rv[g->n] = *rv;
	memcpy(g->data[g->n], data, rv->length);
	g->n++;
	return 0;
}

struct want {
	u64 lsn;
	const char *data;
	u32 len;
	u32 type;
	u64 undo_next;
	u64 previous;
};

#define W(l, s) { l, s, sizeof(s) - 1, CLFS_RECORD_DATA, CLFS_LSN_INVALID, \
		  CLFS_LSN_INVALID }

/* Are the records of the recovered image exactly @w? */
static void expect_records(struct tlog *t, const char *name,
			   const struct want *w, unsigned int n)
{
	unsigned int i;
	int ret;

	got.n = 0;
	ret = clfs_image_records(&t->img, collect, &got);
	if (ret) {
		check(false, name, "clfs_image_records() = %d", ret);
		return;
	}
	if (got.n != n) {
		check(false, name, "%u records, want %u", got.n, n);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct clfs_record_view *rv = &got.rv[i];

		if (rv->lsn != w[i].lsn || rv->length != w[i].len ||
		    rv->type != w[i].type || rv->undo_next != w[i].undo_next ||
		    rv->previous != w[i].previous ||
		    memcmp(got.data[i], w[i].data, w[i].len)) {
			check(false, name,
			      "record %u: lsn %#llx length %u type %u undo %#llx prev %#llx, want lsn %#llx length %u type %u undo %#llx prev %#llx (or other bytes)",
			      i, (unsigned long long)rv->lsn, rv->length,
			      rv->type, (unsigned long long)rv->undo_next,
			      (unsigned long long)rv->previous,
			      (unsigned long long)w[i].lsn, w[i].len,
			      w[i].type, (unsigned long long)w[i].undo_next,
			      (unsigned long long)w[i].previous);
			return;
		}
	}
	check(true, name, " ");
}

static void expect_eq(const char *name, long long got_v, long long want)
{
	check(got_v == want, name, "got %lld (%#llx), want %lld (%#llx)",
	      got_v, (unsigned long long)got_v, want,
	      (unsigned long long)want);
}

static void expect_no_bad_read(struct tlog *t, const char *name)
{
	check(!t->dev[0].bad_read && !t->dev[1].bad_read, name,
	      "the reader asked for bytes outside a device");
}

/* Files for tests/tools/test-clfsctl.sh: NAME.img, NAME-dev2.img, NAME.records. */
static void save(struct tlog *t, const char *name, const struct want *w,
		 unsigned int n)
{
	char path[4096];
	unsigned int i, k;
	FILE *f;

	if (!out_dir)
		return;
	for (i = 0; i < t->n_dev; i++) {
		snprintf(path, sizeof(path), "%s/%s%s.img", out_dir, name,
			 i ? "-dev2" : "");
		f = fopen(path, "wb");
		if (!f || fwrite(t->dev[i].p, 1, t->dev[i].bytes, f) !=
			  t->dev[i].bytes || fclose(f)) {
			perror(path);
			exit(2);
		}
	}
	snprintf(path, sizeof(path), "%s/%s.records", out_dir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	/* The record format of clfsctl(8), written independently. */
	for (i = 0; i < n; i++) {
		fprintf(f, "lsn 0x%016llx type %s length %u undo-next 0x%016llx previous 0x%016llx data \"",
			(unsigned long long)w[i].lsn,
			w[i].type == CLFS_RECORD_DATA ? "data" : "restart",
			w[i].len, (unsigned long long)w[i].undo_next,
			(unsigned long long)w[i].previous);
		for (k = 0; k < w[i].len; k++) {
			u8 c = (u8)w[i].data[k];

			if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
				fputc(c, f);
			else
				fprintf(f, "\\x%02x", c);
		}
		fputs("\"\n", f);
	}
	if (fclose(f)) {
		perror(path);
		exit(2);
	}
}

/*
 * A hostile image for tests/integration/09-images.sh (hostile-NAME.img,
 * hostile-NAME-dev2.img): in the guests the module opens and reads each,
 * and must agree with this reader, refusing what it refuses.
 */
static void save_hostile(struct tlog *t, const char *name)
{
	char n[128];

	snprintf(n, sizeof(n), "hostile-%s", name);
	save(t, n, NULL, 0);
}

static void test_empty(void)
{
	struct tlog t;

	t_new(&t, 2, 0);
	expect_eq("empty: opens", t_open(&t, 1), 0);
	expect_eq("empty: copy B (generation 2) is used", t.img.copy, 1);
	expect_eq("empty: no blocks", (long long)t.img.n_blocks, 0);
	expect_eq("empty: first LSN invalid", (long long)t.img.first_lsn,
		  (long long)CLFS_LSN_INVALID);
	expect_eq("empty: last LSN invalid", (long long)t.img.last_lsn,
		  (long long)CLFS_LSN_INVALID);
	expect_eq("empty: the first position holds no block", t.img.stop[0].why,
		  CLFS_WHY_UNWRITTEN);
	expect_records(&t, "empty: no records", NULL, 0);
	expect_eq("empty: check finds no problem", clfs_image_check(&t.img), 0);
	expect_eq("empty: nothing reported", t.reports, 0);
	save(&t, "empty", NULL, 0);
	t_free(&t);
}

static void test_basic(void)
{
	static const char bin[] = "\x00\x01\"\\\xff" "end";
	struct trec b1[] = { R("alpha"), R("bravo") };
	struct trec b2[] = { R("charlie") };
	struct trec b3[] = { R(""), { bin, sizeof(bin) - 1, CLFS_RECORD_RESTART,
				     0, 0 }, R("foxtrot") };
	struct want w[6];
	u64 l1, l2, l3;
	struct tlog t;

	t_new(&t, 2, 0);
	l1 = t_block(&t, 2, b1);
	/* chains: undo-next and previous point back */
	b2[0].previous = l1 + 1;
	b2[0].undo_next = l1;
	l2 = t_block(&t, 1, b2);
	/* the first restart area: none before it */
	b3[1].undo_next = CLFS_LSN_INVALID;
	b3[1].previous = CLFS_LSN_INVALID;
	l3 = t_block(&t, 3, b3);
	expect_eq("basic: opens", t_open(&t, 1), 0);
	expect_eq("basic: 3 blocks", (long long)t.img.n_blocks, 3);
	expect_eq("basic: first block at (0, 4096)", (long long)l1,
		  (long long)clfs_lsn_make(0, 4096, 0));
	expect_eq("basic: second block right after the first",
		  (long long)l2, (long long)clfs_lsn_make(0, 4096 + 512, 0));
	expect_eq("basic: first LSN", (long long)t.img.first_lsn, (long long)l1);
	expect_eq("basic: last LSN", (long long)t.img.last_lsn,
		  (long long)(l3 + 2));
	expect_eq("basic: next write position",
		  (long long)t.img.next_lsn,
		  (long long)clfs_lsn_make(0, 4096 + 3 * 512, 0));
	expect_eq("basic: last sequence number", (long long)t.img.last_seq, 3);
	expect_eq("basic: ends at an unwritten position", t.img.stop[0].why,
		  CLFS_WHY_UNWRITTEN);
	expect_eq("basic: then no block in the next container",
		  t.img.stop[1].why, CLFS_WHY_UNWRITTEN);
	w[0] = (struct want)W(l1, "alpha");
	w[1] = (struct want)W(l1 + 1, "bravo");
	w[2] = (struct want)W(l2, "charlie");
	w[2].previous = l1 + 1;
	w[2].undo_next = l1;
	w[3] = (struct want)W(l3, "");
	w[4] = (struct want){ l3 + 1, bin, sizeof(bin) - 1,
			      CLFS_RECORD_RESTART, CLFS_LSN_INVALID,
			      CLFS_LSN_INVALID };
	w[5] = (struct want)W(l3 + 2, "foxtrot");
	expect_records(&t, "basic: exact records, headers and bytes", w, 6);
	expect_eq("basic: check finds no problem", clfs_image_check(&t.img), 0);
	expect_eq("basic: check counts 6 records", (long long)t.img.n_records,
		  6);
	expect_no_bad_read(&t, "basic: reads stay inside the devices");
	save(&t, "basic", w, 6);

	/* The metadata's base LSN hides the records before it. */
	t.mi->base_lsn = l2;
	t_meta(&t, 0, 3);
	expect_eq("base: opens", t_open(&t, 1), 0);
	expect_eq("base: uses the newer copy A", t.img.copy, 0);
	expect_eq("base: first LSN is the base", (long long)t.img.first_lsn,
		  (long long)l2);
	expect_records(&t, "base: records from the base on", w + 2, 4);
	/* An archive tail below the base starts the active log earlier. */
	t.mi->archive_tail = l1 + 1;
	t_meta(&t, 1, 4);
	expect_eq("archive tail: opens", t_open(&t, 1), 0);
	expect_eq("archive tail: start is min(base, archive tail)",
		  (long long)t.img.start_lsn, (long long)(l1 + 1));
	expect_records(&t, "archive tail: records from the archive tail on",
		       w + 1, 5);
	expect_eq("archive tail: check finds no problem",
		  clfs_image_check(&t.img), 0);
	/* A restart LSN naming a data record is a problem for check. */
	t.mi->restart_lsn = l2;
	t_meta(&t, 0, 5);
	expect_eq("restart on data: opens", t_open(&t, 1), 0);
	expect_eq("restart on data: check reports it", clfs_image_check(&t.img),
		  1);
	t.mi->restart_lsn = l3 + 1;
	t_meta(&t, 1, 6);
	t_open(&t, 1);
	expect_eq("restart: a restart record passes check",
		  clfs_image_check(&t.img), 0);
	/* A base LSN past the end of the recovered log. */
	t.mi->base_lsn = clfs_lsn_make(1, 8192, 0);
	t.mi->archive_tail = CLFS_LSN_INVALID;
	t.mi->restart_lsn = CLFS_LSN_INVALID;
	t_meta(&t, 0, 7);
	expect_eq("base past the end: opens", t_open(&t, 1), 0);
	expect_records(&t, "base past the end: no records", NULL, 0);
	expect_eq("base past the end: first LSN invalid",
		  (long long)t.img.first_lsn, (long long)CLFS_LSN_INVALID);
	expect_eq("base past the end: check reports it",
		  clfs_image_check(&t.img), 1);
	t_free(&t);
}

/* Set the previous LSN of the first record of the block at @lsn. */
static void t_set_previous(struct tlog *t, u64 lsn, u64 prev)
{
	struct clfs_record_header *h =
		(void *)t_at(t, lsn, sizeof(struct clfs_block_header));

	h->previous = cpu_to_le64(prev);
	t_reseal(t, lsn);
}

/*
 * The restart chain: R1 <- R2 <- R3 (restart areas, each naming the one
 * before it) passes check; a chain that loops (R1 names itself, or R2), or
 * that names a data record, is reported once, with a valid crc on every
 * block, as the module's truncation refuses it (-EUCLEAN).
 */
static void test_restart_chain(void)
{
	struct trec d[] = { R("data") };
	struct trec r = { "ckpt", 4, CLFS_RECORD_RESTART, CLFS_LSN_INVALID,
			  CLFS_LSN_INVALID };
	u64 dl, r1, r2, r3;
	struct tlog t;

	t_new(&t, 2, 0);
	dl = t_block(&t, 1, d);
	r1 = t_block(&t, 1, &r);
	r.previous = r1;
	r2 = t_block(&t, 1, &r);
	r.previous = r2;
	r3 = t_block(&t, 1, &r);
	t.mi->restart_lsn = r3;
	t_meta(&t, 0, 3);
	expect_eq("restart chain: opens", t_open(&t, 1), 0);
	expect_eq("restart chain: check finds no problem",
		  clfs_image_check(&t.img), 0);

	t_set_previous(&t, r1, r1);
	save_hostile(&t, "restart-self-loop");
	expect_eq("restart chain R1 -> R1: opens", t_open(&t, 1), 0);
	expect_eq("restart chain R1 -> R1: check reports it",
		  clfs_image_check(&t.img), 1);
	check(strstr(t.last_report, "loops or points forward") != NULL,
	      "restart chain R1 -> R1: the report says it loops", "%s",
	      t.last_report);

	t_set_previous(&t, r1, r2);
	save_hostile(&t, "restart-two-loop");
	expect_eq("restart chain R1 -> R2 -> R1: opens", t_open(&t, 1), 0);
	expect_eq("restart chain R1 -> R2 -> R1: check reports it",
		  clfs_image_check(&t.img), 1);

	t_set_previous(&t, r1, dl);
	save_hostile(&t, "restart-to-data");
	expect_eq("restart chain R1 -> data: opens", t_open(&t, 1), 0);
	expect_eq("restart chain R1 -> data: check reports it",
		  clfs_image_check(&t.img), 1);
	check(strstr(t.last_report, "no restart area") != NULL,
	      "restart chain R1 -> data: the report says so", "%s",
	      t.last_report);

	t_set_previous(&t, r1, CLFS_LSN_INVALID);
	expect_eq("restart chain repaired: opens", t_open(&t, 1), 0);
	expect_eq("restart chain repaired: check finds no problem",
		  clfs_image_check(&t.img), 0);
	t_free(&t);
}

/* Fill container 0 the way the writer does, then continue in 1. */
static void test_wrap(void)
{
	struct trec r[] = { R("next") };
	struct tlog t;
	u64 lsn = 0, last0 = 0;
	unsigned int i;

	t_new(&t, 3, 0);
	for (i = 0; i < 126; i++)
		last0 = t_block_fill(&t, 3900, 'a' + i % 26);
	/* 4096 bytes left: a 1024-byte block, then 3072 left */
	last0 = t_block_fill(&t, 900, 'z');
	expect_eq("wrap: a short block fits at the end of container 0",
		  (long long)last0, (long long)clfs_lsn_make(0, 0x7f000, 0));
	/* a full block does not fit: the next logical container */
	lsn = t_block_fill(&t, 3900, '!');
	expect_eq("wrap: the writer moved to container 1", (long long)lsn,
		  (long long)clfs_lsn_make(1, 4096, 0));
	t_block(&t, 1, r);
	expect_eq("wrap: opens", t_open(&t, 1), 0);
	expect_eq("wrap: every block found", (long long)t.img.n_blocks, 129);
	expect_eq("wrap: last LSN in container 1", (long long)t.img.last_lsn,
		  (long long)clfs_lsn_make(1, 8192, 0));
	expect_eq("wrap: continued across the unused end of container 0",
		  (long long)t.img.blocks[127].bi.lsn, (long long)lsn);
	expect_eq("wrap: check finds no problem", clfs_image_check(&t.img), 0);
	expect_eq("wrap: 129 records", (long long)t.img.n_records, 129);
	expect_no_bad_read(&t, "wrap: reads stay inside the devices");
	t_free(&t);
}

/* A torn block ends the log, even with a valid block after it. */
static void test_torn(void)
{
	struct trec r1[] = { R("one"), R("two") };
	struct trec r2[] = { R("three") };
	struct trec r3[] = { R("four") };
	struct want w[2];
	struct tlog t;
	u64 l1, l2;

	t_new(&t, 2, 0);
	l1 = t_block(&t, 2, r1);
	l2 = t_block(&t, 1, r2);
	t_block(&t, 1, r3);
	/* a sector of block 2 never reached the disk: one stale byte */
	t_at(&t, l2, 64 + 40)[0] ^= 0x20;
	expect_eq("torn: opens", t_open(&t, 1), 0);
	expect_eq("torn: one block kept", (long long)t.img.n_blocks, 1);
	expect_eq("torn: stops at the torn block", (long long)t.img.stop[0].lsn,
		  (long long)l2);
	expect_eq("torn: as a torn or corrupt block", t.img.stop[0].why,
		  CLFS_WHY_INVALID);
	w[0] = (struct want)W(l1, "one");
	w[1] = (struct want)W(l1 + 1, "two");
	expect_records(&t, "torn: the records before it", w, 2);
	expect_eq("torn: last LSN", (long long)t.img.last_lsn,
		  (long long)(l1 + 1));
	save(&t, "torn", w, 2);
	t_free(&t);
}

/* Stale blocks of an earlier lap fail the position check. */
static void test_stale_lap(void)
{
	struct trec a[] = { R("lap0-a") }, b[] = { R("lap0-b") };
	struct trec c[] = { R("c1"), R("c2") }, d[] = { R("d") };
	struct trec e[] = { R("lap1-e") };
	struct want w[4];
	struct tlog t;
	u64 lc, ld, le;

	t_new(&t, 2, 0);
	t_block(&t, 1, a);
	t_block(&t, 1, b);
	t_block(&t, 1, a);
	/* jump to logical container 1 (reader-legal), two blocks there */
	t.off = CS;
	lc = t_block(&t, 2, c);
	ld = t_block(&t, 1, d);
	/* recycle physical 0 as logical 2; the base moved to container 1 */
	t.mi->containers[0].logical_id = 2;
	t.mi->next_logical = 3;
	t.mi->base_lsn = lc;
	t_meta(&t, 0, 3);
	t.off = CS;
	le = t_block(&t, 1, e);
	expect_eq("lap: new block at (2, 4096)", (long long)le,
		  (long long)clfs_lsn_make(2, 4096, 0));
	expect_eq("lap: opens", t_open(&t, 1), 0);
	expect_eq("lap: 3 blocks", (long long)t.img.n_blocks, 3);
	expect_eq("lap: the old lap's next block is refused as stale",
		  t.img.stop[0].why, CLFS_WHY_STALE);
	expect_eq("lap: at (2, 4608)", (long long)t.img.stop[0].lsn,
		  (long long)clfs_lsn_make(2, 4608, 0));
	expect_eq("lap: and there is no container after 2", t.img.stop[1].why,
		  CLFS_WHY_NO_CONTAINER);
	w[0] = (struct want)W(lc, "c1");
	w[1] = (struct want)W(lc + 1, "c2");
	w[2] = (struct want)W(ld, "d");
	w[3] = (struct want)W(le, "lap1-e");
	expect_records(&t, "lap: records of the active lap only", w, 4);
	expect_eq("lap: check finds no problem", clfs_image_check(&t.img), 0);
	save(&t, "lap", w, 4);
	t_free(&t);
}

/* Same lap, after a crash: a valid block that breaks the chain. */
static void test_chain(void)
{
	struct trec r[] = { R("r1"), R("r2") };
	struct trec n3[] = { R("new3"), R("new3b") };
	struct want w[7];
	struct tlog t;
	u64 l1, l2, l3, l4, l3n;

	t_new(&t, 2, 0);
	l1 = t_block(&t, 2, r);
	l2 = t_block(&t, 2, r);
	l3 = t_block(&t, 2, r);
	l4 = t_block(&t, 2, r);
	(void)l4;
	/* block 3 was torn: the log ended at block 2 */
	t_at(&t, l3, 200)[0] ^= 1;
	/* the next open moved the floor: max(0, 2) + 2 * 64 */
	t.mi->seq_floor = 2 + 2 * CLFS_MAX_IN_FLIGHT;
	t_meta(&t, 0, 3);
	t.floor = t.mi->seq_floor;
	t.seq = t.floor;
	t.off = clfs_lsn_block_offset(l3);
	t.prev_lsn = l2;
	t.prev_last = l2 + 1;
	l3n = t_block(&t, 2, n3);
	expect_eq("chain: the new block reuses block 3's place", (long long)l3n,
		  (long long)l3);
	expect_eq("chain: opens", t_open(&t, 1), 0);
	expect_eq("chain: the old block 4 does not follow the new block 3",
		  t.img.stop[0].why, CLFS_WHY_CHAIN);
	expect_eq("chain: 3 blocks", (long long)t.img.n_blocks, 3);
	w[0] = (struct want)W(l1, "r1");
	w[1] = (struct want)W(l1 + 1, "r2");
	w[2] = (struct want)W(l2, "r1");
	w[3] = (struct want)W(l2 + 1, "r2");
	w[4] = (struct want)W(l3n, "new3");
	w[5] = (struct want)W(l3n + 1, "new3b");
	expect_records(&t, "chain: records up to the new block", w, 6);
	expect_eq("chain: last sequence number",
		  (long long)t.img.last_seq, (long long)(t.floor + 1));
	expect_eq("chain: check finds no problem", clfs_image_check(&t.img), 0);
	t_free(&t);
}

static void test_truncation(void)
{
	struct trec r3[] = { R("a"), R("b"), R("c") };
	struct trec r1[] = { R("d") };
	struct trec n1[] = { R("after-trunc") };
	struct trec n2[] = { R("x"), R("y") };
	struct want w[6];
	struct tlog t;
	u64 b, b2, nb, nb2;

	t_new(&t, 2, 0);
	b = t_block(&t, 3, r3);
	b2 = t_block(&t, 1, r1);
	/* truncate to b: metadata end_lsn = b + 1, floor F as both floors */
	t.mi->end_lsn = b + 1;
	t.mi->end_floor = t.mi->seq_floor = 200;
	t_meta(&t, 0, 3);
	/* crash before any new block: the old block after B is refused */
	expect_eq("truncation: opens", t_open(&t, 1), 0);
	expect_eq("truncation: the block written before it is refused",
		  t.img.stop[0].why, CLFS_WHY_TRUNCATED);
	expect_eq("truncation: at its position", (long long)t.img.stop[0].lsn,
		  (long long)b2);
	expect_eq("truncation: last LSN is the truncation point",
		  (long long)t.img.last_lsn, (long long)(b + 1));
	w[0] = (struct want)W(b, "a");
	w[1] = (struct want)W(b + 1, "b");
	expect_records(&t, "truncation: records up to the truncation point",
		       w, 2);
	expect_eq("truncation: check finds no problem",
		  clfs_image_check(&t.img), 0);
	save(&t, "trunc", w, 2);

	/* new blocks after B: floor F, first seq F + 1, prev_last = T */
	t.off = clfs_lsn_block_offset(b2);
	t.floor = 200;
	t.seq = 200;
	t.prev_lsn = b;
	nb = t_block_ex(&t, 1, n1, b + 1);
	nb2 = t_block(&t, 2, n2);
	expect_eq("truncation: new block at the old block's place",
		  (long long)nb, (long long)b2);
	expect_eq("truncation, then new blocks: opens", t_open(&t, 1), 0);
	expect_eq("truncation, then new blocks: 3 blocks",
		  (long long)t.img.n_blocks, 3);
	expect_eq("truncation, then new blocks: B keeps 2 records",
		  t.img.blocks[0].kept, 2);
	w[2] = (struct want)W(nb, "after-trunc");
	w[3] = (struct want)W(nb2, "x");
	w[4] = (struct want)W(nb2 + 1, "y");
	expect_records(&t, "truncation, then new blocks: exact records", w, 5);
	expect_eq("truncation, then new blocks: check finds no problem",
		  clfs_image_check(&t.img), 0);

	/* a new block must name T as prev_last: one naming c is refused */
	*(__le64 *)t_at(&t, nb, offsetof(struct clfs_block_header, prev_last)) =
		cpu_to_le64(b + 2);
	t_reseal(&t, nb);
	expect_eq("truncation, bad prev_last: opens", t_open(&t, 1), 0);
	expect_eq("truncation, bad prev_last: refused", t.img.stop[0].why,
		  CLFS_WHY_TRUNCATED);
	expect_records(&t, "truncation, bad prev_last: records up to T", w, 2);
	t_free(&t);
}

static void test_meta(void)
{
	struct trec r[] = { R("m") };
	struct want w[1];
	struct clfs_meta *m;
	struct tlog t;
	u64 l;

	t_new(&t, 2, 0);
	l = t_block(&t, 1, r);
	w[0] = (struct want)W(l, "m");
	/* copy B (generation 2, the newer) torn: fall back to A */
	t.dev[0].p[CLFS_META_B_OFFSET + 300] ^= 0xff;
	expect_eq("meta: newer copy corrupt: opens", t_open(&t, 1), 0);
	expect_eq("meta: newer copy corrupt: uses copy A", t.img.copy, 0);
	expect_eq("meta: copy B reported invalid", t.img.meta_ret[1], -EUCLEAN);
	expect_eq("meta: one report", t.reports, 1);
	expect_records(&t, "meta: records with copy A", w, 1);
	save(&t, "copyb", w, 1);
	/* both corrupt */
	t.dev[0].p[CLFS_META_A_OFFSET + 41] ^= 0x01;
	expect_eq("meta: both copies corrupt: EUCLEAN", t_open(&t, 1),
		  -EUCLEAN);
	expect_eq("meta: both copies corrupt: no copy chosen", t.img.copy, -1);
	save(&t, "nometa", NULL, 0);
	/* same generation */
	t_meta(&t, 0, 9);
	t_meta(&t, 1, 9);
	expect_eq("meta: one generation in both copies: EUCLEAN",
		  t_open(&t, 1), -EUCLEAN);
	/* another log's copy next to ours */
	t_meta(&t, 1, 10);
	m = (void *)(t.dev[0].p + CLFS_META_B_OFFSET);
	m->log_uuid[3] ^= 1;
	t.seed = clfs_seed(m->log_uuid);
	t_meta_reseal(&t, 1, le32_to_cpu(m->bytes));
	t.seed = clfs_seed(t.mi->uuid);
	expect_eq("meta: copies of two logs: EUCLEAN", t_open(&t, 1),
		  -EUCLEAN);
	/* an unknown major version */
	t_meta(&t, 1, 10);
	m->version_major = cpu_to_le16(4);
	t_meta_reseal(&t, 1, le32_to_cpu(m->bytes));
	expect_eq("meta: format 4 copy ignored, copy A used", t_open(&t, 1), 0);
	expect_eq("meta: format 4 copy: copy A", t.img.copy, 0);
	/* an image too small for the metadata */
	t.dev[0].bytes = 100000;
	expect_eq("meta: image smaller than the metadata area: EIO",
		  t_open(&t, 1), -EIO);
	expect_no_bad_read(&t, "meta: reads stay inside the devices");
	t_free(&t);
}

/*
 * A v2 log: the basic records under metadata whose version is 2.  The
 * reader refuses it naming the version (as the module does); converted
 * by clfs_meta_from_v2() every copy decodes with every field, and the
 * log reads exactly as before.  Saved as v2.img for clfsctl upgrade.
 */
static void test_v2(void)
{
	static u8 conv[CLFS_META_COPY_SIZE];
	struct trec r[] = { R("two"), R("three") };
	struct clfs_meta_info *mi = calloc(1, sizeof(*mi));
	struct clfs_meta *m;
	struct want w[2];
	struct tlog t;
	int copy;
	u64 l;

	t_new(&t, 2, 0);
	l = t_block(&t, 2, r);
	w[0] = (struct want)W(l, "two");
	w[1] = (struct want)W(l + 1, "three");
	for (copy = 0; copy < 2; copy++) {
		m = (void *)(t.dev[0].p + (copy ? CLFS_META_B_OFFSET : 0));
		/* Every v2 image is v2.0. */
		m->version_major = cpu_to_le16(2);
		m->version_minor = 0;
		t_meta_reseal(&t, copy, le32_to_cpu(m->bytes));
	}
	expect_eq("v2: refused", t_open(&t, 1), -EUCLEAN);
	check(strstr(t.first_report, "copy A: format version 2.0, not 3") !=
	      NULL, "v2: the report names the version", "%s",
	      t.first_report);
	expect_eq("v2: three reports (both copies, no valid copy)", t.reports,
		  3);
	expect_eq("v2: copy B converts",
		  clfs_meta_from_v2(t.dev[0].p + CLFS_META_B_OFFSET, conv, mi),
		  0);
	expect_eq("v2: converted copy B is generation 2",
		  (long long)mi->generation, 2);
	expect_eq("v2: converted copy B: dedicated", mi->flags, 0);
	expect_eq("v2: converted copy B: containers", mi->n_containers,
		  t.mi->n_containers);
	expect_eq("v2: a v3 copy does not convert",
		  clfs_meta_from_v2(conv, conv, mi), -EUCLEAN);
	save(&t, "v2", w, 2);
	/* The converted copy in place: the log reads as before. */
	memcpy(t.dev[0].p + CLFS_META_B_OFFSET, conv, CLFS_META_COPY_SIZE);
	expect_eq("v2: converted copy B: opens", t_open(&t, 1), 0);
	expect_eq("v2: converted copy B is used", t.img.copy, 1);
	expect_records(&t, "v2: the same records", w, 2);
	free(mi);
	t_free(&t);
}

static void test_hostile_meta(void)
{
	struct clfs_meta *m;
	struct tlog t;
	u32 bytes;

	t_new(&t, 2, 0);
	/* n_containers huge, crc recomputed over the claimed bytes */
	m = (void *)(t.dev[0].p + CLFS_META_B_OFFSET);
	bytes = le32_to_cpu(m->bytes);
	m->n_containers = cpu_to_le32(0xffffffffU);
	t_meta_reseal(&t, 1, bytes);
	save_hostile(&t, "meta-count-copy-b");
	expect_eq("hostile: huge n_containers in copy B: copy A used",
		  t_open(&t, 1), 0);
	expect_eq("hostile: huge n_containers: copy A", t.img.copy, 0);
	m->bytes = cpu_to_le32(0xfffffff0U);
	t_meta_reseal(&t, 1, bytes);
	m = (void *)(t.dev[0].p + CLFS_META_A_OFFSET);
	m->n_containers = cpu_to_le32(1025);
	m->bytes = cpu_to_le32(256 + 48 * 1025);
	t_meta_reseal(&t, 0, 256 + 48 * 1025);
	save_hostile(&t, "meta-count-both");
	expect_eq("hostile: both copies claim too many containers: EUCLEAN",
		  t_open(&t, 1), -EUCLEAN);

	/* a container offset that overflows with the container size */
	t_meta(&t, 0, 3);
	t_meta(&t, 1, 4);
	m = (void *)(t.dev[0].p + CLFS_META_B_OFFSET);
	((struct clfs_meta_container *)(m + 1))[1].dev_offset =
		cpu_to_le64(0xffffffffffff0000ULL);
	t_meta_reseal(&t, 1, le32_to_cpu(m->bytes));
	save_hostile(&t, "meta-offset-overflow");
	expect_eq("hostile: overflowing container offset: copy refused",
		  t_open(&t, 1), 0);
	expect_eq("hostile: overflowing container offset: copy A used",
		  t.img.copy, 0);

	/* a valid copy whose container lies far past the device */
	t.mi->containers[1].dev_offset = 1ULL << 62;
	t_meta(&t, 1, 5);
	save_hostile(&t, "meta-past-device");
	expect_eq("hostile: container past the device end: EUCLEAN",
		  t_open(&t, 1), -EUCLEAN);
	expect_eq("hostile: container past the device end: its header bad",
		  t.img.cont_ret[1], -EUCLEAN);
	expect_eq("hostile: container past the device end: the other fine",
		  t.img.cont_ret[0], 0);
	expect_eq("hostile: no recovery after a failed open",
		  clfs_image_recover(&t.img), -EINVAL);
	t.mi->containers[1].dev_offset = CLFS_CONTAINERS_START + CS;
	t_meta(&t, 1, 6);

	/* a container header of another container */
	memcpy(t.dev[0].p + CLFS_CONTAINERS_START + CS,
	       t.dev[0].p + CLFS_CONTAINERS_START, IO);
	save_hostile(&t, "cont-header-other");
	expect_eq("hostile: container header of another container: EUCLEAN",
		  t_open(&t, 1), -EUCLEAN);
	check(strstr(t.last_report, "container 1") != NULL,
	      "hostile: the report names container 1", "report '%s'",
	      t.last_report);
	expect_no_bad_read(&t, "hostile: reads stay inside the devices");
	t_free(&t);
}

static void test_hostile_blocks(void)
{
	struct trec r[] = { R("good"), R("record") };
	struct clfs_block_header *h;
	struct clfs_record_header *rh;
	struct want w[2];
	struct tlog t;
	u64 l1, l2;

	t_new(&t, 2, 0);
	l1 = t_block(&t, 2, r);
	l2 = t_block(&t, 2, r);
	w[0] = (struct want)W(l1, "good");
	w[1] = (struct want)W(l1 + 1, "record");
	h = (void *)t_at(&t, l2, 0);
	rh = (void *)t_at(&t, l2, 64);

	rh->length = cpu_to_le32(0xfffffff0U);
	t_reseal(&t, l2);
	save_hostile(&t, "rec-length");
	t_open(&t, 1);
	expect_eq("hostile block: huge record length: refused",
		  t.img.stop[0].why, CLFS_WHY_INVALID);
	expect_records(&t, "hostile block: huge record length: records before",
		       w, 2);
	rh->length = cpu_to_le32(4);

	h->n_records = cpu_to_le16(0xffff);
	t_reseal(&t, l2);
	save_hostile(&t, "rec-count");
	t_open(&t, 1);
	expect_eq("hostile block: n_records 65535: refused", t.img.stop[0].why,
		  CLFS_WHY_INVALID);
	h->n_records = cpu_to_le16(2);

	h->size = cpu_to_le32(0xfffffe00U);
	t_open(&t, 1);
	expect_eq("hostile block: size 4 GiB: refused", t.img.stop[0].why,
		  CLFS_WHY_INVALID);
	h->size = cpu_to_le32(BS);	/* larger than the block, zero filled */
	t_reseal(&t, l2);
	t_open(&t, 1);
	expect_eq("hostile block: size past used but zero: accepted",
		  (long long)t.img.n_blocks, 2);
	h->size = cpu_to_le32(IO);
	t_reseal(&t, l2);

	h->used = cpu_to_le32(0xffffffffU);
	t_reseal(&t, l2);
	save_hostile(&t, "block-used");
	t_open(&t, 1);
	expect_eq("hostile block: used past size: refused", t.img.stop[0].why,
		  CLFS_WHY_INVALID);
	h->used = cpu_to_le32(64 + 2 * 48);
	t_reseal(&t, l2);
	t_open(&t, 1);
	expect_eq("hostile block: restored block accepted",
		  (long long)t.img.n_blocks, 2);

	/* a block of another log at the right place */
	t.seed ^= 1;
	t_reseal(&t, l2);
	t.seed ^= 1;
	save_hostile(&t, "block-other-log");
	t_open(&t, 1);
	expect_eq("hostile block: another log's block: refused",
		  t.img.stop[0].why, CLFS_WHY_INVALID);
	t_reseal(&t, l2);

	/* the first block claims a floor above the metadata's */
	h = (void *)t_at(&t, l1, 0);
	h->floor = cpu_to_le64(0);
	h->seq = cpu_to_le64(1);
	t_reseal(&t, l1);
	t.mi->seq_floor = 0;
	t_meta(&t, 0, 3);
	h = (void *)t_at(&t, l2, 0);
	h->floor = cpu_to_le64(1000);
	h->seq = cpu_to_le64(1001);
	t_reseal(&t, l2);
	save_hostile(&t, "block-floor");
	expect_eq("floor above the metadata's: opens", t_open(&t, 1), 0);
	expect_eq("floor above the metadata's: follows (new floor)",
		  (long long)t.img.n_blocks, 2);
	expect_eq("floor above the metadata's: check reports it",
		  clfs_image_check(&t.img), 1);
	expect_no_bad_read(&t, "hostile block: reads stay inside the devices");
	t_free(&t);
}

static int count_record(void *arg, const struct clfs_record_view *rv,
			const void *data)
{
	(void)rv;
	(void)data;
	++*(unsigned int *)arg;
	return 0;
}

/*
 * An explosion of per-block state: each block's prev_last names record 0
 * of the block before, as if every block had been truncated to its first
 * record before the next was written (one truncation note per block; the
 * module's notes once made this quadratic).  Every block keeps record 0,
 * the last both.
 */
static void test_trim_explosion(void)
{
	struct trec r[] = { R("keep"), R("cut") };
	unsigned int i, n = 1500, got = 0;
	struct tlog t;
	u64 prev = 0, l;

	t_new(&t, 2, 0);
	for (i = 0; i < n; i++) {
		l = i ? t_block_ex(&t, 2, r, prev) : t_block(&t, 2, r);
		prev = l;
	}
	save_hostile(&t, "trim-explosion");
	expect_eq("trim explosion: opens", t_open(&t, 1), 0);
	expect_eq("trim explosion: every block", (long long)t.img.n_blocks, n);
	expect_eq("trim explosion: records",
		  clfs_image_records(&t.img, count_record, &got), 0);
	expect_eq("trim explosion: record 0 of each, both of the last", got,
		  n + 1);
	expect_eq("trim explosion: check finds no problem",
		  clfs_image_check(&t.img), 0);
	t_free(&t);
}

static void test_two_devices(void)
{
	struct trec r1[] = { R("on base") }, r2[] = { R("on dev2") };
	struct want w[2];
	struct tlog t;
	u64 l1, l2;

	/* one container on the base device, one on a second device */
	t_new(&t, 1, 1);
	l1 = t_block(&t, 1, r1);
	t.off = CS;
	l2 = t_block(&t, 1, r2);
	expect_eq("two devices: opens", t_open(&t, 2), 0);
	expect_eq("two devices: the second device is bound", t.img.dev_bound[1],
		  1);
	expect_eq("two devices: container 1 on device 1", t.img.cont_dev[1], 1);
	w[0] = (struct want)W(l1, "on base");
	w[1] = (struct want)W(l2, "on dev2");
	expect_records(&t, "two devices: records of both", w, 2);
	save(&t, "twodev", w, 2);
	expect_eq("two devices: without the second: ENODEV", t_open(&t, 1),
		  -ENODEV);
	/* a second device that holds no container of the log */
	memset(t.dev[1].p, 0, IO);
	expect_eq("two devices: a device of nothing: EINVAL", t_open(&t, 2),
		  -EINVAL);
	t.dev[1].bytes = CS / 2;
	expect_eq("two devices: a device too small: EINVAL", t_open(&t, 2),
		  -EINVAL);
	expect_no_bad_read(&t, "two devices: reads stay inside the devices");
	t_free(&t);
}

/* Random bytes of a valid image changed: never a crash or a bad read. */
static void test_random(void)
{
	struct trec r[] = { R("abc"), R("defgh") };
	static const u64 areas[][2] = {
		{ 0, 400 },
		{ CLFS_META_B_OFFSET, 400 },
		{ CLFS_CONTAINERS_START, 128 },
		{ CLFS_CONTAINERS_START + 4096, 3 * 512 },
	};
	unsigned int i, k, ok = 0, bad = 0;
	u64 rnd = 0x9e3779b97f4a7c15ULL, at;
	u8 saved[8];
	struct tlog t;

	t_new(&t, 2, 0);
	t_block(&t, 2, r);
	t_block(&t, 2, r);
	t_block(&t, 2, r);
	for (i = 0; i < 3000; i++) {
		rnd = rnd * 6364136223846793005ULL + 1442695040888963407ULL;
		k = (unsigned int)(rnd >> 60) % 4;
		at = areas[k][0] + (rnd >> 20) % areas[k][1];
		memcpy(saved, t.dev[0].p + at, 8);
		t.dev[0].p[at] ^= (u8)(rnd >> 8) | 1;
		if (rnd & 0x100)
			t.dev[0].p[at + 1 + (rnd >> 50) % 7] = (u8)(rnd >> 40);
		if (!t_open(&t, 1)) {
			got.n = 0;
			clfs_image_records(&t.img, collect, &got);
			clfs_image_check(&t.img);
			ok++;
		} else {
			bad++;
		}
		memcpy(t.dev[0].p + at, saved, 8);
	}
	check(ok && bad, "random damage: some images open, some do not",
	      "%u opened, %u refused", ok, bad);
	expect_no_bad_read(&t, "random damage: reads stay inside the devices");
	t_free(&t);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		out_dir = argv[1];
	test_empty();
	test_basic();
	test_wrap();
	test_torn();
	test_stale_lap();
	test_chain();
	test_restart_chain();
	test_truncation();
	test_meta();
	test_v2();
	test_hostile_meta();
	test_hostile_blocks();
	test_trim_explosion();
	test_two_devices();
	test_random();
	printf("image_test: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}

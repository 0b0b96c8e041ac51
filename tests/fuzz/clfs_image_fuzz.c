// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the recovery walk: the offline reader
 * (tools/lib/clfs_image.c), which repeats the module's open, recovery and
 * record walk over the shared format code, run over hostile images.
 *
 * A log image is too large to be the fuzzer's input, and a random byte
 * mostly breaks a crc.  So one valid log is built once (tests/unit/
 * image_fixture.h: two containers, data and restart blocks, a restart
 * chain, a truncated block), and each input is a list of edits to it, 8
 * bytes each:
 *   byte 0  where: 0 copy A, 1 copy B, 2 and 3 the container headers,
 *           4.. a block (modulo the blocks written)
 *   byte 1  bits 0-1: width 1, 2, 4 or 8 bytes; bit 2: recompute the
 *           structure's crc afterwards (so the checks behind it are
 *           reached); bits 3-7: nothing
 *   2-3     offset in the structure (modulo its size)
 *   4-7     the value (repeated for 8 bytes)
 * The image is restored after each input.
 *
 * Checked: open and recovery return 0 or an errno the module gives for a
 * bad image (-EUCLEAN, -ENODEV, -EINVAL, -EIO); the reader never asks for
 * bytes outside the device; the walk returns records in strictly
 * increasing LSN order, never more than the blocks can hold, each within
 * the block size; clfs_image_check() returns a count; and ASan/UBSan see
 * nothing.
 *
 * Build: make -C tests fuzz (clang, -fsanitize=fuzzer,address,undefined)
 */
#include <stdint.h>
#include <string.h>

#include "../unit/image_fixture.h"

#define FZ_CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "clfs_image_fuzz: %s:%d: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

#define FZ_MAX_BLOCKS	64

static struct tlog fz;
static u8 *fz_pristine;
static u64 fz_blocks[FZ_MAX_BLOCKS];
static unsigned int fz_n_blocks;

/* The valid log every input edits. */
static void fz_build(void)
{
	struct trec d[] = { R("alpha"), R("bravo"), R("charlie") };
	struct trec rs = { "ckpt", 4, CLFS_RECORD_RESTART, CLFS_LSN_INVALID,
			   CLFS_LSN_INVALID };
	unsigned int i;
	u64 l, r = CLFS_LSN_INVALID;

	t_new(&fz, 2, 0);
	for (i = 0; i < 40; i++) {
		if (i % 9 == 4) {
			rs.previous = r;
			l = r = t_block(&fz, 1, &rs);
		} else if (i == 20) {
			/* the block before was truncated to its first record */
			l = t_block_ex(&fz, 3, d, fz_blocks[i - 1]);
		} else {
			d[0].undo_next = i ? fz_blocks[i - 1] : CLFS_LSN_INVALID;
			d[1].previous = i ? fz_blocks[i - 1] + 1 : CLFS_LSN_INVALID;
			l = i % 7 == 6 ? t_block_fill(&fz, 3000, 'x') :
			    t_block(&fz, 1 + i % 3, d);
		}
		fz_blocks[fz_n_blocks++] = l;
	}
	fz.mi->restart_lsn = r;
	fz.mi->base_lsn = fz_blocks[2];
	t_meta(&fz, 0, 3);
	FZ_CHECK(t_open(&fz, 1) == 0);
	FZ_CHECK(fz.img.n_blocks == fz_n_blocks);
	fz_pristine = xcalloc(fz.dev[0].bytes);
	memcpy(fz_pristine, fz.dev[0].p, fz.dev[0].bytes);
}

struct fz_walk {
	u64 last;
	u64 n;
};

static int fz_record(void *arg, const struct clfs_record_view *rv,
		     const void *data)
{
	struct fz_walk *w = arg;

	(void)data;
	FZ_CHECK(w->n == 0 || rv->lsn > w->last);
	FZ_CHECK(rv->length <= BS);
	FZ_CHECK(rv->type == CLFS_RECORD_DATA || rv->type == CLFS_RECORD_RESTART);
	w->last = rv->lsn;
	w->n++;
	return 0;
}

/* Where edit @e points: the structure's start and size. */
static u8 *fz_target(const u8 *e, u32 *size, u64 *block)
{
	u8 *dev = fz.dev[0].p, *p;

	*block = CLFS_LSN_INVALID;
	switch (e[0]) {
	case 0:
	case 1:
		*size = CLFS_META_COPY_SIZE;
		return dev + (e[0] ? CLFS_META_B_OFFSET : CLFS_META_A_OFFSET);
	case 2:
	case 3:
		*size = IO;
		return dev + fz.mi->containers[e[0] - 2].dev_offset;
	default:
		*block = fz_blocks[(e[0] - 4) % fz_n_blocks];
		p = t_at(&fz, *block, 0);
		/* A block, or what is left of the device after its start. */
		*size = (u32)(fz.dev[0].p + fz.dev[0].bytes - p < BS ?
			      fz.dev[0].p + fz.dev[0].bytes - p : BS);
		return p;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_walk w = { 0, 0 };
	size_t i;
	int ret;

	if (!fz_pristine)
		fz_build();
	for (i = 0; i + 8 <= size && i < 8 * 32; i += 8) {
		const u8 *e = data + i;
		u32 len, width = 1U << (e[1] & 3), off;
		u64 block, v = (u64)e[4] | (u64)e[5] << 8 | (u64)e[6] << 16 |
			       (u64)e[7] << 24;
		u8 *p = fz_target(e, &len, &block);

		v |= v << 32;
		off = (u32)(e[2] | e[3] << 8) % (len - width + 1);
		memcpy(p + off, &v, width);
		if (!(e[1] & 4))
			continue;
		if (block != CLFS_LSN_INVALID) {
			u32 bsize = le32_to_cpu(((struct clfs_block_header *)p)->size);

			if (bsize >= sizeof(struct clfs_block_header) && bsize <= BS)
				t_reseal(&fz, block);
		} else if (e[0] < 2) {
			u32 bytes = le32_to_cpu(((struct clfs_meta *)p)->bytes);

			if (bytes >= sizeof(struct clfs_meta) &&
			    bytes <= CLFS_META_COPY_SIZE)
				t_meta_reseal(&fz, e[0], bytes);
		}
	}
	ret = t_open(&fz, 1);
	FZ_CHECK(ret == 0 || ret == -EUCLEAN || ret == -ENODEV ||
		 ret == -EINVAL || ret == -EIO);
	if (ret == 0) {
		ret = clfs_image_records(&fz.img, fz_record, &w);
		FZ_CHECK(ret == 0 || ret == -EUCLEAN || ret == -EIO);
		FZ_CHECK(w.n <= (u64)fz.img.n_blocks * (BS / 8));
		FZ_CHECK(clfs_image_check(&fz.img) >= 0);
	}
	FZ_CHECK(!fz.dev[0].bad_read);
	memcpy(fz.dev[0].p, fz_pristine, fz.dev[0].bytes);
	return 0;
}

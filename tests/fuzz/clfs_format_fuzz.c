// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the shared format code (src/format/clfs_format.c): the
 * decoders must treat every byte as hostile, return exactly 0 or -EUCLEAN,
 * never read outside the buffer they were given (ASan; each structure is
 * copied into a heap buffer of its exact length) and never hit undefined
 * behaviour (UBSan).
 *
 * One input feeds every decoder:
 *   - clfs_meta_decode() on the whole input; on success the decoded copy
 *     must obey the LSN rules (archive tail, truncation point) and, re-
 *     encoded with clfs_meta_encode(), must give back the input's first
 *     "bytes" bytes exactly (version_minor, which a v1.0 encoder writes as
 *     0, is normalised first);
 *   - clfs_cont_hdr_decode() on the whole input, with a fixed seed and with
 *     the seed of the uuid at bytes 16..31 (the header's own log_uuid); on
 *     success the header must re-encode to the same 128 bytes;
 *   - clfs_block_peek() and clfs_block_decode() on the input after its
 *     first two bytes, which pick the I/O unit (byte 0) and max_size (byte
 *     1); expect_lsn is the block's own lsn field, so the decoder gets past
 *     the position check.  On success prev_last must name a record of the
 *     block prev_lsn names (or both be INVALID), and every record is
 *     walked with clfs_record_at() and must be consistent with the decode.
 * A fuzzer stuck at the checksums learns nothing, so each structure is
 * decoded twice: as it is, and with its crc field recomputed (over the
 * length its own header claims, when that fits), so that the field checks
 * behind the crc are reached.
 *
 * Seeds: run with --seeds=DIR (libFuzzer ignores flags that start with
 * "--") and the target writes a valid metadata copy, container header and
 * log block (from src/format/clfs_format_cases.h) into DIR before fuzzing.
 *
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined -Iuapi -Ikernel
 *        tests/fuzz/clfs_format_fuzz.c src/format/clfs_format.c
 *        tools/lib/crc32c.c   (or: make fuzz)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clfs_format.h"
#include "../../src/format/clfs_format_cases.h"

#define FZ_CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "clfs_format_fuzz: %s:%d: %s\n", \
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/* A decoder's answer is 0 or -EUCLEAN, nothing else. */
#define FZ_RESULT(r) FZ_CHECK((r) == 0 || (r) == -EUCLEAN)

static struct clfs_meta_info fz_mi;
static u8 fz_enc[CLFS_META_COPY_SIZE];
static u8 fz_norm[CLFS_META_COPY_SIZE];
static u32 fz_fixed_seed;

/* A heap copy of exactly @len bytes (at least one byte is allocated). */
static u8 *fz_copy(const u8 *data, size_t len)
{
	u8 *p = malloc(len ? len : 1);

	FZ_CHECK(p);
	memcpy(p, data, len);
	return p;
}

static void fz_meta(const u8 *data, size_t len, bool fix)
{
	u8 *buf = fz_copy(data, len);
	u32 bytes;
	int ret;

	if (fix && len >= sizeof(struct clfs_meta)) {
		bytes = (u32)clfs_fc_get(buf + CLFS_FC_M(bytes), 4);
		if (bytes >= sizeof(struct clfs_meta) && bytes <= len &&
		    bytes <= CLFS_META_COPY_SIZE)
			clfs_fc_meta_fix(buf);
	}
	ret = clfs_meta_decode(buf, len, &fz_mi);
	FZ_RESULT(ret);
	if (ret == 0) {
		bytes = sizeof(struct clfs_meta) +
			fz_mi.n_containers * sizeof(struct clfs_meta_container);
		FZ_CHECK(bytes <= len);
		FZ_CHECK(clfs_meta_check(&fz_mi) == 0);
		FZ_CHECK(fz_mi.archive_tail != CLFS_LSN_NULL);
		if (fz_mi.end_lsn == CLFS_LSN_INVALID)
			FZ_CHECK(fz_mi.end_floor == 0);
		else
			FZ_CHECK(clfs_lsn_container(fz_mi.end_lsn) <
				 fz_mi.next_logical &&
				 fz_mi.end_floor <= fz_mi.seq_floor);
		if (fz_mi.restart_lsn != CLFS_LSN_INVALID)
			FZ_CHECK(clfs_lsn_container(fz_mi.restart_lsn) <
				 fz_mi.next_logical);
		ret = clfs_meta_encode(&fz_mi, fz_enc, sizeof(fz_enc));
		FZ_CHECK(ret == (int)bytes);
		memcpy(fz_norm, buf, bytes);
		/* The encoder writes this module's minor; decode ignores it. */
		if (clfs_fc_get(fz_norm + CLFS_FC_M(version_minor), 2) !=
		    CLFS_FORMAT_MINOR) {
			clfs_fc_put(fz_norm + CLFS_FC_M(version_minor), 2,
				    CLFS_FORMAT_MINOR, false);
			clfs_fc_meta_fix(fz_norm);
		}
		FZ_CHECK(!memcmp(fz_enc, fz_norm, bytes));
	}
	free(buf);
}

static void fz_cont(const u8 *data, size_t len, u32 seed, bool fix)
{
	const size_t hdr = sizeof(struct clfs_container_header);
	struct clfs_cont_hdr_info ci;
	u8 *buf = fz_copy(data, len);
	u8 enc[sizeof(struct clfs_container_header)];
	int ret;

	if (fix && len >= hdr)
		clfs_fc_cont_fix(buf, seed);
	ret = clfs_cont_hdr_decode(buf, len, seed, &ci);
	FZ_RESULT(ret);
	if (ret == 0) {
		clfs_cont_hdr_encode(&ci, enc, seed);
		if (clfs_fc_get(buf + CLFS_FC_C(version_minor), 2)) {
			clfs_fc_put(buf + CLFS_FC_C(version_minor), 2, 0,
				    false);
			clfs_fc_cont_fix(buf, seed);
		}
		FZ_CHECK(!memcmp(enc, buf, hdr));
	}
	free(buf);
}

static void fz_block(const u8 *data, size_t len, bool fix)
{
	struct clfs_block_info bi;
	struct clfs_record_view rv;
	u32 io_unit, max_size, size = 0, off, i, sum = 0;
	u64 expect_lsn = 0;
	int peek, ret;
	u8 *buf;

	if (len < 2)
		return;
	/* 512 << 0..7: 512 to 64 KiB, so bad I/O units are tried too. */
	io_unit = 512U << (data[0] & 7);
	max_size = data[1] == 0xff ? CLFS_BLOCK_SIZE_MAX : (u32)data[1] << 9;
	data += 2;
	len -= 2;
	buf = fz_copy(data, len);
	if (len >= sizeof(struct clfs_block_header))
		expect_lsn = clfs_fc_get(buf + CLFS_FC_B(lsn), 8);
	if (fix && len >= sizeof(struct clfs_block_header)) {
		size = (u32)clfs_fc_get(buf + CLFS_FC_B(size), 4);
		if (size >= sizeof(struct clfs_block_header) && size <= len)
			clfs_fc_set_crc(buf, size, CLFS_FC_B(crc),
					fz_fixed_seed);
	}
	size = 0;
	peek = clfs_block_peek(buf, len, expect_lsn, io_unit, max_size, &size);
	FZ_RESULT(peek);
	ret = clfs_block_decode(buf, len, fz_fixed_seed, expect_lsn, io_unit,
				max_size, 0, &bi);
	FZ_RESULT(ret);
	if (ret == 0) {
		FZ_CHECK(peek == 0 && size == bi.size);
		FZ_CHECK(bi.size <= len && bi.used <= bi.size);
		FZ_CHECK(bi.n_records >= 1 &&
			 bi.n_records <= CLFS_MAX_RECORDS_PER_BLOCK);
		FZ_CHECK(bi.lsn == expect_lsn && bi.floor < bi.seq);
		if (bi.prev_lsn == CLFS_LSN_INVALID)
			FZ_CHECK(bi.prev_last == CLFS_LSN_INVALID);
		else
			FZ_CHECK(bi.prev_last - clfs_lsn_record(bi.prev_last) ==
				 bi.prev_lsn);
		FZ_CHECK(clfs_block_records(buf, bi.used, bi.lsn,
					    bi.n_records, 0) == 0);
		off = sizeof(struct clfs_block_header);
		for (i = 0; i < bi.n_records; i++) {
			FZ_CHECK(clfs_record_at(buf, bi.used, off, &rv) == 0);
			FZ_CHECK(rv.lsn == bi.lsn + i);
			FZ_CHECK(rv.type == CLFS_RECORD_DATA ||
				 rv.type == CLFS_RECORD_RESTART);
			FZ_CHECK(rv.data_offset == off +
				 sizeof(struct clfs_record_header));
			FZ_CHECK(rv.next_offset > off &&
				 rv.next_offset <= bi.used);
			/* Touch the data so ASan sees every byte is inside. */
			for (u32 j = 0; j < rv.length; j++)
				sum += buf[rv.data_offset + j];
			off = rv.next_offset;
		}
		FZ_CHECK(off == bi.used);
		FZ_CHECK(clfs_record_at(buf, bi.used, off, &rv) == -EUCLEAN);
	}
	/* Records of whatever follows the header, bounded by the buffer. */
	off = sizeof(struct clfs_block_header);
	for (i = 0; i < CLFS_MAX_RECORDS_PER_BLOCK && len <= UINT32_MAX; i++) {
		ret = clfs_record_at(buf, (u32)len, off, &rv);
		FZ_RESULT(ret);
		if (ret)
			break;
		FZ_CHECK(rv.next_offset > off && rv.next_offset <= len);
		sum += buf[rv.data_offset - 1];
		off = rv.next_offset;
	}
	free(buf);
	/* Keep the reads of the data. */
	__asm__ volatile("" : : "r"(sum));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u32 uuid_seed;
	int fix;

	for (fix = 0; fix <= 1; fix++) {
		fz_meta(data, size, fix);
		fz_cont(data, size, fz_fixed_seed, fix);
		if (size >= 32) {
			uuid_seed = clfs_seed(data + 16);
			fz_cont(data, size, uuid_seed, fix);
		}
		fz_block(data, size, fix);
	}
	return 0;
}

static void fz_write_seed(const char *dir, const char *name, const u8 *p,
			  size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* Write the valid structures of clfs_format_cases.h as seeds into @dir. */
static void fz_write_seeds(const char *dir)
{
	static u64 buf[CLFS_META_COPY_SIZE / 8];
	static u8 blk[2 + CLFS_FC_BLOCK_BUF];

	clfs_fc_meta_build((u8 *)buf);
	fz_write_seed(dir, "seed-meta", (u8 *)buf, CLFS_FC_META_BYTES);

	clfs_fc_cont_build((u8 *)buf, fz_fixed_seed);
	fz_write_seed(dir, "seed-cont", (u8 *)buf, CLFS_FC_IO_UNIT);

	/* io_unit 1024 (byte 0 = 1), max_size 8192 (byte 1 = 16). */
	clfs_fc_block_build((u8 *)buf, CLFS_FC_BLOCK_LSN, CLFS_FC_BLOCK_SEQ,
			    CLFS_FC_SEQ_FLOOR, CLFS_FC_BLOCK_PREV,
			    CLFS_FC_BLOCK_PREV_LAST, 0, fz_fixed_seed);
	blk[0] = 1;
	blk[1] = 16;
	memcpy(blk + 2, buf, CLFS_FC_BLOCK_BYTES);
	fz_write_seed(dir, "seed-block", blk, 2 + CLFS_FC_BLOCK_BYTES);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int i;

	fz_fixed_seed = clfs_seed(clfs_fc_log_uuid);
	for (i = 1; i < *argc; i++)
		if (!strncmp((*argv)[i], "--seeds=", 8))
			fz_write_seeds((*argv)[i] + 8);
	return 0;
}

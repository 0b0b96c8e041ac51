/* SPDX-License-Identifier: GPL-2.0 */
/*
 * On-disk format test cases, shared by the KUnit suite (clfs_format_kunit.c,
 * in the kernel), the host unit test (tests/unit/format_test.c) and the
 * fuzz target's seeds (tests/fuzz/clfs_format_fuzz.c), so that every build
 * of src/format/clfs_format.c is held to the same exact values.  Include after
 * clfs_format.h.
 *
 * Design: three builders write a valid structure byte by byte through the
 * uapi structs, independently of the encoders under test: a metadata copy
 * with four containers (two on the base device at 1 MiB and 2 MiB, two on a
 * second device) and a truncation point (end_lsn, end_floor), a container
 * header, and a 2048-byte log block with three records of known bytes that
 * keeps all three records of the block before it (prev_last).  A mutation
 * table then breaks one rule of Documentation/clfs/format.rst per entry: it
 * overwrites one field (or XORs it), optionally runs a helper for changes
 * that span fields or decoder arguments, and recomputes the checksum unless
 * the checksum is the point, so that the rule's own check is what must
 * reject the structure.  Each entry names the decoder's exact result (and,
 * for blocks, the result of clfs_block_peek()); a few entries are valid edge
 * cases that must decode.
 * The positive checks (round trips, exact layout, clfs_meta_choose(),
 * clfs_block_follows(), LSN order across container recycling) are a second
 * table of functions that report every expectation through a callback, so
 * the KUnit suite and the host test run the very same code.
 *
 * Memory: the harness allocates struct clfs_fc_bufs (about 180 KiB) and
 * never puts a struct clfs_meta_info on the stack.
 */
#ifndef CLFS_FORMAT_CASES_H
#define CLFS_FORMAT_CASES_H

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* The log of the builders. */
#define CLFS_FC_IO_UNIT		1024U
#define CLFS_FC_BLOCK_SIZE	8192U
#define CLFS_FC_CONT_SIZE	(1024ULL * 1024)
#define CLFS_FC_GENERATION	7ULL
#define CLFS_FC_SEQ_FLOOR	1000ULL
#define CLFS_FC_NEXT_LOGICAL	8U
#define CLFS_FC_N_CONTAINERS	4U
#define CLFS_FC_META_BYTES	(256U + 48U * CLFS_FC_N_CONTAINERS)

/* An LSN as a constant expression (clfs_lsn_make() is a function). */
#define CLFS_FC_LSN(c, off, rec) \
	(((u64)(c) << 32) | (u64)(off) | (u64)(rec))

#define CLFS_FC_BASE_LSN	CLFS_FC_LSN(5, 8192, 3)
#define CLFS_FC_ARCHIVE_TAIL	CLFS_FC_LSN(5, 4096, 0)
#define CLFS_FC_RESTART_LSN	CLFS_FC_LSN(6, 12288, 1)
/* A truncation to record 2 of block (6, 12288) under floor 900. */
#define CLFS_FC_END_LSN		CLFS_FC_LSN(6, 12288, 2)
#define CLFS_FC_END_FLOOR	900ULL

/* The block of the builder: three records, 1400 bytes used, 2048 on disk. */
#define CLFS_FC_BLOCK_LSN	CLFS_FC_LSN(5, 8192, 0)
#define CLFS_FC_BLOCK_PREV	CLFS_FC_LSN(5, 4096, 0)
/* The last record of a block of the builder (three records) at @lsn. */
#define CLFS_FC_LAST(lsn)	((lsn) + 2)
/* The previous block's last record: it held three, like this one. */
#define CLFS_FC_BLOCK_PREV_LAST	CLFS_FC_LAST(CLFS_FC_BLOCK_PREV)
#define CLFS_FC_BLOCK_SEQ	1001ULL
#define CLFS_FC_BLOCK_BYTES	2048U
#define CLFS_FC_BLOCK_USED	1400U
#define CLFS_FC_REC0		64U
#define CLFS_FC_REC1		120U
#define CLFS_FC_REC2		1160U
/* A block buffer: room for a block of CLFS_FC_BLOCK_SIZE and scratch. */
#define CLFS_FC_BLOCK_BUF	(2U * CLFS_FC_BLOCK_SIZE)

/* The container header of the builder: physical 2, on the second device. */
#define CLFS_FC_CONT_PHYS	2U

/* Field offsets for the mutation table. */
#define CLFS_FC_M(f)		offsetof(struct clfs_meta, f)
#define CLFS_FC_E(i, f)		(sizeof(struct clfs_meta) + 48U * (i) + \
				 offsetof(struct clfs_meta_container, f))
#define CLFS_FC_C(f)		offsetof(struct clfs_container_header, f)
#define CLFS_FC_B(f)		offsetof(struct clfs_block_header, f)
#define CLFS_FC_R(r, f)		((r) + offsetof(struct clfs_record_header, f))
/* The multiplexed copy's stream entries follow the container table. */
#define CLFS_FC_S(i, f)		(CLFS_FC_META_BYTES + 96U * (i) + \
				 offsetof(struct clfs_meta_stream, f))
#define CLFS_FC_N_STREAMS	2U
#define CLFS_FC_NEXT_STREAM	5U

static const u8 clfs_fc_log_uuid[16] = {
	0x6c, 0x6f, 0x67, 0x2d, 0x31, 0x2d, 0x4a, 0x8e,
	0x9b, 0x10, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
};

static const u8 clfs_fc_other_uuid[16] = {
	0x6c, 0x6f, 0x67, 0x2d, 0x32, 0x2d, 0x4b, 0x8f,
	0x9c, 0x11, 0x23, 0x34, 0x45, 0x56, 0x67, 0x78,
};

static const u8 clfs_fc_dev_uuid[16] = {
	0x64, 0x65, 0x76, 0x2d, 0x78, 0x2d, 0x40, 0x91,
	0xa5, 0x5a, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
};

/* The container table: two on the base device, two on the second one. */
static const struct {
	u32 physical_id;
	u32 logical_id;
	u32 state;
	bool base;
	u64 dev_offset;
} clfs_fc_table[CLFS_FC_N_CONTAINERS] = {
	{ 0, 5, CLFS_CONT_ACTIVE, true, CLFS_CONTAINERS_START },
	{ 1, 6, CLFS_CONT_ACTIVE, true, CLFS_CONTAINERS_START + CLFS_FC_CONT_SIZE },
	{ 2, 3, CLFS_CONT_PENDING_REMOVAL, false, 0 },
	{ 3, 7, CLFS_CONT_FREE, false, CLFS_FC_CONT_SIZE },
};

/* The records of the builder's block, relative to the block's LSN. */
static const struct {
	u32 type;
	u32 length;
	bool has_undo;		/* undo_next = block LSN + 1, else INVALID */
	bool has_previous;	/* previous = block LSN, else INVALID */
} clfs_fc_records[3] = {
	{ CLFS_RECORD_DATA, 13, false, false },
	{ CLFS_RECORD_DATA, 1000, false, true },
	{ CLFS_RECORD_RESTART, 200, true, true },
};

static const u32 clfs_fc_rec_offset[3] = {
	CLFS_FC_REC0, CLFS_FC_REC1, CLFS_FC_REC2,
};

/* Byte @i of record @r's data in version @v of the block. */
static inline u8 clfs_fc_data(u32 v, u32 r, u32 i)
{
	return (u8)((i * 31U + r * 7U + v * 101U + 1U) & 0xffU);
}

/* Store @v little-endian in @w bytes at @p, or XOR it in. */
static inline void clfs_fc_put(u8 *p, u32 w, u64 v, bool xor)
{
	u32 i;

	for (i = 0; i < w; i++) {
		u8 byte = (u8)((v >> (8 * i)) & 0xffU);

		if (xor)
			p[i] ^= byte;
		else
			p[i] = byte;
	}
}

/* Load @w little-endian bytes at @p. */
static inline u64 clfs_fc_get(const u8 *p, u32 w)
{
	u64 v = 0;
	u32 i;

	for (i = 0; i < w; i++)
		v |= (u64)p[i] << (8 * i);
	return v;
}

/* Set the 4-byte checksum at @off: crc32c(@seed) of @len bytes, field zero. */
static inline void clfs_fc_set_crc(u8 *buf, u32 len, u32 off, u32 seed)
{
	clfs_fc_put(buf + off, 4, 0, false);
	clfs_fc_put(buf + off, 4, clfs_crc32c(seed, buf, len), false);
}

/* Recompute a metadata copy's checksum over its own "bytes", own seed. */
static inline void clfs_fc_meta_fix(u8 *buf)
{
	u32 bytes = (u32)clfs_fc_get(buf + CLFS_FC_M(bytes), 4);

	if (bytes >= CLFS_FC_M(crc) + 4 && bytes <= CLFS_META_COPY_SIZE)
		clfs_fc_set_crc(buf, bytes, CLFS_FC_M(crc),
				clfs_seed(buf + CLFS_FC_M(log_uuid)));
}

static inline void clfs_fc_cont_fix(u8 *buf, u32 seed)
{
	clfs_fc_set_crc(buf, sizeof(struct clfs_container_header),
			CLFS_FC_C(crc), seed);
}

/* Recompute a block's checksum over its own "size", if that fits. */
static inline void clfs_fc_block_fix(u8 *buf, u32 seed)
{
	u32 size = (u32)clfs_fc_get(buf + CLFS_FC_B(size), 4);

	if (size >= CLFS_FC_B(crc) + 4 && size <= CLFS_FC_BLOCK_BUF)
		clfs_fc_set_crc(buf, size, CLFS_FC_B(crc), seed);
}

/* The decoded form of the builder's metadata copy. */
static inline void clfs_fc_meta_info(struct clfs_meta_info *mi)
{
	u32 i;

	memset(mi, 0, sizeof(*mi));
	mi->generation = CLFS_FC_GENERATION;
	memcpy(mi->uuid, clfs_fc_log_uuid, 16);
	mi->io_unit = CLFS_FC_IO_UNIT;
	mi->block_size = CLFS_FC_BLOCK_SIZE;
	mi->n_containers = CLFS_FC_N_CONTAINERS;
	mi->next_logical = CLFS_FC_NEXT_LOGICAL;
	mi->container_size = CLFS_FC_CONT_SIZE;
	mi->base_lsn = CLFS_FC_BASE_LSN;
	mi->archive_tail = CLFS_FC_ARCHIVE_TAIL;
	mi->restart_lsn = CLFS_FC_RESTART_LSN;
	mi->seq_floor = CLFS_FC_SEQ_FLOOR;
	mi->end_lsn = CLFS_FC_END_LSN;
	mi->end_floor = CLFS_FC_END_FLOOR;
	for (i = 0; i < CLFS_FC_N_CONTAINERS; i++) {
		struct clfs_container_info *c = &mi->containers[i];

		c->physical_id = clfs_fc_table[i].physical_id;
		c->logical_id = clfs_fc_table[i].logical_id;
		c->state = clfs_fc_table[i].state;
		if (!clfs_fc_table[i].base)
			memcpy(c->dev_uuid, clfs_fc_dev_uuid, 16);
		c->dev_offset = clfs_fc_table[i].dev_offset;
	}
	clfs_meta_clear_clean(mi);
}

/* Write the builder's metadata copy into @buf (CLFS_META_COPY_SIZE bytes). */
static inline void clfs_fc_meta_build(u8 *buf)
{
	struct clfs_meta *m = (struct clfs_meta *)buf;
	struct clfs_meta_container *t = (struct clfs_meta_container *)(m + 1);
	u32 i;

	memset(buf, 0, CLFS_META_COPY_SIZE);
	m->magic = cpu_to_le64(CLFS_META_MAGIC);
	m->version_major = cpu_to_le16(3);
	m->version_minor = cpu_to_le16(1);
	m->bytes = cpu_to_le32(CLFS_FC_META_BYTES);
	m->generation = cpu_to_le64(CLFS_FC_GENERATION);
	memcpy(m->log_uuid, clfs_fc_log_uuid, 16);
	m->io_unit = cpu_to_le32(CLFS_FC_IO_UNIT);
	m->block_size = cpu_to_le32(CLFS_FC_BLOCK_SIZE);
	m->n_containers = cpu_to_le32(CLFS_FC_N_CONTAINERS);
	m->container_size = cpu_to_le64(CLFS_FC_CONT_SIZE);
	m->next_logical = cpu_to_le32(CLFS_FC_NEXT_LOGICAL);
	m->base_lsn = cpu_to_le64(CLFS_FC_BASE_LSN);
	m->archive_tail = cpu_to_le64(CLFS_FC_ARCHIVE_TAIL);
	m->restart_lsn = cpu_to_le64(CLFS_FC_RESTART_LSN);
	m->seq_floor = cpu_to_le64(CLFS_FC_SEQ_FLOOR);
	m->end_lsn = cpu_to_le64(CLFS_FC_END_LSN);
	m->end_floor = cpu_to_le64(CLFS_FC_END_FLOOR);
	for (i = 0; i < CLFS_FC_N_CONTAINERS; i++) {
		t[i].physical_id = cpu_to_le32(clfs_fc_table[i].physical_id);
		t[i].logical_id = cpu_to_le32(clfs_fc_table[i].logical_id);
		t[i].state = cpu_to_le32(clfs_fc_table[i].state);
		if (!clfs_fc_table[i].base)
			memcpy(t[i].dev_uuid, clfs_fc_dev_uuid, 16);
		t[i].dev_offset = cpu_to_le64(clfs_fc_table[i].dev_offset);
	}
	clfs_fc_meta_fix(buf);
}

/* The streams of the multiplexed copy (ids 2 and 4; 1 and 3 deleted). */
static const struct {
	u32 id;
	const char *name;
	u64 base_lsn;
	u64 archive_tail;
	u64 restart_lsn;
} clfs_fc_streams[CLFS_FC_N_STREAMS] = {
	{ 2, "orders", CLFS_FC_BASE_LSN, CLFS_LSN_INVALID,
	  CLFS_FC_RESTART_LSN },
	{ 4, "audit.log-1", CLFS_LSN_NULL, CLFS_FC_ARCHIVE_TAIL,
	  CLFS_LSN_INVALID },
};

/*
 * Turn the builder's copy in @buf into a multiplexed one: the kind flag,
 * the header's tails at their multiplexed values, and two streams.
 */
static inline void clfs_fc_mux_build(u8 *buf)
{
	u32 i;

	clfs_fc_meta_build(buf);
	clfs_fc_put(buf + CLFS_FC_M(flags), 4, CLFS_META_MULTIPLEXED, false);
	clfs_fc_put(buf + CLFS_FC_M(base_lsn), 8, CLFS_LSN_NULL, false);
	clfs_fc_put(buf + CLFS_FC_M(archive_tail), 8, CLFS_LSN_INVALID, false);
	clfs_fc_put(buf + CLFS_FC_M(restart_lsn), 8, CLFS_LSN_INVALID, false);
	clfs_fc_put(buf + CLFS_FC_M(end_lsn), 8, CLFS_LSN_INVALID, false);
	clfs_fc_put(buf + CLFS_FC_M(end_floor), 8, 0, false);
	clfs_fc_put(buf + CLFS_FC_M(n_streams), 4, CLFS_FC_N_STREAMS, false);
	clfs_fc_put(buf + CLFS_FC_M(next_stream), 4, CLFS_FC_NEXT_STREAM,
		    false);
	clfs_fc_put(buf + CLFS_FC_M(bytes), 4,
		    CLFS_FC_META_BYTES + 96U * CLFS_FC_N_STREAMS, false);
	for (i = 0; i < CLFS_FC_N_STREAMS; i++) {
		clfs_fc_put(buf + CLFS_FC_S(i, id), 4, clfs_fc_streams[i].id,
			    false);
		memcpy(buf + CLFS_FC_S(i, name), clfs_fc_streams[i].name,
		       strlen(clfs_fc_streams[i].name));
		clfs_fc_put(buf + CLFS_FC_S(i, base_lsn), 8,
			    clfs_fc_streams[i].base_lsn, false);
		clfs_fc_put(buf + CLFS_FC_S(i, archive_tail), 8,
			    clfs_fc_streams[i].archive_tail, false);
		clfs_fc_put(buf + CLFS_FC_S(i, restart_lsn), 8,
			    clfs_fc_streams[i].restart_lsn, false);
	}
	clfs_fc_meta_fix(buf);
}

/* The decoded form of the multiplexed copy. */
static inline void clfs_fc_mux_info(struct clfs_meta_info *mi)
{
	u32 i;

	clfs_fc_meta_info(mi);
	mi->flags = CLFS_META_MULTIPLEXED;
	mi->base_lsn = CLFS_LSN_NULL;
	mi->archive_tail = CLFS_LSN_INVALID;
	mi->restart_lsn = CLFS_LSN_INVALID;
	mi->end_lsn = CLFS_LSN_INVALID;
	mi->end_floor = 0;
	mi->n_streams = CLFS_FC_N_STREAMS;
	mi->next_stream = CLFS_FC_NEXT_STREAM;
	for (i = 0; i < CLFS_FC_N_STREAMS; i++) {
		struct clfs_stream_info *st = &mi->streams[i];

		st->id = clfs_fc_streams[i].id;
		memcpy(st->name, clfs_fc_streams[i].name,
		       strlen(clfs_fc_streams[i].name));
		st->base_lsn = clfs_fc_streams[i].base_lsn;
		st->archive_tail = clfs_fc_streams[i].archive_tail;
		st->restart_lsn = clfs_fc_streams[i].restart_lsn;
		st->clean_first = CLFS_LSN_INVALID;
		st->clean_last = CLFS_LSN_INVALID;
	}
}

/* The decoded form of the builder's container header. */
static inline void clfs_fc_cont_info(struct clfs_cont_hdr_info *ci)
{
	memset(ci, 0, sizeof(*ci));
	memcpy(ci->log_uuid, clfs_fc_log_uuid, 16);
	memcpy(ci->dev_uuid, clfs_fc_dev_uuid, 16);
	ci->physical_id = CLFS_FC_CONT_PHYS;
	ci->io_unit = CLFS_FC_IO_UNIT;
	ci->container_size = CLFS_FC_CONT_SIZE;
	ci->dev_offset = clfs_fc_table[CLFS_FC_CONT_PHYS].dev_offset;
}

/* Write the builder's container header into @buf (one I/O unit). */
static inline void clfs_fc_cont_build(u8 *buf, u32 seed)
{
	struct clfs_container_header *h = (struct clfs_container_header *)buf;

	memset(buf, 0, CLFS_FC_IO_UNIT);
	h->magic = cpu_to_le64(CLFS_CONT_MAGIC);
	h->version_major = cpu_to_le16(2);
	h->version_minor = cpu_to_le16(0);
	memcpy(h->log_uuid, clfs_fc_log_uuid, 16);
	memcpy(h->dev_uuid, clfs_fc_dev_uuid, 16);
	h->physical_id = cpu_to_le32(CLFS_FC_CONT_PHYS);
	h->io_unit = cpu_to_le32(CLFS_FC_IO_UNIT);
	h->container_size = cpu_to_le64(CLFS_FC_CONT_SIZE);
	h->dev_offset = cpu_to_le64(clfs_fc_table[CLFS_FC_CONT_PHYS].dev_offset);
	clfs_fc_cont_fix(buf, seed);
}

/*
 * Build the three-record block at @lsn in @buf (CLFS_FC_BLOCK_SIZE bytes
 * are written) with the block code under test: clfs_block_init(),
 * clfs_block_add_record() and clfs_block_seal().  @v varies the data bytes.
 *
 * Return: the sealed size, or a negative errno from clfs_block_add_record().
 */
static inline int clfs_fc_block_build(u8 *buf, u64 lsn, u64 seq, u64 floor,
				      u64 prev, u64 prev_last, u32 v, u32 seed)
{
	u32 r, i, off;
	u64 rlsn;
	int ret;

	memset(buf, 0, CLFS_FC_BLOCK_SIZE);
	clfs_block_init(buf, lsn, seq, floor, prev, prev_last);
	for (r = 0; r < 3; r++) {
		ret = clfs_block_add_record(buf, CLFS_FC_BLOCK_SIZE,
					    clfs_fc_records[r].has_undo ?
					    lsn + 1 : CLFS_LSN_INVALID,
					    clfs_fc_records[r].has_previous ?
					    lsn : CLFS_LSN_INVALID,
					    clfs_fc_records[r].type,
					    clfs_fc_records[r].length, 0,
					    &rlsn, &off);
		if (ret)
			return ret;
		for (i = 0; i < clfs_fc_records[r].length; i++)
			buf[off + i] = clfs_fc_data(v, r, i);
	}
	return (int)clfs_block_seal(buf, CLFS_FC_IO_UNIT, seed);
}

/* Give the block and its records the LSNs of @lsn (crc fixed later). */
static inline void clfs_fc_block_relsn(u8 *buf, u64 lsn)
{
	u32 r;

	clfs_fc_put(buf + CLFS_FC_B(lsn), 8, lsn, false);
	for (r = 0; r < 3; r++)
		clfs_fc_put(buf + CLFS_FC_R(clfs_fc_rec_offset[r], lsn), 8,
			    lsn + r, false);
}

enum clfs_fc_what {
	CLFS_FC_META,	/* clfs_meta_decode() */
	CLFS_FC_CONT,	/* clfs_cont_hdr_decode() */
	CLFS_FC_BLOCK,	/* clfs_block_peek() and clfs_block_decode() */
};

/*
 * The structure being mutated (@buf), the decoder's arguments, and the
 * seed a mutation's checksum is written with (@write_seed; @seed is the
 * one the decoder expects).
 */
struct clfs_fc_env {
	u8 *buf;
	u32 seed;
	u32 write_seed;
	u64 expect_lsn;
	u32 io_unit;
	u32 max_size;
	size_t len;
};

/**
 * struct clfs_fc_mutation - one broken rule
 * @name: what is broken
 * @what: which structure, hence which decoder
 * @off: offset of the field to change
 * @width: its size in bytes (1..8); 0 for none
 * @value: the new value, stored little-endian (or XORed in: @xor)
 * @xor: XOR @value into the field instead of storing it
 * @fn: a further change (several fields, or the decoder's arguments)
 * @keep_crc: leave the checksum as it was (for checksum rules)
 * @want: the decoder's exact result
 * @want_peek: clfs_block_peek()'s exact result (blocks only)
 */
struct clfs_fc_mutation {
	const char *name;
	enum clfs_fc_what what;
	u32 off;
	u32 width;
	u64 value;
	bool xor;
	void (*fn)(struct clfs_fc_env *env);
	bool keep_crc;
	int want;
	int want_peek;
};

/* Helpers for the mutations that change more than one field. */

static inline void clfs_fc_mut_meta_1025(struct clfs_fc_env *env)
{
	u8 *buf = env->buf;

	clfs_fc_put(buf + CLFS_FC_M(n_containers), 4, 1025, false);
	clfs_fc_put(buf + CLFS_FC_M(bytes), 4, 256 + 48 * 1025, false);
}

static inline void clfs_fc_mut_meta_len_short(struct clfs_fc_env *env)
{
	env->len = CLFS_FC_META_BYTES - 1;
}

static inline void clfs_fc_mut_meta_len_hdr(struct clfs_fc_env *env)
{
	env->len = sizeof(struct clfs_meta) - 1;
}

static inline void clfs_fc_mut_meta_len_exact(struct clfs_fc_env *env)
{
	env->len = CLFS_FC_META_BYTES;
}

static inline void clfs_fc_mut_uuid_zero(struct clfs_fc_env *env)
{
	u8 *buf = env->buf;

	memset(buf + CLFS_FC_M(log_uuid), 0, 16);
}

static inline void clfs_fc_mut_no_fit(struct clfs_fc_env *env)
{
	u8 *buf = env->buf;

	clfs_fc_put(buf + CLFS_FC_M(container_size), 8, 512 << 10, false);
	clfs_fc_put(buf + CLFS_FC_M(block_size), 4, 512 << 10, false);
}

static inline void clfs_fc_mut_just_fits(struct clfs_fc_env *env)
{
	u8 *buf = env->buf;

	clfs_fc_put(buf + CLFS_FC_M(container_size), 8, 512 << 10, false);
	clfs_fc_put(buf + CLFS_FC_M(block_size), 4,
		    (512 << 10) - CLFS_BLOCKS_START, false);
}

/* Containers of the largest size, moved apart so that none overlap. */
static inline void clfs_fc_mut_max_size(struct clfs_fc_env *env)
{
	u8 *buf = env->buf;

	clfs_fc_put(buf + CLFS_FC_M(container_size), 8,
		    CLFS_CONTAINER_MAX_SIZE, false);
	clfs_fc_put(buf + CLFS_FC_E(1, dev_offset), 8,
		    CLFS_CONTAINERS_START + CLFS_CONTAINER_MAX_SIZE, false);
	clfs_fc_put(buf + CLFS_FC_E(3, dev_offset), 8,
		    CLFS_CONTAINER_MAX_SIZE, false);
}

/* The second device's containers at the base device's offsets. */
static inline void clfs_fc_mut_same_offsets(struct clfs_fc_env *env)
{
	u8 *buf = env->buf;

	clfs_fc_put(buf + CLFS_FC_E(2, dev_offset), 8,
		    CLFS_CONTAINERS_START + CLFS_FC_CONT_SIZE, false);
	clfs_fc_put(buf + CLFS_FC_E(3, dev_offset), 8,
		    CLFS_CONTAINERS_START, false);
}

static inline void clfs_fc_mut_empty(struct clfs_fc_env *env)
{
	u8 *buf = env->buf;

	clfs_fc_put(buf + CLFS_FC_M(n_containers), 4, 0, false);
	clfs_fc_put(buf + CLFS_FC_M(bytes), 4, 256, false);
	clfs_fc_put(buf + CLFS_FC_M(base_lsn), 8, CLFS_LSN_NULL, false);
	clfs_fc_put(buf + CLFS_FC_M(archive_tail), 8, CLFS_LSN_INVALID, false);
	clfs_fc_put(buf + CLFS_FC_M(restart_lsn), 8, CLFS_LSN_INVALID, false);
	clfs_fc_put(buf + CLFS_FC_M(end_lsn), 8, CLFS_LSN_INVALID, false);
	clfs_fc_put(buf + CLFS_FC_M(end_floor), 8, 0, false);
}

/* No truncation point: end_lsn INVALID, end_floor @floor. */
static inline void clfs_fc_end_none(struct clfs_fc_env *env, u64 floor)
{
	u8 *buf = env->buf;

	clfs_fc_put(buf + CLFS_FC_M(end_lsn), 8, CLFS_LSN_INVALID, false);
	clfs_fc_put(buf + CLFS_FC_M(end_floor), 8, floor, false);
}

static inline void clfs_fc_mut_end_none(struct clfs_fc_env *env)
{
	clfs_fc_end_none(env, 0);
}

static inline void clfs_fc_mut_end_none_floor1(struct clfs_fc_env *env)
{
	clfs_fc_end_none(env, 1);
}

/* A truncation that set the floor in effect: end_floor = seq_floor. */
static inline void clfs_fc_mut_end_floor_max(struct clfs_fc_env *env)
{
	u8 *buf = env->buf;

	clfs_fc_put(buf + CLFS_FC_M(seq_floor), 8, 1ULL << 62, false);
	clfs_fc_put(buf + CLFS_FC_M(end_floor), 8, 1ULL << 62, false);
}

static inline void clfs_fc_mut_last_id(struct clfs_fc_env *env)
{
	u8 *buf = env->buf;

	clfs_fc_put(buf + CLFS_FC_E(3, logical_id), 4, 0xfffffffeU, false);
	clfs_fc_put(buf + CLFS_FC_M(next_logical), 4, 0xffffffffU, false);
}

static inline void clfs_fc_mut_cont_other_log(struct clfs_fc_env *env)
{
	u8 *buf = env->buf;

	memcpy(buf + CLFS_FC_C(log_uuid), clfs_fc_other_uuid, 16);
	env->write_seed = clfs_seed(clfs_fc_other_uuid);
}

static inline void clfs_fc_mut_other_seed(struct clfs_fc_env *env)
{
	env->write_seed = clfs_seed(clfs_fc_other_uuid);
}

static inline void clfs_fc_mut_cont_len(struct clfs_fc_env *env)
{
	env->len = sizeof(struct clfs_container_header) - 1;
}

static inline void clfs_fc_mut_cont_len_exact(struct clfs_fc_env *env)
{
	env->len = sizeof(struct clfs_container_header);
}

static inline void clfs_fc_mut_blk_next_pos(struct clfs_fc_env *env)
{
	u8 *buf = env->buf;

	clfs_fc_block_relsn(buf, CLFS_FC_BLOCK_LSN + CLFS_FC_BLOCK_BYTES);
}

static inline void clfs_fc_mut_blk_other_id(struct clfs_fc_env *env)
{
	u8 *buf = env->buf;

	clfs_fc_block_relsn(buf, CLFS_FC_LSN(6, 8192, 0));
}

/* A block that claims record 1 as its first: expected there, too. */
static inline void clfs_fc_mut_blk_rec_index(struct clfs_fc_env *env)
{
	u8 *buf = env->buf;

	clfs_fc_block_relsn(buf, CLFS_FC_BLOCK_LSN + 1);
	env->expect_lsn = CLFS_FC_BLOCK_LSN + 1;
}

static inline void clfs_fc_mut_blk_max_1k(struct clfs_fc_env *env)
{
	env->max_size = 1024;
}

static inline void clfs_fc_mut_blk_max_exact(struct clfs_fc_env *env)
{
	env->max_size = CLFS_FC_BLOCK_BYTES;
}

static inline void clfs_fc_mut_blk_len_1k(struct clfs_fc_env *env)
{
	env->len = 1024;
}

static inline void clfs_fc_mut_blk_len_hdr(struct clfs_fc_env *env)
{
	env->len = sizeof(struct clfs_block_header) - 1;
}

static inline void clfs_fc_mut_blk_len_exact(struct clfs_fc_env *env)
{
	env->len = CLFS_FC_BLOCK_BYTES;
}

static inline void clfs_fc_mut_blk_io_768(struct clfs_fc_env *env)
{
	env->io_unit = 768;
}

static inline void clfs_fc_mut_blk_io_8k(struct clfs_fc_env *env)
{
	env->io_unit = 8192;
}

static inline void clfs_fc_mut_blk_io_512(struct clfs_fc_env *env)
{
	env->io_unit = 512;
}

/* A torn write: sector 1 never reached the disk (it reads as zeros). */
static inline void clfs_fc_mut_torn_zero(struct clfs_fc_env *env)
{
	u8 *buf = env->buf;

	memset(buf + 512, 0, 512);
}

/*
 * A torn write over an older block at the same position: sector @s still
 * holds the older version.  The older block is built in the scratch half
 * of the buffer.
 */
static inline void clfs_fc_torn_old(u8 *buf, u32 s)
{
	u8 *old = buf + CLFS_FC_BLOCK_SIZE;

	clfs_fc_block_build(old, CLFS_FC_BLOCK_LSN, 900, 800,
			    CLFS_FC_BLOCK_PREV, CLFS_FC_BLOCK_PREV_LAST, 1,
			    clfs_seed(clfs_fc_log_uuid));
	memcpy(buf + 512 * s, old + 512 * s, 512);
}

static inline void clfs_fc_mut_torn_old0(struct clfs_fc_env *env)
{
	u8 *buf = env->buf;

	clfs_fc_torn_old(buf, 0);
}

static inline void clfs_fc_mut_torn_old2(struct clfs_fc_env *env)
{
	u8 *buf = env->buf;

	clfs_fc_torn_old(buf, 2);
}

/* The block names its predecessor by @prev_lsn and @prev_last. */
static inline void clfs_fc_blk_prev(struct clfs_fc_env *env, u64 prev_lsn,
				    u64 prev_last)
{
	u8 *buf = env->buf;

	clfs_fc_put(buf + CLFS_FC_B(prev_lsn), 8, prev_lsn, false);
	clfs_fc_put(buf + CLFS_FC_B(prev_last), 8, prev_last, false);
}

/* The first block of a log: no predecessor at all. */
static inline void clfs_fc_mut_blk_first(struct clfs_fc_env *env)
{
	clfs_fc_blk_prev(env, CLFS_LSN_INVALID, CLFS_LSN_INVALID);
}

/* No predecessor, and prev_last 0 (reserved2 of a v1.0 writer). */
static inline void clfs_fc_mut_blk_first_last0(struct clfs_fc_env *env)
{
	clfs_fc_blk_prev(env, CLFS_LSN_INVALID, 0);
}

/* No predecessor, and prev_last above CLFS_LSN_INVALID. */
static inline void clfs_fc_mut_blk_first_last_max(struct clfs_fc_env *env)
{
	clfs_fc_blk_prev(env, CLFS_LSN_INVALID, ~0ULL);
}

/* prev_lsn with record index 1, prev_last the same LSN. */
static inline void clfs_fc_mut_blk_prev_rec1(struct clfs_fc_env *env)
{
	clfs_fc_blk_prev(env, CLFS_FC_BLOCK_PREV + 1, CLFS_FC_BLOCK_PREV + 1);
}

/* A predecessor in the previous logical container, its last record 511. */
static inline void clfs_fc_mut_blk_prev_other_id(struct clfs_fc_env *env)
{
	clfs_fc_blk_prev(env, CLFS_FC_LSN(4, CLFS_FC_CONT_SIZE - 8192, 0),
			 CLFS_FC_LSN(4, CLFS_FC_CONT_SIZE - 8192, 511));
}

/* A block with no records: only its header is used. */
static inline void clfs_fc_mut_blk_empty(struct clfs_fc_env *env)
{
	u8 *buf = env->buf;

	memset(buf + CLFS_FC_REC0, 0, CLFS_FC_BLOCK_BYTES - CLFS_FC_REC0);
	clfs_fc_put(buf + CLFS_FC_B(used), 4, CLFS_FC_REC0, false);
	clfs_fc_put(buf + CLFS_FC_B(n_records), 2, 0, false);
}

static inline void clfs_fc_mut_rec_swap(struct clfs_fc_env *env)
{
	u8 *buf = env->buf;

	clfs_fc_put(buf + CLFS_FC_R(CLFS_FC_REC1, lsn), 8,
		    CLFS_FC_BLOCK_LSN + 2, false);
	clfs_fc_put(buf + CLFS_FC_R(CLFS_FC_REC2, lsn), 8,
		    CLFS_FC_BLOCK_LSN + 1, false);
}

/* Multiplexed copies, each with one rule broken (clfs_fc_mux_build()). */
static inline void clfs_fc_mut_mux(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
}

static inline void clfs_fc_mut_mux_id0(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_S(0, id), 4, 0, false);
}

static inline void clfs_fc_mut_mux_id_next(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_S(1, id), 4, CLFS_FC_NEXT_STREAM,
		    false);
}

static inline void clfs_fc_mut_mux_id_dup(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_S(1, id), 4, clfs_fc_streams[0].id,
		    false);
}

static inline void clfs_fc_mut_mux_id_order(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_S(0, id), 4, 3, false);
	clfs_fc_put(env->buf + CLFS_FC_S(1, id), 4, 1, false);
}

static inline void clfs_fc_mut_mux_name_dup(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	memcpy(env->buf + CLFS_FC_S(1, name), env->buf + CLFS_FC_S(0, name),
	       CLFS_STREAM_NAME_SIZE);
}

static inline void clfs_fc_mut_mux_name_empty(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	memset(env->buf + CLFS_FC_S(1, name), 0, CLFS_STREAM_NAME_SIZE);
}

static inline void clfs_fc_mut_mux_name_slash(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	env->buf[CLFS_FC_S(0, name) + 2] = '/';
}

static inline void clfs_fc_mut_mux_name_space(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	env->buf[CLFS_FC_S(0, name) + 2] = ' ';
}

static inline void clfs_fc_mut_mux_name_full(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	memset(env->buf + CLFS_FC_S(0, name), 'a', CLFS_STREAM_NAME_SIZE);
}

static inline void clfs_fc_mut_mux_name_31(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	memset(env->buf + CLFS_FC_S(0, name), 'a', CLFS_STREAM_NAME_SIZE - 1);
}

static inline void clfs_fc_mut_mux_name_tail(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	env->buf[CLFS_FC_S(0, name) + CLFS_STREAM_NAME_SIZE - 1] = 'x';
}

static inline void clfs_fc_mut_mux_flags(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_S(1, flags), 4, 1, false);
}

static inline void clfs_fc_mut_mux_reserved(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_S(1, reserved) + 15, 1, 0x80, false);
}

/*
 * Clean-close markers: the last block at (6, 16384) with 5 records, the
 * next block at 16384 + 8192, the oldest record at (5, 4096, 0).
 */
#define CLFS_FC_CLEAN_BLOCK	CLFS_FC_LSN(6, 16384, 0)

static inline void clfs_fc_clean_set(u8 *buf, u64 block, u64 last, u64 next,
				     u64 first)
{
	u64 flags = clfs_fc_get(buf + CLFS_FC_M(flags), 4);

	clfs_fc_put(buf + CLFS_FC_M(flags), 4, flags | CLFS_META_CLEAN, false);
	clfs_fc_put(buf + CLFS_FC_M(clean_block), 8, block, false);
	clfs_fc_put(buf + CLFS_FC_M(clean_last), 8, last, false);
	clfs_fc_put(buf + CLFS_FC_M(clean_next), 8, next, false);
	clfs_fc_put(buf + CLFS_FC_M(clean_first), 8, first, false);
}

static inline void clfs_fc_clean(u8 *buf)
{
	clfs_fc_meta_build(buf);
	clfs_fc_clean_set(buf, CLFS_FC_CLEAN_BLOCK, CLFS_FC_CLEAN_BLOCK + 4,
			  CLFS_FC_LSN(6, 16384 + 8192, 0),
			  CLFS_FC_LSN(5, 4096, 0));
}

static inline void clfs_fc_mut_clean(struct clfs_fc_env *env)
{
	clfs_fc_clean(env->buf);
}

static inline void clfs_fc_mut_clean_empty(struct clfs_fc_env *env)
{
	clfs_fc_meta_build(env->buf);
	clfs_fc_clean_set(env->buf, CLFS_LSN_INVALID, CLFS_LSN_INVALID, 0,
			  CLFS_LSN_INVALID);
}

static inline void clfs_fc_mut_clean_empty_next(struct clfs_fc_env *env)
{
	clfs_fc_meta_build(env->buf);
	clfs_fc_clean_set(env->buf, CLFS_LSN_INVALID, CLFS_LSN_INVALID,
			  CLFS_FC_LSN(6, 16384, 0), CLFS_LSN_INVALID);
}

static inline void clfs_fc_mut_clean_free(struct clfs_fc_env *env)
{
	clfs_fc_meta_build(env->buf);
	clfs_fc_clean_set(env->buf, CLFS_FC_LSN(7, 4096, 0),
			  CLFS_FC_LSN(7, 4096, 0), CLFS_FC_LSN(7, 8192, 0),
			  CLFS_FC_LSN(5, 4096, 0));
}

static inline void clfs_fc_mut_clean_index(struct clfs_fc_env *env)
{
	clfs_fc_clean(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_M(clean_block), 8,
		    CLFS_FC_CLEAN_BLOCK + 1, false);
}

static inline void clfs_fc_mut_clean_last_far(struct clfs_fc_env *env)
{
	clfs_fc_clean(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_M(clean_last), 8,
		    CLFS_FC_CLEAN_BLOCK + 512, false);
}

static inline void clfs_fc_mut_clean_last_before(struct clfs_fc_env *env)
{
	clfs_fc_clean(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_M(clean_last), 8,
		    CLFS_FC_CLEAN_BLOCK - 1, false);
}

static inline void clfs_fc_mut_clean_next_cont(struct clfs_fc_env *env)
{
	clfs_fc_clean(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_M(clean_next), 8,
		    CLFS_FC_LSN(5, 16384 + 8192, 0), false);
}

static inline void clfs_fc_mut_clean_next_far(struct clfs_fc_env *env)
{
	clfs_fc_clean(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_M(clean_next), 8,
		    CLFS_FC_LSN(6, 16384 + 8192 + 1024, 0), false);
}

static inline void clfs_fc_mut_clean_next_align(struct clfs_fc_env *env)
{
	clfs_fc_clean(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_M(clean_next), 8,
		    CLFS_FC_LSN(6, 16384 + 1536, 0), false);
}

static inline void clfs_fc_mut_clean_next_same(struct clfs_fc_env *env)
{
	clfs_fc_clean(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_M(clean_next), 8, CLFS_FC_CLEAN_BLOCK,
		    false);
}

static inline void clfs_fc_mut_clean_next_end(struct clfs_fc_env *env)
{
	clfs_fc_meta_build(env->buf);
	clfs_fc_clean_set(env->buf,
			  CLFS_FC_LSN(6, CLFS_FC_CONT_SIZE - 8192, 0),
			  CLFS_FC_LSN(6, CLFS_FC_CONT_SIZE - 8192, 0),
			  CLFS_FC_LSN(6, CLFS_FC_CONT_SIZE, 0),
			  CLFS_FC_LSN(5, 4096, 0));
}

static inline void clfs_fc_mut_clean_first_after(struct clfs_fc_env *env)
{
	clfs_fc_clean(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_M(clean_first), 8,
		    CLFS_FC_CLEAN_BLOCK + 5, false);
}

static inline void clfs_fc_mut_clean_first_id(struct clfs_fc_env *env)
{
	clfs_fc_clean(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_M(clean_first), 8,
		    CLFS_FC_LSN(CLFS_FC_NEXT_LOGICAL, 4096, 0), false);
}

static inline void clfs_fc_mut_mux_unclean_last(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_S(0, clean_last), 8,
		    CLFS_FC_CLEAN_BLOCK, false);
}

/* A clean multiplexed copy: stream 2 has records, stream 4 none. */
static inline void clfs_fc_mux_clean(u8 *buf)
{
	clfs_fc_mux_build(buf);
	clfs_fc_clean_set(buf, CLFS_FC_CLEAN_BLOCK, CLFS_FC_CLEAN_BLOCK + 4,
			  CLFS_FC_LSN(6, 16384 + 8192, 0),
			  CLFS_FC_LSN(5, 4096, 0));
	clfs_fc_put(buf + CLFS_FC_S(0, clean_first), 8, CLFS_FC_BASE_LSN,
		    false);
	clfs_fc_put(buf + CLFS_FC_S(0, clean_last), 8,
		    CLFS_FC_CLEAN_BLOCK + 4, false);
	clfs_fc_put(buf + CLFS_FC_S(1, clean_first), 8, CLFS_LSN_INVALID,
		    false);
	clfs_fc_put(buf + CLFS_FC_S(1, clean_last), 8, CLFS_LSN_INVALID,
		    false);
}

static inline void clfs_fc_mut_mux_clean(struct clfs_fc_env *env)
{
	clfs_fc_mux_clean(env->buf);
}

static inline void clfs_fc_mut_mux_clean_after(struct clfs_fc_env *env)
{
	clfs_fc_mux_clean(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_S(0, clean_last), 8,
		    CLFS_FC_CLEAN_BLOCK + 5, false);
}

static inline void clfs_fc_mut_mux_clean_first_only(struct clfs_fc_env *env)
{
	clfs_fc_mux_clean(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_S(1, clean_first), 8,
		    CLFS_FC_BASE_LSN, false);
}

static inline void clfs_fc_mut_mux_clean_empty(struct clfs_fc_env *env)
{
	clfs_fc_mux_clean(env->buf);
	clfs_fc_clean_set(env->buf, CLFS_LSN_INVALID, CLFS_LSN_INVALID, 0,
			  CLFS_LSN_INVALID);
}

static inline void clfs_fc_mut_mux_clean_order(struct clfs_fc_env *env)
{
	clfs_fc_mux_clean(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_S(0, clean_first), 8,
		    CLFS_FC_CLEAN_BLOCK + 4, false);
	clfs_fc_put(env->buf + CLFS_FC_S(0, clean_last), 8,
		    CLFS_FC_CLEAN_BLOCK + 3, false);
}

static inline void clfs_fc_mut_mux_base(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_S(0, base_lsn), 8,
		    CLFS_FC_LSN(9, 4096, 0), false);
}

static inline void clfs_fc_mut_mux_base_free(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_S(0, base_lsn), 8,
		    CLFS_FC_LSN(7, 4096, 0), false);
}

static inline void clfs_fc_mut_mux_archive_null(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_S(0, archive_tail), 8, CLFS_LSN_NULL,
		    false);
}

static inline void clfs_fc_mut_mux_restart(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_S(1, restart_lsn), 8,
		    CLFS_FC_LSN(CLFS_FC_NEXT_LOGICAL, 4096, 0), false);
}

static inline void clfs_fc_mut_mux_hdr_base(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_M(base_lsn), 8, CLFS_FC_BASE_LSN,
		    false);
}

static inline void clfs_fc_mut_mux_hdr_restart(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_M(restart_lsn), 8, CLFS_FC_RESTART_LSN,
		    false);
}

static inline void clfs_fc_mut_mux_end(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_M(end_lsn), 8, CLFS_FC_END_LSN, false);
	clfs_fc_put(env->buf + CLFS_FC_M(end_floor), 8, CLFS_FC_END_FLOOR,
		    false);
}

static inline void clfs_fc_mut_mux_next0(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_M(next_stream), 4, 0, false);
}

static inline void clfs_fc_mut_mux_next_max(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_M(next_stream), 4,
		    CLFS_STREAM_ID_MAX + 1ULL, false);
}

static inline void clfs_fc_mut_mux_next_top(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_M(next_stream), 4, CLFS_STREAM_ID_MAX,
		    false);
}

static inline void clfs_fc_mut_mux_129(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_M(n_streams), 4, 129, false);
	clfs_fc_put(env->buf + CLFS_FC_M(bytes), 4,
		    CLFS_FC_META_BYTES + 96U * 129, false);
}

static inline void clfs_fc_mut_mux_bytes(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_M(bytes), 4, CLFS_FC_META_BYTES + 96U,
		    false);
}

static inline void clfs_fc_mut_mux_none(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_M(n_streams), 4, 0, false);
	clfs_fc_put(env->buf + CLFS_FC_M(bytes), 4, CLFS_FC_META_BYTES, false);
}

static inline void clfs_fc_mut_ded_streams(struct clfs_fc_env *env)
{
	clfs_fc_mux_build(env->buf);
	clfs_fc_put(env->buf + CLFS_FC_M(flags), 4, 0, false);
}

static inline void clfs_fc_mut_ded_n1(struct clfs_fc_env *env)
{
	clfs_fc_put(env->buf + CLFS_FC_M(n_streams), 4, 1, false);
	clfs_fc_put(env->buf + CLFS_FC_M(bytes), 4, CLFS_FC_META_BYTES + 96U,
		    false);
}

#define CLFS_FC_EUCLEAN	(-EUCLEAN)

/* Mutations of the metadata copy (clfs_meta_decode()). */
#define CLFS_FC_META_SET(n, o, w, v) \
	{ .name = n, .what = CLFS_FC_META, .off = o, .width = w, \
	  .value = v, .want = CLFS_FC_EUCLEAN }
#define CLFS_FC_META_OK(n, o, w, v) \
	{ .name = n, .what = CLFS_FC_META, .off = o, .width = w, \
	  .value = v, .want = 0 }
#define CLFS_FC_META_FN(n, f, r) \
	{ .name = n, .what = CLFS_FC_META, .fn = f, .want = r }
#define CLFS_FC_META_FLIP(n, o) \
	{ .name = n, .what = CLFS_FC_META, .off = o, .width = 1, \
	  .value = 0x01, .xor = true, .keep_crc = true, \
	  .want = CLFS_FC_EUCLEAN }

/* Mutations of the container header (clfs_cont_hdr_decode()). */
#define CLFS_FC_CONT_SET(n, o, w, v, r) \
	{ .name = n, .what = CLFS_FC_CONT, .off = o, .width = w, \
	  .value = v, .want = r }
#define CLFS_FC_CONT_FN(n, f, r) \
	{ .name = n, .what = CLFS_FC_CONT, .fn = f, .want = r }

/* Mutations of the block (clfs_block_peek(), clfs_block_decode()). */
#define CLFS_FC_BLK_SET(n, o, w, v, r, p) \
	{ .name = n, .what = CLFS_FC_BLOCK, .off = o, .width = w, \
	  .value = v, .want = r, .want_peek = p }
#define CLFS_FC_BLK_FN(n, f, r, p) \
	{ .name = n, .what = CLFS_FC_BLOCK, .fn = f, .want = r, \
	  .want_peek = p }
#define CLFS_FC_BLK_TORN(n, f) \
	{ .name = n, .what = CLFS_FC_BLOCK, .fn = f, .keep_crc = true, \
	  .want = CLFS_FC_EUCLEAN }
#define CLFS_FC_BLK_FLIP(n, o) \
	{ .name = n, .what = CLFS_FC_BLOCK, .off = o, .width = 1, \
	  .value = 0x01, .xor = true, .keep_crc = true, \
	  .want = CLFS_FC_EUCLEAN }

static const struct clfs_fc_mutation clfs_fc_mutations[] = {
	/* Metadata: the encoding. */
	CLFS_FC_META_SET("meta: magic of a container header", CLFS_FC_M(magic),
			 8, CLFS_CONT_MAGIC),
	CLFS_FC_META_SET("meta: magic one byte off", CLFS_FC_M(magic) + 7, 1,
			 'B'),
	CLFS_FC_META_FLIP("meta: crc: header byte flipped",
			  CLFS_FC_M(generation)),
	CLFS_FC_META_FLIP("meta: crc: table byte flipped",
			  CLFS_FC_E(3, dev_offset) + 2),
	CLFS_FC_META_FLIP("meta: crc: crc field flipped", CLFS_FC_M(crc) + 3),
	CLFS_FC_META_FLIP("meta: crc: uuid byte flipped (other seed)",
			  CLFS_FC_M(log_uuid) + 15),
	CLFS_FC_META_SET("meta: version major 2 (before streams: upgrade)",
			 CLFS_FC_M(version_major), 2, 2),
	CLFS_FC_META_SET("meta: version major 4", CLFS_FC_M(version_major), 2,
			 4),
	CLFS_FC_META_SET("meta: version major 1 (before truncation and recycling)",
			 CLFS_FC_M(version_major), 2, 1),
	CLFS_FC_META_SET("meta: version major 0", CLFS_FC_M(version_major), 2,
			 0),
	CLFS_FC_META_OK("meta: version minor 0 (v3.0) is accepted",
			CLFS_FC_M(version_minor), 2, 0),
	CLFS_FC_META_OK("meta: version minor 2 is accepted",
			CLFS_FC_M(version_minor), 2, 2),
	CLFS_FC_META_SET("meta: bytes one entry more than n_containers",
			 CLFS_FC_M(bytes), 4, CLFS_FC_META_BYTES + 48),
	CLFS_FC_META_SET("meta: bytes one short", CLFS_FC_M(bytes), 4,
			 CLFS_FC_META_BYTES - 1),
	CLFS_FC_META_SET("meta: bytes 0", CLFS_FC_M(bytes), 4, 0),
	CLFS_FC_META_SET("meta: n_containers 5 with 4 entries' bytes",
			 CLFS_FC_M(n_containers), 4, 5),
	CLFS_FC_META_SET("meta: n_containers 3 with 4 entries' bytes",
			 CLFS_FC_M(n_containers), 4, 3),
	CLFS_FC_META_FN("meta: n_containers 1025 (bytes to match)",
			clfs_fc_mut_meta_1025, CLFS_FC_EUCLEAN),
	CLFS_FC_META_SET("meta: n_containers 0x80000000 (bytes would wrap)",
			 CLFS_FC_M(n_containers), 4, 0x80000000U),
	CLFS_FC_META_FN("meta: buffer one byte shorter than bytes",
			clfs_fc_mut_meta_len_short, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("meta: buffer shorter than the header",
			clfs_fc_mut_meta_len_hdr, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("meta: buffer exactly bytes long is accepted",
			clfs_fc_mut_meta_len_exact, 0),
	CLFS_FC_META_SET("meta: flags 1 (multiplexed) with no next_stream",
			 CLFS_FC_M(flags), 4, 1),
	CLFS_FC_META_SET("meta: flags bit 1 (clean) with a zero last block",
			 CLFS_FC_M(flags), 4, 2),
	CLFS_FC_META_SET("meta: flags bit 2", CLFS_FC_M(flags), 4, 4),
	CLFS_FC_META_SET("meta: flags bit 31", CLFS_FC_M(flags), 4,
			 0x80000000U),
	CLFS_FC_META_SET("meta: reserved[0] nonzero", CLFS_FC_M(reserved), 1,
			 1),
	CLFS_FC_META_SET("meta: reserved[95] (byte 255) nonzero",
			 CLFS_FC_M(reserved) + 95, 1, 0x80),
	CLFS_FC_META_SET("meta: not clean, clean_block nonzero",
			 CLFS_FC_M(clean_block), 8, CLFS_FC_LSN(6, 16384, 0)),
	CLFS_FC_META_SET("meta: not clean, clean_first last byte nonzero",
			 CLFS_FC_M(clean_first) + 7, 1, 0x80),
	CLFS_FC_META_FN("clean: a last block of 5 records is accepted",
			clfs_fc_mut_clean, 0),
	CLFS_FC_META_FN("clean: an empty log is accepted",
			clfs_fc_mut_clean_empty, 0),
	CLFS_FC_META_FN("clean: empty, but a next position",
			clfs_fc_mut_clean_empty_next, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("clean: the last block in a free container",
			clfs_fc_mut_clean_free, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("clean: the last block's LSN has record index 1",
			clfs_fc_mut_clean_index, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("clean: the last record 512 records on",
			clfs_fc_mut_clean_last_far, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("clean: the last record before the block",
			clfs_fc_mut_clean_last_before, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("clean: the next position in another container",
			clfs_fc_mut_clean_next_cont, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("clean: the next position a block_size + 1 KiB on",
			clfs_fc_mut_clean_next_far, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("clean: the next position off the I/O unit",
			clfs_fc_mut_clean_next_align, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("clean: the next position at the block",
			clfs_fc_mut_clean_next_same, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("clean: the next position at the container's end is accepted",
			clfs_fc_mut_clean_next_end, 0),
	CLFS_FC_META_FN("clean: the oldest record after the last",
			clfs_fc_mut_clean_first_after, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("clean: the oldest record in an unissued container",
			clfs_fc_mut_clean_first_id, CLFS_FC_EUCLEAN),
	CLFS_FC_META_SET("meta: dedicated: next_stream 1",
			 CLFS_FC_M(next_stream), 4, 1),
	CLFS_FC_META_FN("meta: dedicated: n_streams 1 (bytes to match)",
			clfs_fc_mut_ded_n1, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("meta: dedicated with a stream table",
			clfs_fc_mut_ded_streams, CLFS_FC_EUCLEAN),
	CLFS_FC_META_SET("meta: n_streams 1 without its bytes",
			 CLFS_FC_M(n_streams), 4, 1),

	/* Multiplexed copies. */
	CLFS_FC_META_FN("mux: two streams is accepted", clfs_fc_mut_mux, 0),
	CLFS_FC_META_FN("mux: no stream is accepted", clfs_fc_mut_mux_none, 0),
	CLFS_FC_META_FN("mux: next_stream 2^31 is accepted",
			clfs_fc_mut_mux_next_top, 0),
	CLFS_FC_META_FN("mux: a 31-byte name is accepted",
			clfs_fc_mut_mux_name_31, 0),
	CLFS_FC_META_FN("mux: stream id 0", clfs_fc_mut_mux_id0,
			CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: stream id = next_stream",
			clfs_fc_mut_mux_id_next, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: duplicate stream id", clfs_fc_mut_mux_id_dup,
			CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: ids in decreasing order",
			clfs_fc_mut_mux_id_order, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: duplicate name", clfs_fc_mut_mux_name_dup,
			CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: empty name", clfs_fc_mut_mux_name_empty,
			CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: name with '/'", clfs_fc_mut_mux_name_slash,
			CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: name with ' '", clfs_fc_mut_mux_name_space,
			CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: name of 32 bytes, no NUL",
			clfs_fc_mut_mux_name_full, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: a byte after the name's NUL",
			clfs_fc_mut_mux_name_tail, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: entry flags nonzero", clfs_fc_mut_mux_flags,
			CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: entry reserved last byte nonzero",
			clfs_fc_mut_mux_reserved, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: not clean, a stream's clean_last nonzero",
			clfs_fc_mut_mux_unclean_last, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux clean: streams' oldest and newest are accepted",
			clfs_fc_mut_mux_clean, 0),
	CLFS_FC_META_FN("mux clean: a stream's newest after the log's last",
			clfs_fc_mut_mux_clean_after, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux clean: a stream's oldest without its newest",
			clfs_fc_mut_mux_clean_first_only, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux clean: a stream's oldest after its newest",
			clfs_fc_mut_mux_clean_order, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux clean: an empty log, a stream with records",
			clfs_fc_mut_mux_clean_empty, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: stream base in unknown logical id 9",
			clfs_fc_mut_mux_base, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: stream base in a free container",
			clfs_fc_mut_mux_base_free, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: stream archive tail NULL",
			clfs_fc_mut_mux_archive_null, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: stream restart_lsn at next_logical",
			clfs_fc_mut_mux_restart, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: the header's base_lsn set",
			clfs_fc_mut_mux_hdr_base, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: the header's restart_lsn set",
			clfs_fc_mut_mux_hdr_restart, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: a truncation point", clfs_fc_mut_mux_end,
			CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: next_stream 0", clfs_fc_mut_mux_next0,
			CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: next_stream 2^31 + 1",
			clfs_fc_mut_mux_next_max, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: n_streams 129 (bytes to match)",
			clfs_fc_mut_mux_129, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("mux: bytes one stream short", clfs_fc_mut_mux_bytes,
			CLFS_FC_EUCLEAN),
	CLFS_FC_META_SET("meta: entry 0 reserved nonzero",
			 CLFS_FC_E(0, reserved), 4, 1),
	CLFS_FC_META_SET("meta: entry 3 reserved2 last byte nonzero",
			 CLFS_FC_E(3, reserved2) + 7, 1, 0x80),
	/* Metadata: the geometry. */
	CLFS_FC_META_SET("meta: io_unit 768 (not a power of two)",
			 CLFS_FC_M(io_unit), 4, 768),
	CLFS_FC_META_SET("meta: io_unit 256 (below 512)", CLFS_FC_M(io_unit),
			 4, 256),
	CLFS_FC_META_SET("meta: io_unit 8192 (above 4096)",
			 CLFS_FC_M(io_unit), 4, 8192),
	CLFS_FC_META_SET("meta: io_unit 0", CLFS_FC_M(io_unit), 4, 0),
	CLFS_FC_META_OK("meta: io_unit 512 is accepted", CLFS_FC_M(io_unit),
			4, 512),
	CLFS_FC_META_OK("meta: io_unit 4096 is accepted", CLFS_FC_M(io_unit),
			4, 4096),
	CLFS_FC_META_SET("meta: block_size 0", CLFS_FC_M(block_size), 4, 0),
	CLFS_FC_META_SET("meta: block_size 2048 (below the minimum)",
			 CLFS_FC_M(block_size), 4, 2048),
	CLFS_FC_META_SET("meta: block_size 4608 (not an io_unit multiple)",
			 CLFS_FC_M(block_size), 4, 4608),
	CLFS_FC_META_SET("meta: block_size 1 MiB + 1024 (above the maximum)",
			 CLFS_FC_M(block_size), 4, (1U << 20) + 1024),
	CLFS_FC_META_SET("meta: container_size 1 MiB + 4096 (not 512 KiB aligned)",
			 CLFS_FC_M(container_size), 8, CLFS_FC_CONT_SIZE + 4096),
	CLFS_FC_META_SET("meta: container_size 0", CLFS_FC_M(container_size),
			 8, 0),
	CLFS_FC_META_SET("meta: container_size 4 GiB (too big)",
			 CLFS_FC_M(container_size), 8, 4ULL << 30),
	CLFS_FC_META_SET("meta: container_size 2^63 (too big)",
			 CLFS_FC_M(container_size), 8, 1ULL << 63),
	CLFS_FC_META_FN("meta: block_size does not fit a 512 KiB container",
			clfs_fc_mut_no_fit, CLFS_FC_EUCLEAN),
	CLFS_FC_META_FN("meta: block_size that just fits is accepted",
			clfs_fc_mut_just_fits, 0),
	CLFS_FC_META_FN("meta: containers of the largest size are accepted",
			clfs_fc_mut_max_size, 0),
	CLFS_FC_META_SET("meta: seq_floor above 2^62", CLFS_FC_M(seq_floor), 8,
			 (1ULL << 62) + 1),
	CLFS_FC_META_OK("meta: seq_floor 2^62 is accepted",
			CLFS_FC_M(seq_floor), 8, 1ULL << 62),
	CLFS_FC_META_FN("meta: zero log uuid", clfs_fc_mut_uuid_zero,
			CLFS_FC_EUCLEAN),
	/* Metadata: the container table. */
	CLFS_FC_META_SET("meta: next_logical 7 (entry 3 has id 7)",
			 CLFS_FC_M(next_logical), 4, 7),
	CLFS_FC_META_SET("meta: next_logical 0", CLFS_FC_M(next_logical), 4,
			 0),
	CLFS_FC_META_FN("meta: logical id 0xfffffffe below next 0xffffffff is accepted",
			clfs_fc_mut_last_id, 0),
	CLFS_FC_META_SET("meta: duplicate physical id",
			 CLFS_FC_E(1, physical_id), 4, 0),
	CLFS_FC_META_SET("meta: duplicate physical id, free entry",
			 CLFS_FC_E(3, physical_id), 4, 2),
	CLFS_FC_META_SET("meta: duplicate logical id",
			 CLFS_FC_E(3, logical_id), 4, 3),
	CLFS_FC_META_SET("meta: duplicate logical id, active entries",
			 CLFS_FC_E(1, logical_id), 4, 5),
	CLFS_FC_META_SET("meta: base device containers overlap",
			 CLFS_FC_E(1, dev_offset), 8,
			 CLFS_CONTAINERS_START + (512 << 10)),
	CLFS_FC_META_SET("meta: base device containers at one offset",
			 CLFS_FC_E(1, dev_offset), 8, CLFS_CONTAINERS_START),
	CLFS_FC_META_SET("meta: second device containers overlap",
			 CLFS_FC_E(3, dev_offset), 8, 512 << 10),
	CLFS_FC_META_SET("meta: second device containers overlap by 1 KiB",
			 CLFS_FC_E(2, dev_offset), 8, 1024),
	CLFS_FC_META_FN("meta: same offsets on two devices are accepted",
			clfs_fc_mut_same_offsets, 0),
	CLFS_FC_META_SET("meta: base device container below 1 MiB",
			 CLFS_FC_E(0, dev_offset), 8,
			 CLFS_CONTAINERS_START - 1024),
	CLFS_FC_META_SET("meta: base device container at 0",
			 CLFS_FC_E(0, dev_offset), 8, 0),
	CLFS_FC_META_SET("meta: container offset not io_unit aligned",
			 CLFS_FC_E(3, dev_offset), 8, CLFS_FC_CONT_SIZE + 512),
	CLFS_FC_META_SET("meta: container offset + size overflows",
			 CLFS_FC_E(3, dev_offset), 8, 0xfffffffffffffc00ULL),
	CLFS_FC_META_SET("meta: entry state 0", CLFS_FC_E(0, state), 4, 0),
	CLFS_FC_META_SET("meta: entry state 4", CLFS_FC_E(3, state), 4, 4),
	CLFS_FC_META_SET("meta: entry state 0xffffffff", CLFS_FC_E(2, state),
			 4, 0xffffffffU),
	CLFS_FC_META_FN("meta: no containers, no LSNs is accepted",
			clfs_fc_mut_empty, 0),
	/* Metadata: the LSNs. */
	CLFS_FC_META_SET("meta: base_lsn in unknown logical id 9",
			 CLFS_FC_M(base_lsn), 8, CLFS_FC_LSN(9, 8192, 0)),
	CLFS_FC_META_SET("meta: base_lsn in a free container",
			 CLFS_FC_M(base_lsn), 8, CLFS_FC_LSN(7, 8192, 0)),
	CLFS_FC_META_SET("meta: base_lsn in a container pending removal",
			 CLFS_FC_M(base_lsn), 8, CLFS_FC_LSN(3, 8192, 0)),
	CLFS_FC_META_SET("meta: base_lsn offset 0 (container header)",
			 CLFS_FC_M(base_lsn), 8, CLFS_FC_LSN(5, 0, 0)),
	CLFS_FC_META_SET("meta: base_lsn offset 3072 (below 4096)",
			 CLFS_FC_M(base_lsn), 8, CLFS_FC_LSN(5, 3072, 0)),
	CLFS_FC_META_SET("meta: base_lsn offset = container size",
			 CLFS_FC_M(base_lsn), 8,
			 CLFS_FC_LSN(5, CLFS_FC_CONT_SIZE, 0)),
	CLFS_FC_META_SET("meta: base_lsn offset far past the container",
			 CLFS_FC_M(base_lsn), 8, CLFS_FC_LSN(5, 0xfffffc00U, 0)),
	CLFS_FC_META_SET("meta: base_lsn offset not io_unit aligned",
			 CLFS_FC_M(base_lsn), 8, CLFS_FC_LSN(5, 4096 + 512, 0)),
	CLFS_FC_META_SET("meta: base_lsn INVALID", CLFS_FC_M(base_lsn), 8,
			 CLFS_LSN_INVALID),
	CLFS_FC_META_OK("meta: base_lsn NULL is accepted", CLFS_FC_M(base_lsn),
			8, CLFS_LSN_NULL),
	CLFS_FC_META_OK("meta: base_lsn in the last io_unit is accepted",
			CLFS_FC_M(base_lsn), 8,
			CLFS_FC_LSN(5, CLFS_FC_CONT_SIZE - 1024, 511)),
	CLFS_FC_META_SET("meta: archive_tail in unknown logical id 9",
			 CLFS_FC_M(archive_tail), 8, CLFS_FC_LSN(9, 4096, 0)),
	CLFS_FC_META_SET("meta: archive_tail offset 1024 (below 4096)",
			 CLFS_FC_M(archive_tail), 8, CLFS_FC_LSN(5, 1024, 0)),
	CLFS_FC_META_SET("meta: archive_tail offset past the container",
			 CLFS_FC_M(archive_tail), 8,
			 CLFS_FC_LSN(5, CLFS_FC_CONT_SIZE + 4096, 0)),
	CLFS_FC_META_SET("meta: archive_tail offset not io_unit aligned",
			 CLFS_FC_M(archive_tail), 8,
			 CLFS_FC_LSN(5, 8192 + 512, 0)),
	CLFS_FC_META_OK("meta: archive_tail INVALID (no archive tail) is accepted",
			CLFS_FC_M(archive_tail), 8, CLFS_LSN_INVALID),
	CLFS_FC_META_SET("meta: archive_tail NULL (no longer special)",
			 CLFS_FC_M(archive_tail), 8, CLFS_LSN_NULL),
	CLFS_FC_META_SET("meta: archive_tail in recycled logical id 4",
			 CLFS_FC_M(archive_tail), 8, CLFS_FC_LSN(4, 4096, 0)),
	CLFS_FC_META_SET("meta: archive_tail in a container pending removal",
			 CLFS_FC_M(archive_tail), 8, CLFS_FC_LSN(3, 4096, 0)),
	CLFS_FC_META_SET("meta: archive_tail above INVALID",
			 CLFS_FC_M(archive_tail), 8, ~0ULL),
	CLFS_FC_META_OK("meta: archive_tail in the other active container is accepted",
			CLFS_FC_M(archive_tail), 8, CLFS_FC_LSN(6, 4096, 7)),
	CLFS_FC_META_SET("meta: restart_lsn logical id 9 (above next_logical)",
			 CLFS_FC_M(restart_lsn), 8, CLFS_FC_LSN(9, 4096, 0)),
	CLFS_FC_META_SET("meta: restart_lsn logical id 8 (= next_logical)",
			 CLFS_FC_M(restart_lsn), 8, CLFS_FC_LSN(8, 4096, 0)),
	CLFS_FC_META_SET("meta: restart_lsn logical id 0xfffffffe",
			 CLFS_FC_M(restart_lsn), 8,
			 CLFS_FC_LSN(0xfffffffeU, 4096, 0)),
	CLFS_FC_META_OK("meta: restart_lsn in recycled logical id 4 is accepted",
			CLFS_FC_M(restart_lsn), 8, CLFS_FC_LSN(4, 8192, 1)),
	CLFS_FC_META_OK("meta: restart_lsn in logical id 0 is accepted",
			CLFS_FC_M(restart_lsn), 8, CLFS_FC_LSN(0, 4096, 0)),
	CLFS_FC_META_OK("meta: restart_lsn in a container pending removal is accepted",
			CLFS_FC_M(restart_lsn), 8, CLFS_FC_LSN(3, 8192, 1)),
	CLFS_FC_META_OK("meta: restart_lsn in a free container's id is accepted",
			CLFS_FC_M(restart_lsn), 8, CLFS_FC_LSN(7, 8192, 1)),
	CLFS_FC_META_OK("meta: restart_lsn in logical id 7 = next_logical - 1 is accepted",
			CLFS_FC_M(restart_lsn), 8,
			CLFS_FC_LSN(7, CLFS_FC_CONT_SIZE - 1024, 511)),
	CLFS_FC_META_SET("meta: restart_lsn NULL (not special for it)",
			 CLFS_FC_M(restart_lsn), 8, CLFS_LSN_NULL),
	CLFS_FC_META_SET("meta: restart_lsn offset 2048 (below 4096)",
			 CLFS_FC_M(restart_lsn), 8, CLFS_FC_LSN(6, 2048, 1)),
	CLFS_FC_META_SET("meta: restart_lsn offset past the container",
			 CLFS_FC_M(restart_lsn), 8,
			 CLFS_FC_LSN(6, CLFS_FC_CONT_SIZE, 1)),
	CLFS_FC_META_SET("meta: restart_lsn offset not io_unit aligned",
			 CLFS_FC_M(restart_lsn), 8,
			 CLFS_FC_LSN(6, 12288 + 512, 1)),
	CLFS_FC_META_SET("meta: restart_lsn above INVALID",
			 CLFS_FC_M(restart_lsn), 8, ~0ULL),
	CLFS_FC_META_OK("meta: restart_lsn INVALID is accepted",
			CLFS_FC_M(restart_lsn), 8, CLFS_LSN_INVALID),
	CLFS_FC_META_SET("meta: restart_lsn in recycled id 4, offset 3072",
			 CLFS_FC_M(restart_lsn), 8, CLFS_FC_LSN(4, 3072, 0)),
	CLFS_FC_META_SET("meta: restart_lsn in recycled id 4, misaligned",
			 CLFS_FC_M(restart_lsn), 8, CLFS_FC_LSN(4, 4096 + 512, 0)),
	/* Metadata: the truncation point (end_lsn, end_floor). */
	CLFS_FC_META_FN("meta: end_lsn INVALID with end_floor 0 is accepted",
			clfs_fc_mut_end_none, 0),
	CLFS_FC_META_FN("meta: end_lsn INVALID with end_floor 1",
			clfs_fc_mut_end_none_floor1, CLFS_FC_EUCLEAN),
	CLFS_FC_META_SET("meta: end_lsn INVALID with end_floor 900",
			 CLFS_FC_M(end_lsn), 8, CLFS_LSN_INVALID),
	CLFS_FC_META_OK("meta: end_floor 0 with a valid end_lsn is accepted",
			CLFS_FC_M(end_floor), 8, 0),
	CLFS_FC_META_OK("meta: end_floor = seq_floor is accepted",
			CLFS_FC_M(end_floor), 8, CLFS_FC_SEQ_FLOOR),
	CLFS_FC_META_SET("meta: end_floor = seq_floor + 1",
			 CLFS_FC_M(end_floor), 8, CLFS_FC_SEQ_FLOOR + 1),
	CLFS_FC_META_SET("meta: end_floor 2^63", CLFS_FC_M(end_floor), 8,
			 1ULL << 63),
	CLFS_FC_META_FN("meta: end_floor = seq_floor = 2^62 is accepted",
			clfs_fc_mut_end_floor_max, 0),
	CLFS_FC_META_SET("meta: seq_floor below end_floor",
			 CLFS_FC_M(seq_floor), 8, CLFS_FC_END_FLOOR - 1),
	CLFS_FC_META_OK("meta: seq_floor = end_floor is accepted",
			CLFS_FC_M(seq_floor), 8, CLFS_FC_END_FLOOR),
	CLFS_FC_META_SET("meta: end_lsn logical id 8 (= next_logical)",
			 CLFS_FC_M(end_lsn), 8, CLFS_FC_LSN(8, 12288, 2)),
	CLFS_FC_META_SET("meta: end_lsn logical id 9 (above next_logical)",
			 CLFS_FC_M(end_lsn), 8, CLFS_FC_LSN(9, 12288, 2)),
	CLFS_FC_META_SET("meta: end_lsn logical id 0xfffffffe",
			 CLFS_FC_M(end_lsn), 8,
			 CLFS_FC_LSN(0xfffffffeU, 12288, 2)),
	CLFS_FC_META_OK("meta: end_lsn in recycled logical id 4 is accepted",
			CLFS_FC_M(end_lsn), 8, CLFS_FC_LSN(4, 12288, 2)),
	CLFS_FC_META_OK("meta: end_lsn in a container pending removal is accepted",
			CLFS_FC_M(end_lsn), 8, CLFS_FC_LSN(3, 12288, 2)),
	CLFS_FC_META_OK("meta: end_lsn in the first block, record 0 is accepted",
			CLFS_FC_M(end_lsn), 8, CLFS_FC_LSN(5, 4096, 0)),
	CLFS_FC_META_OK("meta: end_lsn in the last io_unit, record 511 is accepted",
			CLFS_FC_M(end_lsn), 8,
			CLFS_FC_LSN(7, CLFS_FC_CONT_SIZE - 1024, 511)),
	CLFS_FC_META_SET("meta: end_lsn NULL (not special for it)",
			 CLFS_FC_M(end_lsn), 8, CLFS_LSN_NULL),
	CLFS_FC_META_SET("meta: end_lsn offset 0 (container header)",
			 CLFS_FC_M(end_lsn), 8, CLFS_FC_LSN(6, 0, 2)),
	CLFS_FC_META_SET("meta: end_lsn offset 3072 (below 4096)",
			 CLFS_FC_M(end_lsn), 8, CLFS_FC_LSN(6, 3072, 2)),
	CLFS_FC_META_SET("meta: end_lsn offset = container size",
			 CLFS_FC_M(end_lsn), 8,
			 CLFS_FC_LSN(6, CLFS_FC_CONT_SIZE, 2)),
	CLFS_FC_META_SET("meta: end_lsn offset not io_unit aligned",
			 CLFS_FC_M(end_lsn), 8, CLFS_FC_LSN(6, 12288 + 512, 2)),
	CLFS_FC_META_SET("meta: end_lsn above INVALID", CLFS_FC_M(end_lsn), 8,
			 ~0ULL),

	/* Container header. */
	CLFS_FC_CONT_SET("cont: magic of a metadata copy", CLFS_FC_C(magic), 8,
			 CLFS_META_MAGIC, CLFS_FC_EUCLEAN),
	CLFS_FC_CONT_SET("cont: version major 3", CLFS_FC_C(version_major), 2,
			 3, CLFS_FC_EUCLEAN),
	CLFS_FC_CONT_SET("cont: version major 1", CLFS_FC_C(version_major), 2,
			 1, CLFS_FC_EUCLEAN),
	CLFS_FC_CONT_SET("cont: version minor 1 is accepted",
			 CLFS_FC_C(version_minor), 2, 1, 0),
	{ .name = "cont: crc: byte flipped", .what = CLFS_FC_CONT,
	  .off = CLFS_FC_C(physical_id), .width = 1, .value = 0x04,
	  .xor = true, .keep_crc = true, .want = CLFS_FC_EUCLEAN },
	{ .name = "cont: crc: crc field flipped", .what = CLFS_FC_CONT,
	  .off = CLFS_FC_C(crc), .width = 1, .value = 0x80, .xor = true,
	  .keep_crc = true, .want = CLFS_FC_EUCLEAN },
	CLFS_FC_CONT_FN("cont: another log's header (its uuid and seed)",
			clfs_fc_mut_cont_other_log, CLFS_FC_EUCLEAN),
	CLFS_FC_CONT_FN("cont: this uuid, another log's seed",
			clfs_fc_mut_other_seed, CLFS_FC_EUCLEAN),
	CLFS_FC_CONT_SET("cont: reserved[0] nonzero", CLFS_FC_C(reserved), 1,
			 1, CLFS_FC_EUCLEAN),
	CLFS_FC_CONT_SET("cont: reserved[55] nonzero",
			 CLFS_FC_C(reserved) + 55, 1, 0x40, CLFS_FC_EUCLEAN),
	CLFS_FC_CONT_SET("cont: io_unit 768", CLFS_FC_C(io_unit), 4, 768,
			 CLFS_FC_EUCLEAN),
	CLFS_FC_CONT_SET("cont: io_unit 256", CLFS_FC_C(io_unit), 4, 256,
			 CLFS_FC_EUCLEAN),
	CLFS_FC_CONT_SET("cont: io_unit 8192", CLFS_FC_C(io_unit), 4, 8192,
			 CLFS_FC_EUCLEAN),
	CLFS_FC_CONT_SET("cont: io_unit 0", CLFS_FC_C(io_unit), 4, 0,
			 CLFS_FC_EUCLEAN),
	CLFS_FC_CONT_SET("cont: io_unit 4096 is accepted", CLFS_FC_C(io_unit),
			 4, 4096, 0),
	CLFS_FC_CONT_SET("cont: container_size 0", CLFS_FC_C(container_size),
			 8, 0, CLFS_FC_EUCLEAN),
	CLFS_FC_CONT_SET("cont: container_size not 512 KiB aligned",
			 CLFS_FC_C(container_size), 8, CLFS_FC_CONT_SIZE + 4096,
			 CLFS_FC_EUCLEAN),
	CLFS_FC_CONT_SET("cont: container_size 4 GiB",
			 CLFS_FC_C(container_size), 8, 4ULL << 30,
			 CLFS_FC_EUCLEAN),
	CLFS_FC_CONT_SET("cont: container_size largest is accepted",
			 CLFS_FC_C(container_size), 8, CLFS_CONTAINER_MAX_SIZE,
			 0),
	CLFS_FC_CONT_FN("cont: buffer shorter than the header",
			clfs_fc_mut_cont_len, CLFS_FC_EUCLEAN),
	CLFS_FC_CONT_FN("cont: buffer of exactly 128 bytes is accepted",
			clfs_fc_mut_cont_len_exact, 0),

	/* Block: header and position (clfs_block_peek() rejects these). */
	CLFS_FC_BLK_SET("block: magic \"CLFS\"", CLFS_FC_B(magic), 4,
			0x53464c43U, CLFS_FC_EUCLEAN, CLFS_FC_EUCLEAN),
	CLFS_FC_BLK_FN("block: lsn of the next position",
		       clfs_fc_mut_blk_next_pos, CLFS_FC_EUCLEAN,
		       CLFS_FC_EUCLEAN),
	CLFS_FC_BLK_FN("block: lsn of another container",
		       clfs_fc_mut_blk_other_id, CLFS_FC_EUCLEAN,
		       CLFS_FC_EUCLEAN),
	CLFS_FC_BLK_SET("block: size 1536 (not an io_unit multiple)",
			CLFS_FC_B(size), 4, 1536, CLFS_FC_EUCLEAN,
			CLFS_FC_EUCLEAN),
	CLFS_FC_BLK_SET("block: size 2047", CLFS_FC_B(size), 4, 2047,
			CLFS_FC_EUCLEAN, CLFS_FC_EUCLEAN),
	CLFS_FC_BLK_SET("block: size 9216 (above max_size)", CLFS_FC_B(size),
			4, CLFS_FC_BLOCK_SIZE + 1024, CLFS_FC_EUCLEAN,
			CLFS_FC_EUCLEAN),
	CLFS_FC_BLK_SET("block: size 0", CLFS_FC_B(size), 4, 0,
			CLFS_FC_EUCLEAN, CLFS_FC_EUCLEAN),
	CLFS_FC_BLK_FN("block: max_size 1024 (block past the container end)",
		       clfs_fc_mut_blk_max_1k, CLFS_FC_EUCLEAN,
		       CLFS_FC_EUCLEAN),
	CLFS_FC_BLK_FN("block: max_size exactly the size is accepted",
		       clfs_fc_mut_blk_max_exact, 0, 0),
	CLFS_FC_BLK_FN("block: buffer shorter than the header",
		       clfs_fc_mut_blk_len_hdr, CLFS_FC_EUCLEAN,
		       CLFS_FC_EUCLEAN),
	CLFS_FC_BLK_FN("block: buffer shorter than size", clfs_fc_mut_blk_len_1k,
		       CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_FN("block: buffer exactly size long is accepted",
		       clfs_fc_mut_blk_len_exact, 0, 0),
	CLFS_FC_BLK_FN("block: io_unit 768", clfs_fc_mut_blk_io_768,
		       CLFS_FC_EUCLEAN, CLFS_FC_EUCLEAN),
	CLFS_FC_BLK_FN("block: io_unit 8192", clfs_fc_mut_blk_io_8k,
		       CLFS_FC_EUCLEAN, CLFS_FC_EUCLEAN),
	CLFS_FC_BLK_FN("block: io_unit 512 is accepted", clfs_fc_mut_blk_io_512,
		       0, 0),
	/* Block: checksum (torn, foreign, flipped). */
	CLFS_FC_BLK_FLIP("block: crc: record data byte flipped",
			 CLFS_FC_REC1 + 40 + 500),
	CLFS_FC_BLK_FLIP("block: crc: padding byte flipped", 2047),
	CLFS_FC_BLK_FLIP("block: crc: crc field flipped", CLFS_FC_B(crc)),
	CLFS_FC_BLK_TORN("block: torn: sector 1 reads as zeros",
			 clfs_fc_mut_torn_zero),
	CLFS_FC_BLK_TORN("block: torn: sector 0 from an older block",
			 clfs_fc_mut_torn_old0),
	CLFS_FC_BLK_TORN("block: torn: sector 2 from an older block",
			 clfs_fc_mut_torn_old2),
	CLFS_FC_BLK_FN("block: crc with another log's seed",
		       clfs_fc_mut_other_seed, CLFS_FC_EUCLEAN, 0),
	/* Block: the fields behind the checksum. */
	CLFS_FC_BLK_SET("block: flags 1", CLFS_FC_B(flags), 2, 1,
			CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("block: reserved nonzero", CLFS_FC_B(reserved), 4,
			0x100, CLFS_FC_EUCLEAN, 0),
	/* Block: prev_last names a record of the block prev_lsn names. */
	CLFS_FC_BLK_SET("block: prev_last INVALID with a valid prev_lsn",
			CLFS_FC_B(prev_last), 8, CLFS_LSN_INVALID,
			CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("block: prev_last 0 (a v1.0 reserved2) with a valid prev_lsn",
			CLFS_FC_B(prev_last), 8, 0, CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("block: prev_last in the next block of the container",
			CLFS_FC_B(prev_last), 8, CLFS_FC_LSN(5, 5120, 2),
			CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("block: prev_last in the block before prev_lsn",
			CLFS_FC_B(prev_last), 8, CLFS_FC_LSN(5, 3584, 2),
			CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("block: prev_last in this block",
			CLFS_FC_B(prev_last), 8, CLFS_FC_BLOCK_LSN + 2,
			CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("block: prev_last in another container",
			CLFS_FC_B(prev_last), 8, CLFS_FC_LSN(6, 4096, 2),
			CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("block: prev_last record 0 of the previous block is accepted",
			CLFS_FC_B(prev_last), 8, CLFS_FC_BLOCK_PREV, 0, 0),
	CLFS_FC_BLK_SET("block: prev_last record 511 of the previous block is accepted",
			CLFS_FC_B(prev_last), 8, CLFS_FC_BLOCK_PREV + 511, 0,
			0),
	CLFS_FC_BLK_SET("block: prev_lsn INVALID with a valid prev_last",
			CLFS_FC_B(prev_lsn), 8, CLFS_LSN_INVALID,
			CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_FN("block: prev_lsn INVALID with prev_last INVALID is accepted",
		       clfs_fc_mut_blk_first, 0, 0),
	CLFS_FC_BLK_FN("block: prev_lsn INVALID with prev_last 0",
		       clfs_fc_mut_blk_first_last0, CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_FN("block: prev_lsn INVALID with prev_last above INVALID",
		       clfs_fc_mut_blk_first_last_max, CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_FN("block: prev_lsn with record index 1",
		       clfs_fc_mut_blk_prev_rec1, CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_FN("block: predecessor in the previous logical container is accepted",
		       clfs_fc_mut_blk_prev_other_id, 0, 0),
	CLFS_FC_BLK_SET("block: used 63 (below the header)", CLFS_FC_B(used), 4,
			63, CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("block: used 0", CLFS_FC_B(used), 4, 0,
			CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("block: used 2056 (above size)", CLFS_FC_B(used), 4,
			CLFS_FC_BLOCK_BYTES + 8, CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("block: used 8 short of the last record",
			CLFS_FC_B(used), 4, CLFS_FC_BLOCK_USED - 8,
			CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("block: used 8 past the last record", CLFS_FC_B(used),
			4, CLFS_FC_BLOCK_USED + 8, CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("block: n_records 0", CLFS_FC_B(n_records), 2, 0,
			CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_FN("block: no records (n_records 0, used 64)",
		       clfs_fc_mut_blk_empty, CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("block: n_records 513", CLFS_FC_B(n_records), 2, 513,
			CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("block: n_records 4 (3 present)", CLFS_FC_B(n_records),
			2, 4, CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("block: n_records 2 (3 present)", CLFS_FC_B(n_records),
			2, 2, CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("block: floor = seq", CLFS_FC_B(floor), 8,
			CLFS_FC_BLOCK_SEQ, CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("block: floor = seq + 1", CLFS_FC_B(floor), 8,
			CLFS_FC_BLOCK_SEQ + 1, CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("block: floor 0 is accepted", CLFS_FC_B(floor), 8, 0,
			0, 0),
	CLFS_FC_BLK_SET("block: seq 0", CLFS_FC_B(seq), 8, 0,
			CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("block: seq above 2^62", CLFS_FC_B(seq), 8,
			(1ULL << 62) + 1, CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("block: seq 2^62 is accepted", CLFS_FC_B(seq), 8,
			1ULL << 62, 0, 0),
	CLFS_FC_BLK_SET("block: tail padding byte nonzero",
			CLFS_FC_BLOCK_USED, 1, 1, CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("block: last byte nonzero", CLFS_FC_BLOCK_BYTES - 1, 1,
			0x80, CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_FN("block: header lsn with record index 1",
		       clfs_fc_mut_blk_rec_index, CLFS_FC_EUCLEAN, 0),
	/* Block: the records. */
	CLFS_FC_BLK_SET("record 0: lsn index 1", CLFS_FC_R(CLFS_FC_REC0, lsn),
			8, CLFS_FC_BLOCK_LSN + 1, CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("record 1: lsn index 2", CLFS_FC_R(CLFS_FC_REC1, lsn),
			8, CLFS_FC_BLOCK_LSN + 2, CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_FN("records 1 and 2: lsns swapped", clfs_fc_mut_rec_swap,
		       CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("record 2: lsn of another container",
			CLFS_FC_R(CLFS_FC_REC2, lsn), 8,
			CLFS_FC_LSN(6, 8192, 2), CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("record 0: type 0", CLFS_FC_R(CLFS_FC_REC0, type), 4,
			0, CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("record 1: type 3", CLFS_FC_R(CLFS_FC_REC1, type), 4,
			3, CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("record 2: type 0xffffffff",
			CLFS_FC_R(CLFS_FC_REC2, type), 4, 0xffffffffU,
			CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("record 2: type data (was restart) is accepted",
			CLFS_FC_R(CLFS_FC_REC2, type), 4, CLFS_RECORD_DATA, 0,
			0),
	CLFS_FC_BLK_SET("record 2: length 208 runs past used",
			CLFS_FC_R(CLFS_FC_REC2, length), 4, 208,
			CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("record 2: length 0xffffffff",
			CLFS_FC_R(CLFS_FC_REC2, length), 4, 0xffffffffU,
			CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("record 2: length 0xfffffff9 (space would wrap)",
			CLFS_FC_R(CLFS_FC_REC2, length), 4, 0xfffffff9U,
			CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("record 0: length = used",
			CLFS_FC_R(CLFS_FC_REC0, length), 4, CLFS_FC_BLOCK_USED,
			CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("record 1: length 1008 moves record 2",
			CLFS_FC_R(CLFS_FC_REC1, length), 4, 1008,
			CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("record 0: padding byte 13 nonzero",
			CLFS_FC_REC0 + 40 + 13, 1, 1, CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("record 0: padding byte 15 nonzero",
			CLFS_FC_REC0 + 40 + 15, 1, 0x80, CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("record 1: stream 1 in a dedicated log",
			CLFS_FC_R(CLFS_FC_REC1, stream), 4, 1, CLFS_FC_EUCLEAN,
			0),
	CLFS_FC_BLK_SET("record 2: stream 2^31",
			CLFS_FC_R(CLFS_FC_REC2, stream), 4, 1U << 31,
			CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("record 1: reserved nonzero",
			CLFS_FC_R(CLFS_FC_REC1, reserved), 4, 1U << 31,
			CLFS_FC_EUCLEAN, 0),
	CLFS_FC_BLK_SET("record 0: undo_next any value is accepted",
			CLFS_FC_R(CLFS_FC_REC0, undo_next), 8, 0x1234, 0, 0),
};

/**
 * struct clfs_fc_bufs - the buffers of one test run, allocated by the
 *	harness (kunit_kzalloc() in the kernel)
 * @meta: CLFS_META_COPY_SIZE bytes
 * @cont: CLFS_IO_UNIT_MAX bytes
 * @block: CLFS_FC_BLOCK_BUF bytes
 * @block2: CLFS_FC_BLOCK_BUF bytes
 * @mi: one decoded metadata copy
 * @mi2: another
 */
struct clfs_fc_bufs {
	u8 *meta;
	u8 *cont;
	u8 *block;
	u8 *block2;
	struct clfs_meta_info *mi;
	struct clfs_meta_info *mi2;
};

/*
 * Apply mutation @m to a freshly built structure in @b and run its
 * decoder.  *@peek gets clfs_block_peek()'s result for blocks, else 0.
 *
 * Return: the decoder's result.
 */
static inline int clfs_fc_mutation_run(const struct clfs_fc_mutation *m,
				       const struct clfs_fc_bufs *b,
				       int *peek)
{
	struct clfs_cont_hdr_info ci;
	struct clfs_block_info bi;
	struct clfs_fc_env env = {
		.expect_lsn = CLFS_FC_BLOCK_LSN,
		.io_unit = CLFS_FC_IO_UNIT,
		.max_size = CLFS_FC_BLOCK_SIZE,
	};
	u8 *buf;
	u32 size;

	env.seed = clfs_seed(clfs_fc_log_uuid);
	env.write_seed = env.seed;
	*peek = 0;
	switch (m->what) {
	case CLFS_FC_META:
		buf = b->meta;
		env.len = CLFS_META_COPY_SIZE;
		clfs_fc_meta_build(buf);
		break;
	case CLFS_FC_CONT:
		buf = b->cont;
		env.len = CLFS_FC_IO_UNIT;
		clfs_fc_cont_build(buf, env.seed);
		break;
	default:
		buf = b->block;
		env.len = CLFS_FC_BLOCK_BUF;
		memset(buf, 0, CLFS_FC_BLOCK_BUF);
		clfs_fc_block_build(buf, CLFS_FC_BLOCK_LSN, CLFS_FC_BLOCK_SEQ,
				    CLFS_FC_SEQ_FLOOR, CLFS_FC_BLOCK_PREV,
				    CLFS_FC_BLOCK_PREV_LAST, 0, env.seed);
		break;
	}
	if (m->width)
		clfs_fc_put(buf + m->off, m->width, m->value, m->xor);
	env.buf = buf;
	if (m->fn)
		m->fn(&env);
	switch (m->what) {
	case CLFS_FC_META:
		if (!m->keep_crc)
			clfs_fc_meta_fix(buf);
		return clfs_meta_decode(buf, env.len, b->mi);
	case CLFS_FC_CONT:
		if (!m->keep_crc)
			clfs_fc_cont_fix(buf, env.write_seed);
		return clfs_cont_hdr_decode(buf, env.len, env.seed, &ci);
	default:
		if (!m->keep_crc)
			clfs_fc_block_fix(buf, env.write_seed);
		*peek = clfs_block_peek(buf, env.len, env.expect_lsn,
					env.io_unit, env.max_size, &size);
		return clfs_block_decode(buf, env.len, env.seed,
					 env.expect_lsn, env.io_unit,
					 env.max_size, 0, &bi);
	}
}

/*
 * Positive checks.  Each function reports every expectation through
 * t->expect(); the harness turns that into output lines or KUnit results.
 */
struct clfs_fc_t {
	struct clfs_fc_bufs b;
	void (*expect)(struct clfs_fc_t *t, bool ok, const char *what,
		       long long got, long long want);
	void *priv;
};

/* Report one expectation; @got is evaluated once. */
static inline void clfs_fc_eq(struct clfs_fc_t *t, const char *what,
			      long long got, long long want)
{
	t->expect(t, got == want, what, got, want);
}

#define CLFS_FC_EQ(t, what, got, want) \
	clfs_fc_eq(t, what, (long long)(got), (long long)(want))
#define CLFS_FC_TRUE(t, what, cond) CLFS_FC_EQ(t, what, !!(cond), 1)

/* The user-space crc32c agrees with the kernel's convention. */
static inline void clfs_fc_check_crc32c(struct clfs_fc_t *t)
{
	static const u8 digits[9] = { '1', '2', '3', '4', '5', '6', '7', '8',
				      '9' };
	static const u8 zero[16];

	/* The standard check value 0xe3069283, without the final inversion. */
	CLFS_FC_EQ(t, "crc32c(~0, \"123456789\")",
		   clfs_crc32c(~0U, digits, 9), 0x1cf96d7cU);
	CLFS_FC_EQ(t, "crc32c of nothing is the seed",
		   clfs_crc32c(0x12345678U, digits, 0), 0x12345678U);
	CLFS_FC_EQ(t, "seed is crc32c(~0, uuid)", clfs_seed(clfs_fc_log_uuid),
		   clfs_crc32c(~0U, clfs_fc_log_uuid, 16));
	CLFS_FC_TRUE(t, "two logs, two seeds",
		     clfs_seed(clfs_fc_log_uuid) !=
		     clfs_seed(clfs_fc_other_uuid));
	CLFS_FC_TRUE(t, "zero uuid is zero", clfs_uuid_is_zero(zero));
	CLFS_FC_TRUE(t, "log uuid is not zero",
		     !clfs_uuid_is_zero(clfs_fc_log_uuid));
}

/* Compare every field of two decoded metadata copies. */
static inline void clfs_fc_meta_same(struct clfs_fc_t *t,
				     const struct clfs_meta_info *a,
				     const struct clfs_meta_info *b)
{
	u32 i;

	CLFS_FC_EQ(t, "generation", a->generation, b->generation);
	CLFS_FC_TRUE(t, "uuid", !memcmp(a->uuid, b->uuid, 16));
	CLFS_FC_EQ(t, "io_unit", a->io_unit, b->io_unit);
	CLFS_FC_EQ(t, "block_size", a->block_size, b->block_size);
	CLFS_FC_EQ(t, "n_containers", a->n_containers, b->n_containers);
	CLFS_FC_EQ(t, "next_logical", a->next_logical, b->next_logical);
	CLFS_FC_EQ(t, "container_size", a->container_size, b->container_size);
	CLFS_FC_EQ(t, "base_lsn", a->base_lsn, b->base_lsn);
	CLFS_FC_EQ(t, "archive_tail", a->archive_tail, b->archive_tail);
	CLFS_FC_EQ(t, "restart_lsn", a->restart_lsn, b->restart_lsn);
	CLFS_FC_EQ(t, "seq_floor", a->seq_floor, b->seq_floor);
	CLFS_FC_EQ(t, "end_lsn", a->end_lsn, b->end_lsn);
	CLFS_FC_EQ(t, "end_floor", a->end_floor, b->end_floor);
	CLFS_FC_EQ(t, "flags", a->flags, b->flags);
	CLFS_FC_EQ(t, "n_streams", a->n_streams, b->n_streams);
	CLFS_FC_EQ(t, "next_stream", a->next_stream, b->next_stream);
	CLFS_FC_EQ(t, "clean_block", a->clean_block, b->clean_block);
	CLFS_FC_EQ(t, "clean_last", a->clean_last, b->clean_last);
	CLFS_FC_EQ(t, "clean_next", a->clean_next, b->clean_next);
	CLFS_FC_EQ(t, "clean_first", a->clean_first, b->clean_first);
	for (i = 0; i < a->n_streams && i < CLFS_MAX_STREAMS; i++) {
		const struct clfs_stream_info *x = &a->streams[i];
		const struct clfs_stream_info *y = &b->streams[i];

		CLFS_FC_EQ(t, "stream id", x->id, y->id);
		CLFS_FC_TRUE(t, "stream name",
			     !memcmp(x->name, y->name, CLFS_STREAM_NAME_SIZE));
		CLFS_FC_EQ(t, "stream base_lsn", x->base_lsn, y->base_lsn);
		CLFS_FC_EQ(t, "stream archive_tail", x->archive_tail,
			   y->archive_tail);
		CLFS_FC_EQ(t, "stream restart_lsn", x->restart_lsn,
			   y->restart_lsn);
		CLFS_FC_EQ(t, "stream clean_first", x->clean_first,
			   y->clean_first);
		CLFS_FC_EQ(t, "stream clean_last", x->clean_last,
			   y->clean_last);
	}
	for (i = 0; i < a->n_containers && i < CLFS_MAX_CONTAINERS; i++) {
		const struct clfs_container_info *x = &a->containers[i];
		const struct clfs_container_info *y = &b->containers[i];

		CLFS_FC_EQ(t, "entry physical_id", x->physical_id,
			   y->physical_id);
		CLFS_FC_EQ(t, "entry logical_id", x->logical_id, y->logical_id);
		CLFS_FC_EQ(t, "entry state", x->state, y->state);
		CLFS_FC_TRUE(t, "entry dev_uuid",
			     !memcmp(x->dev_uuid, y->dev_uuid, 16));
		CLFS_FC_EQ(t, "entry dev_offset", x->dev_offset, y->dev_offset);
	}
}

/* Is [p + from, p + to) all zero?  Returns the first nonzero offset. */
static inline u32 clfs_fc_zero_from(const u8 *p, u32 from, u32 to)
{
	while (from < to && !p[from])
		from++;
	return from;
}

/*
 * Metadata: the built copy decodes to every field of the builder's info,
 * encoding that info gives the built bytes exactly (at the offsets of
 * format.rst), and encode refuses what it cannot write.
 */
static inline void clfs_fc_check_meta_round_trip(struct clfs_fc_t *t)
{
	struct clfs_meta_info *mi = t->b.mi, *want = t->b.mi2;
	u8 *buf = t->b.meta, *enc = t->b.block;
	u32 seed = clfs_seed(clfs_fc_log_uuid);

	clfs_fc_meta_info(want);
	clfs_fc_meta_build(buf);
	CLFS_FC_EQ(t, "decode of the built copy",
		   clfs_meta_decode(buf, CLFS_META_COPY_SIZE, mi), 0);
	clfs_fc_meta_same(t, mi, want);
	CLFS_FC_EQ(t, "clfs_meta_check of the decoded copy",
		   clfs_meta_check(mi), 0);

	memset(enc, 0xa5, CLFS_FC_BLOCK_BUF);
	CLFS_FC_EQ(t, "encode returns bytes",
		   clfs_meta_encode(want, enc, CLFS_FC_BLOCK_BUF),
		   CLFS_FC_META_BYTES);
	CLFS_FC_TRUE(t, "encoded bytes equal the built copy",
		     !memcmp(enc, buf, CLFS_FC_META_BYTES));
	CLFS_FC_EQ(t, "encode zeroes the rest of the buffer",
		   clfs_fc_zero_from(enc, CLFS_FC_META_BYTES,
				     CLFS_FC_BLOCK_BUF), CLFS_FC_BLOCK_BUF);
	CLFS_FC_EQ(t, "decode of the encoded copy",
		   clfs_meta_decode(enc, CLFS_FC_BLOCK_BUF, mi), 0);
	clfs_fc_meta_same(t, mi, want);

	/* The exact layout of format.rst, "Metadata". */
	CLFS_FC_TRUE(t, "magic bytes \"CLFSMETA\" at 0",
		     !memcmp(enc, "CLFSMETA", 8));
	CLFS_FC_EQ(t, "version_major at 8", clfs_fc_get(enc + 8, 2), 3);
	CLFS_FC_EQ(t, "version_minor at 10", clfs_fc_get(enc + 10, 2), 1);
	CLFS_FC_EQ(t, "bytes at 12", clfs_fc_get(enc + 12, 4), 448);
	CLFS_FC_EQ(t, "generation at 16", clfs_fc_get(enc + 16, 8), 7);
	CLFS_FC_TRUE(t, "log_uuid at 24",
		     !memcmp(enc + 24, clfs_fc_log_uuid, 16));
	CLFS_FC_EQ(t, "io_unit at 44", clfs_fc_get(enc + 44, 4), 1024);
	CLFS_FC_EQ(t, "block_size at 48", clfs_fc_get(enc + 48, 4), 8192);
	CLFS_FC_EQ(t, "n_containers at 52", clfs_fc_get(enc + 52, 4), 4);
	CLFS_FC_EQ(t, "container_size at 56", clfs_fc_get(enc + 56, 8),
		   1ULL << 20);
	CLFS_FC_EQ(t, "next_logical at 64", clfs_fc_get(enc + 64, 4), 8);
	CLFS_FC_EQ(t, "flags at 68", clfs_fc_get(enc + 68, 4), 0);
	CLFS_FC_EQ(t, "base_lsn at 72", clfs_fc_get(enc + 72, 8),
		   0x0000000500002003ULL);
	CLFS_FC_EQ(t, "archive_tail at 80", clfs_fc_get(enc + 80, 8),
		   0x0000000500001000ULL);
	CLFS_FC_EQ(t, "restart_lsn at 88", clfs_fc_get(enc + 88, 8),
		   0x0000000600003001ULL);
	CLFS_FC_EQ(t, "seq_floor at 96", clfs_fc_get(enc + 96, 8), 1000);
	CLFS_FC_EQ(t, "end_lsn at 104", clfs_fc_get(enc + 104, 8),
		   0x0000000600003002ULL);
	CLFS_FC_EQ(t, "end_floor at 112", clfs_fc_get(enc + 112, 8), 900);
	CLFS_FC_EQ(t, "n_streams at 120 (dedicated: 0)",
		   clfs_fc_get(enc + 120, 4), 0);
	CLFS_FC_EQ(t, "next_stream at 124 (dedicated: 0)",
		   clfs_fc_get(enc + 124, 4), 0);
	CLFS_FC_EQ(t, "reserved [128, 256) zero",
		   clfs_fc_zero_from(enc, 128, 256), 256);
	CLFS_FC_EQ(t, "entry 1 physical_id at 304", clfs_fc_get(enc + 304, 4),
		   1);
	CLFS_FC_EQ(t, "entry 1 logical_id at 308", clfs_fc_get(enc + 308, 4),
		   6);
	CLFS_FC_EQ(t, "entry 1 dev_uuid at 320 (base: zero)",
		   clfs_fc_zero_from(enc, 320, 336), 336);
	CLFS_FC_EQ(t, "entry 1 dev_offset at 336", clfs_fc_get(enc + 336, 8),
		   2ULL << 20);
	CLFS_FC_EQ(t, "entry 2 state at 360", clfs_fc_get(enc + 360, 4),
		   CLFS_CONT_PENDING_REMOVAL);
	CLFS_FC_TRUE(t, "entry 3 dev_uuid at 416",
		     !memcmp(enc + 416, clfs_fc_dev_uuid, 16));
	CLFS_FC_EQ(t, "entry 3 dev_offset at 432", clfs_fc_get(enc + 432, 8),
		   1ULL << 20);
	memcpy(t->b.block2, enc, CLFS_FC_META_BYTES);
	memset(t->b.block2 + 40, 0, 4);
	CLFS_FC_EQ(t, "crc at 40: crc32c(seed) over [0, 448), field zero",
		   clfs_fc_get(enc + 40, 4),
		   clfs_crc32c(seed, t->b.block2, CLFS_FC_META_BYTES));

	CLFS_FC_EQ(t, "encode into 447 bytes",
		   clfs_meta_encode(want, enc, CLFS_FC_META_BYTES - 1),
		   -EINVAL);
	want->end_floor = CLFS_FC_SEQ_FLOOR + 1;
	CLFS_FC_EQ(t, "check of end_floor above seq_floor",
		   clfs_meta_check(want), -EUCLEAN);
	CLFS_FC_EQ(t, "encode of end_floor above seq_floor",
		   clfs_meta_encode(want, enc, CLFS_FC_BLOCK_BUF), -EINVAL);
	want->end_lsn = CLFS_LSN_INVALID;
	want->end_floor = 0;
	CLFS_FC_EQ(t, "encode without a truncation point",
		   clfs_meta_encode(want, enc, CLFS_FC_BLOCK_BUF),
		   CLFS_FC_META_BYTES);
	CLFS_FC_EQ(t, "end_lsn INVALID at 104", clfs_fc_get(enc + 104, 8),
		   CLFS_LSN_INVALID);
	CLFS_FC_EQ(t, "end_floor 0 at 112", clfs_fc_get(enc + 112, 8), 0);
	CLFS_FC_EQ(t, "decode without a truncation point",
		   clfs_meta_decode(enc, CLFS_FC_BLOCK_BUF, mi), 0);
	clfs_fc_meta_same(t, mi, want);
	want->io_unit = 768;
	CLFS_FC_EQ(t, "check of io_unit 768", clfs_meta_check(want),
		   -EUCLEAN);
	CLFS_FC_EQ(t, "encode of io_unit 768",
		   clfs_meta_encode(want, enc, CLFS_FC_BLOCK_BUF), -EINVAL);
}

/* Container header: decode, encode and layout. */
static inline void clfs_fc_check_cont_round_trip(struct clfs_fc_t *t)
{
	struct clfs_cont_hdr_info want, got;
	u32 seed = clfs_seed(clfs_fc_log_uuid);
	u8 *buf = t->b.cont, *enc = t->b.block;

	clfs_fc_cont_info(&want);
	clfs_fc_cont_build(buf, seed);
	memset(&got, 0, sizeof(got));
	CLFS_FC_EQ(t, "decode of the built header",
		   clfs_cont_hdr_decode(buf, CLFS_FC_IO_UNIT, seed, &got), 0);
	CLFS_FC_TRUE(t, "log_uuid", !memcmp(got.log_uuid, want.log_uuid, 16));
	CLFS_FC_TRUE(t, "dev_uuid", !memcmp(got.dev_uuid, want.dev_uuid, 16));
	CLFS_FC_EQ(t, "physical_id", got.physical_id, want.physical_id);
	CLFS_FC_EQ(t, "io_unit", got.io_unit, want.io_unit);
	CLFS_FC_EQ(t, "container_size", got.container_size,
		   want.container_size);
	CLFS_FC_EQ(t, "dev_offset", got.dev_offset, want.dev_offset);

	memset(enc, 0xa5, 256);
	clfs_cont_hdr_encode(&want, enc, seed);
	CLFS_FC_TRUE(t, "encoded bytes equal the built header",
		     !memcmp(enc, buf, 128));
	CLFS_FC_EQ(t, "encode writes 128 bytes only", enc[128], 0xa5);
	CLFS_FC_TRUE(t, "magic bytes \"CLFSCONT\" at 0",
		     !memcmp(enc, "CLFSCONT", 8));
	CLFS_FC_EQ(t, "version_major at 8", clfs_fc_get(enc + 8, 2), 2);
	CLFS_FC_TRUE(t, "log_uuid at 16",
		     !memcmp(enc + 16, clfs_fc_log_uuid, 16));
	CLFS_FC_TRUE(t, "dev_uuid at 32",
		     !memcmp(enc + 32, clfs_fc_dev_uuid, 16));
	CLFS_FC_EQ(t, "physical_id at 48", clfs_fc_get(enc + 48, 4), 2);
	CLFS_FC_EQ(t, "io_unit at 52", clfs_fc_get(enc + 52, 4), 1024);
	CLFS_FC_EQ(t, "container_size at 56", clfs_fc_get(enc + 56, 8),
		   1ULL << 20);
	CLFS_FC_EQ(t, "dev_offset at 64", clfs_fc_get(enc + 64, 8), 0);
	CLFS_FC_EQ(t, "reserved [72, 128) zero",
		   clfs_fc_zero_from(enc, 72, 128), 128);
	memcpy(t->b.block2, enc, 128);
	memset(t->b.block2 + 12, 0, 4);
	CLFS_FC_EQ(t, "crc at 12: crc32c(seed) over 128 bytes, field zero",
		   clfs_fc_get(enc + 12, 4),
		   clfs_crc32c(seed, t->b.block2, 128));
	CLFS_FC_EQ(t, "another log's seed",
		   clfs_cont_hdr_decode(enc, 128,
					clfs_seed(clfs_fc_other_uuid), &got),
		   -EUCLEAN);
}

/*
 * Block: built with clfs_block_init(), clfs_block_add_record() and
 * clfs_block_seal(), it decodes, every record reads back with its exact
 * bytes, and the header sits at the offsets of format.rst.
 */
static inline void clfs_fc_check_block_round_trip(struct clfs_fc_t *t)
{
	u32 seed = clfs_seed(clfs_fc_log_uuid);
	const u64 lsn = CLFS_FC_BLOCK_LSN;
	struct clfs_record_view rv;
	struct clfs_block_info bi;
	u8 *buf = t->b.block;
	u32 r, i, off, size = 0, bad;

	CLFS_FC_EQ(t, "seal returns the size",
		   clfs_fc_block_build(buf, lsn, CLFS_FC_BLOCK_SEQ,
				       CLFS_FC_SEQ_FLOOR, CLFS_FC_BLOCK_PREV,
				       CLFS_FC_BLOCK_PREV_LAST, 0, seed),
		   CLFS_FC_BLOCK_BYTES);
	CLFS_FC_EQ(t, "peek", clfs_block_peek(buf, 64, lsn, CLFS_FC_IO_UNIT,
					      CLFS_FC_BLOCK_SIZE, &size), 0);
	CLFS_FC_EQ(t, "peek gives the size", size, CLFS_FC_BLOCK_BYTES);
	memset(&bi, 0, sizeof(bi));
	CLFS_FC_EQ(t, "decode",
		   clfs_block_decode(buf, CLFS_FC_BLOCK_BYTES, seed, lsn,
				     CLFS_FC_IO_UNIT, CLFS_FC_BLOCK_SIZE, 0, &bi),
		   0);
	CLFS_FC_EQ(t, "info seq", bi.seq, CLFS_FC_BLOCK_SEQ);
	CLFS_FC_EQ(t, "info floor", bi.floor, CLFS_FC_SEQ_FLOOR);
	CLFS_FC_EQ(t, "info lsn", bi.lsn, lsn);
	CLFS_FC_EQ(t, "info prev_lsn", bi.prev_lsn, CLFS_FC_BLOCK_PREV);
	CLFS_FC_EQ(t, "info prev_last", bi.prev_last, CLFS_FC_BLOCK_PREV_LAST);
	CLFS_FC_EQ(t, "info size", bi.size, CLFS_FC_BLOCK_BYTES);
	CLFS_FC_EQ(t, "info used", bi.used, CLFS_FC_BLOCK_USED);
	CLFS_FC_EQ(t, "info n_records", bi.n_records, 3);
	CLFS_FC_EQ(t, "clfs_block_records",
		   clfs_block_records(buf, bi.used, lsn, bi.n_records, 0), 0);

	off = sizeof(struct clfs_block_header);
	for (r = 0; r < 3; r++) {
		memset(&rv, 0, sizeof(rv));
		CLFS_FC_EQ(t, "record_at", clfs_record_at(buf, bi.used, off,
							  &rv), 0);
		CLFS_FC_EQ(t, "record offset", off, clfs_fc_rec_offset[r]);
		CLFS_FC_EQ(t, "record lsn", rv.lsn, lsn + r);
		CLFS_FC_EQ(t, "record undo_next", rv.undo_next,
			   clfs_fc_records[r].has_undo ? lsn + 1 :
			   CLFS_LSN_INVALID);
		CLFS_FC_EQ(t, "record previous", rv.previous,
			   clfs_fc_records[r].has_previous ? lsn :
			   CLFS_LSN_INVALID);
		CLFS_FC_EQ(t, "record type", rv.type, clfs_fc_records[r].type);
		CLFS_FC_EQ(t, "record length", rv.length,
			   clfs_fc_records[r].length);
		CLFS_FC_EQ(t, "record data_offset", rv.data_offset, off + 40);
		CLFS_FC_EQ(t, "record next_offset", rv.next_offset,
			   off + clfs_record_space(clfs_fc_records[r].length));
		bad = 0;
		for (i = 0; i < clfs_fc_records[r].length; i++)
			bad += buf[rv.data_offset + i] != clfs_fc_data(0, r, i);
		CLFS_FC_EQ(t, "record data bytes differing", bad, 0);
		CLFS_FC_EQ(t, "record padding zero",
			   clfs_fc_zero_from(buf, rv.data_offset + rv.length,
					     rv.next_offset), rv.next_offset);
		off = rv.next_offset;
	}
	CLFS_FC_EQ(t, "records end at used", off, CLFS_FC_BLOCK_USED);
	CLFS_FC_EQ(t, "record_at at used", clfs_record_at(buf, bi.used, off,
							  &rv), -EUCLEAN);
	CLFS_FC_EQ(t, "record_at past used",
		   clfs_record_at(buf, bi.used, off + 8, &rv), -EUCLEAN);
	CLFS_FC_EQ(t, "record_at unaligned",
		   clfs_record_at(buf, bi.used, CLFS_FC_REC1 + 4, &rv),
		   -EUCLEAN);
	CLFS_FC_EQ(t, "record_at with a header past used",
		   clfs_record_at(buf, CLFS_FC_REC1 + 32, CLFS_FC_REC1, &rv),
		   -EUCLEAN);
	CLFS_FC_EQ(t, "record_at with data past used",
		   clfs_record_at(buf, CLFS_FC_REC2 - 8, CLFS_FC_REC1, &rv),
		   -EUCLEAN);

	/* The exact layout of format.rst, "Log blocks". */
	CLFS_FC_TRUE(t, "magic bytes \"CLFB\" at 0", !memcmp(buf, "CLFB", 4));
	CLFS_FC_EQ(t, "seq at 8", clfs_fc_get(buf + 8, 8), 1001);
	CLFS_FC_EQ(t, "lsn at 16", clfs_fc_get(buf + 16, 8),
		   0x0000000500002000ULL);
	CLFS_FC_EQ(t, "size at 24", clfs_fc_get(buf + 24, 4), 2048);
	CLFS_FC_EQ(t, "n_records at 28", clfs_fc_get(buf + 28, 2), 3);
	CLFS_FC_EQ(t, "flags at 30", clfs_fc_get(buf + 30, 2), 0);
	CLFS_FC_EQ(t, "used at 32", clfs_fc_get(buf + 32, 4), 1400);
	CLFS_FC_EQ(t, "reserved at 36", clfs_fc_get(buf + 36, 4), 0);
	CLFS_FC_EQ(t, "prev_lsn at 40", clfs_fc_get(buf + 40, 8),
		   0x0000000500001000ULL);
	CLFS_FC_EQ(t, "floor at 48", clfs_fc_get(buf + 48, 8), 1000);
	CLFS_FC_EQ(t, "prev_last at 56", clfs_fc_get(buf + 56, 8),
		   0x0000000500001002ULL);
	CLFS_FC_EQ(t, "record 0 lsn at 64", clfs_fc_get(buf + 64, 8),
		   0x0000000500002000ULL);
	CLFS_FC_EQ(t, "record 0 undo_next at 72", clfs_fc_get(buf + 72, 8),
		   CLFS_LSN_INVALID);
	CLFS_FC_EQ(t, "record 0 previous at 80", clfs_fc_get(buf + 80, 8),
		   CLFS_LSN_INVALID);
	CLFS_FC_EQ(t, "record 0 type at 88", clfs_fc_get(buf + 88, 4), 1);
	CLFS_FC_EQ(t, "record 0 length at 92", clfs_fc_get(buf + 92, 4), 13);
	CLFS_FC_EQ(t, "record 0 stream and reserved at 96",
		   clfs_fc_get(buf + 96, 8), 0);
	CLFS_FC_EQ(t, "record 0 data at 104", buf[104], clfs_fc_data(0, 0, 0));
	CLFS_FC_EQ(t, "record 0 last data byte at 116", buf[116],
		   clfs_fc_data(0, 0, 12));
	CLFS_FC_EQ(t, "record 1 lsn at 120", clfs_fc_get(buf + 120, 8),
		   0x0000000500002001ULL);
	CLFS_FC_EQ(t, "record 2 lsn at 1160", clfs_fc_get(buf + 1160, 8),
		   0x0000000500002002ULL);
	CLFS_FC_EQ(t, "record 2 undo_next at 1168", clfs_fc_get(buf + 1168, 8),
		   0x0000000500002001ULL);
	CLFS_FC_EQ(t, "record 2 type at 1184", clfs_fc_get(buf + 1184, 4),
		   CLFS_RECORD_RESTART);
	CLFS_FC_EQ(t, "record 2 length at 1188", clfs_fc_get(buf + 1188, 4),
		   200);
	CLFS_FC_EQ(t, "record 2 last data byte at 1399", buf[1399],
		   clfs_fc_data(0, 2, 199));
	CLFS_FC_EQ(t, "tail [1400, 2048) zero",
		   clfs_fc_zero_from(buf, 1400, 2048), 2048);
	memcpy(t->b.block2, buf, CLFS_FC_BLOCK_BYTES);
	memset(t->b.block2 + 4, 0, 4);
	CLFS_FC_EQ(t, "crc at 4: crc32c(seed) over 2048 bytes, field zero",
		   clfs_fc_get(buf + 4, 4),
		   clfs_crc32c(seed, t->b.block2, CLFS_FC_BLOCK_BYTES));
}

/* clfs_block_add_record() and clfs_block_seal() at their limits. */
static inline void clfs_fc_check_block_limits(struct clfs_fc_t *t)
{
	u32 seed = clfs_seed(clfs_fc_log_uuid);
	const u64 lsn = CLFS_FC_BLOCK_LSN;
	struct clfs_block_info bi;
	u8 *buf = t->b.meta;	/* 64 KiB: room for 512 records */
	u32 i, off = 0, size;
	u64 rlsn = 0;
	int ret = 0;

	memset(buf, 0, CLFS_META_COPY_SIZE);
	clfs_block_init(buf, lsn, 5, 4, CLFS_LSN_INVALID, CLFS_LSN_INVALID);
	CLFS_FC_EQ(t, "type 0", clfs_block_add_record(buf, 4096, 0, 0, 0, 8, 0,
						      &rlsn, &off), -EINVAL);
	CLFS_FC_EQ(t, "type 3", clfs_block_add_record(buf, 4096, 0, 0, 3, 8, 0,
						      &rlsn, &off), -EINVAL);
	CLFS_FC_EQ(t, "a record one byte too big for the capacity",
		   clfs_block_add_record(buf, 64 + 48 - 1, 0, 0,
					 CLFS_RECORD_DATA, 8, 0, &rlsn, &off),
		   -ENOSPC);
	CLFS_FC_EQ(t, "length above clfs_record_max(1 MiB)",
		   clfs_block_add_record(buf, CLFS_META_COPY_SIZE, 0, 0,
					 CLFS_RECORD_DATA,
					 clfs_record_max(CLFS_BLOCK_SIZE_MAX) +
					 1, 0, &rlsn, &off), -ENOSPC);
	CLFS_FC_EQ(t, "used unchanged by refused records",
		   clfs_fc_get(buf + 32, 4), 64);
	CLFS_FC_EQ(t, "a record that exactly fits",
		   clfs_block_add_record(buf, 64 + 48, 0, 0, CLFS_RECORD_DATA,
					 8, 0, &rlsn, &off), 0);
	CLFS_FC_EQ(t, "its lsn", rlsn, lsn);
	CLFS_FC_EQ(t, "its data offset", off, 104);
	CLFS_FC_EQ(t, "used after it", clfs_fc_get(buf + 32, 4), 112);

	for (i = 1; i < CLFS_MAX_RECORDS_PER_BLOCK; i++)
		ret |= clfs_block_add_record(buf, CLFS_META_COPY_SIZE, 0, 0,
					     CLFS_RECORD_DATA, 0, 0, &rlsn, &off);
	CLFS_FC_EQ(t, "records up to 512", ret, 0);
	CLFS_FC_EQ(t, "lsn of record 511", rlsn, lsn + 511);
	CLFS_FC_EQ(t, "record 513",
		   clfs_block_add_record(buf, CLFS_META_COPY_SIZE, 0, 0,
					 CLFS_RECORD_DATA, 0, 0, &rlsn, &off),
		   -ENOSPC);
	size = clfs_block_seal(buf, 4096, seed);
	CLFS_FC_EQ(t, "seal of 512 records", size, 24576);
	CLFS_FC_EQ(t, "decode of 512 records",
		   clfs_block_decode(buf, size, seed, lsn, 4096,
				     CLFS_BLOCK_SIZE_MAX, 0, &bi), 0);
	CLFS_FC_EQ(t, "n_records 512", bi.n_records, 512);
	CLFS_FC_EQ(t, "used of 512 records", bi.used, 64 + 48 + 511 * 40);

	/* In a dirty buffer, the block code zeroes all it does not fill. */
	memset(buf, 0xa5, CLFS_META_COPY_SIZE);
	clfs_block_init(buf, lsn, 5, 4, CLFS_LSN_INVALID, CLFS_LSN_INVALID);
	CLFS_FC_EQ(t, "dirty buffer: a record of 13 bytes",
		   clfs_block_add_record(buf, 4096, 0, 0, CLFS_RECORD_DATA, 13, 0,
					 &rlsn, &off), 0);
	memset(buf + off, 0x11, 13);
	CLFS_FC_EQ(t, "dirty buffer: seal", clfs_block_seal(buf, 512, seed),
		   512);
	CLFS_FC_EQ(t, "dirty buffer: record padding zeroed",
		   clfs_fc_zero_from(buf, off + 13, off + 16), off + 16);
	CLFS_FC_EQ(t, "dirty buffer: tail zeroed",
		   clfs_fc_zero_from(buf, off + 16, 512), 512);
	CLFS_FC_EQ(t, "dirty buffer: decode",
		   clfs_block_decode(buf, 512, seed, lsn, 512, 4096, 0, &bi), 0);
}

/* clfs_meta_find_logical(): only containers in use have an id. */
static inline void clfs_fc_check_find_logical(struct clfs_fc_t *t)
{
	struct clfs_meta_info *mi = t->b.mi;

	clfs_fc_meta_info(mi);
	CLFS_FC_TRUE(t, "id 5 is entry 0",
		     clfs_meta_find_logical(mi, 5) == &mi->containers[0]);
	CLFS_FC_TRUE(t, "id 6 is entry 1",
		     clfs_meta_find_logical(mi, 6) == &mi->containers[1]);
	CLFS_FC_TRUE(t, "id 3 (pending removal) is entry 2",
		     clfs_meta_find_logical(mi, 3) == &mi->containers[2]);
	CLFS_FC_TRUE(t, "id 7 (free) is not found",
		     !clfs_meta_find_logical(mi, 7));
	CLFS_FC_TRUE(t, "id 9 is not found", !clfs_meta_find_logical(mi, 9));
}

/* clfs_meta_choose() over real decode results. */
static inline void clfs_fc_check_choose(struct clfs_fc_t *t)
{
	struct clfs_meta_info *a = t->b.mi, *b = t->b.mi2;
	u8 *buf = t->b.meta;
	int ra, rb;

	clfs_fc_meta_build(buf);
	ra = clfs_meta_decode(buf, CLFS_META_COPY_SIZE, a);
	CLFS_FC_EQ(t, "copy A (generation 7) decodes", ra, 0);

	clfs_fc_meta_info(b);
	b->generation = 8;
	clfs_meta_encode(b, buf, CLFS_META_COPY_SIZE);
	rb = clfs_meta_decode(buf, CLFS_META_COPY_SIZE, b);
	CLFS_FC_EQ(t, "copy B (generation 8) decodes", rb, 0);
	CLFS_FC_EQ(t, "B newer: B", clfs_meta_choose(ra, a, rb, b), 1);
	CLFS_FC_EQ(t, "A newer: A", clfs_meta_choose(rb, b, ra, a), 0);

	/* B torn: one flipped byte, so its crc fails. */
	buf[100] ^= 0x10;
	rb = clfs_meta_decode(buf, CLFS_META_COPY_SIZE, b);
	CLFS_FC_EQ(t, "torn B fails", rb, -EUCLEAN);
	CLFS_FC_EQ(t, "B invalid: A", clfs_meta_choose(ra, a, rb, b), 0);
	CLFS_FC_EQ(t, "A invalid: B", clfs_meta_choose(rb, b, ra, a), 1);
	CLFS_FC_EQ(t, "both invalid", clfs_meta_choose(rb, b, -EUCLEAN, a),
		   -EUCLEAN);

	clfs_fc_meta_info(b);
	b->generation = 8;
	memcpy(b->uuid, clfs_fc_other_uuid, 16);
	clfs_meta_encode(b, buf, CLFS_META_COPY_SIZE);
	rb = clfs_meta_decode(buf, CLFS_META_COPY_SIZE, b);
	CLFS_FC_EQ(t, "copy of another log decodes", rb, 0);
	CLFS_FC_EQ(t, "different uuids", clfs_meta_choose(ra, a, rb, b),
		   -EUCLEAN);

	clfs_fc_meta_info(b);
	clfs_meta_encode(b, buf, CLFS_META_COPY_SIZE);
	rb = clfs_meta_decode(buf, CLFS_META_COPY_SIZE, b);
	CLFS_FC_EQ(t, "second copy of generation 7 decodes", rb, 0);
	CLFS_FC_EQ(t, "equal generations", clfs_meta_choose(ra, a, rb, b),
		   -EUCLEAN);

	a->generation = ~0ULL;
	b->generation = 0;
	CLFS_FC_EQ(t, "generation 2^64-1 beats 0",
		   clfs_meta_choose(0, a, 0, b), 0);
}

/*
 * Build the builder's block with other header values and decode it.  The
 * block names @prev and @prev_last as its predecessor and the last record
 * of it that is kept.
 */
static inline void clfs_fc_block_at(struct clfs_fc_t *t, u64 lsn, u64 seq,
				    u64 floor, u64 prev, u64 prev_last,
				    struct clfs_block_info *bi)
{
	u32 seed = clfs_seed(clfs_fc_log_uuid);

	memset(bi, 0, sizeof(*bi));
	CLFS_FC_EQ(t, "build a block",
		   clfs_fc_block_build(t->b.block2, lsn, seq, floor, prev,
				       prev_last, 0, seed),
		   CLFS_FC_BLOCK_BYTES);
	CLFS_FC_EQ(t, "decode it",
		   clfs_block_decode(t->b.block2, CLFS_FC_BLOCK_BYTES, seed,
				     lsn, CLFS_FC_IO_UNIT, CLFS_FC_BLOCK_SIZE, 0,
				     bi), 0);
}

/*
 * clfs_block_follows(): the chain of format.rst, "Torn and stale blocks".
 * Blocks N (seq 1002) and N+1 (1003) were in flight, N tore; recovery
 * ended the log at N-1 (1001) and jumped the floor to
 * 1001 + 2 * CLFS_MAX_IN_FLIGHT; the old N+1 must not follow the new N.
 * Every block of the builder holds three records, so a block that keeps
 * all of its predecessor names record 2 of it (CLFS_FC_LAST()).
 */
static inline void clfs_fc_check_follows(struct clfs_fc_t *t)
{
	const u64 l1 = CLFS_FC_BLOCK_LSN, l2 = l1 + CLFS_FC_BLOCK_BYTES;
	const u64 l3 = l2 + CLFS_FC_BLOCK_BYTES;
	const u64 jump = 1001 + 2 * CLFS_MAX_IN_FLIGHT;
	const u64 trunc = 1003 + 2 * CLFS_MAX_IN_FLIGHT;
	struct clfs_block_info b1, b2, n, old;

	clfs_fc_block_at(t, l1, 1001, 1000, CLFS_FC_BLOCK_PREV,
			 CLFS_FC_BLOCK_PREV_LAST, &b1);
	clfs_fc_block_at(t, l2, 1002, 1000, l1, CLFS_FC_LAST(l1), &b2);
	CLFS_FC_TRUE(t, "consecutive", clfs_block_follows(&b1, &b2));
	CLFS_FC_TRUE(t, "backwards", !clfs_block_follows(&b2, &b1));
	clfs_fc_block_at(t, l3, 1003, 1000, l2, CLFS_FC_LAST(l2), &old);
	CLFS_FC_TRUE(t, "old N+1 followed old N", clfs_block_follows(&b2, &old));

	clfs_fc_block_at(t, l2, jump + 1, jump, l1, CLFS_FC_LAST(l1), &n);
	CLFS_FC_TRUE(t, "floor jump allowed", clfs_block_follows(&b1, &n));
	CLFS_FC_TRUE(t, "stale old N+1 after the new N",
		     !clfs_block_follows(&n, &old));

	clfs_fc_block_at(t, l2, 1003, 1000, l1, CLFS_FC_LAST(l1), &n);
	CLFS_FC_TRUE(t, "stale: seq gap", !clfs_block_follows(&b1, &n));
	clfs_fc_block_at(t, l2, 1001, 1000, l1, CLFS_FC_LAST(l1), &n);
	CLFS_FC_TRUE(t, "stale: seq equal to the previous",
		     !clfs_block_follows(&b1, &n));
	clfs_fc_block_at(t, l2, 1000, 999, l1, CLFS_FC_LAST(l1), &n);
	CLFS_FC_TRUE(t, "stale: seq below the previous",
		     !clfs_block_follows(&b1, &n));
	clfs_fc_block_at(t, l2, 1002, 1000, CLFS_FC_BLOCK_PREV,
			 CLFS_FC_BLOCK_PREV_LAST, &n);
	CLFS_FC_TRUE(t, "wrong prev_lsn", !clfs_block_follows(&b1, &n));
	clfs_fc_block_at(t, l2, jump + 1, jump, l2, CLFS_FC_LAST(l2), &n);
	CLFS_FC_TRUE(t, "floor jump with a wrong prev_lsn",
		     !clfs_block_follows(&b1, &n));

	/*
	 * A second crash before any block of the new floor survived: the
	 * log ends at N-1 again, and the floor must jump from the old floor
	 * (jump), not from N-1's seq again, or the old session's blocks
	 * (here jump + 2 at N+1) would continue the new chain.
	 */
	clfs_fc_block_at(t, l3, jump + 2, jump, l2, CLFS_FC_LAST(l2), &old);
	clfs_fc_block_at(t, l2, jump + 2 * CLFS_MAX_IN_FLIGHT + 1,
			 jump + 2 * CLFS_MAX_IN_FLIGHT, l1, CLFS_FC_LAST(l1),
			 &n);
	CLFS_FC_TRUE(t, "second jump from the old floor",
		     clfs_block_follows(&b1, &n));
	CLFS_FC_TRUE(t, "stale block of the first jump's session",
		     !clfs_block_follows(&n, &old));

	/*
	 * prev_last: the next block keeps records 0..index of the previous
	 * one, so the index must be one the previous block holds (b1 holds
	 * three: 0, 1, 2).  Decode already tied prev_last to prev_lsn's
	 * block; follows() ties it to the block's record count.
	 */
	clfs_fc_block_at(t, l2, 1002, 1000, l1, l1 + 3, &n);
	CLFS_FC_TRUE(t, "prev_last index 3 = n_records: not following",
		     !clfs_block_follows(&b1, &n));
	clfs_fc_block_at(t, l2, 1002, 1000, l1, l1 + 511, &n);
	CLFS_FC_TRUE(t, "prev_last index 511: not following",
		     !clfs_block_follows(&b1, &n));
	clfs_fc_block_at(t, l2, 1002, 1000, l1, l1 + 2, &n);
	CLFS_FC_TRUE(t, "prev_last index 2 = n_records - 1: following",
		     clfs_block_follows(&b1, &n));
	clfs_fc_block_at(t, l2, 1002, 1000, l1, l1 + 1, &n);
	CLFS_FC_TRUE(t, "prev_last index 1 (truncated): following",
		     clfs_block_follows(&b1, &n));
	clfs_fc_block_at(t, l2, 1002, 1000, l1, l1, &n);
	CLFS_FC_TRUE(t, "prev_last index 0 (truncated): following",
		     clfs_block_follows(&b1, &n));
	clfs_fc_block_at(t, l2, jump + 1, jump, l1, l1 + 3, &n);
	CLFS_FC_TRUE(t, "floor jump with prev_last index 3: not following",
		     !clfs_block_follows(&b1, &n));

	/*
	 * Truncation of the log b1 (1001), b2 (1002), old (1003 at l3) to
	 * record 0 of b1: end_lsn = l1, end_floor = the new floor trunc,
	 * then a new block at l2 with floor trunc that names l1 record 0.
	 * It follows b1.  The replaced b2 still chains to b1 (follows() does
	 * not know end_lsn): recovery's rule that a block after the block
	 * of end_lsn needs floor >= end_floor is what drops it.  The old
	 * block at l3 cannot follow the new l2; the next new block can.
	 */
	clfs_fc_block_at(t, l3, 1003, 1000, l2, CLFS_FC_LAST(l2), &old);
	clfs_fc_block_at(t, l2, trunc + 1, trunc, l1, l1, &n);
	CLFS_FC_TRUE(t, "truncation: the first new block follows",
		     clfs_block_follows(&b1, &n));
	CLFS_FC_TRUE(t, "truncation: the replaced block still chains",
		     clfs_block_follows(&b1, &b2));
	CLFS_FC_TRUE(t, "truncation: the replaced block's floor is below end_floor",
		     b2.floor < trunc);
	CLFS_FC_TRUE(t, "truncation: the new block's floor is end_floor",
		     n.floor == trunc);
	CLFS_FC_TRUE(t, "truncation: the old block after the new one",
		     !clfs_block_follows(&n, &old));
	clfs_fc_block_at(t, l3, trunc + 2, trunc, l2, CLFS_FC_LAST(l2), &old);
	CLFS_FC_TRUE(t, "truncation: the second new block follows",
		     clfs_block_follows(&n, &old));

	clfs_fc_block_at(t, l1, 1200, 1000, CLFS_FC_BLOCK_PREV,
			 CLFS_FC_BLOCK_PREV_LAST, &b1);
	clfs_fc_block_at(t, l2, 1101, 1100, l1, CLFS_FC_LAST(l1), &n);
	CLFS_FC_TRUE(t, "floor below the previous seq",
		     !clfs_block_follows(&b1, &n));
}

/*
 * Container recycling: the container gets a new, larger logical id, so
 * every LSN in it orders after every LSN of its previous lap, and a block
 * of the previous lap fails decode at the same place in the new lap.
 */
static inline void clfs_fc_check_recycle(struct clfs_fc_t *t)
{
	static const u64 old_lsns[] = {
		CLFS_FC_LSN(5, 0, 0), CLFS_FC_LSN(5, 4096, 0),
		CLFS_FC_LSN(5, 8192, 2), CLFS_FC_LSN(5, 0xfffffe00U, 511),
	};
	static const u64 new_lsns[] = {
		CLFS_FC_LSN(8, 0, 0), CLFS_FC_LSN(8, 4096, 0),
		CLFS_FC_LSN(8, 8192, 2), CLFS_FC_LSN(8, 0xfffffe00U, 511),
	};
	u32 seed = clfs_seed(clfs_fc_log_uuid);
	struct clfs_meta_info *mi = t->b.mi, *mi2 = t->b.mi2;
	struct clfs_block_info bi;
	u32 i, j, wrong = 0, size;

	/* Recycle physical 0 (logical 5); the log's tail moves to id 6. */
	clfs_fc_meta_info(mi);
	mi->containers[0].logical_id = mi->next_logical++;
	mi->base_lsn = CLFS_FC_LSN(6, 4096, 0);
	mi->archive_tail = CLFS_FC_LSN(6, 4096, 0);
	mi->generation++;
	CLFS_FC_EQ(t, "encode the recycled table",
		   clfs_meta_encode(mi, t->b.meta, CLFS_META_COPY_SIZE),
		   CLFS_FC_META_BYTES);
	CLFS_FC_EQ(t, "decode it",
		   clfs_meta_decode(t->b.meta, CLFS_META_COPY_SIZE, mi2), 0);
	CLFS_FC_EQ(t, "physical 0 has logical id 8",
		   mi2->containers[0].logical_id, 8);
	CLFS_FC_EQ(t, "physical 0 stays where it was",
		   mi2->containers[0].dev_offset, CLFS_CONTAINERS_START);
	CLFS_FC_EQ(t, "next_logical 9", mi2->next_logical, 9);
	CLFS_FC_TRUE(t, "id 5 is gone", !clfs_meta_find_logical(mi2, 5));
	CLFS_FC_TRUE(t, "id 8 is physical 0",
		     clfs_meta_find_logical(mi2, 8) == &mi2->containers[0]);

	for (i = 0; i < ARRAY_SIZE(old_lsns); i++)
		for (j = 0; j < ARRAY_SIZE(new_lsns); j++)
			wrong += clfs_lsn_cmp(new_lsns[j], old_lsns[i]) != 1 ||
				 clfs_lsn_cmp(old_lsns[i], new_lsns[j]) != -1;
	CLFS_FC_EQ(t, "LSN pairs not ordered new after old", wrong, 0);
	CLFS_FC_EQ(t, "first LSN of id 8 > last LSN of id 5",
		   clfs_lsn_cmp(clfs_lsn_make(8, 0, 0),
				clfs_lsn_make(5, CLFS_LSN_MAX_BLOCK_OFFSET,
					      CLFS_LSN_MAX_RECORDS - 1)), 1);

	/* A block of the old lap, still on disk at offset 8192. */
	clfs_fc_block_build(t->b.block, CLFS_FC_LSN(5, 8192, 0), 1001, 1000,
			    CLFS_FC_LSN(5, 4096, 0), CLFS_FC_LSN(5, 4096, 2), 0,
			    seed);
	CLFS_FC_EQ(t, "old block at the old position",
		   clfs_block_decode(t->b.block, CLFS_FC_BLOCK_BYTES, seed,
				     CLFS_FC_LSN(5, 8192, 0), CLFS_FC_IO_UNIT,
				     CLFS_FC_BLOCK_SIZE, 0, &bi), 0);
	CLFS_FC_EQ(t, "old block at the new position: peek",
		   clfs_block_peek(t->b.block, CLFS_FC_BLOCK_BYTES,
				   CLFS_FC_LSN(8, 8192, 0), CLFS_FC_IO_UNIT,
				   CLFS_FC_BLOCK_SIZE, &size), -EUCLEAN);
	CLFS_FC_EQ(t, "old block at the new position: decode",
		   clfs_block_decode(t->b.block, CLFS_FC_BLOCK_BYTES, seed,
				     CLFS_FC_LSN(8, 8192, 0), CLFS_FC_IO_UNIT,
				     CLFS_FC_BLOCK_SIZE, 0, &bi), -EUCLEAN);
	clfs_fc_block_build(t->b.block, CLFS_FC_LSN(8, 8192, 0), 2001, 2000,
			    CLFS_FC_LSN(8, 4096, 0), CLFS_FC_LSN(8, 4096, 2), 1,
			    seed);
	CLFS_FC_EQ(t, "new block at the new position",
		   clfs_block_decode(t->b.block, CLFS_FC_BLOCK_BYTES, seed,
				     CLFS_FC_LSN(8, 8192, 0), CLFS_FC_IO_UNIT,
				     CLFS_FC_BLOCK_SIZE, 0, &bi), 0);

	/*
	 * The restart LSN and the truncation point may name records that
	 * are gone: the old id 5 is below next_logical, so they still pass.
	 */
	mi->restart_lsn = CLFS_FC_LSN(5, 8192, 2);
	mi->end_lsn = CLFS_FC_LSN(5, 8192, 1);
	CLFS_FC_EQ(t, "restart_lsn and end_lsn in the old id: check",
		   clfs_meta_check(mi), 0);
	CLFS_FC_EQ(t, "restart_lsn and end_lsn in the old id: encode",
		   clfs_meta_encode(mi, t->b.meta, CLFS_META_COPY_SIZE),
		   CLFS_FC_META_BYTES);
	CLFS_FC_EQ(t, "restart_lsn and end_lsn in the old id: decode",
		   clfs_meta_decode(t->b.meta, CLFS_META_COPY_SIZE, mi2), 0);
	CLFS_FC_EQ(t, "decoded restart_lsn", mi2->restart_lsn,
		   CLFS_FC_LSN(5, 8192, 2));
	CLFS_FC_EQ(t, "decoded end_lsn", mi2->end_lsn,
		   CLFS_FC_LSN(5, 8192, 1));
	mi->end_lsn = CLFS_FC_LSN(9, 8192, 1);
	CLFS_FC_EQ(t, "end_lsn in id 9 (= next_logical): check",
		   clfs_meta_check(mi), -EUCLEAN);
	mi->end_lsn = CLFS_FC_LSN(8, 8192, 1);
	CLFS_FC_EQ(t, "end_lsn in the new id 8: check", clfs_meta_check(mi),
		   0);
	mi->restart_lsn = CLFS_FC_LSN(9, 8192, 1);
	CLFS_FC_EQ(t, "restart_lsn in id 9 (= next_logical): check",
		   clfs_meta_check(mi), -EUCLEAN);
	mi->restart_lsn = CLFS_FC_LSN(5, 8192, 2);

	/* The log's tail must name an active container: the old id fails. */
	mi->archive_tail = CLFS_FC_LSN(5, 8192, 0);
	CLFS_FC_EQ(t, "archive_tail in the old id: check",
		   clfs_meta_check(mi), -EUCLEAN);
	mi->archive_tail = CLFS_LSN_INVALID;
	CLFS_FC_EQ(t, "no archive tail: check", clfs_meta_check(mi), 0);
	mi->base_lsn = CLFS_FC_LSN(5, 8192, 0);
	CLFS_FC_EQ(t, "base_lsn in the old id: check", clfs_meta_check(mi),
		   -EUCLEAN);
	CLFS_FC_EQ(t, "base_lsn in the old id: encode",
		   clfs_meta_encode(mi, t->b.meta, CLFS_META_COPY_SIZE),
		   -EINVAL);
}

/*
 * Streams: the multiplexed copy decodes to every field and encodes back
 * to its bytes; the lookups; the log's start over its streams; records
 * naming streams, decoded against the log's kind.
 */
static inline void clfs_fc_check_streams(struct clfs_fc_t *t)
{
	static const char *const bad[] = { "", "a b", "a/b", "\xc3\xa9t\xc3\xa9",
					   "..:" };
	struct clfs_meta_info *mi = t->b.mi, *want = t->b.mi2;
	u32 bytes = CLFS_FC_META_BYTES + 96U * CLFS_FC_N_STREAMS;
	u32 seed = clfs_seed(clfs_fc_log_uuid), i, off;
	u8 *buf = t->b.meta, *enc = t->b.block;
	char name[CLFS_STREAM_NAME_SIZE];
	struct clfs_record_view rv;
	struct clfs_block_info bi;
	u64 lsn, rlsn;
	int size;

	clfs_fc_mux_info(want);
	clfs_fc_mux_build(buf);
	CLFS_FC_EQ(t, "mux: decode", clfs_meta_decode(buf, CLFS_META_COPY_SIZE,
						      mi), 0);
	clfs_fc_meta_same(t, mi, want);
	CLFS_FC_TRUE(t, "mux: multiplexed", clfs_meta_multiplexed(mi));
	memset(enc, 0xa5, CLFS_FC_BLOCK_BUF);
	CLFS_FC_EQ(t, "mux: encode returns bytes",
		   clfs_meta_encode(want, enc, CLFS_FC_BLOCK_BUF), bytes);
	CLFS_FC_TRUE(t, "mux: encoded bytes equal the built copy",
		     !memcmp(enc, buf, bytes));
	CLFS_FC_EQ(t, "mux: flags at 68", clfs_fc_get(enc + 68, 4), 1);
	CLFS_FC_EQ(t, "mux: n_streams at 120", clfs_fc_get(enc + 120, 4), 2);
	CLFS_FC_EQ(t, "mux: next_stream at 124", clfs_fc_get(enc + 124, 4), 5);
	CLFS_FC_EQ(t, "mux: bytes at 12", clfs_fc_get(enc + 12, 4),
		   448 + 2 * 96);
	CLFS_FC_EQ(t, "mux: stream 1 id at 448 + 96",
		   clfs_fc_get(enc + 448 + 96, 4), 4);
	CLFS_FC_TRUE(t, "mux: stream 1 name at 448 + 96 + 8",
		     !memcmp(enc + 448 + 96 + 8, "audit.log-1", 12));
	CLFS_FC_EQ(t, "mux: stream 0 base_lsn at 448 + 40",
		   clfs_fc_get(enc + 448 + 40, 8), CLFS_FC_BASE_LSN);
	CLFS_FC_EQ(t, "mux: stream 1 archive_tail at 448 + 96 + 48",
		   clfs_fc_get(enc + 448 + 96 + 48, 8), CLFS_FC_ARCHIVE_TAIL);
	CLFS_FC_EQ(t, "mux: stream 0 restart_lsn at 448 + 56",
		   clfs_fc_get(enc + 448 + 56, 8), CLFS_FC_RESTART_LSN);
	CLFS_FC_EQ(t, "mux: stream reserved zero",
		   clfs_fc_zero_from(enc, 448 + 96 + 64, 448 + 192),
		   448 + 192);
	CLFS_FC_EQ(t, "mux: encode into too small a buffer",
		   clfs_meta_encode(want, enc, bytes - 1), -EINVAL);

	/* Lookups. */
	CLFS_FC_TRUE(t, "find stream 4",
		     clfs_meta_find_stream(mi, 4) == &mi->streams[1]);
	CLFS_FC_TRUE(t, "find stream 2",
		     clfs_meta_find_stream(mi, 2) == &mi->streams[0]);
	CLFS_FC_TRUE(t, "no stream 3 (deleted)", !clfs_meta_find_stream(mi, 3));
	CLFS_FC_TRUE(t, "no stream 0", !clfs_meta_find_stream(mi, 0));
	CLFS_FC_TRUE(t, "find \"audit.log-1\"",
		     clfs_meta_find_stream_name(mi, "audit.log-1") ==
		     &mi->streams[1]);
	CLFS_FC_TRUE(t, "no stream \"audit\"",
		     !clfs_meta_find_stream_name(mi, "audit"));

	/* The log's start is the smallest of its streams' starts. */
	CLFS_FC_EQ(t, "start of stream 2", clfs_stream_start(&mi->streams[0]),
		   CLFS_FC_BASE_LSN);
	CLFS_FC_EQ(t, "start of stream 4", clfs_stream_start(&mi->streams[1]),
		   CLFS_LSN_NULL);
	CLFS_FC_EQ(t, "start of the log", clfs_start_lsn(mi), CLFS_LSN_NULL);
	want->streams[1].base_lsn = CLFS_FC_LSN(6, 4096, 0);
	CLFS_FC_EQ(t, "start of the log: stream 4's archive tail",
		   clfs_start_lsn(want), CLFS_FC_ARCHIVE_TAIL);
	want->n_streams = 0;
	CLFS_FC_EQ(t, "start of a log without streams", clfs_start_lsn(want),
		   CLFS_LSN_NULL);

	/* Names. */
	memset(name, 0, sizeof(name));
	memcpy(name, "Orders_2024.v-1", 15);
	CLFS_FC_TRUE(t, "name Orders_2024.v-1", clfs_stream_name_ok(name));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(name, 0, sizeof(name));
		memcpy(name, bad[i], strlen(bad[i]));
		CLFS_FC_TRUE(t, "bad names refused", !clfs_stream_name_ok(name));
	}

	/* Records of streams 2 and 4 in one block of the multiplexed log. */
	lsn = CLFS_FC_BLOCK_LSN;
	memset(enc, 0, CLFS_FC_BLOCK_BUF);
	clfs_block_init(enc, lsn, CLFS_FC_BLOCK_SEQ, CLFS_FC_SEQ_FLOOR,
			CLFS_LSN_INVALID, CLFS_LSN_INVALID);
	CLFS_FC_EQ(t, "add a record of stream 2",
		   clfs_block_add_record(enc, 4096, CLFS_LSN_INVALID,
					 CLFS_LSN_INVALID, CLFS_RECORD_DATA, 8,
					 2, &rlsn, &off), 0);
	CLFS_FC_EQ(t, "add a record of stream 4",
		   clfs_block_add_record(enc, 4096, CLFS_LSN_INVALID, rlsn,
					 CLFS_RECORD_RESTART, 16, 4, &rlsn,
					 &off), 0);
	CLFS_FC_EQ(t, "stream 2^31 refused",
		   clfs_block_add_record(enc, 4096, 0, 0, CLFS_RECORD_DATA, 8,
					 CLFS_STREAM_ID_MAX, &rlsn, &off),
		   -EINVAL);
	size = (int)clfs_block_seal(enc, CLFS_FC_IO_UNIT, seed);
	CLFS_FC_EQ(t, "mux block: decode with next_stream 5",
		   clfs_block_decode(enc, (u32)size, seed, lsn, CLFS_FC_IO_UNIT,
				     CLFS_FC_BLOCK_SIZE, 5, &bi), 0);
	CLFS_FC_EQ(t, "mux block: decode with next_stream 4 (stream 4 unknown)",
		   clfs_block_decode(enc, (u32)size, seed, lsn, CLFS_FC_IO_UNIT,
				     CLFS_FC_BLOCK_SIZE, 4, &bi), -EUCLEAN);
	CLFS_FC_EQ(t, "mux block: decode as a dedicated log",
		   clfs_block_decode(enc, (u32)size, seed, lsn, CLFS_FC_IO_UNIT,
				     CLFS_FC_BLOCK_SIZE, 0, &bi), -EUCLEAN);
	CLFS_FC_EQ(t, "mux block: record 1",
		   clfs_record_at(enc, bi.used, CLFS_FIRST_RECORD + 48, &rv), 0);
	CLFS_FC_EQ(t, "mux block: record 1 stream", rv.stream, 4);
	CLFS_FC_EQ(t, "mux block: record 1 lsn", rv.lsn, lsn + 1);
	CLFS_FC_EQ(t, "mux block: record 1 stream at 32 of its header",
		   clfs_fc_get(enc + CLFS_FIRST_RECORD + 48 + 32, 4), 4);
	/* Stream 0 in a multiplexed log. */
	clfs_fc_put(enc + CLFS_FIRST_RECORD + 32, 4, 0, false);
	clfs_fc_block_fix(enc, seed);
	CLFS_FC_EQ(t, "mux block: stream 0 refused",
		   clfs_block_decode(enc, (u32)size, seed, lsn, CLFS_FC_IO_UNIT,
				     CLFS_FC_BLOCK_SIZE, 5, &bi), -EUCLEAN);
}

/**
 * struct clfs_fc_check - one positive check
 * @name: what it checks
 * @run: the check; it reports through t->expect()
 */
struct clfs_fc_check {
	const char *name;
	void (*run)(struct clfs_fc_t *t);
};

static const struct clfs_fc_check clfs_fc_checks[] = {
	{ "crc32c and seed", clfs_fc_check_crc32c },
	{ "meta round trip", clfs_fc_check_meta_round_trip },
	{ "container header round trip", clfs_fc_check_cont_round_trip },
	{ "block round trip", clfs_fc_check_block_round_trip },
	{ "block limits", clfs_fc_check_block_limits },
	{ "meta find_logical", clfs_fc_check_find_logical },
	{ "meta choose", clfs_fc_check_choose },
	{ "block follows", clfs_fc_check_follows },
	{ "container recycling", clfs_fc_check_recycle },
	{ "streams", clfs_fc_check_streams },
};

#endif /* CLFS_FORMAT_CASES_H */

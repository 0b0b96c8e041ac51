/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs format code: encode, decode and validate the on-disk structures of
 * include/uapi/linux/clfs_format.h.  Shared by the kernel module and user space
 * (see clfs_format_env.h); it does no I/O and allocates nothing, so the
 * same functions serve the engine, the offline tool, the host tests and
 * the fuzz target.
 *
 * Every decoder takes a buffer and its length, trusts nothing in it, and
 * returns 0 or -EUCLEAN.  Decoded values live in the *_info structures in
 * CPU byte order; only those are used by the callers.
 */
#ifndef CLFS_FORMAT_H
#define CLFS_FORMAT_H

#include "clfs_format_env.h"
#include <linux/clfs_format.h>
#include <linux/clfs_lsn.h>

/**
 * struct clfs_container_info - one decoded container table entry
 * @physical_id: unique, never reused
 * @logical_id: the container's id in LSNs
 * @state: CLFS_CONT_*
 * @dev_uuid: the device (all zero: the base device)
 * @dev_offset: byte offset of the container on its device
 */
struct clfs_container_info {
	u32 physical_id;
	u32 logical_id;
	u32 state;
	u8 dev_uuid[16];
	u64 dev_offset;
};

/**
 * struct clfs_stream_info - one decoded stream table entry
 * @id: the stream's id, 1 or more
 * @name: its name, NUL-terminated (1..31 bytes before the NUL)
 * @base_lsn: the stream's base, or CLFS_LSN_NULL
 * @archive_tail: its archive tail, or CLFS_LSN_INVALID
 * @restart_lsn: its newest restart record, or CLFS_LSN_INVALID
 * @clean_first: with the metadata's CLFS_META_CLEAN, its oldest record,
 *	or CLFS_LSN_INVALID (as without it, once decoded)
 * @clean_last: likewise its newest record
 */
struct clfs_stream_info {
	u32 id;
	char name[CLFS_STREAM_NAME_SIZE];
	u64 base_lsn;
	u64 archive_tail;
	u64 restart_lsn;
	u64 clean_first;
	u64 clean_last;
};

/**
 * struct clfs_meta_info - one decoded metadata copy
 * @generation: the copy's generation
 * @uuid: the log's identity (log_uuid on disk)
 * @io_unit: the log's I/O unit in bytes
 * @block_size: largest log block in bytes
 * @n_containers: valid entries in @containers
 * @next_logical: next logical container id to hand out
 * @container_size: bytes per container
 * @base_lsn: oldest record the client still needs, or CLFS_LSN_NULL
 * @archive_tail: oldest record not yet archived, or CLFS_LSN_INVALID
 * @restart_lsn: LSN of the newest restart record, or CLFS_LSN_INVALID
 * @seq_floor: every block written after this update has a larger seq
 * @end_lsn: last record kept by the latest truncation, or CLFS_LSN_INVALID
 * @end_floor: the sequence floor that truncation set (0: none)
 * @flags: CLFS_META_MULTIPLEXED (the log's kind), CLFS_META_CLEAN
 * @n_streams: valid entries in @streams (0 in a dedicated log)
 * @next_stream: next stream id to hand out (0 in a dedicated log)
 * @clean_block: with CLFS_META_CLEAN, the last block's LSN (INVALID: an
 *	empty log).  Without the flag the clean_* fields (the streams' too)
 *	are not checked nor encoded, and decode as CLFS_LSN_INVALID (0 for
 *	@clean_next).
 * @clean_last: with CLFS_META_CLEAN, the last record
 * @clean_next: with CLFS_META_CLEAN, the position after the last block
 *	(0: an empty log); 0 without it
 * @clean_first: with CLFS_META_CLEAN, the oldest record
 * @containers: the decoded container table
 * @streams: the decoded stream table, in increasing id order
 *
 * The fields of struct clfs_meta in CPU order; @containers holds
 * @n_containers valid entries.  About 48 KiB: allocate it, never put it on
 * a kernel stack.
 */
struct clfs_meta_info {
	u64 generation;
	u8 uuid[16];
	u32 io_unit;
	u32 block_size;
	u32 n_containers;
	u32 next_logical;
	u64 container_size;
	u64 base_lsn;
	u64 archive_tail;
	u64 restart_lsn;
	u64 seq_floor;
	u64 end_lsn;
	u64 end_floor;
	u32 flags;
	u32 n_streams;
	u32 next_stream;
	u64 clean_block;
	u64 clean_last;
	u64 clean_next;
	u64 clean_first;
	struct clfs_container_info containers[CLFS_MAX_CONTAINERS];
	struct clfs_stream_info streams[CLFS_MAX_STREAMS];
};

/* Is the log of @mi multiplexed? */
static inline bool clfs_meta_multiplexed(const struct clfs_meta_info *mi)
{
	return mi->flags & CLFS_META_MULTIPLEXED;
}

/**
 * struct clfs_cont_hdr_info - a decoded container header
 * @log_uuid: the owning log's uuid
 * @dev_uuid: the container's device (all zero: the base device)
 * @physical_id: the container's physical id
 * @io_unit: the log's I/O unit in bytes
 * @container_size: bytes per container
 * @dev_offset: byte offset of the container on its device
 */
struct clfs_cont_hdr_info {
	u8 log_uuid[16];
	u8 dev_uuid[16];
	u32 physical_id;
	u32 io_unit;
	u64 container_size;
	u64 dev_offset;
};

/**
 * struct clfs_block_info - a decoded, validated log block header
 * @seq: block sequence number
 * @floor: the sequence floor in effect when the block was written
 * @lsn: LSN of record 0
 * @prev_lsn: LSN of record 0 of the block before it
 * @prev_last: LSN of the last record of that block still in the log
 * @size: bytes on disk (I/O-unit multiple)
 * @used: bytes of header and records
 * @n_records: records in the block
 */
struct clfs_block_info {
	u64 seq;
	u64 floor;
	u64 lsn;
	u64 prev_lsn;
	u64 prev_last;
	u32 size;
	u32 used;
	u32 n_records;
};

/**
 * struct clfs_record_view - one record inside a validated block
 * @lsn: the record's LSN
 * @undo_next: the record's undo-next LSN, or CLFS_LSN_INVALID
 * @previous: the record's previous LSN, or CLFS_LSN_INVALID
 * @type: CLFS_RECORD_DATA or CLFS_RECORD_RESTART
 * @length: bytes of the record's data
 * @stream: the record's stream (0 in a dedicated log)
 * @data_offset: byte offset of the record's data in the block
 * @next_offset: byte offset of the next record header in the block
 */
struct clfs_record_view {
	u64 lsn;
	u64 undo_next;
	u64 previous;
	u32 type;
	u32 length;
	u32 stream;
	u32 data_offset;
	u32 next_offset;
};

/* Offset of a block's first record header. */
#define CLFS_FIRST_RECORD ((u32)sizeof(struct clfs_block_header))

/* Bytes a record of @length data bytes takes in a block. */
static inline u32 clfs_record_space(u32 length)
{
	return (u32)sizeof(struct clfs_record_header) +
	       round_up(length, CLFS_RECORD_ALIGN);
}

/* The largest record data a block of @block_size bytes can carry. */
static inline u32 clfs_record_max(u32 block_size)
{
	return block_size - (u32)sizeof(struct clfs_block_header) -
	       (u32)sizeof(struct clfs_record_header);
}

u32 clfs_seed(const u8 uuid[16]);
bool clfs_uuid_is_zero(const u8 uuid[16]);

bool clfs_stream_name_ok(const char *name);
const struct clfs_stream_info *
clfs_meta_find_stream(const struct clfs_meta_info *mi, u32 id);
const struct clfs_stream_info *
clfs_meta_find_stream_name(const struct clfs_meta_info *mi, const char *name);
u64 clfs_stream_start(const struct clfs_stream_info *st);
int clfs_meta_check(const struct clfs_meta_info *mi);
void clfs_meta_clear_clean(struct clfs_meta_info *mi);
int clfs_meta_decode(const void *buf, size_t len, struct clfs_meta_info *mi);
int clfs_meta_encode(const struct clfs_meta_info *mi, void *buf, size_t len);
u64 clfs_start_lsn(const struct clfs_meta_info *mi);

/*
 * The chain rule for LSN links between records (previous, undo-next, a
 * restart area's previous): a link ends the chain (an invalid or null
 * LSN) or goes strictly back, so that every walk along a chain ends after
 * at most as many steps as the log has records.  A link that does neither
 * is a loop or a forward pointer.
 */
static inline bool clfs_chain_end(u64 next)
{
	return !clfs_lsn_is_valid(next) || clfs_lsn_is_null(next);
}

static inline bool clfs_chain_back(u64 from, u64 next)
{
	return !clfs_chain_end(next) && next < from;
}

/* What clfs_meta_identify() and clfs_block_identify() found. */
enum clfs_identity {
	CLFS_NOT_CLFS,			/* no clfs magic */
	CLFS_OTHER_VERSION,		/* metadata of another format version */
	CLFS_OTHER_LSN,			/* a block of another position or lap */
	CLFS_CORRUPT,			/* the rest: checksum or fields */
};

enum clfs_identity clfs_meta_identify(const void *buf, u32 len, u32 *major,
				      u32 *minor);
enum clfs_identity clfs_block_identify(const void *buf, u32 len, u64 lsn);

/* What clfs_log_follows() found. */
enum clfs_follows {
	CLFS_FOLLOWS,			/* @next continues the log */
	CLFS_NOT_CHAINED,		/* it does not name @prev as before it */
	CLFS_CUT_BY_TRUNCATION,		/* older than a truncation in @prev */
};

enum clfs_follows clfs_log_follows(const struct clfs_meta_info *mi,
				   const struct clfs_block_info *prev,
				   const struct clfs_block_info *next);
enum clfs_follows clfs_log_follows_end(u64 end, u64 end_floor,
				       const struct clfs_block_info *prev,
				       const struct clfs_block_info *next);
int clfs_meta_choose(int ra, const struct clfs_meta_info *a,
		     int rb, const struct clfs_meta_info *b);
const struct clfs_container_info *
clfs_meta_find_logical(const struct clfs_meta_info *mi, u32 logical_id);

void clfs_cont_hdr_encode(const struct clfs_cont_hdr_info *ci, void *buf,
			  u32 seed);
int clfs_cont_hdr_decode(const void *buf, size_t len, u32 seed,
			 struct clfs_cont_hdr_info *ci);

void clfs_block_init(void *buf, u64 lsn, u64 seq, u64 floor, u64 prev_lsn,
		     u64 prev_last);
int clfs_block_add_record(void *buf, u32 capacity, u64 undo_next,
			  u64 previous, u32 type, u32 length, u32 stream,
			  u64 *lsn, u32 *data_offset);
u32 clfs_block_pad(void *buf, u32 io_unit);
void clfs_block_set_crc(void *buf, u32 crc);
u32 clfs_block_seal(void *buf, u32 io_unit, u32 seed);
int clfs_block_peek(const void *buf, size_t len, u64 expect_lsn,
		    u32 io_unit, u32 max_size, u32 *size);
u32 clfs_block_crc(const void *buf, u32 size, u32 seed);
int clfs_block_decode(const void *buf, size_t len, u32 seed, u64 expect_lsn,
		      u32 io_unit, u32 max_size, u32 next_stream,
		      struct clfs_block_info *bi);
int clfs_block_decode_crc(const void *buf, size_t len, u32 crc,
			  u64 expect_lsn, u32 io_unit, u32 max_size,
			  u32 next_stream, struct clfs_block_info *bi);
int clfs_block_records(const void *buf, u32 used, u64 block_lsn,
		       u32 n_records, u32 next_stream);
int clfs_record_at(const void *buf, u32 used, u32 offset,
		   struct clfs_record_view *rv);
bool clfs_block_follows(const struct clfs_block_info *prev,
			const struct clfs_block_info *next);

/**
 * clfs_block_state() - the header of a block this log is building
 * @buf: a block from clfs_block_init(), records added with
 *	clfs_block_add_record(), maybe sealed: the writer's own buffer, never
 *	bytes read from a device (those go through clfs_block_decode())
 * @lsn: the block's LSN
 * @bi: receives the header's fields; @bi->size is 0 (not known before
 *	the block is sealed) and @bi->prev_last is the header's
 */
static inline void clfs_block_state(const void *buf, u64 lsn,
				    struct clfs_block_info *bi)
{
	const struct clfs_block_header *h = buf;

	bi->lsn = lsn;
	bi->seq = le64_to_cpu(h->seq);
	bi->floor = le64_to_cpu(h->floor);
	bi->prev_lsn = le64_to_cpu(h->prev_lsn);
	bi->prev_last = le64_to_cpu(h->prev_last);
	bi->used = le32_to_cpu(h->used);
	bi->n_records = le16_to_cpu(h->n_records);
	bi->size = 0;
}

/**
 * clfs_block_cost() - the bytes a block takes on disk
 * @used: bytes of the block in use (0 for a new block: the header alone)
 * @space: bytes of records to add, from clfs_record_space()
 * @io_unit: the log's I/O unit
 *
 * Return: the block's size once sealed, header included; a record alone
 * in a new block costs clfs_block_cost(0, clfs_record_space(len), io_unit).
 * Inline: the append path asks for it once per record.
 */
static inline u32 clfs_block_cost(u32 used, u32 space, u32 io_unit)
{
	if (!used)
		used = (u32)sizeof(struct clfs_block_header);
	return (u32)round_up((u64)used + space, io_unit);
}

#endif /* CLFS_FORMAT_H */

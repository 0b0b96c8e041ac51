/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * clfs on-disk format, v3: the structures of Documentation/clfs/format.rst,
 * shared by the kernel module and the user-space tools.
 *
 * Every field is fixed-width little-endian, padding is explicit and must
 * be zero, and nothing here holds a pointer or any other in-memory value.
 * The sizes are asserted where the format code is compiled
 * (src/format/clfs_format.c).  Decoding and validation live in that file; this
 * header only says where things are.
 */
#ifndef _UAPI_LINUX_CLFS_FORMAT_H
#define _UAPI_LINUX_CLFS_FORMAT_H

#include <linux/types.h>

#define CLFS_FORMAT_MAJOR		3
#define CLFS_FORMAT_MINOR		1
/* Container headers: their layout is unchanged since v2. */
#define CLFS_CONT_FORMAT_MAJOR		2

/* Base device layout. */
#define CLFS_META_COPY_SIZE		65536U
#define CLFS_META_A_OFFSET		0ULL
#define CLFS_META_B_OFFSET		65536ULL
#define CLFS_CONTAINERS_START		0x100000ULL	/* 1 MiB */

/* Containers. */
#define CLFS_CONTAINER_ALIGN		0x80000ULL	/* 512 KiB */
#define CLFS_CONTAINER_MAX_SIZE		(0x100000000ULL - CLFS_CONTAINER_ALIGN)
#define CLFS_MAX_CONTAINERS		1024U
#define CLFS_MIN_CONTAINERS_TO_WRITE	2U
#define CLFS_BLOCKS_START		4096U

/* Log blocks. */
#define CLFS_IO_UNIT_MIN		512U
#define CLFS_IO_UNIT_MAX		4096U
#define CLFS_BLOCK_SIZE_MIN		4096U
#define CLFS_BLOCK_SIZE_MAX		0x100000U	/* 1 MiB */
#define CLFS_MAX_RECORDS_PER_BLOCK	512U
#define CLFS_RECORD_ALIGN		8U
/* Blocks a log may have written but not completed at any moment. */
#define CLFS_MAX_IN_FLIGHT		64U

#define CLFS_META_MAGIC		0x4154454d53464c43ULL	/* "CLFSMETA" */
#define CLFS_CONT_MAGIC		0x544e4f4353464c43ULL	/* "CLFSCONT" */
#define CLFS_BLOCK_MAGIC	0x42464c43U		/* "CLFB" */

/* struct clfs_meta.flags: the log's kind, fixed at creation */
#define CLFS_META_MULTIPLEXED		0x1U
/* the log was closed cleanly: the clean_* fields say where it ends (v3.1) */
#define CLFS_META_CLEAN			0x2U

/* Streams of a multiplexed log. */
#define CLFS_MAX_STREAMS		128U
#define CLFS_STREAM_NAME_SIZE		32U	/* 1..31 bytes, then NUL */
#define CLFS_STREAM_ID_MAX		0x80000000U

/* struct clfs_meta_container.state */
#define CLFS_CONT_FREE			1
#define CLFS_CONT_ACTIVE		2
#define CLFS_CONT_PENDING_REMOVAL	3

/* struct clfs_record_header.type */
#define CLFS_RECORD_DATA		1
#define CLFS_RECORD_RESTART		2

/**
 * struct clfs_meta - one copy of the log's metadata (the BLF analogue)
 * @magic: CLFS_META_MAGIC ("CLFSMETA")
 * @version_major: CLFS_FORMAT_MAJOR; any other major is refused
 * @version_minor: CLFS_FORMAT_MINOR; larger minors only add zeroed fields
 * @bytes: bytes covered by @crc: this header and the container table
 * @generation: incremented on every update; the valid copy with the
 *	larger one wins
 * @log_uuid: identity of the log; seeds every checksum
 * @crc: crc32c with the log's seed of bytes [0, @bytes), taken with @crc
 *	zero
 * @io_unit: the log's I/O unit in bytes: 512, 1024, 2048 or 4096
 * @block_size: largest log block in bytes (the marshalling buffer size)
 * @n_containers: entries in the container table, at most
 *	CLFS_MAX_CONTAINERS
 * @container_size: bytes per container, a multiple of CLFS_CONTAINER_ALIGN
 * @next_logical: next logical container id to hand out
 * @flags: CLFS_META_MULTIPLEXED (the log's kind) and CLFS_META_CLEAN
 * @base_lsn: oldest record the client still needs, or CLFS_LSN_NULL
 *	(always CLFS_LSN_NULL in a multiplexed log: streams have their own)
 * @archive_tail: oldest record not yet archived, or CLFS_LSN_INVALID for
 *	no archive tail (always INVALID in a multiplexed log)
 * @restart_lsn: LSN of the newest restart record, or CLFS_LSN_INVALID
 *	(always INVALID in a multiplexed log)
 * @seq_floor: every block written after this update has a sequence
 *	number above it
 * @end_lsn: truncation point: the last record kept by the latest
 *	truncation, or CLFS_LSN_INVALID
 * @end_floor: the sequence floor that truncation set (0 when @end_lsn is
 *	CLFS_LSN_INVALID)
 * @n_streams: entries in the stream table (0 in a dedicated log)
 * @next_stream: next stream id to hand out (0 in a dedicated log)
 * @clean_block: with CLFS_META_CLEAN, the last block's LSN, or
 *	CLFS_LSN_INVALID for an empty log; zero without it
 * @clean_last: with CLFS_META_CLEAN, the log's last record (INVALID: empty)
 * @clean_next: with CLFS_META_CLEAN, where the next block goes: the
 *	position right after the last block (0: empty)
 * @clean_first: with CLFS_META_CLEAN, the log's oldest record (INVALID:
 *	empty)
 * @reserved: must be zero
 *
 * Field by field in Documentation/clfs/format.rst, "Metadata".  The
 * container table (@n_containers entries) follows at byte 256, and the
 * stream table (@n_streams entries) right after it.
 */
struct clfs_meta {
	__le64 magic;
	__le16 version_major;
	__le16 version_minor;
	__le32 bytes;
	__le64 generation;
	__u8 log_uuid[16];
	__le32 crc;
	__le32 io_unit;
	__le32 block_size;
	__le32 n_containers;
	__le64 container_size;
	__le32 next_logical;
	__le32 flags;
	__le64 base_lsn;
	__le64 archive_tail;
	__le64 restart_lsn;
	__le64 seq_floor;
	__le64 end_lsn;
	__le64 end_floor;
	__le32 n_streams;
	__le32 next_stream;
	__le64 clean_block;
	__le64 clean_last;
	__le64 clean_next;
	__le64 clean_first;
	__u8 reserved[96];
};

/**
 * struct clfs_meta_container - one entry of the metadata's container table
 * @physical_id: unique in the log, never reused
 * @logical_id: the container's id in LSNs; a new one on every recycle
 * @state: CLFS_CONT_FREE, CLFS_CONT_ACTIVE or CLFS_CONT_PENDING_REMOVAL
 * @reserved: must be zero
 * @dev_uuid: the container's device: all zero for the base device,
 *	otherwise the uuid in that device's container headers
 * @dev_offset: byte offset of the container on its device
 * @reserved2: must be zero
 */
struct clfs_meta_container {
	__le32 physical_id;
	__le32 logical_id;
	__le32 state;
	__le32 reserved;
	__u8 dev_uuid[16];
	__le64 dev_offset;
	__le64 reserved2;
};

/**
 * struct clfs_meta_stream - one entry of a multiplexed log's stream table
 * @id: the stream's id, in [1, next_stream); entries in increasing order
 * @flags: must be zero
 * @name: 1..31 bytes of [A-Za-z0-9._-], then NUL bytes; unique in the log
 * @base_lsn: the stream's base: CLFS_LSN_NULL, or a position in an active
 *	container
 * @archive_tail: the stream's archive tail, or CLFS_LSN_INVALID
 * @restart_lsn: the stream's newest restart record, or CLFS_LSN_INVALID
 * @clean_first: with the metadata's CLFS_META_CLEAN, the stream's oldest
 *	record, or CLFS_LSN_INVALID; zero without it
 * @clean_last: likewise its newest record
 * @reserved: must be zero
 */
struct clfs_meta_stream {
	__le32 id;
	__le32 flags;
	__u8 name[CLFS_STREAM_NAME_SIZE];
	__le64 base_lsn;
	__le64 archive_tail;
	__le64 restart_lsn;
	__le64 clean_first;
	__le64 clean_last;
	__le64 reserved[2];
};

/**
 * struct clfs_container_header - the first 128 bytes of every container
 * @magic: CLFS_CONT_MAGIC ("CLFSCONT")
 * @version_major: CLFS_CONT_FORMAT_MAJOR; any other major is refused
 * @version_minor: 0
 * @crc: crc32c with the log's seed of these 128 bytes, taken with @crc
 *	zero
 * @log_uuid: the owning log's uuid; must equal the metadata's
 * @dev_uuid: must equal the container table entry's
 * @physical_id: must equal the container table entry's
 * @io_unit: the log's I/O unit in bytes; must equal the metadata's
 * @container_size: bytes per container; must equal the metadata's
 * @dev_offset: byte offset of the container on its device; must equal
 *	where the header was read from
 * @reserved: must be zero
 */
struct clfs_container_header {
	__le64 magic;
	__le16 version_major;
	__le16 version_minor;
	__le32 crc;
	__u8 log_uuid[16];
	__u8 dev_uuid[16];
	__le32 physical_id;
	__le32 io_unit;
	__le64 container_size;
	__le64 dev_offset;
	__u8 reserved[56];
};

/**
 * struct clfs_block_header - the start of every log block
 * @magic: CLFS_BLOCK_MAGIC ("CLFB")
 * @crc: crc32c with the log's seed of the whole block (@size bytes),
 *	taken with @crc zero
 * @seq: block sequence number, in [1, 2^62]
 * @lsn: LSN of record 0: (logical container id, block offset, 0)
 * @size: bytes of the block on disk, a multiple of the I/O unit
 * @n_records: records in the block, 1 to CLFS_MAX_RECORDS_PER_BLOCK
 * @flags: must be zero
 * @used: bytes of header and records, at most @size
 * @reserved: must be zero
 * @prev_lsn: LSN of record 0 of the previous block, or CLFS_LSN_INVALID
 *	for the first block
 * @floor: the sequence floor in effect when the block was written
 * @prev_last: LSN of the last record of the previous block still in the
 *	log (an earlier one after a truncation), or CLFS_LSN_INVALID for the
 *	first block
 */
struct clfs_block_header {
	__le32 magic;
	__le32 crc;
	__le64 seq;
	__le64 lsn;
	__le32 size;
	__le16 n_records;
	__le16 flags;
	__le32 used;
	__le32 reserved;
	__le64 prev_lsn;
	__le64 floor;
	__le64 prev_last;
};

/**
 * struct clfs_record_header - the start of every record in a block
 * @lsn: this record's LSN: the block's LSN plus the record's index
 * @undo_next: the record's undo-next LSN, or CLFS_LSN_INVALID
 * @previous: the record's previous LSN, or CLFS_LSN_INVALID
 * @type: CLFS_RECORD_DATA or CLFS_RECORD_RESTART
 * @length: bytes of client data that follow the header
 * @stream: the record's stream: 0 in a dedicated log, a stream id in
 *	[1, next_stream) in a multiplexed log
 * @reserved: must be zero
 */
struct clfs_record_header {
	__le64 lsn;
	__le64 undo_next;
	__le64 previous;
	__le32 type;
	__le32 length;
	__le32 stream;
	__le32 reserved;
};

#endif /* _UAPI_LINUX_CLFS_FORMAT_H */

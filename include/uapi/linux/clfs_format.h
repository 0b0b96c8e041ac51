/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * clfs on-disk format, v2: the structures of Documentation/clfs/format.rst,
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

#define CLFS_FORMAT_MAJOR		2
#define CLFS_FORMAT_MINOR		0

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

/* struct clfs_meta_container.state */
#define CLFS_CONT_FREE			1
#define CLFS_CONT_ACTIVE		2
#define CLFS_CONT_PENDING_REMOVAL	3

/* struct clfs_record_header.type */
#define CLFS_RECORD_DATA		1
#define CLFS_RECORD_RESTART		2

/**
 * struct clfs_meta - one copy of the log's metadata (the BLF analogue)
 *
 * Field by field in Documentation/clfs/format.rst, "Metadata".  The
 * container table (@n_containers entries) follows at byte 256.
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
	__u8 reserved[136];
};

/**
 * struct clfs_meta_container - one entry of the metadata's container table
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
 * struct clfs_container_header - the first 128 bytes of every container
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
 */
struct clfs_record_header {
	__le64 lsn;
	__le64 undo_next;
	__le64 previous;
	__le32 type;
	__le32 length;
	__le64 reserved;
};

#endif /* _UAPI_LINUX_CLFS_FORMAT_H */

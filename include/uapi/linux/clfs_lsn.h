/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * clfs log sequence numbers (LSNs), shared by the kernel module, libclfs,
 * clfsctl and the offline tools.
 *
 * An LSN is the 64-bit CLFS_LSN of the Common Log File System, with the
 * same layout, so that a value means the same thing in every tool:
 *
 *    63                        32 31                        9 8          0
 *   +----------------------------+---------------------------+------------+
 *   |  logical container id      |  block offset / 512       |  record    |
 *   |  (32 bits)                 |  (23 bits, sector units)  |  (9 bits)  |
 *   +----------------------------+---------------------------+------------+
 *
 * Bits 31..9 hold the byte offset of a log block inside its container,
 * which is always sector (512 byte) aligned, so the byte offset is simply
 * the low 32 bits with the record bits masked off: a container spans at
 * most 4 GiB - 512 bytes of block offsets.  Bits 8..0 number the records of
 * one block, so a block holds at most 512 records.
 *
 * Because the container id is the most significant part, plain unsigned
 * comparison orders LSNs; recycled containers get a new, larger logical id,
 * so the LSNs of one log only ever grow.
 *
 * Two values are special: CLFS_LSN_NULL (0) is the smallest LSN and is a
 * valid lower bound; CLFS_LSN_INVALID (container id 0xffffffff, rest 0)
 * compares greater than every valid LSN and is never the LSN of a record.
 * Container id 0xffffffff is therefore never handed out.
 *
 * Every helper is total: malformed input never yields undefined behaviour,
 * and helpers that build an LSN return CLFS_LSN_INVALID when the result
 * would not be a valid LSN.
 */
#ifndef _UAPI_LINUX_CLFS_LSN_H
#define _UAPI_LINUX_CLFS_LSN_H

#include <linux/types.h>

#define CLFS_LSN_NULL			0x0000000000000000ULL
#define CLFS_LSN_INVALID		0xffffffff00000000ULL

#define CLFS_LSN_CONTAINER_SHIFT	32
#define CLFS_LSN_OFFSET_MASK		0x00000000fffffe00ULL
#define CLFS_LSN_RECORD_MASK		0x00000000000001ffULL

/* A log block's offset inside a container is a multiple of this. */
#define CLFS_LSN_SECTOR_SIZE		512U
/* The largest block offset an LSN can express: 4 GiB - 512. */
#define CLFS_LSN_MAX_BLOCK_OFFSET	0xfffffe00U
/* The number of records one log block can hold. */
#define CLFS_LSN_MAX_RECORDS		512U
/* The largest logical container id; 0xffffffff is CLFS_LSN_INVALID's. */
#define CLFS_LSN_MAX_CONTAINER		0xfffffffeU

/**
 * clfs_lsn_make() - build an LSN from its three parts
 * @container: logical container id, at most CLFS_LSN_MAX_CONTAINER
 * @block_offset: byte offset of the log block in the container; a multiple
 *	of CLFS_LSN_SECTOR_SIZE, at most CLFS_LSN_MAX_BLOCK_OFFSET
 * @record: index of the record in the block, below CLFS_LSN_MAX_RECORDS
 *
 * Return: the LSN, or CLFS_LSN_INVALID if any part is out of range.
 */
static inline __u64 clfs_lsn_make(__u32 container, __u32 block_offset,
				  __u32 record)
{
	if (container > CLFS_LSN_MAX_CONTAINER ||
	    (block_offset & (CLFS_LSN_SECTOR_SIZE - 1)) ||
	    record >= CLFS_LSN_MAX_RECORDS)
		return CLFS_LSN_INVALID;
	return ((__u64)container << CLFS_LSN_CONTAINER_SHIFT) |
	       block_offset | record;
}

/**
 * clfs_lsn_container() - the logical container id of an LSN
 * @lsn: the LSN
 *
 * Return: bits 63..32 of @lsn.
 */
static inline __u32 clfs_lsn_container(__u64 lsn)
{
	return (__u32)(lsn >> CLFS_LSN_CONTAINER_SHIFT);
}

/**
 * clfs_lsn_block_offset() - the byte offset of an LSN's log block
 * @lsn: the LSN
 *
 * Return: the block's byte offset inside its container, sector aligned.
 */
static inline __u32 clfs_lsn_block_offset(__u64 lsn)
{
	return (__u32)(lsn & CLFS_LSN_OFFSET_MASK);
}

/**
 * clfs_lsn_record() - the record index of an LSN inside its block
 * @lsn: the LSN
 *
 * Return: bits 8..0 of @lsn.
 */
static inline __u32 clfs_lsn_record(__u64 lsn)
{
	return (__u32)(lsn & CLFS_LSN_RECORD_MASK);
}

/**
 * clfs_lsn_is_null() - whether an LSN is CLFS_LSN_NULL
 * @lsn: the LSN
 *
 * Return: 1 if @lsn is CLFS_LSN_NULL, else 0.
 */
static inline int clfs_lsn_is_null(__u64 lsn)
{
	return lsn == CLFS_LSN_NULL;
}

/**
 * clfs_lsn_is_valid() - whether an LSN can name a record
 * @lsn: the LSN
 *
 * Return: 1 if @lsn lies below CLFS_LSN_INVALID, else 0.
 */
static inline int clfs_lsn_is_valid(__u64 lsn)
{
	return lsn < CLFS_LSN_INVALID;
}

/**
 * clfs_lsn_cmp() - order two LSNs of the same log
 * @a: one LSN
 * @b: the other LSN
 *
 * CLFS_LSN_NULL and CLFS_LSN_INVALID may be compared like any other LSN.
 * LSNs of different logs are not comparable.
 *
 * Return: -1 if @a < @b, 0 if they are equal, 1 if @a > @b.
 */
static inline int clfs_lsn_cmp(__u64 a, __u64 b)
{
	return (a > b) - (a < b);
}

/**
 * clfs_lsn_increment() - the smallest LSN greater than a given one
 * @lsn: the LSN
 *
 * The record index carries into the block offset, and the block offset into
 * the container id, so this is the LSN's successor in the total order.
 *
 * Return: the successor of @lsn, or CLFS_LSN_INVALID when @lsn is not valid
 * or has no valid successor.
 */
static inline __u64 clfs_lsn_increment(__u64 lsn)
{
	if (lsn >= CLFS_LSN_INVALID)
		return CLFS_LSN_INVALID;
	return lsn + 1;
}

/**
 * clfs_lsn_next_record() - the next record in the same log block
 * @lsn: the LSN
 *
 * Return: @lsn with its record index plus one, or CLFS_LSN_INVALID when
 * @lsn is not valid or its block is already at CLFS_LSN_MAX_RECORDS.
 */
static inline __u64 clfs_lsn_next_record(__u64 lsn)
{
	if (!clfs_lsn_is_valid(lsn) ||
	    clfs_lsn_record(lsn) == CLFS_LSN_MAX_RECORDS - 1)
		return CLFS_LSN_INVALID;
	return lsn + 1;
}

/**
 * clfs_lsn_next_block() - the first record of the block after a given one
 * @lsn: an LSN in the current block
 * @block_size: size in bytes of the current block, a non-zero multiple of
 *	CLFS_LSN_SECTOR_SIZE
 *
 * Return: the LSN of record 0 of the block that starts @block_size bytes
 * after @lsn's block in the same container, or CLFS_LSN_INVALID when @lsn
 * is not valid, @block_size is malformed, or the offset would pass
 * CLFS_LSN_MAX_BLOCK_OFFSET.
 */
static inline __u64 clfs_lsn_next_block(__u64 lsn, __u32 block_size)
{
	__u32 offset = clfs_lsn_block_offset(lsn);

	if (!clfs_lsn_is_valid(lsn) || block_size == 0 ||
	    (block_size & (CLFS_LSN_SECTOR_SIZE - 1)) ||
	    block_size > CLFS_LSN_MAX_BLOCK_OFFSET - offset)
		return CLFS_LSN_INVALID;
	return clfs_lsn_make(clfs_lsn_container(lsn), offset + block_size, 0);
}

/**
 * clfs_lsn_next_container() - the first LSN of the next logical container
 * @lsn: an LSN in the current container
 *
 * Return: the LSN of record 0 of the block at offset 0 of the container
 * whose logical id follows @lsn's, or CLFS_LSN_INVALID when @lsn is not
 * valid or its container id is CLFS_LSN_MAX_CONTAINER.
 */
static inline __u64 clfs_lsn_next_container(__u64 lsn)
{
	if (!clfs_lsn_is_valid(lsn))
		return CLFS_LSN_INVALID;
	return clfs_lsn_make(clfs_lsn_container(lsn) + 1, 0, 0);
}

#endif /* _UAPI_LINUX_CLFS_LSN_H */

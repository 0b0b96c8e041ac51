/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * clfs user ABI: the /dev/clfs character device.
 *
 * The device's ioctls mirror the CLFS routines one for one.  Every ioctl
 * argument is a struct of fixed-width fields, padded explicitly to a
 * multiple of 8 bytes, whose first field is its own size so that it can
 * grow: the kernel accepts a caller's struct that is shorter (old caller;
 * missing fields read as zero) or longer (new caller; the extra bytes must
 * be zero) than its own.  Reserved fields must be zero.  Pointers travel
 * as __u64.
 *
 * This header also holds the version of the clfs ABI and the module, the
 * single source of the version for the kernel module and the tools.
 */
#ifndef _UAPI_LINUX_CLFS_H
#define _UAPI_LINUX_CLFS_H

#include <linux/types.h>
#include <linux/ioctl.h>
#include <linux/clfs_lsn.h>
#include <linux/clfs_format.h>

#define CLFS_VERSION_MAJOR	0
#define CLFS_VERSION_MINOR	1
#define CLFS_VERSION_PATCH	0

/* The name of the misc device: /dev/clfs. */
#define CLFS_DEVICE_NAME	"clfs"

/* ioctl type byte; 0xC1 is unassigned in ioctl-number.rst. */
#define CLFS_IOC_MAGIC		0xC1

/**
 * struct clfs_version - CLFS_IOC_VERSION result
 * @size: in: sizeof(struct clfs_version) as the caller knows it
 * @major: out: CLFS_VERSION_MAJOR of the loaded module
 * @minor: out: CLFS_VERSION_MINOR of the loaded module
 * @patch: out: CLFS_VERSION_PATCH of the loaded module
 */
struct clfs_version {
	__u32 size;
	__u32 major;
	__u32 minor;
	__u32 patch;
};

/* Report the loaded module's version.  Errors: EFAULT, EINVAL (size). */
#define CLFS_IOC_VERSION	_IOWR(CLFS_IOC_MAGIC, 0x00, struct clfs_version)

/* clfs_append() flags (ClfsReserveAndAppendLog's CLFS_FLAG_*). */
#define CLFS_FLAG_FORCE_APPEND	0x1	/* seal the current block now */
#define CLFS_FLAG_FORCE_FLUSH	0x2	/* seal, and return once durable */
#define CLFS_FLAG_USE_RESERVATION 0x4	/* consume a reservation */
#define CLFS_FLAG_ALL		(CLFS_FLAG_FORCE_APPEND | CLFS_FLAG_FORCE_FLUSH | \
				 CLFS_FLAG_USE_RESERVATION)

/* Read modes (CLFS_CONTEXT_MODE). */
#define CLFS_READ_FORWARD	1	/* record after record, in LSN order */
#define CLFS_READ_PREVIOUS	2	/* along the records' previous LSNs */
#define CLFS_READ_UNDO_NEXT	3	/* along the records' undo-next LSNs */

/* Record type filters for reads: a set of CLFS_RECORD_* bits. */
#define CLFS_TYPE_DATA		0x2U	/* 1 << CLFS_RECORD_DATA */
#define CLFS_TYPE_RESTART	0x4U	/* 1 << CLFS_RECORD_RESTART */
#define CLFS_TYPE_ANY		(CLFS_TYPE_DATA | CLFS_TYPE_RESTART)

/* struct clfs_log_info.flags */
#define CLFS_INFO_SHUTDOWN	0x1	/* a device error stopped all writes */

/**
 * struct clfs_log_info - ClfsQueryLogFileInformation's answer
 * @size: sizeof(struct clfs_log_info) as the caller knows it
 * @flags: CLFS_INFO_*
 * @uuid: the log's identity
 * @io_unit: bytes of the log's smallest write
 * @block_size: largest log block
 * @n_containers: containers in the log
 * @n_writable: containers at or after the current write position
 * @container_size: bytes per container
 * @generation: generation of the current metadata copy
 * @seq_floor: every block written in this session has a larger sequence
 * @base_lsn: the log's base LSN (CLFS_LSN_NULL: none set)
 * @first_lsn: the oldest readable record, or CLFS_LSN_INVALID when none
 * @last_lsn: the newest appended record, or CLFS_LSN_INVALID
 * @flushed_lsn: every record up to it is durable, or CLFS_LSN_INVALID
 * @appends: records appended since open
 * @append_bytes: their client bytes
 * @blocks_written: log blocks written
 * @flushes: flush requests that needed the device (flush calls and
 *	FORCE_FLUSH appends)
 * @flush_writes: device writes issued to make flushes durable (FUA block
 *	writes and cache flushes); with group commit fewer than @flushes
 * @cache_flushes: empty cache-flush requests among @flush_writes
 * @meta_writes: metadata copies written
 * @reads: records returned by reads
 * @archive_tail: the archive tail, or CLFS_LSN_INVALID when none is set
 * @restart_lsn: the newest restart area, or CLFS_LSN_INVALID
 * @total_bytes: bytes of all containers that can hold blocks
 * @free_bytes: of those, the bytes not written in this lap of the log
 *	(recycled containers count as free)
 * @reserved_bytes: bytes held by reservations (rounded sizes)
 * @reserved_records: records the reservations are for
 * @block_bytes: bytes of log blocks written
 * @meta_bytes: bytes of metadata written (@meta_writes copies)
 * @dev_writes: write requests sent to the devices: log blocks, metadata
 *	copies and container headers (cache flushes are @cache_flushes)
 */
struct clfs_log_info {
	__u32 size;
	__u32 flags;
	__u8 uuid[16];
	__u32 io_unit;
	__u32 block_size;
	__u32 n_containers;
	__u32 n_writable;
	__u64 container_size;
	__u64 generation;
	__u64 seq_floor;
	__u64 base_lsn;
	__u64 first_lsn;
	__u64 last_lsn;
	__u64 flushed_lsn;
	__u64 appends;
	__u64 append_bytes;
	__u64 blocks_written;
	__u64 flushes;
	__u64 flush_writes;
	__u64 cache_flushes;
	__u64 meta_writes;
	__u64 reads;
	__u64 archive_tail;
	__u64 restart_lsn;
	__u64 total_bytes;
	__u64 free_bytes;
	__u64 reserved_bytes;
	__u64 reserved_records;
	__u64 block_bytes;
	__u64 meta_bytes;
	__u64 dev_writes;
};

#endif /* _UAPI_LINUX_CLFS_H */

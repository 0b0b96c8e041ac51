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
#define CLFS_VERSION_MINOR	6
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

/* Append, write-restart and flush flags (ClfsReserveAndAppendLog's). */
#define CLFS_FLAG_FORCE_APPEND	0x1	/* seal the current block now */
#define CLFS_FLAG_FORCE_FLUSH	0x2	/* seal, and return once durable */
#define CLFS_FLAG_USE_RESERVATION 0x4	/* consume a reservation */
#define CLFS_FLAG_ALL		(CLFS_FLAG_FORCE_APPEND | CLFS_FLAG_FORCE_FLUSH | \
				 CLFS_FLAG_USE_RESERVATION)

/*
 * Read modes: CLFS_CONTEXT_MODE's values (ABI 0.2).  UNDO_NEXT and
 * PREVIOUS follow the records' undo-next and previous LSNs; FORWARD reads
 * record after record in LSN order.
 */
#define CLFS_READ_UNDO_NEXT	1	/* ClfsContextUndoNext */
#define CLFS_READ_PREVIOUS	2	/* ClfsContextPrevious */
#define CLFS_READ_FORWARD	3	/* ClfsContextForward */

/*
 * Record type filters for reads: CLFS_RECORD_TYPE's values (ABI 0.2), a
 * set of bits, bit (CLFS_RECORD_x - 1) for each record type.
 */
#define CLFS_TYPE_DATA		0x1U	/* ClfsDataRecord */
#define CLFS_TYPE_RESTART	0x2U	/* ClfsRestartRecord */
/* ClfsClientRecord: both */
#define CLFS_TYPE_ANY		(CLFS_TYPE_DATA | CLFS_TYPE_RESTART)
/* The filter bit of record type @rtype, CLFS_RECORD_DATA or _RESTART. */
#define CLFS_TYPE_OF(rtype)	(1U << ((rtype) - 1))

/* struct clfs_log_info.flags */
#define CLFS_INFO_SHUTDOWN	0x1	/* a device error stopped all writes */
#define CLFS_INFO_MULTIPLEXED	0x2	/* a log of named streams */

/*
 * struct clfs_create_log.flags (and struct clfs_create_params.flags): a
 * multiplexed log, of named streams (ClfsCreateLogFile's "log:NAME::"
 * form); the kind is fixed at creation.
 */
#define CLFS_CREATE_MULTIPLEXED	0x1

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
 * @flushed_lsn: every record up to it is durable, or CLFS_LSN_INVALID;
 *	on a stream's handle at most the stream's last LSN
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
 * @reserved_bytes: bytes held by reservations (rounded sizes), of all
 *	the log's marshalling areas
 * @reserved_records: records those reservations are for
 * @block_bytes: bytes of log blocks written
 * @meta_bytes: bytes of metadata written (@meta_writes copies)
 * @dev_writes: write requests sent to the devices: log blocks, metadata
 *	copies and container headers (cache flushes are @cache_flushes)
 * @stream_id: the stream the handle is on: 0 for a dedicated log's and
 *	for a multiplexed log's own handle, else the stream's id; the tails
 *	and @first_lsn, @last_lsn, @restart_lsn are then the stream's
 * @n_streams: streams of a multiplexed log (0 for a dedicated one)
 * @pin_stream: the id of the stream whose start is the log's start,
 *	which recycling may not pass (the one to move when the log is
 *	full); 0 when none (a dedicated log, or no stream)
 * @reserved: zero
 *
 * The kind of the log is in @flags: CLFS_INFO_MULTIPLEXED.
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
	__u32 stream_id;
	__u32 n_streams;
	__u32 pin_stream;
	__u32 reserved;
};

/*
 * The ioctls.  Objects are file descriptors:
 *
 *   /dev/clfs              VERSION, CREATE_LOG, OPEN_LOG
 *   log fd                 QUERY_INFO, GET_IO_STATS, SCAN_CONTAINERS,
 *                          READ_RESTART, READ_RECORD, STREAM_LIST,
 *                          OPEN_STREAM; and, on a handle that may write:
 *                          ADD_CONTAINERS, REMOVE_CONTAINER,
 *                          CREATE_MARSHAL, SET_ARCHIVE_TAIL,
 *                          STREAM_CREATE, STREAM_DELETE (EBADF on a
 *                          read-only one)
 *   stream fd              the log fd's ioctls, for one stream of a
 *                          multiplexed log (OPEN_STREAM)
 *   marshalling area fd    RESERVE_AND_APPEND, APPEND_BATCH, ALIGN_RESERVED,
 *                          ALLOC_RESERVED, FREE_RESERVED, FLUSH_BUFFERS,
 *                          FLUSH_TO_LSN, WRITE_RESTART, READ_RESTART,
 *                          READ_RECORD, ADVANCE_BASE, TRUNCATE
 *   read context fd        READ_NEXT, READ_NEXT_BATCH,
 *                          READ_PREVIOUS_RESTART; poll()
 *
 * A marshalling area fd also takes io_uring commands (struct
 * clfs_uring_cmd): appends and flushes whose wait for durability
 * completes on the ring.
 *
 * The calls that return a descriptor also fail with EMFILE or ENFILE
 * when no descriptor is left.
 *
 * VERSION works on every clfs descriptor; any other ioctl on the wrong
 * kind of descriptor fails with ENOTTY.  Closing a descriptor is the
 * close, delete or terminate call (ClfsCloseLogFileObject,
 * ClfsDeleteMarshallingArea, ClfsTerminateReadLog).  A marshalling area
 * keeps its log open, and a read context its marshalling area, until they
 * are closed themselves.  Every descriptor the module returns has
 * O_CLOEXEC set; it may be passed to other processes (fork, SCM_RIGHTS),
 * which then use the same object.
 *
 * Fields marked "out" are ignored on input, so one struct can be reused
 * call after call.
 *
 * Errors common to every ioctl: EFAULT (a bad pointer), EINVAL (@size
 * below the struct's first version, a non-zero reserved field, an unknown
 * flag), E2BIG (@size above the kernel's struct with non-zero bytes past
 * it), ENOTTY (not an ioctl of this kind of descriptor), EIO (a device
 * error stopped the log's writes).  Each ioctl lists its own below.
 */

/*
 * Argument structs are looked up by type and number; the size bits of the
 * command are not compared, since @size carries the struct's version.
 */
#define CLFS_IOC_NR(cmd)	((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

/* Largest argument struct size the kernel accepts from a caller. */
#define CLFS_ARG_SIZE_MAX	4096

/* Ioctl descriptor fields meaning "none". */
#define CLFS_FD_NONE		(-1)

/**
 * struct clfs_create_log - CLFS_IOC_CREATE_LOG (ClfsCreateLogFile, new log)
 * @size: sizeof(struct clfs_create_log)
 * @flags: 0 (a dedicated log) or CLFS_CREATE_MULTIPLEXED
 * @dev_fd: the base device, a block device the caller opened for writing,
 *	or CLFS_FD_NONE to name it by @path (CAP_SYS_ADMIN only)
 * @block_size: largest log block in bytes: a multiple of the I/O unit in
 *	[CLFS_BLOCK_SIZE_MIN, CLFS_BLOCK_SIZE_MAX]
 * @path: with @dev_fd CLFS_FD_NONE: pointer to the device's NUL-terminated
 *	path; otherwise zero
 * @container_size: bytes per container: a multiple of
 *	CLFS_CONTAINER_ALIGN, at most CLFS_CONTAINER_MAX_SIZE
 * @n_containers: containers carved from the base device now
 * @log_fd: out: the new log's descriptor
 * @reserved: zero
 *
 * Everything on the device is overwritten.  Errors: EBADF (@dev_fd is not
 * open, or not open for writing), ENOTBLK (not a block device), EPERM
 * (@path without CAP_SYS_ADMIN), ENOENT (no such path), EBUSY (the device
 * is in use: mounted, claimed, or holding an open log), ENOSPC (the device
 * is too small), EMFILE, ENOMEM.
 */
struct clfs_create_log {
	__u32 size;
	__u32 flags;
	__s32 dev_fd;
	__u32 block_size;
	__u64 path;
	__u64 container_size;
	__u32 n_containers;
	__s32 log_fd;
	__u64 reserved[2];
};

/* struct clfs_open_log.flags: a read-only handle, whatever the devices. */
#define CLFS_OPEN_READ_ONLY	0x1

/**
 * struct clfs_open_log - CLFS_IOC_OPEN_LOG (ClfsCreateLogFile, existing log)
 * @size: sizeof(struct clfs_open_log)
 * @flags: 0 or CLFS_OPEN_READ_ONLY
 * @dev_fd: the base device, as in struct clfs_create_log, but it may be
 *	open for reading only: the handle is then read-only
 * @n_devices: entries at @devices, at most CLFS_MAX_CONTAINERS
 * @path: as in struct clfs_create_log
 * @devices: pointer to @n_devices __s32 descriptors of the other block
 *	devices that hold containers of the log
 * @log_fd: out: the log's descriptor
 * @reserved: zero
 * @reserved2: zero
 *
 * Opens are shared: when the log is open already (by anyone, also an
 * in-kernel client), the new descriptor is another handle on that same
 * log and nothing is read again; @devices must still name every device
 * holding a container, as for a first open (ENODEV), so that each opener
 * proves its right to every device.  The first open recovers the log before the call
 * returns.  Opening writes nothing; the first marshalling area does.  The
 * last handle's close releases the devices.
 *
 * The handle may write (create marshalling areas, add and remove
 * containers, set the archive tail) only when @dev_fd and every
 * descriptor at @devices are open for writing (or @path is used) and
 * CLFS_OPEN_READ_ONLY is not set.  Otherwise it is read-only (an
 * O_RDONLY descriptor): it can query, scan containers and read
 * (READ_RECORD, READ_RESTART), and every other call fails with EBADF.
 *
 * A multiplexed log's handle manages its streams (STREAM_CREATE,
 * STREAM_DELETE, STREAM_LIST), queries, and opens them (OPEN_STREAM);
 * its appends, reads and tails are its streams', so those calls on the
 * log's own handle fail with EINVAL.
 *
 * Errors: as CREATE_LOG, and EUCLEAN (no valid metadata, or corrupt
 * on-disk structures; also a log of format v2, which clfsctl upgrade
 * converts), ENODEV (a device holding containers was not
 * given), EINVAL (a device given twice or holding no container of the
 * log; unknown @flags), EBUSY (a device is in use by something else than
 * the open log), EINTR (a signal while another open or close of the same
 * log ran).
 */
struct clfs_open_log {
	__u32 size;
	__u32 flags;
	__s32 dev_fd;
	__u32 n_devices;
	__u64 path;
	__u64 devices;
	__s32 log_fd;
	__u32 reserved;
	__u64 reserved2[2];
};

/**
 * struct clfs_io_stats - CLFS_IOC_GET_IO_STATS (ClfsGetIoStatistics)
 * @size: sizeof(struct clfs_io_stats)
 * @reserved: zero
 * @appends: records appended
 * @append_bytes: their client bytes
 * @blocks_written: log blocks written
 * @block_bytes: bytes of log blocks written
 * @flushes: flush requests that needed the device
 * @flush_writes: device writes issued to make flushes durable
 * @cache_flushes: empty cache-flush requests among @flush_writes
 * @meta_writes: metadata copies written
 * @meta_bytes: bytes of metadata written
 * @dev_writes: write requests sent to the devices
 * @reads: records returned by reads
 *
 * The counters mean what the same fields of struct clfs_log_info
 * mean: counts since the log was opened.
 */
struct clfs_io_stats {
	__u32 size;
	__u32 reserved;
	__u64 appends;
	__u64 append_bytes;
	__u64 blocks_written;
	__u64 block_bytes;
	__u64 flushes;
	__u64 flush_writes;
	__u64 cache_flushes;
	__u64 meta_writes;
	__u64 meta_bytes;
	__u64 dev_writes;
	__u64 reads;
};

/* struct clfs_container_add.offset: the first free aligned region. */
#define CLFS_OFFSET_ANY		(~0ULL)

/**
 * struct clfs_container_add - one container of CLFS_IOC_ADD_CONTAINERS
 * @dev_fd: block device opened for writing, or CLFS_FD_NONE for the log's
 *	base device
 * @reserved: zero
 * @offset: byte offset on the device, or CLFS_OFFSET_ANY
 */
struct clfs_container_add {
	__s32 dev_fd;
	__u32 reserved;
	__u64 offset;
};

/**
 * struct clfs_add_containers - CLFS_IOC_ADD_CONTAINERS
 *	(ClfsAddLogContainer, ClfsAddLogContainerSet)
 * @size: sizeof(struct clfs_add_containers)
 * @count: entries at @specs and @ids, 1..CLFS_MAX_CONTAINERS
 * @specs: pointer to @count struct clfs_container_add
 * @ids: pointer to @count __u32 that receive the physical ids, or zero
 * @reserved: zero
 *
 * All or none are added.  Errors: EBADF, ENOTBLK (a descriptor), EINVAL
 * (misaligned or overlapping offset), ENOSPC (device too small or table
 * full), EBUSY (device in use elsewhere).
 */
struct clfs_add_containers {
	__u32 size;
	__u32 count;
	__u64 specs;
	__u64 ids;
	__u64 reserved;
};

/**
 * struct clfs_remove_container - CLFS_IOC_REMOVE_CONTAINER
 *	(ClfsRemoveLogContainer)
 * @size: sizeof(struct clfs_remove_container)
 * @physical_id: the container
 * @flags: zero
 * @reserved: zero
 *
 * Errors: ENOENT (no such container), EBUSY (it holds active records or
 * space reserved for records, or reservations are held and the log would
 * keep fewer than CLFS_MIN_CONTAINERS_TO_WRITE containers).
 */
struct clfs_remove_container {
	__u32 size;
	__u32 physical_id;
	__u32 flags;
	__u32 reserved;
};

/**
 * struct clfs_container_entry - one container in CLFS_IOC_SCAN_CONTAINERS
 * @physical_id: its physical id
 * @logical_id: its logical id (the container field of its LSNs)
 * @state: CLFS_CONT_ACTIVE
 * @dev_major: major number of the device it lives on
 * @dev_minor: minor number of that device
 * @reserved: zero
 * @offset: its byte offset on the device
 * @bytes: its size
 * @dev_uuid: the clfs uuid of its device (zero: the base device)
 */
struct clfs_container_entry {
	__u32 physical_id;
	__u32 logical_id;
	__u32 state;
	__u32 dev_major;
	__u32 dev_minor;
	__u32 reserved;
	__u64 offset;
	__u64 bytes;
	__u8 dev_uuid[16];
};

/**
 * struct clfs_scan_containers - CLFS_IOC_SCAN_CONTAINERS
 *	(ClfsScanLogContainers)
 * @size: sizeof(struct clfs_scan_containers)
 * @start: index of the first container to return (table order)
 * @count: entries the buffer at @entries holds, at most
 *	CLFS_MAX_CONTAINERS
 * @entry_size: sizeof(struct clfs_container_entry)
 * @entries: pointer to the buffer
 * @returned: out: entries written
 * @total: out: containers in the log
 *
 * A scan continues with @start += @returned until @start reaches @total.
 * Errors: EINVAL (@entry_size, @start past @total).
 */
struct clfs_scan_containers {
	__u32 size;
	__u32 start;
	__u32 count;
	__u32 entry_size;
	__u64 entries;
	__u32 returned;
	__u32 total;
};

/**
 * struct clfs_create_marshal - CLFS_IOC_CREATE_MARSHAL
 *	(ClfsCreateMarshallingArea)
 * @size: sizeof(struct clfs_create_marshal)
 * @flags: zero
 * @buffer_size: bytes per write buffer (a multiple of the I/O unit, at
 *	least 4 KiB and at most the log's block size), 0 for the log's
 *	block size
 * @max_buffers: write buffers, 1..CLFS_MAX_IN_FLIGHT
 * @ma_fd: out: the marshalling area's descriptor
 * @reserved: zero
 *
 * A log has up to CLFS_MAX_AREAS marshalling areas, each with its own
 * buffers and reservations, all appending at once: records of every area
 * share the log's blocks and LSN order, and a flush through any area
 * makes every record up to its LSN durable, whichever area appended it.
 * Errors: EMFILE (the log has CLFS_MAX_AREAS areas), ENOSPC (the area's
 * larger buffers would no longer leave room for the reservations the
 * log's areas hold), EINVAL (sizes).
 */
struct clfs_create_marshal {
	__u32 size;
	__u32 flags;
	__u32 buffer_size;
	__u32 max_buffers;
	__s32 ma_fd;
	__u32 reserved;
};

/* Gather-list entries one append takes at most. */
#define CLFS_MAX_IOV		1024U

/**
 * struct clfs_iovec - one piece of a record
 * @base: pointer to the bytes
 * @len: their number
 */
struct clfs_iovec {
	__u64 base;
	__u64 len;
};

/**
 * struct clfs_append - CLFS_IOC_RESERVE_AND_APPEND (ClfsReserveAndAppendLog)
 * @size: sizeof(struct clfs_append)
 * @flags: CLFS_FLAG_*
 * @iov: pointer to @n_iov struct clfs_iovec: the record's bytes
 * @n_iov: entries at @iov, at most CLFS_MAX_IOV; 0 appends no record
 *	(reserve or release only)
 * @n_rsv: entries at @rsv, at most CLFS_MAX_RESERVATIONS
 * @rsv: pointer to @n_rsv __s64: in, a record size to reserve room for
 *	(positive) or whose reservation to release (negative); out, the
 *	size the reservation holds, same sign
 * @undo_next: the record's undo-next LSN, or CLFS_LSN_INVALID
 * @previous: the record's previous LSN, or CLFS_LSN_INVALID
 * @lsn: out: the record's LSN; CLFS_LSN_INVALID without a record, or
 *	when none was appended
 * @reserved: zero
 *
 * All or nothing.  Errors: EMSGSIZE (record or reservation larger than a
 * write buffer carries), ENOSPC (log full), ENOENT (no such reservation;
 * or, with FORCE_FLUSH, a truncation that ran meanwhile removed the
 * record again), EIO, EINVAL (a zero size, USE_RESERVATION without a
 * record, @n_iov or @n_rsv above its maximum).  With FORCE_FLUSH the
 * record is appended, then flushed: when the flush fails (EIO, ENOENT),
 * @lsn and @rsv are written as on success, so a valid @lsn says the
 * record and the reservation changes had taken effect.
 */
struct clfs_append {
	__u32 size;
	__u32 flags;
	__u64 iov;
	__u32 n_iov;
	__u32 n_rsv;
	__u64 rsv;
	__u64 undo_next;
	__u64 previous;
	__u64 lsn;
	__u64 reserved;
};

/* Records one CLFS_IOC_APPEND_BATCH (clfs_append_batch()) takes at most. */
#define CLFS_MAX_BATCH		1024U
/* Bytes of record data one CLFS_IOC_APPEND_BATCH takes at most. */
#define CLFS_BATCH_BYTES_MAX	(4U << 20)

/**
 * struct clfs_batch_record - one record of CLFS_IOC_APPEND_BATCH (and
 *	of CLFS_IOC_READ_NEXT_BATCH, which fills every field)
 * @data: pointer to the record's bytes (may be zero when @len is 0)
 * @len: their number, at most what a write buffer carries
 * @type: CLFS_RECORD_DATA or CLFS_RECORD_RESTART
 * @undo_next: the record's undo-next LSN, or CLFS_LSN_INVALID
 * @previous: the record's previous LSN, or CLFS_LSN_INVALID
 * @lsn: out: the record's LSN, or CLFS_LSN_INVALID if it was not appended
 */
struct clfs_batch_record {
	__u64 data;
	__u32 len;
	__u32 type;
	__u64 undo_next;
	__u64 previous;
	__u64 lsn;
};

/**
 * struct clfs_append_batch - CLFS_IOC_APPEND_BATCH: many records, one call
 * @size: sizeof(struct clfs_append_batch)
 * @flags: 0, CLFS_FLAG_FORCE_APPEND, CLFS_FLAG_FORCE_FLUSH: for the last
 *	record appended, so for all of them
 * @records: pointer to @count struct clfs_batch_record
 * @count: 1..CLFS_MAX_BATCH
 * @done: out: how many records were appended, always the first ones
 * @reserved: zero
 *
 * The records get strictly increasing LSNs in order, with no other
 * record between them.  When one cannot be appended (ENOSPC, EIO, a
 * fatal signal), those before it stay appended and the call succeeds with
 * @done < @count; a call with the rest says why.  If copying the LSNs
 * back fails, the call fails with EFAULT although records were appended.
 * Errors (nothing appended): EINVAL (a bad type, @count or flag),
 * EMSGSIZE (a record larger than a write buffer carries, or more than
 * CLFS_BATCH_BYTES_MAX bytes in all), EFAULT, ENOSPC, EIO; with
 * FORCE_FLUSH also EIO or ENOENT after appending, as for
 * CLFS_IOC_RESERVE_AND_APPEND, with @done and the LSNs written back.
 */
struct clfs_append_batch {
	__u32 size;
	__u32 flags;
	__u64 records;
	__u32 count;
	__u32 done;
	__u64 reserved;
};

/* Marshalling areas one log has at most at a time. */
#define CLFS_MAX_AREAS		64U

/* Record sizes one ALIGN/ALLOC/FREE_RESERVED call takes at most. */
#define CLFS_MAX_RESERVATIONS	1024U

/**
 * struct clfs_reserved - CLFS_IOC_ALIGN_RESERVED (ClfsAlignReservedLog),
 *	CLFS_IOC_ALLOC_RESERVED (ClfsAllocReservedLog) and
 *	CLFS_IOC_FREE_RESERVED (ClfsFreeReservedLog)
 * @size: sizeof(struct clfs_reserved)
 * @count: entries at @sizes (and @aligned), 1..CLFS_MAX_RESERVATIONS
 * @sizes: pointer to @count __u32 record sizes
 * @aligned: ALIGN: pointer to @count __u32 that receive the size each
 *	reservation holds, or zero; ALLOC and FREE: zero
 * @bytes: ALIGN: out, the total of the aligned sizes; ALLOC and FREE: in,
 *	that total, as ALIGN returned it
 *
 * Errors: EINVAL (a zero size, @bytes not the aligned total), EMSGSIZE
 * (a size larger than a write buffer carries), ENOSPC (ALLOC: no room),
 * ENOENT (FREE: no such reservation).
 */
struct clfs_reserved {
	__u32 size;
	__u32 count;
	__u64 sizes;
	__u64 aligned;
	__u64 bytes;
};

/**
 * struct clfs_flush - CLFS_IOC_FLUSH_BUFFERS (ClfsFlushBuffers) and
 *	CLFS_IOC_FLUSH_TO_LSN (ClfsFlushToLsn)
 * @size: sizeof(struct clfs_flush)
 * @flags: zero
 * @lsn: FLUSH_TO_LSN: flush every record up to this one; FLUSH_BUFFERS:
 *	ignored
 * @flushed: out: every record up to this LSN is durable
 *	(CLFS_LSN_INVALID: the log has no records)
 *
 * Errors: ENOENT (FLUSH_TO_LSN: no such record, or it was truncated).
 */
struct clfs_flush {
	__u32 size;
	__u32 flags;
	__u64 lsn;
	__u64 flushed;
};

/**
 * struct clfs_write_restart - CLFS_IOC_WRITE_RESTART (ClfsWriteRestartArea)
 * @size: sizeof(struct clfs_write_restart)
 * @flags: 0 or CLFS_FLAG_USE_RESERVATION
 * @data: pointer to the restart area's bytes
 * @length: their number, 1..CLFS_BLOCK_SIZE_MAX
 * @written: out: bytes made durable by the call (log blocks and metadata)
 * @new_base: the log's new base LSN, or CLFS_LSN_INVALID to keep it
 * @lsn: out: the restart area's LSN
 * @reserved: zero
 *
 * Errors: EINVAL (@new_base is not a record in [base, last]), ENOSPC,
 * ENOENT (USE_RESERVATION without a fitting reservation), EMSGSIZE.
 */
struct clfs_write_restart {
	__u32 size;
	__u32 flags;
	__u64 data;
	__u32 length;
	__u32 written;
	__u64 new_base;
	__u64 lsn;
	__u64 reserved;
};

/*
 * struct clfs_read.flags, READ_NEXT only.  CLFS_READ_AT: read the record
 * at @start.  CLFS_READ_DURABLE (forward contexts): return only a durable
 * record; EAGAIN if the next one is not durable yet.  CLFS_READ_WAIT
 * (with CLFS_READ_DURABLE): wait for it, interruptibly (EINTR), at most
 * @timeout_ns nanoseconds if that is not 0 (ETIMEDOUT).
 */
#define CLFS_READ_AT		0x1
#define CLFS_READ_DURABLE	0x2
#define CLFS_READ_WAIT		0x4
#define CLFS_READ_FOLLOW	(CLFS_READ_DURABLE | CLFS_READ_WAIT)
#define CLFS_READ_NEXT_FLAGS	(CLFS_READ_AT | CLFS_READ_FOLLOW)

/**
 * struct clfs_read - CLFS_IOC_READ_RECORD (ClfsReadLogRecord),
 *	CLFS_IOC_READ_NEXT (ClfsReadNextLogRecord), CLFS_IOC_READ_RESTART
 *	(ClfsReadRestartArea) and CLFS_IOC_READ_PREVIOUS_RESTART
 *	(ClfsReadPreviousRestartArea)
 * @size: sizeof(struct clfs_read)
 * @flags: READ_NEXT: 0, CLFS_READ_AT, or CLFS_READ_DURABLE with or
 *	without CLFS_READ_WAIT; otherwise zero
 * @start: READ_RECORD: the LSN to read; READ_NEXT with CLFS_READ_AT: the
 *	record to read instead of the next one, strictly below the last one
 *	the context returned (ReadNextLogRecord's plsnUser); the context
 *	goes on from it; otherwise ignored
 * @mode: READ_RECORD: CLFS_READ_*; otherwise ignored
 * @type_mask: READ_RECORD: CLFS_TYPE_* records to return; otherwise
 *	ignored
 * @buf: pointer to the buffer that receives the record's bytes
 * @buf_len: bytes at @buf
 * @length: out: the record's length
 * @lsn: out: the record's LSN
 * @undo_next: out: its undo-next LSN (CLFS_LSN_INVALID: none)
 * @previous: out: its previous LSN (CLFS_LSN_INVALID: none)
 * @type: out: CLFS_RECORD_DATA or CLFS_RECORD_RESTART
 * @ctx_fd: out: READ_RECORD and READ_RESTART: the new read context's
 *	descriptor; otherwise CLFS_FD_NONE
 * @timeout_ns: READ_NEXT with CLFS_READ_WAIT: the longest wait in
 *	nanoseconds, 0 for no limit; otherwise zero
 *
 * READ_RECORD and READ_RESTART work on a log descriptor (also a read-only
 * one) and on a marshalling area's; the context holds the descriptor it
 * was opened on.  poll() on a context's descriptor reports POLLIN when a
 * durable record lies past the last one it returned (its type filter, or
 * its stream in a multiplexed log, may still skip it), and POLLERR when
 * the log has shut down.
 *
 * A record longer than @buf_len fails with ERANGE and @length set; READ_
 * RECORD and READ_RESTART then create no context, and a context returns
 * the same record again on its next READ_NEXT or READ_PREVIOUS_RESTART.
 * Errors: ENOENT (no such record, outside the active log, or the chain is
 * exhausted; READ_NEXT with CLFS_READ_AT: also a record of a type the
 * context skips), ENODATA (READ_RESTART: the log has no restart area),
 * EINVAL (READ_PREVIOUS_RESTART on a context not opened by READ_RESTART;
 * CLFS_READ_AT with @start not below the context's last record),
 * EUCLEAN, EINTR (a signal while waiting for another call on the same
 * context: calls on one context are serialised; or while waiting for a
 * durable record), EAGAIN (CLFS_READ_DURABLE without CLFS_READ_WAIT: the
 * next record is not durable yet), ETIMEDOUT (CLFS_READ_WAIT: none came
 * within @timeout_ns), EIO (CLFS_READ_DURABLE: the log shut down and
 * nothing further is durable), EINVAL (CLFS_READ_DURABLE on a context not
 * in forward mode, or with CLFS_READ_AT; @timeout_ns without
 * CLFS_READ_WAIT).
 */
struct clfs_read {
	__u32 size;
	__u32 flags;
	__u64 start;
	__u32 mode;
	__u32 type_mask;
	__u64 buf;
	__u32 buf_len;
	__u32 length;
	__u64 lsn;
	__u64 undo_next;
	__u64 previous;
	__u32 type;
	__s32 ctx_fd;
	__u64 timeout_ns;
};

/**
 * struct clfs_lsn_arg - CLFS_IOC_ADVANCE_BASE (ClfsAdvanceLogBase),
 *	CLFS_IOC_SET_ARCHIVE_TAIL (ClfsSetArchiveTail) and CLFS_IOC_TRUNCATE
 *	(TruncateLog)
 * @size: sizeof(struct clfs_lsn_arg)
 * @flags: zero
 * @lsn: the new base, archive tail or last record
 *
 * SET_ARCHIVE_TAIL goes to the log's descriptor, but like every tail
 * move it first makes the records up to the new tail durable through the
 * log's marshalling area, which must exist; the archive tail, once set,
 * can move but not be cleared.
 *
 * Errors: EINVAL (not a record in the allowed range: [base, last] for
 * ADVANCE_BASE and TRUNCATE, [start of the active log, last] for
 * SET_ARCHIVE_TAIL; SET_ARCHIVE_TAIL on a log without a marshalling
 * area), EBUSY (TRUNCATE: read contexts are open), EUCLEAN (TRUNCATE: a
 * corrupt record, or a restart chain on disk that loops or points
 * forward), EINTR (TRUNCATE: a fatal signal while it walked the restart
 * chain; nothing changed).
 */
struct clfs_lsn_arg {
	__u32 size;
	__u32 flags;
	__u64 lsn;
};

/**
 * struct clfs_stream_arg - CLFS_IOC_STREAM_CREATE, CLFS_IOC_STREAM_DELETE
 *	and CLFS_IOC_OPEN_STREAM on a multiplexed log's handle
 * @size: sizeof(struct clfs_stream_arg)
 * @flags: OPEN_STREAM: 0 or CLFS_OPEN_READ_ONLY; otherwise zero
 * @name: the stream's name: 1..31 bytes of [A-Za-z0-9._-], then NUL
 *	bytes to the end
 * @id: out: the stream's id (STREAM_CREATE, OPEN_STREAM)
 * @stream_fd: out: OPEN_STREAM: the stream's descriptor
 * @reserved: zero
 *
 * STREAM_CREATE makes a stream whose first record is the next appended
 * to it; STREAM_DELETE removes one (its records are never read again).
 * Both are durable when they return, and need a handle that may write.
 * OPEN_STREAM gives a stream handle: a descriptor with the ioctls of a
 * dedicated log's handle (QUERY_INFO, CREATE_MARSHAL, READ_RECORD,
 * READ_RESTART, SET_ARCHIVE_TAIL ...) applied to the stream, read-only
 * when the log handle is or CLFS_OPEN_READ_ONLY is set; it keeps the log
 * open.  Errors: EINVAL (a bad name, unknown flags), EOPNOTSUPP (a
 * dedicated log), EEXIST (STREAM_CREATE: the name is taken), ENOSPC
 * (STREAM_CREATE: CLFS_MAX_STREAMS streams), ENOENT (no such stream),
 * EBUSY (STREAM_DELETE: the stream is open), EBADF (a read-only handle).
 */
struct clfs_stream_arg {
	__u32 size;
	__u32 flags;
	char name[32];
	__u32 id;
	__s32 stream_fd;
	__u64 reserved;
};

/**
 * struct clfs_stream_entry - one stream of CLFS_IOC_STREAM_LIST
 * @id: its id
 * @users: its opens, marshalling areas and read contexts
 * @name: its name, NUL-padded
 * @base_lsn: its base LSN (CLFS_LSN_NULL: none set)
 * @archive_tail: its archive tail, or CLFS_LSN_INVALID
 * @restart_lsn: its newest restart area, or CLFS_LSN_INVALID
 * @last_lsn: its newest record, or CLFS_LSN_INVALID
 */
struct clfs_stream_entry {
	__u32 id;
	__u32 users;
	char name[32];
	__u64 base_lsn;
	__u64 archive_tail;
	__u64 restart_lsn;
	__u64 last_lsn;
};

/**
 * struct clfs_stream_list - CLFS_IOC_STREAM_LIST
 * @size: sizeof(struct clfs_stream_list)
 * @count: entries the buffer at @entries holds, at most CLFS_MAX_STREAMS
 * @entries: pointer to @count struct clfs_stream_entry
 * @entry_size: sizeof(struct clfs_stream_entry)
 * @total: out: the log's streams (entries written: min(@count, @total)),
 *	in increasing id order
 */
struct clfs_stream_list {
	__u32 size;
	__u32 count;
	__u64 entries;
	__u32 entry_size;
	__u32 total;
};

#define CLFS_IOC_VERSION	_IOWR(CLFS_IOC_MAGIC, 0x00, struct clfs_version)
#define CLFS_IOC_CREATE_LOG	_IOWR(CLFS_IOC_MAGIC, 0x01, struct clfs_create_log)
#define CLFS_IOC_OPEN_LOG	_IOWR(CLFS_IOC_MAGIC, 0x02, struct clfs_open_log)

#define CLFS_IOC_QUERY_INFO	_IOWR(CLFS_IOC_MAGIC, 0x10, struct clfs_log_info)
#define CLFS_IOC_GET_IO_STATS	_IOWR(CLFS_IOC_MAGIC, 0x11, struct clfs_io_stats)
#define CLFS_IOC_ADD_CONTAINERS	_IOW(CLFS_IOC_MAGIC, 0x12, struct clfs_add_containers)
#define CLFS_IOC_REMOVE_CONTAINER _IOW(CLFS_IOC_MAGIC, 0x13, struct clfs_remove_container)
#define CLFS_IOC_SCAN_CONTAINERS _IOWR(CLFS_IOC_MAGIC, 0x14, struct clfs_scan_containers)
#define CLFS_IOC_CREATE_MARSHAL	_IOWR(CLFS_IOC_MAGIC, 0x15, struct clfs_create_marshal)
#define CLFS_IOC_SET_ARCHIVE_TAIL _IOW(CLFS_IOC_MAGIC, 0x16, struct clfs_lsn_arg)
#define CLFS_IOC_STREAM_CREATE	_IOWR(CLFS_IOC_MAGIC, 0x17, struct clfs_stream_arg)
#define CLFS_IOC_STREAM_DELETE	_IOW(CLFS_IOC_MAGIC, 0x18, struct clfs_stream_arg)
#define CLFS_IOC_STREAM_LIST	_IOWR(CLFS_IOC_MAGIC, 0x19, struct clfs_stream_list)
#define CLFS_IOC_OPEN_STREAM	_IOWR(CLFS_IOC_MAGIC, 0x1a, struct clfs_stream_arg)

/**
 * struct clfs_read_batch - CLFS_IOC_READ_NEXT_BATCH: the records a run of
 *	READ_NEXT would return, many in one call
 * @size: sizeof(struct clfs_read_batch)
 * @flags: 0 or CLFS_READ_DURABLE (only durable records)
 * @buf: pointer to the buffer that receives the records' bytes, one
 *	after the other
 * @buf_len: bytes at @buf
 * @count: entries at @records, 1..CLFS_MAX_BATCH
 * @records: pointer to @count struct clfs_batch_record; out, for each
 *	record returned: its LSN, undo-next and previous LSNs, type, length
 *	and @data, where its bytes are in @buf
 * @done: out: records returned; zero in
 * @reserved: zero
 *
 * On a read context's descriptor, in any of its modes.  The call stops
 * at @count records, at the end of the chain, with CLFS_READ_DURABLE at
 * the first record not durable yet, at a record that does not fit in the
 * rest of @buf (kept for the next call, as READ_NEXT keeps one), at an
 * error and at a fatal signal.  With one record or more it returns 0 and
 * @done; the next call (READ_NEXT or READ_NEXT_BATCH) meets what stopped
 * it.  With none it fails as READ_NEXT would: ENOENT, EAGAIN, ERANGE (the
 * first record does not fit in @buf: @records[0] describes it, its length
 * is what @buf needs), EUCLEAN, EIO.  A record kept from an earlier call
 * (ERANGE, EFAULT) comes first, durable or not, as READ_NEXT returns it.
 * The struct itself is written once before anything is read, so one that
 * cannot be written fails with EFAULT having read nothing.
 *
 * Errors: EINVAL (@count 0 or above CLFS_MAX_BATCH, other flags, @done
 * or @reserved set, no @records; CLFS_READ_DURABLE on a context not in
 * forward mode); EFAULT.
 */
struct clfs_read_batch {
	__u32 size;
	__u32 flags;
	__u64 buf;
	__u32 buf_len;
	__u32 count;
	__u64 records;
	__u32 done;
	__u32 reserved;
};

/**
 * struct clfs_uring_cmd - an io_uring command on a marshalling area fd
 * @arg: pointer to the argument struct of the ioctl that the SQE's
 *	cmd_op names
 * @reserved: zero
 *
 * IORING_OP_URING_CMD with the area's descriptor as the SQE's fd, one of
 * CLFS_IOC_RESERVE_AND_APPEND, CLFS_IOC_APPEND_BATCH,
 * CLFS_IOC_FLUSH_BUFFERS, CLFS_IOC_FLUSH_TO_LSN and CLFS_IOC_VERSION as
 * its cmd_op, and this struct as its command bytes (16 bytes: an SQE of
 * 64 bytes holds it).  The command does what the ioctl does, at
 * submission, and its completion's res is what the ioctl returns (0 or a
 * negative errno), except that it never sleeps for durability: a
 * FORCE_FLUSH append or batch and the flushes complete when the records
 * are durable, while the submitter goes on.  An append's outputs (the
 * LSN, the rounded reservations; a batch's done and LSNs) are written
 * before its completion arrives; a flush that has to wait does not write
 * @flushed of struct clfs_flush (with IORING_SETUP_CQE32 the
 * completion's first extra word holds the LSN up to which the whole log
 * is durable).  A record a truncation removes
 * before it is durable completes with ENOENT, as FLUSH_TO_LSN fails.  The
 * argument struct and the record bytes must stay valid until the
 * submission returns.
 *
 * Errors: EOPNOTSUPP (another cmd_op); EINVAL (@reserved set, or
 * IORING_URING_CMD_FIXED); the ioctl's.
 */
struct clfs_uring_cmd {
	__u64 arg;
	__u64 reserved;
};

#define CLFS_IOC_RESERVE_AND_APPEND _IOWR(CLFS_IOC_MAGIC, 0x20, struct clfs_append)
#define CLFS_IOC_ALIGN_RESERVED	_IOWR(CLFS_IOC_MAGIC, 0x21, struct clfs_reserved)
#define CLFS_IOC_ALLOC_RESERVED	_IOW(CLFS_IOC_MAGIC, 0x22, struct clfs_reserved)
#define CLFS_IOC_FREE_RESERVED	_IOW(CLFS_IOC_MAGIC, 0x23, struct clfs_reserved)
#define CLFS_IOC_FLUSH_BUFFERS	_IOWR(CLFS_IOC_MAGIC, 0x24, struct clfs_flush)
#define CLFS_IOC_FLUSH_TO_LSN	_IOWR(CLFS_IOC_MAGIC, 0x25, struct clfs_flush)
#define CLFS_IOC_WRITE_RESTART	_IOWR(CLFS_IOC_MAGIC, 0x26, struct clfs_write_restart)
#define CLFS_IOC_READ_RESTART	_IOWR(CLFS_IOC_MAGIC, 0x27, struct clfs_read)
#define CLFS_IOC_READ_RECORD	_IOWR(CLFS_IOC_MAGIC, 0x28, struct clfs_read)
#define CLFS_IOC_ADVANCE_BASE	_IOW(CLFS_IOC_MAGIC, 0x29, struct clfs_lsn_arg)
#define CLFS_IOC_TRUNCATE	_IOW(CLFS_IOC_MAGIC, 0x2a, struct clfs_lsn_arg)
#define CLFS_IOC_APPEND_BATCH	_IOWR(CLFS_IOC_MAGIC, 0x2b, struct clfs_append_batch)

#define CLFS_IOC_READ_NEXT	_IOWR(CLFS_IOC_MAGIC, 0x30, struct clfs_read)
#define CLFS_IOC_READ_PREVIOUS_RESTART _IOWR(CLFS_IOC_MAGIC, 0x31, struct clfs_read)
#define CLFS_IOC_READ_NEXT_BATCH _IOWR(CLFS_IOC_MAGIC, 0x32, struct clfs_read_batch)

#endif /* _UAPI_LINUX_CLFS_H */

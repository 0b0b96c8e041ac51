/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libclfs: the user-space interface to clfs, the Common Log File System for
 * Linux.
 *
 * Each call maps to one ioctl of include/uapi/linux/clfs.h (or, for the calls that
 * end an object, to close(2)) and returns 0, a new descriptor, or a
 * negative errno: the errno the kernel returned, so callers never consult
 * errno (which the library leaves as it found it).  The library fills in
 * the @size field of every argument struct and zeroes the reserved ones.
 *
 * Objects are descriptors: /dev/clfs gives log descriptors, a log gives
 * its marshalling area, a marshalling area gives read contexts.  An object
 * keeps its parent open until it is closed itself; every descriptor has
 * O_CLOEXEC set.
 *
 * Output pointers documented as "may be NULL" are optional; every other
 * pointer the library itself writes through must be valid (a NULL one
 * gives -EINVAL before any ioctl).  Pointers the kernel reads or writes
 * (buffers, arrays) are checked by the kernel: -EFAULT.
 *
 * Errors common to every ioctl call: -EFAULT, -EINVAL, -E2BIG (the module
 * is older than this library and the call needs a field it does not
 * know), -ENOTTY (wrong kind of descriptor), -EIO (a device error stopped
 * the log's writes), -EBADF (not a descriptor).
 */
#ifndef LIBCLFS_H
#define LIBCLFS_H

#include <stdint.h>
#include <sys/uio.h>
#include <linux/clfs.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CLFS_CONTROL_PATH "/dev/" CLFS_DEVICE_NAME

/**
 * struct clfs_record_info - what a read returns about one record
 * @lsn: the record's LSN
 * @undo_next: its undo-next LSN (CLFS_LSN_INVALID: none)
 * @previous: its previous LSN (CLFS_LSN_INVALID: none)
 * @type: CLFS_RECORD_DATA or CLFS_RECORD_RESTART
 * @length: bytes of client data; set also when a read fails with -ERANGE
 */
struct clfs_record_info {
	uint64_t lsn;
	uint64_t undo_next;
	uint64_t previous;
	uint32_t type;
	uint32_t length;
};

/**
 * clfs_open_control() - open /dev/clfs
 *
 * Return: a descriptor (O_RDWR, O_CLOEXEC); -ENOENT when the module is not
 * loaded; another negative errno of open(2).
 */
int clfs_open_control(void);

/**
 * clfs_close() - close any descriptor returned by libclfs
 * @fd: the descriptor; negative values are ignored
 */
void clfs_close(int fd);

/**
 * clfs_get_version() - the loaded module's version (CLFS_IOC_VERSION)
 * @fd: any clfs descriptor
 * @v: receives the version
 *
 * Return: 0 or a negative errno.
 */
int clfs_get_version(int fd, struct clfs_version *v);

/**
 * clfs_create_log_file() - create a new log (CLFS_IOC_CREATE_LOG)
 * @ctl: /dev/clfs descriptor
 * @dev_fd: the base block device, opened O_RDWR; or negative to name it
 *	by @path
 * @path: the base device's path, used only when @dev_fd is negative
 *	(needs CAP_SYS_ADMIN)
 * @block_size: largest log block (marshalling buffer) in bytes
 * @container_size: bytes per container, a multiple of CLFS_CONTAINER_ALIGN
 * @n_containers: containers carved from the base device
 *
 * Everything on the device is overwritten.
 *
 * Return: the new log's descriptor, or -EBADF (@dev_fd not open for
 * writing), -ENOTBLK, -EPERM (@path without CAP_SYS_ADMIN), -ENOENT,
 * -EBUSY (device in use), -ENOSPC (device too small), -EINVAL (geometry),
 * -EMFILE, -ENOMEM.
 */
int clfs_create_log_file(int ctl, int dev_fd, const char *path,
			 uint32_t block_size, uint64_t container_size,
			 uint32_t n_containers);

/**
 * clfs_open_log_file() - open and recover an existing log, or share it
 *	(CLFS_IOC_OPEN_LOG)
 * @ctl: /dev/clfs descriptor
 * @dev_fd: the base device as in clfs_create_log_file(); open for
 *	reading only, it gives a read-only handle
 * @path: as in clfs_create_log_file()
 * @dev_fds: descriptors of the other devices holding containers of the
 *	log, in any order; may be NULL when @n_devs is 0
 * @n_devs: entries at @dev_fds, at most CLFS_MAX_CONTAINERS
 *
 * A log already open (by another process, or in the kernel) is shared:
 * the descriptor is another handle on it (@dev_fds are needed all the
 * same: each opener proves its right to every device).
 * A read-only handle (a device descriptor not open for writing) can
 * query, scan and read (clfs_read_log_record() and
 * clfs_read_log_restart_area() take a log descriptor too); every other
 * call on it fails with -EBADF.
 *
 * Return: the log's descriptor, or the errors of clfs_create_log_file()
 * and -EUCLEAN (no valid metadata, corrupt structures), -ENODEV (a device
 * holding containers was not given), -EINVAL (a device given twice or
 * holding no container of the log).
 */
int clfs_open_log_file(int ctl, int dev_fd, const char *path,
		       const int *dev_fds, unsigned int n_devs);

/**
 * clfs_open_log_file_flags() - clfs_open_log_file() with flags
 * @ctl: as clfs_open_log_file()
 * @dev_fd: as clfs_open_log_file()
 * @path: as clfs_open_log_file()
 * @dev_fds: as clfs_open_log_file()
 * @n_devs: as clfs_open_log_file()
 * @flags: 0 or CLFS_OPEN_READ_ONLY (a read-only handle even with
 *	descriptors open for writing, or a path)
 *
 * Return: as clfs_open_log_file().
 */
int clfs_open_log_file_flags(int ctl, int dev_fd, const char *path,
			     const int *dev_fds, unsigned int n_devs,
			     uint32_t flags);

/**
 * clfs_create_log_file_flags() - clfs_create_log_file() with flags
 * @ctl: as clfs_create_log_file()
 * @dev_fd: as clfs_create_log_file()
 * @path: as clfs_create_log_file()
 * @block_size: as clfs_create_log_file()
 * @container_size: as clfs_create_log_file()
 * @n_containers: as clfs_create_log_file()
 * @flags: 0 (a dedicated log) or CLFS_CREATE_MULTIPLEXED (a log of named
 *	streams, fixed at creation)
 *
 * Return: as clfs_create_log_file().
 */
int clfs_create_log_file_flags(int ctl, int dev_fd, const char *path,
			       uint32_t block_size, uint64_t container_size,
			       uint32_t n_containers, uint32_t flags);

/**
 * clfs_create_log_stream() - create a stream (CLFS_IOC_STREAM_CREATE)
 * @log_fd: a multiplexed log's handle, able to write
 * @name: 1..31 bytes of [A-Za-z0-9._-]
 * @id: if not NULL, receives the stream's id
 *
 * Return: 0, or -EINVAL (bad name), -EOPNOTSUPP (a dedicated log),
 * -EEXIST, -ENOSPC (CLFS_MAX_STREAMS streams), -EBADF (read-only), -EIO.
 */
int clfs_create_log_stream(int log_fd, const char *name, uint32_t *id);

/**
 * clfs_delete_log_stream() - delete a stream (CLFS_IOC_STREAM_DELETE)
 * @log_fd: a multiplexed log's handle, able to write
 * @name: the stream
 *
 * Return: 0, or -EINVAL, -EOPNOTSUPP, -ENOENT, -EBUSY (the stream is
 * open somewhere), -EBADF, -EIO.
 */
int clfs_delete_log_stream(int log_fd, const char *name);

/**
 * clfs_list_log_streams() - the streams of a log (CLFS_IOC_STREAM_LIST)
 * @log_fd: any handle of the log
 * @entries: receives up to @count streams, by increasing id
 * @count: room at @entries, at most CLFS_MAX_STREAMS
 * @total: receives the number of streams (0 for a dedicated log)
 *
 * Return: 0 or a negative errno.
 */
int clfs_list_log_streams(int log_fd, struct clfs_stream_entry *entries,
			  uint32_t count, uint32_t *total);

/**
 * clfs_open_log_stream() - open a stream of a multiplexed log
 *	(CLFS_IOC_OPEN_STREAM)
 * @log_fd: a handle of the log
 * @name: the stream
 * @flags: 0 or CLFS_OPEN_READ_ONLY
 *
 * The stream's descriptor takes every call a dedicated log's descriptor
 * takes, for the stream; it keeps the log open, so @log_fd may be closed.
 *
 * Return: the stream's descriptor, or -EINVAL, -EOPNOTSUPP (a dedicated
 * log), -ENOENT, -EMFILE, -ENOMEM.
 */
int clfs_open_log_stream(int log_fd, const char *name, uint32_t flags);

/**
 * clfs_split_log_name() - split a log name "DEVICE" or "DEVICE::STREAM"
 *	(CLFS's "log:NAME::STREAM" naming)
 * @name: the name
 * @dev: receives DEVICE
 * @dev_len: room at @dev
 * @stream: receives STREAM, NUL-padded (all zero without one)
 *
 * Return: 0 (no stream), 1 (a stream), or -EINVAL (an empty or too long
 * part).
 */
int clfs_split_log_name(const char *name, char *dev, size_t dev_len,
			char stream[CLFS_STREAM_NAME_SIZE]);

/**
 * clfs_close_log_file() - close a log (close(2) of its descriptor)
 * @log_fd: the log
 *
 * The log stays open while a marshalling area or read context of it is.
 *
 * Return: 0 or a negative errno of close(2).
 */
int clfs_close_log_file(int log_fd);

/**
 * clfs_query_log_file_information() - describe a log (CLFS_IOC_QUERY_INFO)
 * @log_fd: the log
 * @info: receives every field
 *
 * Return: 0 or a negative errno.
 */
int clfs_query_log_file_information(int log_fd, struct clfs_log_info *info);

/**
 * clfs_get_io_statistics() - the log's I/O counters since it was opened
 *	(CLFS_IOC_GET_IO_STATS)
 * @log_fd: the log
 * @st: receives the counters
 *
 * Return: 0 or a negative errno.
 */
int clfs_get_io_statistics(int log_fd, struct clfs_io_stats *st);

/**
 * clfs_add_log_container() - add one container (CLFS_IOC_ADD_CONTAINERS)
 * @log_fd: the log
 * @dev_fd: block device opened O_RDWR, or negative for the base device
 * @offset: byte offset on the device, or CLFS_OFFSET_ANY
 * @physical_id: receives the new container's physical id; may be NULL
 *
 * Return: 0, or -EBADF, -ENOTBLK (@dev_fd), -EINVAL (misaligned or
 * overlapping @offset), -ENOSPC (device too small or table full), -EBUSY.
 */
int clfs_add_log_container(int log_fd, int dev_fd, uint64_t offset,
			   uint32_t *physical_id);

/**
 * clfs_add_log_container_set() - add several containers, all or none
 *	(CLFS_IOC_ADD_CONTAINERS)
 * @log_fd: the log
 * @specs: @n containers (dev_fd CLFS_FD_NONE: the base device)
 * @n: 1..CLFS_MAX_CONTAINERS
 * @physical_ids: receives @n physical ids; may be NULL
 *
 * Return: as clfs_add_log_container().
 */
int clfs_add_log_container_set(int log_fd,
			       const struct clfs_container_add *specs,
			       unsigned int n, uint32_t *physical_ids);

/**
 * clfs_remove_log_container() - remove a container
 *	(CLFS_IOC_REMOVE_CONTAINER)
 * @log_fd: the log
 * @physical_id: the container
 *
 * Return: 0, or -ENOENT (no such container), -EBUSY (it holds active
 * records or reserved space, or reservations are held and the log would
 * keep fewer than CLFS_MIN_CONTAINERS_TO_WRITE containers).
 */
int clfs_remove_log_container(int log_fd, uint32_t physical_id);

/**
 * clfs_scan_log_containers() - list containers (CLFS_IOC_SCAN_CONTAINERS)
 * @log_fd: the log
 * @start: table index of the first container to return
 * @entries: receives up to @n entries
 * @n: entries @entries holds, at most CLFS_MAX_CONTAINERS
 * @returned: receives the number written; may be NULL
 * @total: receives the number of containers in the log; may be NULL
 *
 * Continue with @start += *@returned until @start reaches *@total.
 *
 * Return: 0, or -EINVAL (@start past the total).
 */
int clfs_scan_log_containers(int log_fd, uint32_t start,
			     struct clfs_container_entry *entries, uint32_t n,
			     uint32_t *returned, uint32_t *total);

/**
 * clfs_create_marshalling_area() - create the log's marshalling area
 *	(CLFS_IOC_CREATE_MARSHAL)
 * @log_fd: the log
 * @buffer_size: bytes per write buffer: a multiple of the I/O unit, at
 *	least 4 KiB, at most the log's block size; 0 for the block size
 * @max_buffers: write buffers, 1..CLFS_MAX_IN_FLIGHT
 *
 * Return: the marshalling area's descriptor, or -EBUSY (the log has one),
 * -EINVAL (sizes), -EMFILE, -ENOMEM.
 */
int clfs_create_marshalling_area(int log_fd, uint32_t buffer_size,
				 uint32_t max_buffers);

/**
 * clfs_delete_marshalling_area() - flush and delete it (close(2))
 * @ma_fd: the marshalling area
 *
 * Return: 0 or a negative errno of close(2).
 */
int clfs_delete_marshalling_area(int ma_fd);

/**
 * clfs_reserve_and_append_log() - append a record and/or change
 *	reservations (CLFS_IOC_RESERVE_AND_APPEND)
 * @ma_fd: the marshalling area
 * @iov: the record's bytes, gathered
 * @n_iov: entries at @iov, at most CLFS_MAX_IOV; 0: no record
 * @undo_next: the record's undo-next LSN, or CLFS_LSN_INVALID
 * @previous: the record's previous LSN, or CLFS_LSN_INVALID
 * @n_rsv: entries at @rsv, at most CLFS_MAX_RESERVATIONS
 * @rsv: in, record sizes to reserve (positive) or release (negative);
 *	out, the sizes the reservations hold, same sign; may be NULL when
 *	@n_rsv is 0
 * @flags: CLFS_FLAG_FORCE_APPEND, CLFS_FLAG_FORCE_FLUSH,
 *	CLFS_FLAG_USE_RESERVATION
 * @lsn: receives the record's LSN; CLFS_LSN_INVALID without a record, or
 *	when none was appended; may be NULL
 *
 * All or nothing.  With FORCE_FLUSH the record is appended, then flushed:
 * when the flush fails (-EIO, -ENOENT), *@lsn and @rsv are set as on
 * success, so a valid *@lsn says the record and the reservation changes
 * had taken effect.
 *
 * Return: 0, or -EMSGSIZE (larger than a write buffer carries), -ENOSPC
 * (log full), -ENOENT (no such reservation; or, with FORCE_FLUSH, a
 * truncation that ran meanwhile removed the record again), -EIO, -EINVAL
 * (a zero size, USE_RESERVATION without a record, @n_iov above
 * CLFS_MAX_IOV), -ENOMEM.
 */
int clfs_reserve_and_append_log(int ma_fd, const struct iovec *iov,
				unsigned int n_iov, uint64_t undo_next,
				uint64_t previous, unsigned int n_rsv,
				int64_t *rsv, uint32_t flags, uint64_t *lsn);

/**
 * clfs_append_log_batch() - append many records in one call
 *	(CLFS_IOC_APPEND_BATCH)
 * @ma_fd: the marshalling area
 * @recs: @count records: each one's data pointer (as an integer), length,
 *	type, undo-next and previous LSN; each one's lsn receives its LSN, or
 *	CLFS_LSN_INVALID if it was not appended
 * @count: 1..CLFS_MAX_BATCH
 * @flags: 0, CLFS_FLAG_FORCE_APPEND, CLFS_FLAG_FORCE_FLUSH (for the last
 *	record appended, so for all of them)
 * @done: receives how many records were appended (the first ones); may be
 *	NULL
 *
 * The records get strictly increasing LSNs, with no other record between
 * them.  When one cannot be appended, those before it stay appended and
 * the call returns 0 with *@done < @count; the next call meets the error.
 *
 * Return: 0, or -EINVAL, -EMSGSIZE (a record larger than a write buffer
 * carries, or more than CLFS_BATCH_BYTES_MAX in all), -EFAULT, -ENOSPC,
 * -EIO, -ENOMEM, or -ENOTTY (a module older than 0.5); with FORCE_FLUSH
 * also -EIO or -ENOENT after *@done records were appended.
 */
int clfs_append_log_batch(int ma_fd, struct clfs_batch_record *recs,
			  unsigned int count, uint32_t flags,
			  unsigned int *done);

/*
 * Rings (libclfs_ring.c): appends and flushes on one marshalling area,
 * many in flight from one thread.  Through io_uring (the module's io_uring
 * commands, struct clfs_uring_cmd) an append runs when submitted, and its
 * completion, or a flush's, arrives when the record is durable, while the
 * thread goes on; where io_uring or the module cannot (the ring's probe
 * says so, clfs_ring_mode()), each command runs as its ioctl when
 * submitted.  A ring is one thread's at a time.  Programs that use rings
 * link liburing too (pkg-config --static --libs libclfs).
 */
struct clfs_ring;

/* clfs_ring_open() flags: run every command as its ioctl. */
#define CLFS_RING_NO_URING	0x1u
/* Commands one ring holds at most. */
#define CLFS_RING_DEPTH_MAX	4096u
/* clfs_ring_mode(): how the ring runs its commands. */
#define CLFS_RING_MODE_URING	1
#define CLFS_RING_MODE_IOCTL	2

/**
 * struct clfs_ring_done - a command's completion
 * @tag: the caller's, from clfs_ring_append() or clfs_ring_flush()
 * @lsn: an append's record LSN (CLFS_LSN_INVALID if none was appended);
 *	for a flush that succeeded, the LSN up to which every record is
 *	durable
 * @ret: what the ioctl returns: 0 or a negative errno (-EPROTO: an
 *	append that completed without running; -ENOENT: a
 *	truncation removed the record before it was durable)
 * @cmd: the ioctl it ran (CLFS_IOC_RESERVE_AND_APPEND,
 *	CLFS_IOC_FLUSH_BUFFERS or CLFS_IOC_FLUSH_TO_LSN)
 */
struct clfs_ring_done {
	uint64_t tag;
	uint64_t lsn;
	int32_t ret;
	uint32_t cmd;
};

/**
 * clfs_ring_open() - a ring of commands on a marshalling area
 * @ma_fd: the marshalling area; the ring keeps a descriptor of its own of
 *	it (the caller may close @ma_fd), and its commands go to that area
 *	whatever @ma_fd names later
 * @depth: commands in flight at most, 1..CLFS_RING_DEPTH_MAX
 * @flags: 0 or CLFS_RING_NO_URING
 * @ring: receives the ring
 *
 * A descriptor that is no marshalling area gets a ring in
 * CLFS_RING_MODE_IOCTL, whose commands fail as their ioctls do (-ENOTTY).
 *
 * Return: 0, or -EINVAL, -ENOMEM, -EBADF, -EMFILE.
 */
int clfs_ring_open(int ma_fd, unsigned int depth, uint32_t flags,
		   struct clfs_ring **ring);

/**
 * clfs_ring_mode() - CLFS_RING_MODE_URING or CLFS_RING_MODE_IOCTL
 * @ring: the ring
 *
 * Return: the mode, or -EINVAL.
 */
int clfs_ring_mode(const struct clfs_ring *ring);

/**
 * clfs_ring_append() - queue an append (CLFS_IOC_RESERVE_AND_APPEND
 *	without reservation changes)
 * @ring: the ring
 * @iov: the record's bytes, gathered; the bytes must stay valid until
 *	clfs_ring_submit() returns (the iovec array need not)
 * @n_iov: entries at @iov, 1..CLFS_MAX_IOV
 * @undo_next: the record's undo-next LSN, or CLFS_LSN_INVALID
 * @previous: the record's previous LSN, or CLFS_LSN_INVALID
 * @flags: 0, CLFS_FLAG_FORCE_APPEND, CLFS_FLAG_FORCE_FLUSH (completes once
 *	the record is durable)
 * @tag: the caller's, returned with the completion
 *
 * Return: 0, or -EBUSY (@depth commands are in flight: reap some),
 * -EINVAL, -EMSGSIZE, -ENOMEM.
 */
int clfs_ring_append(struct clfs_ring *ring, const struct iovec *iov,
		     unsigned int n_iov, uint64_t undo_next, uint64_t previous,
		     uint32_t flags, uint64_t tag);

/**
 * clfs_ring_flush() - queue a flush (CLFS_IOC_FLUSH_TO_LSN, or
 *	CLFS_IOC_FLUSH_BUFFERS)
 * @ring: the ring
 * @lsn: the record to make durable with every one before it; or
 *	CLFS_LSN_INVALID for every record appended when the flush is
 *	submitted
 * @tag: the caller's, returned with the completion
 *
 * Return: 0, or -EBUSY, -EINVAL.
 */
int clfs_ring_flush(struct clfs_ring *ring, uint64_t lsn, uint64_t tag);

/**
 * clfs_ring_submit() - submit the commands queued
 * @ring: the ring
 *
 * Appends are appended, in the order queued, before it returns.
 *
 * Return: how many were submitted, or a negative errno.
 */
int clfs_ring_submit(struct clfs_ring *ring);

/**
 * clfs_ring_wait() - reap completions
 * @ring: the ring
 * @out: receives them
 * @n: room at @out
 * @min: wait until this many have arrived (0: only take what is there)
 *
 * Return: how many were reaped (0..@n), or -EINVAL, -EAGAIN (fewer than
 * @min commands are submitted and not reaped), -EINTR.
 */
int clfs_ring_wait(struct clfs_ring *ring, struct clfs_ring_done *out,
		   unsigned int n, unsigned int min);

/**
 * clfs_ring_close() - wait for the submitted commands, and free the ring
 * @ring: the ring, or NULL; queued commands not submitted are dropped
 */
void clfs_ring_close(struct clfs_ring *ring);

/**
 * clfs_align_reserved_log() - the space reservations for records of
 *	given sizes would hold (CLFS_IOC_ALIGN_RESERVED)
 * @ma_fd: the marshalling area
 * @n: entries at @sizes, 1..CLFS_MAX_RESERVATIONS
 * @sizes: record sizes
 * @aligned: receives @n aligned sizes; may be NULL
 * @total: receives their total, to pass to the alloc and free calls; may
 *	be NULL
 *
 * Return: 0, or -EINVAL (a zero size), -EMSGSIZE.
 */
int clfs_align_reserved_log(int ma_fd, unsigned int n, const uint32_t *sizes,
			    uint32_t *aligned, uint64_t *total);

/**
 * clfs_alloc_reserved_log() - reserve space for records
 *	(CLFS_IOC_ALLOC_RESERVED)
 * @ma_fd: the marshalling area
 * @n: entries at @sizes, 1..CLFS_MAX_RESERVATIONS
 * @sizes: record sizes
 * @bytes: the total clfs_align_reserved_log() returned for them
 *
 * Return: 0, or -EINVAL (@bytes is not the aligned total), -EMSGSIZE,
 * -ENOSPC (no room).
 */
int clfs_alloc_reserved_log(int ma_fd, unsigned int n, const uint32_t *sizes,
			    uint64_t bytes);

/**
 * clfs_free_reserved_log() - release reservations (CLFS_IOC_FREE_RESERVED)
 * @ma_fd: the marshalling area
 * @n: entries at @sizes, 1..CLFS_MAX_RESERVATIONS
 * @sizes: record sizes the reservations were made for
 * @bytes: their aligned total
 *
 * Return: 0, or -EINVAL, -ENOENT (no such reservation).
 */
int clfs_free_reserved_log(int ma_fd, unsigned int n, const uint32_t *sizes,
			   uint64_t bytes);

/**
 * clfs_flush_buffers() - make every appended record durable
 *	(CLFS_IOC_FLUSH_BUFFERS)
 * @ma_fd: the marshalling area
 * @flushed: receives the LSN up to which every record is durable
 *	(CLFS_LSN_INVALID: the log has no records); may be NULL
 *
 * Return: 0 or a negative errno.
 */
int clfs_flush_buffers(int ma_fd, uint64_t *flushed);

/**
 * clfs_flush_log_to_lsn() - make every record up to an LSN durable
 *	(CLFS_IOC_FLUSH_TO_LSN)
 * @ma_fd: the marshalling area
 * @lsn: the record
 * @flushed: as in clfs_flush_buffers(); may be NULL
 *
 * Return: 0, or -ENOENT (no such record, or truncated).
 */
int clfs_flush_log_to_lsn(int ma_fd, uint64_t lsn, uint64_t *flushed);

/**
 * clfs_write_log_restart_area() - write a restart area
 *	(CLFS_IOC_WRITE_RESTART)
 * @ma_fd: the marshalling area
 * @data: the restart area's bytes
 * @len: their number, 1..CLFS_BLOCK_SIZE_MAX
 * @new_base: the new base LSN, or NULL to keep the base
 * @flags: 0 or CLFS_FLAG_USE_RESERVATION
 * @written: receives the bytes made durable by the call; may be NULL
 * @lsn: receives the restart area's LSN; may be NULL
 *
 * Return: 0, or -EINVAL (*@new_base not a record in [base, last]),
 * -ENOSPC, -ENOENT (no fitting reservation), -EMSGSIZE.
 */
int clfs_write_log_restart_area(int ma_fd, const void *data, uint32_t len,
				const uint64_t *new_base, uint32_t flags,
				uint32_t *written, uint64_t *lsn);

/**
 * clfs_read_log_restart_area() - read the newest restart area
 *	(CLFS_IOC_READ_RESTART)
 * @ma_fd: the marshalling area
 * @buf: receives the record's bytes
 * @buf_len: bytes at @buf
 * @rec: receives the record's header; may be NULL
 * @ctx_fd: receives a read context for
 *	clfs_read_previous_log_restart_area(), -1 on failure; may be NULL
 *	(the context is then ended at once)
 *
 * Return: 0, or -ENODATA (the log has no restart area), -ERANGE (@buf_len
 * is too small: @rec->length is set, no context is made), -ENOENT,
 * -EUCLEAN, -EMFILE, -ENOMEM.
 */
int clfs_read_log_restart_area(int ma_fd, void *buf, uint32_t buf_len,
			       struct clfs_record_info *rec, int *ctx_fd);

/**
 * clfs_read_previous_log_restart_area() - the restart area before the
 *	context's one (CLFS_IOC_READ_PREVIOUS_RESTART)
 * @ctx_fd: a context from clfs_read_log_restart_area()
 * @buf: receives the record's bytes
 * @buf_len: bytes at @buf
 * @rec: receives the record's header; may be NULL
 *
 * Return: 0, or -ENOENT (no earlier restart area), -ERANGE (as above; the
 * next call returns the same record), -EINVAL (a context of another
 * kind), -EINTR (a signal while another call on the context ran),
 * -EUCLEAN.
 */
int clfs_read_previous_log_restart_area(int ctx_fd, void *buf,
					uint32_t buf_len,
					struct clfs_record_info *rec);

/**
 * clfs_read_log_record() - read a record and open a read context on it
 *	(CLFS_IOC_READ_RECORD)
 * @ma_fd: the marshalling area
 * @lsn: the record
 * @mode: CLFS_READ_FORWARD, CLFS_READ_PREVIOUS or CLFS_READ_UNDO_NEXT:
 *	how clfs_read_next_log_record() continues
 * @type_mask: CLFS_TYPE_DATA, CLFS_TYPE_RESTART or CLFS_TYPE_ANY
 * @buf: receives the record's bytes
 * @buf_len: bytes at @buf
 * @rec: receives the record's header; may be NULL
 * @ctx_fd: receives the read context, -1 on failure; may be NULL (the
 *	context is then ended at once)
 *
 * Return: 0, or -ENOENT (no such record, not of a requested type, outside
 * the active log), -ERANGE (@buf_len too small: @rec->length is set, no
 * context is made), -EUCLEAN, -EMFILE, -ENOMEM.
 */
int clfs_read_log_record(int ma_fd, uint64_t lsn, uint32_t mode,
			 uint32_t type_mask, void *buf, uint32_t buf_len,
			 struct clfs_record_info *rec, int *ctx_fd);

/**
 * clfs_read_next_log_record() - the next record of a read context
 *	(CLFS_IOC_READ_NEXT)
 * @ctx_fd: a context from clfs_read_log_record()
 * @buf: receives the record's bytes
 * @buf_len: bytes at @buf
 * @rec: receives the record's header; may be NULL
 *
 * Return: 0, or -ENOENT (end of the log or of the chain), -ERANGE (as
 * above; the next call returns the same record), -EINTR (a signal while
 * another call on the context ran), -EUCLEAN.
 */
int clfs_read_next_log_record(int ctx_fd, void *buf, uint32_t buf_len,
			      struct clfs_record_info *rec);

/**
 * clfs_read_next_log_record_at() - read a given earlier record through a
 *	context (CLFS_IOC_READ_NEXT with CLFS_READ_AT; ReadNextLogRecord's
 *	plsnUser)
 * @ctx_fd: a context from clfs_read_log_record()
 * @lsn: the record: strictly below the last one the context returned
 * @buf: receives the record's bytes
 * @buf_len: bytes at @buf
 * @rec: receives the record's header; may be NULL
 *
 * The context goes on from that record in its mode.
 *
 * Return: 0, or -EINVAL (@lsn not below the context's last record),
 * -ENOENT (no such record, or of a type the context skips), -ERANGE (as
 * above), -EINTR, -EUCLEAN.
 */
int clfs_read_next_log_record_at(int ctx_fd, uint64_t lsn, void *buf,
				 uint32_t buf_len, struct clfs_record_info *rec);

/**
 * clfs_read_next_log_record_follow() - the next durable record, waiting
 *	for it (CLFS_IOC_READ_NEXT with CLFS_READ_DURABLE, CLFS_READ_WAIT)
 * @ctx_fd: a forward context from clfs_read_log_record()
 * @buf: receives the record's bytes
 * @buf_len: bytes at @buf
 * @rec: receives the record's header; may be NULL
 * @timeout_ns: 0: do not wait; below 0: wait until the record comes or
 *	a signal; otherwise the longest wait in nanoseconds
 *
 * A follower's read: only records that are durable are returned, so none
 * of them can be lost to a crash.  poll(2) on @ctx_fd reports POLLIN when
 * one is there.
 *
 * Return: 0, or -EAGAIN (@timeout_ns 0 and the next record is not
 * durable yet), -ETIMEDOUT, -EINTR, -EIO (the log shut down), -EINVAL
 * (not a forward context), -ERANGE, -EUCLEAN.
 */
int clfs_read_next_log_record_follow(int ctx_fd, void *buf, uint32_t buf_len,
				     struct clfs_record_info *rec,
				     int64_t timeout_ns);

/**
 * clfs_read_next_log_records() - the next records of a read context, many
 *	in one call (CLFS_IOC_READ_NEXT_BATCH)
 * @ctx_fd: a context from clfs_read_log_record()
 * @buf: receives the records' bytes, one after the other
 * @buf_len: bytes at @buf
 * @recs: receives, for each record, its LSN, links, type, length and data
 *	pointer (into @buf)
 * @count: entries at @recs, 1..CLFS_MAX_BATCH
 * @flags: 0 or CLFS_READ_DURABLE (only durable records, without waiting)
 * @done: receives how many records were returned; may be NULL
 *
 * What a run of clfs_read_next_log_record() calls returns, in one call:
 * it stops at @count records, at the end, at a record that does not fit
 * in the rest of @buf (the next call returns it), or at an error, which
 * the next call then meets.
 *
 * Return: 0 with *@done >= 1, or, when no record came: -ENOENT (end of
 * the log or chain), -EAGAIN (CLFS_READ_DURABLE: the next record is not
 * durable yet), -ERANGE (the next record does not fit in @buf:
 * @recs[0].len says how long it is), -EINVAL, -EUCLEAN, -EIO, -ENOTTY (a
 * module older than 0.6).
 */
int clfs_read_next_log_records(int ctx_fd, void *buf, uint32_t buf_len,
			       struct clfs_batch_record *recs,
			       unsigned int count, uint32_t flags,
			       unsigned int *done);

/**
 * clfs_terminate_read_log() - end a read context (close(2))
 * @ctx_fd: the context
 *
 * Return: 0 or a negative errno of close(2).
 */
int clfs_terminate_read_log(int ctx_fd);

/**
 * clfs_advance_log_base() - move the base LSN forward
 *	(CLFS_IOC_ADVANCE_BASE)
 * @ma_fd: the marshalling area
 * @lsn: the new base, a record in [base, last]
 *
 * Return: 0, or -EINVAL (not a record in [base, last]).
 */
int clfs_advance_log_base(int ma_fd, uint64_t lsn);

/**
 * clfs_set_log_archive_tail() - set the archive tail
 *	(CLFS_IOC_SET_ARCHIVE_TAIL)
 * @log_fd: the log
 * @lsn: the new archive tail, a record in [start of the active log, last]
 *
 * Return: 0, or -EINVAL (not a record in that range).
 */
int clfs_set_log_archive_tail(int log_fd, uint64_t lsn);

/**
 * clfs_truncate_log() - remove every record after an LSN
 *	(CLFS_IOC_TRUNCATE)
 * @ma_fd: the marshalling area
 * @lsn: the new last record, a record in [base, last]
 *
 * Return: 0, or -EINVAL (not a record in [base, last]), -EBUSY (read
 * contexts are open).
 */
int clfs_truncate_log(int ma_fd, uint64_t lsn);

/**
 * clfs_strerror() - short text for a libclfs result
 * @err: a negative (or positive) errno
 *
 * Errnos with a clfs meaning get that meaning (-ENODATA "no restart
 * area", -EUCLEAN "corrupt log structure", -ERANGE "buffer too small for
 * the record", -ENOSPC "log is full", ...); others get strerror()'s text.
 *
 * Return: a string that stays valid (never NULL).
 */
const char *clfs_strerror(int err);

/**
 * clfs_errno_name() - the symbolic name of an errno
 * @err: a negative (or positive) errno
 *
 * Return: "ENOSPC", "EUCLEAN", ...; "E?" for a number it does not know.
 */
const char *clfs_errno_name(int err);

#ifdef __cplusplus
}
#endif

#endif /* LIBCLFS_H */

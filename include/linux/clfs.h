/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs in-kernel API: the one header for in-kernel clients of the clfs
 * log service (a file system, a database engine, a transaction manager).
 *
 * The calls mirror the CLFS routines:
 *   clfs_log_create / clfs_log_open     ClfsCreateLogFile
 *   clfs_log_create/open_by_dev         (the same, devices by number)
 *   clfs_log_close                      ClfsCloseLogFileObject
 *   clfs_container_add(_set)            ClfsAddLogContainer(Set)
 *   clfs_container_remove               ClfsRemoveLogContainer
 *   clfs_container_scan                 ClfsScanLogContainers
 *   clfs_marshal_create / _delete       ClfsCreate/DeleteMarshallingArea
 *   clfs_append                         ClfsReserveAndAppendLog (append)
 *   clfs_reserve_and_append             ClfsReserveAndAppendLog
 *   clfs_append_batch                   (many records in one call)
 *   clfs_append_iter                    (one record from an iov_iter)
 *   clfs_reserve_and_append_iter        (the same, with reservations)
 *   clfs_align_reserved                 ClfsAlignReservedLog
 *   clfs_alloc_reserved                 ClfsAllocReservedLog
 *   clfs_free_reserved                  ClfsFreeReservedLog
 *   clfs_flush_buffers                  ClfsFlushBuffers
 *   clfs_flush_to_lsn                   ClfsFlushToLsn
 *   clfs_flush_to_lsn_async,            (the same, and FORCE_FLUSH
 *   clfs_flush_buffers_async,           appends, completing through a
 *   clfs_append_iter_async,             struct clfs_flush_req instead of
 *   clfs_reserve_and_append_async,      sleeping: io_uring, and clients
 *   clfs_append_batch_async
 *                                       that keep many flushes in flight)
 *   clfs_write_restart                  ClfsWriteRestartArea
 *   clfs_read_restart                   ClfsReadRestartArea
 *   clfs_read_previous_restart          ClfsReadPreviousRestartArea
 *   clfs_advance_base                   ClfsAdvanceLogBase
 *   clfs_set_archive_tail               ClfsSetArchiveTail
 *   clfs_truncate                       TruncateLog
 *   clfs_read_record                    ClfsReadLogRecord
 *   clfs_read_next, clfs_read_next_at   ClfsReadNextLogRecord
 *   clfs_read_follow, clfs_read_ready,  (a follower: wait for the next
 *   clfs_read_position, clfs_read_waitq durable record)
 *   clfs_read_terminate                 ClfsTerminateReadLog
 *   clfs_log_query                      ClfsQueryLogFileInformation
 *
 * Each function's kernel-doc (Context, Return, every errno) is at its
 * definition in src/.  All calls sleep; none may be called from atomic
 * context.  Errors are negative errnos; the common ones mean the same
 * everywhere: -EINVAL bad argument, -ENOSPC log full, -EUCLEAN corrupt
 * on-disk data, -EIO device error (the log then refuses further writes),
 * -ENOENT no such LSN, record or reservation, -EBUSY object in use,
 * -ENODATA no restart area.
 */
#ifndef CLFS_H
#define CLFS_H

#include <linux/types.h>
#include <linux/uio.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <uapi/linux/clfs.h>
#include <linux/clfs_lsn.h>

struct clfs_log;
struct clfs_marshal;
struct clfs_read_ctx;
struct clfs_stream;

/**
 * struct clfs_create_params - geometry of a new log
 * @block_size: largest log block (marshalling buffer) in bytes: a
 *	multiple of the I/O unit in [4 KiB, 1 MiB]
 * @container_size: bytes per container: a multiple of 512 KiB, at most
 *	4 GiB - 512 KiB, larger than @block_size + 4 KiB
 * @n_containers: containers to carve from the base device now (0 or more)
 * @flags: 0 (a dedicated log) or CLFS_CREATE_MULTIPLEXED (a log of named
 *	streams)
 */
struct clfs_create_params {
	u32 block_size;
	u32 n_containers;
	u64 container_size;
	u32 flags;
};

/**
 * struct clfs_container_spec - where to add a container
 * @path: block device path, or NULL
 * @devt: with @path NULL: the block device's number, or 0 for the log's
 *	base device
 * @dev_offset: byte offset on that device, or CLFS_OFFSET_ANY for the
 *	lowest aligned offset where a container overlaps none of the log's
 *	(the space of a removed container is used again)
 *
 * CLFS_OFFSET_ANY and CLFS_MAX_RESERVATIONS come from <linux/clfs.h>.
 */
struct clfs_container_spec {
	const char *path;
	dev_t devt;
	u64 dev_offset;
};

/**
 * struct clfs_record - a record returned by a read
 * @lsn: its LSN
 * @undo_next: its undo-next LSN (CLFS_LSN_INVALID when none)
 * @previous: its previous LSN (CLFS_LSN_INVALID when none)
 * @type: CLFS_RECORD_DATA or CLFS_RECORD_RESTART
 * @length: bytes at @data
 * @data: the record's bytes, owned by the read context and valid until its
 *	next read or its termination
 */
struct clfs_record {
	u64 lsn;
	u64 undo_next;
	u64 previous;
	u32 type;
	u32 length;
	const void *data;
};

int clfs_log_create(const char *path, const struct clfs_create_params *p,
		    struct clfs_log **logp);
int clfs_log_open(const char *path, const char *const *devices,
		  unsigned int n_devices, struct clfs_log **logp);
int clfs_log_create_by_dev(dev_t devt, const struct clfs_create_params *p,
			   struct clfs_log **logp);
int clfs_log_open_by_dev(dev_t devt, const dev_t *devices,
			 unsigned int n_devices, struct clfs_log **logp);
int clfs_log_close(struct clfs_log *log);
int clfs_log_query(struct clfs_log *log, struct clfs_log_info *info);

int clfs_container_add_set(struct clfs_log *log,
			   const struct clfs_container_spec *specs,
			   unsigned int n, u32 *physical_ids);
int clfs_container_add(struct clfs_log *log, const char *path,
		       u64 dev_offset, u32 *physical_id);
int clfs_container_remove(struct clfs_log *log, u32 physical_id);
int clfs_container_scan(struct clfs_log *log, u32 start, u32 n,
			struct clfs_container_entry *out, u32 *returned,
			u32 *total);

int clfs_marshal_create(struct clfs_log *log, u32 buffer_size,
			u32 max_buffers, struct clfs_marshal **map);
int clfs_marshal_delete(struct clfs_marshal *ma);

int clfs_append(struct clfs_marshal *ma, const struct kvec *iov,
		unsigned int n_iov, u64 undo_next, u64 previous, u32 type,
		u32 flags, u64 *lsn);
/**
 * struct clfs_append_rec - one record of clfs_append_batch()
 * @data: its bytes (may be NULL when @len is 0)
 * @len: their number
 * @type: CLFS_RECORD_DATA or CLFS_RECORD_RESTART
 * @undo_next: its undo-next LSN (CLFS_LSN_INVALID for none)
 * @previous: its previous LSN (CLFS_LSN_INVALID for none)
 * @lsn: out: its LSN, or CLFS_LSN_INVALID if it was not appended
 */
struct clfs_append_rec {
	const void *data;
	u32 len;
	u32 type;
	u64 undo_next;
	u64 previous;
	u64 lsn;
};

int clfs_append_batch(struct clfs_marshal *ma, struct clfs_append_rec *recs,
		      unsigned int n, u32 flags, unsigned int *done);
int clfs_append_iter(struct clfs_marshal *ma, struct iov_iter *from,
		     u64 undo_next, u64 previous, u32 type, u32 flags,
		     u64 *lsn);
int clfs_reserve_and_append(struct clfs_marshal *ma, const struct kvec *iov,
			    unsigned int n_iov, u64 undo_next, u64 previous,
			    unsigned int n_rsv, s64 *rsv, u32 flags, u64 *lsn);
int clfs_align_reserved(struct clfs_marshal *ma, unsigned int n,
			const u32 *sizes, u32 *aligned, u64 *total);
int clfs_alloc_reserved(struct clfs_marshal *ma, unsigned int n,
			const u32 *sizes, u64 bytes);
int clfs_free_reserved(struct clfs_marshal *ma, unsigned int n,
		       const u32 *sizes, u64 bytes);
int clfs_flush_buffers(struct clfs_marshal *ma);
int clfs_flush_to_lsn(struct clfs_marshal *ma, u64 lsn, u64 *flushed);

/**
 * struct clfs_flush_req - a wait for durability that does not sleep
 * @done: set by the caller: called once the record is durable (@ret 0),
 *	was removed by a truncation (-ENOENT) or the log shut down (-EIO);
 *	in process context, from a workqueue of the log, never from within
 *	the call that started the wait
 * @flushed: out, before @done with 0: every record up to it is durable
 *
 * The caller owns the memory, and keeps it and the marshalling area the
 * wait was started on until @done has been called; the fields below are
 * clfs's from the start of the wait until then.  @done must not delete
 * that area or close the log itself (both wait for the workqueue @done
 * runs on); it may hand that to another context.  The same object, on a
 * caller's stack with @done NULL, is how the sleeping calls wait.
 */
struct clfs_flush_req {
	void (*done)(struct clfs_flush_req *req, int ret);
	u64 flushed;
	/* private: */
	struct clfs_log *log;
	struct wait_queue_entry wq;
	struct list_head node;
	struct work_struct work;
	u64 lsn;
	bool cut;
	bool all;
};

int clfs_flush_to_lsn_async(struct clfs_marshal *ma, u64 lsn,
			    struct clfs_flush_req *req);
int clfs_flush_buffers_async(struct clfs_marshal *ma,
			     struct clfs_flush_req *req);
int clfs_append_iter_async(struct clfs_marshal *ma, struct iov_iter *from,
			   u64 undo_next, u64 previous, u32 type, u32 flags,
			   u64 *lsn, struct clfs_flush_req *req);
int clfs_reserve_and_append_async(struct clfs_marshal *ma,
				  const struct kvec *iov, unsigned int n_iov,
				  u64 undo_next, u64 previous,
				  unsigned int n_rsv, s64 *rsv, u32 flags,
				  u64 *lsn, struct clfs_flush_req *req);
int clfs_reserve_and_append_iter(struct clfs_marshal *ma,
				 struct iov_iter *from, u64 undo_next,
				 u64 previous, unsigned int n_rsv, s64 *rsv,
				 u32 flags, u64 *lsn,
				 struct clfs_flush_req *req);
int clfs_append_batch_async(struct clfs_marshal *ma,
			    struct clfs_append_rec *recs, unsigned int n,
			    u32 flags, unsigned int *done,
			    struct clfs_flush_req *req);

int clfs_read_record(struct clfs_log *log, u64 lsn, u32 mode,
		     u32 type_mask, struct clfs_read_ctx **ctxp,
		     struct clfs_record *rec);
int clfs_read_next(struct clfs_read_ctx *ctx, struct clfs_record *rec);
int clfs_read_next_at(struct clfs_read_ctx *ctx, u64 lsn,
		      struct clfs_record *rec);
int clfs_read_follow(struct clfs_read_ctx *ctx, struct clfs_record *rec,
		     long timeout);
u64 clfs_read_position(const struct clfs_read_ctx *ctx);
int clfs_read_ready(struct clfs_read_ctx *ctx, u64 pos);
wait_queue_head_t *clfs_read_waitq(struct clfs_read_ctx *ctx);
void clfs_read_terminate(struct clfs_read_ctx *ctx);

int clfs_write_restart(struct clfs_marshal *ma, const void *data, u32 len,
		       const u64 *new_base, u32 flags, u32 *written, u64 *lsn);
int clfs_read_restart(struct clfs_log *log, struct clfs_read_ctx **ctxp,
		      struct clfs_record *rec);
int clfs_read_previous_restart(struct clfs_read_ctx *ctx,
			       struct clfs_record *rec);
int clfs_advance_base(struct clfs_marshal *ma, u64 lsn, u32 flags);
int clfs_set_archive_tail(struct clfs_log *log, u64 lsn);
int clfs_truncate(struct clfs_marshal *ma, u64 lsn);

/* Streams of a multiplexed log (a dedicated log's calls are above). */
struct clfs_stream *clfs_log_dedicated_stream(struct clfs_log *log);
int clfs_stream_create(struct clfs_log *log, const char *name, u32 *id);
int clfs_stream_delete(struct clfs_log *log, const char *name);
int clfs_stream_list(struct clfs_log *log, struct clfs_stream_entry *e,
		     u32 n, u32 *total);
int clfs_stream_open(struct clfs_log *log, const char *name,
		     struct clfs_stream **stp);
void clfs_stream_close(struct clfs_stream *st);
int clfs_stream_query(struct clfs_stream *st, struct clfs_log_info *info);
int clfs_stream_marshal_create(struct clfs_stream *st, u32 buffer_size,
			       u32 max_buffers, struct clfs_marshal **map);
int clfs_stream_read_record(struct clfs_stream *st, u64 lsn, u32 mode,
			    u32 type_mask, struct clfs_read_ctx **ctxp,
			    struct clfs_record *rec);
int clfs_stream_read_restart(struct clfs_stream *st,
			     struct clfs_read_ctx **ctxp,
			     struct clfs_record *rec);
int clfs_stream_set_archive_tail(struct clfs_stream *st, u64 lsn);

#endif /* CLFS_H */

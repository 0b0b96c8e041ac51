/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs engine internals: the in-memory log, its devices, containers,
 * marshalling area and write buffers, shared by the engine's files.
 *
 * Locks, in the order they nest:
 *   log->tail_mutex         one tail or end move at a time: write restart
 *                           area, advance base, set archive tail, truncate
 *                           (each validates, writes and commits under it).
 *   log->flush_mutex        one cache flush at a time (group commit).
 *   log->lock (mutex)       metadata (log->meta), the device list and the
 *                           container array; marshalling area creation and
 *                           deletion.  Held across metadata writes.
 *   log->io_mutex (mutex)   the write position (next block LSN, seq, last
 *                           LSN), the open buffer and the ring's next slot;
 *                           record copies; reads served from buffers; the
 *                           reservations; containers' logical ids and
 *                           block-start bitmaps; the active start and the
 *                           truncation list.
 *   log->io_lock (spinlock) what completions change: buffer states, the
 *                           ring head, completed/durable LSNs, the sticky
 *                           error.  Never held across I/O or copies.
 * Bio completions only publish a buffer's status and queue log->io_work;
 * everything else happens in that work item, in process context.
 */
#ifndef CLFS_LOG_H
#define CLFS_LOG_H

#include <linux/atomic.h>
#include <linux/blkdev.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <linux/clfs.h>
#include "format/clfs_format.h"
#include "clfs_internal.h"

/* A block device the log uses, opened exclusively with the log as holder. */
struct clfs_dev {
	struct list_head node;
	struct clfs_bdev cb;
	u8 uuid[16];		/* zero for the base device */
	u64 bytes;
	u32 lbs;
};

/* A container; mirrors log->meta->containers[] at the same index. */
struct clfs_cont {
	u32 physical_id;
	u32 logical_id;
	struct clfs_dev *dev;
	u64 dev_offset;
	unsigned long *starts;	/* bit i: a log block starts at i * io_unit */
};

enum clfs_buf_state {
	CLFS_BUF_FREE,
	CLFS_BUF_OPEN,		/* taking records */
	CLFS_BUF_INFLIGHT,	/* sealed and submitted */
};

/* One write buffer of the marshalling area: a log block being built. */
struct clfs_buf {
	struct clfs_log *log;
	void *data;		/* vmalloc'ed, ma->buffer_size bytes */
	enum clfs_buf_state state;	/* changes under io_lock */
	int done;		/* set by the bio completion */
	blk_status_t status;
	bool fua;		/* PREFLUSH|FUA with nothing before it pending */
	u32 capacity;
	u32 size;
	u64 lsn;
	u64 last_lsn;
	struct clfs_cont *cont;
};

/* A marshalling area: the client's handle on the log's write buffers. */
struct clfs_marshal {
	struct clfs_log *log;
	u32 buffer_size;
	u32 n_bufs;
	struct clfs_buf *bufs;
	struct clfs_buf *cur;	/* open buffer (io_mutex) */
	u32 next;		/* ring slot of the next buffer to open */
	u32 head;		/* oldest buffer in flight (io_lock) */
	atomic_t readers;	/* open read contexts */
	/* Reservations (io_mutex): rsv[k] records of k I/O units each. */
	u32 *rsv;
	u32 rsv_slots;		/* entries in rsv[]: buffer_size / io_unit + 1 */
	u64 rsv_records;
	u64 rsv_bytes;
};

/* A block whose later records a truncation removed (io_mutex). */
struct clfs_trim {
	struct list_head node;
	u64 block;		/* the block's LSN */
	u64 last;		/* its last record still in the log */
};

/* Where the next block would start: a container and an offset in it. */
struct clfs_pos {
	struct clfs_cont *c;
	u32 off;
};

struct clfs_stats {
	atomic64_t appends;
	atomic64_t append_bytes;
	atomic64_t blocks_written;
	atomic64_t block_bytes;
	atomic64_t flushes;
	atomic64_t flush_writes;
	atomic64_t cache_flushes;
	atomic64_t meta_writes;
	atomic64_t meta_bytes;
	atomic64_t dev_writes;
	atomic64_t reads;
};

struct clfs_log {
	char name[BDEVNAME_SIZE + 8];	/* for messages: the base device */
	u32 seed;
	u32 io_unit;

	struct mutex tail_mutex;	/* see the lock order above */
	struct mutex lock;
	struct clfs_meta_info *meta;	/* what the newest copy says */
	struct clfs_meta_info *scratch;	/* the next copy being built */
	int meta_copy;			/* 0: A, 1: B holds meta */
	void *meta_buf;			/* CLFS_META_COPY_SIZE, vmalloc */
	struct list_head devs;
	struct clfs_dev *base;
	struct clfs_cont **conts;	/* CLFS_MAX_CONTAINERS slots */
	u32 n_conts;
	struct clfs_marshal *ma;

	struct mutex io_mutex;		/* the write position and buffer */
	u64 next_pos;		/* LSN of the next block, 0 before any */
	u64 next_seq;
	u64 floor;
	u64 prev_lsn;		/* LSN of the last block, INVALID if none */
	u64 prev_last;		/* LSN of its last record, INVALID if none */
	u64 first_lsn;		/* oldest record, INVALID if none */
	u64 last_lsn;		/* newest appended record, INVALID if none */
	u64 start_lsn;		/* min(base, archive tail): older is gone */
	struct list_head trims;	/* struct clfs_trim, by block LSN */

	struct mutex flush_mutex;	/* one cache flush at a time */

	spinlock_t io_lock;		/* what completions change */
	u64 completed_lsn;	/* records up to it written, 0 if none */
	u64 durable_lsn;	/* records up to it durable, 0 if none */
	u64 completed_bytes;	/* block bytes retired since open */
	u64 durable_bytes;	/* of those, the bytes known durable */
	int error;		/* sticky -EIO after a failed write */
	u32 cuts;		/* truncations so far: wakes flushers */
	wait_queue_head_t io_wait;
	struct workqueue_struct *wq;
	struct work_struct io_work;

	struct clfs_stats stats;
};

#define clfs_log_err(log, fmt, ...) \
	pr_err("clfs: log %s: " fmt "\n", (log)->name, ##__VA_ARGS__)
#define clfs_log_info(log, fmt, ...) \
	pr_info("clfs: log %s: " fmt "\n", (log)->name, ##__VA_ARGS__)

/* clfs_io.c */
int clfs_io_sync(struct block_device *bdev, u64 off, void *buf, u32 len,
		 blk_opf_t opf);
struct bio *clfs_bio_for_buf(struct block_device *bdev, u64 off, void *buf,
			     u32 len, blk_opf_t opf);

/* A device as a caller names it: by path, or (path NULL) by number. */
struct clfs_devref {
	const char *path;
	dev_t devt;
};

/* clfs_dev.c */
struct clfs_dev *clfs_dev_get(struct clfs_log *log,
			      const struct clfs_devref *ref, bool *opened);
void clfs_dev_put_all(struct clfs_log *log);
void clfs_dev_put_unused(struct clfs_log *log);
struct clfs_dev *clfs_dev_find_uuid(struct clfs_log *log, const u8 uuid[16]);
int clfs_dev_flush_all(struct clfs_log *log);

/* clfs_meta.c */
int clfs_meta_read(struct clfs_log *log);
int clfs_meta_commit(struct clfs_log *log);
void clfs_meta_prepare(struct clfs_log *log);

/* clfs_container.c */
struct clfs_cont *clfs_cont_by_logical(struct clfs_log *log, u32 logical);
struct clfs_cont *clfs_cont_next(struct clfs_log *log, u32 logical);
struct clfs_cont *clfs_cont_first(struct clfs_log *log);
int clfs_cont_attach(struct clfs_log *log, u32 index, struct clfs_dev *dev);
void clfs_cont_free_all(struct clfs_log *log);
int clfs_cont_write_header(struct clfs_log *log,
			   const struct clfs_container_info *ci,
			   struct clfs_dev *dev, blk_opf_t extra);
int clfs_cont_check_header(struct clfs_log *log,
			   const struct clfs_container_info *ci,
			   struct clfs_dev *dev);
u32 clfs_cont_bits(struct clfs_log *log);
bool clfs_block_start(struct clfs_log *log, struct clfs_cont *c, u32 off);
void clfs_block_mark(struct clfs_log *log, struct clfs_cont *c, u32 off);

/* clfs_write.c */
void clfs_io_work(struct work_struct *work);
int clfs_seal(struct clfs_log *log, struct clfs_buf *b, bool flush);
int clfs_append_check(struct clfs_marshal *ma, const struct kvec *iov,
		      unsigned int n_iov, u32 *len);
int clfs_append_rsv(struct clfs_marshal *ma, const struct kvec *iov,
		    unsigned int n_iov, u64 undo_next, u64 previous, u32 type,
		    u32 flags, unsigned int n_rsv, s64 *rsv, u64 *lsn);
u32 clfs_ma_inflight(struct clfs_log *log);

/* clfs_space.c */
struct clfs_pos clfs_space_pos(struct clfs_log *log);
u64 clfs_space_safe(struct clfs_log *log, struct clfs_pos pos);
u64 clfs_space_free(struct clfs_log *log);
u32 clfs_space_room(struct clfs_log *log, u32 off);
u32 clfs_rsv_size(struct clfs_log *log, u32 length);
void clfs_rsv_add(struct clfs_marshal *ma, u32 size);
int clfs_rsv_sub(struct clfs_marshal *ma, u32 size);
int clfs_rsv_take(struct clfs_marshal *ma, u32 need);

/* clfs_tail.c */
u64 clfs_start_lsn(const struct clfs_meta_info *mi);
void clfs_trim_apply(struct clfs_log *log, struct clfs_block_info *bi);
void clfs_trim_add(struct clfs_log *log, struct clfs_trim *t, u64 block,
		   u64 last);
void clfs_trim_free_all(struct clfs_log *log);
int clfs_tail_commit(struct clfs_log *log, u64 base, u64 archive,
		     u64 restart);
int clfs_tail_validate_base(struct clfs_log *log, u64 lsn);
void clfs_tail_get(struct clfs_log *log, u64 *base, u64 *archive,
		   u64 *restart);

/* clfs_read.c */
int clfs_record_lookup(struct clfs_log *log, u64 lsn,
		       struct clfs_block_info *bi, struct clfs_record_view *rv);
int clfs_read_open(struct clfs_marshal *ma, u64 lsn, u32 mode, u32 type_mask,
		   bool restart, struct clfs_read_ctx **ctxp,
		   struct clfs_record *rec);
bool clfs_read_is_restart(const struct clfs_read_ctx *ctx);

/* clfs_flush.c */
int clfs_flush_lsn(struct clfs_log *log, u64 lsn);

/* clfs_recover.c */
int clfs_recover(struct clfs_log *log, u64 *last_seq);
int clfs_block_read(struct clfs_log *log, struct clfs_cont *c, u32 off,
		    void *buf, u32 max, struct clfs_block_info *bi);

#endif /* CLFS_LOG_H */

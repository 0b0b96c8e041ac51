/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs engine internals: the in-memory log, its devices, containers,
 * marshalling area and write buffers, shared by the engine's files.
 *
 * Locks, in the order they nest:
 *   log->tail_mutex         one tail or end move at a time: write restart
 *                           area, advance base, set archive tail, truncate
 *                           (each validates, writes and commits under it).
 *   log->scan.mutex         one step of the block scan at a time
 *                           (clfs_scan.c): taken by a read before it
 *                           looks a block up.
 *   log->cont_rwsem (rwsem) shared: a block read, from the container's
 *                           lookup to the end of the read; exclusive:
 *                           removing a container (and closing its device).
 *   log->flush_mutex        one cache flush at a time (group commit).
 *   log->lock (mutex)       metadata (log->meta), the device list and the
 *                           container array; the list of marshalling
 *                           areas.  Held across metadata writes.
 *   log->io_mutex (mutex)   the write position (next block LSN, seq, last
 *                           LSN), the open buffer and each area's next
 *                           slot; record copies; reads served from buffers;
 *                           the reservations; containers' logical ids and
 *                           block-start bitmaps; the active start and the
 *                           truncation list.
 *   log->io_lock (spinlock) what completions change: buffer states, the
 *                           list of blocks in flight, completed/durable
 *                           LSNs, the sticky error, the group-commit
 *                           state.  Never held across I/O or copies;
 *                           flushers are woken under it (flush_wait's
 *                           own lock nests inside).  Block write
 *                           completions take it, in hard interrupt
 *                           context on most devices: everyone else
 *                           takes it with interrupts off
 *                           (spin_lock_irq()).
 * A bio completion retires what completed and wakes the flushers itself
 * (clfs_retire()); what needs io_mutex (sealing a forced batch) goes to
 * log->seal_work.
 */
#ifndef CLFS_LOG_H
#define CLFS_LOG_H

#include <linux/atomic.h>
#include <linux/blkdev.h>
#include <linux/completion.h>
#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <linux/clfs.h>
#include "clfs_internal.h"
#include "format/clfs_format.h"

/*
 * Each field below says what guards it, jbd2-style, in brackets:
 *   [fixed]      set before the object is shared, never changed after
 *   [lock]       log->lock            [io_mutex]   log->io_mutex
 *   [io_lock]    log->io_lock         [tail_mutex] log->tail_mutex
 *   [lock+io_mutex]  changed holding both, so either one suffices to read
 *   [atomic]     an atomic type, or the access named (READ_ONCE, acquire)
 * Functions that need a lock held assert it with lockdep_assert_held().
 */

/* A block device the log uses, opened exclusively with the log as holder. */
struct clfs_dev {
	struct list_head node;		/* [lock] in log->devs */
	struct clfs_bdev cb;		/* [fixed] */
	u8 uuid[16];			/* [fixed] zero for the base device */
	u64 bytes;			/* [fixed] device size */
	u32 lbs;			/* [fixed] logical block size */
};

/* A container; mirrors log->meta->containers[] at the same index. */
struct clfs_cont {
	u32 physical_id;		/* [fixed] */
	u32 logical_id;			/* [lock+io_mutex] recycling renames */
	struct clfs_dev *dev;		/* [fixed] */
	u64 dev_offset;			/* [fixed] */
	/* [io_mutex] bit i: a log block of this lap starts at i * io_unit */
	unsigned long *starts;
};

enum clfs_buf_state {
	CLFS_BUF_FREE,
	CLFS_BUF_OPEN,		/* taking records */
	CLFS_BUF_INFLIGHT,	/* sealed; submitted once its copies are in */
};

/*
 * One write buffer of a marshalling area: a log block being built.  The
 * [io_mutex] fields are written while the buffer is OPEN or being sealed;
 * once it is INFLIGHT (published under io_lock) they stay as they are
 * until the buffer is FREE again, so a completion (clfs_retire()) reads
 * them under io_lock alone.  The open buffer takes the records of every
 * area; the area that opened it owns it.  @data: the block header and each record's
 * header are written under io_mutex, a record's bytes by the copy that
 * holds the buffer for it (@fill) after io_mutex is dropped; the last
 * hold's put checksums and submits it (clfs_ring.c).
 */
struct clfs_buf {
	struct clfs_log *log;		/* [fixed] */
	struct clfs_marshal *ma;	/* [fixed] its owner */
	void *data;			/* [fixed] vmalloc, ma->buffer_size */
	enum clfs_buf_state state;	/* [io_lock] */
	struct list_head node;		/* [io_lock] in log->inflight if INFLIGHT */
	int done;			/* [atomic] release by end_io, acquire by clfs_retire() */
	blk_status_t status;		/* written before done, read after it */
	/* [io_lock] a FUA write: its completion makes all up to it durable */
	bool fua;
	bool preflush;			/* [io_mutex] set by the seal */
	u64 submit_ns;			/* [submitter] when it was submitted */
	u32 capacity;			/* [io_mutex] bytes this block may take */
	u32 size;			/* [io_mutex] sealed size */
	u64 lsn;			/* [io_mutex] the block's LSN */
	u64 last_lsn;			/* [io_mutex] its last record's LSN */
	struct clfs_cont *cont;		/* [io_mutex] its container */
	/*
	 * [atomic] holds on the block's bytes (clfs_buf_hold()): 1 for the
	 * open buffer itself, which clfs_seal() drops, and 1 for each copy
	 * of a record into it still running outside io_mutex; whoever drops
	 * the last one checksums and submits it; CLFS_FILL_SUBMITTED once
	 * that has begun.
	 */
	atomic_t fill;
};

/* clfs_buf.fill once its bytes are final and its bio on its way. */
#define CLFS_FILL_SUBMITTED	(-1)

/*
 * A stream: what a client appends to and reads (format.rst, "Streams").
 * A dedicated log has one, log->stream0 (id 0), whose tails are the
 * metadata's own; a multiplexed log has one per entry of its stream table
 * (log->streams, in increasing id order), made when the log is opened or
 * the stream created, freed when it is deleted or the log closed.  A
 * stream is deleted only while nothing uses it (@users 0): every
 * clfs_stream_open(), marshalling area and client read context counts.
 */
struct clfs_stream {
	struct clfs_log *log;		/* [fixed] */
	struct list_head node;		/* [lock+io_mutex] in log->streams */
	u32 id;				/* [fixed] 0: a dedicated log's */
	char name[CLFS_STREAM_NAME_SIZE]; /* [fixed] */
	u32 users;			/* [lock] */
	/* [io_mutex] its oldest readable and newest records, or INVALID */
	u64 first_lsn;
	u64 last_lsn;
	/* [lock+io_mutex] min(its base, its archive tail); READ_ONCE */
	u64 start;
};

/*
 * A marshalling area: one client's write buffers and reservations.  A log
 * has any number of them (up to CLFS_MAX_AREAS), appending at once into
 * the log's one open buffer (clfs_marshal.c).
 */
struct clfs_marshal {
	struct clfs_log *log;		/* [fixed] */
	struct clfs_stream *st;		/* [fixed] its records' stream */
	struct list_head node;		/* [lock+io_mutex] in log->areas */
	u32 buffer_size;		/* [fixed] */
	u32 n_bufs;			/* [fixed] */
	struct clfs_buf *bufs;		/* [fixed] the ring */
	u32 next;			/* [io_mutex] ring slot to open next */
	/* Reservations: rsv[k] records of k I/O units each. */
	u32 *rsv;			/* [io_mutex] */
	u32 rsv_slots;			/* [fixed] buffer_size / io_unit + 1 */
	u64 rsv_records;		/* [io_mutex] */
	u64 rsv_bytes;			/* [io_mutex] */
};

/* A block whose later records a truncation removed. */
struct clfs_trim {
	struct rb_node node;		/* [io_mutex] in log->trims */
	u64 block;			/* the block's LSN */
	u64 last;			/* its last record still in the log */
};

/* Where the next block would start: a container and an offset in it. */
struct clfs_pos {
	struct clfs_cont *c;
	u32 off;
};

/* Counters since the log was opened ([atomic]). */
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

/*
 * A window: bytes [@off, @off + @len) of the container whose logical id
 * is @id, read in one large read, where consecutive blocks are validated
 * in place (clfs_window_block(), clfs_io.c): the block scan's and a
 * forward reader's.  Its user says whether the bytes still hold
 * (clfs_scan.c, clfs_read.c).
 */
struct clfs_window {
	void *buf;		/* @size bytes, vmalloc */
	u32 size;
	u32 id;
	u32 off;
	u32 len;		/* 0: nothing read */
	u64 reads;		/* windows read */
	/*
	 * The checksums of the blocks in the window, computed on two CPUs
	 * when it was read (clfs_window_crcs()): @crcs[i] for the block at
	 * @off + i * io_unit if bit i of @crc_ok is set.  NULL: none.
	 */
	u32 *crcs;
	unsigned long *crc_ok;
	/*
	 * Read-ahead, for a user that keeps the containers while a read is
	 * in flight (@ahead: the scan at open): the bytes after the window's
	 * last whole block, @next_len of them at @next_off of container
	 * @next_id, read into @next while @next_bio is set.
	 */
	bool ahead;
	void *next;
	struct bio *next_bio;
	struct completion next_done;
	u32 next_id;
	u32 next_off;
	u32 next_len;
};

/*
 * The block scan (clfs_scan.c): it walks the log's chain of blocks from
 * its start, marks each block found in its container's block-start
 * bitmap and notes what truncations cut.  Recovery after a crash runs it
 * to the chain's end at open; after a clean close it runs lazily, as far
 * as reads need, up to the last block the metadata names (@target).
 */
struct clfs_scan {
	struct mutex mutex;		/* one step at a time */
	struct clfs_window w;		/* [mutex] its reads */
	u64 blocks;			/* [mutex] blocks accepted */
	/* [mutex+io_mutex] the last block accepted, if @have_prev */
	struct clfs_block_info prev;
	bool have_prev;
	/* [mutex+io_mutex] where the next block is looked for (index 0) */
	u64 next;
	/*
	 * [mutex+io_mutex] the block at which it ends, keeping its records
	 * up to @target_last; CLFS_LSN_INVALID: at the end of the chain
	 */
	u64 target;
	u64 target_last;
	/* [fixed] blocks from here on are this open's, the writer's */
	u64 limit;
	/* [fixed] the truncation (end_lsn, end_floor) of the metadata opened */
	u64 end_lsn;
	u64 end_floor;
	/*
	 * [mutex+io_mutex] set once, with a release: @prev and @have_prev
	 * are final once it reads true (acquire)
	 */
	bool done;
	/*
	 * [mutex+io_mutex] -EUCLEAN: it ended short of @target; set before
	 * @done, cleared only by a truncation before the break (READ_ONCE)
	 */
	int err;
};

struct clfs_log {
	char name[BDEVNAME_SIZE + 8];	/* [fixed] the base device, for messages */
	u32 seed;			/* [fixed] crc seed of the log's uuid */
	u32 io_unit;			/* [fixed] */
	struct clfs_reg *reg;		/* [fixed] its entry (clfs_registry.c) */
	atomic_t readers;		/* [atomic] clients' open read contexts */
	bool multiplexed;		/* [fixed] the log's kind */
	/*
	 * [atomic] the metadata's next_stream, for validating the stream of
	 * records read (0 in a dedicated log); only grows
	 */
	u32 next_stream;
	struct clfs_stream stream0;	/* [fixed] a dedicated log's stream */
	/* [lock+io_mutex] a multiplexed log's streams, by increasing id */
	struct list_head streams;
	/*
	 * [lock] The sequence floor of this open is on disk, so blocks may
	 * be written.  An open writes nothing until its first marshalling
	 * area arms the log (clfs_marshal.c); @recovered_seq [fixed] is the
	 * newest block sequence number recovery found.
	 */
	bool armed;
	u64 recovered_seq;
	struct clfs_scan scan;

	struct mutex tail_mutex;	/* see the lock order above */
	/*
	 * Pins the containers and their devices for block reads: held shared
	 * from a container's lookup to the end of a read from it; removing a
	 * container takes it exclusively, so no read ever uses one freed.
	 */
	struct rw_semaphore cont_rwsem;
	struct mutex lock;		/* see the lock order above */
	/*
	 * [lock] The newest copy's contents; its geometry (io_unit,
	 * block_size, container_size) never changes, so any holder of the
	 * log may read those.
	 */
	struct clfs_meta_info *meta;
	struct clfs_meta_info *scratch;	/* [lock] the next copy being built */
	int meta_copy;			/* [lock] 0: A, 1: B holds meta */
	void *meta_buf;			/* [lock] CLFS_META_COPY_SIZE, vmalloc */
	struct list_head devs;		/* [lock] struct clfs_dev */
	struct clfs_dev *base;		/* [fixed] */
	struct clfs_cont **conts;	/* [lock+io_mutex] CLFS_MAX_CONTAINERS */
	u32 n_conts;			/* [lock+io_mutex] */
	/* [lock+io_mutex] the marshalling areas (struct clfs_marshal) */
	struct list_head areas;
	u32 n_areas;			/* [lock+io_mutex] */
	u32 max_buffer;		/* [lock+io_mutex] largest area buffer, or 0 */

	struct mutex io_mutex;		/* the write position and buffer */
	u64 next_pos;		/* [io_mutex] LSN of the next block, 0 before any */
	u64 next_seq;		/* [io_mutex] sequence number of the next block */
	u64 floor;		/* [io_mutex] sequence floor of this open */
	u64 prev_lsn;		/* [io_mutex] last block's LSN, INVALID if none */
	u64 prev_last;		/* [io_mutex] its last record, INVALID if none */
	/*
	 * [io_mutex] the last record of the newest block sealed as a FUA
	 * write, INVALID if none since the open or the last truncation: a
	 * forced block right after it needs no preflush, in flight or not
	 * ("Group commit" in design.rst)
	 */
	u64 fua_last;
	u64 first_lsn;		/* [io_mutex] oldest record, INVALID if none */
	u64 last_lsn;		/* [io_mutex] newest appended record */
	struct clfs_buf *cur;	/* [io_mutex] the open buffer, or NULL */
	u64 rsv_bytes;		/* [io_mutex] all areas' reservations */
	u64 rsv_records;	/* [io_mutex] */
	/* [lock+io_mutex] min(base, archive tail); READ_ONCE without them */
	u64 start_lsn;
	struct rb_root trims;	/* [io_mutex] struct clfs_trim, by block LSN */
	u64 trim_steps;		/* [io_mutex] nodes of trims visited, for tests */

	struct mutex flush_mutex;	/* one cache flush at a time */

	spinlock_t io_lock;		/* what completions change */
	u64 completed_lsn;	/* [io_lock] records up to it written, 0: none */
	u64 durable_lsn;	/* [io_lock] records up to it durable, 0: none */
	/*
	 * [io_lock] records up to it made durable by this open's own cache
	 * flushes and FUA writes (0: none yet; what recovery found counts
	 * only once a flush covered it): a forced block whose predecessors
	 * are all below it needs a FUA write, but no preflush.
	 */
	u64 synced_lsn;
	u64 completed_bytes;	/* [io_lock] block bytes retired since open */
	u64 durable_bytes;	/* [io_lock] of those, the bytes known durable */
	/* [io_lock] sealed buffers not yet retired, in log order */
	struct list_head inflight;
	/*
	 * [io_lock] their number: at most CLFS_MAX_IN_FLIGHT for the whole
	 * log, whatever its areas' rings hold (the floor jump of an open
	 * covers that many, format.rst "Torn and stale blocks").
	 */
	u32 n_inflight;
	int error;		/* [io_lock] sticky -EIO; READ_ONCE without it */
	u32 cuts;	/* [io_mutex+io_lock] truncations so far: wakes flushers */
	wait_queue_head_t io_wait;	/* [fixed] */
	/*
	 * Group commit (clfs_ring.c, design.rst "Group commit").  Flushers
	 * wait on @flush_wait, each for its own LSN: a completion wakes only
	 * those whose records it wrote.  A forced batch gathers in the open
	 * buffer while a block is in flight (@force_pending) and goes out
	 * when the device is idle and the callers the last completion
	 * released have come back (@returning), or at @hold_until, when
	 * @hold_timer queues @seal_work on @seal_wq.
	 */
	wait_queue_head_t flush_wait;	/* [fixed] */
	struct list_head flushers;	/* [io_lock] struct clfs_flush_req */
	bool force_pending;	/* [io_lock] a flusher waits in the open buffer */
	u32 returning;		/* [io_lock] released flushers not yet back */
	u64 hold_until;		/* [io_lock] ktime ns: the batch waits no longer */
	u64 fua_ns;		/* [io_lock] moving average of FUA write time */
	struct hrtimer hold_timer;	/* [fixed] */
	struct work_struct seal_work;	/* [fixed] */
	struct workqueue_struct *seal_wq;	/* [fixed] */
	/* [fixed] where asynchronous flushers look (clfs_flush_work()) */
	struct workqueue_struct *flush_wq;
	/*
	 * [atomic] Block writes submitted whose completion has not returned:
	 * a completion still looks at the log after its block may already be
	 * retired, so the log waits for 0 (clfs_bios_wait()) before going.
	 */
	atomic_t bios;
	struct workqueue_struct *wq;	/* [fixed] */
	struct work_struct io_work;	/* [fixed] retires a block no bio wrote */

	struct clfs_stats stats;
};

/* A dedicated log's one stream; NULL for a multiplexed log (or none). */
static inline struct clfs_stream *clfs_log_stream(struct clfs_log *log)
{
	return log && !log->multiplexed ? &log->stream0 : NULL;
}

/* The log's base device number: how tracepoints name the log. */
#define clfs_log_devt(log) ((log)->base->cb.bdev->bd_dev)

/*
 * Kernel messages.  A caller's error is never logged: it returns its
 * documented errno, and user space says what it means.  Messages are for
 * what the log meets: device errors, corruption, recovery.  Since a caller
 * can make the log meet those again and again (reading a corrupt block,
 * opening a log), every one is rate-limited.  The "clfs: " prefix comes
 * from pr_fmt (src/Kbuild).
 */
#define clfs_log_err(log, fmt, ...) \
	pr_err_ratelimited("log %s: " fmt "\n", (log)->name, ##__VA_ARGS__)
#define clfs_log_info(log, fmt, ...) \
	pr_info_ratelimited("log %s: " fmt "\n", (log)->name, ##__VA_ARGS__)

/*
 * The engine's internal calls are declared layer by layer, one header per
 * file (clfs_io.h ... clfs_recover.h), in the order of src/Kbuild: a file
 * includes the headers of the layers it calls, and calls only into files
 * before it there (scripts/callgraph.sh checks it in the build lane).
 */

#endif /* CLFS_LOG_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * clfs block I/O helpers: bios over the engine's buffers.
 *
 * The engine's buffers (write buffers, read buffers, the metadata buffer)
 * are vmalloc'ed so that a 1 MiB log block needs no high-order page; a
 * bio is built page by page with vmalloc_to_page(), as the XFS log does
 * for its iclogs.  Lengths and offsets are multiples of the log's I/O
 * unit, which the callers guarantee (and the block layer checks again).
 */
#include <linux/bio.h>
#include <linux/bitmap.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "clfs_io.h"

/**
 * clfs_bio_for_buf() - a bio for a kernel buffer
 * @bdev: the device
 * @off: byte offset on @bdev (sector aligned)
 * @buf: vmalloc'ed or directly mapped buffer, page aligned
 * @len: bytes (sector multiple)
 * @opf: operation and flags
 *
 * Context: process context; may sleep (GFP_NOIO allocation).
 * Return: the bio, ready to submit, or NULL if it cannot be built.
 */
struct bio *clfs_bio_for_buf(struct block_device *bdev, u64 off, void *buf,
			     u32 len, blk_opf_t opf)
{
	unsigned int nr = DIV_ROUND_UP(offset_in_page(buf) + len, PAGE_SIZE);
	struct bio *bio;
	u32 done = 0;

	bio = bio_alloc(bdev, nr, opf, GFP_NOIO);
	bio->bi_iter.bi_sector = off >> SECTOR_SHIFT;
	while (done < len) {
		void *p = (u8 *)buf + done;
		u32 chunk = min_t(u32, len - done,
				  PAGE_SIZE - offset_in_page(p));
		struct page *page = is_vmalloc_addr(p) ? vmalloc_to_page(p) :
							 virt_to_page(p);

		if (bio_add_page(bio, page, chunk, offset_in_page(p)) != chunk) {
			bio_put(bio);
			return NULL;
		}
		done += chunk;
	}
	return bio;
}

/**
 * clfs_io_sync() - read or write a buffer and wait for it
 * @bdev: the device
 * @off: byte offset on @bdev
 * @buf: the buffer (see clfs_bio_for_buf())
 * @len: bytes
 * @opf: REQ_OP_READ or REQ_OP_WRITE with flags
 *
 * Context: process context; sleeps until the I/O completes.
 * Return: 0, -EIO on a device error, -ENOMEM.
 */
int clfs_io_sync(struct block_device *bdev, u64 off, void *buf, u32 len,
		 blk_opf_t opf)
{
	struct bio *bio = clfs_bio_for_buf(bdev, off, buf, len, opf);
	int ret;

	if (!bio)
		return -ENOMEM;
	ret = submit_bio_wait(bio);
	bio_put(bio);
	return ret ? -EIO : 0;
}

/**
 * clfs_block_where() - where a block at a position may be, and how large
 * @log: the log
 * @c: the container
 * @off: the block's offset in @c
 * @max: largest size accepted (the writer's buffer size, or block_size)
 * @lsn: receives the LSN a block there must have
 * @maxp: receives @max, cut at the container's end
 *
 * The first half of the rules every reader of a block on disk applies
 * (clfs_block_read(), the recovery scan); clfs_block_check() is the other.
 *
 * Return: 0; -EUCLEAN if no block of the container can start at @off.
 */
int clfs_block_where(struct clfs_log *log, struct clfs_cont *c, u32 off,
		     u32 max, u64 *lsn, u32 *maxp)
{
	if (off < CLFS_BLOCKS_START || off >= log->meta->container_size)
		return -EUCLEAN;
	*lsn = clfs_lsn_make(c->logical_id, off, 0);
	*maxp = (u32)min_t(u64, max, log->meta->container_size - off);
	return 0;
}

/**
 * clfs_block_check() - validate a block read from disk
 * @log: the log
 * @buf: the block's bytes
 * @size: as many as clfs_block_peek() said it has
 * @lsn: the LSN it must have (clfs_block_where())
 * @max: the largest size it may have (clfs_block_where())
 * @bi: filled in on success
 *
 * Return: 0; -EUCLEAN if it is not a valid block of this log at @lsn.
 */
int clfs_block_check(struct clfs_log *log, const void *buf, u32 size,
		     u64 lsn, u32 max, struct clfs_block_info *bi)
{
	return clfs_block_decode(buf, size, log->seed, lsn, log->io_unit, max,
				 READ_ONCE(log->next_stream), bi);
}

/**
 * clfs_block_read() - read and validate the block at a position
 * @log: the log
 * @c: the container
 * @off: the block's offset in @c
 * @buf: at least log->meta->block_size bytes
 * @max: largest size accepted (the writer's buffer size, or block_size)
 * @bi: filled in on success
 *
 * Context: process context; sleeps.
 * Return: 0; -EUCLEAN if no valid block of this log starts there; -EIO.
 */
int clfs_block_read(struct clfs_log *log, struct clfs_cont *c, u32 off,
		    void *buf, u32 max, struct clfs_block_info *bi)
{
	u64 pos = c->dev_offset + off, lsn;
	u32 size;
	int ret;

	ret = clfs_block_where(log, c, off, max, &lsn, &max);
	if (ret)
		return ret;
	ret = clfs_io_sync(c->dev->cb.bdev, pos, buf, log->io_unit,
			   REQ_OP_READ);
	if (ret)
		return ret;
	ret = clfs_block_peek(buf, log->io_unit, lsn, log->io_unit, max, &size);
	if (ret)
		return ret;
	if (size > log->io_unit) {
		ret = clfs_io_sync(c->dev->cb.bdev, pos + log->io_unit,
				   (u8 *)buf + log->io_unit,
				   size - log->io_unit, REQ_OP_READ);
		if (ret)
			return ret;
	}
	return clfs_block_check(log, buf, size, lsn, max, bi);
}

static void clfs_window_ahead_end_io(struct bio *bio)
{
	struct clfs_window *w = bio->bi_private;

	complete(&w->next_done);
}

/*
 * Wait for the window's read-ahead, if one was started: 0 with @w->next
 * holding its bytes, -ENOENT (none), -EIO.
 */
static int clfs_window_collect(struct clfs_window *w)
{
	blk_status_t st;

	if (!w->next_bio)
		return -ENOENT;
	wait_for_completion(&w->next_done);
	st = w->next_bio->bi_status;
	bio_put(w->next_bio);
	w->next_bio = NULL;
	return st ? -EIO : 0;
}

/*
 * Start reading the bytes of @c from @off up to @end (at most a window's
 * size) into @w->next, while the caller validates the window: the
 * recovery scan's reads are queued, never one round trip at a time.
 */
static void clfs_window_ahead(struct clfs_window *w, struct clfs_cont *c,
			      u32 off, u32 end)
{
	struct bio *bio;
	u32 n;

	if (!w->ahead || !w->next || w->next_bio || off >= end)
		return;
	n = min(w->size, end - off);
	bio = clfs_bio_for_buf(c->dev->cb.bdev, c->dev_offset + off, w->next,
			       n, REQ_OP_READ);
	if (!bio)
		return;
	reinit_completion(&w->next_done);
	bio->bi_private = w;
	bio->bi_end_io = clfs_window_ahead_end_io;
	/* Put when collected, after its status is read. */
	w->next_bio = bio;
	w->next_id = c->logical_id;
	w->next_off = off;
	w->next_len = n;
	submit_bio(bio);
}

/**
 * clfs_window_alloc() - give a window its buffer
 * @log: the log: a window holds at most the blocks of one container
 * @w: the window, zeroed
 * @gfp: how to allocate (a read-ahead that can do without adds
 *	__GFP_NORETRY)
 *
 * The window's checksum slots (one per I/O unit) come with it if they
 * can be had; without them its blocks are checksummed one by one.
 *
 * Return: 0 or -ENOMEM.
 */
int clfs_window_alloc(struct clfs_log *log, struct clfs_window *w, gfp_t gfp)
{
	u32 slots;

	w->size = (u32)min_t(u64, CLFS_WINDOW_SIZE,
			     log->meta->container_size - CLFS_BLOCKS_START);
	w->buf = __vmalloc(w->size, gfp);
	w->len = 0;
	if (!w->buf)
		return -ENOMEM;
	/* Without it the window reads on one read at a time. */
	if (w->ahead)
		w->next = __vmalloc(w->size, gfp | __GFP_NORETRY);
	init_completion(&w->next_done);
	w->next_bio = NULL;
	slots = w->size / log->io_unit;
	w->crcs = kvmalloc_array(slots, sizeof(*w->crcs), gfp);
	w->crc_ok = bitmap_zalloc(slots, gfp);
	if (!w->crcs || !w->crc_ok) {
		kvfree(w->crcs);
		bitmap_free(w->crc_ok);
		w->crcs = NULL;
		w->crc_ok = NULL;
	}
	return 0;
}

/**
 * clfs_window_free() - free a window's buffer
 * @w: the window
 *
 * Waits for its read-ahead, if one is in flight.
 *
 * Context: process context; sleeps.
 */
void clfs_window_free(struct clfs_window *w)
{
	clfs_window_collect(w);
	vfree(w->next);
	w->next = NULL;
	vfree(w->buf);
	kvfree(w->crcs);
	bitmap_free(w->crc_ok);
	w->buf = NULL;
	w->crcs = NULL;
	w->crc_ok = NULL;
	w->len = 0;
}

/**
 * clfs_window_holds() - does a window hold bytes of a container
 * @w: the window
 * @c: the container
 * @off: the first byte's offset in @c
 * @len: the bytes
 *
 * Return: whether [@off, @off + @len) of @c are in the window.
 */
bool clfs_window_holds(const struct clfs_window *w, const struct clfs_cont *c,
		       u32 off, u32 len)
{
	return w->len && w->id == c->logical_id && off >= w->off &&
	       (u64)off + len <= (u64)w->off + w->len;
}

/**
 * clfs_window_copy() - copy the first bytes of a window into another
 * @dst: the window copied to, allocated by clfs_window_alloc() for the
 *	same log as @src
 * @src: the window copied from, holding at least @len bytes
 * @len: how many of its bytes, a multiple of the I/O unit
 * @io_unit: the log's I/O unit
 *
 * @dst then holds what @src holds up to @len, with the checksums @src
 * computed for its blocks there; a block checked from @dst is checked in
 * full as from @src (clfs_window_block()).
 */
void clfs_window_copy(struct clfs_window *dst, const struct clfs_window *src,
		      u32 len, u32 io_unit)
{
	u32 slots = len / io_unit;

	memcpy(dst->buf, src->buf, len);
	dst->id = src->id;
	dst->off = src->off;
	dst->len = len;
	if (!dst->crcs)
		return;
	if (!src->crcs) {
		bitmap_zero(dst->crc_ok, dst->size / io_unit);
		return;
	}
	memcpy(dst->crcs, src->crcs, slots * sizeof(*dst->crcs));
	bitmap_copy(dst->crc_ok, src->crc_ok, slots);
	/* bitmap_copy() copies whole words: none past @len. */
	bitmap_clear(dst->crc_ok, slots, dst->size / io_unit - slots);
}

/*
 * Checksumming a window's blocks on two CPUs: the blocks from @from to
 * @to (window offsets; @from a block's start), each block's size in its
 * checksum slot on entry.
 */
struct clfs_crc_job {
	struct work_struct work;
	struct clfs_window *w;
	u32 io_unit;
	u32 seed;
	u32 from;
	u32 to;
};

static void clfs_crc_range(struct clfs_crc_job *j)
{
	struct clfs_window *w = j->w;
	u32 pos = j->from;

	while (pos < j->to) {
		u32 slot = pos / j->io_unit, size = w->crcs[slot];

		w->crcs[slot] = clfs_block_crc((u8 *)w->buf + pos, size,
					       j->seed);
		set_bit(slot, w->crc_ok);
		pos += size;
	}
}

static void clfs_crc_work(struct work_struct *work)
{
	clfs_crc_range(container_of(work, struct clfs_crc_job, work));
}

/* Below this, a window's blocks are checksummed as they are read. */
#define CLFS_CRC_SPLIT_MIN	(256U << 10)

/* The other CPU's half of a window's checksums (clfs_io_init()). */
static struct workqueue_struct *clfs_crc_wq;

/* The other CPU's part of a block's checksum (clfs_block_crc_spread()). */
struct clfs_crc_part {
	struct work_struct work;
	const void *buf;
	u32 len;
	u32 crc;
};

static void clfs_crc_part_work(struct work_struct *work)
{
	struct clfs_crc_part *p = container_of(work, struct clfs_crc_part,
					       work);

	p->crc = clfs_crc32c(0, p->buf, p->len);
}

/**
 * clfs_block_crc_spread() - clfs_block_crc(), on two CPUs for a large block
 * @buf: the block
 * @size: its size
 * @seed: the log's checksum seed
 *
 * A block of CLFS_CRC_SPLIT_MIN bytes or more is checksummed in two
 * halves, the second on another CPU (clfs_crc_wq), and the two joined
 * (clfs_crc32c_combine(): crc32c of the second half from 0, joined to the
 * first): the same value as clfs_block_crc(), in about half the
 * time when a CPU is free.  When none has taken the second half up by
 * the time the first is done, the caller computes it too.
 *
 * Context: process context; sleeps.
 * Return: clfs_block_crc(@buf, @size, @seed).
 */
u32 clfs_block_crc_spread(const void *buf, u32 size, u32 seed)
{
	struct clfs_crc_part other;
	u32 half, mine;

	if (size < CLFS_CRC_SPLIT_MIN || num_online_cpus() < 2)
		return clfs_block_crc(buf, size, seed);
	half = size / 2;
	other.buf = (const u8 *)buf + half;
	other.len = size - half;
	INIT_WORK_ONSTACK(&other.work, clfs_crc_part_work);
	queue_work(clfs_crc_wq, &other.work);
	mine = clfs_block_crc(buf, half, seed);
	/* No CPU took it up meanwhile: this one does it, as it would alone. */
	if (cancel_work_sync(&other.work))
		clfs_crc_part_work(&other.work);
	destroy_work_on_stack(&other.work);
	return clfs_crc32c_combine(mine, other.crc, other.len);
}
EXPORT_SYMBOL_GPL(clfs_block_crc_spread);	/* clfs_engine_kunit.c calls it */

/**
 * clfs_io_init() - module load: the checksum workqueue
 *
 * Unbound, and with a rescuer: a read may wait for it from memory
 * reclaim (a kernel client's) without waiting for a worker to be made.
 *
 * Return: 0 or -ENOMEM.
 */
int clfs_io_init(void)
{
	clfs_crc_wq = alloc_workqueue("clfs_crc", WQ_UNBOUND | WQ_MEM_RECLAIM,
				      0);
	return clfs_crc_wq ? 0 : -ENOMEM;
}

/**
 * clfs_io_exit() - module unload
 */
void clfs_io_exit(void)
{
	destroy_workqueue(clfs_crc_wq);
}

/*
 * The blocks of this lap at the start of a window just read, one after
 * another by their headers (clfs_block_peek(): this position's LSN, a
 * size within the block size): each one's size goes to its checksum slot
 * (when the window has them).  *@more: they reach the window's end (the
 * last one, or the next one's header, ends there), so the log may go on
 * right after it.  Return: the window offset where they end.
 */
static u32 clfs_window_walk(struct clfs_log *log, struct clfs_window *w,
			    bool *more)
{
	u32 max = log->meta->block_size, pos = 0, size;

	*more = false;
	if (w->crcs)
		bitmap_zero(w->crc_ok, w->size / log->io_unit);
	while (pos < w->len) {
		if (clfs_block_peek((u8 *)w->buf + pos, w->len - pos,
				    clfs_lsn_make(w->id, w->off + pos, 0),
				    log->io_unit, max, &size))
			return pos;
		if (size > w->len - pos)
			break;
		if (w->crcs)
			w->crcs[pos / log->io_unit] = size;
		pos += size;
	}
	*more = true;
	return pos;
}

/*
 * Checksum the blocks clfs_window_walk() found, up to @end, those of the
 * second half of their bytes on another CPU.  Only a head start:
 * clfs_window_block() validates each block in full all the same, with
 * the checksum taken from here.
 */
static void clfs_window_crcs(struct clfs_log *log, struct clfs_window *w,
			     u32 end)
{
	struct clfs_crc_job mine = {
		.w = w, .io_unit = log->io_unit, .seed = log->seed,
	}, other;
	u32 pos = 0, mid = 0;

	if (!w->crcs || end < CLFS_CRC_SPLIT_MIN || num_online_cpus() < 2)
		return;
	while (pos < end / 2) {
		pos += w->crcs[pos / log->io_unit];
		mid = pos;
	}
	other = mine;
	mine.to = mid;
	other.from = mid;
	other.to = end;
	INIT_WORK_ONSTACK(&other.work, clfs_crc_work);
	queue_work(clfs_crc_wq, &other.work);
	clfs_crc_range(&mine);
	flush_work(&other.work);
	destroy_work_on_stack(&other.work);
}

/*
 * Make [@off, @off + @len) of @c present in the window, reading from @off
 * up to @end at most (and the window's size): from the read-ahead when it
 * holds them, else at once.  Then the next read-ahead starts, if the log
 * may go on past the window, and the window's blocks are checksummed
 * meanwhile.
 */
static int clfs_window_fill(struct clfs_log *log, struct clfs_window *w,
			    struct clfs_cont *c, u32 off, u32 len, u32 end)
{
	u32 n, whole;
	bool more;
	int ret;

	if (clfs_window_holds(w, c, off, len))
		return 0;
	n = end > off ? min(w->size, end - off) : 0;
	if (len > n)
		return -EUCLEAN;
	w->len = 0;
	if (!clfs_window_collect(w) && w->next_id == c->logical_id &&
	    off == w->next_off && len <= w->next_len) {
		swap(w->buf, w->next);
		n = w->next_len;
	} else {
		ret = clfs_io_sync(c->dev->cb.bdev, c->dev_offset + off, w->buf,
				   n, REQ_OP_READ);
		if (ret)
			return ret;
	}
	w->id = c->logical_id;
	w->off = off;
	w->len = n;
	w->reads++;
	whole = clfs_window_walk(log, w, &more);
	/* From the last whole block on: a block never spans two windows. */
	if (more)
		clfs_window_ahead(w, c, off + whole, end);
	clfs_window_crcs(log, w, whole);
	return 0;
}

/**
 * clfs_window_block() - the block at a position, from a window
 * @log: the log
 * @w: the window; read again from @off when it does not hold the block
 * @c: the container
 * @off: the block's offset in @c
 * @end: where a read of @c stops at most (what holds blocks to read: the
 *	container's size, or less)
 * @data: receives where the block's bytes are, in the window
 * @bi: filled in on success
 *
 * Validates the block at its position exactly as clfs_block_read() does
 * (clfs_block_where(), clfs_block_check(), blocks of up to block_size).
 * A window holds the largest block, so a block that does not fit in the
 * rest of one starts the next.
 *
 * Context: process context; sleeps.
 * Return: 0; -EUCLEAN if no valid block of this log starts there (or it
 * ends after @end); -EIO.
 */
int clfs_window_block(struct clfs_log *log, struct clfs_window *w,
		      struct clfs_cont *c, u32 off, u32 end, const void **data,
		      struct clfs_block_info *bi)
{
	u32 size, max, slot;
	u64 lsn;
	void *p;
	int ret;

	ret = clfs_block_where(log, c, off, log->meta->block_size, &lsn, &max);
	if (ret)
		return ret;
	ret = clfs_window_fill(log, w, c, off, log->io_unit, end);
	if (ret)
		return ret;
	p = (u8 *)w->buf + (off - w->off);
	ret = clfs_block_peek(p, log->io_unit, lsn, log->io_unit, max, &size);
	if (ret)
		return ret;
	ret = clfs_window_fill(log, w, c, off, size, end);
	if (ret)
		return ret;
	slot = (off - w->off) / log->io_unit;
	p = (u8 *)w->buf + (off - w->off);
	*data = p;
	if (w->crcs && test_bit(slot, w->crc_ok))
		return clfs_block_decode_crc(p, size, w->crcs[slot], lsn,
					     log->io_unit, max,
					     READ_ONCE(log->next_stream), bi);
	return clfs_block_check(log, p, size, lsn, max, bi);
}

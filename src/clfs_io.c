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
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

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

/**
 * clfs_window_alloc() - give a window its buffer
 * @log: the log: a window holds at most the blocks of one container
 * @w: the window, zeroed
 * @gfp: how to allocate (a read-ahead that can do without adds
 *	__GFP_NORETRY)
 *
 * Return: 0 or -ENOMEM.
 */
int clfs_window_alloc(struct clfs_log *log, struct clfs_window *w, gfp_t gfp)
{
	w->size = (u32)min_t(u64, CLFS_WINDOW_SIZE,
			     log->meta->container_size - CLFS_BLOCKS_START);
	w->buf = __vmalloc(w->size, gfp);
	w->len = 0;
	return w->buf ? 0 : -ENOMEM;
}

/**
 * clfs_window_free() - free a window's buffer
 * @w: the window
 */
void clfs_window_free(struct clfs_window *w)
{
	vfree(w->buf);
	w->buf = NULL;
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

/*
 * Make [@off, @off + @len) of @c present in the window, reading from @off
 * up to @end at most (and the window's size).
 */
static int clfs_window_fill(struct clfs_window *w, struct clfs_cont *c,
			    u32 off, u32 len, u32 end)
{
	u32 n;
	int ret;

	if (clfs_window_holds(w, c, off, len))
		return 0;
	n = end > off ? min(w->size, end - off) : 0;
	if (len > n)
		return -EUCLEAN;
	w->len = 0;
	ret = clfs_io_sync(c->dev->cb.bdev, c->dev_offset + off, w->buf, n,
			   REQ_OP_READ);
	if (ret)
		return ret;
	w->id = c->logical_id;
	w->off = off;
	w->len = n;
	w->reads++;
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
	u32 size, max;
	u64 lsn;
	void *p;
	int ret;

	ret = clfs_block_where(log, c, off, log->meta->block_size, &lsn, &max);
	if (ret)
		return ret;
	ret = clfs_window_fill(w, c, off, log->io_unit, end);
	if (ret)
		return ret;
	p = (u8 *)w->buf + (off - w->off);
	ret = clfs_block_peek(p, log->io_unit, lsn, log->io_unit, max, &size);
	if (ret)
		return ret;
	ret = clfs_window_fill(w, c, off, size, end);
	if (ret)
		return ret;
	p = (u8 *)w->buf + (off - w->off);
	*data = p;
	return clfs_block_check(log, p, size, lsn, max, bi);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs_io.c: bios over log buffers, synchronous I/O, and reads of validated
 * log blocks.  Engine-internal; a file includes the headers of the layers it
 * calls (Documentation/clfs/design.rst, "Layers").
 */
#ifndef CLFS_IO_H
#define CLFS_IO_H

#include "clfs_log.h"

int clfs_io_sync(struct block_device *bdev, u64 off, void *buf, u32 len,
		 blk_opf_t opf);
struct bio *clfs_bio_for_buf(struct block_device *bdev, u64 off, void *buf,
			     u32 len, blk_opf_t opf);
int clfs_block_where(struct clfs_log *log, struct clfs_cont *c, u32 off,
		     u32 max, u64 *lsn, u32 *maxp);
int clfs_block_check(struct clfs_log *log, const void *buf, u32 size,
		     u64 lsn, u32 max, struct clfs_block_info *bi);
u32 clfs_block_crc_spread(const void *buf, u32 size, u32 seed);
int clfs_block_read(struct clfs_log *log, struct clfs_cont *c, u32 off,
		    void *buf, u32 max, struct clfs_block_info *bi);

/* Bytes of one window read: at least CLFS_BLOCK_SIZE_MAX. */
#define CLFS_WINDOW_SIZE	CLFS_BLOCK_SIZE_MAX

/* struct clfs_window: clfs_log.h */

int clfs_window_alloc(struct clfs_log *log, struct clfs_window *w,
		      gfp_t gfp);
void clfs_window_free(struct clfs_window *w);
void clfs_window_copy(struct clfs_window *dst, const struct clfs_window *src,
		      u32 len, u32 io_unit);
bool clfs_window_holds(const struct clfs_window *w, const struct clfs_cont *c,
		       u32 off, u32 len);
int clfs_window_block(struct clfs_log *log, struct clfs_window *w,
		      struct clfs_cont *c, u32 off, u32 end, const void **data,
		      struct clfs_block_info *bi);

#endif /* CLFS_IO_H */

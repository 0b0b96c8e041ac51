/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs_cont_table.c: the container table: lookups in log order, block-start
 * bitmaps, container headers.  Engine-internal; a file includes the headers
 * of the layers it calls (Documentation/clfs/design.rst, "Layers").
 */
#ifndef CLFS_CONT_TABLE_H
#define CLFS_CONT_TABLE_H

#include "clfs_log.h"

struct clfs_cont *clfs_cont_by_logical(struct clfs_log *log, u32 logical);
struct clfs_cont *clfs_cont_next(struct clfs_log *log, u32 logical);
struct clfs_cont *clfs_cont_first(struct clfs_log *log);
struct clfs_cont *clfs_cont_alloc(struct clfs_log *log,
				  const struct clfs_container_info *ci,
				  struct clfs_dev *dev);
void clfs_cont_free(struct clfs_cont *c);
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

#endif /* CLFS_CONT_TABLE_H */

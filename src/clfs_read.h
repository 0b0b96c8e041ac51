/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs_read.c: reads, for the operations above them.  Engine-internal; a
 * file includes the headers of the layers it calls
 * (Documentation/clfs/design.rst, "Layers").
 */
#ifndef CLFS_READ_H
#define CLFS_READ_H

#include "clfs_log.h"

int clfs_record_lookup(struct clfs_log *log, u64 lsn,
		       struct clfs_block_info *bi, struct clfs_record_view *rv);
int clfs_read_open(struct clfs_stream *st, u64 lsn, u32 mode, u32 type_mask,
		   bool restart, struct clfs_read_ctx **ctxp,
		   struct clfs_record *rec);
bool clfs_read_is_restart(const struct clfs_read_ctx *ctx);

#endif /* CLFS_READ_H */

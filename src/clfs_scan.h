/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs_scan.c: the block scan that indexes the log.  Engine-internal; a
 * file includes the headers of the layers it calls
 * (Documentation/clfs/design.rst, "Layers").
 */
#ifndef CLFS_SCAN_H
#define CLFS_SCAN_H

#include "clfs_log.h"

void clfs_scan_init(struct clfs_log *log, u64 target, u64 target_last,
		    u64 limit);
void clfs_scan_free(struct clfs_log *log);
int clfs_scan_step(struct clfs_log *log, const void **data,
		   struct clfs_block_info *bi);
int clfs_scan_to(struct clfs_log *log, u64 lsn);
bool clfs_scan_wants(struct clfs_log *log, u64 lsn);
bool clfs_scan_lend(struct clfs_log *log, u64 lsn, struct clfs_window *w,
		    u32 *cuts, u64 *below);
void clfs_scan_cut(struct clfs_log *log, u64 block, u64 last);

#endif /* CLFS_SCAN_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs_trim.c: truncation notes: blocks a truncation cut short.
 * Engine-internal; a file includes the headers of the layers it calls
 * (Documentation/clfs/design.rst, "Layers").
 */
#ifndef CLFS_TRIM_H
#define CLFS_TRIM_H

#include "clfs_log.h"

void clfs_trim_apply(struct clfs_log *log, struct clfs_block_info *bi);
struct clfs_trim *clfs_trim_alloc(void);
void clfs_trim_add(struct clfs_log *log, struct clfs_trim *t, u64 block,
		   u64 last);
void clfs_trim_insert(struct clfs_log *log, struct clfs_trim *t, u64 block,
		      u64 last);
void clfs_trim_forget_below(struct clfs_log *log, u64 start);
void clfs_trim_free_all(struct clfs_log *log);

#endif /* CLFS_TRIM_H */

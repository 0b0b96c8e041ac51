/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs_space.c: space and reservations, the one home of both.
 * Engine-internal; a file includes the headers of the layers it calls
 * (Documentation/clfs/design.rst, "Layers").
 */
#ifndef CLFS_SPACE_H
#define CLFS_SPACE_H

#include "clfs_log.h"

struct clfs_pos clfs_space_pos(struct clfs_log *log);
u32 clfs_space_block(struct clfs_log *log);
u64 clfs_space_safe(struct clfs_log *log, struct clfs_pos pos, u32 block);
u64 clfs_space_free(struct clfs_log *log);
u32 clfs_space_room(struct clfs_log *log, u32 buffer, u32 off);
u32 clfs_rsv_size(struct clfs_log *log, u32 length);
int clfs_rsv_round(struct clfs_marshal *ma, unsigned int n, const s64 *in,
		   s64 *out);
void clfs_rsv_add(struct clfs_marshal *ma, u32 size);
int clfs_rsv_sub(struct clfs_marshal *ma, u32 size);
int clfs_rsv_take(struct clfs_marshal *ma, u32 need);
int clfs_rsv_release(struct clfs_marshal *ma, unsigned int n, const s64 *rsv);
void clfs_rsv_restore(struct clfs_marshal *ma, unsigned int n, const s64 *rsv);

#endif /* CLFS_SPACE_H */

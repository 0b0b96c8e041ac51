/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs_append.c: appends, for the operations above them.  Engine-internal; a
 * file includes the headers of the layers it calls
 * (Documentation/clfs/design.rst, "Layers").
 */
#ifndef CLFS_APPEND_H
#define CLFS_APPEND_H

#include "clfs_log.h"

int clfs_append_check(struct clfs_marshal *ma, const struct kvec *iov,
		      unsigned int n_iov, u32 *len);
int clfs_append_rsv(struct clfs_marshal *ma, const struct kvec *iov,
		    unsigned int n_iov, u64 undo_next, u64 previous, u32 type,
		    u32 flags, unsigned int n_rsv, s64 *rsv, u64 *lsn,
		    struct clfs_flush_req *req);

#endif /* CLFS_APPEND_H */

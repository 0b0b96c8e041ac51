/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs_tail.c: tails and truncation, for the operations above them.
 * Engine-internal; a file includes the headers of the layers it calls
 * (Documentation/clfs/design.rst, "Layers").
 */
#ifndef CLFS_TAIL_H
#define CLFS_TAIL_H

#include "clfs_log.h"

int clfs_tail_commit_scratch(struct clfs_log *log);
int clfs_tail_commit(struct clfs_stream *st, u64 base, u64 archive,
		     u64 restart);
int clfs_tail_validate_base(struct clfs_stream *st, u64 lsn);
void clfs_tail_get(struct clfs_stream *st, u64 *base, u64 *archive,
		   u64 *restart);
void clfs_tail_get_locked(struct clfs_stream *st, u64 *base, u64 *archive,
			  u64 *restart);

#endif /* CLFS_TAIL_H */

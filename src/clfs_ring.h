/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs_ring.c: the write-buffer ring: open, seal, submit, completion,
 * group-commit flush.  Engine-internal; a file includes the headers of the
 * layers it calls (Documentation/clfs/design.rst, "Layers").
 */
#ifndef CLFS_RING_H
#define CLFS_RING_H

#include "clfs_log.h"

void clfs_io_work(struct work_struct *work);
void clfs_seal_work(struct work_struct *work);
enum hrtimer_restart clfs_hold_fire(struct hrtimer *t);
bool clfs_ring_busy(struct clfs_log *log);
bool clfs_area_busy(struct clfs_marshal *ma);
int clfs_buf_open(struct clfs_marshal *ma, struct clfs_pos at);
int clfs_seal(struct clfs_log *log, struct clfs_buf *b, bool flush);
struct clfs_buf *clfs_seal_for_next(struct clfs_log *log,
				    struct clfs_marshal *ma);
struct clfs_buf *clfs_buf_hold(struct clfs_log *log);
void clfs_buf_put(struct clfs_buf *b);
void clfs_buf_wait_fill(struct clfs_log *log, struct clfs_buf *b);
void clfs_buf_drop(struct clfs_log *log);
void clfs_bios_wait(struct clfs_log *log);
/*
 * A flusher is a struct clfs_flush_req (<linux/clfs.h>): on the caller's
 * stack with @done NULL for a caller that sleeps, the caller's own with
 * @done set for one that does not; clfs_flush_finish() waits either way.
 * [io_lock] fields: @node in log->flushers from clfs_flush_start() until
 * the wait ends; @cut set by a truncation that removed the record; @wq on
 * log->flush_wait while it waits for a completion.
 */
void clfs_flush_start(struct clfs_log *log, struct clfs_flush_req *fl,
		      u64 lsn);
void clfs_flush_cut(struct clfs_log *log, u64 end);
void clfs_flush_init(struct clfs_flush_req *fl, bool all);
int clfs_flush_finish(struct clfs_log *log, struct clfs_flush_req *fl);
void clfs_flush_work(struct work_struct *work);
int clfs_flush_lsn(struct clfs_log *log, u64 lsn);
void clfs_flush_wake_all(struct clfs_log *log);

#endif /* CLFS_RING_H */

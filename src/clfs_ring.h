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
void clfs_buf_drop(struct clfs_log *log);
void clfs_bios_wait(struct clfs_log *log);
/*
 * A caller waiting for a record to be durable (clfs_flush_start(),
 * clfs_flush_wait()), on its own stack.  [io_lock] fields: @node in
 * log->flushers from start to the end of the wait; @cut set by a
 * truncation that removed the record.
 */
struct clfs_flusher {
	struct wait_queue_entry wq;	/* on log->flush_wait while asleep */
	struct list_head node;
	u64 lsn;
	bool cut;
};

void clfs_flush_start(struct clfs_log *log, struct clfs_flusher *fl,
		      u64 lsn);
void clfs_flush_cut(struct clfs_log *log, u64 end);
int clfs_flush_wait(struct clfs_log *log, struct clfs_flusher *fl);
int clfs_flush_lsn(struct clfs_log *log, u64 lsn);
void clfs_flush_wake_all(struct clfs_log *log);

#endif /* CLFS_RING_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * clfs truncation notes: which blocks a truncation cut short.
 *
 * A truncation (clfs_tail.c) keeps the records of one block up to an LSN,
 * and recovery learns the same from each block's prev_last (the count of
 * records of the block before it that are kept).  log->trims lists those
 * blocks by LSN with their last kept record; a reader applies the note
 * when it decodes such a block, so that no read returns a record past it.
 * The list is short: one note per truncation plus one per block that
 * recovery found cut short.  Under log->io_mutex (or before the log is
 * shared).
 */
#include <linux/slab.h>

#include "clfs_trim.h"
/**
 * clfs_trim_apply() - limit a block read from disk to its kept records
 * @log: the log, log->io_mutex held
 * @bi: the block's decoded header; n_records is lowered if a truncation
 *	cut the block short
 */
void clfs_trim_apply(struct clfs_log *log, struct clfs_block_info *bi)
{
	struct clfs_trim *t;

	lockdep_assert_held(&log->io_mutex);
	list_for_each_entry(t, &log->trims, node) {
		if (t->block == bi->lsn) {
			bi->n_records = min_t(u32, bi->n_records,
					      clfs_lsn_record(t->last) + 1);
			return;
		}
	}
}

/**
 * clfs_trim_add() - note that a block keeps its records up to @last only
 * @log: the log, log->io_mutex held
 * @t: a note allocated by the caller; the list owns it from now on
 * @block: the block's LSN
 * @last: its last kept record
 *
 * Notes for @block and later blocks are dropped: those blocks are gone.
 */
void clfs_trim_add(struct clfs_log *log, struct clfs_trim *t, u64 block,
		   u64 last)
{
	struct clfs_trim *o, *tmp;

	lockdep_assert_held(&log->io_mutex);
	list_for_each_entry_safe(o, tmp, &log->trims, node) {
		if (o->block >= block) {
			list_del(&o->node);
			kfree(o);
		}
	}
	t->block = block;
	t->last = last;
	list_add_tail(&t->node, &log->trims);
}

/**
 * clfs_trim_free_all() - forget every truncation note
 * @log: the log
 */
void clfs_trim_free_all(struct clfs_log *log)
{
	struct clfs_trim *t, *tmp;

	list_for_each_entry_safe(t, tmp, &log->trims, node) {
		list_del(&t->node);
		kfree(t);
	}
}

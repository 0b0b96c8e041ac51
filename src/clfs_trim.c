// SPDX-License-Identifier: GPL-2.0
/*
 * clfs truncation notes: which blocks a truncation cut short.
 *
 * A truncation (clfs_tail.c) keeps the records of one block up to an LSN,
 * and recovery learns the same from each block's prev_last (the LSN of the
 * last record of the block before it that is kept).  log->trims holds
 * those blocks, keyed by block LSN, with their last kept record; a reader
 * applies the note when it decodes such a block, so that no read returns
 * a record past it.  Under log->io_mutex (or before the log is shared).
 *
 * An honest log has one note per truncation, but an image from anywhere
 * can cut every block short: the notes are an rbtree, so that an open
 * (one note per block, in log order) and a read of every block each cost
 * O(log n) per block, never a walk of all notes; each note is charged to
 * the opener's memory cgroup.  log->trim_steps counts the nodes visited,
 * for the tests that hold the notes to that bound.
 */
#include <linux/rbtree.h>
#include <linux/slab.h>

#include "clfs_trim.h"

static struct clfs_trim *clfs_trim_entry(struct rb_node *n)
{
	return rb_entry_safe(n, struct clfs_trim, node);
}

/**
 * clfs_trim_apply() - limit a block read from disk to its kept records
 * @log: the log, log->io_mutex held
 * @bi: the block's decoded header; n_records is lowered if a truncation
 *	cut the block short
 */
void clfs_trim_apply(struct clfs_log *log, struct clfs_block_info *bi)
{
	struct rb_node *n = log->trims.rb_node;

	lockdep_assert_held(&log->io_mutex);
	while (n) {
		struct clfs_trim *t = clfs_trim_entry(n);

		log->trim_steps++;
		if (bi->lsn < t->block) {
			n = n->rb_left;
		} else if (bi->lsn > t->block) {
			n = n->rb_right;
		} else {
			bi->n_records = min_t(u32, bi->n_records,
					      clfs_lsn_record(t->last) + 1);
			return;
		}
	}
}

/**
 * clfs_trim_alloc() - a note for clfs_trim_add()
 *
 * Return: the note, charged to the caller's memory cgroup, or NULL.
 */
struct clfs_trim *clfs_trim_alloc(void)
{
	return kmalloc(sizeof(struct clfs_trim), CLFS_GFP);
}

/**
 * clfs_trim_add() - note that a block keeps its records up to @last only
 * @log: the log, log->io_mutex held
 * @t: a note from clfs_trim_alloc(); the tree owns it from now on
 * @block: the block's LSN
 * @last: its last kept record
 *
 * Notes for @block and later blocks are dropped first: those blocks are
 * gone.  @t then is the last note, so it goes down the right edge.
 */
void clfs_trim_add(struct clfs_log *log, struct clfs_trim *t, u64 block,
		   u64 last)
{
	struct rb_node **p = &log->trims.rb_node, *parent = NULL;
	struct clfs_trim *o;

	lockdep_assert_held(&log->io_mutex);
	while ((o = clfs_trim_entry(rb_last(&log->trims))) &&
	       o->block >= block) {
		log->trim_steps++;
		rb_erase(&o->node, &log->trims);
		kfree(o);
	}
	while (*p) {
		log->trim_steps++;
		parent = *p;
		p = &(*p)->rb_right;
	}
	t->block = block;
	t->last = last;
	rb_link_node(&t->node, parent, p);
	rb_insert_color(&t->node, &log->trims);
}

/**
 * clfs_trim_insert() - note, in order, what a block found by a scan keeps
 * @log: the log, log->io_mutex held
 * @t: a note from clfs_trim_alloc(); the tree owns it (or frees it)
 * @block: the block's LSN
 * @last: its last kept record
 *
 * Unlike clfs_trim_add(), later notes stay: the scan of a cleanly closed
 * log (clfs_scan.c) notes blocks below the ones a truncation of this
 * open may have noted.  A note for @block already there is replaced.
 */
void clfs_trim_insert(struct clfs_log *log, struct clfs_trim *t, u64 block,
		      u64 last)
{
	struct rb_node **p = &log->trims.rb_node, *parent = NULL;
	struct clfs_trim *o;

	lockdep_assert_held(&log->io_mutex);
	while (*p) {
		log->trim_steps++;
		parent = *p;
		o = clfs_trim_entry(parent);
		if (block < o->block) {
			p = &parent->rb_left;
		} else if (block > o->block) {
			p = &parent->rb_right;
		} else {
			o->last = last;
			kfree(t);
			return;
		}
	}
	t->block = block;
	t->last = last;
	rb_link_node(&t->node, parent, p);
	rb_insert_color(&t->node, &log->trims);
}

/**
 * clfs_trim_forget_below() - drop the notes of blocks wholly before @start
 * @log: the log, log->io_mutex held
 * @start: the log's new start LSN
 */
void clfs_trim_forget_below(struct clfs_log *log, u64 start)
{
	struct clfs_trim *t;

	lockdep_assert_held(&log->io_mutex);
	while ((t = clfs_trim_entry(rb_first(&log->trims))) &&
	       t->last < start) {
		log->trim_steps++;
		rb_erase(&t->node, &log->trims);
		kfree(t);
	}
}

/**
 * clfs_trim_free_all() - forget every truncation note
 * @log: the log, no longer shared
 */
void clfs_trim_free_all(struct clfs_log *log)
{
	struct clfs_trim *t, *tmp;

	rbtree_postorder_for_each_entry_safe(t, tmp, &log->trims, node)
		kfree(t);
	log->trims = RB_ROOT;
}

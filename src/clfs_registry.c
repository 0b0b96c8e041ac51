// SPDX-License-Identifier: GPL-2.0
/*
 * clfs registry: every log the module has open, by its base device, so
 * that a second open of a log (from user space or from an in-kernel
 * client) shares the log already open instead of failing on its devices.
 *
 * An entry is one base device.  While a log is being created, opened
 * (recovery may take seconds) or closed, its entry is busy (@log NULL):
 * another open of the same device waits, interruptibly, until it settles,
 * then either shares the open log or opens it afresh.  Once open, the
 * entry counts the log's openers; the close of the last one makes it busy
 * again, closes the log and removes the entry.  No log is ever open twice,
 * and no opener ever gets a log being torn down.
 *
 * clfs_reg_lock guards the list and every field of every entry; it is a
 * spinlock because waiters test the entries in their wait condition.
 * Nothing sleeps under it.
 */
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "clfs_registry.h"

struct clfs_reg {
	struct list_head node;		/* [clfs_reg_lock] in clfs_regs */
	dev_t devt;			/* [fixed] the log's base device */
	struct clfs_log *log;		/* [clfs_reg_lock] NULL while busy */
	unsigned int openers;		/* [clfs_reg_lock] handles of @log */
};

static DEFINE_SPINLOCK(clfs_reg_lock);
static LIST_HEAD(clfs_regs);
static DECLARE_WAIT_QUEUE_HEAD(clfs_reg_wait);

static struct clfs_reg *clfs_reg_find(dev_t devt)
{
	struct clfs_reg *r;

	lockdep_assert_held(&clfs_reg_lock);
	list_for_each_entry(r, &clfs_regs, node)
		if (r->devt == devt)
			return r;
	return NULL;
}

static bool clfs_reg_busy(dev_t devt)
{
	struct clfs_reg *r;
	bool busy;

	spin_lock(&clfs_reg_lock);
	r = clfs_reg_find(devt);
	busy = r && !r->log;
	spin_unlock(&clfs_reg_lock);
	return busy;
}

/**
 * clfs_reg_get() - share the log open on a base device, or claim the device
 *	to open it
 * @devt: the base device
 * @create: the caller creates a new log there: an open one is -EBUSY
 * @logp: receives the shared log, counted as one more opener; NULL when
 *	the caller is to open (or create) the log itself and then report
 *	with clfs_reg_set()
 *
 * Context: process context; sleeps while another open or close of the
 * same device runs.
 * Return: 0; -EBUSY (@create and the log is open); -ERESTARTSYS (a signal came
 * while waiting); -ENOMEM.
 */
int clfs_reg_get(dev_t devt, bool create, struct clfs_log **logp)
{
	struct clfs_reg *r, *fresh = kzalloc(sizeof(*fresh), CLFS_GFP);
	int ret = 0;

	might_sleep();
	if (!fresh)
		return -ENOMEM;
	fresh->devt = devt;
	*logp = NULL;
	spin_lock(&clfs_reg_lock);
	while ((r = clfs_reg_find(devt)) && !r->log) {
		spin_unlock(&clfs_reg_lock);
		if (wait_event_interruptible(clfs_reg_wait,
					     !clfs_reg_busy(devt))) {
			kfree(fresh);
			return -ERESTARTSYS;
		}
		spin_lock(&clfs_reg_lock);
	}
	if (!r) {
		list_add(&fresh->node, &clfs_regs);
		fresh = NULL;
	} else if (create) {
		ret = -EBUSY;
	} else {
		r->openers++;
		*logp = r->log;
	}
	spin_unlock(&clfs_reg_lock);
	kfree(fresh);
	return ret;
}

/**
 * clfs_reg_set() - report the outcome of an open that clfs_reg_get() left
 *	to the caller
 * @devt: the base device
 * @log: the log now open (its one opener is the caller), or NULL: the
 *	open failed and the device is released
 */
void clfs_reg_set(dev_t devt, struct clfs_log *log)
{
	struct clfs_reg *r;

	spin_lock(&clfs_reg_lock);
	r = clfs_reg_find(devt);
	if (log) {
		r->log = log;
		r->openers = 1;
		log->reg = r;
	} else {
		list_del(&r->node);
	}
	spin_unlock(&clfs_reg_lock);
	if (!log)
		kfree(r);
	wake_up_all(&clfs_reg_wait);
}

/**
 * clfs_reg_put() - drop one opener of a log
 * @log: the log
 *
 * Return: true when it was the last: the entry is busy from now on, and
 * the caller closes the log and then calls clfs_reg_gone(); false when
 * other openers remain.
 */
bool clfs_reg_put(struct clfs_log *log)
{
	struct clfs_reg *r = log->reg;
	bool last;

	spin_lock(&clfs_reg_lock);
	last = !--r->openers;
	if (last)
		r->log = NULL;
	spin_unlock(&clfs_reg_lock);
	return last;
}

/**
 * clfs_reg_undo_put() - count an opener again after clfs_reg_put() said
 *	last but the close could not go on
 * @log: the log, still open
 */
void clfs_reg_undo_put(struct clfs_log *log)
{
	struct clfs_reg *r = log->reg;

	spin_lock(&clfs_reg_lock);
	r->log = log;
	r->openers++;
	spin_unlock(&clfs_reg_lock);
	wake_up_all(&clfs_reg_wait);
}

/**
 * clfs_reg_gone() - the last opener closed the log: remove its entry
 * @r: the log's entry (log->reg); the log is freed, its devices released
 */
void clfs_reg_gone(struct clfs_reg *r)
{
	spin_lock(&clfs_reg_lock);
	list_del(&r->node);
	spin_unlock(&clfs_reg_lock);
	kfree(r);
	wake_up_all(&clfs_reg_wait);
}

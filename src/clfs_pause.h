/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs pause points: hooks for the KUnit suites, and nothing otherwise.
 *
 * Some defects live in a window between two steps of one actor that a
 * second actor can meet: a completion that has published a block as done
 * but not yet retired it.  No device can hold the
 * engine inside such a window, so a suite does: with CLFS_TEST_HOOKS
 * (defined by src/Kbuild only when the KUnit suites are built), the
 * engine calls the hook a suite set (clfs_pause_set()) at each named point,
 * in the context of that point (atomic for a completion, unless the
 * suite knows which device completes there).  Without the suites,
 * clfs_pause() is empty and the hook does not exist.
 */
#ifndef CLFS_PAUSE_H
#define CLFS_PAUSE_H

struct clfs_log;

/**
 * enum clfs_pause_point - where the engine calls the pause hook
 * @CLFS_PAUSE_END_IO: a block write's completion, after it published the
 *	block as done and before it retires blocks (clfs_retire())
 * @CLFS_PAUSE_FLUSH: a group-commit flush, after it noted what has
 *	completed and before it issues the cache flush (process context)
 * @CLFS_PAUSE_TRUNCATE: a truncation, holding log->io_mutex, before it
 *	waits for the blocks in flight (process context)
 * @CLFS_PAUSE_FILL: an append, after it placed its record and dropped
 *	log->io_mutex, before it copies the record's bytes into the block
 *	it holds (process context)
 * @CLFS_PAUSE_LEND: a forward read, after it took a copy of the scan's
 *	window (clfs_scan_lend()) and before it loads the block from it,
 *	holding none of the log's locks (process context)
 */
enum clfs_pause_point {
	CLFS_PAUSE_END_IO,
	CLFS_PAUSE_FLUSH,
	CLFS_PAUSE_TRUNCATE,
	CLFS_PAUSE_FILL,
	CLFS_PAUSE_LEND,
};

typedef void (*clfs_pause_fn)(struct clfs_log *log,
			      enum clfs_pause_point point);

#ifdef CLFS_TEST_HOOKS
extern clfs_pause_fn clfs_pause_hook;
void clfs_pause_set(clfs_pause_fn hook);

static inline void clfs_pause(struct clfs_log *log,
			      enum clfs_pause_point point)
{
	clfs_pause_fn hook = READ_ONCE(clfs_pause_hook);

	if (hook)
		hook(log, point);
}
#else
static inline void clfs_pause(struct clfs_log *log,
			      enum clfs_pause_point point)
{
}
#endif

#endif /* CLFS_PAUSE_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * clfs streams: the streams of a multiplexed log (format.rst, "Streams"):
 * create, open, close, list and delete them, and the in-memory stream
 * objects the engine reads and appends through.
 *
 * Every log serves its clients through struct clfs_stream.  A dedicated
 * log has one, log->stream0 (id 0): the calls on a log (clfs_marshal_create(),
 * clfs_read_record(), ...) are that stream's.  A multiplexed log has one
 * object per entry of its stream table, on log->streams in increasing id
 * order: made when the log is opened (clfs_streams_load()) or the stream
 * created, freed when it is deleted or the log closed.  Clients reach one
 * with clfs_stream_open() by name and go on through the stream calls
 * (clfs_stream_marshal_create(), clfs_stream_read_record(), ...).
 *
 * Lifetime: st->users [log->lock] counts the opens, the marshalling areas
 * and the clients' read contexts of the stream; a stream is deleted only
 * when it has none (-EBUSY otherwise), so no area, context or handle ever
 * uses a freed stream.
 *
 * Creating and deleting a stream are metadata updates under
 * log->tail_mutex, like tail moves: the new table is committed through the
 * two copies (clfs_tail_commit_scratch(), which also recycles what the
 * change leaves behind) before the object joins or leaves log->streams.
 * A new stream's base is the log's last record, made durable first, so
 * that it pins nothing older and never lies past the log's end after a
 * crash (its records, appended later, follow it).
 */
#include <linux/slab.h>
#include <linux/string.h>

#include "clfs_meta.h"
#include "clfs_ring.h"
#include "clfs_tail.h"
#include "clfs_stream.h"

static struct clfs_stream *clfs_stream_alloc(struct clfs_log *log, u32 id,
					     const char *name, u64 start)
{
	struct clfs_stream *st = kzalloc(sizeof(*st), CLFS_GFP);

	if (!st)
		return NULL;
	st->log = log;
	st->id = id;
	memcpy(st->name, name, CLFS_STREAM_NAME_SIZE);
	st->first_lsn = CLFS_LSN_INVALID;
	st->last_lsn = CLFS_LSN_INVALID;
	st->start = start;
	INIT_LIST_HEAD(&st->node);
	return st;
}

/**
 * clfs_streams_load() - make the stream objects of a log being opened
 * @log: the log, metadata read, not shared yet
 *
 * Context: process context.
 * Return: 0, or -ENOMEM.
 */
int clfs_streams_load(struct clfs_log *log)
{
	const struct clfs_meta_info *mi = log->meta;
	struct clfs_stream *st;
	u32 i;

	log->multiplexed = clfs_meta_multiplexed(mi);
	log->next_stream = mi->next_stream;
	log->stream0.log = log;
	log->stream0.first_lsn = CLFS_LSN_INVALID;
	log->stream0.last_lsn = CLFS_LSN_INVALID;
	log->stream0.start = clfs_start_lsn(mi);
	for (i = 0; i < mi->n_streams; i++) {
		st = clfs_stream_alloc(log, mi->streams[i].id,
				       mi->streams[i].name,
				       clfs_stream_start(&mi->streams[i]));
		if (!st)
			return -ENOMEM;
		list_add_tail(&st->node, &log->streams);
	}
	return 0;
}

/**
 * clfs_streams_free() - free a log's stream objects, at its end
 * @log: the log, no longer shared
 */
void clfs_streams_free(struct clfs_log *log)
{
	struct clfs_stream *st, *tmp;

	list_for_each_entry_safe(st, tmp, &log->streams, node) {
		list_del(&st->node);
		kfree(st);
	}
}

/**
 * clfs_stream_find() - a multiplexed log's stream by id
 * @log: the log; log->lock or log->io_mutex held, or not shared yet
 * @id: the stream id
 *
 * Return: the stream, or NULL (none: never created, or deleted).
 */
struct clfs_stream *clfs_stream_find(struct clfs_log *log, u32 id)
{
	struct clfs_stream *st;

	list_for_each_entry(st, &log->streams, node)
		if (st->id == id)
			return st;
	return NULL;
}

/**
 * clfs_streams_busy() - is a stream still open by a client?
 * @log: the log, at its last close
 *
 * A stream's users beyond its marshalling areas (which the last close
 * deletes) are opens and read contexts that would outlive the log.
 *
 * Return: true when a stream has such a user.
 */
bool clfs_streams_busy(struct clfs_log *log)
{
	struct clfs_stream *st;
	struct clfs_marshal *ma;
	bool busy = false;
	u32 areas;

	mutex_lock(&log->lock);
	list_for_each_entry(st, &log->streams, node) {
		areas = 0;
		list_for_each_entry(ma, &log->areas, node)
			areas += ma->st == st;
		busy |= st->users > areas;
	}
	mutex_unlock(&log->lock);
	return busy;
}

/* A multiplexed log's stream by name (log->lock held), or NULL. */
static struct clfs_stream *clfs_stream_by_name(struct clfs_log *log,
					       const char *name)
{
	struct clfs_stream *st;

	lockdep_assert_held(&log->lock);
	list_for_each_entry(st, &log->streams, node)
		if (!strncmp(st->name, name, CLFS_STREAM_NAME_SIZE))
			return st;
	return NULL;
}

/*
 * Check a call's log and stream name, and copy the name into @buf,
 * NUL-padded: 0, -EINVAL, or -EOPNOTSUPP (a dedicated log).
 */
static int clfs_stream_name(struct clfs_log *log, const char *name,
			    char *buf)
{
	size_t n;

	if (!log || !name)
		return -EINVAL;
	n = strnlen(name, CLFS_STREAM_NAME_SIZE);
	if (n >= CLFS_STREAM_NAME_SIZE)
		return -EINVAL;
	memset(buf, 0, CLFS_STREAM_NAME_SIZE);
	memcpy(buf, name, n);
	if (!clfs_stream_name_ok(buf))
		return -EINVAL;
	return log->multiplexed ? 0 : -EOPNOTSUPP;
}

/* Add stream @st to log->scratch (log->lock held); 0 or -ENOSPC. */
static int clfs_stream_add_entry(struct clfs_log *log, struct clfs_stream *st)
{
	struct clfs_meta_info *mi = log->scratch;
	struct clfs_stream_info *si;

	lockdep_assert_held(&log->lock);
	if (mi->n_streams >= CLFS_MAX_STREAMS ||
	    mi->next_stream >= CLFS_STREAM_ID_MAX)
		return -ENOSPC;
	/* Ids only grow: the new entry is the last in id order. */
	si = &mi->streams[mi->n_streams++];
	memset(si, 0, sizeof(*si));
	si->id = mi->next_stream++;
	memcpy(si->name, st->name, CLFS_STREAM_NAME_SIZE);
	si->base_lsn = st->start;
	si->archive_tail = CLFS_LSN_INVALID;
	si->restart_lsn = CLFS_LSN_INVALID;
	/* No record yet, as a clean-close marker (if any) says. */
	si->clean_first = CLFS_LSN_INVALID;
	si->clean_last = CLFS_LSN_INVALID;
	st->id = si->id;
	return 0;
}

/**
 * clfs_stream_create() - create a stream in a multiplexed log
 * @log: an open multiplexed log
 * @name: the stream's name: 1..31 bytes of [A-Za-z0-9._-], NUL-terminated
 * @id: if not NULL, receives the new stream's id
 *
 * The stream's base is the log's last record (made durable first), so
 * its first record is the next one appended to it.  Durable when it
 * returns.
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL (bad name or arguments); -EOPNOTSUPP (a dedicated
 * log: it is its one stream); -EEXIST (a stream of that name exists);
 * -ENOSPC (the log has CLFS_MAX_STREAMS streams, or has used every id);
 * -EIO; -ENOMEM.  Nothing changed on failure.
 */
int clfs_stream_create(struct clfs_log *log, const char *name, u32 *id)
{
	char buf[CLFS_STREAM_NAME_SIZE];
	struct clfs_stream *st;
	u64 last;
	int ret;

	might_sleep();
	ret = clfs_stream_name(log, name, buf);
	if (ret)
		return ret;
	st = clfs_stream_alloc(log, 0, buf, CLFS_LSN_NULL);
	if (!st)
		return -ENOMEM;
	mutex_lock(&log->tail_mutex);
	mutex_lock(&log->io_mutex);
	last = log->last_lsn;
	mutex_unlock(&log->io_mutex);
	if (last != CLFS_LSN_INVALID) {
		ret = clfs_flush_lsn(log, last);
		if (ret)
			goto out_unlock_tail;
		st->start = last;
	}
	mutex_lock(&log->lock);
	if (clfs_stream_by_name(log, buf)) {
		ret = -EEXIST;
		goto out_unlock;
	}
	clfs_meta_prepare(log);
	ret = clfs_stream_add_entry(log, st);
	if (!ret)
		ret = clfs_tail_commit_scratch(log);
	if (ret)
		goto out_unlock;
	mutex_lock(&log->io_mutex);
	list_add_tail(&st->node, &log->streams);
	mutex_unlock(&log->io_mutex);
	WRITE_ONCE(log->next_stream, log->meta->next_stream);
	if (id)
		*id = st->id;
	st = NULL;
out_unlock:
	mutex_unlock(&log->lock);
out_unlock_tail:
	mutex_unlock(&log->tail_mutex);
	kfree(st);
	return ret;
}
EXPORT_SYMBOL_GPL(clfs_stream_create);

/**
 * clfs_stream_delete() - delete a stream of a multiplexed log
 * @log: an open multiplexed log
 * @name: the stream's name
 *
 * Its records stay on disk until their containers are recycled, but no
 * read returns them and they pin nothing.  Durable when it returns.
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL (bad name or arguments); -EOPNOTSUPP (a dedicated
 * log); -ENOENT (no such stream); -EBUSY (the stream is open, or has a
 * marshalling area or read context); -EIO.  Nothing changed on failure.
 */
int clfs_stream_delete(struct clfs_log *log, const char *name)
{
	char buf[CLFS_STREAM_NAME_SIZE];
	struct clfs_meta_info *mi;
	struct clfs_stream *st;
	u32 i;
	int ret;

	might_sleep();
	ret = clfs_stream_name(log, name, buf);
	if (ret)
		return ret;
	mutex_lock(&log->tail_mutex);
	mutex_lock(&log->lock);
	st = clfs_stream_by_name(log, buf);
	if (!st) {
		ret = -ENOENT;
		goto out_unlock;
	}
	if (st->users) {
		ret = -EBUSY;
		goto out_unlock;
	}
	clfs_meta_prepare(log);
	mi = log->scratch;
	for (i = 0; i < mi->n_streams && mi->streams[i].id != st->id; i++)
		;
	if (WARN_ON_ONCE(i == mi->n_streams)) {
		ret = -EINVAL;
		goto out_unlock;
	}
	memmove(&mi->streams[i], &mi->streams[i + 1],
		(mi->n_streams - i - 1) * sizeof(mi->streams[0]));
	mi->n_streams--;
	ret = clfs_tail_commit_scratch(log);
	if (ret)
		goto out_unlock;
	mutex_lock(&log->io_mutex);
	list_del(&st->node);
	mutex_unlock(&log->io_mutex);
	kfree(st);
out_unlock:
	mutex_unlock(&log->lock);
	mutex_unlock(&log->tail_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(clfs_stream_delete);

/**
 * clfs_stream_open() - open a stream of a multiplexed log by name
 * @log: an open multiplexed log
 * @name: the stream's name
 * @stp: receives the stream; close it with clfs_stream_close() after
 *	deleting its marshalling areas and terminating its read contexts
 *
 * Any number of opens of one stream may be held at once.
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL; -EOPNOTSUPP (a dedicated log: its calls are the
 * log's own); -ENOENT (no such stream).
 */
int clfs_stream_open(struct clfs_log *log, const char *name,
		     struct clfs_stream **stp)
{
	char buf[CLFS_STREAM_NAME_SIZE];
	struct clfs_stream *st;
	int ret;

	might_sleep();
	if (!stp)
		return -EINVAL;
	ret = clfs_stream_name(log, name, buf);
	if (ret)
		return ret;
	mutex_lock(&log->lock);
	st = clfs_stream_by_name(log, buf);
	if (st)
		st->users++;
	mutex_unlock(&log->lock);
	if (!st)
		return -ENOENT;
	*stp = st;
	return 0;
}
EXPORT_SYMBOL_GPL(clfs_stream_open);

/**
 * clfs_stream_close() - drop one open of a stream
 * @st: the stream (NULL is ignored)
 *
 * Context: process context; sleeps.
 */
void clfs_stream_close(struct clfs_stream *st)
{
	might_sleep();
	if (!st)
		return;
	mutex_lock(&st->log->lock);
	if (!WARN_ON_ONCE(!st->users))
		st->users--;
	mutex_unlock(&st->log->lock);
}
EXPORT_SYMBOL_GPL(clfs_stream_close);

/**
 * clfs_stream_list() - the streams of a log
 * @log: an open log
 * @e: receives up to @n entries, in increasing id order
 * @n: room at @e
 * @total: receives the number of streams (0 for a dedicated log)
 *
 * Context: process context; sleeps.
 * Return: 0, or -EINVAL.
 */
int clfs_stream_list(struct clfs_log *log, struct clfs_stream_entry *e,
		     u32 n, u32 *total)
{
	struct clfs_stream *st;
	u32 i = 0;

	might_sleep();
	if (!log || !total || (n && !e))
		return -EINVAL;
	mutex_lock(&log->lock);
	mutex_lock(&log->io_mutex);
	list_for_each_entry(st, &log->streams, node) {
		if (i < n) {
			memset(&e[i], 0, sizeof(e[i]));
			e[i].id = st->id;
			memcpy(e[i].name, st->name, CLFS_STREAM_NAME_SIZE);
			clfs_tail_get_locked(st, &e[i].base_lsn,
					     &e[i].archive_tail,
					     &e[i].restart_lsn);
			e[i].last_lsn = st->last_lsn;
			e[i].users = st->users;
		}
		i++;
	}
	mutex_unlock(&log->io_mutex);
	mutex_unlock(&log->lock);
	*total = i;
	return 0;
}
EXPORT_SYMBOL_GPL(clfs_stream_list);

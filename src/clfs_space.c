// SPDX-License-Identifier: GPL-2.0
/*
 * clfs space accounting and reservations (ClfsAlignReservedLog,
 * ClfsAllocReservedLog, ClfsFreeReservedLog, and the reserve side of
 * ClfsReserveAndAppendLog): the one home of both.
 *
 * The write position P is where the next block would start; containers
 * with a logical id above P's are free.  A reservation is the worst-case
 * cost of its record (alone in a new block), and the invariant kept here
 * is safe(P) >= reserved bytes, safe(P) being the space certain to hold
 * any sequence of such blocks (clfs_space_after()).  The argument, and
 * what an append and a reservation check against it, are in
 * Documentation/clfs/design.rst, "Space and reservations".
 *
 * Reservations live in the marshalling area that made them, as a
 * histogram: rsv[k] counts those of k I/O units, so "the smallest
 * reservation that fits" is a scan upwards from the record's own size.
 * The invariant covers the sum over all of the log's areas
 * (log->rsv_bytes).  Deleting an area drops its reservations.  All under
 * log->io_mutex.
 */
#include "clfs_cont_table.h"
#include "clfs_space.h"

/**
 * clfs_space_block() - the largest block the log may write now
 * @log: the log, log->lock or log->io_mutex held
 *
 * Return: the largest buffer of its areas, or the block size without
 * one: the most a container's end may waste (safe() below).
 */
u32 clfs_space_block(struct clfs_log *log)
{
	return log->max_buffer ? log->max_buffer : log->meta->block_size;
}

/**
 * clfs_space_room() - bytes a block starting at @off may take
 * @log: the log, log->io_mutex held
 * @buffer: the size of the buffer that would hold the block
 * @off: a block offset in a container
 *
 * Return: the smaller of @buffer and what is left of the container after
 * @off.
 */
u32 clfs_space_room(struct clfs_log *log, u32 buffer, u32 off)
{
	u64 size = log->meta->container_size;

	lockdep_assert_held(&log->io_mutex);
	if (off >= size)
		return 0;
	return (u32)min_t(u64, buffer, size - off);
}

/**
 * clfs_space_pos() - the write position P
 * @log: the log, log->io_mutex held
 *
 * Return: P; its container is NULL when the log has no container.
 */
struct clfs_pos clfs_space_pos(struct clfs_log *log)
{
	struct clfs_buf *b = log->cur;
	struct clfs_pos p;

	lockdep_assert_held(&log->io_mutex);
	if (b) {
		struct clfs_block_info bi;

		clfs_block_state(b->data, b->lsn, &bi);
		p.c = b->cont;
		p.off = clfs_lsn_block_offset(b->lsn) +
			clfs_block_cost(bi.used, 0, log->io_unit);
	} else if (log->next_pos) {
		p.c = clfs_cont_by_logical(log,
					   clfs_lsn_container(log->next_pos));
		p.off = clfs_lsn_block_offset(log->next_pos);
	} else {
		p.c = clfs_cont_first(log);
		p.off = CLFS_BLOCKS_START;
	}
	return p;
}

/* Bytes after @pos: the rest of its container and the free containers. */
static u64 clfs_space_after(struct clfs_log *log, struct clfs_pos pos,
			    u64 margin)
{
	u64 size = log->meta->container_size, free = 0;
	u32 i;

	lockdep_assert_held(&log->io_mutex);
	if (!pos.c)
		return 0;
	if (size > pos.off && size - pos.off > margin)
		free = size - pos.off - margin;
	for (i = 0; i < log->n_conts; i++)
		if (log->conts[i]->logical_id > pos.c->logical_id)
			free += size - CLFS_BLOCKS_START - margin;
	return free;
}

/**
 * clfs_space_safe() - space certain to hold reserved records after @pos
 * @log: the log, log->io_mutex held
 * @pos: a write position
 * @block: the largest block the log may write (clfs_space_block())
 *
 * Return: safe(@pos) as defined at the top of this file.
 */
u64 clfs_space_safe(struct clfs_log *log, struct clfs_pos pos, u32 block)
{
	lockdep_assert_held(&log->io_mutex);
	return clfs_space_after(log, pos, block);
}

/**
 * clfs_space_free() - bytes of the log not yet written in this lap
 * @log: the log, log->io_mutex held
 *
 * Return: the rest of the current container plus the free containers.
 */
u64 clfs_space_free(struct clfs_log *log)
{
	lockdep_assert_held(&log->io_mutex);
	return clfs_space_after(log, clfs_space_pos(log), 0);
}

/**
 * clfs_rsv_size() - the reservation size of a record
 * @log: the log
 * @length: the record's data bytes
 *
 * Return: the bytes the record costs at most: alone in a new block.
 */
u32 clfs_rsv_size(struct clfs_log *log, u32 length)
{
	return clfs_block_cost(0, clfs_record_space(length), log->io_unit);
}

/**
 * clfs_rsv_add() - record one reservation
 * @ma: the marshalling area, log->io_mutex held
 * @size: its size, from clfs_rsv_size() for a record @ma can carry
 */
void clfs_rsv_add(struct clfs_marshal *ma, u32 size)
{
	lockdep_assert_held(&ma->log->io_mutex);
	ma->rsv[size / ma->log->io_unit]++;
	ma->rsv_records++;
	ma->rsv_bytes += size;
	ma->log->rsv_records++;
	ma->log->rsv_bytes += size;
}

/**
 * clfs_rsv_sub() - drop one reservation of exactly @size bytes
 * @ma: the marshalling area, log->io_mutex held
 * @size: the reservation's size
 *
 * Return: 0, or -ENOENT if @ma holds none of that size.
 */
int clfs_rsv_sub(struct clfs_marshal *ma, u32 size)
{
	u32 k = size / ma->log->io_unit;

	lockdep_assert_held(&ma->log->io_mutex);
	if (k >= ma->rsv_slots || !ma->rsv[k])
		return -ENOENT;
	ma->rsv[k]--;
	ma->rsv_records--;
	ma->rsv_bytes -= size;
	ma->log->rsv_records--;
	ma->log->rsv_bytes -= size;
	return 0;
}

/**
 * clfs_rsv_take() - consume the smallest reservation of at least @need
 * @ma: the marshalling area, log->io_mutex held
 * @need: the record's reservation size
 *
 * Return: the size of the reservation consumed, or -ENOENT if none fits.
 */
int clfs_rsv_take(struct clfs_marshal *ma, u32 need)
{
	u32 k;

	lockdep_assert_held(&ma->log->io_mutex);
	for (k = need / ma->log->io_unit; k < ma->rsv_slots; k++) {
		if (ma->rsv[k]) {
			clfs_rsv_sub(ma, k * ma->log->io_unit);
			return (int)(k * ma->log->io_unit);
		}
	}
	return -ENOENT;
}

/**
 * clfs_rsv_round() - check and round a call's reservation sizes
 * @ma: the marshalling area
 * @n: entries in @in and @out
 * @in: record sizes, positive to reserve, negative to release
 * @out: receives clfs_rsv_size() of each, with the same sign
 *
 * Return: 0; -EINVAL (a size of 0); -EMSGSIZE (larger than a record @ma
 * can carry).
 */
int clfs_rsv_round(struct clfs_marshal *ma, unsigned int n, const s64 *in,
		   s64 *out)
{
	u32 max = clfs_record_max(ma->buffer_size);
	unsigned int i;

	for (i = 0; i < n; i++) {
		u64 len = in[i] < 0 ? -(u64)in[i] : (u64)in[i];

		if (!in[i])
			return -EINVAL;
		if (len > max)
			return -EMSGSIZE;
		out[i] = clfs_rsv_size(ma->log, (u32)len);
		if (in[i] < 0)
			out[i] = -out[i];
	}
	return 0;
}

/**
 * clfs_rsv_release() - drop the releases of a call, all or none
 * @ma: the marshalling area, log->io_mutex held
 * @n: entries in @rsv
 * @rsv: rounded sizes; the negative ones are released
 *
 * Return: 0; -ENOENT (one of them names no reservation; nothing changed).
 */
int clfs_rsv_release(struct clfs_marshal *ma, unsigned int n, const s64 *rsv)
{
	unsigned int i;

	lockdep_assert_held(&ma->log->io_mutex);
	for (i = 0; i < n; i++) {
		if (rsv[i] > 0)
			continue;
		if (clfs_rsv_sub(ma, (u32)-rsv[i])) {
			while (i--)
				if (rsv[i] < 0)
					clfs_rsv_add(ma, (u32)-rsv[i]);
			return -ENOENT;
		}
	}
	return 0;
}

/**
 * clfs_rsv_restore() - undo clfs_rsv_release()
 * @ma: the marshalling area, log->io_mutex held
 * @n: entries in @rsv
 * @rsv: the sizes given to clfs_rsv_release()
 */
void clfs_rsv_restore(struct clfs_marshal *ma, unsigned int n, const s64 *rsv)
{
	unsigned int i;

	lockdep_assert_held(&ma->log->io_mutex);
	for (i = 0; i < n; i++)
		if (rsv[i] < 0)
			clfs_rsv_add(ma, (u32)-rsv[i]);
}

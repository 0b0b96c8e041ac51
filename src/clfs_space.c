// SPDX-License-Identifier: GPL-2.0
/*
 * clfs space accounting and reservations (ClfsAlignReservedLog,
 * ClfsAllocReservedLog, ClfsFreeReservedLog, and the reserve side of
 * ClfsReserveAndAppendLog).
 *
 * The log consumes its containers in logical-id order.  The write
 * position P is where the next block would start: after the open buffer
 * (its used bytes rounded up to the I/O unit, which is what sealing it
 * will cost) or, with no open buffer, the next block position.  Every
 * container whose logical id is above P's is free: it was never written in
 * this lap, or it was recycled (clfs_tail.c gives a container whose
 * records all fell below the active log a new, larger logical id).
 *
 * A reservation promises room for one record of up to a given size.  Its
 * size is what that record costs in the worst case, alone in a new block:
 * round_up(block header + record header + data rounded to 8, I/O unit),
 * at most the marshalling area's buffer size B.  The space that is certain
 * to hold any sequence of such blocks is
 *
 *   safe(P) = max(0, room left in P's container - B)
 *           + sum over free containers of (container_size - 4096 - B)
 *
 * because records are placed in order and the first that does not fit in
 * a container leaves behind less than its own size, at most B.  Appending
 * a record of reservation size r lowers safe(P) by at most r, whether it
 * lands in the open block, a new block, or the next container.  The
 * invariant is safe(P) >= reserved bytes: a record that consumes a
 * reservation therefore always fits, an append without one must leave
 * safe(P) >= reserved bytes (otherwise -ENOSPC, nothing changed), and a
 * new reservation must fit under safe(P) as well.
 *
 * Reservations live in the marshalling area as a histogram: rsv[k] counts
 * those of k I/O units, so "the smallest reservation that fits" is a scan
 * upwards from the record's own size.  Deleting the area drops them.  All
 * under log->io_mutex.
 */
#include "clfs_log.h"

/* The largest block the log can write now: what a reservation may cost. */
static u32 clfs_space_block(struct clfs_log *log)
{
	return log->ma ? log->ma->buffer_size : log->meta->block_size;
}

/**
 * clfs_space_room() - bytes a block starting at @off may take
 * @log: the log, log->io_mutex held
 * @off: a block offset in a container
 *
 * Return: the smaller of the buffer size and what is left of the
 * container after @off.
 */
u32 clfs_space_room(struct clfs_log *log, u32 off)
{
	u64 size = log->meta->container_size;

	if (off >= size)
		return 0;
	return (u32)min_t(u64, clfs_space_block(log), size - off);
}

/**
 * clfs_space_pos() - the write position P
 * @log: the log, log->io_mutex held
 *
 * Return: P; its container is NULL when the log has no container.
 */
struct clfs_pos clfs_space_pos(struct clfs_log *log)
{
	struct clfs_marshal *ma = log->ma;
	struct clfs_pos p;

	lockdep_assert_held(&log->io_mutex);
	if (ma && ma->cur) {
		const struct clfs_block_header *h = ma->cur->data;

		p.c = ma->cur->cont;
		p.off = clfs_lsn_block_offset(ma->cur->lsn) +
			round_up(le32_to_cpu(h->used), log->io_unit);
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
 *
 * Return: safe(@pos) as defined at the top of this file.
 */
u64 clfs_space_safe(struct clfs_log *log, struct clfs_pos pos)
{
	return clfs_space_after(log, pos, clfs_space_block(log));
}

/**
 * clfs_space_free() - bytes of the log not yet written in this lap
 * @log: the log, log->io_mutex held
 *
 * Return: the rest of the current container plus the free containers.
 */
u64 clfs_space_free(struct clfs_log *log)
{
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
	return round_up((u32)sizeof(struct clfs_block_header) +
			clfs_record_space(length), log->io_unit);
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

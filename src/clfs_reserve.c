// SPDX-License-Identifier: GPL-2.0
/*
 * clfs reservation calls: ClfsReserveAndAppendLog with reservations,
 * ClfsAlignReservedLog, ClfsAllocReservedLog and ClfsFreeReservedLog.
 *
 * These check and round the caller's sizes (clfs_rsv_size(): the worst
 * case cost of each record, alone in a new block), then hand the rounded
 * adjustments to clfs_append_rsv(), which applies them, and the record if
 * there is one, all or nothing under log->io_mutex.  The accounting that
 * makes a reserved record always fit is described in clfs_space.c.
 */
#include <linux/slab.h>

#include "clfs_log.h"

/* Round @n record sizes; negative ones stay negative (releases). */
static int clfs_rsv_round(struct clfs_marshal *ma, unsigned int n,
			  const s64 *in, s64 *out)
{
	u32 max = clfs_record_max(ma->buffer_size);
	unsigned int i;

	for (i = 0; i < n; i++) {
		u64 len = in[i] < 0 ? -(u64)in[i] : (u64)in[i];

		if (!in[i])
			return -EINVAL;
		if (len > max) {
			clfs_log_err(ma->log, "reservation for a %llu-byte record exceeds the %u a %u-byte write buffer carries",
				     len, max, ma->buffer_size);
			return -EMSGSIZE;
		}
		out[i] = clfs_rsv_size(ma->log, (u32)len);
		if (in[i] < 0)
			out[i] = -out[i];
	}
	return 0;
}

/**
 * clfs_reserve_and_append() - append a record and change reservations
 * @ma: the log's marshalling area
 * @iov: the record's bytes; with @n_iov 0 no record is appended (reserve
 *	or release only)
 * @n_iov: entries in @iov, at most UIO_MAXIOV
 * @undo_next: the record's undo-next LSN (CLFS_LSN_INVALID for none)
 * @previous: the record's previous LSN (CLFS_LSN_INVALID for none)
 * @n_rsv: entries in @rsv, at most CLFS_MAX_RESERVATIONS
 * @rsv: in: one record size per entry, positive to reserve room for such
 *	a record, negative to release a reservation made for one; out: each
 *	size rounded to what the reservation holds (same sign)
 * @flags: as clfs_append(); USE_RESERVATION needs a record
 * @lsn: receives the record's LSN (CLFS_LSN_INVALID without a record);
 *	may be NULL without a record
 *
 * All or nothing: the releases, the record and the new reservations take
 * effect together, or none of them does.  A record appended with
 * USE_RESERVATION consumes a reservation that existed before the call.
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL (bad argument or flags, a size of 0); -EMSGSIZE (a
 * record or reservation larger than a write buffer carries); -ENOSPC (no
 * room for the record and the reservations); -ENOENT (a release, or
 * USE_RESERVATION, found no such reservation); -EIO; -ENOMEM.
 */
int clfs_reserve_and_append(struct clfs_marshal *ma, const struct kvec *iov,
			    unsigned int n_iov, u64 undo_next, u64 previous,
			    unsigned int n_rsv, s64 *rsv, u32 flags, u64 *lsn)
{
	s64 *rounded = NULL;
	u32 len;
	int ret;

	if (!ma || (n_rsv && !rsv) || n_rsv > CLFS_MAX_RESERVATIONS ||
	    (flags & ~CLFS_FLAG_ALL) || (!n_iov && (flags || n_rsv == 0)) ||
	    (n_iov && !lsn))
		return -EINVAL;
	ret = clfs_append_check(ma, iov, n_iov, &len);
	if (ret)
		return ret;
	if (n_rsv) {
		rounded = kmalloc_array(n_rsv, sizeof(*rounded), GFP_KERNEL);
		if (!rounded)
			return -ENOMEM;
		ret = clfs_rsv_round(ma, n_rsv, rsv, rounded);
		if (ret)
			goto out_free;
	}
	ret = clfs_append_rsv(ma, n_iov ? iov : NULL, n_iov, undo_next,
			      previous, CLFS_RECORD_DATA, flags, n_rsv,
			      rounded, lsn);
	if (!ret || (ret == -EIO && n_iov && (flags & CLFS_FLAG_FORCE_FLUSH)))
		memcpy(rsv, rounded, n_rsv * sizeof(*rsv));
	if (!ret && !n_iov && lsn)
		*lsn = CLFS_LSN_INVALID;
out_free:
	kfree(rounded);
	return ret;
}
EXPORT_SYMBOL_GPL(clfs_reserve_and_append);

/**
 * clfs_align_reserved() - the space a set of reservations takes
 * @ma: the log's marshalling area
 * @n: records in the set, 1..CLFS_MAX_RESERVATIONS
 * @sizes: each record's data bytes
 * @aligned: if not NULL, receives each record's rounded size
 * @total: receives the sum of the rounded sizes
 *
 * Context: process context.
 * Return: 0; -EINVAL; -EMSGSIZE (a record larger than a write buffer
 * carries).
 */
int clfs_align_reserved(struct clfs_marshal *ma, unsigned int n,
			const u32 *sizes, u32 *aligned, u64 *total)
{
	u32 max;
	unsigned int i;
	u64 sum = 0;

	if (!ma || !n || n > CLFS_MAX_RESERVATIONS || !sizes || !total)
		return -EINVAL;
	max = clfs_record_max(ma->buffer_size);
	for (i = 0; i < n; i++)
		if (sizes[i] > max)
			return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		u32 r = clfs_rsv_size(ma->log, sizes[i]);

		if (aligned)
			aligned[i] = r;
		sum += r;
	}
	*total = sum;
	return 0;
}
EXPORT_SYMBOL_GPL(clfs_align_reserved);

/* Reserve (@sign 1) or release (@sign -1) the set of @sizes. */
static int clfs_rsv_set(struct clfs_marshal *ma, unsigned int n,
			const u32 *sizes, u64 bytes, int sign)
{
	s64 *rounded;
	unsigned int i;
	u64 total;
	int ret;

	ret = clfs_align_reserved(ma, n, sizes, NULL, &total);
	if (ret)
		return ret;
	if (bytes != total) {
		clfs_log_err(ma->log, "reservation of %u records: %llu bytes given, %llu aligned",
			     n, bytes, total);
		return -EINVAL;
	}
	rounded = kmalloc_array(n, sizeof(*rounded), GFP_KERNEL);
	if (!rounded)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		rounded[i] = sign * (s64)clfs_rsv_size(ma->log, sizes[i]);
	ret = clfs_append_rsv(ma, NULL, 0, CLFS_LSN_INVALID, CLFS_LSN_INVALID,
			      CLFS_RECORD_DATA, 0, n, rounded, NULL);
	kfree(rounded);
	return ret;
}

/**
 * clfs_alloc_reserved() - reserve room for a set of records
 * @ma: the log's marshalling area
 * @n: records in the set, 1..CLFS_MAX_RESERVATIONS
 * @sizes: each record's data bytes, as given to clfs_align_reserved()
 * @bytes: the total clfs_align_reserved() returned for them
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL (bad argument, or @bytes is not the aligned total);
 * -EMSGSIZE; -ENOSPC (not enough room: nothing reserved); -EIO; -ENOMEM.
 */
int clfs_alloc_reserved(struct clfs_marshal *ma, unsigned int n,
			const u32 *sizes, u64 bytes)
{
	return clfs_rsv_set(ma, n, sizes, bytes, 1);
}
EXPORT_SYMBOL_GPL(clfs_alloc_reserved);

/**
 * clfs_free_reserved() - release reservations made for a set of records
 * @ma: the log's marshalling area
 * @n: records in the set, 1..CLFS_MAX_RESERVATIONS
 * @sizes: each record's data bytes, as reserved
 * @bytes: their aligned total (clfs_align_reserved())
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL; -EMSGSIZE; -ENOENT (a reservation of one of those
 * sizes is not held: nothing released); -EIO; -ENOMEM.
 */
int clfs_free_reserved(struct clfs_marshal *ma, unsigned int n,
		       const u32 *sizes, u64 bytes)
{
	return clfs_rsv_set(ma, n, sizes, bytes, -1);
}
EXPORT_SYMBOL_GPL(clfs_free_reserved);

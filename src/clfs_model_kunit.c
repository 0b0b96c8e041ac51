// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "clfs_model": many actors on one log at once, every result
 * checked against a model of the log.
 *
 * M_THREADS kernel threads run seeded random sequences of the engine's
 * calls on one log on a crash device (/dev/clfscrash4), through
 * M_AREAS marshalling areas (actor i uses area i % M_AREAS): appends with every
 * flag combination, with and without a reservation, and batches of them
 * in one call (clfs_append_batch()); flushes of all
 * buffers and to an LSN; reads in the three modes with both type filters;
 * restart areas written (also moving the base) and read back; base and
 * archive-tail moves; truncations; containers added and removed; log
 * queries; a second client on the log (a shared open, a follower's durable
 * reads through it, its close); side streams.
 *
 * Every other part (the odd ones) runs on a multiplexed log: the model is
 * then that of its stream "main", which every call above uses (areas,
 * reads, tails, restart areas, queries, the second client's follower),
 * truncation must be refused (-EOPNOTSUPP), and an actor's side-stream
 * operation creates a stream of its own beside the others' appends,
 * appends to it through an area of its own, reads its records back
 * exactly, checks that neither stream's reads see the other's records,
 * and deletes it again.  On a dedicated log that operation must be
 * refused (-EOPNOTSUPP).  Now and then one thread takes the world exclusively (a
 * checkpoint): it checks the whole log against the model, and then
 * deletes and re-creates a marshalling area, closes and reopens the
 * log, crashes the device and reopens, fails the device's writes (the
 * log must shut down with -EIO and recover on reopen), or turns slow,
 * reordering completions on or off (clfs_crashdev_delay()).
 *
 * The model.  Every record's data names it: its first four bytes are
 * (thread << 24 | counter) and every other byte is clfs_test_byte() of
 * the seed, that name and the offset, so any record read is checked byte
 * for byte wherever it came from.  Each thread keeps its acknowledged
 * records (LSN, and a global clock value before the call and after its
 * return) and every truncation is noted with its clock interval.  A
 * checkpoint reads the log forward from its start and requires:
 * strictly increasing LSNs; every record found is one the model
 * acknowledged, at the LSN it was given; every acknowledged record at or
 * after the start is there, unless a truncation below it began after it
 * was acknowledged (then it must be gone) or ran beside its append
 * (either); across a crash only the records appended after the last full
 * flush may be missing.  Reads beside the others check the chain they
 * follow: forward LSNs increase, a previous or undo-next read returns the
 * record its predecessor named.  Errnos are those documented for each
 * call in the situations the run creates; anything else fails.
 *
 * No call may hang: the test thread watches every actor and fails the
 * case, with the actor's operation and its stack, when one call has not
 * returned within M_HANG_SECS (waits in the engine are uninterruptible,
 * so the stuck thread is left behind).  The run prints its seed, the
 * count of each operation and errno, and the longest call of each
 * operation.  Module parameters: model_ops (default 1,000,000 operations
 * in all) and model_seed; the kunit lane passes CLFS_MODEL_OPS and
 * CLFS_MODEL_SEED from the environment (README, "Tests").
 */
#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/prandom.h>
#include <linux/rwsem.h>
#include <linux/sched/debug.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <linux/clfs.h>
#include "format/clfs_format.h"
#include "test/clfs_crashdev.h"
#include "test/clfs_test_util.h"

static unsigned long model_ops = 1000000;
module_param(model_ops, ulong, 0444);
MODULE_PARM_DESC(model_ops, "operations of the clfs_model run, all threads together");
static unsigned long model_seed = 20261203;
module_param(model_seed, ulong, 0444);
MODULE_PARM_DESC(model_seed, "seed of the clfs_model run");

#define M_THREADS	8
#define M_AREAS		2		/* marshalling areas, shared by actors */
#define M_SLOTS		8192U		/* live records per thread */
#define M_BLOCK		4096U
#define M_CONT		(512ULL << 10)
#define M_CONTS		3U
#define M_DEV		(8ULL << 20)
#define M_TRUNCS	64U
#define M_CHECK_EVERY	20000U		/* operations between checkpoints */
#define M_HANG_SECS	120
/*
 * The run is cut in parts of M_PART_OPS operations, each a case of its
 * own on a new log (seed model_seed + part): KUnit stops a case after
 * 300 s of jiffies; under TCG a part took 25-120 s in CI.
 */
#define M_PART_OPS	100000UL
#define M_MAX_PARTS	1000U

enum m_op {
	M_APPEND, M_APPEND_RSV, M_FLUSH, M_FLUSH_LSN, M_READ, M_RESTART_W,
	M_RESTART_R, M_BASE, M_ARCHIVE, M_TRUNCATE, M_CONT_ADD, M_CONT_REMOVE,
	M_QUERY, M_SHARE, M_STREAM, M_BATCH, M_CHECKPOINT, M_NOPS
};

static const char *const m_op_name[M_NOPS] = {
	"append", "append-reserved", "flush", "flush-to-lsn", "read",
	"restart-write", "restart-read", "advance-base", "archive-tail",
	"truncate", "container-add", "container-remove", "query",
	"share-follow", "side-stream", "append-batch", "checkpoint",
};

/* How often each operation is drawn, out of the sum. */
static const u32 m_op_weight[M_NOPS] = {
	600, 40, 15, 15, 120, 10, 10, 20, 10, 4, 2, 2, 10, 10, 5, 60, 0,
};

/* The errnos counted per operation (any other fails the run). */
static const int m_errnos[] = {
	0, -ENOENT, -EINVAL, -ENOSPC, -EBUSY, -EIO, -ENODATA, -EOPNOTSUPP,
};

#define M_NERR ARRAY_SIZE(m_errnos)

/* An acknowledged record of one thread: slot counter % M_SLOTS. */
struct m_rec {
	u64 lsn;		/* 0: none or known gone */
	u64 start, end;		/* the clock around its append */
	u32 counter;
	/* may be lost: appended after the last flush before a crash */
	bool maybe;
};

struct m_trunc {
	u64 lsn, start, end;
};

struct m_world;

/* The last operations of the run, printed when it fails. */
#define M_HIST	128U
struct m_hist {
	u64 clock;
	u64 lsn;
	u8 actor, op;
	s16 ret;
};

struct m_actor {
	struct m_world *w;
	u32 id;
	struct rnd_state rnd;
	u32 next, oldest;	/* counters: next to append, oldest live */
	u64 last, last2;	/* its two newest LSNs (chains), or INVALID */
	int epoch;		/* m_epoch() when the append of last began */
	u32 restarts;
	struct m_rec *recs;
	u8 *buf;
	struct task_struct *task;
	/* [w->stat_lock] */
	enum m_op op;
	unsigned long op_since;	/* jiffies; 0: between operations */
	bool done;
};

struct m_world {
	struct kunit *test;
	struct clfs_crashdev *cd;
	struct rw_semaphore rw;	/* checkpoints take it exclusively */
	struct clfs_log *log;	/* [rw] */
	bool mux;		/* a multiplexed log: the model is stream main */
	struct clfs_stream *st;	/* [rw] the model's stream */
	struct clfs_marshal *ma[M_AREAS];	/* [rw] */
	atomic64_t clock;
	atomic64_t ops;		/* operations started */
	u64 limit;		/* operations of this part */
	u64 seed;		/* seed of this part */
	/* Up after each truncation and at each crash (m_epoch()). */
	atomic_t cuts;
	atomic_t truncating;	/* truncations running */
	atomic_t failures;
	struct m_actor actors[M_THREADS];
	spinlock_t lock;	/* the fields below */
	struct m_trunc truncs[M_TRUNCS];
	u32 n_truncs;
	u64 counts[M_NOPS][M_NERR];
	unsigned long longest[M_NOPS];	/* jiffies */
	struct m_hist hist[M_HIST];
	u32 n_hist;
	u32 checkpoints, closes, crashes, faults, lost_maybe;
	u64 checked;
	wait_queue_head_t done_wait;
};

static struct clfs_crashdev *clfs_m_dev;

#define m_fail(a, fmt, ...) do {					\
	struct m_actor *__a = (a);					\
									\
	if (atomic_inc_return(&__a->w->failures) <= 20)			\
		kunit_err(__a->w->test, "actor %u: " fmt, __a->id,	\
			  ##__VA_ARGS__);				\
} while (0)

static u32 m_rand(struct m_actor *a, u32 n)
{
	return prandom_u32_state(&a->rnd) % n;
}

/* The marshalling area actor @a appends and flushes through. */
static struct clfs_marshal *m_ma(struct m_actor *a)
{
	return a->w->ma[a->id % M_AREAS];
}

/* Create the log's areas; @bufs: write buffers of the first. */
static int m_areas_create(struct m_world *w, u32 bufs)
{
	int ret = 0;
	u32 k;

	for (k = 0; k < M_AREAS && !ret; k++)
		ret = clfs_stream_marshal_create(w->st, M_BLOCK,
						 k ? 1 + k : bufs, &w->ma[k]);
	return ret;
}

/* The model's stream of the log just opened: main, or the log's own. */
static int m_stream_open(struct m_world *w)
{
	w->st = clfs_log_dedicated_stream(w->log);
	return w->mux ? clfs_stream_open(w->log, "main", &w->st) : 0;
}

/* Close the model's stream, then the log. */
static int m_close(struct m_world *w)
{
	if (w->mux)
		clfs_stream_close(w->st);
	return clfs_log_close(w->log);
}

/* The clock is even: bit 0 of a record's start marks it found. */
static u64 m_now(struct m_world *w)
{
	return atomic64_inc_return(&w->clock) * 2;
}

static u32 m_name(u32 tid, u32 counter, bool restart)
{
	return (restart ? 0x80000000U : 0) | tid << 24 | (counter & 0xffffff);
}

/* Fill @buf with record @name of @len (>= 4) bytes. */
static void m_fill_at(u8 *buf, u32 name, u32 len)
{
	__le32 v = cpu_to_le32(name);

	clfs_test_fill(buf, model_seed, name, len);
	memcpy(buf, &v, sizeof(v));
}

/* Fill @a->buf with record @name of @len (>= 4) bytes. */
static void m_fill(struct m_actor *a, u32 name, u32 len)
{
	m_fill_at(a->buf, name, len);
}

/* The name of a record read, after checking every byte; false if bad. */
static bool m_identify(struct m_actor *a, const struct clfs_record *rec,
		       u32 *name)
{
	const u8 *p = rec->data;
	__le32 v;
	u32 j;

	if (rec->length < 4) {
		m_fail(a, "record %llx: %u bytes", rec->lsn, rec->length);
		return false;
	}
	memcpy(&v, p, sizeof(v));
	*name = le32_to_cpu(v);
	for (j = 4; j < rec->length; j++) {
		if (p[j] != clfs_test_byte(model_seed, *name, j)) {
			m_fail(a, "record %llx (%x): byte %u differs",
			       rec->lsn, *name, j);
			return false;
		}
	}
	if (((*name >> 24) & 0x7f) >= M_THREADS ||
	    !!(*name & 0x80000000U) != !!(rec->type == CLFS_RECORD_RESTART)) {
		m_fail(a, "record %llx: bad name %x", rec->lsn, *name);
		return false;
	}
	return true;
}

/* Note operation @op of @a, on or giving @lsn, in the history. */
static void m_note(struct m_actor *a, enum m_op op, int ret, u64 lsn)
{
	struct m_world *w = a->w;
	struct m_hist *h;

	spin_lock(&w->lock);
	h = &w->hist[w->n_hist++ % M_HIST];
	h->clock = atomic64_read(&w->clock) * 2;
	h->lsn = lsn;
	h->actor = a->id;
	h->op = op;
	h->ret = ret;
	spin_unlock(&w->lock);
}

static void m_count(struct m_actor *a, enum m_op op, int ret,
		    unsigned long t0)
{
	struct m_world *w = a->w;
	unsigned long t = jiffies - t0;
	u32 i;

	for (i = 0; i < M_NERR && m_errnos[i] != ret; i++)
		;
	spin_lock(&w->lock);
	if (i < M_NERR)
		w->counts[op][i]++;
	w->longest[op] = max(w->longest[op], t);
	a->op_since = 0;
	spin_unlock(&w->lock);
	if (i == M_NERR)
		m_fail(a, "%s returned %d", m_op_name[op], ret);
}

/* Is @ret one of @n allowed results?  Counted either way. */
static void m_expect(struct m_actor *a, enum m_op op, int ret,
		     unsigned long t0, const int *ok, u32 n)
{
	u32 i;

	m_count(a, op, ret, t0);
	for (i = 0; i < n; i++)
		if (ok[i] == ret)
			return;
	m_fail(a, "%s: unexpected %d", m_op_name[op], ret);
}

#define M_EXPECT(a, op, ret, t0, ...) do {				\
	static const int __ok[] = { __VA_ARGS__ };			\
	m_expect(a, op, ret, t0, __ok, ARRAY_SIZE(__ok));		\
} while (0)

/*
 * Where the log's end may have moved back, LSNs may go back: m_epoch()
 * is -1 while a truncation runs, else the count of truncations and
 * crashes.  A call saw none if the value before and after it is the same
 * and not -1.
 */
static int m_epoch(struct m_world *w)
{
	return atomic_read(&w->truncating) ? -1 : atomic_read(&w->cuts);
}

static bool m_no_cut(int before, int after)
{
	return before == after && before != -1;
}

static struct m_rec *m_slot(struct m_actor *a, u32 counter)
{
	return &a->recs[counter % M_SLOTS];
}

/* A live record of @a, or NULL. */
static struct m_rec *m_pick(struct m_actor *a)
{
	u32 n = a->next - a->oldest;
	struct m_rec *r;

	if (!n)
		return NULL;
	r = m_slot(a, a->oldest + m_rand(a, n));
	return r->lsn ? r : NULL;
}

/* The log is full: the base and archive tail move up to @a's newest. */
static void m_make_room(struct m_actor *a, unsigned long t0)
{
	int ret;

	if (a->last == CLFS_LSN_INVALID)
		return;
	ret = clfs_advance_base(m_ma(a), a->last, 0);
	M_EXPECT(a, M_BASE, ret, t0, 0, -EINVAL);
	ret = clfs_stream_set_archive_tail(a->w->st, a->last);
	M_EXPECT(a, M_ARCHIVE, ret, t0, 0, -EINVAL);
}

static void m_append(struct m_actor *a, bool rsv)
{
	static const u32 flag_sets[] = {
		0, 0, 0, 0, 0, CLFS_FLAG_FORCE_APPEND, CLFS_FLAG_FORCE_FLUSH,
		CLFS_FLAG_FORCE_APPEND | CLFS_FLAG_FORCE_FLUSH,
	};
	struct m_world *w = a->w;
	u32 len = 4 + (m_rand(a, 8) ? m_rand(a, 300) : m_rand(a, 3000));
	u32 flags = flag_sets[m_rand(a, ARRAY_SIZE(flag_sets))];
	enum m_op op = rsv ? M_APPEND_RSV : M_APPEND;
	unsigned long t0 = jiffies;
	u64 lsn = 0, start, total;
	struct m_rec *r;
	struct kvec iov;
	int ret, epoch;

	if (a->next - a->oldest >= M_SLOTS)
		return;		/* wait for a checkpoint to prune */
	if (rsv) {
		ret = clfs_align_reserved(m_ma(a), 1, &len, NULL, &total);
		if (!ret)
			ret = clfs_alloc_reserved(m_ma(a), 1, &len, total);
		if (ret) {
			M_EXPECT(a, op, ret, t0, -ENOSPC);
			return;
		}
		flags |= CLFS_FLAG_USE_RESERVATION;
	}
	m_fill(a, m_name(a->id, a->next, false), len);
	iov.iov_base = a->buf;
	iov.iov_len = len;
	epoch = m_epoch(w);
	start = m_now(w);
	ret = clfs_append(m_ma(a), &iov, 1, a->last2, a->last, CLFS_RECORD_DATA,
			  flags, &lsn);
	/*
	 * A reserved record always fits.  -ENOENT: with FORCE_FLUSH, a
	 * truncation that ran meanwhile removed the record again.
	 */
	m_note(a, op, ret, lsn);
	if (ret == -ENOENT && flags & CLFS_FLAG_FORCE_FLUSH &&
	    !m_no_cut(epoch, m_epoch(w)))
		M_EXPECT(a, op, ret, t0, -ENOENT);
	else if (rsv)
		M_EXPECT(a, op, ret, t0, 0);
	else
		M_EXPECT(a, op, ret, t0, 0, -ENOSPC);
	if (ret == -ENOSPC) {
		m_make_room(a, t0);
		return;
	}
	if (ret)
		return;
	/*
	 * LSNs increase unless a truncation or crash came anywhere between
	 * the start of the last append and the end of this one.
	 */
	if (a->last != CLFS_LSN_INVALID && m_no_cut(a->epoch, m_epoch(w)) &&
	    lsn <= a->last)
		m_fail(a, "append: LSN %llx after %llx", lsn, a->last);
	a->epoch = epoch;
	r = m_slot(a, a->next);
	r->lsn = lsn;
	r->start = start;
	r->end = m_now(w);
	r->counter = a->next;
	r->maybe = false;
	a->next++;
	a->last2 = a->last;
	a->last = lsn;
}

/* Records of one M_BATCH call at most; each in its own slice of a->buf. */
#define M_BATCH_MAX	8U
#define M_BATCH_SLICE	512U

/*
 * Several records in one clfs_append_batch(): consecutive LSNs, each
 * record of this actor's, linked to its newest records before the call;
 * those appended before the log filled up count, the rest are the next
 * call's.
 */
static void m_append_batch(struct m_actor *a)
{
	static const u32 flag_sets[] = {
		0, 0, CLFS_FLAG_FORCE_APPEND, CLFS_FLAG_FORCE_FLUSH,
	};
	struct clfs_append_rec recs[M_BATCH_MAX];
	u32 n = 2 + m_rand(a, M_BATCH_MAX - 1);
	u32 flags = flag_sets[m_rand(a, ARRAY_SIZE(flag_sets))];
	struct m_world *w = a->w;
	unsigned long t0 = jiffies;
	unsigned int done = 0, i;
	u64 start, end;
	struct m_rec *r;
	int ret, epoch;

	if (a->next - a->oldest + n > M_SLOTS)
		return;		/* wait for a checkpoint to prune */
	for (i = 0; i < n; i++) {
		u8 *p = a->buf + i * M_BATCH_SLICE;
		u32 len = 4 + m_rand(a, 300);

		m_fill_at(p, m_name(a->id, a->next + i, false), len);
		recs[i] = (struct clfs_append_rec){
			.data = p, .len = len, .type = CLFS_RECORD_DATA,
			.undo_next = a->last2, .previous = a->last,
		};
	}
	epoch = m_epoch(w);
	start = m_now(w);
	ret = clfs_append_batch(m_ma(a), recs, n, flags, &done);
	end = m_now(w);
	m_note(a, M_BATCH, ret, done ? recs[0].lsn : 0);
	/*
	 * -ENOENT: a truncation that ran meanwhile removed the last record
	 * (those of the batch before its end stay: the records are noted,
	 * and the checkpoint holds each to the truncations around it).
	 */
	if (ret == -ENOENT && flags & CLFS_FLAG_FORCE_FLUSH &&
	    !m_no_cut(epoch, m_epoch(w)))
		M_EXPECT(a, M_BATCH, ret, t0, -ENOENT);
	else
		M_EXPECT(a, M_BATCH, ret, t0, 0, -ENOSPC);
	if (ret == -ENOSPC)
		m_make_room(a, t0);
	if (ret && ret != -ENOENT)
		return;
	if (!done || done > n || (done < n && recs[done].lsn !=
				  CLFS_LSN_INVALID))
		m_fail(a, "batch of %u: %u appended, LSN after them %llx", n,
		       done, done < n ? recs[done].lsn : 0);
	if (a->last != CLFS_LSN_INVALID && m_no_cut(a->epoch, m_epoch(w)) &&
	    m_no_cut(epoch, m_epoch(w)) && recs[0].lsn <= a->last)
		m_fail(a, "batch: LSN %llx after %llx", recs[0].lsn, a->last);
	a->epoch = epoch;
	for (i = 0; i < done; i++) {
		if (i && recs[i].lsn <= recs[i - 1].lsn)
			m_fail(a, "batch: LSN %llx after %llx in one call",
			       recs[i].lsn, recs[i - 1].lsn);
		r = m_slot(a, a->next);
		r->lsn = recs[i].lsn;
		r->start = start;
		r->end = end;
		r->counter = a->next;
		r->maybe = false;
		a->next++;
		a->last2 = a->last;
		a->last = recs[i].lsn;
	}
}

static void m_flush(struct m_actor *a, bool to_lsn)
{
	unsigned long t0 = jiffies;
	struct m_rec *r = m_pick(a);
	u64 flushed = 0;
	int ret;

	if (!to_lsn) {
		ret = clfs_flush_buffers(m_ma(a));
		M_EXPECT(a, M_FLUSH, ret, t0, 0);
		return;
	}
	if (!r)
		return;
	ret = clfs_flush_to_lsn(m_ma(a), r->lsn, &flushed);
	/* -ENOENT: a truncation removed it */
	M_EXPECT(a, M_FLUSH_LSN, ret, t0, 0, -ENOENT);
	if (!ret && flushed < r->lsn)
		m_fail(a, "flush to %llx: flushed only %llx", r->lsn, flushed);
}

/* Check a record read by @a: its bytes, and its LSN if it is @a's own. */
static bool m_check_read(struct m_actor *a, const struct clfs_record *rec)
{
	struct m_rec *r;
	u32 name;

	if (!m_identify(a, rec, &name))
		return false;
	if (name & 0x80000000U || (name >> 24) != a->id)
		return true;
	r = m_slot(a, name & 0xffffff);
	if (r->counter == (name & 0xffffff) && r->lsn && r->lsn != rec->lsn) {
		m_fail(a, "read %llx: my record %u was appended at %llx",
		       rec->lsn, r->counter, r->lsn);
		return false;
	}
	return true;
}

static void m_read(struct m_actor *a)
{
	static const u32 modes[] = {
		CLFS_READ_FORWARD, CLFS_READ_PREVIOUS, CLFS_READ_UNDO_NEXT,
	};
	u32 mode = modes[m_rand(a, 3)];
	u32 mask = m_rand(a, 2) ? CLFS_TYPE_DATA : CLFS_TYPE_ANY;
	unsigned long t0 = jiffies;
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	struct m_rec *r = m_pick(a);
	u64 prev, want;
	int ret, k;

	if (!r)
		return;
	ret = clfs_stream_read_record(a->w->st, r->lsn, mode, mask, &ctx,
				      &rec);
	M_EXPECT(a, M_READ, ret, t0, 0, -ENOENT);
	if (ret)
		return;
	if (rec.lsn != r->lsn)
		m_fail(a, "read of %llx returned %llx", r->lsn, rec.lsn);
	for (k = 0; k < 8 && m_check_read(a, &rec); k++) {
		prev = rec.lsn;
		want = mode == CLFS_READ_PREVIOUS ? rec.previous :
		       mode == CLFS_READ_UNDO_NEXT ? rec.undo_next : 0;
		ret = clfs_read_next(ctx, &rec);
		if (ret) {
			if (ret != -ENOENT)
				m_fail(a, "read next after %llx: %d", prev,
				       ret);
			break;
		}
		if (mode == CLFS_READ_FORWARD ? rec.lsn <= prev :
		    rec.lsn != want)
			m_fail(a, "read mode %u after %llx: %llx", mode, prev,
			       rec.lsn);
		if (!(mask & CLFS_TYPE_OF(rec.type)))
			m_fail(a, "read %llx: type %u outside mask %x",
			       rec.lsn, rec.type, mask);
	}
	clfs_read_terminate(ctx);
}

static void m_restart(struct m_actor *a, bool write)
{
	struct m_world *w = a->w;
	unsigned long t0 = jiffies;
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	struct m_rec *r;
	u32 len, written;
	u64 lsn, base;
	int ret;

	if (!write) {
		ret = clfs_stream_read_restart(w->st, &ctx, &rec);
		M_EXPECT(a, M_RESTART_R, ret, t0, 0, -ENODATA);
		if (ret)
			return;
		if (rec.type != CLFS_RECORD_RESTART)
			m_fail(a, "restart read %llx: type %u", rec.lsn,
			       rec.type);
		m_check_read(a, &rec);
		clfs_read_terminate(ctx);
		return;
	}
	len = 4 + m_rand(a, 200);
	m_fill(a, m_name(a->id, a->restarts++, true), len);
	r = m_rand(a, 2) ? m_pick(a) : NULL;
	base = r ? r->lsn : 0;
	ret = clfs_write_restart(m_ma(a), a->buf, len, r ? &base : NULL, 0,
				 &written, &lsn);
	m_note(a, M_RESTART_W, ret, ret ? base : lsn);
	/* -EINVAL: the base named was below the base or truncated away */
	M_EXPECT(a, M_RESTART_W, ret, t0, 0, -ENOSPC, -EINVAL);
}

static void m_tail(struct m_actor *a, enum m_op op)
{
	unsigned long t0 = jiffies;
	struct m_rec *r = m_pick(a);
	int ret;

	if (!r)
		return;
	if (op == M_BASE)
		ret = clfs_advance_base(m_ma(a), r->lsn, 0);
	else
		ret = clfs_stream_set_archive_tail(a->w->st, r->lsn);
	m_note(a, op, ret, r->lsn);
	M_EXPECT(a, op, ret, t0, 0, -EINVAL);
}

static void m_truncate(struct m_actor *a)
{
	struct m_world *w = a->w;
	unsigned long t0 = jiffies;
	struct m_rec *r = m_pick(a);
	u64 start;
	int ret;

	if (!r)
		return;
	spin_lock(&w->lock);
	ret = w->n_truncs < M_TRUNCS;
	spin_unlock(&w->lock);
	if (!ret)
		return;
	if (w->mux) {
		/* Truncation is for dedicated logs. */
		ret = clfs_truncate(m_ma(a), r->lsn);
		M_EXPECT(a, M_TRUNCATE, ret, t0, -EOPNOTSUPP);
		return;
	}
	start = m_now(w);
	atomic_inc(&w->truncating);
	ret = clfs_truncate(m_ma(a), r->lsn);
	atomic_inc(&w->cuts);
	atomic_dec(&w->truncating);
	m_note(a, M_TRUNCATE, ret, r->lsn);
	/* -EBUSY: read contexts were open */
	M_EXPECT(a, M_TRUNCATE, ret, t0, 0, -EINVAL, -EBUSY, -ENOENT);
	if (ret)
		return;
	spin_lock(&w->lock);
	w->truncs[w->n_truncs].lsn = r->lsn;
	w->truncs[w->n_truncs].start = start;
	w->truncs[w->n_truncs].end = m_now(w);
	w->n_truncs++;
	spin_unlock(&w->lock);
}

static void m_containers(struct m_actor *a, bool add)
{
	struct clfs_container_entry ce[8];
	struct m_world *w = a->w;
	unsigned long t0 = jiffies;
	u32 n, total, id;
	int ret;

	ret = clfs_container_scan(w->log, 0, 8, ce, &n, &total);
	if (ret) {
		m_fail(a, "container scan: %d", ret);
		return;
	}
	if (add) {
		if (total >= 5)
			return;
		ret = clfs_container_add(w->log, NULL, CLFS_OFFSET_ANY, &id);
		m_note(a, M_CONT_ADD, ret, id);
		M_EXPECT(a, M_CONT_ADD, ret, t0, 0, -ENOSPC);
		return;
	}
	if (total <= 3 || !n)
		return;
	id = ce[m_rand(a, n)].physical_id;
	ret = clfs_container_remove(w->log, id);
	m_note(a, M_CONT_REMOVE, ret, id);
	/* -ENOENT: another actor removed it since the scan */
	M_EXPECT(a, M_CONT_REMOVE, ret, t0, 0, -EBUSY, -ENOENT);
}

static void m_query(struct m_actor *a)
{
	unsigned long t0 = jiffies;
	struct clfs_log_info info;
	int ret;

	ret = clfs_stream_query(a->w->st, &info);
	M_EXPECT(a, M_QUERY, ret, t0, 0);
	if (!ret && info.flushed_lsn != CLFS_LSN_INVALID &&
	    info.last_lsn != CLFS_LSN_INVALID &&
	    info.flushed_lsn > info.last_lsn)
		m_fail(a, "query: flushed %llx past last %llx",
		       info.flushed_lsn, info.last_lsn);
}

/* The start of the readable log: records before it may be gone. */
static u64 m_start(struct m_world *w)
{
	struct clfs_log_info info;
	u64 start;

	if (clfs_stream_query(w->st, &info))
		return U64_MAX;
	start = info.base_lsn;
	if (info.archive_tail != CLFS_LSN_INVALID)
		start = min(start, info.archive_tail);
	/* No tail set yet: the log starts at its first record. */
	if (clfs_lsn_is_null(start) || !clfs_lsn_is_valid(start))
		start = info.first_lsn;
	return start;
}

/* What the model requires of record @r: 1 there, -1 gone, 0 either. */
static int m_expected(struct m_world *w, const struct m_rec *r)
{
	int want = r->maybe ? 0 : 1;
	u32 i;

	for (i = 0; i < w->n_truncs; i++) {
		const struct m_trunc *t = &w->truncs[i];

		if (t->lsn >= r->lsn || t->end < r->start)
			continue;
		if (t->start > r->end)
			return -1;
		want = 0;
	}
	return want;
}

/*
 * The checkpoint's scan: every data record from the start, forward.  The
 * world is held exclusively.  Records found are marked (bit 0 of start).
 */
static void m_scan(struct m_actor *a, u64 from)
{
	struct m_world *w = a->w;
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	struct m_actor *o;
	struct m_rec *r;
	u64 prev = 0;
	u32 name;
	int ret;

	if (from == U64_MAX || !clfs_lsn_is_valid(from))
		return;
	ret = clfs_stream_read_record(w->st, from, CLFS_READ_FORWARD,
				      CLFS_TYPE_DATA, &ctx, &rec);
	if (ret == -ENOENT)
		return;
	if (ret) {
		m_fail(a, "checkpoint: read at start %llx: %d", from, ret);
		return;
	}
	for (;;) {
		if (rec.lsn <= prev)
			m_fail(a, "checkpoint: %llx after %llx", rec.lsn, prev);
		prev = rec.lsn;
		if (!m_identify(a, &rec, &name))
			break;
		o = &w->actors[name >> 24];
		r = m_slot(o, name & 0xffffff);
		if (r->counter != (name & 0xffffff) || r->lsn != rec.lsn ||
		    (name & 0xffffff) - o->oldest >= o->next - o->oldest) {
			m_fail(a, "checkpoint: record %llx (%x) was never acknowledged there",
			       rec.lsn, name);
		} else {
			r->start |= 1;
			w->checked++;
		}
		ret = clfs_read_next(ctx, &rec);
		if (ret) {
			if (ret != -ENOENT)
				m_fail(a, "checkpoint: read after %llx: %d",
				       prev, ret);
			break;
		}
	}
	clfs_read_terminate(ctx);
}

/*
 * Check the whole log against the model, then forget what is gone: the
 * records before the start and those the model requires (or allows) to
 * be gone and that are.
 */
static void m_verify(struct m_actor *a)
{
	struct m_world *w = a->w;
	u64 start = m_start(w);
	u32 t, c;

	/* Bit 0 of start marks a record found: clear it first. */
	for (t = 0; t < M_THREADS; t++) {
		struct m_actor *o = &w->actors[t];

		for (c = o->oldest; c != o->next; c++)
			m_slot(o, c)->start &= ~1ULL;
	}
	m_scan(a, start);
	for (t = 0; t < M_THREADS; t++) {
		struct m_actor *o = &w->actors[t];

		for (c = o->oldest; c != o->next; c++) {
			struct m_rec *r = m_slot(o, c);
			bool found = r->start & 1;
			int want;

			if (!r->lsn || r->lsn < start) {
				r->lsn = 0;
				continue;
			}
			want = m_expected(w, r);
			if (want > 0 && !found)
				m_fail(a, "checkpoint: record %llx (actor %u, %u) is lost",
				       r->lsn, t, c);
			if (want < 0 && found)
				m_fail(a, "checkpoint: record %llx (%u, %u) outlived a truncation",
				       r->lsn, t, c);
			if (!found) {
				if (r->maybe)
					w->lost_maybe++;
				r->lsn = 0;
			}
			r->maybe = false;
		}
		while (o->oldest != o->next && !m_slot(o, o->oldest)->lsn)
			o->oldest++;
	}
	w->n_truncs = 0;
}

static int m_reopen(struct m_world *w)
{
	int ret = clfs_log_open(clfs_crashdev_path(w->cd), NULL, 0, &w->log);

	if (ret)
		return ret;
	ret = m_stream_open(w);
	if (ret) {
		clfs_log_close(w->log);
		return ret;
	}
	return m_areas_create(w, 1 + (w->checkpoints % 4));
}

/* Mark every live record not yet durable as one a crash may take. */
static void m_mark_maybe(struct m_world *w, u64 durable)
{
	u32 t, c;

	for (t = 0; t < M_THREADS; t++) {
		struct m_actor *o = &w->actors[t];

		for (c = o->oldest; c != o->next; c++) {
			struct m_rec *r = m_slot(o, c);

			if (r->lsn > durable)
				r->maybe = true;
		}
	}
}

static void m_checkpoint(struct m_actor *a)
{
	struct m_world *w = a->w;
	unsigned long t0 = jiffies;
	struct clfs_log_info info;
	u32 what = m_rand(a, 16);
	int ret = 0;

	/* Called with w->rw held exclusively. */
	w->checkpoints++;
	m_verify(a);
	if (what < 4) {
		/* Delete and re-create a marshalling area. */
		u32 k = m_rand(a, M_AREAS);

		ret = clfs_marshal_delete(w->ma[k]);
		if (!ret)
			ret = clfs_stream_marshal_create(w->st, M_BLOCK,
							 1 + m_rand(a, 4),
							 &w->ma[k]);
	} else if (what < 7) {
		/*
		 * Close and reopen: nothing appended may be lost.  Half the
		 * time the check waits for the next checkpoint, so that the
		 * actors meet the lazy index of the clean close (clfs_scan.c)
		 * first, reading while others append, truncate and move tails.
		 */
		w->closes++;
		ret = m_close(w);
		if (!ret)
			ret = m_reopen(w);
		if (!ret && m_rand(a, 2))
			m_verify(a);
	} else if (what < 9) {
		/* Crash: what was not durable may be lost. */
		w->crashes++;
		atomic_inc(&w->cuts);
		ret = clfs_stream_query(w->st, &info);
		if (!ret)
			m_mark_maybe(w, info.flushed_lsn == CLFS_LSN_INVALID ?
				     0 : info.flushed_lsn);
		clfs_crashdev_crash_now(w->cd, m_rand(a, 2) ? CLFS_CRASH_DROP :
					CLFS_CRASH_TEAR, prandom_u32_state(&a->rnd));
		m_close(w);	/* -EIO or 0 */
		clfs_crashdev_revive(w->cd);
		ret = m_reopen(w);
		if (!ret)
			m_verify(a);
	} else if (what < 10) {
		/*
		 * A device that fails writes: the log shuts down.  The
		 * record is never acknowledged, so no scan may find it.
		 */
		struct kvec iov = { .iov_base = a->buf, .iov_len = 64 };
		u64 lsn;

		w->faults++;
		ret = clfs_flush_buffers(w->ma[0]);
		if (ret)
			goto out;
		clfs_crashdev_fail(w->cd, CLFS_CRASHDEV_WRITE);
		m_fill(a, m_name(a->id, 0xffffff, false), 64);
		ret = clfs_append(w->ma[1], &iov, 1, CLFS_LSN_INVALID,
				  CLFS_LSN_INVALID, CLFS_RECORD_DATA,
				  CLFS_FLAG_FORCE_FLUSH, &lsn);
		if (ret != -EIO)
			m_fail(a, "append on a failing device: %d", ret);
		ret = clfs_flush_buffers(w->ma[0]);
		if (ret != -EIO)
			m_fail(a, "flush on a failing device: %d", ret);
		ret = m_close(w);
		if (ret != -EIO)
			m_fail(a, "close on a failing device: %d", ret);
		clfs_crashdev_fail(w->cd, 0);
		ret = m_reopen(w);
		if (!ret)
			m_verify(a);
	} else if (what < 12) {
		/* Slow, reordering completions on or off. */
		clfs_crashdev_delay(w->cd, m_rand(a, 2) ?
				    CLFS_CRASHDEV_READ | CLFS_CRASHDEV_WRITE :
				    0, 1, prandom_u32_state(&a->rnd));
	}
out:
	if (ret)
		m_fail(a, "checkpoint %u (%u): %d", w->checkpoints, what, ret);
	m_count(a, M_CHECKPOINT, ret, t0);
}

/*
 * A second client on the log beside the others: a shared open must give
 * the same log; a follower's reads through it (clfs_read_follow() without
 * waiting) return only durable records, in increasing LSN order unless a
 * truncation ran meanwhile; the close of this opener is never the last.
 */
static void m_share(struct m_actor *a)
{
	struct m_world *w = a->w;
	unsigned long t0 = jiffies;
	struct m_rec *r = m_pick(a);
	struct clfs_read_ctx *ctx;
	struct clfs_log_info info;
	struct clfs_stream *st;
	struct clfs_record rec;
	struct clfs_log *log;
	int ret, k, e0;
	bool opened;
	u64 prev;

	ret = clfs_log_open(clfs_crashdev_path(w->cd), NULL, 0, &log);
	M_EXPECT(a, M_SHARE, ret, t0, 0);
	if (ret)
		return;
	if (log != w->log)
		m_fail(a, "shared open: another log than the one open");
	st = clfs_log_dedicated_stream(log);
	if (w->mux) {
		ret = clfs_stream_open(log, "main", &st);
		if (ret || st != w->st)
			m_fail(a, "share: stream main: %d", ret);
		if (ret) {
			clfs_log_close(log);
			return;
		}
	}
	e0 = m_epoch(w);
	ret = r ? clfs_stream_read_record(st, r->lsn, CLFS_READ_FORWARD,
					  CLFS_TYPE_ANY, &ctx, &rec) : -ENOENT;
	if (ret && ret != -ENOENT)
		m_fail(a, "share: read %llx: %d", r->lsn, ret);
	opened = !ret;
	for (k = 0; !ret && k < 8 && m_check_read(a, &rec); k++) {
		prev = rec.lsn;
		ret = clfs_read_follow(ctx, &rec, 0);
		if (ret) {
			if (ret != -EAGAIN && ret != -ENOENT)
				m_fail(a, "follow after %llx: %d", prev, ret);
			break;
		}
		if (clfs_stream_query(st, &info))
			m_fail(a, "share: query failed");
		if (!m_no_cut(e0, m_epoch(w)))
			continue;
		if (rec.lsn <= prev)
			m_fail(a, "follow after %llx: %llx", prev, rec.lsn);
		if (info.flushed_lsn == CLFS_LSN_INVALID ||
		    info.flushed_lsn < rec.lsn)
			m_fail(a, "follow returned %llx, durable only to %llx",
			       rec.lsn, info.flushed_lsn);
	}
	if (opened)
		clfs_read_terminate(ctx);
	if (w->mux)
		clfs_stream_close(st);
	ret = clfs_log_close(log);
	if (ret)
		m_fail(a, "close of a shared open: %d", ret);
}

/*
 * A side stream of actor @a's own beside the model's: created, appended
 * to through an area of its own, read back exactly, its records and the
 * model's invisible to each other's reads, deleted while the others
 * append.  A dedicated log has no streams to create.
 */
static void m_side_stream(struct m_actor *a)
{
	struct m_world *w = a->w;
	unsigned long t0 = jiffies;
	struct m_rec *r = m_pick(a);
	struct clfs_marshal *ma = NULL;
	struct clfs_read_ctx *ctx;
	struct clfs_stream *st;
	struct clfs_record rec;
	u64 lsn[3], seed;
	char name[8];
	int ret, k, n = 0;

	snprintf(name, sizeof(name), "t%u", a->id);
	ret = clfs_stream_create(w->log, name, NULL);
	if (!w->mux) {
		M_EXPECT(a, M_STREAM, ret, t0, -EOPNOTSUPP);
		return;
	}
	M_EXPECT(a, M_STREAM, ret, t0, 0);
	if (ret)
		return;
	ret = clfs_stream_open(w->log, name, &st);
	if (ret) {
		m_fail(a, "side stream %s: open: %d", name, ret);
		return;
	}
	ret = clfs_stream_marshal_create(st, M_BLOCK, 1, &ma);
	if (ret)
		m_fail(a, "side stream %s: area: %d", name, ret);
	seed = w->seed ^ 0x5151;
	for (k = 0; !ret && k < 3; k++) {
		ret = clfs_test_append(ma, seed, a->id * 3 + k, 40 + k * 300,
				       CLFS_LSN_INVALID, CLFS_LSN_INVALID,
				       CLFS_RECORD_DATA,
				       k == 2 ? CLFS_FLAG_FORCE_FLUSH : 0,
				       &lsn[k]);
		if (ret && ret != -ENOSPC)
			m_fail(a, "side stream %s: append %d: %d", name, k,
			       ret);
		n += !ret;
	}
	/* Its own records only, exactly, in order. */
	ret = n ? clfs_stream_read_record(st, lsn[0], CLFS_READ_FORWARD,
					  CLFS_TYPE_ANY, &ctx, &rec) : -ENOENT;
	for (k = 0; !ret && k < n; k++) {
		if (rec.lsn != lsn[k] ||
		    clfs_test_check(&rec, seed, a->id * 3 + k, 40 + k * 300))
			m_fail(a, "side stream %s: record %d at %llx (want %llx)",
			       name, k, rec.lsn, lsn[k]);
		ret = clfs_read_next(ctx, &rec);
	}
	if (n) {
		if (ret != -ENOENT)
			m_fail(a, "side stream %s: after its %d records: %d",
			       name, n, ret);
		clfs_read_terminate(ctx);
	}
	/* Neither stream reads the other's records. */
	if (n && clfs_test_stream_read_errno(w->st, lsn[0]) != -ENOENT)
		m_fail(a, "stream main read side record %llx", lsn[0]);
	if (r && clfs_test_stream_read_errno(st, r->lsn) != -ENOENT)
		m_fail(a, "side stream %s read main's record %llx", name,
		       r->lsn);
	if (ma)
		clfs_marshal_delete(ma);
	ret = clfs_stream_delete(w->log, name);
	if (ret != -EBUSY)
		m_fail(a, "side stream %s: delete while open: %d", name, ret);
	clfs_stream_close(st);
	ret = clfs_stream_delete(w->log, name);
	if (ret)
		m_fail(a, "side stream %s: delete: %d", name, ret);
}

static enum m_op m_draw(struct m_actor *a)
{
	u32 sum = 0, x, i;

	for (i = 0; i < M_NOPS; i++)
		sum += m_op_weight[i];
	x = m_rand(a, sum);
	for (i = 0; x >= m_op_weight[i]; i++)
		x -= m_op_weight[i];
	return i;
}

static void m_run_op(struct m_actor *a, enum m_op op)
{
	switch (op) {
	case M_APPEND:
	case M_APPEND_RSV:
		m_append(a, op == M_APPEND_RSV);
		break;
	case M_BATCH:
		m_append_batch(a);
		break;
	case M_FLUSH:
	case M_FLUSH_LSN:
		m_flush(a, op == M_FLUSH_LSN);
		break;
	case M_READ:
		m_read(a);
		break;
	case M_RESTART_W:
	case M_RESTART_R:
		m_restart(a, op == M_RESTART_W);
		break;
	case M_BASE:
	case M_ARCHIVE:
		m_tail(a, op);
		break;
	case M_TRUNCATE:
		m_truncate(a);
		break;
	case M_CONT_ADD:
	case M_CONT_REMOVE:
		m_containers(a, op == M_CONT_ADD);
		break;
	case M_QUERY:
		m_query(a);
		break;
	case M_SHARE:
		m_share(a);
		break;
	case M_STREAM:
		m_side_stream(a);
		break;
	default:
		break;
	}
}

static int m_actor_fn(void *arg)
{
	struct m_actor *a = arg;
	struct m_world *w = a->w;
	enum m_op op;
	u64 n;

	while ((n = atomic64_inc_return(&w->ops)) <= w->limit &&
	       atomic_read(&w->failures) == 0) {
		op = n % M_CHECK_EVERY ? m_draw(a) : M_CHECKPOINT;
		spin_lock(&w->lock);
		a->op = op;
		a->op_since = jiffies;
		spin_unlock(&w->lock);
		if (op == M_CHECKPOINT) {
			down_write(&w->rw);
			m_checkpoint(a);
			up_write(&w->rw);
		} else {
			down_read(&w->rw);
			m_run_op(a, op);
			up_read(&w->rw);
		}
		spin_lock(&w->lock);
		a->op_since = 0;
		spin_unlock(&w->lock);
		cond_resched();
	}
	spin_lock(&w->lock);
	a->done = true;
	spin_unlock(&w->lock);
	wake_up_all(&w->done_wait);
	return 0;
}

/* All done (true), or the actor stuck longest in one call (*stuck). */
static bool m_all_done(struct m_world *w, struct m_actor **stuck)
{
	unsigned long oldest = 0;
	bool done = true;
	u32 i;

	*stuck = NULL;
	spin_lock(&w->lock);
	for (i = 0; i < M_THREADS; i++) {
		struct m_actor *a = &w->actors[i];

		done &= a->done;
		if (a->op_since && time_after(jiffies, a->op_since +
					      M_HANG_SECS * HZ) &&
		    (!oldest || time_before(a->op_since, oldest))) {
			oldest = a->op_since;
			*stuck = a;
		}
	}
	spin_unlock(&w->lock);
	return done;
}

static void m_report(struct kunit *test, struct m_world *w)
{
	char line[160];
	u32 i, j, n;

	if (atomic_read(&w->failures)) {
		kunit_info(test, "the last operations (clock actor op result LSN/id):\n");
		for (i = 0; i < M_HIST; i++) {
			struct m_hist *h = &w->hist[(w->n_hist + i) % M_HIST];

			if (h->clock)
				kunit_info(test, "  %llu %u %s %d %llx\n",
					   h->clock, h->actor,
					   m_op_name[h->op], h->ret, h->lsn);
		}
	}
	kunit_info(test, "seed %llu, %llu operations, %d threads, %u checkpoints (%u closes, %u crashes, %u write faults), %llu records checked, %u unflushed records lost in crashes\n",
		   w->seed, w->limit, M_THREADS, w->checkpoints,
		   w->closes, w->crashes, w->faults, w->checked,
		   w->lost_maybe);
	for (i = 0; i < M_NOPS; i++) {
		n = scnprintf(line, sizeof(line), "%-17s", m_op_name[i]);
		for (j = 0; j < M_NERR; j++)
			n += scnprintf(line + n, sizeof(line) - n, " %d:%llu",
				       m_errnos[j], w->counts[i][j]);
		kunit_info(test, "%s longest %u ms\n", line,
			   jiffies_to_msecs(w->longest[i]));
	}
}

static u32 m_parts(void)
{
	return min_t(u64, DIV_ROUND_UP(model_ops, M_PART_OPS), M_MAX_PARTS);
}

static u32 m_part_ids[M_MAX_PARTS];

static const void *m_gen_part(const void *prev, char *desc)
{
	const u32 *p = prev ? (const u32 *)prev + 1 : m_part_ids;
	u32 i = p - m_part_ids;

	if (i >= m_parts())
		return NULL;
	m_part_ids[i] = i;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "part %u of %u, seed %lu",
		 i + 1, m_parts(), model_seed + i);
	return p;
}

static void clfs_model_test(struct kunit *test)
{
	u32 part = *(const u32 *)test->param_value;
	struct clfs_create_params p = {
		.block_size = M_BLOCK, .container_size = M_CONT,
		.n_containers = M_CONTS,
		.flags = part % 2 ? CLFS_CREATE_MULTIPLEXED : 0,
	};
	struct m_actor *stuck;
	struct m_world *w;
	u32 i;

	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	w->test = test;
	w->cd = clfs_m_dev;
	w->seed = model_seed + part;
	w->limit = min_t(u64, M_PART_OPS, model_ops - (u64)part * M_PART_OPS);
	init_rwsem(&w->rw);
	spin_lock_init(&w->lock);
	init_waitqueue_head(&w->done_wait);
	clfs_crashdev_reset(w->cd);
	w->mux = part % 2;
	KUNIT_ASSERT_EQ(test, clfs_log_create(clfs_crashdev_path(w->cd), &p,
					      &w->log), 0);
	if (w->mux)
		KUNIT_ASSERT_EQ(test, clfs_stream_create(w->log, "main", NULL),
				0);
	KUNIT_ASSERT_EQ(test, m_stream_open(w), 0);
	KUNIT_ASSERT_EQ(test, m_areas_create(w, 4), 0);
	kunit_info(test, "seed %llu, %llu operations, %d threads, %s log\n",
		   w->seed, w->limit, M_THREADS,
		   w->mux ? "a multiplexed" : "a dedicated");
	for (i = 0; i < M_THREADS; i++) {
		struct m_actor *a = &w->actors[i];

		a->w = w;
		a->id = i;
		a->last = CLFS_LSN_INVALID;
		a->last2 = CLFS_LSN_INVALID;
		prandom_seed_state(&a->rnd, w->seed * 1000003 + i);
		a->recs = kunit_kcalloc(test, M_SLOTS, sizeof(*a->recs),
					GFP_KERNEL);
		a->buf = kunit_kzalloc(test, 4096, GFP_KERNEL);
		KUNIT_ASSERT_TRUE(test, a->recs && a->buf);
	}
	for (i = 0; i < M_THREADS; i++) {
		struct m_actor *a = &w->actors[i];

		a->task = kthread_run(m_actor_fn, a, "clfs-model-%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(a->task));
	}
	while (!m_all_done(w, &stuck)) {
		if (stuck) {
			KUNIT_FAIL(test, "actor %u: %s has not returned in %d s; its stack follows",
				   stuck->id, m_op_name[stuck->op],
				   M_HANG_SECS);
			sched_show_task(stuck->task);
			m_report(test, w);
			return;	/* the actors stay: their calls never return */
		}
		wait_event_timeout(w->done_wait, m_all_done(w, &stuck), HZ);
	}
	m_report(test, w);
	KUNIT_EXPECT_EQ(test, atomic_read(&w->failures), 0);
	/* The end: one more check of everything, and a clean close. */
	m_verify(&w->actors[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&w->failures), 0);
	KUNIT_EXPECT_EQ(test, m_close(w), 0);
}

static int clfs_model_suite_init(struct kunit_suite *suite)
{
	clfs_m_dev = clfs_crashdev_create("clfscrash4", M_DEV, 512);
	return PTR_ERR_OR_ZERO(clfs_m_dev);
}

static void clfs_model_suite_exit(struct kunit_suite *suite)
{
	clfs_crashdev_destroy(clfs_m_dev);
}

static struct kunit_case clfs_model_cases[] = {
	KUNIT_CASE_PARAM_ATTR(clfs_model_test, m_gen_part,
			      { .speed = KUNIT_SPEED_SLOW }),
	{}
};

static struct kunit_suite clfs_model_test_suite = {
	.name = "clfs_model",
	.suite_init = clfs_model_suite_init,
	.suite_exit = clfs_model_suite_exit,
	.test_cases = clfs_model_cases,
};

kunit_test_suite(clfs_model_test_suite);

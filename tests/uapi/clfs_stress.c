// SPDX-License-Identifier: GPL-2.0
/*
 * clfs_stress: many processes and threads driving one log through
 * /dev/clfs at once, with every result checked against a model of the log
 * kept in memory the processes share.  Runs inside the QEMU guests with
 * clfs.ko loaded (tests/integration/06-stress.sh).
 *
 *   clfs_stress [-s SEED] [-p PROCS] [-t THREADS] [-T THREADS2] [-n OPS]
 *		 DEV1 DEV2
 *
 * DEV1 holds the log (8 containers of 1 MiB, 16 KiB blocks); containers
 * are added on DEV2 and removed again while the run goes on.  Both are
 * overwritten.  The exit status is the number of failures (at most 100).
 *
 * Phase 1, shared descriptors: the parent creates the log and its
 * marshalling area and forks PROCS processes of THREADS threads.  Every
 * thread uses the inherited log and area descriptors (one open file each,
 * shared by all) for a seeded random sequence of OPS calls: appends with
 * every flag, iovecs and reservations, flushes, reads in every mode and
 * filter, restart writes and reads, base and archive-tail moves,
 * truncation, container add, remove and scan, queries, and read-only
 * handles opened beside them (every write through one refused with
 * EBADF, a follower's durable reads through it).  Each process
 * keeps a read context in a descriptor its threads share; a thread may
 * replace it (dup2: the old context is closed) while others are inside
 * calls on it.
 *
 * Phase 2, closing: THREADS2 threads of the parent do the same and also
 * close the control, log, area and read-context descriptors while other
 * threads are inside calls on them (dup2 of /dev/null over the
 * descriptor: calls already inside keep their file, later ones fail with
 * ENOTTY), and reopen them: a new area on the log, or, once the log has
 * closed, the log itself from its devices (recovery).
 *
 * Checks.  Every call's result is one of the errnos documented for it in
 * that situation; anything else is a failure, printed with the call.
 * Every record a read returns is byte for byte one that an append made,
 * with its LSN, undo-next and previous LSNs.  After each phase, and once
 * more after closing and reopening the log, a forward read of the whole
 * log finds LSNs strictly increasing, only records whose append
 * succeeded, at the LSN it returned, and every record whose append
 * succeeded at or after the first readable LSN, unless a truncation to a
 * lower LSN ended after the append was called (it may have taken it); one
 * that began after the append returned must have taken it.
 *
 * No call may hang: a watchdog thread fails the run when one call has
 * lasted WATCHDOG_SECS, printing the caller's kernel stack.
 *
 * Reproducible: each thread's sequence of calls follows from the seed and
 * the thread's number (the interleaving is the scheduler's).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libclfs.h"

#define MiB		(1024ULL * 1024)
#define BLOCK		16384U
#define MAX_REC		12000U
#define MAX_RECS	(1U << 18)
#define MAX_TRUNC	4096U
#define MAX_ACTORS	64U
#define RECENT		1024U
#define N_ERRNO		160
#define WATCHDOG_SECS	120

#define REC_MAGIC	0x434c5352U	/* "CLSR": a data record of this test */
#define RST_MAGIC	0x434c5241U	/* "CLRA": a restart area */

/* Descriptor numbers the threads share (in phase 2 all four may die). */
#define SLOT_CTL	500
#define SLOT_LOG	501
#define SLOT_MA		502
#define SLOT_CTX	503

enum rec_state { R_FREE, R_BUSY, R_ACKED, R_FAILED };

/* What the model knows of one record (by the id its payload carries). */
struct rec {
	uint64_t lsn;		/* the LSN its append returned */
	uint64_t undo_next;
	uint64_t previous;
	uint64_t start;		/* when the append was called */
	uint64_t tick;		/* when the append returned */
	uint32_t len;
	uint32_t state;		/* enum rec_state, stored last */
};

/* A truncation that succeeded: to @target, between ticks @start and @end. */
struct trunc_ev {
	uint64_t target;
	uint64_t start;
	uint64_t end;
	uint32_t valid;		/* stored last */
};

enum op {
	OP_APPEND, OP_APPEND_RSV, OP_ALLOC_RSV, OP_FREE_RSV, OP_ALIGN_RSV,
	OP_FLUSH, OP_FLUSH_TO, OP_READ, OP_READ_NEXT, OP_CTX_NEXT,
	OP_WRITE_RESTART, OP_READ_RESTART, OP_READ_PREV_RESTART,
	OP_ADVANCE_BASE, OP_ARCHIVE_TAIL, OP_TRUNCATE, OP_ADD_CONT,
	OP_REMOVE_CONT, OP_SCAN, OP_QUERY, OP_STATS, OP_VERSION,
	OP_KILL, OP_OPEN_LOG, OP_CREATE_MA, OP_OPEN_CTL, OP_SHARE_RO,
	OP_RO_REFUSED, OP_FOLLOW, OP_OWN_AREA, OP_BATCH, OP_RING,
	OP_READ_BATCH, N_OPS
};

static const char *const op_name[N_OPS] = {
	"append", "append+rsv", "alloc_rsv", "free_rsv", "align_rsv",
	"flush_buffers", "flush_to_lsn", "read_record", "read_next",
	"ctx_read_next", "write_restart", "read_restart",
	"read_prev_restart", "advance_base", "archive_tail", "truncate",
	"add_container", "remove_container", "scan_containers", "query",
	"io_stats", "version", "close_desc", "open_log", "create_marshal",
	"open_control", "open_read_only", "read_only_write", "follow",
	"own_area", "append_batch", "append_ring", "read_batch",
};

/* The actor's call in progress, for the watchdog. */
struct actor_state {
	int tid;
	int op;			/* -1: none */
	uint64_t since_ns;
};

/* Everything the processes share (one anonymous shared mapping). */
struct shared {
	uint64_t tick;
	uint32_t next_id;
	uint32_t n_trunc;	/* truncations that succeeded */
	uint32_t trunc_started;	/* truncation calls begun */
	uint32_t trunc_active;	/* truncation calls not yet returned */
	uint32_t recent_pos;
	uint32_t failures;
	uint32_t phase;
	uint32_t ma_gen;	/* marshalling areas installed */
	uint64_t rsv;		/* ma_gen << 32 | reservations unclaimed */
	uint64_t counts[N_OPS][N_ERRNO];
	uint64_t max_call_ns[N_OPS];
	uint32_t recent[RECENT];
	struct trunc_ev trunc[MAX_TRUNC];
	struct actor_state actors[MAX_ACTORS];
	struct rec recs[MAX_RECS];
};

static struct shared *sh;
static uint64_t seed = 20261203;
static unsigned int n_procs = 3, n_threads = 4, n_threads2 = 8, n_ops = 1500;
static int dev1_fd = -1, dev2_fd = -1, null_fd = -1;
static int ro1_fd = -1, ro2_fd = -1;	/* the devices, opened read-only */
static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static bool slot_dead[4];

struct actor {
	unsigned int no;	/* index into sh->actors */
	uint64_t rng;
	uint64_t last_lsn;	/* this actor's last acknowledged record */
	uint32_t last_trunc;	/* trunc_started when its append began */
	bool last_clean;	/* no truncation was running then */
	unsigned char *buf;
	unsigned char *rbuf;
	int own_ma;		/* its own marshalling area, or -1 */
	bool own_small;		/* 4 KiB buffers: records up to 4096 - 64 - 40 B */
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t tick(void)
{
	return __atomic_add_fetch(&sh->tick, 1, __ATOMIC_SEQ_CST);
}

static uint64_t rnd(struct actor *a)
{
	/* splitmix64 */
	uint64_t z = (a->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int below(struct actor *a, unsigned int n)
{
	return (unsigned int)(rnd(a) % n);
}

static void failf(const char *fmt, ...)
{
	va_list ap;
	char line[512];

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("FAIL %s\n", line);
	fflush(stdout);
	__atomic_add_fetch(&sh->failures, 1, __ATOMIC_SEQ_CST);
}

/* The byte at @i of record @id's payload (after the 16-byte header). */
static unsigned char pattern(uint32_t id, uint32_t i)
{
	return (unsigned char)(id * 131U + i * 7U + (i >> 8));
}

static void fill_record(unsigned char *p, uint32_t id, uint32_t len)
{
	uint32_t h[4] = { REC_MAGIC, id, len, ~id };
	uint32_t i;

	memcpy(p, h, sizeof(h));
	for (i = sizeof(h); i < len; i++)
		p[i] = pattern(id, i);
}

/*
 * check_data() - a data record a read returned is one this test appended:
 * its bytes, and (once its append has returned) its LSN and chain LSNs.
 * @final: no append is in flight; only acknowledged records may exist.
 * Returns the record's id, or -1 after reporting a failure.
 */
static int check_data(const unsigned char *p, const struct clfs_record_info *ri,
		      bool final, const char *what)
{
	uint32_t h[4], i, id;
	struct rec *r;
	uint32_t st;

	if (ri->length < sizeof(h)) {
		failf("%s: record at %#" PRIx64 " has %u bytes", what, ri->lsn,
		      ri->length);
		return -1;
	}
	memcpy(h, p, sizeof(h));
	id = h[1];
	if (h[0] != REC_MAGIC || h[3] != ~id || h[2] != ri->length ||
	    id >= __atomic_load_n(&sh->next_id, __ATOMIC_ACQUIRE)) {
		failf("%s: record at %#" PRIx64 " (%u bytes) is not one this test appended",
		      what, ri->lsn, ri->length);
		return -1;
	}
	r = &sh->recs[id];
	for (i = sizeof(h); i < ri->length; i++) {
		if (p[i] != pattern(id, i)) {
			failf("%s: record %u at %#" PRIx64 ": byte %u is %#x, want %#x",
			      what, id, ri->lsn, i, p[i], pattern(id, i));
			return -1;
		}
	}
	st = __atomic_load_n(&r->state, __ATOMIC_ACQUIRE);
	if (r->len != ri->length || r->undo_next != ri->undo_next ||
	    r->previous != ri->previous) {
		failf("%s: record %u at %#" PRIx64 ": length %u undo-next %#" PRIx64
		      " previous %#" PRIx64 ", appended with %u %#" PRIx64 " %#" PRIx64,
		      what, id, ri->lsn, ri->length, ri->undo_next, ri->previous,
		      r->len, r->undo_next, r->previous);
		return -1;
	}
	if (st == R_ACKED && r->lsn != ri->lsn) {
		failf("%s: record %u read at %#" PRIx64 ", its append returned %#" PRIx64,
		      what, id, ri->lsn, r->lsn);
		return -1;
	}
	if (final && st != R_ACKED) {
		failf("%s: record %u at %#" PRIx64 " is in the log, but its append %s",
		      what, id, ri->lsn, st == R_FAILED ? "failed" : "never returned");
		return -1;
	}
	return (int)id;
}

static int check_restart(const unsigned char *p, const struct clfs_record_info *ri,
			 const char *what)
{
	uint32_t h[2], i;

	memcpy(h, p, ri->length < 8 ? 0 : sizeof(h));
	if (ri->length < 8 || h[0] != RST_MAGIC || h[1] != ri->length) {
		failf("%s: restart area at %#" PRIx64 " (%u bytes) is not one this test wrote",
		      what, ri->lsn, ri->length);
		return -1;
	}
	for (i = 8; i < ri->length; i++) {
		if (p[i] != (unsigned char)(ri->length + i)) {
			failf("%s: restart area at %#" PRIx64 ": byte %u wrong", what,
			      ri->lsn, i);
			return -1;
		}
	}
	return 0;
}

static int check_any(const unsigned char *p, const struct clfs_record_info *ri,
		     uint32_t mask, const char *what)
{
	if (ri->type == CLFS_RECORD_DATA && (mask & CLFS_TYPE_DATA))
		return check_data(p, ri, false, what) < 0 ? -1 : 0;
	if (ri->type == CLFS_RECORD_RESTART && (mask & CLFS_TYPE_RESTART))
		return check_restart(p, ri, what);
	failf("%s: record at %#" PRIx64 " has type %u, outside the filter %#x",
	      what, ri->lsn, ri->type, mask);
	return -1;
}

/* --- calls, their accounting and the errnos each may return --- */

static void call_begin(struct actor *a, int op)
{
	struct actor_state *s = &sh->actors[a->no];

	__atomic_store_n(&s->since_ns, now_ns(), __ATOMIC_RELAXED);
	__atomic_store_n(&s->op, op, __ATOMIC_RELEASE);
}

/*
 * call_end() - count @rc for @op; a result not in @ok (0-terminated
 * positive errnos; 0 always allowed) is a failure.  Dead descriptors
 * answer ENOTTY, which is allowed where @dead says one may be dead.
 */
static bool call_end(struct actor *a, int op, int rc, const int *ok, bool dead)
{
	struct actor_state *s = &sh->actors[a->no];
	uint64_t t = now_ns() - s->since_ns, max;
	int e = -rc;

	__atomic_store_n(&s->op, -1, __ATOMIC_RELEASE);
	__atomic_add_fetch(&sh->counts[op][e >= 0 && e < N_ERRNO ? e : N_ERRNO - 1],
			   1, __ATOMIC_RELAXED);
	max = __atomic_load_n(&sh->max_call_ns[op], __ATOMIC_RELAXED);
	while (t > max && !__atomic_compare_exchange_n(&sh->max_call_ns[op], &max, t,
						       false, __ATOMIC_RELAXED,
						       __ATOMIC_RELAXED))
		;
	if (rc == 0)
		return true;
	if (dead && e == ENOTTY)
		return false;
	for (; ok && *ok; ok++)
		if (*ok == e)
			return false;
	failf("actor %u: %s returned %s (%d)", a->no, op_name[op],
	      clfs_errno_name(rc), rc);
	return false;
}

#define OK(...) ((const int[]){ __VA_ARGS__, 0 })

/* In phase 2 the log and area descriptors may be dead. */
static bool may_die(void)
{
	return __atomic_load_n(&sh->phase, __ATOMIC_RELAXED) == 2;
}

/* An LSN some time back among the acknowledged records (or INVALID). */
static uint64_t recent_lsn(struct actor *a, unsigned int back)
{
	uint32_t pos = __atomic_load_n(&sh->recent_pos, __ATOMIC_ACQUIRE);
	uint32_t id;

	if (pos == 0)
		return CLFS_LSN_INVALID;
	if (back >= pos)
		back = pos - 1;
	if (back >= RECENT)
		back = RECENT - 1;
	id = __atomic_load_n(&sh->recent[(pos - 1 - back) % RECENT], __ATOMIC_ACQUIRE);
	(void)a;
	return sh->recs[id].lsn;
}

static uint32_t record_size(struct actor *a)
{
	unsigned int r = below(a, 100);

	if (r < 70)
		return 16 + below(a, 497);
	if (r < 95)
		return 513 + below(a, 3488);
	return 4001 + below(a, MAX_REC - 4000);
}

/*
 * Reservations.  Every reservation is for RSV_SIZE bytes, so any of them
 * fits any record that uses one: the model counts them in sh->rsv, by the
 * area (ma_gen) they were made in.  An actor claims one before it uses or
 * frees it; a claimed reservation must be there, unless its area has gone
 * (a new one is installed, under slot_lock, before ma_gen moves on).
 */
#define RSV_SIZE	1000U

static bool rsv_claim(uint32_t *gen)
{
	uint64_t v = __atomic_load_n(&sh->rsv, __ATOMIC_ACQUIRE);

	do {
		if ((uint32_t)v == 0)
			return false;
	} while (!__atomic_compare_exchange_n(&sh->rsv, &v, v - 1, false,
					      __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
	*gen = (uint32_t)(v >> 32);
	return true;
}

static void rsv_add(uint32_t gen)
{
	uint64_t v = __atomic_load_n(&sh->rsv, __ATOMIC_ACQUIRE);

	do {
		if ((uint32_t)(v >> 32) != gen)
			return;
	} while (!__atomic_compare_exchange_n(&sh->rsv, &v, v + 1, false,
					      __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
}

/* The area of @gen is gone (checked after the call that found it so). */
static bool area_gone(uint32_t gen)
{
	bool gone;

	pthread_mutex_lock(&slot_lock);
	gone = __atomic_load_n(&sh->ma_gen, __ATOMIC_ACQUIRE) != gen;
	pthread_mutex_unlock(&slot_lock);
	return gone;
}

/*
 * own_area() - the actor's own marshalling area, created on the log slot
 * the first time (and again after own_area_close()): several areas append
 * into one log at once, each record checked by the model like any other.
 * Returns its descriptor, or SLOT_MA when the log slot is closed.
 */
static int own_area(struct actor *a)
{
	int rc;

	if (a->own_ma >= 0)
		return a->own_ma;
	pthread_mutex_lock(&slot_lock);
	if (!slot_dead[1]) {
		a->own_small = below(a, 2);
		call_begin(a, OP_OWN_AREA);
		rc = clfs_create_marshalling_area(SLOT_LOG,
						  a->own_small ? 4096 : 0,
						  1 + below(a, 4));
		if (call_end(a, OP_OWN_AREA, rc < 0 ? rc : 0, NULL, false))
			a->own_ma = rc;
	}
	pthread_mutex_unlock(&slot_lock);
	return a->own_ma >= 0 ? a->own_ma : SLOT_MA;
}

/* Delete the actor's own area: closing its descriptor flushes it. */
static void own_area_close(struct actor *a)
{
	if (a->own_ma >= 0)
		close(a->own_ma);
	a->own_ma = -1;
}

/* Record @id was appended at @lsn: acknowledged, the actor's newest. */
static void note_acked(struct actor *a, uint32_t id, uint64_t lsn,
		       uint32_t trunc0, bool clean)
{
	struct rec *r = &sh->recs[id];

	r->lsn = lsn;
	r->tick = tick();
	__atomic_store_n(&r->state, R_ACKED, __ATOMIC_RELEASE);
	a->last_lsn = lsn;
	a->last_trunc = trunc0;
	a->last_clean = clean;
	__atomic_store_n(&sh->recent[__atomic_fetch_add(&sh->recent_pos, 1,
				     __ATOMIC_ACQ_REL) % RECENT], id, __ATOMIC_RELEASE);
}

/* The log is full: make room, moving the base and the archive tail. */
static void make_room(struct actor *a)
{
	uint64_t to = recent_lsn(a, 128 + below(a, 128));

	call_begin(a, OP_ADVANCE_BASE);
	call_end(a, OP_ADVANCE_BASE, clfs_advance_log_base(SLOT_MA, to),
		 OK(EINVAL), may_die());
	call_begin(a, OP_ARCHIVE_TAIL);
	call_end(a, OP_ARCHIVE_TAIL, clfs_set_log_archive_tail(SLOT_LOG, to),
		 OK(EINVAL), may_die());
}

/* op_append() - append one record; @rsv: consume this actor's reservation. */
static void op_append(struct actor *a, bool rsv)
{
	static const uint32_t fl[] = { 0, CLFS_FLAG_FORCE_APPEND, CLFS_FLAG_FORCE_FLUSH,
		CLFS_FLAG_FORCE_APPEND | CLFS_FLAG_FORCE_FLUSH };
	uint32_t id, len, flags = fl[below(a, 4)], gen = 0, trunc0;
	bool clean;
	struct rec *r;
	struct iovec iov[3];
	unsigned int n = 1 + below(a, 3), cut1, cut2;
	uint64_t lsn = CLFS_LSN_INVALID;
	int rc, op = rsv ? OP_APPEND_RSV : OP_APPEND, ma = SLOT_MA;

	if (rsv && !rsv_claim(&gen))
		rsv = false, op = OP_APPEND;
	len = rsv ? RSV_SIZE : record_size(a);
	if (!rsv && below(a, 4) == 0) {
		ma = own_area(a);
		if (a->own_small && len > 4096 - 64 - 40)
			ma = SLOT_MA;	/* more than its buffers carry */
	}
	flags |= rsv ? CLFS_FLAG_USE_RESERVATION : 0;
	id = __atomic_fetch_add(&sh->next_id, 1, __ATOMIC_ACQ_REL);
	if (id >= MAX_RECS) {
		if (rsv)
			rsv_add(gen);
		__atomic_store_n(&sh->next_id, MAX_RECS, __ATOMIC_RELAXED);
		return;
	}
	r = &sh->recs[id];
	r->len = len;
	r->previous = a->last_lsn;
	r->undo_next = below(a, 2) ? recent_lsn(a, below(a, 64)) : CLFS_LSN_INVALID;
	__atomic_store_n(&r->state, R_BUSY, __ATOMIC_RELEASE);
	fill_record(a->buf, id, len);
	r->start = tick();
	trunc0 = __atomic_load_n(&sh->trunc_started, __ATOMIC_ACQUIRE);
	clean = !__atomic_load_n(&sh->trunc_active, __ATOMIC_ACQUIRE);
	cut1 = n > 1 ? below(a, len + 1) : len;
	cut2 = n > 2 ? cut1 + below(a, len - cut1 + 1) : len;
	iov[0] = (struct iovec){ a->buf, cut1 };
	iov[1] = (struct iovec){ a->buf + cut1, cut2 - cut1 };
	iov[2] = (struct iovec){ a->buf + cut2, len - cut2 };
	call_begin(a, op);
	rc = clfs_reserve_and_append_log(ma, iov, n, r->undo_next, r->previous,
					 0, NULL, flags, &lsn);
	if (rc == 0)
		note_acked(a, id, lsn, trunc0, clean);
	else
		__atomic_store_n(&r->state, R_FAILED, __ATOMIC_RELEASE);
	if (rsv) {
		/*
		 * The claimed reservation is there unless its area has gone
		 * (or, with FORCE_FLUSH, a truncation took the record after
		 * it was appended); a record with a reservation never meets
		 * a full log.
		 */
		bool gone = rc == -ENOENT && area_gone(gen);
		bool trunc = rc == -ENOENT && (flags & CLFS_FLAG_FORCE_FLUSH) &&
			     __atomic_load_n(&sh->trunc_started, __ATOMIC_ACQUIRE);

		call_end(a, op, rc, gone || trunc ? OK(ENOENT) : NULL, may_die());
		if (rc && rc != -ENOENT && rc != -ENOTTY)
			rsv_add(gen);	/* not consumed */
	} else {
		call_end(a, op, rc, flags & CLFS_FLAG_FORCE_FLUSH ? OK(ENOSPC, ENOENT) :
			 OK(ENOSPC), may_die());
	}
	if (rc == -ENOSPC)
		make_room(a);
}

#define BATCH_MAX	6U

/*
 * Two to BATCH_MAX small records in one APPEND_BATCH through the shared
 * area: those appended are acknowledged, in order, the rest failed (a
 * full log ends a batch where it stops; with FORCE_FLUSH a truncation may
 * take the later ones, ENOENT, and the check allows for it).
 */
static void op_append_batch(struct actor *a)
{
	static const uint32_t fl[] = { 0, CLFS_FLAG_FORCE_APPEND,
				       CLFS_FLAG_FORCE_FLUSH };
	struct clfs_batch_record br[BATCH_MAX];
	unsigned int n = 2 + below(a, BATCH_MAX - 1), done = 0, i;
	uint32_t flags = fl[below(a, 3)], id, off = 0, trunc0;
	bool clean;
	int rc;

	id = __atomic_fetch_add(&sh->next_id, n, __ATOMIC_ACQ_REL);
	if (id + n > MAX_RECS) {
		__atomic_store_n(&sh->next_id, MAX_RECS, __ATOMIC_RELAXED);
		return;
	}
	for (i = 0; i < n; i++) {
		struct rec *r = &sh->recs[id + i];

		r->len = 16 + below(a, 497);
		r->previous = a->last_lsn;
		r->undo_next = CLFS_LSN_INVALID;
		__atomic_store_n(&r->state, R_BUSY, __ATOMIC_RELEASE);
		fill_record(a->buf + off, id + i, r->len);
		memset(&br[i], 0, sizeof(br[i]));
		br[i].data = (uintptr_t)(a->buf + off);
		br[i].len = r->len;
		br[i].type = CLFS_RECORD_DATA;
		br[i].undo_next = r->undo_next;
		br[i].previous = r->previous;
		off += r->len;
		r->start = tick();
	}
	trunc0 = __atomic_load_n(&sh->trunc_started, __ATOMIC_ACQUIRE);
	clean = !__atomic_load_n(&sh->trunc_active, __ATOMIC_ACQUIRE);
	call_begin(a, OP_BATCH);
	rc = clfs_append_log_batch(SLOT_MA, br, n, flags, &done);
	for (i = 0; i < n; i++) {
		if (i < done && (!i || br[i].lsn > br[i - 1].lsn))
			note_acked(a, id + i, br[i].lsn, trunc0, clean);
		else
			__atomic_store_n(&sh->recs[id + i].state, R_FAILED,
					 __ATOMIC_RELEASE);
		if (i && i < done && br[i].lsn <= br[i - 1].lsn)
			failf("append_batch: LSN %#" PRIx64 " after %#" PRIx64
			      " in one call", br[i].lsn, br[i - 1].lsn);
	}
	call_end(a, OP_BATCH, rc, flags & CLFS_FLAG_FORCE_FLUSH ?
		 OK(ENOSPC, ENOENT) : OK(ENOSPC), may_die());
	if (rc == -ENOSPC)
		make_room(a);
}

#define RING_MAX	6U

/*
 * Two to RING_MAX small records appended through an io_uring (a libclfs
 * ring on the shared area), all in flight at once: with FORCE_FLUSH each
 * completes when durable, without a thread asleep for it.  Those that
 * complete with 0 are acknowledged, and their LSNs follow the order of
 * submission unless a truncation came meanwhile; ENOSPC and, with
 * FORCE_FLUSH, ENOENT (a truncation took the record) are allowed, as for
 * one append.
 */
static void op_append_ring(struct actor *a)
{
	static const uint32_t fl[] = { 0, CLFS_FLAG_FORCE_FLUSH };
	struct clfs_ring_done d[RING_MAX];
	uint64_t lsn[RING_MAX], prev = 0;
	unsigned int n = 2 + below(a, RING_MAX - 1), got = 0, i;
	uint32_t flags = fl[below(a, 2)], id, off = 0, trunc0;
	struct clfs_ring *ring;
	int rc, res[RING_MAX];
	bool clean, cut, full = false;

	id = __atomic_fetch_add(&sh->next_id, n, __ATOMIC_ACQ_REL);
	if (id + n > MAX_RECS) {
		__atomic_store_n(&sh->next_id, MAX_RECS, __ATOMIC_RELAXED);
		return;
	}
	call_begin(a, OP_RING);
	rc = clfs_ring_open(SLOT_MA, RING_MAX, 0, &ring);
	if (rc) {
		for (i = 0; i < n; i++)
			__atomic_store_n(&sh->recs[id + i].state, R_FAILED,
					 __ATOMIC_RELEASE);
		call_end(a, OP_RING, rc, NULL, may_die());
		return;
	}
	trunc0 = __atomic_load_n(&sh->trunc_started, __ATOMIC_ACQUIRE);
	clean = !__atomic_load_n(&sh->trunc_active, __ATOMIC_ACQUIRE);
	for (i = 0; i < n; i++) {
		struct rec *r = &sh->recs[id + i];
		struct iovec iov;

		r->len = 16 + below(a, 497);
		r->previous = a->last_lsn;
		r->undo_next = CLFS_LSN_INVALID;
		__atomic_store_n(&r->state, R_BUSY, __ATOMIC_RELEASE);
		fill_record(a->buf + off, id + i, r->len);
		iov.iov_base = a->buf + off;
		iov.iov_len = r->len;
		off += r->len;
		r->start = tick();
		res[i] = -EINPROGRESS;
		rc = clfs_ring_append(ring, &iov, 1, r->undo_next, r->previous,
				      flags, i);
		if (rc)
			failf("append_ring: queue %u -> %d", i, rc);
	}
	rc = clfs_ring_submit(ring);
	if (rc != (int)n)
		failf("append_ring: submit %u -> %d", n, rc);
	while (rc >= 0 && got < n) {
		rc = clfs_ring_wait(ring, d, RING_MAX, 1);
		for (i = 0; rc > 0 && i < (unsigned int)rc; i++) {
			res[d[i].tag] = d[i].ret;
			lsn[d[i].tag] = d[i].lsn;
		}
		got += rc > 0 ? (unsigned int)rc : 0;
	}
	clfs_ring_close(ring);
	/*
	 * Each append is a command of its own: a truncation between two of
	 * them may take the first, and the next gets a lower LSN.
	 */
	cut = !clean ||
	      __atomic_load_n(&sh->trunc_started, __ATOMIC_ACQUIRE) != trunc0;
	rc = 0;
	for (i = 0; i < n; i++) {
		if (res[i] == 0 && (lsn[i] > prev || cut)) {
			note_acked(a, id + i, lsn[i], trunc0, clean);
			prev = lsn[i];
			continue;
		}
		__atomic_store_n(&sh->recs[id + i].state, R_FAILED,
				 __ATOMIC_RELEASE);
		if (res[i] == 0)
			failf("append_ring: LSN %#" PRIx64 " after %#" PRIx64
			      " in submission order", lsn[i], prev);
		else if (!rc)
			rc = res[i];
		full |= res[i] == -ENOSPC;
	}
	call_end(a, OP_RING, rc, flags & CLFS_FLAG_FORCE_FLUSH ?
		 OK(ENOSPC, ENOENT) : OK(ENOSPC), may_die());
	if (full)
		make_room(a);
}

static void op_reserve(struct actor *a, int op)
{
	uint32_t size = RSV_SIZE, aligned = 0, gen;
	uint64_t total = 0;
	int rc;

	call_begin(a, OP_ALIGN_RSV);
	rc = clfs_align_reserved_log(SLOT_MA, 1, &size, &aligned, &total);
	if (!call_end(a, OP_ALIGN_RSV, rc, NULL, may_die()))
		return;
	if (aligned < size || total != aligned)
		failf("actor %u: align_rsv of %u bytes gave %u (total %" PRIu64 ")",
		      a->no, size, aligned, total);
	if (op == OP_ALLOC_RSV) {
		gen = __atomic_load_n(&sh->ma_gen, __ATOMIC_ACQUIRE);
		call_begin(a, op);
		rc = clfs_alloc_reserved_log(SLOT_MA, 1, &size, total);
		if (call_end(a, op, rc, OK(ENOSPC), may_die()))
			rsv_add(gen);
	} else if (rsv_claim(&gen)) {
		call_begin(a, op);
		rc = clfs_free_reserved_log(SLOT_MA, 1, &size, total);
		call_end(a, op, rc, rc == -ENOENT && area_gone(gen) ? OK(ENOENT) : NULL,
			 may_die());
		if (rc && rc != -ENOENT && rc != -ENOTTY)
			rsv_add(gen);
	}
}

static void op_flush(struct actor *a, bool to_lsn)
{
	uint64_t mine = a->last_lsn, flushed = 0;
	int rc;

	if (to_lsn) {
		uint64_t lsn = below(a, 4) ? mine : recent_lsn(a, below(a, 32));

		if (lsn == CLFS_LSN_INVALID)
			return;
		call_begin(a, OP_FLUSH_TO);
		rc = clfs_flush_log_to_lsn(SLOT_MA, lsn, &flushed);
		call_end(a, OP_FLUSH_TO, rc, OK(ENOENT), may_die());
	} else {
		call_begin(a, OP_FLUSH);
		rc = clfs_flush_buffers(SLOT_MA, &flushed);
		call_end(a, OP_FLUSH, rc, NULL, may_die());
		/*
		 * Every record this actor appended before is durable, unless
		 * a truncation may have taken it: one running when its append
		 * began, or begun since.
		 */
		if (rc == 0 && mine != CLFS_LSN_INVALID && a->last_clean &&
		    a->last_trunc == __atomic_load_n(&sh->trunc_started, __ATOMIC_ACQUIRE) &&
		    (flushed == CLFS_LSN_INVALID || flushed < mine))
			failf("actor %u: flush_buffers returned %#" PRIx64
			      ", below its record at %#" PRIx64, a->no, flushed, mine);
	}
}

/*
 * The next @n records of context @ctx in one READ_NEXT_BATCH: each one
 * checked as a READ_NEXT's would be, none twice; ERANGE (the first record
 * longer than the buffer) and ENOENT allowed.  The buffer is small one
 * time in two, so a record that does not fit after others is kept for
 * the next call.
 */
static void read_batch(struct actor *a, int ctx, uint32_t mask,
		       unsigned int n, bool dead)
{
	uint32_t len = below(a, 2) ? BLOCK : 1024;
	struct clfs_batch_record br[8];
	struct clfs_record_info ri;
	unsigned int done = 0, i;
	int rc;

	if (n > 8)
		n = 8;
	call_begin(a, OP_READ_BATCH);
	rc = clfs_read_next_log_records(ctx, a->rbuf, len, br, n, 0, &done);
	if (!call_end(a, OP_READ_BATCH, rc, OK(ENOENT, ERANGE), dead))
		return;
	if (!done || done > n)
		failf("read_batch: %u records of %u", done, n);
	for (i = 0; i < done && i < n; i++) {
		unsigned char *p = (unsigned char *)(uintptr_t)br[i].data;

		if (p < a->rbuf || p + br[i].len > a->rbuf + len) {
			failf("read_batch: record %u outside the buffer", i);
			return;
		}
		ri.lsn = br[i].lsn;
		ri.undo_next = br[i].undo_next;
		ri.previous = br[i].previous;
		ri.type = br[i].type;
		ri.length = br[i].len;
		if (check_any(p, &ri, mask, "read_batch") < 0)
			return;
		if (i && br[i].lsn == br[i - 1].lsn)
			failf("read_batch: LSN %#" PRIx64 " twice", br[i].lsn);
	}
}

/* Read a few records along @ctx, each checked; in one batch or not. */
static void read_along(struct actor *a, int ctx, uint32_t mask, unsigned int n,
		       int op, bool dead)
{
	struct clfs_record_info ri;
	int rc;

	if (n > 1 && below(a, 2)) {
		read_batch(a, ctx, mask, n, dead);
		return;
	}
	while (n--) {
		call_begin(a, op);
		rc = clfs_read_next_log_record(ctx, a->rbuf, BLOCK, &ri);
		if (!call_end(a, op, rc, OK(ENOENT), dead))
			return;
		if (check_any(a->rbuf, &ri, mask, op_name[op]) < 0)
			return;
	}
}

/* Put @ctx in the shared read-context descriptor, closing the one there. */
static void share_ctx(int ctx)
{
	pthread_mutex_lock(&slot_lock);
	dup2(ctx, SLOT_CTX);
	slot_dead[SLOT_CTX - SLOT_CTL] = false;
	pthread_mutex_unlock(&slot_lock);
	close(ctx);
}

static void op_read(struct actor *a)
{
	static const uint32_t modes[] = { CLFS_READ_FORWARD, CLFS_READ_PREVIOUS,
		CLFS_READ_UNDO_NEXT };
	static const uint32_t masks[] = { CLFS_TYPE_DATA, CLFS_TYPE_ANY };
	uint32_t mode = modes[below(a, 3)], mask = masks[below(a, 2)];
	uint64_t lsn = recent_lsn(a, below(a, 256));
	uint32_t len = below(a, 20) ? BLOCK : 64;
	struct clfs_record_info ri;
	int ctx = -1, rc;

	if (lsn == CLFS_LSN_INVALID)
		return;
	call_begin(a, OP_READ);
	rc = clfs_read_log_record(SLOT_MA, lsn, mode, mask, a->rbuf, len, &ri, &ctx);
	if (!call_end(a, OP_READ, rc, OK(ENOENT, ERANGE), may_die())) {
		if (rc == -ERANGE && ri.length <= len)
			failf("actor %u: read_record ERANGE for %u bytes into %u",
			      a->no, ri.length, len);
		return;
	}
	if (ri.lsn != lsn)
		failf("actor %u: read_record %#" PRIx64 " returned %#" PRIx64,
		      a->no, lsn, ri.lsn);
	check_any(a->rbuf, &ri, mask, "read_record");
	read_along(a, ctx, mask, below(a, 8), OP_READ_NEXT, false);
	if (below(a, 3) == 0)
		share_ctx(ctx);
	else
		clfs_terminate_read_log(ctx);
}

/*
 * Another client beside the others: a read-only handle on the same log
 * (shared if it is open, else opened and recovered by this call, and then
 * shared by the next writer), every write through it refused with EBADF,
 * and a follower's reads of durable records through it.
 */
static void op_share(struct actor *a)
{
	struct clfs_record_info ri;
	struct clfs_lsn_arg la;
	uint64_t lsn = recent_lsn(a, below(a, 64));
	int h, ctx = -1, rc, n;

	call_begin(a, OP_SHARE_RO);
	h = clfs_open_log_file(SLOT_CTL, ro1_fd, NULL, &ro2_fd, 1);
	if (h == -EINVAL)	/* no container left on DEV2 */
		h = clfs_open_log_file(SLOT_CTL, ro1_fd, NULL, NULL, 0);
	if (!call_end(a, OP_SHARE_RO, h < 0 ? h : 0, OK(ENODEV), may_die()))
		return;
	if ((fcntl(h, F_GETFL) & O_ACCMODE) != O_RDONLY)
		failf("actor %u: a read-only open gave a writable handle",
		      a->no);
	call_begin(a, OP_RO_REFUSED);
	rc = clfs_create_marshalling_area(h, 0, 2);
	if (rc >= 0) {
		close(rc);
		failf("actor %u: a read-only handle created a marshalling area",
		      a->no);
	}
	call_end(a, OP_RO_REFUSED, rc, OK(EBADF), false);
	memset(&la, 0, sizeof(la));
	la.size = sizeof(la);
	la.lsn = lsn;
	call_begin(a, OP_RO_REFUSED);
	rc = ioctl(h, CLFS_IOC_SET_ARCHIVE_TAIL, &la) < 0 ? -errno : 0;
	if (!rc)
		failf("actor %u: a read-only handle set the archive tail",
		      a->no);
	call_end(a, OP_RO_REFUSED, rc, OK(EBADF), false);
	if (lsn != CLFS_LSN_INVALID) {
		call_begin(a, OP_READ);
		rc = clfs_read_log_record(h, lsn, CLFS_READ_FORWARD,
					  CLFS_TYPE_ANY, a->rbuf, BLOCK, &ri,
					  &ctx);
		if (call_end(a, OP_READ, rc, OK(ENOENT), false) &&
		    check_any(a->rbuf, &ri, CLFS_TYPE_ANY, "read_record") == 0) {
			for (n = below(a, 6); n--; ) {
				call_begin(a, OP_FOLLOW);
				rc = clfs_read_next_log_record_follow(ctx, a->rbuf,
								      BLOCK, &ri, 0);
				if (!call_end(a, OP_FOLLOW, rc, OK(EAGAIN, ENOENT),
					      false) ||
				    check_any(a->rbuf, &ri, CLFS_TYPE_ANY,
					      "follow") < 0)
					break;
			}
		}
		if (ctx >= 0)
			clfs_terminate_read_log(ctx);
	}
	close(h);
}

static void op_restart(struct actor *a, int op)
{
	struct clfs_record_info ri;
	int ctx = -1, rc;

	if (op == OP_WRITE_RESTART) {
		uint32_t len = 8 + below(a, 2000), i, h[2] = { RST_MAGIC, len };
		uint64_t base = recent_lsn(a, 16 + below(a, 64)), lsn;
		bool move = below(a, 2) && base != CLFS_LSN_INVALID;

		memcpy(a->buf, h, sizeof(h));
		for (i = 8; i < len; i++)
			a->buf[i] = (unsigned char)(len + i);
		call_begin(a, op);
		rc = clfs_write_log_restart_area(SLOT_MA, a->buf, len,
						 move ? &base : NULL, 0, NULL, &lsn);
		call_end(a, op, rc, OK(EINVAL, ENOSPC), may_die());
		return;
	}
	call_begin(a, OP_READ_RESTART);
	rc = clfs_read_log_restart_area(SLOT_MA, a->rbuf, BLOCK, &ri, &ctx);
	if (!call_end(a, OP_READ_RESTART, rc, OK(ENODATA, ENOENT), may_die()))
		return;
	check_restart(a->rbuf, &ri, "read_restart");
	while (below(a, 4)) {
		call_begin(a, OP_READ_PREV_RESTART);
		rc = clfs_read_previous_log_restart_area(ctx, a->rbuf, BLOCK, &ri);
		if (!call_end(a, OP_READ_PREV_RESTART, rc, OK(ENOENT), false))
			break;
		check_restart(a->rbuf, &ri, "read_prev_restart");
	}
	clfs_terminate_read_log(ctx);
}

static void op_tail(struct actor *a, int op)
{
	uint64_t lsn = recent_lsn(a, 256 + below(a, 512));
	uint64_t start, end;
	int rc;

	if (lsn == CLFS_LSN_INVALID)
		return;
	if (op == OP_ADVANCE_BASE) {
		call_begin(a, op);
		call_end(a, op, clfs_advance_log_base(SLOT_MA, lsn), OK(EINVAL),
			 may_die());
	} else if (op == OP_ARCHIVE_TAIL) {
		call_begin(a, op);
		call_end(a, op, clfs_set_log_archive_tail(SLOT_LOG, lsn), OK(EINVAL),
			 may_die());
	} else {
		lsn = recent_lsn(a, below(a, 24));
		__atomic_add_fetch(&sh->trunc_active, 1, __ATOMIC_ACQ_REL);
		__atomic_add_fetch(&sh->trunc_started, 1, __ATOMIC_ACQ_REL);
		start = tick();
		call_begin(a, op);
		rc = clfs_truncate_log(SLOT_MA, lsn);
		end = tick();
		__atomic_sub_fetch(&sh->trunc_active, 1, __ATOMIC_ACQ_REL);
		if (call_end(a, op, rc, OK(EINVAL, EBUSY), may_die())) {
			uint32_t n = __atomic_fetch_add(&sh->n_trunc, 1, __ATOMIC_ACQ_REL);

			if (n < MAX_TRUNC) {
				sh->trunc[n].target = lsn;
				sh->trunc[n].start = start;
				sh->trunc[n].end = end;
				__atomic_store_n(&sh->trunc[n].valid, 1, __ATOMIC_RELEASE);
			} else {
				failf("more than %u truncations", MAX_TRUNC);
			}
		}
	}
}

static void op_container(struct actor *a, int op)
{
	struct clfs_container_entry e[8];
	uint32_t got = 0, total = 0, id;
	int rc;

	switch (op) {
	case OP_ADD_CONT:
		call_begin(a, op);
		rc = clfs_add_log_container(SLOT_LOG, dev2_fd, CLFS_OFFSET_ANY, &id);
		call_end(a, op, rc, OK(ENOSPC), may_die());
		break;
	case OP_REMOVE_CONT:
	case OP_SCAN:
		call_begin(a, OP_SCAN);
		rc = clfs_scan_log_containers(SLOT_LOG, 0, e, 8, &got, &total);
		if (!call_end(a, OP_SCAN, rc, NULL, may_die()) || got == 0)
			break;
		if (got > 8 || got > total)
			failf("actor %u: scan returned %u of %u", a->no, got, total);
		if (op == OP_SCAN)
			break;
		call_begin(a, op);
		rc = clfs_remove_log_container(SLOT_LOG, e[below(a, got)].physical_id);
		call_end(a, op, rc, OK(ENOENT, EBUSY), may_die());
		break;
	}
}

static void op_info(struct actor *a, int op)
{
	struct clfs_log_info li;
	struct clfs_io_stats st;
	struct clfs_version v;
	int rc;

	call_begin(a, op);
	if (op == OP_QUERY)
		rc = clfs_query_log_file_information(SLOT_LOG, &li);
	else if (op == OP_STATS)
		rc = clfs_get_io_statistics(SLOT_LOG, &st);
	else
		rc = clfs_get_version(below(a, 2) ? SLOT_MA : SLOT_CTL, &v);
	if (call_end(a, op, rc, NULL, may_die()) && op == OP_QUERY &&
	    (li.flags & CLFS_INFO_SHUTDOWN))
		failf("actor %u: the log has shut down", a->no);
}

/* --- phase 2: descriptors closed under calls, and reopened --- */

static void kill_slot(struct actor *a, int slot)
{
	call_begin(a, OP_KILL);
	pthread_mutex_lock(&slot_lock);
	dup2(null_fd, slot);
	slot_dead[slot - SLOT_CTL] = true;
	pthread_mutex_unlock(&slot_lock);
	call_end(a, OP_KILL, 0, NULL, false);
}

static void install(int fd, int slot)
{
	dup2(fd, slot);
	close(fd);
	slot_dead[slot - SLOT_CTL] = false;
}

/*
 * revive() - reopen what is closed: /dev/clfs; the log from its devices
 * once its last descriptor has gone (EBUSY until then); a marshalling
 * area on the log.
 */
static void revive(struct actor *a)
{
	int rc;

	pthread_mutex_lock(&slot_lock);
	if (slot_dead[0]) {
		call_begin(a, OP_OPEN_CTL);
		rc = clfs_open_control();
		if (call_end(a, OP_OPEN_CTL, rc < 0 ? rc : 0, NULL, false))
			install(rc, SLOT_CTL);
	}
	if (slot_dead[1] && !slot_dead[0]) {
		call_begin(a, OP_OPEN_LOG);
		rc = clfs_open_log_file(SLOT_CTL, dev1_fd, NULL, &dev2_fd, 1);
		if (rc == -EINVAL)	/* no container left on DEV2 */
			rc = clfs_open_log_file(SLOT_CTL, dev1_fd, NULL, NULL, 0);
		if (call_end(a, OP_OPEN_LOG, rc < 0 ? rc : 0, OK(EBUSY), false))
			install(rc, SLOT_LOG);
	}
	if (slot_dead[2] && !slot_dead[1]) {
		call_begin(a, OP_CREATE_MA);
		rc = clfs_create_marshalling_area(SLOT_LOG, 0, 1 + below(a, 8));
		if (call_end(a, OP_CREATE_MA, rc < 0 ? rc : 0, OK(EBUSY), false)) {
			uint64_t gen;

			/* The new area first, then its number (area_gone()). */
			install(rc, SLOT_MA);
			gen = __atomic_add_fetch(&sh->ma_gen, 1, __ATOMIC_ACQ_REL);
			__atomic_store_n(&sh->rsv, gen << 32, __ATOMIC_RELEASE);
		}
	}
	pthread_mutex_unlock(&slot_lock);
}

/* --- actors --- */

static void one_op(struct actor *a)
{
	unsigned int r = below(a, 1000);
	bool p2 = may_die();

	if (r < 240)
		op_append(a, false);
	else if (r < 260)
		op_append_ring(a);
	else if (r < 300)
		op_append_batch(a);
	else if (r < 330)
		op_append(a, true);
	else if (r < 360)
		op_reserve(a, OP_ALLOC_RSV);
	else if (r < 375)
		op_reserve(a, OP_FREE_RSV);
	else if (r < 435)
		op_flush(a, false);
	else if (r < 475)
		op_flush(a, true);
	else if (r < 600)
		op_read(a);
	else if (r < 660)
		read_along(a, SLOT_CTX, CLFS_TYPE_ANY, 1 + below(a, 4), OP_CTX_NEXT, true);
	else if (r < 690)
		op_restart(a, OP_WRITE_RESTART);
	else if (r < 715)
		op_restart(a, OP_READ_RESTART);
	else if (r < 760)
		op_tail(a, OP_ADVANCE_BASE);
	else if (r < 790)
		op_tail(a, OP_ARCHIVE_TAIL);
	else if (r < 800)
		op_tail(a, OP_TRUNCATE);
	else if (r < 820)
		op_container(a, OP_ADD_CONT);
	else if (r < 835)
		op_container(a, OP_REMOVE_CONT);
	else if (r < 850)
		op_container(a, OP_SCAN);
	else if (r < 900)
		op_info(a, OP_QUERY);
	else if (r < 920)
		op_info(a, OP_STATS);
	else if (r < 930)
		op_info(a, OP_VERSION);
	else if (r < 940)
		op_share(a);
	else if (r < 943)
		own_area_close(a);
	else if (r < 955)
		kill_slot(a, SLOT_CTX);
	else if (p2 && r < 961)
		kill_slot(a, SLOT_MA);
	else if (p2 && r < 964)
		kill_slot(a, SLOT_LOG);
	else if (p2 && r < 967)
		kill_slot(a, SLOT_CTL);
	else if (p2)
		revive(a);
	else
		op_append(a, false);
}

static void *actor_main(void *arg)
{
	struct actor *a = arg;
	unsigned int i;

	sh->actors[a->no].tid = gettid();
	sh->actors[a->no].op = -1;
	a->own_ma = -1;
	for (i = 0; i < n_ops; i++)
		one_op(a);
	own_area_close(a);
	return NULL;
}

/* run_actors() - @n threads from actor number @first; waits for them. */
static void run_actors(unsigned int first, unsigned int n)
{
	pthread_t t[MAX_ACTORS];
	struct actor *a = calloc(n, sizeof(*a));
	unsigned int i;

	if (!a)
		abort();
	for (i = 0; i < n; i++) {
		a[i].no = first + i;
		a[i].rng = seed * 1000003ULL + first + i;
		a[i].last_lsn = CLFS_LSN_INVALID;
		a[i].buf = malloc(BLOCK);
		a[i].rbuf = malloc(BLOCK);
		if (!a[i].buf || !a[i].rbuf ||
		    pthread_create(&t[i], NULL, actor_main, &a[i]))
			abort();
	}
	for (i = 0; i < n; i++) {
		pthread_join(t[i], NULL);
		free(a[i].buf);
		free(a[i].rbuf);
	}
	free(a);
}

/* rsv_drain() - free every reservation the model still counts. */
static void rsv_drain(void)
{
	struct actor a = { .no = 0, .rng = seed };

	while (__atomic_load_n(&sh->rsv, __ATOMIC_ACQUIRE) & 0xffffffffU)
		op_reserve(&a, OP_FREE_RSV);
}

/* The watchdog: no call may last WATCHDOG_SECS. */
static void *watchdog(void *arg)
{
	unsigned int i;
	char path[64], line[256];
	FILE *f;

	(void)arg;
	for (;;) {
		sleep(5);
		for (i = 0; i < MAX_ACTORS; i++) {
			struct actor_state *s = &sh->actors[i];
			int op = __atomic_load_n(&s->op, __ATOMIC_ACQUIRE);
			uint64_t since = __atomic_load_n(&s->since_ns,
							 __ATOMIC_RELAXED);
			uint64_t t = now_ns();

			/*
			 * The actor may have started another call since op
			 * was read: a since after t, or a changed op, is that
			 * call's (an unsigned t - since used to wrap there and
			 * report a hang that was none).
			 */
			if (op < 0 || since > t ||
			    t - since < WATCHDOG_SECS * 1000000000ULL ||
			    __atomic_load_n(&s->op, __ATOMIC_ACQUIRE) != op ||
			    __atomic_load_n(&s->since_ns, __ATOMIC_RELAXED) != since)
				continue;
			printf("FAIL actor %u (tid %d): %s has not returned for %d s; its kernel stack:\n",
			       i, s->tid, op_name[op], WATCHDOG_SECS);
			snprintf(path, sizeof(path), "/proc/%d/stack", s->tid);
			f = fopen(path, "r");
			while (f && fgets(line, sizeof(line), f))
				printf("    %s", line);
			if (f)
				fclose(f);
			fflush(stdout);
			_exit(100);
		}
	}
	return NULL;
}

/* --- the whole-log check --- */

static bool may_be_truncated(const struct rec *r, bool *must)
{
	uint32_t i, n = __atomic_load_n(&sh->n_trunc, __ATOMIC_ACQUIRE);
	bool may = false;

	*must = false;
	for (i = 0; i < n && i < MAX_TRUNC; i++) {
		const struct trunc_ev *t = &sh->trunc[i];

		if (!__atomic_load_n(&t->valid, __ATOMIC_ACQUIRE) || t->target >= r->lsn)
			continue;
		/*
		 * The record went in at some time during its append call:
		 * a truncation that began after the call returned took it;
		 * one that ended after the call began may have.
		 */
		if (r->tick < t->start)
			*must = true;
		if (r->start < t->end)
			may = true;
	}
	return may;
}

/* verify() - read the whole log forward and compare it with the model. */
static void verify(int ma, int log, const char *label)
{
	uint32_t n_ids = __atomic_load_n(&sh->next_id, __ATOMIC_ACQUIRE), id;
	uint64_t *found = calloc(MAX_RECS, sizeof(*found));
	unsigned char *buf = malloc(BLOCK);
	unsigned long n_data = 0, n_rst = 0, n_gone = 0, n_below = 0, n_ok = 0;
	struct clfs_record_info ri;
	struct clfs_log_info li;
	uint64_t last = 0;
	int ctx = -1, rc;

	if (!found || !buf)
		abort();
	if (n_ids > MAX_RECS)
		n_ids = MAX_RECS;
	rc = clfs_query_log_file_information(log, &li);
	if (rc) {
		failf("%s: query: %s", label, clfs_errno_name(rc));
		goto out;
	}
	if (li.flags & CLFS_INFO_SHUTDOWN)
		failf("%s: the log has shut down", label);
	if (li.first_lsn != CLFS_LSN_INVALID) {
		rc = clfs_read_log_record(ma, li.first_lsn, CLFS_READ_FORWARD,
					  CLFS_TYPE_ANY, buf, BLOCK, &ri, &ctx);
		while (rc == 0) {
			if (ri.lsn <= last && last)
				failf("%s: LSN %#" PRIx64 " after %#" PRIx64, label, ri.lsn, last);
			last = ri.lsn;
			if (ri.type == CLFS_RECORD_RESTART) {
				n_rst++;
				check_restart(buf, &ri, label);
			} else {
				int i = check_data(buf, &ri, true, label);

				n_data++;
				if (i >= 0)
					found[i] = ri.lsn + 1;
			}
			rc = clfs_read_next_log_record(ctx, buf, BLOCK, &ri);
		}
		if (rc != -ENOENT)
			failf("%s: forward read stopped at %#" PRIx64 " with %s", label,
			      last, clfs_errno_name(rc));
		clfs_terminate_read_log(ctx);
	}
	for (id = 0; id < n_ids; id++) {
		struct rec *r = &sh->recs[id];
		bool must, may;

		if (r->state != R_ACKED)
			continue;
		if (li.first_lsn == CLFS_LSN_INVALID || r->lsn < li.first_lsn) {
			n_below++;
			continue;
		}
		may = may_be_truncated(r, &must);
		if (found[id] && must)
			failf("%s: record %u at %#" PRIx64 " survived a truncation that began after its append",
			      label, id, r->lsn);
		else if (found[id])
			n_ok++;
		else if (may)
			n_gone++;
		else
			failf("%s: acknowledged record %u at %#" PRIx64 " (%u bytes) is missing",
			      label, id, r->lsn, r->len);
	}
	printf("%s: %lu data records and %lu restart areas read from %#" PRIx64
	       "; acknowledged: %lu found, %lu taken by truncations, %lu below the first LSN\n",
	       label, n_data, n_rst, (uint64_t)li.first_lsn, n_ok, n_gone, n_below);
	printf("%s: %u containers (%u writable), %" PRIu64 " of %" PRIu64
	       " bytes free, %" PRIu64 " reserved; base %#" PRIx64 ", archive tail %#" PRIx64
	       ", last %#" PRIx64 "\n", label, li.n_containers, li.n_writable,
	       (uint64_t)li.free_bytes, (uint64_t)li.total_bytes,
	       (uint64_t)li.reserved_bytes, (uint64_t)li.base_lsn,
	       (uint64_t)li.archive_tail, (uint64_t)li.last_lsn);
out:
	free(found);
	free(buf);
}

static void print_counts(const char *label, double secs)
{
	uint64_t total = 0;
	unsigned int op, e;

	for (op = 0; op < N_OPS; op++)
		for (e = 0; e < N_ERRNO; e++)
			total += sh->counts[op][e];
	printf("%s: %" PRIu64 " calls in %.1f s\n", label, total, secs);
	printf("    %-18s %8s %8s  %-8s %s\n", "call", "calls", "ok",
	       "longest", "errors");
	for (op = 0; op < N_OPS; op++) {
		uint64_t n = 0;
		char errs[256] = "";
		size_t len = 0;

		for (e = 0; e < N_ERRNO; e++) {
			n += sh->counts[op][e];
			if (e && sh->counts[op][e] && len < sizeof(errs) - 32)
				len += snprintf(errs + len, sizeof(errs) - len, "%s %s:%" PRIu64,
						len ? "," : "", clfs_errno_name(-(int)e),
						sh->counts[op][e]);
		}
		if (n)
			printf("    %-18s %8" PRIu64 " %8" PRIu64 "  %6.1fms%s\n",
			       op_name[op], n, sh->counts[op][0],
			       sh->max_call_ns[op] / 1e6, errs);
	}
	memset(sh->counts, 0, sizeof(sh->counts));
	memset(sh->max_call_ns, 0, sizeof(sh->max_call_ns));
}

static int usage(void)
{
	fprintf(stderr, "usage: clfs_stress [-s SEED] [-p PROCS] [-t THREADS] [-T THREADS2] [-n OPS] DEV1 DEV2\n");
	return 100;
}

int main(int argc, char **argv)
{
	pthread_t wd;
	pid_t pids[MAX_ACTORS];
	unsigned int p;
	uint64_t t0;
	int c, fd, st, failures;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt(argc, argv, "s:p:t:T:n:")) != -1) {
		switch (c) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'p': n_procs = strtoul(optarg, NULL, 0); break;
		case 't': n_threads = strtoul(optarg, NULL, 0); break;
		case 'T': n_threads2 = strtoul(optarg, NULL, 0); break;
		case 'n': n_ops = strtoul(optarg, NULL, 0); break;
		default: return usage();
		}
	}
	if (argc - optind != 2 || !n_procs || !n_threads || !n_threads2 ||
	    n_procs * n_threads > MAX_ACTORS || n_threads2 > MAX_ACTORS)
		return usage();
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 100;
	for (p = 0; p < MAX_ACTORS; p++)
		sh->actors[p].op = -1;
	dev1_fd = open(argv[optind], O_RDWR);
	dev2_fd = open(argv[optind + 1], O_RDWR);
	ro1_fd = open(argv[optind], O_RDONLY);
	ro2_fd = open(argv[optind + 1], O_RDONLY);
	null_fd = open("/dev/null", O_RDWR);
	if (dev1_fd < 0 || dev2_fd < 0 || ro1_fd < 0 || ro2_fd < 0 ||
	    null_fd < 0) {
		perror("open");
		return 100;
	}
	printf("clfs_stress: seed %" PRIu64 ", phase 1: %u processes x %u threads, phase 2: %u threads; %u calls each\n",
	       seed, n_procs, n_threads, n_threads2, n_ops);
	if (pthread_create(&wd, NULL, watchdog, NULL))
		return 100;

	fd = clfs_open_control();
	if (fd < 0 || dup2(fd, SLOT_CTL) < 0)
		return 100;
	close(fd);
	fd = clfs_create_log_file(SLOT_CTL, dev1_fd, NULL, BLOCK, MiB, 8);
	if (fd < 0 || dup2(fd, SLOT_LOG) < 0) {
		printf("FAIL create log: %s\n", clfs_errno_name(fd));
		return 100;
	}
	close(fd);
	fd = clfs_create_marshalling_area(SLOT_LOG, 0, 4);
	if (fd < 0 || dup2(fd, SLOT_MA) < 0) {
		printf("FAIL create marshalling area: %s\n", clfs_errno_name(fd));
		return 100;
	}
	close(fd);
	dup2(null_fd, SLOT_CTX);
	slot_dead[SLOT_CTX - SLOT_CTL] = true;

	/* Phase 1: processes sharing the descriptors. */
	sh->phase = 1;
	t0 = now_ns();
	for (p = 0; p < n_procs; p++) {
		pids[p] = fork();
		if (pids[p] < 0)
			return 100;
		if (pids[p] == 0) {
			run_actors(p * n_threads, n_threads);
			_exit(0);
		}
	}
	for (p = 0; p < n_procs; p++) {
		if (waitpid(pids[p], &st, 0) != pids[p] || !WIFEXITED(st) ||
		    WEXITSTATUS(st))
			failf("process %u ended with status %#x", p, st);
	}
	rsv_drain();
	print_counts("phase 1 (shared descriptors)", (now_ns() - t0) / 1e9);
	verify(SLOT_MA, SLOT_LOG, "after phase 1");

	/* Phase 2: threads closing descriptors under each other's calls. */
	sh->phase = 2;
	t0 = now_ns();
	run_actors(0, n_threads2);
	sh->phase = 3;
	/*
	 * Whatever is still closed is reopened (each may take a few tries).
	 * Without the log's descriptor, its area's and read context's go
	 * too: they hold the log open, and it must close to be reopened.
	 */
	if (slot_dead[1]) {
		dup2(null_fd, SLOT_MA);
		dup2(null_fd, SLOT_CTX);
		slot_dead[2] = slot_dead[3] = true;
	}
	for (p = 0; p < 50 && (slot_dead[0] || slot_dead[1] || slot_dead[2]); p++) {
		struct actor a = { .no = 0, .rng = seed };

		revive(&a);
		if (slot_dead[1] || slot_dead[2])
			usleep(100000);
	}
	print_counts("phase 2 (closing descriptors)", (now_ns() - t0) / 1e9);
	if (slot_dead[0] || slot_dead[1] || slot_dead[2])
		failf("phase 2: the log could not be reopened");
	else
		verify(SLOT_MA, SLOT_LOG, "after phase 2");

	/* Close everything, reopen the log (recovery), check once more. */
	dup2(null_fd, SLOT_CTX);
	dup2(null_fd, SLOT_MA);
	dup2(null_fd, SLOT_LOG);
	slot_dead[1] = slot_dead[2] = true;
	for (p = 0; p < 50 && (slot_dead[1] || slot_dead[2]); p++) {
		struct actor a = { .no = 0, .rng = seed };

		revive(&a);
		if (slot_dead[1] || slot_dead[2])
			usleep(100000);
	}
	if (slot_dead[1] || slot_dead[2])
		failf("the log could not be reopened after its close");
	else
		verify(SLOT_MA, SLOT_LOG, "after close and reopen");
	print_counts("reopen", 0);
	dup2(null_fd, SLOT_MA);
	dup2(null_fd, SLOT_LOG);
	failures = (int)sh->failures;
	printf("clfs_stress: %u records appended in all, %u truncations, %d failures\n",
	       sh->next_id, sh->n_trunc, failures);
	return failures > 100 ? 100 : failures;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * clfs_faults: injected faults under a log, each ending in the documented
 * errno with nothing acknowledged lost.  Runs inside the QEMU guests
 * (tests/integration/08-faults.sh).
 *
 *   clfs_faults [-s SEED] [-c CYCLES] flakey|make-request|slab DEV
 *
 * The log lives on a device-mapper device over DEV (a linear table while
 * no fault is wanted).  A model keeps every record whose append returned,
 * in log order, and which of them were acknowledged (a FORCE_FLUSH append,
 * or a flush that returned after them).  After every fault the log is
 * closed, the fault removed, and the log opened again (recovery): a
 * forward read must find an exact prefix of the model's records, byte for
 * byte, that holds every acknowledged one; the model then continues from
 * what was found.
 *
 * flakey (dm-flakey; both stock kernels and the debug kernel), per cycle:
 *   error_writes  writes fail under a running workload: the first call
 *                 that needs one fails with EIO (every other cycle a
 *                 FORCE_FLUSH record with a reservation, which must
 *                 still return its LSN and the rounded size), every
 *                 later write call too (the log has shut down:
 *                 CLFS_INFO_SHUTDOWN), reads
 *                 of acknowledged records still work; reopen recovers
 *   drop_writes   writes are lost while they report success, then the
 *                 log is closed (its last metadata lost too): a power cut
 *                 while the software went on; everything acknowledged
 *                 before the drop must be there
 *   error_reads   reads fail (with a kernel whose dm-flakey lacks
 *                 error_reads, all I/O): opening fails with EIO, reads
 *                 of an open log fail with EIO or return the exact
 *                 record, and once the fault is gone every read works
 *                 again without a reopen
 * make-request (fail_make_request, debug kernel): the n-th bio the
 *   device-mapper device gets from cycle n on fails (times=1), under a
 *   workload or an open; whatever fails, fails with EIO.
 * slab (failslab through fail-nth, debug kernel): for every kind of call,
 *   its 1st slab allocation fails, then its 2nd, ... until one passes
 *   with none left to fail; each returns 0 (an allocation with a way
 *   around its failure) or ENOMEM (or its usual errnos), and the log goes
 *   on; it is reopened and checked every 8 faults and after each kind.
 *
 * Printed: faults injected, and per outcome, the calls that ended so.
 * The exit status is the number of failures (at most 100).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "clfs_dm.h"
#include "clfs_fail.h"
#include "libclfs.h"

#define BLOCK		16384U
#define CONT		(512ULL * 1024)
#define N_CONT		6U
#define MAX_REC		9000U
#define MAX_RECS	20000U
#define N_ERRNO		160

static uint64_t rng = 20261203;
static struct clfs_dm dm;
static unsigned long outcome[N_ERRNO];	/* calls under a fault, by errno */
static unsigned long injected;

static uint32_t below(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

/* --- the model --- */

struct mrec {
	uint64_t lsn;
	uint32_t id;		/* selects its bytes */
	uint32_t len;
	bool acked;
};

static struct mrec recs[MAX_RECS];
static unsigned int n_recs;
static uint32_t next_id;
static unsigned char buf[BLOCK];

static unsigned char pattern(uint32_t id, uint32_t j)
{
	return (unsigned char)(id * 97U + j * 29U + (j >> 8));
}

/* The open log: descriptors, or -1. */
struct logh {
	int ctl, dev, log, ma;
};

static void log_close(struct logh *h)
{
	clfs_close(h->ma);
	clfs_close(h->log);
	h->ma = h->log = -1;
}

/* Whether @err is allowed now: 0 always, and each in @ok (0-ended). */
static bool allowed(int err, const int *ok)
{
	for (; *ok; ok++)
		if (-err == *ok)
			return true;
	return err == 0;
}

#define OK(...) ((const int[]){ __VA_ARGS__, 0 })

/* count() - one call's result under a fault; anything not in @ok fails. */
static int count(const char *call, int err, const int *ok)
{
	outcome[-err >= 0 && -err < N_ERRNO ? -err : N_ERRNO - 1]++;
	if (!allowed(err, ok))
		failf("%s returned %s (%d)", call, clfs_errno_name(err), err);
	return err;
}

/*
 * work() - up to @acks acknowledgements: a FORCE_FLUSH append, or 1-4
 * appends followed by a flush.  Results outside @ok fail.
 * Return: 0, or the first error.
 */
static int work(struct logh *h, unsigned int acks, const int *ok)
{
	unsigned int a, k, first;
	uint64_t flushed;
	int err;

	for (a = 0; a < acks; a++) {
		bool force = below(2);
		unsigned int batch = force ? 1 : 1 + below(4);

		first = n_recs;
		for (k = 0; k < batch && n_recs < MAX_RECS; k++) {
			struct mrec *r = &recs[n_recs];
			struct iovec iov;
			uint32_t j;

			r->id = next_id++;
			r->len = 1 + below(below(4) ? 600 : MAX_REC);
			r->acked = false;
			for (j = 0; j < r->len; j++)
				buf[j] = pattern(r->id, j);
			iov = (struct iovec){ buf, r->len };
			err = count("append", clfs_reserve_and_append_log(h->ma, &iov, 1,
					CLFS_LSN_INVALID, CLFS_LSN_INVALID, 0, NULL,
					force ? CLFS_FLAG_FORCE_FLUSH : 0, &r->lsn), ok);
			if (err)
				return err;
			n_recs++;
		}
		if (!force) {
			err = count("flush_buffers", clfs_flush_buffers(h->ma, &flushed), ok);
			if (err)
				return err;
		}
		for (k = first; k < n_recs; k++)
			recs[k].acked = true;
	}
	return 0;
}

/* Open without reading: under a fault that may fail any read. */
static int open_only(struct logh *h)
{
	int err;

	h->log = clfs_open_log_file(h->ctl, h->dev, NULL, NULL, 0);
	if (h->log < 0) {
		err = h->log;
		h->log = -1;
		return err;
	}
	h->ma = clfs_create_marshalling_area(h->log, 0, 1 + below(4));
	if (h->ma < 0) {
		err = h->ma;
		h->ma = -1;
		return err;
	}
	return 0;
}

/*
 * reopen() - open the log (recovery) and read it forward: an exact prefix
 * of the model's records holding every acknowledged one.  The model keeps
 * what was found.  @h is left open, with a marshalling area.
 * Return: 0, or the open's error (the log stays closed).
 */
static int reopen(struct logh *h, const char *why)
{
	struct clfs_record_info ri;
	struct clfs_log_info li;
	unsigned int k = 0, need = 0, i;
	int ctx = -1, err;

	for (i = 0; i < n_recs; i++)
		if (recs[i].acked)
			need = i + 1;
	err = open_only(h);
	if (err && h->log < 0)
		return err;
	if (!err)
		err = clfs_query_log_file_information(h->log, &li);
	if (err) {
		failf("%s: marshalling area or query: %s", why, clfs_errno_name(err));
		return 0;
	}
	if (li.flags & CLFS_INFO_SHUTDOWN)
		failf("%s: the reopened log is shut down", why);
	err = li.first_lsn == CLFS_LSN_INVALID ? -ENOENT :
	      clfs_read_log_record(h->ma, li.first_lsn, CLFS_READ_FORWARD,
				   CLFS_TYPE_ANY, buf, BLOCK, &ri, &ctx);
	while (err == 0) {
		struct mrec *r = &recs[k];
		uint32_t j;

		if (k >= n_recs || ri.lsn != r->lsn || ri.length != r->len) {
			failf("%s: record %u at %#" PRIx64 " (%u bytes) is not the model's %#" PRIx64
			      " (%u bytes)", why, k, ri.lsn, ri.length,
			      k < n_recs ? r->lsn : 0, k < n_recs ? r->len : 0);
			break;
		}
		for (j = 0; j < ri.length && buf[j] == pattern(r->id, j); j++)
			;
		if (j < ri.length) {
			failf("%s: record %u at %#" PRIx64 ": byte %u differs", why, k,
			      ri.lsn, j);
			break;
		}
		k++;
		err = clfs_read_next_log_record(ctx, buf, BLOCK, &ri);
	}
	if (err && err != -ENOENT)
		failf("%s: forward read: %s", why, clfs_errno_name(err));
	clfs_close(ctx);
	if (k < need)
		failf("%s: %u records read, but %u were acknowledged", why, k, need);
	/* Whatever was not found was not acknowledged: the log goes on without it. */
	n_recs = k;
	for (i = 0; i < n_recs; i++)
		recs[i].acked = true;
	return 0;
}

static void must_reopen(struct logh *h, const char *why)
{
	int err;

	log_close(h);
	err = reopen(h, why);
	if (err)
		failf("%s: open: %s", why, clfs_errno_name(err));
}

static int load(const char *target, const char *params)
{
	int err = clfs_dm_load(&dm, target, params);

	if (err)
		failf("load a %s table", target);
	return err;
}

/*
 * The table that fails reads: dm-flakey's error_reads where the kernel has
 * it (6.12), else a down interval with no feature, which fails all I/O.
 */
static const char *error_reads = "%s 0 0 1 1 error_reads";

#define LINEAR() load("linear", "%s 0")

/* A read of the @i-th model record by a new context; @ok as for count(). */
static int read_one(struct logh *h, unsigned int i, const int *ok)
{
	struct clfs_record_info ri;
	int err;
	uint32_t j;

	err = count("read_record", clfs_read_log_record(h->ma, recs[i].lsn,
			CLFS_READ_FORWARD, CLFS_TYPE_ANY, buf, BLOCK, &ri, NULL), ok);
	if (err)
		return err;
	for (j = 0; j < ri.length && buf[j] == pattern(recs[i].id, j); j++)
		;
	if (ri.length != recs[i].len || j < ri.length)
		failf("read of record %u at %#" PRIx64 " returned other bytes", i,
		      recs[i].lsn);
	return 0;
}

/* --- dm-flakey --- */

/*
 * The first write under error_writes, by a FORCE_FLUSH record with a
 * reservation: the record is appended, then its flush fails with EIO.
 * The call must still say that it was appended, and that the
 * reservation was made: the record's LSN (the log's last), and the size
 * rounded as a reservation without a record rounds it.
 */
static void forced_eio(struct logh *h, unsigned int c)
{
	struct clfs_log_info li;
	int64_t rounded = 100, rsv = -100;
	struct iovec iov = { buf, 100 };
	uint64_t lsn;
	int err;

	if (clfs_reserve_and_append_log(h->ma, NULL, 0, CLFS_LSN_INVALID,
					CLFS_LSN_INVALID, 1, &rounded, 0, NULL) ||
	    clfs_reserve_and_append_log(h->ma, NULL, 0, CLFS_LSN_INVALID,
					CLFS_LSN_INVALID, 1, &rsv, 0, NULL) ||
	    rounded <= 100 || rsv != -rounded) {
		failf("cycle %u: a reservation of 100 bytes: %lld, released %lld",
		      c, (long long)rounded, (long long)rsv);
		return;
	}
	rsv = 100;
	memset(buf, 0xe1, 100);
	err = clfs_reserve_and_append_log(h->ma, &iov, 1, CLFS_LSN_INVALID,
					  CLFS_LSN_INVALID, 1, &rsv,
					  CLFS_FLAG_FORCE_FLUSH, &lsn);
	count("append", err, OK(EIO));
	if (clfs_query_log_file_information(h->log, &li))
		failf("cycle %u: query after a failed forced append", c);
	else if (err != -EIO || lsn != li.last_lsn || lsn == CLFS_LSN_INVALID ||
		 rsv != rounded)
		failf("cycle %u: forced append under write errors: %s, LSN %#" PRIx64
		      " (last %#" PRIx64 "), reservation %lld (rounded %lld)", c,
		      clfs_errno_name(err), lsn, (uint64_t)li.last_lsn,
		      (long long)rsv, (long long)rounded);
}

static void flakey_cycle(struct logh *h, unsigned int c)
{
	struct clfs_log_info li;
	unsigned int i, n_ok = 0, n_eio = 0;
	int err;

	/* error_writes: the log shuts down, reads go on, reopen recovers. */
	work(h, 5 + below(20), OK(0));
	if (load("flakey", "%s 0 0 1 1 error_writes"))
		return;
	injected++;
	/* Every other cycle: work()'s own calls meet the first error. */
	if (!(c & 1))
		forced_eio(h, c);
	err = work(h, 20, OK(EIO));
	if (err != -EIO)
		failf("cycle %u: writes failing, yet the workload got %s", c,
		      clfs_errno_name(err));
	err = clfs_query_log_file_information(h->log, &li);
	if (err || !(li.flags & CLFS_INFO_SHUTDOWN))
		failf("cycle %u: after a write error the log is not shut down (%s)", c,
		      clfs_errno_name(err));
	count("flush_buffers", clfs_flush_buffers(h->ma, NULL), OK(EIO));
	if (clfs_flush_buffers(h->ma, NULL) != -EIO)
		failf("cycle %u: a flush after the shutdown did not fail with EIO", c);
	for (i = 0; i < n_recs; i += 1 + below(8))
		if (recs[i].acked)
			read_one(h, i, OK(0));
	log_close(h);
	if (LINEAR())
		return;
	must_reopen(h, "after error_writes");

	/* drop_writes, then the close: a power cut at the drop. */
	work(h, 5 + below(20), OK(0));
	if (load("flakey", "%s 0 0 1 1 drop_writes"))
		return;
	injected++;
	i = n_recs;
	work(h, 1 + below(10), OK(0));
	/* What was acknowledged during the drop is at the disk's mercy. */
	for (; i < n_recs; i++)
		recs[i].acked = false;
	log_close(h);
	if (LINEAR())
		return;
	must_reopen(h, "after drop_writes");

	/* error_reads: a closed log cannot open, an open one reads again. */
	log_close(h);
	if (load("flakey", error_reads))
		return;
	injected++;
	err = count("open", reopen(h, "open under read errors"), OK(EIO));
	if (err != -EIO)
		failf("cycle %u: open under read errors returned %s", c,
		      clfs_errno_name(err));
	log_close(h);
	if (LINEAR())
		return;
	must_reopen(h, "after error_reads");
	if (load("flakey", error_reads))
		return;
	injected++;
	for (i = 0; i < n_recs; i += 1 + below(4)) {
		err = read_one(h, i, OK(EIO));
		n_ok += err == 0;
		n_eio += err == -EIO;
	}
	if (n_recs && !n_eio)
		failf("cycle %u: %u reads under read errors, none failed", c, n_ok);
	if (LINEAR())
		return;
	for (i = 0; i < n_recs; i += 1 + below(4))
		read_one(h, i, OK(0));
}

/* --- fail_make_request and failslab: debugfs knobs --- */

static int put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), ok;

	ok = fd >= 0 && write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	if (fd >= 0)
		close(fd);
	if (!ok)
		failf("write %s to %s: %s", val, path, strerror(errno));
	return ok ? 0 : -1;
}

static long get(const char *path)
{
	char s[32] = "";
	int fd = open(path, O_RDONLY);

	if (fd < 0 || read(fd, s, sizeof(s) - 1) <= 0)
		failf("read %s", path);
	if (fd >= 0)
		close(fd);
	return strtol(s, NULL, 0);
}

/* Arm a fault-injection attribute: the @n-th call from now fails, once. */
static void arm(const char *dir, unsigned int n)
{
	char p[128], v[16];

	snprintf(p, sizeof(p), "%s/interval", dir);
	snprintf(v, sizeof(v), "%u", n);
	put(p, v);
	snprintf(p, sizeof(p), "%s/times", dir);
	put(p, "1");
}

static bool fired(const char *dir)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/times", dir);
	return get(p) == 0;
}

static void disarm(const char *dir)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/times", dir);
	put(p, "0");
}

static void setup_attr(const char *dir)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/probability", dir);
	put(p, "100");
	snprintf(p, sizeof(p), "%s/verbose", dir);
	put(p, "0");
	snprintf(p, sizeof(p), "%s/space", dir);
	put(p, "0");
	disarm(dir);
}

#define FMR "/sys/kernel/debug/fail_make_request"

static void make_request_cycle(struct logh *h, unsigned int c)
{
	char p[128];
	int err;

	/* The device-mapper device's own number, not the one under it. */
	{
		char num[32];

		if (clfs_dm_devnum(dm.node, num, sizeof(num), NULL))
			return;
		snprintf(p, sizeof(p), "/sys/dev/block/%s/make-it-fail", num);
	}
	work(h, 2 + below(10), OK(0));
	arm(FMR, 1 + c);
	put(p, "1");
	if (c % 3 == 2) {
		/* Under the open: recovery reads and the metadata write. */
		log_close(h);
		err = count("open", open_only(h), OK(EIO));
		if (!err)
			work(h, 10, OK(EIO));
	} else {
		work(h, 10, OK(EIO));
	}
	put(p, "0");
	if (fired(FMR))
		injected++;
	disarm(FMR);
	must_reopen(h, "after fail_make_request");
}

#define FSL "/sys/kernel/debug/failslab"

/*
 * fail-nth (Documentation/fault-injection): the n-th fault-injection
 * point this thread passes from now fails; reading 0 back says it did.
 * With failslab set to fail sleeping allocations and no other
 * fault attribute enabled, the points are this thread's slab allocations.
 */
static int nth_fd = -1;	/* open all along: opening it would allocate */

static void nth_arm(unsigned int n)
{
	char v[16];

	snprintf(v, sizeof(v), "%u", n);
	if (pwrite(nth_fd, v, strlen(v), 0) != (ssize_t)strlen(v))
		failf("arm fail-nth: %s", strerror(errno));
}

/* Whether the armed fault fired; disarmed either way. */
static bool nth_fired(void)
{
	char v[16] = "";
	bool fired;

	if (pread(nth_fd, v, sizeof(v) - 1, 0) <= 0)
		failf("read fail-nth: %s", strerror(errno));
	fired = strtol(v, NULL, 0) == 0;
	if (pwrite(nth_fd, "0", 1, 0) != 1)
		failf("disarm fail-nth: %s", strerror(errno));
	return fired;
}

enum nth_call {
	N_OPEN_CONTROL, N_OPEN_LOG, N_CREATE_MA, N_APPEND_FLUSH, N_APPEND,
	N_FLUSH, N_FLUSH_TO, N_RESERVE, N_WRITE_RESTART, N_READ_RESTART,
	N_READ_PREV_RESTART, N_READ_RECORD, N_READ_NEXT, N_QUERY, N_STATS,
	N_SCAN, N_ADD_CONT, N_REMOVE_CONT, N_ARCHIVE_TAIL, N_CALLS
};

static const char *const nth_name[N_CALLS] = {
	"open_control", "open_log", "create_marshal", "append+force_flush",
	"append", "flush_buffers", "flush_to_lsn", "alloc_reserved",
	"write_restart", "read_restart", "read_prev_restart", "read_record",
	"read_next", "query", "io_stats", "scan_containers", "add_container",
	"remove_container", "set_archive_tail",
};

/* A record for the model: data with its pattern, or a restart area. */
static struct mrec *nth_record(uint32_t type, struct iovec *iov)
{
	struct mrec *r = &recs[n_recs];
	uint32_t j;

	r->id = next_id++;
	r->len = type == CLFS_RECORD_DATA ? 1 + below(2000) : 8 + below(200);
	r->acked = false;
	for (j = 0; j < r->len; j++)
		buf[j] = pattern(r->id, j);
	*iov = (struct iovec){ buf, r->len };
	return r;
}

/*
 * nth_read() - a read that opens a context, or the next read on one, the
 * fault armed for that call alone.  Return: its result.
 */
static int nth_read(struct logh *h, enum nth_call k, unsigned int n, int *ctx)
{
	bool next = k == N_READ_PREV_RESTART || k == N_READ_NEXT;
	bool restart = k == N_READ_RESTART || k == N_READ_PREV_RESTART;
	struct clfs_record_info ri;
	int rc;

	if (!next)
		nth_arm(n);
	if (restart)
		rc = clfs_read_log_restart_area(h->ma, buf, BLOCK, &ri, ctx);
	else
		rc = n_recs ? clfs_read_log_record(h->ma, recs[0].lsn, CLFS_READ_FORWARD,
						   CLFS_TYPE_ANY, buf, BLOCK, &ri, ctx) :
		     -ENOENT;
	if (!next || rc)
		return rc;
	nth_arm(n);
	if (restart)
		return clfs_read_previous_log_restart_area(*ctx, buf, BLOCK, &ri);
	return clfs_read_next_log_record(*ctx, buf, BLOCK, &ri);
}

/*
 * nth_call() - call @k with the n-th allocation in it failing (setup and
 * cleanup outside the window).  Return: whether the fault fired.
 */
static bool nth_call(struct logh *h, enum nth_call k, unsigned int n)
{
	static const int ok_nomem[] = { ENOMEM, 0 };
	static const int ok_restart[] = { ENOMEM, ENODATA, ENOENT, 0 };
	static const int ok_read[] = { ENOMEM, ENOENT, 0 };
	static const int ok_cont[] = { ENOMEM, ENOSPC, ENOENT, 0 };
	const int *ok = ok_nomem;
	struct clfs_container_entry e[8];
	struct clfs_log_info li;
	struct clfs_io_stats st;
	uint32_t got = 0, total = 0, sz = 300, id;
	uint64_t aligned = 0, last = n_recs ? recs[n_recs - 1].lsn : 0;
	struct iovec iov;
	struct mrec *r;
	bool fired;
	int ctx = -1, rc = 0, fd;

	switch (k) {
	case N_OPEN_LOG:
		log_close(h);
		nth_arm(n);
		rc = clfs_open_log_file(h->ctl, h->dev, NULL, NULL, 0);
		fired = nth_fired();
		h->log = rc < 0 ? -1 : rc;
		rc = rc < 0 ? rc : 0;
		break;
	case N_CREATE_MA:
		clfs_close(h->ma);
		nth_arm(n);
		rc = clfs_create_marshalling_area(h->log, 0, 2);
		fired = nth_fired();
		h->ma = rc < 0 ? -1 : rc;
		rc = rc < 0 ? rc : 0;
		break;
	case N_APPEND_FLUSH:
	case N_APPEND:
	case N_WRITE_RESTART:
		r = nth_record(k == N_WRITE_RESTART ? CLFS_RECORD_RESTART :
			       CLFS_RECORD_DATA, &iov);
		nth_arm(n);
		if (k == N_WRITE_RESTART)
			rc = clfs_write_log_restart_area(h->ma, buf, r->len, NULL, 0,
							 NULL, &r->lsn);
		else
			rc = clfs_reserve_and_append_log(h->ma, &iov, 1, CLFS_LSN_INVALID,
					CLFS_LSN_INVALID, 0, NULL,
					k == N_APPEND ? 0 : CLFS_FLAG_FORCE_FLUSH, &r->lsn);
		fired = nth_fired();
		if (rc == 0) {
			r->acked = k != N_APPEND;
			n_recs++;
		}
		break;
	case N_FLUSH:
	case N_FLUSH_TO:
		nth_arm(n);
		rc = k == N_FLUSH ? clfs_flush_buffers(h->ma, NULL) :
		     clfs_flush_log_to_lsn(h->ma, last, NULL);
		fired = nth_fired();
		for (id = 0; rc == 0 && id < n_recs; id++)
			recs[id].acked = true;
		break;
	case N_RESERVE:
		clfs_align_reserved_log(h->ma, 1, &sz, NULL, &aligned);
		nth_arm(n);
		rc = clfs_alloc_reserved_log(h->ma, 1, &sz, aligned);
		fired = nth_fired();
		if (rc == 0 && clfs_free_reserved_log(h->ma, 1, &sz, aligned))
			failf("free a reservation after a fault");
		break;
	case N_READ_RESTART:
	case N_READ_PREV_RESTART:
	case N_READ_RECORD:
	case N_READ_NEXT:
		rc = nth_read(h, k, n, &ctx);
		fired = nth_fired();
		ok = k == N_READ_RESTART || k == N_READ_PREV_RESTART ? ok_restart :
		     ok_read;
		break;
	case N_ADD_CONT:
	case N_REMOVE_CONT:
		if (k == N_REMOVE_CONT &&
		    clfs_add_log_container(h->log, -1, CLFS_OFFSET_ANY, &id))
			id = ~0U;
		nth_arm(n);
		if (k == N_ADD_CONT)
			rc = clfs_add_log_container(h->log, -1, CLFS_OFFSET_ANY, &id);
		else
			rc = clfs_remove_log_container(h->log, id);
		fired = nth_fired();
		if (k == N_ADD_CONT && rc == 0 && clfs_remove_log_container(h->log, id))
			failf("remove the container added under a fault");
		ok = ok_cont;
		break;
	default:
		nth_arm(n);
		if (k == N_OPEN_CONTROL) {
			fd = clfs_open_control();
			rc = fd < 0 ? fd : 0;
			clfs_close(fd);
		} else if (k == N_QUERY) {
			rc = clfs_query_log_file_information(h->log, &li);
		} else if (k == N_STATS) {
			rc = clfs_get_io_statistics(h->log, &st);
		} else if (k == N_SCAN) {
			rc = clfs_scan_log_containers(h->log, 0, e, 8, &got, &total);
		} else {
			rc = n_recs ? clfs_set_log_archive_tail(h->log, recs[0].lsn) : 0;
		}
		fired = nth_fired();
		break;
	}
	clfs_close(ctx);
	count(nth_name[k], rc, ok);
	return fired;
}

/*
 * nth_walk() - fail every allocation of every kind of call in turn: the
 * 1st, the 2nd, ... until the call passes one without any left.  After
 * each failure the log goes on, and every few the log is reopened.
 */
static void nth_walk(struct logh *h)
{
	unsigned int n, k, points = 0;
	char line[1024] = "";
	size_t len = 0;

	for (k = 0; k < N_CALLS && failures < 20; k++) {
		for (n = 1; n < 400; n++) {
			if (h->ma < 0)
				must_reopen(h, "after a failed allocation");
			if (h->ma < 0)
				return;
			if (!nth_call(h, k, n))
				break;
			injected++;
			if (n % 8 == 0)
				must_reopen(h, nth_name[k]);
		}
		points += n - 1;
		if (len < sizeof(line) - 64)
			len += snprintf(line + len, sizeof(line) - len, " %s %u",
					nth_name[k], n - 1);
		must_reopen(h, nth_name[k]);
	}
	printf("slab: allocations failed, per call:%s (%u)\n", line, points);
}

int main(int argc, char **argv)
{
	struct logh h = { -1, -1, -1, -1 };
	unsigned int cycles = 0, c, e;
	const char *mode;
	int opt;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "s:c:")) != -1) {
		if (opt == 's')
			rng = strtoull(optarg, NULL, 0) | 1;
		else if (opt == 'c')
			cycles = strtoul(optarg, NULL, 0);
		else
			return 100;
	}
	if (argc - optind != 2)
		return 100;
	mode = argv[optind];
	if (strcmp(mode, "flakey") && strcmp(mode, "make-request") &&
	    strcmp(mode, "slab"))
		return 100;
	if (!cycles)
		cycles = !strcmp(mode, "flakey") ? 6 : 40;
	alarm(1200);
	if (clfs_dm_create(&dm, "clfs-faults", argv[optind + 1], "linear", "%s 0"))
		return 100;
	h.ctl = clfs_open_control();
	h.dev = open(dm.node, O_RDWR | O_CLOEXEC);
	h.log = h.ctl < 0 || h.dev < 0 ? -1 :
		clfs_create_log_file(h.ctl, h.dev, NULL, BLOCK, CONT, N_CONT);
	h.ma = h.log < 0 ? -1 : clfs_create_marshalling_area(h.log, 0, 4);
	if (h.ma < 0) {
		failf("create the log on %s", dm.node);
		goto out;
	}
	if (!strcmp(mode, "flakey") &&
	    clfs_dm_load(&dm, "flakey", error_reads)) {
		error_reads = "%s 0 0 1";
		printf("flakey: no error_reads in this dm-flakey: reads fail with all I/O\n");
	}
	if (!strcmp(mode, "flakey") && LINEAR())
		goto out;
	if (!strcmp(mode, "make-request"))
		setup_attr(FMR);
	if (!strcmp(mode, "slab")) {
		setup_attr(FSL);
		put(FSL "/ignore-gfp-wait", "N");
		put(FSL "/task-filter", "N");
		put(FSL "/cache-filter", "N");
		nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
		if (nth_fd < 0) {
			failf("open /proc/thread-self/fail-nth: %s", strerror(errno));
			goto out;
		}
		nth_walk(&h);
		cycles = 0;
	}
	for (c = 0; c < cycles && failures < 20; c++) {
		if (h.ma < 0)
			must_reopen(&h, "before a cycle");
		if (h.ma < 0)
			break;
		if (!strcmp(mode, "flakey"))
			flakey_cycle(&h, c);
		else if (!strcmp(mode, "make-request"))
			make_request_cycle(&h, c);
		else
			break;
	}
	must_reopen(&h, "at the end");
	printf("%s: %u cycles, %lu faults injected; %u records in the log at the end, the log checked after every fault\n",
	       mode, c, injected, n_recs);
	printf("%s: calls under faults:", mode);
	for (e = 0; e < N_ERRNO; e++)
		if (outcome[e])
			printf(" %s %lu", e ? clfs_errno_name(-(int)e) : "ok", outcome[e]);
	printf("\n");
out:
	log_close(&h);
	clfs_close(h.ctl);
	if (h.dev >= 0)
		close(h.dev);
	if (clfs_dm_remove(&dm))
		failures++;
	return fail_status();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * clfs_itest: the in-kernel client behind the crash-reboot integration
 * tests (tests/integration/reboot/).  There is no user-space interface to
 * logs yet, so a test drives the log service from here, through the
 * exported API of include/linux/clfs.h and nothing else.
 *
 * All the work happens in module_init, chosen by module parameters; init
 * returns 0 on success and a negative errno on any failure, so insmod
 * fails.  Each stage prints one "clfs_itest:" line, and a failed check
 * says what differed (record, LSN, offset, expected and actual bytes).
 *
 *   op=write   create a log on @dev (8 containers of 4 MiB, 64 KiB
 *              blocks), append @records records, some with
 *              CLFS_FLAG_FORCE_FLUSH or CLFS_FLAG_FORCE_APPEND and some
 *              followed by clfs_flush_buffers(), clfs_flush_to_lsn() the
 *              last one, and read them all back; then append @extra more
 *              records without any flush.  The log is left open (unloading
 *              the module would close it): the test then crashes the guest,
 *              so that the next open runs recovery.
 *   op=verify  open the log (recovery) and read it forward from its first
 *              record: the @records flushed records must all be there, and
 *              of the @extra unflushed ones any prefix, every record byte
 *              for byte with strictly increasing LSNs; then walk the
 *              previous chain from the last record down to the first.
 *              Then append @more records, flush, close cleanly, reopen and
 *              check the whole log again.
 *   op=rwrite  create a log on @dev that wraps (4 containers of 1 MiB,
 *              64 KiB blocks) and run @cycles checkpoint cycles: each
 *              appends 100..140 records of 100..6000 bytes, then writes a
 *              restart area that moves the base LSN to the first record of
 *              the cycle two before (from cycle 2 on; every fifth cycle
 *              moves it with clfs_advance_base() after the restart area
 *              instead); every third cycle or so first reserves room for
 *              its restart area and has the restart area consume it, and
 *              some others hold a set of reservations (clfs_alloc_reserved,
 *              clfs_free_reserved) while they run; some fill the log
 *              with reservations (it must refuse them before they exceed
 *              its size) and still write the restart area in the space
 *              reserved for it.  Calls that must be refused are checked to
 *              change nothing.  Cycle 6 sets the archive tail in the middle
 *              of cycle 5, which holds those records while the base passes
 *              them, and cycle 8 moves it to the base, where it follows the
 *              base from then on.  After each cycle: the restart chain
 *              down to the start of the active log (min(base, archive
 *              tail)), every record from the start read forward, records
 *              below the start gone (-ENOENT), and clfs_log_query's tails,
 *              restart LSN and reservations.  The last restart area must
 *              lie in logical container 12 or later (the log wrapped three
 *              times).  Then @extra records of the next cycle are appended
 *              without a flush and the log is left open, as by op=write.
 *   op=rverify open the log (recovery): the newest restart area must be
 *              the last cycle's, the chain must walk back to the start and
 *              end there, the base must be the one the last restart area
 *              set, and the records from the base read forward, restart
 *              records where they belong, then any prefix of the @extra
 *              unflushed ones.  Then @more_cycles more cycles; then
 *              records of the next cycle, flushed, and a truncation after
 *              the last cycle's last record, which drops them and its
 *              restart area, checked again after a close and a reopen,
 *              and the cycle's restart area written again; then a clean
 *              close, a reopen and the same checks again.
 *
 * A log that op=write or op=rwrite left open stays open while the module
 * is loaded, so a second reboot test cannot insmod the module again; it
 * sets the parameters it needs in /sys/module/clfs_itest/parameters/ and
 * writes the op to run there, which runs it in the loaded module (the
 * write fails with the op's error).
 *
 * The workload is a pure function of @seed and the record index: the
 * length (1..3000 bytes), the bytes, the flags, the flush calls and how
 * the record is split into kvecs.  Record i's previous LSN is record
 * i - 1's (CLFS_LSN_INVALID for record 0), and its undo-next LSN is record
 * i - 2's for even i >= 2, else CLFS_LSN_INVALID.  op=verify therefore
 * recomputes everything op=write appended with no state shared between
 * the two boots but the disk.  For op=rwrite and op=rverify the index
 * runs over the records of all cycles; the number of records of a cycle,
 * its restart data (which holds the cycle number and the LSN of the
 * restart area before it, as clfs_write_restart() returned it) and its
 * reservation are pure functions of @seed and the cycle.  A data record's
 * previous LSN is the record's before it in its cycle (CLFS_LSN_INVALID
 * for a cycle's first), its undo-next LSN CLFS_LSN_INVALID.
 *
 * Check failures return -EBADMSG; errors of the clfs calls are returned
 * as they are.
 */

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>

#include <linux/clfs.h>

#define ITEST_BLOCK_SIZE	(64U << 10)
#define ITEST_CONTAINER_SIZE	(4ULL << 20)
#define ITEST_CONTAINERS	8U
#define ITEST_MA_BUFFERS	8U
#define ITEST_MAX_LEN		3000U
#define ITEST_MAX_IOV		3U
#define ITEST_MAX_COUNT		100000U
#define ITEST_SHOW		16U

/* op=rwrite and op=rverify */
#define ITEST_R_BLOCK_SIZE	(64U << 10)
#define ITEST_R_CONTAINER_SIZE	((u64)SZ_1M)
#define ITEST_R_CONTAINERS	4U
#define ITEST_R_MIN_LEN		100U
#define ITEST_R_MAX_LEN		6000U
#define ITEST_R_MIN_RECORDS	100U
#define ITEST_R_MAX_RECORDS	140U
#define ITEST_R_HDR		24U	/* magic, cycle, seed, length, prev */
#define ITEST_R_MAX_DATA	1024U
#define ITEST_R_MAGIC		0x53525449U	/* "ITRS" */
#define ITEST_R_ARCHIVE		6U	/* the cycle that sets the archive tail */
#define ITEST_R_MIN_CYCLES	12U
#define ITEST_R_MAX_CYCLES	1000U
#define ITEST_R_WRAPS		3U
#define ITEST_R_SET		3U	/* reservations of an alloc/free set */
#define ITEST_R_HUGE		60000U	/* record size of a set that never fits */
#define ITEST_R_TRUNC		40U	/* records appended, then truncated */
#define ITEST_BUF_SIZE		8192U	/* the largest record or restart data */

/*
 * The parameters an op reads are writable, for ops run in the loaded
 * module (the run parameter); op itself only names the op of the load.
 */
static char *itest_dev = "/dev/vda";
module_param_named(dev, itest_dev, charp, 0644);
MODULE_PARM_DESC(dev, "block device of the log");

static char *itest_op = "";
module_param_named(op, itest_op, charp, 0444);
MODULE_PARM_DESC(op, "write (create, fill, leave open for a crash), verify (recover and check), rwrite (checkpoint cycles, leave open for a crash) or rverify");

static unsigned int itest_seed = 1;
module_param_named(seed, itest_seed, uint, 0644);
MODULE_PARM_DESC(seed, "seed of the workload");

static unsigned int itest_records = 300;
module_param_named(records, itest_records, uint, 0644);
MODULE_PARM_DESC(records, "records op=write appends and flushes");

static unsigned int itest_extra = 5;
module_param_named(extra, itest_extra, uint, 0644);
MODULE_PARM_DESC(extra, "records op=write (op=rwrite) appends after its last flush (restart area)");

static unsigned int itest_more = 50;
module_param_named(more, itest_more, uint, 0644);
MODULE_PARM_DESC(more, "records op=verify appends before its clean close");

static unsigned int itest_span = 1;
module_param_named(span, itest_span, uint, 0644);
MODULE_PARM_DESC(span, "logical containers the flushed records must span at least");

static unsigned int itest_cycles = 40;
module_param_named(cycles, itest_cycles, uint, 0644);
MODULE_PARM_DESC(cycles, "checkpoint cycles op=rwrite runs");

static unsigned int itest_more_cycles = 10;
module_param_named(more_cycles, itest_more_cycles, uint, 0644);
MODULE_PARM_DESC(more_cycles, "checkpoint cycles op=rverify runs before its clean close");

/**
 * struct itest - one run of the test
 * @log: the open log, or NULL
 * @ma: its marshalling area, or NULL
 * @lsns: the LSN of record i at [i]
 * @cap: entries in @lsns
 * @n: records known to be in the log (their LSNs are in @lsns)
 * @buf: the expected bytes of one record
 * @appends: records appended since the log was opened
 * @bytes: their client bytes
 * @reads: records returned by reads since the log was opened
 * @uuid: the log's identity, from its first query
 * @have_uuid: @uuid is set
 * @generation: metadata generation at the last query
 * @node: on itest_live while the log is left open
 * @r: the restart ops' geometry and workload (op=rwrite, op=rverify)
 *
 * For the restart ops, @lsns has the LSN of record g (of all cycles) at
 * [g], CLFS_LSN_INVALID while unknown, and:
 * @cg: the index of cycle c's first record at [c], for c in 0..@n_cycles
 * @rlsn: cycle c's restart LSN at [c], CLFS_LSN_INVALID while unknown
 * @rbuf: the expected bytes of one restart area
 * @n_cycles: entries in @rlsn
 * @done: cycles whose restart area is written (or found)
 * @n_cur: records of cycle @done in the log
 * @last: the newest record in the log, or CLFS_LSN_INVALID
 * @flushed: records up to it are durable, or CLFS_LSN_INVALID
 * @base: the base LSN (CLFS_LSN_NULL: none)
 * @base_g: the index of the record at @base
 * @archive: the archive tail, or CLFS_LSN_INVALID
 * @arch_g: the index of the record at @archive
 * @start: the start of the active log, min(@base, @archive)
 * @start_g: the index of the record at @start
 * @rsv_records: reservations held
 * @rsv_bytes: their bytes
 * @chain: restart areas the last chain walk returned
 * @scanned: records the last forward read returned
 * @gone: LSNs below the start that the last checks found gone
 */
struct itest {
	struct clfs_log *log;
	struct clfs_marshal *ma;
	u64 *lsns;
	u32 cap;
	u32 n;
	u8 *buf;
	u64 appends;
	u64 bytes;
	u64 reads;
	u8 uuid[16];
	bool have_uuid;
	u64 generation;
	struct list_head node;
	bool r;
	u32 *cg;
	u64 *rlsn;
	u8 *rbuf;
	u32 n_cycles;
	u32 done;
	u32 n_cur;
	u64 last;
	u64 flushed;
	u64 base;
	u32 base_g;
	u64 archive;
	u32 arch_g;
	u64 start;
	u32 start_g;
	u64 rsv_records;
	u64 rsv_bytes;
	u32 chain;
	u32 scanned;
	u32 gone;
};

/*
 * The logs that successful op=write and op=rwrite runs leave open;
 * module_exit closes them.  itest_lock serialises the ops and the list.
 */
static LIST_HEAD(itest_live);
static DEFINE_MUTEX(itest_lock);
/* Set once module_init has run: ops may then be run through run=. */
static bool itest_loaded;

/* splitmix64's finaliser: a bijection with good avalanche. */
static u64 itest_mix(u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* The workload's random number @salt for record @i. */
static u32 itest_hash(u32 i, u32 salt)
{
	u64 x = itest_mix(((u64)itest_seed << 32) | i);

	return (u32)(itest_mix(x ^ salt) >> 32);
}

static u32 itest_len(u32 i)
{
	return 1 + itest_hash(i, 1) % ITEST_MAX_LEN;
}

static void itest_fill(u8 *buf, u32 i, u32 len)
{
	u64 x = itest_mix(((u64)itest_seed << 32) | i) ^ 0x5ca1ab1eULL;
	u32 j;

	for (j = 0; j < len; j++) {
		if (!(j & 7))
			x = itest_mix(x);
		buf[j] = (u8)(x >> (8 * (j & 7)));
	}
}

/* One record in 16 forces a flush, one in 16 seals its block. */
static u32 itest_flags(u32 i)
{
	switch (itest_hash(i, 3) % 16) {
	case 0:
		return CLFS_FLAG_FORCE_FLUSH;
	case 1:
		return CLFS_FLAG_FORCE_APPEND;
	default:
		return 0;
	}
}

/* One record in 25 is followed by clfs_flush_buffers(). */
static bool itest_flush_after(u32 i)
{
	return itest_hash(i, 4) % 25 == 0;
}

/* Split record @i's @len bytes at @buf into 1..3 non-empty kvecs. */
static unsigned int itest_split(u32 i, u32 len, u8 *buf, struct kvec *iov)
{
	u32 h = itest_hash(i, 5);
	unsigned int n = min(1 + h % ITEST_MAX_IOV, len);
	u32 a, b;

	switch (n) {
	case 1:
		a = len;
		b = len;
		break;
	case 2:
		a = 1 + (h >> 8) % (len - 1);
		b = len;
		break;
	default:
		a = 1 + (h >> 8) % (len - 2);
		b = a + 1 + (h >> 20) % (len - a - 1);
		break;
	}
	iov[0].iov_base = buf;
	iov[0].iov_len = a;
	iov[1].iov_base = buf + a;
	iov[1].iov_len = b - a;
	iov[2].iov_base = buf + b;
	iov[2].iov_len = len - b;
	return n;
}

static u64 itest_previous(const struct itest *t, u32 i)
{
	return i ? t->lsns[i - 1] : CLFS_LSN_INVALID;
}

static u64 itest_undo_next(const struct itest *t, u32 i)
{
	return i >= 2 && !(i & 1) ? t->lsns[i - 2] : CLFS_LSN_INVALID;
}

/* Record @i as read back must be exactly what was appended. */
static int itest_check(struct itest *t, u32 i, const struct clfs_record *rec,
		       const char *how)
{
	u32 len = itest_len(i), off, show;
	u64 prev = itest_previous(t, i), undo = itest_undo_next(t, i);
	const u8 *data = rec->data;

	if (rec->type != CLFS_RECORD_DATA || rec->length != len ||
	    rec->previous != prev || rec->undo_next != undo) {
		pr_err("%s: record %u at LSN %#llx: type %u, length %u, previous %#llx, undo-next %#llx; want type %u, length %u, previous %#llx, undo-next %#llx\n",
		       how, i, rec->lsn, rec->type, rec->length, rec->previous,
		       rec->undo_next, CLFS_RECORD_DATA, len, prev, undo);
		return -EBADMSG;
	}
	itest_fill(t->buf, i, len);
	if (!memcmp(data, t->buf, len))
		return 0;
	off = 0;
	while (data[off] == t->buf[off])
		off++;
	show = min(len - off, ITEST_SHOW);
	pr_err("%s: record %u at LSN %#llx (%u bytes): first difference at offset %u: want %*ph, got %*ph\n",
	       how, i, rec->lsn, len, off, show, t->buf + off, show, data + off);
	return -EBADMSG;
}

static int itest_append(struct itest *t, u32 i, u32 flags)
{
	struct kvec iov[ITEST_MAX_IOV];
	u32 len = itest_len(i);
	unsigned int n_iov;
	u64 lsn = CLFS_LSN_INVALID;
	int ret;

	itest_fill(t->buf, i, len);
	n_iov = itest_split(i, len, t->buf, iov);
	ret = clfs_append(t->ma, iov, n_iov, itest_undo_next(t, i),
			  itest_previous(t, i), CLFS_RECORD_DATA, flags, &lsn);
	if (ret) {
		pr_err("append: record %u (%u bytes in %u kvecs, flags %#x): error %d\n",
		       i, len, n_iov, flags, ret);
		return ret;
	}
	if (!clfs_lsn_is_valid(lsn) || (i && lsn <= t->lsns[i - 1])) {
		pr_err("append: record %u got LSN %#llx, not a valid LSN above record %u's %#llx\n",
		       i, lsn, i ? i - 1 : 0, itest_previous(t, i));
		return -EBADMSG;
	}
	t->lsns[i] = lsn;
	t->n = i + 1;
	t->appends++;
	t->bytes += len;
	return 0;
}

/*
 * Append records [@from, @to).  With @flushes, each record gets the
 * workload's flags and flush calls; without, none at all.
 */
static int itest_append_range(struct itest *t, u32 from, u32 to,
			      bool flushes, const char *how)
{
	u32 i, flags, n_flush = 0, n_seal = 0, n_buffers = 0;
	u64 bytes = t->bytes;
	int ret;

	for (i = from; i < to; i++) {
		flags = flushes ? itest_flags(i) : 0;
		ret = itest_append(t, i, flags);
		if (ret)
			return ret;
		n_flush += !!(flags & CLFS_FLAG_FORCE_FLUSH);
		n_seal += !!(flags & CLFS_FLAG_FORCE_APPEND);
		if (!flushes || !itest_flush_after(i))
			continue;
		ret = clfs_flush_buffers(t->ma);
		if (ret) {
			pr_err("%s: clfs_flush_buffers after record %u: error %d\n",
			       how, i, ret);
			return ret;
		}
		n_buffers++;
	}
	if (from == to) {
		pr_info("%s: no records to append\n", how);
		return 0;
	}
	pr_info("%s: appended records %u..%u (%llu bytes; %u FORCE_FLUSH, %u FORCE_APPEND, %u clfs_flush_buffers), LSNs %#llx..%#llx: ok\n",
		how, from, to - 1, t->bytes - bytes, n_flush, n_seal, n_buffers,
		t->lsns[from], t->lsns[to - 1]);
	return 0;
}

/* Make every record appended so far durable. */
static int itest_flush(struct itest *t, const char *how)
{
	u64 last = t->lsns[t->n - 1], flushed = CLFS_LSN_INVALID;
	int ret;

	ret = clfs_flush_to_lsn(t->ma, last, &flushed);
	if (ret) {
		pr_err("%s: clfs_flush_to_lsn(%#llx): error %d\n", how, last, ret);
		return ret;
	}
	if (!clfs_lsn_is_valid(flushed) || flushed < last) {
		pr_err("%s: clfs_flush_to_lsn(%#llx) says durable up to %#llx only\n",
		       how, last, flushed);
		return -EBADMSG;
	}
	pr_info("%s: clfs_flush_to_lsn(%#llx): durable up to %#llx: ok\n",
		how, last, flushed);
	return 0;
}

/* Check a record found by a forward read: its LSN, then its bytes. */
static int itest_scan_one(struct itest *t, u32 k, u32 known, u32 max,
			  const struct clfs_record *rec, const char *how)
{
	if (k >= max) {
		pr_err("%s: record %u at LSN %#llx: only %u records were ever appended\n",
		       how, k, rec->lsn, max);
		return -EBADMSG;
	}
	if (k < known && rec->lsn != t->lsns[k]) {
		pr_err("%s: record %u at LSN %#llx, want %#llx\n",
		       how, k, rec->lsn, t->lsns[k]);
		return -EBADMSG;
	}
	if (k >= known) {
		if (!clfs_lsn_is_valid(rec->lsn) ||
		    (k && rec->lsn <= t->lsns[k - 1])) {
			pr_err("%s: record %u at LSN %#llx, not a valid LSN above the previous record's %#llx\n",
			       how, k, rec->lsn, itest_previous(t, k));
			return -EBADMSG;
		}
		t->lsns[k] = rec->lsn;
	}
	return itest_check(t, k, rec, how);
}

/*
 * Read the log forward from its first record (clfs_log_query's first_lsn)
 * to its end.  The first @known records must come back at the LSNs in
 * t->lsns; the LSNs of the others are learnt.  The log must hold between
 * @min and @max records; t->n becomes their count.
 */
static int itest_scan(struct itest *t, u32 known, u32 min, u32 max,
		      const char *how)
{
	struct clfs_log_info info = { .size = sizeof(info) };
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	u32 k = 0;
	int ret;

	ret = clfs_log_query(t->log, &info);
	if (ret) {
		pr_err("%s: clfs_log_query: error %d\n", how, ret);
		return ret;
	}
	if (!clfs_lsn_is_valid(info.first_lsn) ||
	    (known && info.first_lsn != t->lsns[0])) {
		pr_err("%s: first_lsn %#llx, want %s%#llx\n", how,
		       info.first_lsn, known ? "" : "a valid LSN, not ",
		       known ? t->lsns[0] : CLFS_LSN_INVALID);
		return -EBADMSG;
	}
	ret = clfs_read_record(t->log, info.first_lsn, CLFS_READ_FORWARD,
			       CLFS_TYPE_ANY, &ctx, &rec);
	if (ret) {
		pr_err("%s: clfs_read_record(%#llx, forward): error %d\n",
		       how, info.first_lsn, ret);
		return ret;
	}
	for (;;) {
		t->reads++;
		ret = itest_scan_one(t, k, known, max, &rec, how);
		if (ret)
			break;
		k++;
		ret = clfs_read_next(ctx, &rec);
		if (ret == -ENOENT) {
			ret = 0;
			break;
		}
		if (ret) {
			pr_err("%s: clfs_read_next after record %u at LSN %#llx: error %d\n",
			       how, k - 1, t->lsns[k - 1], ret);
			break;
		}
	}
	clfs_read_terminate(ctx);
	if (ret)
		return ret;
	if (k < min) {
		pr_err("%s: the log ends after record %u at LSN %#llx; want at least %u records\n",
		       how, k - 1, t->lsns[k - 1], min);
		return -EBADMSG;
	}
	t->n = k;
	pr_info("%s: read %u records forward, LSNs %#llx..%#llx, byte for byte: ok\n",
		how, k, t->lsns[0], t->lsns[k - 1]);
	return 0;
}

/* Walk the previous chain from the last record down to record 0. */
static int itest_walk_back(struct itest *t, const char *how)
{
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	u32 k = t->n - 1;
	int ret;

	ret = clfs_read_record(t->log, t->lsns[k], CLFS_READ_PREVIOUS,
			       CLFS_TYPE_ANY, &ctx, &rec);
	if (ret) {
		pr_err("%s: clfs_read_record(%#llx, previous): error %d\n",
		       how, t->lsns[k], ret);
		return ret;
	}
	for (;;) {
		t->reads++;
		if (rec.lsn != t->lsns[k]) {
			pr_err("%s: record %u at LSN %#llx, want %#llx\n",
			       how, k, rec.lsn, t->lsns[k]);
			ret = -EBADMSG;
			break;
		}
		ret = itest_check(t, k, &rec, how);
		if (ret)
			break;
		ret = clfs_read_next(ctx, &rec);
		if (ret == -ENOENT && !k) {
			ret = 0;
			break;
		}
		if (ret == -ENOENT) {
			pr_err("%s: the chain ends at record %u (LSN %#llx), before record 0\n",
			       how, k, t->lsns[k]);
			ret = -EBADMSG;
			break;
		}
		if (ret) {
			pr_err("%s: clfs_read_next after record %u at LSN %#llx: error %d\n",
			       how, k, t->lsns[k], ret);
			break;
		}
		if (!k) {
			pr_err("%s: the chain goes on past record 0 to LSN %#llx\n",
			       how, rec.lsn);
			ret = -EBADMSG;
			break;
		}
		k--;
	}
	clfs_read_terminate(ctx);
	if (!ret)
		pr_info("%s: walked the previous chain from %#llx down to %#llx (%u records): ok\n",
			how, t->lsns[t->n - 1], t->lsns[0], t->n);
	return ret;
}

/* The logical containers that records [0, @n) span. */
static int itest_span_check(struct itest *t, u32 n, const char *how)
{
	u32 k, spanned = 1;

	for (k = 1; k < n; k++)
		spanned += clfs_lsn_container(t->lsns[k]) !=
			   clfs_lsn_container(t->lsns[k - 1]);
	if (spanned < itest_span) {
		pr_err("%s: records 0..%u span %u logical containers (%u..%u), want at least %u\n",
		       how, n - 1, spanned, clfs_lsn_container(t->lsns[0]),
		       clfs_lsn_container(t->lsns[n - 1]), itest_span);
		return -EBADMSG;
	}
	pr_info("%s: records 0..%u span %u logical containers (%u..%u): ok\n",
		how, n - 1, spanned, clfs_lsn_container(t->lsns[0]),
		clfs_lsn_container(t->lsns[n - 1]));
	return 0;
}

static bool itest_differs(const char *how, const char *field, u64 got,
			  u64 want)
{
	if (got == want)
		return false;
	pr_err("%s: clfs_log_info.%s = %#llx, want %#llx\n", how, field, got,
	       want);
	return true;
}

/*
 * What both kinds of run check in clfs_log_query's answer: its size and
 * flags, the geometry, the counters since open, the same non-zero uuid
 * throughout and a metadata generation that never goes back.  Returns
 * true if anything differs.
 */
static bool itest_query_common(struct itest *t,
			       const struct clfs_log_info *info,
			       const char *how, u32 block_size,
			       u64 container_size, u32 n_containers)
{
	bool bad = false;

	bad |= itest_differs(how, "size", info->size, sizeof(*info));
	bad |= itest_differs(how, "flags", info->flags, 0);
	bad |= itest_differs(how, "block_size", info->block_size, block_size);
	bad |= itest_differs(how, "container_size", info->container_size,
			     container_size);
	bad |= itest_differs(how, "n_containers", info->n_containers,
			     n_containers);
	bad |= itest_differs(how, "appends", info->appends, t->appends);
	bad |= itest_differs(how, "append_bytes", info->append_bytes,
			     t->bytes);
	bad |= itest_differs(how, "reads", info->reads, t->reads);
	if (!memchr_inv(info->uuid, 0, sizeof(info->uuid))) {
		pr_err("%s: clfs_log_info.uuid is all zero\n", how);
		bad = true;
	}
	if (t->have_uuid && memcmp(info->uuid, t->uuid, sizeof(t->uuid))) {
		pr_err("%s: clfs_log_info.uuid changed from %pU to %pU\n",
		       how, t->uuid, info->uuid);
		bad = true;
	}
	if (info->generation < t->generation) {
		pr_err("%s: clfs_log_info.generation went back from %llu to %llu\n",
		       how, t->generation, info->generation);
		bad = true;
	}
	return bad;
}

/* Remember the uuid and generation a good answer gave. */
static void itest_query_keep(struct itest *t, const struct clfs_log_info *info)
{
	memcpy(t->uuid, info->uuid, sizeof(t->uuid));
	t->have_uuid = true;
	t->generation = info->generation;
}

/*
 * clfs_log_query's answer must match what this run did: the geometry,
 * the first and last LSN, the counters since open, flushed_lsn within
 * [@flushed_lo, @flushed_hi], the same uuid throughout, and a metadata
 * generation that never goes back.
 */
static int itest_query(struct itest *t, u64 flushed_lo, u64 flushed_hi,
		       const char *how)
{
	struct clfs_log_info info = { .size = sizeof(info) };
	u64 first = t->n ? t->lsns[0] : CLFS_LSN_INVALID;
	u64 last = t->n ? t->lsns[t->n - 1] : CLFS_LSN_INVALID;
	bool bad = false;
	int ret;

	ret = clfs_log_query(t->log, &info);
	if (ret) {
		pr_err("%s: clfs_log_query: error %d\n", how, ret);
		return ret;
	}
	bad |= itest_query_common(t, &info, how, ITEST_BLOCK_SIZE,
				  ITEST_CONTAINER_SIZE, ITEST_CONTAINERS);
	bad |= itest_differs(how, "first_lsn", info.first_lsn, first);
	bad |= itest_differs(how, "last_lsn", info.last_lsn, last);
	if (info.io_unit < 512 || info.io_unit > 4096 ||
	    !is_power_of_2(info.io_unit)) {
		pr_err("%s: clfs_log_info.io_unit = %u, want a power of two in [512, 4096]\n",
		       how, info.io_unit);
		bad = true;
	}
	if (info.flushed_lsn < flushed_lo || info.flushed_lsn > flushed_hi) {
		pr_err("%s: clfs_log_info.flushed_lsn = %#llx, want %#llx..%#llx\n",
		       how, info.flushed_lsn, flushed_lo, flushed_hi);
		bad = true;
	}
	if (bad)
		return -EBADMSG;
	itest_query_keep(t, &info);
	pr_info("%s: clfs_log_info: log %pU, io_unit %u, generation %llu, first %#llx, last %#llx, flushed %#llx; %llu appends (%llu bytes), %llu blocks, %llu flushes (%llu device writes, %llu cache flushes), %llu metadata writes, %llu reads: ok\n",
		how, info.uuid, info.io_unit, info.generation, info.first_lsn,
		info.last_lsn, info.flushed_lsn, info.appends,
		info.append_bytes, info.blocks_written, info.flushes,
		info.flush_writes, info.cache_flushes, info.meta_writes,
		info.reads);
	return 0;
}

/* Create (@create) or open the log, and its marshalling area. */
static int itest_start(struct itest *t, bool create, const char *how)
{
	const struct clfs_create_params params = {
		.block_size = t->r ? ITEST_R_BLOCK_SIZE : ITEST_BLOCK_SIZE,
		.n_containers = t->r ? ITEST_R_CONTAINERS : ITEST_CONTAINERS,
		.container_size = t->r ? ITEST_R_CONTAINER_SIZE :
					 ITEST_CONTAINER_SIZE,
	};
	const char *call = create ? "clfs_log_create" : "clfs_log_open";
	int ret;

	if (create)
		ret = clfs_log_create(itest_dev, &params, &t->log);
	else
		ret = clfs_log_open(itest_dev, NULL, 0, &t->log);
	if (ret) {
		pr_err("%s: %s(%s): error %d\n", how, call, itest_dev, ret);
		t->log = NULL;
		return ret;
	}
	ret = clfs_marshal_create(t->log, params.block_size, ITEST_MA_BUFFERS,
				  &t->ma);
	if (ret) {
		pr_err("%s: clfs_marshal_create(%u, %u): error %d\n",
		       how, params.block_size, ITEST_MA_BUFFERS, ret);
		goto close_log;
	}
	t->appends = 0;
	t->bytes = 0;
	t->reads = 0;
	pr_info("%s: %s(%s) and clfs_marshal_create(%u, %u): ok\n",
		how, call, itest_dev, params.block_size, ITEST_MA_BUFFERS);
	return 0;

close_log:
	clfs_log_close(t->log);
	t->log = NULL;
	t->ma = NULL;
	return ret;
}

/* Delete the marshalling area and close the log cleanly. */
static int itest_stop(struct itest *t, const char *how)
{
	int ret, ret2;

	ret = clfs_marshal_delete(t->ma);
	if (ret)
		pr_err("%s: clfs_marshal_delete: error %d\n", how, ret);
	t->ma = NULL;
	ret2 = clfs_log_close(t->log);
	if (ret2)
		pr_err("%s: clfs_log_close: error %d\n", how, ret2);
	t->log = NULL;
	if (!ret && !ret2)
		pr_info("%s: clfs_marshal_delete and clfs_log_close: ok\n", how);
	return ret ? ret : ret2;
}

static int itest_write(struct itest *t)
{
	u32 n = itest_records, last;
	int ret;

	ret = itest_start(t, true, "write: create");
	if (ret)
		return ret;
	ret = itest_query(t, CLFS_LSN_INVALID, CLFS_LSN_INVALID,
			  "write: empty log");
	if (ret)
		goto stop_log;
	ret = itest_append_range(t, 0, n, true, "write: append");
	if (ret)
		goto stop_log;
	ret = itest_flush(t, "write: flush");
	if (ret)
		goto stop_log;
	ret = itest_query(t, t->lsns[n - 1], t->lsns[n - 1],
			  "write: after the flush");
	if (ret)
		goto stop_log;
	ret = itest_scan(t, n, n, n, "write: read back");
	if (ret)
		goto stop_log;
	ret = itest_walk_back(t, "write: previous chain");
	if (ret)
		goto stop_log;
	ret = itest_span_check(t, n, "write: span");
	if (ret)
		goto stop_log;
	ret = itest_append_range(t, n, n + itest_extra, false,
				 "write: append, no flush");
	if (ret)
		goto stop_log;
	last = t->n - 1;
	ret = itest_query(t, t->lsns[n - 1], t->lsns[last],
			  "write: after the unflushed appends");
	if (ret)
		goto stop_log;
	pr_info("write: %u records durable up to %#llx, %u more appended after %#llx without a flush; the log stays open\n",
		n, t->lsns[n - 1], itest_extra, t->lsns[n - 1]);
	return 0;

stop_log:
	itest_stop(t, "write: close after the failure");
	return ret;
}

static int itest_verify(struct itest *t)
{
	u32 n, found;
	int ret;

	ret = itest_start(t, false, "verify: open (recovery)");
	if (ret)
		return ret;
	ret = itest_scan(t, 0, itest_records, itest_records + itest_extra,
			 "verify: forward");
	if (ret)
		goto stop_log;
	found = t->n;
	pr_info("verify: all %u flushed records present, and %u of the %u appended after the last flush\n",
		itest_records, found - itest_records, itest_extra);
	ret = itest_walk_back(t, "verify: previous chain");
	if (ret)
		goto stop_log;
	ret = itest_span_check(t, itest_records, "verify: span");
	if (ret)
		goto stop_log;
	ret = itest_query(t, t->lsns[found - 1], t->lsns[found - 1],
			  "verify: after recovery");
	if (ret)
		goto stop_log;
	ret = itest_append_range(t, found, found + itest_more, true,
				 "verify: append after recovery");
	if (ret)
		goto stop_log;
	ret = itest_flush(t, "verify: flush");
	if (ret)
		goto stop_log;
	n = t->n;
	ret = itest_query(t, t->lsns[n - 1], t->lsns[n - 1],
			  "verify: after the flush");
	if (ret)
		goto stop_log;
	ret = itest_stop(t, "verify: clean close");
	if (ret)
		return ret;

	ret = itest_start(t, false, "verify: reopen");
	if (ret)
		return ret;
	ret = itest_scan(t, n, n, n, "verify: reopen: forward");
	if (ret)
		goto stop_log;
	ret = itest_walk_back(t, "verify: reopen: previous chain");
	if (ret)
		goto stop_log;
	ret = itest_query(t, t->lsns[n - 1], t->lsns[n - 1],
			  "verify: after the clean reopen");
	if (ret)
		goto stop_log;
	ret = itest_stop(t, "verify: final close");
	if (ret)
		return ret;
	pr_info("verify: %u records (%u from before the crash, %u after), byte for byte\n",
		n, found, n - found);
	return 0;

stop_log:
	itest_stop(t, "verify: close after the failure");
	return ret;
}

/*
 * op=rwrite and op=rverify: checkpoint cycles of records and restart
 * areas on a log that wraps.
 */

/* Records of cycle @c. */
static u32 itest_r_count(u32 c)
{
	return ITEST_R_MIN_RECORDS +
	       itest_hash(c, 10) % (ITEST_R_MAX_RECORDS - ITEST_R_MIN_RECORDS + 1);
}

/* Length of record @g. */
static u32 itest_r_len(u32 g)
{
	return ITEST_R_MIN_LEN +
	       itest_hash(g, 11) % (ITEST_R_MAX_LEN - ITEST_R_MIN_LEN + 1);
}

/* One record in 32 seals its block. */
static u32 itest_r_flags(u32 g)
{
	return itest_hash(g, 12) % 32 ? 0 : CLFS_FLAG_FORCE_APPEND;
}

/* Length of cycle @c's restart data. */
static u32 itest_r_rlen(u32 c)
{
	return ITEST_R_HDR +
	       itest_hash(c, 13) % (ITEST_R_MAX_DATA - ITEST_R_HDR + 1);
}

/* Does cycle @c reserve room for its restart area? */
static bool itest_r_reserves(u32 c)
{
	return itest_hash(c, 14) % 3 == 0;
}

/* The record size cycle @c reserves for: at least its restart data. */
static u32 itest_r_rsv(u32 c)
{
	return itest_r_rlen(c) + itest_hash(c, 15) % 512;
}

static void itest_put_le(u8 *p, u64 v, unsigned int bytes)
{
	unsigned int k;

	for (k = 0; k < bytes; k++)
		p[k] = (u8)(v >> (8 * k));
}

static u64 itest_get_le(const u8 *p, unsigned int bytes)
{
	unsigned int k;
	u64 v = 0;

	for (k = 0; k < bytes; k++)
		v |= (u64)p[k] << (8 * k);
	return v;
}

/* Cycle @c's restart data, whose restart area before it is at @prev. */
static void itest_r_rdata(u8 *buf, u32 c, u64 prev)
{
	u32 len = itest_r_rlen(c);

	itest_put_le(buf, ITEST_R_MAGIC, 4);
	itest_put_le(buf + 4, c, 4);
	itest_put_le(buf + 8, itest_seed, 4);
	itest_put_le(buf + 12, len, 4);
	itest_put_le(buf + 16, prev, 8);
	itest_fill(buf + ITEST_R_HDR, BIT(31) | c, len - ITEST_R_HDR);
}

/* The cycle that record @g belongs to. */
static u32 itest_r_cycle_of(const struct itest *t, u32 g)
{
	u32 c = 0;

	while (c + 1 < t->n_cycles && t->cg[c + 1] <= g)
		c++;
	return c;
}

static bool itest_known(u64 lsn)
{
	return lsn != CLFS_LSN_INVALID;
}

/* The start of the active log follows the base and the archive tail. */
static void itest_r_set_start(struct itest *t)
{
	if (itest_known(t->archive) && t->archive < t->base) {
		t->start = t->archive;
		t->start_g = t->arch_g;
	} else {
		t->start = t->base;
		t->start_g = t->base_g;
	}
}

/* Where @bytes first differ from @want: print it, return -EBADMSG. */
static int itest_r_diff(const char *how, const char *what, u32 n, u64 lsn,
			const u8 *want, const u8 *got, u32 len)
{
	u32 off = 0, show;

	while (want[off] == got[off])
		off++;
	show = min(len - off, ITEST_SHOW);
	pr_err("%s: %s %u at LSN %#llx (%u bytes): first difference at offset %u: want %*ph, got %*ph\n",
	       how, what, n, lsn, len, off, show, want + off, show, got + off);
	return -EBADMSG;
}

/* Record @i of cycle @c as read back; its LSN is learnt if unknown. */
static int itest_r_check_data(struct itest *t, u32 c, u32 i,
			      const struct clfs_record *rec, const char *how)
{
	u32 g = t->cg[c] + i, len = itest_r_len(g);
	u64 prev = i ? t->lsns[g - 1] : CLFS_LSN_INVALID;

	if (itest_known(t->lsns[g]) && rec->lsn != t->lsns[g]) {
		pr_err("%s: record %u (cycle %u, #%u) at LSN %#llx, want %#llx\n",
		       how, g, c, i, rec->lsn, t->lsns[g]);
		return -EBADMSG;
	}
	/* A scan that starts inside a cycle may not know the previous LSN. */
	if (rec->type != CLFS_RECORD_DATA || rec->length != len ||
	    ((!i || itest_known(prev)) && rec->previous != prev) ||
	    rec->undo_next != CLFS_LSN_INVALID) {
		pr_err("%s: record %u (cycle %u, #%u) at LSN %#llx: type %u, length %u, previous %#llx, undo-next %#llx; want type %u, length %u, previous %#llx, undo-next %#llx\n",
		       how, g, c, i, rec->lsn, rec->type, rec->length,
		       rec->previous, rec->undo_next, CLFS_RECORD_DATA, len,
		       prev, CLFS_LSN_INVALID);
		return -EBADMSG;
	}
	itest_fill(t->buf, g, len);
	if (memcmp(rec->data, t->buf, len))
		return itest_r_diff(how, "record", g, rec->lsn, t->buf,
				    rec->data, len);
	t->lsns[g] = rec->lsn;
	return 0;
}

/*
 * Cycle @c's restart area as read back.  Its LSN, and the LSN of the
 * restart area before it, are learnt if unknown (the latter from the
 * data, which holds what clfs_write_restart() returned for it).
 */
static int itest_r_check_restart(struct itest *t, u32 c,
				 const struct clfs_record *rec,
				 const char *how)
{
	u32 len = itest_r_rlen(c);
	u64 prev = c ? t->rlsn[c - 1] : CLFS_LSN_INVALID;

	if (itest_known(t->rlsn[c]) && rec->lsn != t->rlsn[c]) {
		pr_err("%s: restart area of cycle %u at LSN %#llx, want %#llx\n",
		       how, c, rec->lsn, t->rlsn[c]);
		return -EBADMSG;
	}
	if (rec->type != CLFS_RECORD_RESTART || rec->length != len) {
		pr_err("%s: restart area of cycle %u at LSN %#llx: type %u, length %u (data says cycle %llu); want type %u, length %u\n",
		       how, c, rec->lsn, rec->type, rec->length,
		       rec->length >= 8 ? itest_get_le((const u8 *)rec->data + 4, 4) : 0,
		       CLFS_RECORD_RESTART, len);
		return -EBADMSG;
	}
	if (c && !itest_known(prev))
		prev = itest_get_le((const u8 *)rec->data + 16, 8);
	itest_r_rdata(t->rbuf, c, prev);
	if (memcmp(rec->data, t->rbuf, len))
		return itest_r_diff(how, "restart area of cycle", c, rec->lsn,
				    t->rbuf, rec->data, len);
	if (rec->previous != prev || rec->undo_next != CLFS_LSN_INVALID) {
		pr_err("%s: restart area of cycle %u at LSN %#llx: previous %#llx, undo-next %#llx; want %#llx, %#llx\n",
		       how, c, rec->lsn, rec->previous, rec->undo_next, prev,
		       CLFS_LSN_INVALID);
		return -EBADMSG;
	}
	t->rlsn[c] = rec->lsn;
	if (c)
		t->rlsn[c - 1] = prev;
	return 0;
}

/*
 * clfs_log_query's answer for the restart ops: the geometry, the tails,
 * the restart LSN, the first and last LSN, flushed_lsn in [@t->flushed,
 * @t->last], the reservations, the counters since open, the same uuid
 * throughout and a metadata generation that never goes back.
 */
static int itest_r_query(struct itest *t, const char *how)
{
	struct clfs_log_info info = { .size = sizeof(info) };
	u64 restart = t->done ? t->rlsn[t->done - 1] : CLFS_LSN_INVALID;
	u64 first = CLFS_LSN_INVALID;
	u64 total = ITEST_R_CONTAINERS *
		    (ITEST_R_CONTAINER_SIZE - CLFS_BLOCKS_START);
	bool bad = false;
	int ret;

	if (itest_known(t->last))
		first = t->start ? t->start : t->lsns[0];
	ret = clfs_log_query(t->log, &info);
	if (ret) {
		pr_err("%s: clfs_log_query: error %d\n", how, ret);
		return ret;
	}
	bad |= itest_query_common(t, &info, how, ITEST_R_BLOCK_SIZE,
				  ITEST_R_CONTAINER_SIZE, ITEST_R_CONTAINERS);
	bad |= itest_differs(how, "base_lsn", info.base_lsn, t->base);
	bad |= itest_differs(how, "archive_tail", info.archive_tail,
			     t->archive);
	bad |= itest_differs(how, "restart_lsn", info.restart_lsn, restart);
	bad |= itest_differs(how, "first_lsn", info.first_lsn, first);
	bad |= itest_differs(how, "last_lsn", info.last_lsn, t->last);
	bad |= itest_differs(how, "reserved_records", info.reserved_records,
			     t->rsv_records);
	bad |= itest_differs(how, "reserved_bytes", info.reserved_bytes,
			     t->rsv_bytes);
	bad |= itest_differs(how, "total_bytes", info.total_bytes, total);
	if (info.free_bytes > info.total_bytes ||
	    info.reserved_bytes > info.free_bytes) {
		pr_err("%s: clfs_log_info: free_bytes %llu, total_bytes %llu, reserved_bytes %llu; want reserved <= free <= total\n",
		       how, info.free_bytes, info.total_bytes,
		       info.reserved_bytes);
		bad = true;
	}
	if (itest_known(t->flushed) ?
	    info.flushed_lsn < t->flushed || info.flushed_lsn > t->last :
	    itest_known(info.flushed_lsn) && info.flushed_lsn > t->last) {
		pr_err("%s: clfs_log_info.flushed_lsn = %#llx, want %#llx..%#llx\n",
		       how, info.flushed_lsn, t->flushed, t->last);
		bad = true;
	}
	if (bad)
		return -EBADMSG;
	itest_query_keep(t, &info);
	return 0;
}

/*
 * Walk the restart chain: clfs_read_restart() must give the newest
 * restart area (cycle @t->done - 1), and clfs_read_previous_restart() each
 * older one down to the cycle of the start of the active log (the oldest
 * restart area at or above it), then -ENOENT.
 */
static int itest_r_chain(struct itest *t, const char *how)
{
	u32 oldest = t->start ? itest_r_cycle_of(t, t->start_g) : 0, c;
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	int ret;

	t->chain = 0;
	ret = clfs_read_restart(t->log, &ctx, &rec);
	if (!t->done) {
		if (!ret) {
			t->reads++;
			clfs_read_terminate(ctx);
		}
		if (ret == -ENODATA)
			return 0;
		pr_err("%s: clfs_read_restart on a log without restart areas: %d, want %d\n",
		       how, ret, -ENODATA);
		return -EBADMSG;
	}
	if (ret) {
		pr_err("%s: clfs_read_restart: error %d\n", how, ret);
		return ret;
	}
	c = t->done - 1;
	for (;;) {
		t->reads++;
		t->chain++;
		ret = itest_r_check_restart(t, c, &rec, how);
		if (ret)
			break;
		ret = clfs_read_previous_restart(ctx, &rec);
		if (ret == -ENOENT && c == oldest) {
			ret = 0;
			break;
		}
		if (ret == -ENOENT) {
			pr_err("%s: the restart chain ends at cycle %u (LSN %#llx); want it down to cycle %u, the start %#llx's\n",
			       how, c, t->rlsn[c], oldest, t->start);
			ret = -EBADMSG;
			break;
		}
		if (ret) {
			pr_err("%s: clfs_read_previous_restart after cycle %u (LSN %#llx): error %d\n",
			       how, c, t->rlsn[c], ret);
			break;
		}
		if (c == oldest) {
			t->reads++;
			pr_err("%s: the restart chain goes on past cycle %u to LSN %#llx, below the start %#llx\n",
			       how, c, rec.lsn, t->start);
			ret = -EBADMSG;
			break;
		}
		c--;
	}
	clfs_read_terminate(ctx);
	return ret;
}

/*
 * Read the log forward from its first record (clfs_log_query's first_lsn,
 * which must be the start): from record @t->start_g on, each cycle's
 * records then its restart area, through cycle @t->done - 1, then at
 * least @t->n_cur and at most @max_tail records of cycle @t->done, then
 * the end.  LSNs strictly increase; unknown ones are learnt, and so is
 * @t->n_cur.
 */
static int itest_r_scan(struct itest *t, u32 max_tail, const char *how)
{
	struct clfs_log_info info = { .size = sizeof(info) };
	u32 g0 = t->start ? t->start_g : 0;
	u32 c = itest_r_cycle_of(t, g0), i = g0 - t->cg[c];
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	u64 seen = CLFS_LSN_NULL;
	int ret;

	t->scanned = 0;
	ret = clfs_log_query(t->log, &info);
	if (ret) {
		pr_err("%s: clfs_log_query: error %d\n", how, ret);
		return ret;
	}
	if (!clfs_lsn_is_valid(info.first_lsn) ||
	    (itest_known(t->lsns[g0]) && info.first_lsn != t->lsns[g0])) {
		pr_err("%s: first_lsn %#llx; want record %u's LSN %#llx\n",
		       how, info.first_lsn, g0, t->lsns[g0]);
		return -EBADMSG;
	}
	ret = clfs_read_record(t->log, info.first_lsn, CLFS_READ_FORWARD,
			       CLFS_TYPE_ANY, &ctx, &rec);
	if (ret) {
		pr_err("%s: clfs_read_record(%#llx, forward): error %d\n",
		       how, info.first_lsn, ret);
		return ret;
	}
	for (;;) {
		t->reads++;
		if (rec.lsn <= seen) {
			pr_err("%s: LSN %#llx after %#llx\n", how, rec.lsn, seen);
			ret = -EBADMSG;
			break;
		}
		seen = rec.lsn;
		if (c < t->done && i == itest_r_count(c)) {
			ret = itest_r_check_restart(t, c, &rec, how);
			c++;
			i = 0;
		} else if (c < t->done || i < max_tail) {
			ret = itest_r_check_data(t, c, i, &rec, how);
			i++;
		} else {
			pr_err("%s: record at LSN %#llx (type %u, %u bytes) after the %u records of cycle %u the log may hold\n",
			       how, rec.lsn, rec.type, rec.length, i, c);
			ret = -EBADMSG;
		}
		if (ret)
			break;
		t->scanned++;
		ret = clfs_read_next(ctx, &rec);
		if (ret == -ENOENT) {
			ret = 0;
			break;
		}
		if (ret) {
			pr_err("%s: clfs_read_next after LSN %#llx: error %d\n",
			       how, seen, ret);
			break;
		}
	}
	clfs_read_terminate(ctx);
	if (ret)
		return ret;
	if (c < t->done || i < t->n_cur) {
		pr_err("%s: the log ends at LSN %#llx, in cycle %u before %s %u; want it through the restart area of cycle %u and %u records after it\n",
		       how, seen, c, c < t->done && i == itest_r_count(c) ?
		       "its restart area, record" : "record", i, t->done - 1,
		       t->n_cur);
		return -EBADMSG;
	}
	if (itest_known(t->last) && seen != t->last) {
		pr_err("%s: the log ends at LSN %#llx, want %#llx\n",
		       how, seen, t->last);
		return -EBADMSG;
	}
	t->n_cur = i;
	t->last = seen;
	return 0;
}

/* The record at @lsn, @what, must be gone (-ENOENT); unknown: skipped. */
static int itest_r_gone(struct itest *t, u64 lsn, const char *what,
			const char *how)
{
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	int ret;

	if (!itest_known(lsn))
		return 0;
	ret = clfs_read_record(t->log, lsn, CLFS_READ_FORWARD, CLFS_TYPE_ANY,
			       &ctx, &rec);
	if (!ret) {
		t->reads++;
		clfs_read_terminate(ctx);
		pr_err("%s: %s at LSN %#llx is still readable (type %u, %u bytes; start %#llx, last %#llx)\n",
		       how, what, lsn, rec.type, rec.length, t->start, t->last);
		return -EBADMSG;
	}
	if (ret != -ENOENT) {
		pr_err("%s: clfs_read_record(%#llx) of %s: error %d, want %d\n",
		       how, lsn, what, ret, -ENOENT);
		return -EBADMSG;
	}
	t->gone++;
	return 0;
}

/*
 * The records just below the start, the first record of its cycle and
 * of the cycle before, the restart area before it and the log's first
 * record must all be gone.
 */
static int itest_r_gone_all(struct itest *t, const char *how)
{
	u32 g = t->start_g, cs = itest_r_cycle_of(t, g);
	int ret = 0;

	t->gone = 0;
	if (!t->start || !g)
		return 0;
	ret = itest_r_gone(t, t->lsns[g - 1], "the record before the start",
			   how);
	if (!ret && g > t->cg[cs])
		ret = itest_r_gone(t, t->lsns[t->cg[cs]],
				   "the first record of the start's cycle", how);
	if (!ret && cs)
		ret = itest_r_gone(t, t->lsns[t->cg[cs - 1]],
				   "the first record of the cycle before", how);
	if (!ret && cs)
		ret = itest_r_gone(t, t->rlsn[cs - 1],
				   "the restart area before the start", how);
	if (!ret)
		ret = itest_r_gone(t, t->lsns[0], "the first record ever", how);
	return ret;
}

/* All the checks of the log's state after a cycle. */
static int itest_r_checks(struct itest *t, const char *how)
{
	int ret;

	ret = itest_r_query(t, how);
	if (!ret)
		ret = itest_r_chain(t, how);
	if (!ret && itest_known(t->last))
		ret = itest_r_scan(t, t->n_cur, how);
	if (!ret)
		ret = itest_r_gone_all(t, how);
	if (!ret)
		ret = itest_r_query(t, how);
	return ret;
}

/* Append records [@t->n_cur, @to) of cycle @t->done, flags if @flags. */
static int itest_r_append(struct itest *t, u32 to, bool flags,
			  const char *how)
{
	u32 c = t->done, i, g, len, f;
	struct kvec iov[ITEST_MAX_IOV];
	unsigned int n_iov;
	u64 lsn;
	int ret;

	for (i = t->n_cur; i < to; i++) {
		g = t->cg[c] + i;
		len = itest_r_len(g);
		f = flags ? itest_r_flags(g) : 0;
		itest_fill(t->buf, g, len);
		n_iov = itest_split(g, len, t->buf, iov);
		lsn = CLFS_LSN_INVALID;
		ret = clfs_append(t->ma, iov, n_iov, CLFS_LSN_INVALID,
				  i ? t->lsns[g - 1] : CLFS_LSN_INVALID,
				  CLFS_RECORD_DATA, f, &lsn);
		if (ret) {
			pr_err("%s: append of record %u (cycle %u, #%u, %u bytes, flags %#x): error %d\n",
			       how, g, c, i, len, f, ret);
			return ret;
		}
		if (!clfs_lsn_is_valid(lsn) ||
		    (itest_known(t->last) && lsn <= t->last)) {
			pr_err("%s: record %u got LSN %#llx, not a valid LSN above the last %#llx\n",
			       how, g, lsn, t->last);
			return -EBADMSG;
		}
		t->lsns[g] = lsn;
		t->last = lsn;
		t->n_cur = i + 1;
		t->appends++;
		t->bytes += len;
	}
	return 0;
}

/* Reserve room for cycle @c's restart area; *@aligned: what it holds. */
static int itest_r_reserve(struct itest *t, u32 c, u32 *aligned,
			   const char *how)
{
	u32 size = itest_r_rsv(c), al = 0;
	s64 rsv = size;
	u64 total = 0;
	int ret;

	ret = clfs_align_reserved(t->ma, 1, &size, &al, &total);
	if (ret) {
		pr_err("%s: clfs_align_reserved(%u): error %d\n", how, size,
		       ret);
		return ret;
	}
	if (al < size || total != al) {
		pr_err("%s: clfs_align_reserved(%u): aligned %u, total %llu\n",
		       how, size, al, total);
		return -EBADMSG;
	}
	ret = clfs_reserve_and_append(t->ma, NULL, 0, CLFS_LSN_INVALID,
				      CLFS_LSN_INVALID, 1, &rsv, 0, NULL);
	if (ret) {
		pr_err("%s: clfs_reserve_and_append(reserve %u): error %d\n",
		       how, size, ret);
		return ret;
	}
	if (rsv != al) {
		pr_err("%s: clfs_reserve_and_append(reserve %u) rounded it to %lld, clfs_align_reserved to %u\n",
		       how, size, rsv, al);
		return -EBADMSG;
	}
	t->rsv_records++;
	t->rsv_bytes += al;
	*aligned = al;
	return itest_r_query(t, how);
}

/* Does cycle @c hold a set of reservations while it runs? */
static bool itest_r_holds_set(u32 c)
{
	return !itest_r_reserves(c) && c % 4 == 1;
}

/* The record sizes of cycle @c's set of reservations. */
static void itest_r_set_sizes(u32 c, u32 *sizes)
{
	sizes[0] = itest_r_rlen(c);
	sizes[1] = ITEST_R_MIN_LEN + itest_hash(c, 16) % ITEST_R_MAX_LEN;
	sizes[2] = 1 + itest_hash(c, 17) % ITEST_R_MIN_LEN;
}

/* A reservation call that must fail with @want and change nothing. */
static int itest_r_refused(struct itest *t, int ret, int want,
			   const char *call, const char *how)
{
	if (ret != want) {
		pr_err("%s: %s: %d, want %d\n", how, call, ret, want);
		return -EBADMSG;
	}
	return itest_r_query(t, how);
}

/*
 * Reserve cycle @c's set with clfs_alloc_reserved() (*@total: the bytes it
 * holds), after the calls that must be refused: a wrong total, a release
 * of what is not held, and a set larger than the log.
 */
static int itest_r_alloc_set(struct itest *t, u32 c, u64 *total,
			     const char *how)
{
	u32 sizes[ITEST_R_SET], al[ITEST_R_SET], *huge, k;
	u64 sum = 0, huge_total = 0;
	int ret;

	itest_r_set_sizes(c, sizes);
	ret = clfs_align_reserved(t->ma, ITEST_R_SET, sizes, al, total);
	if (ret) {
		pr_err("%s: clfs_align_reserved(%u, %u, %u): error %d\n",
		       how, sizes[0], sizes[1], sizes[2], ret);
		return ret;
	}
	for (k = 0; k < ITEST_R_SET; k++) {
		sum += al[k];
		if (al[k] < sizes[k])
			sum = U64_MAX;
	}
	if (sum != *total) {
		pr_err("%s: clfs_align_reserved(%u, %u, %u): aligned %u, %u, %u, total %llu\n",
		       how, sizes[0], sizes[1], sizes[2], al[0], al[1], al[2],
		       *total);
		return -EBADMSG;
	}
	ret = clfs_alloc_reserved(t->ma, ITEST_R_SET, sizes, *total + 1);
	ret = itest_r_refused(t, ret, -EINVAL,
			      "clfs_alloc_reserved with a wrong total", how);
	if (ret)
		return ret;
	ret = clfs_free_reserved(t->ma, ITEST_R_SET, sizes, *total);
	ret = itest_r_refused(t, ret, -ENOENT,
			      "clfs_free_reserved of reservations not held", how);
	if (ret)
		return ret;
	huge = kmalloc_array(CLFS_MAX_RESERVATIONS, sizeof(*huge), GFP_KERNEL);
	if (!huge)
		return -ENOMEM;
	for (k = 0; k < CLFS_MAX_RESERVATIONS; k++)
		huge[k] = ITEST_R_HUGE;
	ret = clfs_align_reserved(t->ma, CLFS_MAX_RESERVATIONS, huge, NULL,
				  &huge_total);
	if (!ret)
		ret = clfs_alloc_reserved(t->ma, CLFS_MAX_RESERVATIONS, huge,
					  huge_total);
	kfree(huge);
	ret = itest_r_refused(t, ret, -ENOSPC,
			      "clfs_alloc_reserved of more than the log holds",
			      how);
	if (ret)
		return ret;
	ret = clfs_alloc_reserved(t->ma, ITEST_R_SET, sizes, *total);
	if (ret) {
		pr_err("%s: clfs_alloc_reserved(%u, %u, %u; %llu bytes): error %d\n",
		       how, sizes[0], sizes[1], sizes[2], *total, ret);
		return ret;
	}
	t->rsv_records += ITEST_R_SET;
	t->rsv_bytes += *total;
	return itest_r_query(t, how);
}

/* Release cycle @c's set of @total bytes with clfs_free_reserved(). */
static int itest_r_free_set(struct itest *t, u32 c, u64 total,
			    const char *how)
{
	u32 sizes[ITEST_R_SET];
	int ret;

	itest_r_set_sizes(c, sizes);
	ret = clfs_free_reserved(t->ma, ITEST_R_SET, sizes, total);
	if (ret) {
		pr_err("%s: clfs_free_reserved(%u, %u, %u; %llu bytes): error %d\n",
		       how, sizes[0], sizes[1], sizes[2], total, ret);
		return ret;
	}
	t->rsv_records -= ITEST_R_SET;
	t->rsv_bytes -= total;
	return 0;
}

/* Does cycle @c fill the log with reservations before its restart area? */
static bool itest_r_fills(u32 c)
{
	return itest_r_reserves(c) && c % 7 == 3;
}

/*
 * Reserve room for records of ITEST_R_HUGE bytes until the log is full
 * (-ENOSPC), which must come before the reservations exceed the log's
 * size; *@n receives how many, *@al the bytes each holds.
 */
static int itest_r_fill(struct itest *t, u32 *n, u32 *al, const char *how)
{
	u32 size = ITEST_R_HUGE, cap;
	u64 total;
	int ret;

	*n = 0;
	ret = clfs_align_reserved(t->ma, 1, &size, al, &total);
	if (ret) {
		pr_err("%s: clfs_align_reserved(%u): error %d\n", how, size,
		       ret);
		return ret;
	}
	cap = (u32)div_u64(ITEST_R_CONTAINERS * ITEST_R_CONTAINER_SIZE, *al);
	for (;;) {
		ret = clfs_alloc_reserved(t->ma, 1, &size, *al);
		if (ret == -ENOSPC)
			break;
		if (ret) {
			pr_err("%s: clfs_alloc_reserved(%u) #%u: error %d\n",
			       how, size, *n + 1, ret);
			return ret;
		}
		t->rsv_records++;
		t->rsv_bytes += *al;
		if (++*n > cap) {
			pr_err("%s: %u reservations of %u bytes granted, more than the %u the whole log holds\n",
			       how, *n, *al, cap);
			return -EBADMSG;
		}
	}
	return itest_r_query(t, how);
}

/* Release the @n reservations of @al bytes that itest_r_fill() made. */
static int itest_r_unfill(struct itest *t, u32 n, u32 al, const char *how)
{
	u32 size = ITEST_R_HUGE, k;
	int ret;

	for (k = 0; k < n; k++) {
		ret = clfs_free_reserved(t->ma, 1, &size, al);
		if (ret) {
			pr_err("%s: clfs_free_reserved(%u) #%u: error %d\n",
			       how, size, k + 1, ret);
			return ret;
		}
		t->rsv_records--;
		t->rsv_bytes -= al;
	}
	return 0;
}

/* Does cycle @c move the base with clfs_advance_base()? */
static bool itest_r_advances(u32 c)
{
	return c >= 2 && c % 5 == 3;
}

/*
 * Move the base to @nb with clfs_advance_base(), after the calls that
 * must be refused: bad flags, a base below the current one, and an LSN in
 * range that names no record.
 */
static int itest_r_advance(struct itest *t, u64 nb, const char *how)
{
	u64 none = nb | CLFS_LSN_RECORD_MASK;
	int ret;

	ret = clfs_advance_base(t->ma, nb, 1);
	ret = itest_r_refused(t, ret, -EINVAL,
			      "clfs_advance_base with flags 1", how);
	if (!ret) {
		ret = clfs_advance_base(t->ma, CLFS_LSN_NULL, 0);
		ret = itest_r_refused(t, ret, -EINVAL,
				      "clfs_advance_base below the base", how);
	}
	if (!ret) {
		ret = clfs_advance_base(t->ma, none, 0);
		ret = itest_r_refused(t, ret, -EINVAL,
				      "clfs_advance_base to an LSN that names no record",
				      how);
	}
	if (ret)
		return ret;
	ret = clfs_advance_base(t->ma, nb, 0);
	if (ret)
		pr_err("%s: clfs_advance_base(%#llx): error %d\n", how, nb,
		       ret);
	return ret;
}

/*
 * Cycle @t->done: its records (from @t->n_cur on), its restart area with
 * the base move and the reservation, the archive tail, and the checks.
 */
static int itest_r_cycle(struct itest *t, const char *how)
{
	u32 c = t->done, n = itest_r_count(c), rlen = itest_r_rlen(c);
	u32 from = t->n_cur, al = 0, written = 0, flags = 0, n_fill = 0;
	u32 al_fill = 0;
	u64 lsn = CLFS_LSN_INVALID, nb = CLFS_LSN_INVALID, held, set = 0;
	bool adv = itest_r_advances(c);
	const char *tail = "";
	char recs[80], rsv[64] = "";
	int ret;

	itest_r_rdata(t->rbuf, c, c ? t->rlsn[c - 1] : CLFS_LSN_INVALID);
	if (!c) {
		/* No reservation is held: nothing may change. */
		ret = clfs_write_restart(t->ma, t->rbuf, rlen, NULL,
					 CLFS_FLAG_USE_RESERVATION, NULL, &lsn);
		if (ret != -ENOENT) {
			pr_err("%s: clfs_write_restart(USE_RESERVATION) without a reservation: %d, want %d\n",
			       how, ret, -ENOENT);
			return -EBADMSG;
		}
		ret = itest_r_query(t, how);
		if (ret)
			return ret;
	}
	if (itest_r_reserves(c)) {
		ret = itest_r_reserve(t, c, &al, how);
		if (ret)
			return ret;
		flags = CLFS_FLAG_USE_RESERVATION;
		strscpy(rsv, ", reserved", sizeof(rsv));
	} else if (itest_r_holds_set(c)) {
		ret = itest_r_alloc_set(t, c, &set, how);
		if (ret)
			return ret;
		strscpy(rsv, ", a set of reservations held", sizeof(rsv));
	}
	ret = itest_r_append(t, n, true, how);
	if (ret)
		return ret;
	if (itest_r_fills(c)) {
		/* The restart area's reservation must hold in a full log. */
		ret = itest_r_fill(t, &n_fill, &al_fill, how);
		if (ret)
			return ret;
		snprintf(rsv, sizeof(rsv), ", reserved in a log full of %u reservations",
			 n_fill + 1);
	}
	if (c >= 2)
		nb = t->lsns[t->cg[c - 2]];
	ret = clfs_write_restart(t->ma, t->rbuf, rlen,
				 itest_known(nb) && !adv ? &nb : NULL, flags,
				 &written, &lsn);
	if (ret) {
		pr_err("%s: cycle %u: clfs_write_restart(%u bytes, base %#llx, flags %#x): error %d\n",
		       how, c, rlen, nb, flags, ret);
		return ret;
	}
	if (!clfs_lsn_is_valid(lsn) || lsn <= t->last || !written) {
		pr_err("%s: cycle %u: clfs_write_restart gave LSN %#llx (want above the last record %#llx), %u bytes written\n",
		       how, c, lsn, t->last, written);
		return -EBADMSG;
	}
	t->rlsn[c] = lsn;
	t->last = lsn;
	t->flushed = lsn;
	t->appends++;
	t->bytes += rlen;
	t->done = c + 1;
	t->n_cur = 0;
	if (flags) {
		t->rsv_records--;
		t->rsv_bytes -= al;
	}
	if (set) {
		ret = itest_r_free_set(t, c, set, how);
		if (ret)
			return ret;
	}
	if (n_fill) {
		ret = itest_r_unfill(t, n_fill, al_fill, how);
		if (ret)
			return ret;
	}
	if (itest_known(nb) && adv) {
		ret = itest_r_advance(t, nb, how);
		if (ret)
			return ret;
		tail = ", clfs_advance_base";
	}
	if (itest_known(nb)) {
		t->base = nb;
		t->base_g = t->cg[c - 2];
	}

	/*
	 * The archive tail: set in the middle of the cycle before; from the
	 * second cycle after, the base has passed it and it holds records;
	 * it then moves to the base, and follows it.
	 */
	held = CLFS_LSN_INVALID;
	itest_r_set_start(t);
	if (c == ITEST_R_ARCHIVE) {
		ret = clfs_set_archive_tail(t->log, t->lsns[t->start_g - 1]);
		ret = itest_r_refused(t, ret, -EINVAL,
				      "clfs_set_archive_tail below the start",
				      how);
		if (ret)
			return ret;
		t->arch_g = t->cg[c - 1] + itest_r_count(c - 1) / 2;
		t->archive = t->lsns[t->arch_g];
		tail = ", archive tail set";
	} else if (c == ITEST_R_ARCHIVE + 2) {
		held = t->archive;
	} else if (c > ITEST_R_ARCHIVE + 2 && itest_known(t->archive)) {
		t->arch_g = t->base_g;
		t->archive = t->base;
	}
	if (c == ITEST_R_ARCHIVE || c > ITEST_R_ARCHIVE + 2) {
		ret = clfs_set_archive_tail(t->log, t->archive);
		if (ret) {
			pr_err("%s: cycle %u: clfs_set_archive_tail(%#llx): error %d\n",
			       how, c, t->archive, ret);
			return ret;
		}
	}
	itest_r_set_start(t);
	ret = itest_r_checks(t, how);
	if (ret)
		return ret;
	if (itest_known(held)) {
		if (t->start != held || t->base <= held) {
			pr_err("%s: cycle %u: the archive tail %#llx should hold records below the base %#llx\n",
			       how, c, held, t->base);
			return -EBADMSG;
		}
		pr_info("%s: cycle %u: the archive tail %#llx keeps records up to the base %#llx readable (%u records read from it): ok\n",
			how, c, held, t->base, t->scanned);
		t->arch_g = t->base_g;
		t->archive = t->base;
		ret = clfs_set_archive_tail(t->log, t->archive);
		if (ret) {
			pr_err("%s: cycle %u: clfs_set_archive_tail(%#llx): error %d\n",
			       how, c, t->archive, ret);
			return ret;
		}
		itest_r_set_start(t);
		ret = itest_r_checks(t, how);
		if (!ret)
			ret = itest_r_gone(t, held, "the old archive tail", how);
		if (ret)
			return ret;
		tail = ", archive tail moved to the base";
	}
	if (from < n)
		snprintf(recs, sizeof(recs), "records %u..%u at %#llx..%#llx",
			 t->cg[c] + from, t->cg[c] + n - 1,
			 t->lsns[t->cg[c] + from], t->lsns[t->cg[c] + n - 1]);
	else
		snprintf(recs, sizeof(recs), "its %u records already in", n);
	pr_info("%s: cycle %u: %s, restart area at %#llx (%u bytes, %u written%s), base %#llx%s; %u restart areas in the chain, %u records read forward, %u gone: ok\n",
		how, c, recs, lsn, rlen, written, rsv, t->base, tail, t->chain,
		t->scanned, t->gone);
	return 0;
}

/*
 * Truncate the log after the last data record of cycle @t->done - 1,
 * which drops the cycle's restart area and the @ITEST_R_TRUNC records of
 * the next cycle appended (and flushed) after it: the restart area before
 * becomes the log's, the dropped records are gone, and the cycle is run
 * again (its records are all in, so only its restart area is written).
 */
static int itest_r_truncate(struct itest *t, const char *how)
{
	u32 c = t->done - 1, n = itest_r_count(c), next = t->cg[c + 1], k;
	u64 end = t->lsns[next - 1], old = t->rlsn[c], first;
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	int ret;

	ret = itest_r_append(t, ITEST_R_TRUNC, true, how);
	if (!ret)
		ret = clfs_flush_buffers(t->ma);
	if (ret) {
		pr_err("%s: %u records and clfs_flush_buffers: error %d\n",
		       how, ITEST_R_TRUNC, ret);
		return ret;
	}
	t->flushed = t->last;
	ret = clfs_read_record(t->log, end, CLFS_READ_FORWARD, CLFS_TYPE_ANY,
			       &ctx, &rec);
	if (ret) {
		pr_err("%s: clfs_read_record(%#llx): error %d\n", how, end, ret);
		return ret;
	}
	t->reads++;
	ret = clfs_truncate(t->ma, end);
	clfs_read_terminate(ctx);
	ret = itest_r_refused(t, ret, -EBUSY,
			      "clfs_truncate with a read context open", how);
	if (!ret) {
		ret = clfs_truncate(t->ma, t->lsns[t->start_g] - 1);
		ret = itest_r_refused(t, ret, -EINVAL,
				      "clfs_truncate below the start", how);
	}
	if (ret)
		return ret;
	ret = clfs_truncate(t->ma, end);
	if (ret) {
		pr_err("%s: clfs_truncate(%#llx): error %d\n", how, end, ret);
		return ret;
	}
	ret = itest_r_gone(t, old, "the truncated restart area", how);
	for (k = 0; !ret && k < ITEST_R_TRUNC; k++)
		ret = itest_r_gone(t, t->lsns[next + k], "a truncated record",
				   how);
	if (ret)
		return ret;
	first = t->lsns[next];
	for (k = 0; k < ITEST_R_TRUNC; k++)
		t->lsns[next + k] = CLFS_LSN_INVALID;
	t->rlsn[c] = CLFS_LSN_INVALID;
	t->done = c;
	t->n_cur = n;
	t->last = end;
	t->flushed = end;
	ret = itest_r_checks(t, how);
	if (ret)
		return ret;
	pr_info("%s: truncated after %#llx, the last record of cycle %u: its restart area %#llx and %u records after it gone, the restart area of cycle %u at %#llx the newest: ok\n",
		how, end, c, old, ITEST_R_TRUNC, c - 1, t->rlsn[c - 1]);

	/* Recovery must end the log at the truncation point too. */
	ret = itest_stop(t, "rverify: truncate: close");
	if (ret)
		return ret;
	ret = itest_start(t, false, "rverify: truncate: reopen");
	if (ret)
		return ret;
	ret = itest_r_checks(t, "rverify: truncate: reopen");
	if (!ret)
		ret = itest_r_gone(t, old, "the truncated restart area",
				   "rverify: truncate: reopen");
	if (!ret)
		ret = itest_r_gone(t, first, "the first truncated record",
				   "rverify: truncate: reopen");
	if (ret)
		return ret;
	pr_info("rverify: truncate: reopen: the log ends at %#llx, the restart area of cycle %u at %#llx the newest, %u records read forward from the base: ok\n",
		t->last, c - 1, t->rlsn[c - 1], t->scanned);
	return itest_r_cycle(t, how);
}

/* Set up the restart workload's tables for @n cycles (and a partial). */
static int itest_r_init(struct itest *t, u32 n)
{
	u32 c, g;

	t->r = true;
	t->n_cycles = n + 1;
	t->cg = kvmalloc_array(t->n_cycles + 1, sizeof(*t->cg), GFP_KERNEL);
	t->rlsn = kvmalloc_array(t->n_cycles, sizeof(*t->rlsn), GFP_KERNEL);
	t->rbuf = kmalloc(ITEST_R_MAX_DATA, GFP_KERNEL);
	if (!t->cg || !t->rlsn || !t->rbuf)
		return -ENOMEM;
	for (c = 0; c <= t->n_cycles; c++)
		t->cg[c] = c ? t->cg[c - 1] + itest_r_count(c - 1) : 0;
	for (c = 0; c < t->n_cycles; c++)
		t->rlsn[c] = CLFS_LSN_INVALID;
	t->cap = t->cg[t->n_cycles];
	t->lsns = kvmalloc_array(t->cap, sizeof(*t->lsns), GFP_KERNEL);
	if (!t->lsns)
		return -ENOMEM;
	for (g = 0; g < t->cap; g++)
		t->lsns[g] = CLFS_LSN_INVALID;
	t->last = CLFS_LSN_INVALID;
	t->flushed = CLFS_LSN_INVALID;
	t->base = CLFS_LSN_NULL;
	t->archive = CLFS_LSN_INVALID;
	return 0;
}

static int itest_rwrite(struct itest *t)
{
	u32 k = itest_cycles, wraps;
	int ret;

	ret = itest_start(t, true, "rwrite: create");
	if (ret)
		return ret;
	ret = itest_r_checks(t, "rwrite: empty log");
	if (ret)
		goto stop_log;
	while (t->done < k) {
		ret = itest_r_cycle(t, "rwrite");
		if (ret)
			goto stop_log;
	}
	wraps = clfs_lsn_container(t->rlsn[k - 1]) / ITEST_R_CONTAINERS;
	if (wraps < ITEST_R_WRAPS) {
		pr_err("rwrite: the last restart area %#llx is in logical container %u: the log of %u containers wrapped %u times, want %u\n",
		       t->rlsn[k - 1], clfs_lsn_container(t->rlsn[k - 1]),
		       ITEST_R_CONTAINERS, wraps, ITEST_R_WRAPS);
		ret = -EBADMSG;
		goto stop_log;
	}
	pr_info("rwrite: %u cycles, the last restart area at %#llx in logical container %u: the log wrapped %u times: ok\n",
		k, t->rlsn[k - 1], clfs_lsn_container(t->rlsn[k - 1]), wraps);
	ret = itest_r_append(t, itest_extra, false, "rwrite: append, no flush");
	if (ret)
		goto stop_log;
	ret = itest_r_query(t, "rwrite: after the unflushed appends");
	if (ret)
		goto stop_log;
	pr_info("rwrite: restart area of cycle %u at %#llx, base %#llx, %u records of cycle %u appended after it without a flush%s%#llx; the log stays open\n",
		k - 1, t->rlsn[k - 1], t->base, itest_extra, k,
		itest_extra ? ", up to " : "", t->last);
	return 0;

stop_log:
	itest_stop(t, "rwrite: close after the failure");
	return ret;
}

static int itest_rverify(struct itest *t)
{
	struct clfs_log_info info = { .size = sizeof(info) };
	u32 k = itest_cycles, found, c;
	int ret;

	ret = itest_start(t, false, "rverify: open (recovery)");
	if (ret)
		return ret;
	ret = clfs_log_query(t->log, &info);
	if (ret) {
		pr_err("rverify: clfs_log_query: error %d\n", ret);
		goto stop_log;
	}
	/*
	 * The last restart area moved the base to the first record of cycle
	 * k - 3, and the archive tail followed; the records from there on
	 * are all that is left, and their LSNs are learnt.
	 */
	t->done = k;
	t->rlsn[k - 1] = info.restart_lsn;
	t->base = info.base_lsn;
	t->base_g = t->cg[k - 3];
	t->lsns[t->base_g] = info.base_lsn;
	t->archive = info.base_lsn;
	t->arch_g = t->base_g;
	itest_r_set_start(t);
	if (!clfs_lsn_is_valid(info.restart_lsn) ||
	    !clfs_lsn_is_valid(info.base_lsn) || !info.base_lsn ||
	    info.archive_tail != info.base_lsn ||
	    info.first_lsn != info.base_lsn ||
	    info.base_lsn >= info.restart_lsn) {
		pr_err("rverify: after recovery: restart LSN %#llx, base %#llx, archive tail %#llx, first LSN %#llx; want a restart LSN above the base, and the archive tail and the first LSN at the base\n",
		       info.restart_lsn, info.base_lsn, info.archive_tail,
		       info.first_lsn);
		ret = -EBADMSG;
		goto stop_log;
	}
	ret = itest_r_chain(t, "rverify: restart chain");
	if (ret)
		goto stop_log;
	pr_info("rverify: the newest restart area is cycle %u's at %#llx, byte for byte; the chain walks back through %u restart areas to cycle %u's at %#llx and ends: ok\n",
		k - 1, t->rlsn[k - 1], t->chain, k - t->chain,
		t->rlsn[k - t->chain]);
	ret = itest_r_scan(t, itest_extra, "rverify: forward");
	if (ret)
		goto stop_log;
	found = t->n_cur;
	t->flushed = t->last;
	pr_info("rverify: read %u records forward from the base %#llx (record 0 of cycle %u) to %#llx, restart areas where they belong, byte for byte; %u of the %u records appended after the last restart area: ok\n",
		t->scanned, t->base, k - 3, t->last, found, itest_extra);
	ret = itest_r_gone_all(t, "rverify: below the base");
	if (ret)
		goto stop_log;
	ret = itest_r_query(t, "rverify: after recovery");
	if (ret)
		goto stop_log;
	pr_info("rverify: LSNs below the base gone: %u; clfs_log_info: base %#llx, archive tail %#llx, restart LSN %#llx: ok\n",
		t->gone, t->base, t->archive, t->rlsn[k - 1]);
	while (t->done < k + itest_more_cycles) {
		ret = itest_r_cycle(t, "rverify");
		if (ret)
			goto stop_log;
	}
	ret = itest_r_truncate(t, "rverify: truncate");
	if (ret)
		goto stop_log;
	ret = itest_stop(t, "rverify: clean close");
	if (ret)
		return ret;

	ret = itest_start(t, false, "rverify: reopen");
	if (ret)
		return ret;
	ret = itest_r_checks(t, "rverify: reopen");
	if (ret)
		goto stop_log;
	c = t->done - 1;
	pr_info("rverify: reopen: the newest restart area is cycle %u's at %#llx, the chain holds %u, %u records read forward from the base %#llx, %u gone below it: ok\n",
		c, t->rlsn[c], t->chain, t->scanned, t->base, t->gone);
	ret = itest_stop(t, "rverify: final close");
	if (ret)
		return ret;
	pr_info("rverify: %u cycles (%u before the crash, %u after), the restart area of cycle %u in logical container %u\n",
		t->done, k, t->done - k, c, clfs_lsn_container(t->rlsn[c]));
	return 0;

stop_log:
	if (t->log)
		itest_stop(t, "rverify: close after the failure");
	return ret;
}

static void itest_free(struct itest *t)
{
	kfree(t->rbuf);
	kvfree(t->rlsn);
	kvfree(t->cg);
	kfree(t->buf);
	kvfree(t->lsns);
	kfree(t);
}

static const char *const itest_ops[] = { "write", "verify", "rwrite",
					 "rverify" };

/* The op named @name (a newline may follow), or -EINVAL. */
static int itest_op_index(const char *name)
{
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(itest_ops); k++)
		if (sysfs_streq(name, itest_ops[k]))
			return (int)k;
	return -EINVAL;
}

static int itest_check_params(bool r)
{
	if (!r && (!itest_records || itest_records > ITEST_MAX_COUNT ||
		   itest_extra > ITEST_MAX_COUNT ||
		   itest_more > ITEST_MAX_COUNT)) {
		pr_err("records must be in 1..%u, extra and more in 0..%u\n",
		       ITEST_MAX_COUNT, ITEST_MAX_COUNT);
		return -EINVAL;
	}
	if (r && (itest_cycles < ITEST_R_MIN_CYCLES ||
		  itest_cycles > ITEST_R_MAX_CYCLES ||
		  itest_more_cycles > ITEST_R_MAX_CYCLES ||
		  itest_extra > ITEST_R_MIN_RECORDS)) {
		pr_err("cycles must be in %u..%u, more_cycles in 0..%u, extra in 0..%u\n",
		       ITEST_R_MIN_CYCLES, ITEST_R_MAX_CYCLES,
		       ITEST_R_MAX_CYCLES, ITEST_R_MIN_RECORDS);
		return -EINVAL;
	}
	return 0;
}

/* Run op @op with the current parameters (itest_lock held). */
static int itest_main(int op)
{
	const char *name = itest_ops[op];
	bool r = op >= 2, live = !(op & 1);
	struct itest *t;
	int ret;

	lockdep_assert_held(&itest_lock);
	ret = itest_check_params(r);
	if (ret)
		return ret;
	if (r)
		pr_info("op=%s dev=%s seed=%u cycles=%u more_cycles=%u extra=%u\n",
			name, itest_dev, itest_seed, itest_cycles,
			itest_more_cycles, itest_extra);
	else
		pr_info("op=%s dev=%s seed=%u records=%u extra=%u more=%u span=%u\n",
			name, itest_dev, itest_seed, itest_records,
			itest_extra, itest_more, itest_span);

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	INIT_LIST_HEAD(&t->node);
	t->buf = kmalloc(ITEST_BUF_SIZE, GFP_KERNEL);
	if (!t->buf) {
		ret = -ENOMEM;
		goto free_itest;
	}
	if (r) {
		ret = itest_r_init(t, itest_cycles + itest_more_cycles);
		if (ret)
			goto free_itest;
	} else {
		t->cap = itest_records + itest_extra + itest_more;
		t->lsns = kvmalloc_array(t->cap, sizeof(*t->lsns), GFP_KERNEL);
		if (!t->lsns) {
			ret = -ENOMEM;
			goto free_itest;
		}
	}

	switch (op) {
	case 0:
		ret = itest_write(t);
		break;
	case 1:
		ret = itest_verify(t);
		break;
	case 2:
		ret = itest_rwrite(t);
		break;
	default:
		ret = itest_rverify(t);
		break;
	}
	if (ret) {
		pr_err("op=%s: FAIL (error %d)\n", name, ret);
		goto free_itest;
	}
	pr_info("op=%s: PASS\n", name);
	if (live)
		list_add_tail(&t->node, &itest_live);
	else
		itest_free(t);
	return 0;

free_itest:
	itest_free(t);
	return ret;
}

/*
 * Writing an op to the run parameter runs it in the loaded module, with
 * the parameters as they are then; the write fails with the op's error.
 */
static int itest_run_set(const char *val, const struct kernel_param *kp)
{
	int op = itest_op_index(val), ret;

	if (op < 0) {
		pr_err("run=%s: want write, verify, rwrite or rverify\n", val);
		return -EINVAL;
	}
	mutex_lock(&itest_lock);
	if (itest_loaded) {
		ret = itest_main(op);
	} else {
		pr_err("run= runs an op in the loaded module; load it with op=\n");
		ret = -EINVAL;
	}
	mutex_unlock(&itest_lock);
	return ret;
}

static const struct kernel_param_ops itest_run_ops = {
	.set = itest_run_set,
};
module_param_cb(run, &itest_run_ops, NULL, 0200);
MODULE_PARM_DESC(run, "write an op here to run it in the loaded module");

static int __init clfs_itest_init(void)
{
	int op = itest_op_index(itest_op), ret;

	if (op < 0) {
		pr_err("op=%s: want op=write, op=verify, op=rwrite or op=rverify\n",
		       itest_op);
		return -EINVAL;
	}
	mutex_lock(&itest_lock);
	ret = itest_main(op);
	itest_loaded = !ret;
	mutex_unlock(&itest_lock);
	return ret;
}

static void __exit clfs_itest_exit(void)
{
	struct itest *t, *tmp;

	mutex_lock(&itest_lock);
	list_for_each_entry_safe(t, tmp, &itest_live, node) {
		list_del(&t->node);
		itest_stop(t, "unload: clean close");
		itest_free(t);
	}
	mutex_unlock(&itest_lock);
}

module_init(clfs_itest_init);
module_exit(clfs_itest_exit);

MODULE_DESCRIPTION("clfs integration test client (crash-reboot tests)");
MODULE_AUTHOR("The clfs developers");
MODULE_LICENSE("GPL");

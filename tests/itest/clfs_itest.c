// SPDX-License-Identifier: GPL-2.0
/*
 * clfs_itest: the in-kernel client behind the crash-reboot integration
 * tests (tests/integration/reboot/).  There is no user-space interface to
 * logs yet, so a test drives the log service from here, through the
 * exported API of include/clfs.h and nothing else.
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
 *
 * The workload is a pure function of @seed and the record index: the
 * length (1..3000 bytes), the bytes, the flags, the flush calls and how
 * the record is split into kvecs.  Record i's previous LSN is record
 * i - 1's (CLFS_LSN_INVALID for record 0), and its undo-next LSN is record
 * i - 2's for even i >= 2, else CLFS_LSN_INVALID.  op=verify therefore
 * recomputes everything op=write appended with no state shared between
 * the two boots but the disk.
 *
 * Check failures return -EBADMSG; errors of the clfs calls are returned
 * as they are.
 */
#define pr_fmt(fmt) "clfs_itest: " fmt

#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>

#include <clfs.h>

#define ITEST_BLOCK_SIZE	(64U << 10)
#define ITEST_CONTAINER_SIZE	(4ULL << 20)
#define ITEST_CONTAINERS	8U
#define ITEST_MA_BUFFERS	8U
#define ITEST_MAX_LEN		3000U
#define ITEST_MAX_IOV		3U
#define ITEST_MAX_COUNT		100000U
#define ITEST_SHOW		16U

static char *itest_dev = "/dev/vda";
module_param_named(dev, itest_dev, charp, 0444);
MODULE_PARM_DESC(dev, "block device of the log");

static char *itest_op = "";
module_param_named(op, itest_op, charp, 0444);
MODULE_PARM_DESC(op, "write (create, fill, leave open for a crash) or verify (recover and check)");

static unsigned int itest_seed = 1;
module_param_named(seed, itest_seed, uint, 0444);
MODULE_PARM_DESC(seed, "seed of the workload");

static unsigned int itest_records = 300;
module_param_named(records, itest_records, uint, 0444);
MODULE_PARM_DESC(records, "records op=write appends and flushes");

static unsigned int itest_extra = 5;
module_param_named(extra, itest_extra, uint, 0444);
MODULE_PARM_DESC(extra, "records op=write appends after its last flush");

static unsigned int itest_more = 50;
module_param_named(more, itest_more, uint, 0444);
MODULE_PARM_DESC(more, "records op=verify appends before its clean close");

static unsigned int itest_span = 1;
module_param_named(span, itest_span, uint, 0444);
MODULE_PARM_DESC(span, "logical containers the flushed records must span at least");

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
};

/* The log a successful op=write leaves open; module_exit closes it. */
static struct itest *itest_live;

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
	ret = clfs_read_record(t->ma, info.first_lsn, CLFS_READ_FORWARD,
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

	ret = clfs_read_record(t->ma, t->lsns[k], CLFS_READ_PREVIOUS,
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
	bad |= itest_differs(how, "size", info.size, sizeof(info));
	bad |= itest_differs(how, "flags", info.flags, 0);
	bad |= itest_differs(how, "block_size", info.block_size,
			     ITEST_BLOCK_SIZE);
	bad |= itest_differs(how, "container_size", info.container_size,
			     ITEST_CONTAINER_SIZE);
	bad |= itest_differs(how, "n_containers", info.n_containers,
			     ITEST_CONTAINERS);
	bad |= itest_differs(how, "first_lsn", info.first_lsn, first);
	bad |= itest_differs(how, "last_lsn", info.last_lsn, last);
	bad |= itest_differs(how, "appends", info.appends, t->appends);
	bad |= itest_differs(how, "append_bytes", info.append_bytes, t->bytes);
	bad |= itest_differs(how, "reads", info.reads, t->reads);
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
	if (!memchr_inv(info.uuid, 0, sizeof(info.uuid))) {
		pr_err("%s: clfs_log_info.uuid is all zero\n", how);
		bad = true;
	}
	if (t->have_uuid && memcmp(info.uuid, t->uuid, sizeof(t->uuid))) {
		pr_err("%s: clfs_log_info.uuid changed from %pU to %pU\n",
		       how, t->uuid, info.uuid);
		bad = true;
	}
	if (info.generation < t->generation) {
		pr_err("%s: clfs_log_info.generation went back from %llu to %llu\n",
		       how, t->generation, info.generation);
		bad = true;
	}
	if (bad)
		return -EBADMSG;
	memcpy(t->uuid, info.uuid, sizeof(t->uuid));
	t->have_uuid = true;
	t->generation = info.generation;
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
		.block_size = ITEST_BLOCK_SIZE,
		.n_containers = ITEST_CONTAINERS,
		.container_size = ITEST_CONTAINER_SIZE,
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
	ret = clfs_marshal_create(t->log, ITEST_BLOCK_SIZE, ITEST_MA_BUFFERS,
				  &t->ma);
	if (ret) {
		pr_err("%s: clfs_marshal_create(%u, %u): error %d\n",
		       how, ITEST_BLOCK_SIZE, ITEST_MA_BUFFERS, ret);
		goto close_log;
	}
	t->appends = 0;
	t->bytes = 0;
	t->reads = 0;
	pr_info("%s: %s(%s) and clfs_marshal_create(%u, %u): ok\n",
		how, call, itest_dev, ITEST_BLOCK_SIZE, ITEST_MA_BUFFERS);
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

static void itest_free(struct itest *t)
{
	kfree(t->buf);
	kvfree(t->lsns);
	kfree(t);
}

static int __init clfs_itest_init(void)
{
	bool write = !strcmp(itest_op, "write");
	struct itest *t;
	int ret;

	if (!write && strcmp(itest_op, "verify")) {
		pr_err("op=%s: want op=write or op=verify\n", itest_op);
		return -EINVAL;
	}
	if (!itest_records || itest_records > ITEST_MAX_COUNT ||
	    itest_extra > ITEST_MAX_COUNT || itest_more > ITEST_MAX_COUNT) {
		pr_err("records must be in 1..%u, extra and more in 0..%u\n",
		       ITEST_MAX_COUNT, ITEST_MAX_COUNT);
		return -EINVAL;
	}
	pr_info("op=%s dev=%s seed=%u records=%u extra=%u more=%u span=%u\n",
		itest_op, itest_dev, itest_seed, itest_records, itest_extra,
		itest_more, itest_span);

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->cap = itest_records + itest_extra + itest_more;
	t->lsns = kvmalloc_array(t->cap, sizeof(*t->lsns), GFP_KERNEL);
	if (!t->lsns) {
		ret = -ENOMEM;
		goto free_itest;
	}
	t->buf = kmalloc(ITEST_MAX_LEN, GFP_KERNEL);
	if (!t->buf) {
		ret = -ENOMEM;
		goto free_lsns;
	}

	ret = write ? itest_write(t) : itest_verify(t);
	if (ret) {
		pr_err("op=%s: FAIL (error %d)\n", itest_op, ret);
		goto free_buf;
	}
	pr_info("op=%s: PASS\n", itest_op);
	if (write)
		itest_live = t;
	else
		itest_free(t);
	return 0;

free_buf:
	kfree(t->buf);
free_lsns:
	kvfree(t->lsns);
free_itest:
	kfree(t);
	return ret;
}

static void __exit clfs_itest_exit(void)
{
	if (!itest_live)
		return;
	itest_stop(itest_live, "unload: clean close");
	itest_free(itest_live);
	itest_live = NULL;
}

module_init(clfs_itest_init);
module_exit(clfs_itest_exit);

MODULE_DESCRIPTION("clfs integration test client (crash-reboot tests)");
MODULE_AUTHOR("The clfs developers");
MODULE_LICENSE("GPL");

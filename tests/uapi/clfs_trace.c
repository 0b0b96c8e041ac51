// SPDX-License-Identifier: GPL-2.0
/*
 * clfs_trace: real crash traces.  A log runs on a dm-log-writes device,
 * which copies every write that reaches the disk, in the order the disk
 * made it durable, onto a log device, with a mark after each
 * acknowledgement; the trace is then replayed entry by entry onto a fresh
 * image, and the log is checked at every point a crash could leave.
 * Runs inside the QEMU guests (tests/integration/07-trace.sh).
 *
 *   clfs_trace record [-s SEED] [-n ACKS] DATA LOGDEV MANIFEST
 *	DATA (zeroed) gets a dm-log-writes device over it that logs to
 *	LOGDEV; a log is created on that device and ACKS acknowledgements
 *	made (FORCE_FLUSH appends, unforced appends and FORCE_APPENDs
 *	followed by FLUSH_BUFFERS or FLUSH_TO_LSN, restart areas; records
 *	of 1 byte to 12,000 bytes); after each, the mark "ack-N" goes into
 *	the trace.  MANIFEST receives every record in log order with its
 *	LSN and the acknowledgement that made it durable.
 *
 *   clfs_trace replay [-k EVERY] LOGDEV MANIFEST IMAGE SCRATCH
 *	Applies the trace's entries one by one to IMAGE (a zeroed file the
 *	size of DATA).  At every point after the log's creation returned
 *	that is a write or a flush (a cache flush or a FUA write), the
 *	offline reader (tools/lib/clfs_image.c, as clfsctl check) opens,
 *	recovers and cross-checks the image, and its records must be an
 *	exact prefix of MANIFEST (LSN, type, chain LSNs, every byte) that
 *	holds every record acknowledged before the point.  At every
 *	EVERY-th such point, IMAGE is copied to the block device SCRATCH
 *	and opened by the module, and a forward read must find the same.
 *
 * The exit status is the number of failures (at most 100); the counts
 * of points and records checked are printed.
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
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "clfs_dm.h"
#include "clfs_fail.h"
#include "clfs_image.h"
#include "libclfs.h"

#define BLOCK		16384U
#define CONT		(512ULL * 1024)
#define N_CONT		6U
#define MAX_REC		12000U
#define MAX_RECS	4096U

/* dm-log-writes' format (drivers/md/dm-log-writes.c). */
#define LW_MAGIC	0x6a736677736872ULL
#define LW_FLUSH	(1U << 0)
#define LW_FUA		(1U << 1)
#define LW_DISCARD	(1U << 2)
#define LW_MARK		(1U << 3)

struct lw_super {
	uint64_t magic;
	uint64_t version;
	uint64_t nr_entries;
	uint32_t sectorsize;
};

struct lw_entry {
	uint64_t sector;
	uint64_t nr_sectors;
	uint64_t flags;
	uint64_t data_len;
};

/* One record of the manifest, in log order. */
struct mrec {
	uint64_t lsn;
	uint64_t undo_next;
	uint64_t previous;
	uint32_t type;
	uint32_t len;
	uint32_t ack;		/* the acknowledgement that made it durable */
};


static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Record @i's byte @j: the replay regenerates every record's bytes. */
static unsigned char pattern(uint32_t i, uint32_t j)
{
	return (unsigned char)(i * 151U + j * 13U + (j >> 9));
}

static void fill(unsigned char *p, uint32_t i, uint32_t len)
{
	uint32_t j;

	for (j = 0; j < len; j++)
		p[j] = pattern(i, j);
}

/* --- record --- */

static uint64_t rng;

static uint32_t below(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static uint32_t rec_size(void)
{
	uint32_t r = below(100);

	if (r < 60)
		return 1 + below(512);
	if (r < 90)
		return 513 + below(4096 - 512);
	return 4097 + below(MAX_REC - 4096);
}

static int record(int argc, char **argv)
{
	struct mrec *m = calloc(MAX_RECS, sizeof(*m));
	unsigned char *buf = malloc(MAX_REC);
	unsigned int acks = 320, n = 0, ack = 0, first, i, k;
	uint64_t seed = 20261203, prev = CLFS_LSN_INVALID, flushed;
	uint64_t restart = CLFS_LSN_INVALID;
	int c, ctl = -1, dev = -1, log = -1, ma = -1, ret;
	struct clfs_dm dm;
	char mark[32];
	FILE *out;
	double t0 = now();

	while ((c = getopt(argc, argv, "s:n:")) != -1) {
		if (c == 's')
			seed = strtoull(optarg, NULL, 0);
		else if (c == 'n')
			acks = strtoul(optarg, NULL, 0);
		else
			return 100;
	}
	if (argc - optind != 3 || !m || !buf || acks >= MAX_RECS / 2)
		return 100;
	rng = seed | 1;
	{
		char logdev[32], params[64];

		if (clfs_dm_devnum(argv[optind + 1], logdev, sizeof(logdev), NULL)) {
			printf("FAIL %s: not a block device\n", argv[optind + 1]);
			return 100;
		}
		snprintf(params, sizeof(params), "%%s %s", logdev);
		if (clfs_dm_create(&dm, "clfs-trace", argv[optind], "log-writes",
				   params)) {
			printf("FAIL create the log-writes device\n");
			return 100;
		}
	}
	ctl = clfs_open_control();
	dev = open(dm.node, O_RDWR);
	if (ctl < 0 || dev < 0) {
		failf("open /dev/clfs or %s", dm.node);
		goto out;
	}
	log = clfs_create_log_file(ctl, dev, NULL, BLOCK, CONT, N_CONT);
	if (log < 0) {
		failf("create the log: %s", clfs_errno_name(log));
		goto out;
	}
	/* Acknowledgement 0: the log exists. */
	if (clfs_dm_message(&dm, "mark ack-0"))
		goto out;
	ma = clfs_create_marshalling_area(log, 0, 4);
	if (ma < 0) {
		failf("create a marshalling area: %s", clfs_errno_name(ma));
		goto out;
	}
	while (ack < acks) {
		uint32_t how = below(100), batch = 1;

		first = n;
		if (how >= 50)
			batch = 1 + below(5);
		if (how >= 90 && how < 95)
			batch = 0;	/* a restart area */
		for (k = 0; k < batch; k++) {
			uint32_t flags = how < 50 ? CLFS_FLAG_FORCE_FLUSH :
					 below(3) ? 0 : CLFS_FLAG_FORCE_APPEND;
			struct iovec iov;

			m[n].len = rec_size();
			m[n].type = CLFS_RECORD_DATA;
			m[n].previous = prev;
			m[n].undo_next = n > 4 && below(2) ? m[n - 1 - below(4)].lsn :
				CLFS_LSN_INVALID;
			fill(buf, n, m[n].len);
			iov = (struct iovec){ buf, m[n].len };
			ret = clfs_reserve_and_append_log(ma, &iov, 1, m[n].undo_next,
							  m[n].previous, 0, NULL, flags,
							  &m[n].lsn);
			if (ret) {
				failf("append %u: %s", n, clfs_errno_name(ret));
				goto out;
			}
			prev = m[n].lsn;
			n++;
		}
		if (batch == 0) {
			m[n].len = 8 + below(3000);
			/* A restart record's previous LSN: the restart before. */
			m[n].type = CLFS_RECORD_RESTART;
			m[n].previous = restart;
			m[n].undo_next = CLFS_LSN_INVALID;
			fill(buf, n, m[n].len);
			ret = clfs_write_log_restart_area(ma, buf, m[n].len, NULL, 0,
							  NULL, &m[n].lsn);
			if (ret) {
				failf("restart area %u: %s", n, clfs_errno_name(ret));
				goto out;
			}
			restart = m[n].lsn;
			n++;
		} else if (how >= 50) {
			ret = how < 75 ? clfs_flush_buffers(ma, &flushed) :
			      clfs_flush_log_to_lsn(ma, m[n - 1].lsn, &flushed);
			if (ret || flushed < m[n - 1].lsn) {
				failf("flush to %#" PRIx64 ": %s, flushed %#" PRIx64,
				      m[n - 1].lsn, clfs_errno_name(ret), flushed);
				goto out;
			}
		}
		ack++;
		for (i = first; i < n; i++)
			m[i].ack = ack;
		snprintf(mark, sizeof(mark), "mark ack-%u", ack);
		if (clfs_dm_message(&dm, mark))
			goto out;
	}
	if (clfs_close_log_file(log) || clfs_delete_marshalling_area(ma))
		failf("close");
	log = ma = -1;
	out = fopen(argv[optind + 2], "w");
	if (!out)
		goto out;
	for (i = 0; i < n; i++)
		fprintf(out, "%u %" PRIx64 " %" PRIx64 " %" PRIx64 " %u %u %u\n", i,
			m[i].lsn, m[i].undo_next, m[i].previous, m[i].type, m[i].len,
			m[i].ack);
	fclose(out);
	printf("record: seed %" PRIu64 ": %u acknowledgements of %u records in %.1f s\n",
	       seed, ack, n, now() - t0);
out:
	if (ack < acks)
		failf("record: stopped after %u acknowledgements", ack);
	clfs_close(ma);
	clfs_close(log);
	if (dev >= 0)
		close(dev);
	clfs_close(ctl);
	if (clfs_dm_remove(&dm))
		failures++;
	free(m);
	free(buf);
	return fail_status();
}

/* --- replay --- */

struct want {
	const struct mrec *m;
	unsigned int n;		/* records in the manifest */
	unsigned int acked;	/* of them, acknowledged before this point */
	unsigned int seen;	/* records found so far */
	unsigned char *buf;
	const char *who;
	uint64_t point;
	char notes[4][160];	/* the offline reader's last reports */
	unsigned int n_notes;
};

/* One record found at the point: it must be the next of the manifest. */
static int want_next(struct want *w, uint64_t lsn, uint64_t undo_next,
		     uint64_t previous, uint32_t type, uint32_t len,
		     const unsigned char *data)
{
	const struct mrec *r = &w->m[w->seen];
	uint32_t j;

	if (w->seen >= w->n) {
		failf("%s, entry %" PRIu64 ": record at %#" PRIx64 " past the manifest's %u",
		      w->who, w->point, lsn, w->n);
		return -1;
	}
	if (lsn != r->lsn || type != r->type || len != r->len ||
	    undo_next != r->undo_next || previous != r->previous) {
		failf("%s, entry %" PRIu64 ": record %u is %#" PRIx64 " type %u, %u bytes, undo-next %#"
		      PRIx64 ", previous %#" PRIx64 "; want %#" PRIx64 " type %u, %u bytes, %#"
		      PRIx64 ", %#" PRIx64, w->who, w->point, w->seen, lsn, type, len,
		      undo_next, previous, r->lsn, r->type, r->len, r->undo_next, r->previous);
		return -1;
	}
	for (j = 0; j < len; j++) {
		if (data[j] != pattern(w->seen, j)) {
			failf("%s, entry %" PRIu64 ": record %u at %#" PRIx64 ": byte %u differs",
			      w->who, w->point, w->seen, lsn, j);
			return -1;
		}
	}
	w->seen++;
	return 0;
}

static int want_end(struct want *w)
{
	if (w->seen < w->acked) {
		failf("%s, entry %" PRIu64 ": %u records, but %u were acknowledged",
		      w->who, w->point, w->seen, w->acked);
		return -1;
	}
	return 0;
}

static int image_record(void *arg, const struct clfs_record_view *rv,
			const void *data)
{
	return want_next(arg, rv->lsn, rv->undo_next, rv->previous, rv->type,
			 rv->length, data) ? 1 : 0;
}

/*
 * What the offline reader reports is kept, not failed: a crash may leave
 * a torn metadata copy, which it reports and the open then does without.
 * It is printed when the point fails.
 */
static void image_report(void *arg, int err, const char *msg)
{
	struct want *w = arg;

	snprintf(w->notes[w->n_notes++ % 4], sizeof(w->notes[0]), "%s (%s)", msg,
		 clfs_errno_name(err));
}

static void print_notes(struct want *w)
{
	unsigned int i = w->n_notes > 4 ? w->n_notes - 4 : 0;

	for (; i < w->n_notes; i++)
		printf("    offline reader: %s\n", w->notes[i % 4]);
}

/* The offline reader on the image: open, recover, check, records. */
static void check_offline(int img_fd, uint64_t bytes, struct want *w)
{
	static struct clfs_image img;
	struct clfs_image_dev dev = {
		.name = "image", .bytes = bytes, .read = clfs_image_fd_read,
		.priv = &img_fd,
	};
	int ret;

	memset(&img, 0, sizeof(img));
	img.devs = &dev;
	img.n_devs = 1;
	img.report = image_report;
	img.report_arg = w;
	w->who = "offline reader";
	w->seen = 0;
	w->n_notes = 0;
	ret = clfs_image_open(&img);
	if (!ret)
		ret = clfs_image_recover(&img);
	if (!ret) {
		ret = clfs_image_check(&img);
		if (ret > 0)
			ret = -EUCLEAN;
	}
	if (!ret)
		ret = clfs_image_records(&img, image_record, w);
	if (ret < 0)
		failf("offline reader, entry %" PRIu64 ": %s", w->point,
		      clfs_errno_name(ret));
	else if (ret == 0)
		ret = want_end(w);
	if (ret)
		print_notes(w);
	clfs_image_close(&img);
}

/* The module on a copy of the image: open (recovery), read forward. */
static void check_module(int img_fd, uint64_t bytes, const char *scratch,
			 struct want *w)
{
	unsigned char *copy = malloc(1 << 20);
	struct clfs_record_info ri;
	struct clfs_log_info li;
	int ctl = -1, dev = -1, log = -1, ma = -1, ctx = -1, ret;
	uint64_t off;

	w->who = "module";
	w->seen = 0;
	dev = open(scratch, O_RDWR);
	if (!copy || dev < 0) {
		failf("module, entry %" PRIu64 ": open %s", w->point, scratch);
		goto out;
	}
	for (off = 0; off < bytes; off += 1 << 20) {
		size_t len = bytes - off < (1 << 20) ? bytes - off : 1 << 20;

		if (pread(img_fd, copy, len, off) != (ssize_t)len ||
		    pwrite(dev, copy, len, off) != (ssize_t)len) {
			failf("module, entry %" PRIu64 ": copy the image", w->point);
			goto out;
		}
	}
	fsync(dev);
	ctl = clfs_open_control();
	log = clfs_open_log_file(ctl, dev, NULL, NULL, 0);
	if (log < 0) {
		failf("module, entry %" PRIu64 ": open: %s", w->point,
		      clfs_errno_name(log));
		goto out;
	}
	ma = clfs_create_marshalling_area(log, 0, 2);
	ret = ma < 0 ? ma : clfs_query_log_file_information(log, &li);
	if (ret) {
		failf("module, entry %" PRIu64 ": %s", w->point, clfs_errno_name(ret));
		goto out;
	}
	if (li.first_lsn != CLFS_LSN_INVALID) {
		ret = clfs_read_log_record(ma, li.first_lsn, CLFS_READ_FORWARD,
					   CLFS_TYPE_ANY, w->buf, BLOCK, &ri, &ctx);
		while (ret == 0) {
			if (want_next(w, ri.lsn, ri.undo_next, ri.previous, ri.type,
				      ri.length, w->buf))
				break;
			ret = clfs_read_next_log_record(ctx, w->buf, BLOCK, &ri);
		}
		if (ret && ret != -ENOENT)
			failf("module, entry %" PRIu64 ": read: %s", w->point,
			      clfs_errno_name(ret));
	}
	want_end(w);
out:
	clfs_close(ctx);
	clfs_close(ma);
	clfs_close(log);
	clfs_close(ctl);
	if (dev >= 0)
		close(dev);
	free(copy);
}

static int replay(int argc, char **argv)
{
	struct mrec *m = calloc(MAX_RECS, sizeof(*m));
	unsigned char *sec = NULL, *data = NULL;
	unsigned int every = 16, n = 0, i, ack_seen = 0, created = 0;
	uint64_t e, pos, bytes;
	unsigned long n_write = 0, n_flush = 0, n_points = 0, n_module = 0;
	unsigned long n_marks = 0, n_before = 0, records = 0;
	struct want w = { 0 };
	struct lw_super sb;
	struct lw_entry le;
	int c, lfd, ifd;
	struct stat st;
	FILE *f;
	double t0 = now();

	while ((c = getopt(argc, argv, "k:")) != -1) {
		if (c == 'k')
			every = strtoul(optarg, NULL, 0);
		else
			return 100;
	}
	if (argc - optind != 4 || !m || !every)
		return 100;
	f = fopen(argv[optind + 1], "r");
	if (!f)
		return 100;
	while (n < MAX_RECS &&
	       fscanf(f, "%u %" SCNx64 " %" SCNx64 " %" SCNx64 " %u %u %u", &i,
		      &m[n].lsn, &m[n].undo_next, &m[n].previous, &m[n].type,
		      &m[n].len, &m[n].ack) == 7)
		n++;
	fclose(f);
	lfd = open(argv[optind], O_RDONLY);
	ifd = open(argv[optind + 2], O_RDWR);
	if (lfd < 0 || ifd < 0 || fstat(ifd, &st) || n == 0) {
		printf("FAIL replay: open %s, %s or read %s\n", argv[optind],
		       argv[optind + 2], argv[optind + 1]);
		return 100;
	}
	bytes = (uint64_t)st.st_size;
	if (pread(lfd, &sb, sizeof(sb), 0) != sizeof(sb) || sb.magic != LW_MAGIC ||
	    sb.sectorsize < 512 || sb.sectorsize > 4096) {
		printf("FAIL replay: %s holds no dm-log-writes trace\n", argv[optind]);
		return 100;
	}
	sec = malloc(sb.sectorsize);
	data = malloc(1 << 20);
	w.buf = malloc(BLOCK);
	if (!sec || !data || !w.buf)
		return 100;
	w.m = m;
	w.n = n;
	printf("replay: %" PRIu64 " entries of %u-byte sectors, %u records in the manifest\n",
	       (uint64_t)sb.nr_entries, sb.sectorsize, n);
	pos = sb.sectorsize;
	for (e = 0; e < sb.nr_entries; e++) {
		bool point;

		if (pread(lfd, sec, sb.sectorsize, (off_t)pos) != sb.sectorsize) {
			failf("entry %" PRIu64 ": cannot read", e);
			break;
		}
		memcpy(&le, sec, sizeof(le));
		pos += sb.sectorsize;
		if (le.flags & LW_MARK) {
			unsigned int a;
			char text[64];
			size_t len = le.data_len < sizeof(text) - 1 ? le.data_len :
				     sizeof(text) - 1;

			memcpy(text, sec + sizeof(le), len);
			text[len] = 0;
			n_marks++;
			if (sscanf(text, "ack-%u", &a) == 1) {
				ack_seen = a;
				created = 1;
			}
			continue;
		}
		if (le.nr_sectors > (1 << 20) / sb.sectorsize ||
		    (le.sector + le.nr_sectors) * sb.sectorsize > bytes) {
			failf("entry %" PRIu64 ": %" PRIu64 " sectors at %" PRIu64
			      ": outside the image", e, le.nr_sectors, le.sector);
			break;
		}
		if (le.flags & LW_DISCARD) {
			memset(data, 0, le.nr_sectors * sb.sectorsize);
		} else if (le.nr_sectors &&
			   pread(lfd, data, le.nr_sectors * sb.sectorsize, (off_t)pos) !=
			   (ssize_t)(le.nr_sectors * sb.sectorsize)) {
			failf("entry %" PRIu64 ": cannot read its data", e);
			break;
		}
		if (!(le.flags & LW_DISCARD))
			pos += le.nr_sectors * sb.sectorsize;
		if (le.nr_sectors &&
		    pwrite(ifd, data, le.nr_sectors * sb.sectorsize,
			   (off_t)(le.sector * sb.sectorsize)) !=
		    (ssize_t)(le.nr_sectors * sb.sectorsize)) {
			failf("entry %" PRIu64 ": cannot write the image", e);
			break;
		}
		point = false;
		if (le.nr_sectors && !(le.flags & LW_DISCARD)) {
			n_write++;
			point = true;
		}
		if (le.flags & (LW_FLUSH | LW_FUA)) {
			n_flush++;
			point = true;
		}
		if (!point)
			continue;
		if (!created) {
			n_before++;
			continue;
		}
		w.point = e;
		for (w.acked = 0; w.acked < n && m[w.acked].ack <= ack_seen; w.acked++)
			;
		check_offline(ifd, bytes, &w);
		records += w.seen;
		if (n_points++ % every == 0) {
			check_module(ifd, bytes, argv[optind + 3], &w);
			n_module++;
		}
		if (failures > 20) {
			printf("replay: stopping after %u failures\n", failures);
			break;
		}
	}
	printf("replay: %" PRIu64 " entries in %.1f s: %lu write entries and %lu flush or FUA entries; "
	       "%lu points checked offline (%lu records), %lu also by the module; "
	       "%lu points before the log existed; %lu marks, last acknowledgement %u\n",
	       e, now() - t0, n_write, n_flush, n_points, records, n_module, n_before,
	       n_marks, ack_seen);
	if (ack_seen != m[n - 1].ack)
		failf("the trace ends at acknowledgement %u, the manifest at %u",
		      ack_seen, m[n - 1].ack);
	free(sec);
	free(data);
	free(w.buf);
	free(m);
	return fail_status();
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "record"))
		return record(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "replay"))
		return replay(argc - 1, argv + 1);
	fprintf(stderr, "usage: clfs_trace record [-s SEED] [-n ACKS] DATA LOGDEV MANIFEST\n"
		"       clfs_trace replay [-k EVERY] LOGDEV MANIFEST IMAGE SCRATCH\n");
	return 100;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * image_fixture: log images built in memory with the shared encoders of
 * src/format/clfs_format.c, laid out as Documentation/clfs/format.rst says
 * and written the way the module's writer writes (block after block, the
 * next logical container when a block does not fit, sequence numbers and
 * floors), and opened with the offline reader (tools/lib/clfs_image.c).
 * Shared by tests/unit/image_test.c and tests/fuzz/clfs_image_fuzz.c.
 */
#ifndef CLFS_IMAGE_FIXTURE_H
#define CLFS_IMAGE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "clfs_format.h"
#include "clfs_image.h"

#define IO		512U
#define BS		4096U
#define CS		0x80000ULL	/* 512 KiB, the smallest container */

static inline void *xcalloc(size_t n)
{
	void *p = calloc(1, n);

	if (!p) {
		perror("calloc");
		exit(2);
	}
	return p;
}

/* A device image in memory. */
struct tdev {
	u8 *p;
	u64 bytes;
	char name[16];
	bool bad_read;	/* the reader asked for bytes outside the device */
};

static inline int mem_read(void *priv, uint64_t off, void *buf, size_t len)
{
	struct tdev *d = priv;

	if (off > d->bytes || len > d->bytes - off) {
		d->bad_read = true;
		return -EIO;
	}
	memcpy(buf, d->p + off, len);
	return 0;
}

/*
 * A log under construction: its devices, its metadata, and a writer that
 * places blocks like the module's (next position, or the next logical
 * container when the block does not fit).
 */
struct tlog {
	struct tdev dev[3];
	unsigned int n_dev;
	struct clfs_meta_info *mi;
	u32 seed;
	/* writer */
	u32 logical;
	u32 off;
	u64 seq;
	u64 floor;
	u64 prev_lsn;
	u64 prev_last;
	/* reader */
	struct clfs_image_dev idev[3];
	struct clfs_image img;
	unsigned int reports;
	char last_report[512];
	char first_report[512];
};

struct trec {
	const char *data;
	u32 len;
	u32 type;
	u64 undo_next;
	u64 previous;
};

#define R(s) { s, sizeof(s) - 1, CLFS_RECORD_DATA, CLFS_LSN_INVALID, \
	       CLFS_LSN_INVALID }

static const u8 uuid_a[16] = { 0x6c, 0x66, 0x73, 0x01, 0x02, 0x03, 0x04,
			       0x45, 0x86, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
			       0x0d };
static const u8 uuid_dev2[16] = { 0xd2, 0xd2, 0x01, 0x02, 0x03, 0x04, 0x05,
				  0x46, 0x87, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
				  0x0d, 0x0e };

static inline struct clfs_container_info *t_cont(struct tlog *t, u32 logical)
{
	u32 i;

	for (i = 0; i < t->mi->n_containers; i++)
		if (t->mi->containers[i].logical_id == logical)
			return &t->mi->containers[i];
	fprintf(stderr, "test bug: no logical container %u\n", logical);
	exit(2);
}

static inline struct tdev *t_dev_of(struct tlog *t,
			     const struct clfs_container_info *ci)
{
	return clfs_uuid_is_zero(ci->dev_uuid) ? &t->dev[0] : &t->dev[1];
}

/* Write the metadata as copy @copy with generation @gen. */
static inline void t_meta(struct tlog *t, int copy, u64 gen)
{
	u64 off = copy ? CLFS_META_B_OFFSET : CLFS_META_A_OFFSET;
	int ret;

	t->mi->generation = gen;
	ret = clfs_meta_encode(t->mi, t->dev[0].p + off, CLFS_META_COPY_SIZE);
	if (ret < 0) {
		fprintf(stderr, "test bug: metadata does not encode\n");
		exit(2);
	}
}

static inline void t_header(struct tlog *t, const struct clfs_container_info *ci)
{
	struct clfs_cont_hdr_info h = {
		.physical_id = ci->physical_id,
		.io_unit = IO,
		.container_size = CS,
		.dev_offset = ci->dev_offset,
	};

	memcpy(h.log_uuid, t->mi->uuid, 16);
	memcpy(h.dev_uuid, ci->dev_uuid, 16);
	clfs_cont_hdr_encode(&h, t_dev_of(t, ci)->p + ci->dev_offset, t->seed);
}

/*
 * A new log: @n_base containers on the base device after the metadata
 * area, @n_dev2 on a second device from offset 0; copy A generation 1,
 * copy B generation 2, like the module's create.
 */
static inline void t_new(struct tlog *t, u32 n_base, u32 n_dev2)
{
	struct clfs_meta_info *mi;
	u32 i;

	memset(t, 0, sizeof(*t));
	t->mi = mi = xcalloc(sizeof(*mi));
	t->n_dev = n_dev2 ? 2 : 1;
	t->dev[0].bytes = CLFS_CONTAINERS_START + n_base * CS;
	t->dev[1].bytes = n_dev2 * CS;
	for (i = 0; i < t->n_dev; i++) {
		t->dev[i].p = xcalloc(t->dev[i].bytes);
		snprintf(t->dev[i].name, sizeof(t->dev[i].name), "dev%u", i);
	}
	memcpy(mi->uuid, uuid_a, 16);
	mi->io_unit = IO;
	mi->block_size = BS;
	mi->container_size = CS;
	mi->n_containers = n_base + n_dev2;
	mi->next_logical = mi->n_containers;
	mi->base_lsn = CLFS_LSN_NULL;
	mi->archive_tail = CLFS_LSN_INVALID;
	mi->restart_lsn = CLFS_LSN_INVALID;
	mi->end_lsn = CLFS_LSN_INVALID;
	for (i = 0; i < mi->n_containers; i++) {
		struct clfs_container_info *ci = &mi->containers[i];

		ci->physical_id = i;
		ci->logical_id = i;
		ci->state = CLFS_CONT_ACTIVE;
		if (i < n_base) {
			ci->dev_offset = CLFS_CONTAINERS_START + i * CS;
		} else {
			memcpy(ci->dev_uuid, uuid_dev2, 16);
			ci->dev_offset = (i - n_base) * CS;
		}
	}
	t->seed = clfs_seed(mi->uuid);
	for (i = 0; i < mi->n_containers; i++)
		t_header(t, &mi->containers[i]);
	t_meta(t, 0, 1);
	t_meta(t, 1, 2);
	t->logical = 0;
	t->off = CLFS_BLOCKS_START;
	t->prev_lsn = t->prev_last = CLFS_LSN_INVALID;
}

static inline void t_free(struct tlog *t)
{
	unsigned int i;

	clfs_image_close(&t->img);
	for (i = 0; i < 3; i++)
		free(t->dev[i].p);
	free(t->mi);
}

static inline u32 t_size(unsigned int n, const struct trec *r)
{
	u32 used = sizeof(struct clfs_block_header);
	unsigned int i;

	for (i = 0; i < n; i++)
		used += clfs_record_space(r[i].len);
	return round_up(used, IO);
}

/*
 * Write a block of @n records where the writer stands (moving to the next
 * logical container first if it does not fit); returns its LSN.
 * @prev_last overrides the writer's (a truncation), unless INVALID.
 */
static inline u64 t_block_ex(struct tlog *t, unsigned int n, const struct trec *r,
		      u64 prev_last)
{
	u8 buf[BS];
	u32 size = t_size(n, r), doff;
	struct clfs_container_info *ci;
	unsigned int i;
	u64 lsn, rl;

	if (size > CS - t->off) {
		t->logical++;
		t->off = CLFS_BLOCKS_START;
	}
	ci = t_cont(t, t->logical);
	lsn = clfs_lsn_make(t->logical, t->off, 0);
	t->seq++;
	memset(buf, 0, sizeof(buf));
	clfs_block_init(buf, lsn, t->seq, t->floor, t->prev_lsn,
			prev_last != CLFS_LSN_INVALID ? prev_last :
			t->prev_last);
	for (i = 0; i < n; i++) {
		if (clfs_block_add_record(buf, BS, r[i].undo_next,
					  r[i].previous, r[i].type, r[i].len, 0,
					  &rl, &doff)) {
			fprintf(stderr, "test bug: record does not fit\n");
			exit(2);
		}
		memcpy(buf + doff, r[i].data, r[i].len);
	}
	if (clfs_block_seal(buf, IO, t->seed) != size) {
		fprintf(stderr, "test bug: block size\n");
		exit(2);
	}
	memcpy(t_dev_of(t, ci)->p + ci->dev_offset + t->off, buf, size);
	t->prev_lsn = lsn;
	t->prev_last = lsn + n - 1;
	t->off += size;
	return lsn;
}

static inline u64 t_block(struct tlog *t, unsigned int n, const struct trec *r)
{
	return t_block_ex(t, n, r, CLFS_LSN_INVALID);
}

/* A block of one record of @len bytes of @c. */
static inline u64 t_block_fill(struct tlog *t, u32 len, char c)
{
	static char data[BS];
	struct trec r = R("");

	memset(data, c, len);
	r.data = data;
	r.len = len;
	return t_block(t, 1, &r);
}

/* Byte @off of the block at @lsn (in whatever device holds it). */
static inline u8 *t_at(struct tlog *t, u64 lsn, u32 off)
{
	struct clfs_container_info *ci = t_cont(t, clfs_lsn_container(lsn));

	return t_dev_of(t, ci)->p + ci->dev_offset +
	       clfs_lsn_block_offset(lsn) + off;
}

/* Recompute the crc of the block at @lsn after a deliberate change. */
static inline void t_reseal(struct tlog *t, u64 lsn)
{
	struct clfs_block_header *h = (void *)t_at(t, lsn, 0);
	u32 size = le32_to_cpu(h->size);

	h->crc = 0;
	h->crc = cpu_to_le32(clfs_crc32c(t->seed, h, size));
}

/* Recompute the crc of a metadata copy after a deliberate change. */
static inline void t_meta_reseal(struct tlog *t, int copy, u32 bytes)
{
	struct clfs_meta *m = (void *)(t->dev[0].p +
				       (copy ? CLFS_META_B_OFFSET : 0));

	m->crc = 0;
	m->crc = cpu_to_le32(clfs_crc32c(t->seed, m, bytes));
}

static inline void t_report(void *arg, int err, const char *msg)
{
	struct tlog *t = arg;

	(void)err;
	if (!t->reports++)
		snprintf(t->first_report, sizeof(t->first_report), "%s", msg);
	snprintf(t->last_report, sizeof(t->last_report), "%s", msg);
}

/* Open (and, if that works, recover) the image of @n_dev devices. */
static inline int t_open(struct tlog *t, unsigned int n_dev)
{
	unsigned int i;
	int ret;

	clfs_image_close(&t->img);
	memset(&t->img, 0, sizeof(t->img));
	t->reports = 0;
	t->last_report[0] = '\0';
	t->first_report[0] = '\0';
	for (i = 0; i < n_dev; i++) {
		t->idev[i].name = t->dev[i].name;
		t->idev[i].bytes = t->dev[i].bytes;
		t->idev[i].read = mem_read;
		t->idev[i].priv = &t->dev[i];
	}
	t->img.devs = t->idev;
	t->img.n_devs = n_dev;
	t->img.report = t_report;
	t->img.report_arg = t;
	ret = clfs_image_open(&t->img);
	if (!ret)
		ret = clfs_image_recover(&t->img);
	return ret;
}

#endif /* CLFS_IMAGE_FIXTURE_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * clfs_image: the module's view of a log, computed offline.
 *
 * Design: the steps of the module's open, in its order and with its rules,
 * over caller-supplied read callbacks instead of block I/O:
 *
 *   1. Metadata (src/clfs_meta.c): read copies A and B, decode each in
 *      full (clfs_meta_decode()), keep the one clfs_meta_choose() picks.
 *   2. Binding (clfs_log_bind()): every extra device must hold the header
 *      of a container whose device uuid is not yet bound; that binds it.
 *   3. Attach (clfs_log_attach(), clfs_cont_check_header()): every table
 *      entry's device must be known, hold the container whole, and carry
 *      the container's header.
 *   4. Recovery (src/clfs_recover.c): from the first block of the
 *      lowest logical container, accept block after block (or the first
 *      block of the next logical container) while each validates at its
 *      position and continues the log (clfs_log_follows() of the format
 *      code, the engine's rule: the chain and the truncation rule for the
 *      block holding end_lsn).  Each block keeps
 *      the records up to the next block's prev_last; the last block keeps
 *      those up to end_lsn if it holds it.
 *   5. Reads (src/clfs_read.c): the records of the accepted blocks
 *      that are not below the active start, min(base LSN, archive tail).
 *
 * The images are hostile input: everything read goes through the shared
 * decoders before use, every device range is checked against the
 * device's size with overflow-safe arithmetic, and a read callback is
 * never asked for bytes outside its device.  Memory is bounded by the
 * metadata's limits (one block buffer) plus one small entry per accepted
 * block.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clfs_image.h"

static void clfs_image_report(struct clfs_image *img, int err,
			      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void clfs_image_report(struct clfs_image *img, int err,
			      const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!img->report)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	img->report(img->report_arg, err, msg);
}

static void clfs_uuid_fmt(const u8 *u, char out[37])
{
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
}

/* Read [off, off + len) of a device; -EIO for a range outside it. */
static int clfs_dev_read(const struct clfs_image_dev *dev, u64 off, void *buf,
			 size_t len)
{
	u64 end;

	if (check_add_overflow(off, (u64)len, &end) || end > dev->bytes)
		return -EIO;
	return dev->read(dev->priv, off, buf, len);
}

int clfs_image_fd_read(void *priv, uint64_t off, void *buf, size_t len)
{
	int fd = *(const int *)priv;
	u8 *p = buf;
	ssize_t n;

	while (len) {
		if (off > (u64)INT64_MAX)
			return -EIO;
		n = pread(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		off += (u64)n;
		len -= (size_t)n;
	}
	return 0;
}

const char *clfs_image_why_text(enum clfs_image_why why)
{
	switch (why) {
	case CLFS_WHY_NONE:
		return "not tried";
	case CLFS_WHY_UNWRITTEN:
		return "no block";
	case CLFS_WHY_STALE:
		return "block of another position or an earlier lap";
	case CLFS_WHY_INVALID:
		return "torn or corrupt block";
	case CLFS_WHY_CHAIN:
		return "block does not continue the chain";
	case CLFS_WHY_TRUNCATED:
		return "block written before the truncation";
	case CLFS_WHY_IO:
		return "read error";
	case CLFS_WHY_NO_CONTAINER:
		return "no next container";
	case CLFS_WHY_END:
		return "end of container";
	}
	return "?";
}

int clfs_meta_from_v2(const void *in, void *out, struct clfs_meta_info *mi)
{
	const struct clfs_meta *m = in;
	struct clfs_meta *o = out;
	u32 bytes = le32_to_cpu(m->bytes), seed;

	if (le64_to_cpu(m->magic) != CLFS_META_MAGIC ||
	    le16_to_cpu(m->version_major) != 2 || m->version_minor ||
	    bytes < sizeof(*m) || bytes > CLFS_META_COPY_SIZE)
		return -EUCLEAN;
	seed = clfs_seed(m->log_uuid);
	memcpy(out, in, CLFS_META_COPY_SIZE);
	o->crc = 0;
	if (clfs_crc32c(seed, out, bytes) != le32_to_cpu(m->crc))
		return -EUCLEAN;
	o->version_major = cpu_to_le16(CLFS_FORMAT_MAJOR);
	o->crc = cpu_to_le32(clfs_crc32c(seed, out, bytes));
	return clfs_meta_decode(out, CLFS_META_COPY_SIZE, mi);
}

/* Why a metadata copy failed clfs_meta_decode(), as far as it can tell. */
static void clfs_meta_why(const void *buf, u32 size, char *out, size_t len)
{
	u32 major = 0, minor = 0;

	switch (clfs_meta_identify(buf, size, &major, &minor)) {
	case CLFS_NOT_CLFS:
		snprintf(out, len, "no clfs metadata (bad magic)");
		break;
	case CLFS_OTHER_VERSION:
		snprintf(out, len, "format version %u.%u, not %u%s", major,
			 minor, CLFS_FORMAT_MAJOR,
			 major == 2 ? " (clfsctl upgrade converts it)" : "");
		break;
	default:
		snprintf(out, len, "fails validation (checksum or fields)");
	}
}

static int clfs_meta_read_all(struct clfs_image *img)
{
	static const u64 offset[2] = { CLFS_META_A_OFFSET, CLFS_META_B_OFFSET };
	const struct clfs_image_dev *base = &img->devs[0];
	char why[80];
	void *buf;
	int i, ret = 0;

	buf = malloc(CLFS_META_COPY_SIZE);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < 2; i++) {
		ret = clfs_dev_read(base, offset[i], buf, CLFS_META_COPY_SIZE);
		if (ret) {
			clfs_image_report(img, ret,
					  "%s: cannot read metadata copy %c%s",
					  base->name, 'A' + i,
					  offset[i] + CLFS_META_COPY_SIZE >
					  base->bytes ? " (image too small)" :
					  "");
			break;
		}
		img->meta_ret[i] = clfs_meta_decode(buf, CLFS_META_COPY_SIZE,
						    img->copies[i]);
		if (img->meta_ret[i]) {
			clfs_meta_why(buf, CLFS_META_COPY_SIZE, why, sizeof(why));
			clfs_image_report(img, img->meta_ret[i],
					  "%s: metadata copy %c: %s",
					  base->name, 'A' + i, why);
		}
	}
	free(buf);
	return ret;
}

/* The device bound to a clfs device uuid (all zero: the base), or -1. */
static int clfs_dev_find(const struct clfs_image *img, const u8 uuid[16])
{
	unsigned int d;

	if (clfs_uuid_is_zero(uuid))
		return 0;
	for (d = 1; d < img->n_devs; d++)
		if (img->dev_bound[d] && !memcmp(img->dev_uuid[d], uuid, 16))
			return (int)d;
	return -1;
}

/*
 * Is container @ci whole on device @d, with its own header at its start?
 * (clfs_cont_check_header())  Sets *@why on failure.
 */
static int clfs_cont_check(struct clfs_image *img,
			   const struct clfs_container_info *ci, unsigned int d,
			   const char **why)
{
	const struct clfs_meta_info *mi = img->mi;
	const struct clfs_image_dev *dev = &img->devs[d];
	struct clfs_cont_hdr_info h;
	u8 buf[CLFS_IO_UNIT_MAX];
	int ret;

	if (ci->dev_offset > dev->bytes ||
	    dev->bytes - ci->dev_offset < mi->container_size) {
		*why = "reaches past the end of its device";
		return -EUCLEAN;
	}
	/* mi->io_unit <= CLFS_IO_UNIT_MAX: clfs_meta_check(). */
	ret = clfs_dev_read(dev, ci->dev_offset, buf, mi->io_unit);
	if (ret) {
		*why = "cannot read its header";
		return ret;
	}
	if (clfs_cont_hdr_decode(buf, mi->io_unit, img->seed, &h)) {
		*why = "header missing, foreign or corrupt";
		return -EUCLEAN;
	}
	if (memcmp(h.log_uuid, mi->uuid, 16) ||
	    memcmp(h.dev_uuid, ci->dev_uuid, 16) ||
	    h.physical_id != ci->physical_id || h.io_unit != mi->io_unit ||
	    h.container_size != mi->container_size ||
	    h.dev_offset != ci->dev_offset) {
		*why = "header belongs to another container";
		return -EUCLEAN;
	}
	return 0;
}

/* Bind every extra device to the container it holds (clfs_log_bind()). */
static int clfs_image_bind(struct clfs_image *img)
{
	const struct clfs_meta_info *mi = img->mi;
	const char *why;
	unsigned int d;
	u32 i;

	for (d = 1; d < img->n_devs; d++) {
		for (i = 0; i < mi->n_containers && !img->dev_bound[d]; i++) {
			const struct clfs_container_info *ci = &mi->containers[i];

			if (clfs_uuid_is_zero(ci->dev_uuid) ||
			    clfs_dev_find(img, ci->dev_uuid) >= 0)
				continue;
			if (!clfs_cont_check(img, ci, d, &why)) {
				memcpy(img->dev_uuid[d], ci->dev_uuid, 16);
				img->dev_bound[d] = true;
			}
		}
		if (!img->dev_bound[d]) {
			clfs_image_report(img, -EINVAL,
					  "%s holds no container of this log",
					  img->devs[d].name);
			return -EINVAL;
		}
	}
	return 0;
}

/* Check every container's device and header (clfs_log_attach()). */
static int clfs_image_attach(struct clfs_image *img)
{
	const struct clfs_meta_info *mi = img->mi;
	const char *why;
	char uuid[37];
	int d, ret, first = 0;
	u32 i;

	for (i = 0; i < mi->n_containers; i++) {
		const struct clfs_container_info *ci = &mi->containers[i];

		d = clfs_dev_find(img, ci->dev_uuid);
		if (d < 0) {
			clfs_uuid_fmt(ci->dev_uuid, uuid);
			clfs_image_report(img, -ENODEV,
					  "container %u is on device %s, which was not given",
					  ci->physical_id, uuid);
			img->cont_ret[i] = -ENODEV;
			if (!first)
				first = -ENODEV;
			continue;
		}
		img->cont_dev[i] = d;
		ret = clfs_cont_check(img, ci, (unsigned int)d, &why);
		img->cont_ret[i] = ret;
		if (ret) {
			clfs_image_report(img, ret,
					  "container %u (%s at %llu): %s",
					  ci->physical_id, img->devs[d].name,
					  (unsigned long long)ci->dev_offset,
					  why);
			if (!first)
				first = ret;
		}
	}
	return first;
}

int clfs_image_open(struct clfs_image *img)
{
	unsigned int i;
	int ret;

	img->copy = -1;
	img->mi = NULL;
	img->meta_ret[0] = img->meta_ret[1] = -EUCLEAN;
	for (i = 0; i < CLFS_MAX_CONTAINERS; i++) {
		img->cont_dev[i] = -1;
		img->cont_ret[i] = -ENODEV;
	}
	memset(img->dev_bound, 0, sizeof(img->dev_bound));
	if (!img->devs || !img->n_devs || img->n_devs > CLFS_MAX_CONTAINERS + 1)
		return -EINVAL;
	for (i = 0; i < 2; i++) {
		if (!img->copies[i])
			img->copies[i] = calloc(1, sizeof(*img->copies[i]));
		if (!img->copies[i])
			return -ENOMEM;
	}
	ret = clfs_meta_read_all(img);
	if (ret)
		return ret;
	ret = clfs_meta_choose(img->meta_ret[0], img->copies[0],
			       img->meta_ret[1], img->copies[1]);
	if (ret < 0) {
		if (img->meta_ret[0] && img->meta_ret[1])
			clfs_image_report(img, -EUCLEAN,
					  "%s: no valid metadata copy",
					  img->devs[0].name);
		else if (memcmp(img->copies[0]->uuid, img->copies[1]->uuid, 16))
			clfs_image_report(img, -EUCLEAN,
					  "%s: metadata copies A and B belong to different logs",
					  img->devs[0].name);
		else
			clfs_image_report(img, -EUCLEAN,
					  "%s: metadata copies A and B have the same generation %llu",
					  img->devs[0].name,
					  (unsigned long long)img->copies[0]->generation);
		return -EUCLEAN;
	}
	img->copy = ret;
	img->mi = img->copies[ret];
	img->seed = clfs_seed(img->mi->uuid);
	ret = clfs_image_bind(img);
	if (!ret)
		ret = clfs_image_attach(img);
	if (ret)
		img->mi = NULL;	/* no recovery without every container */
	return ret;
}

/* Log order: the table entry with the smallest logical id above @after
 * (or the smallest of all, with @any), or -1.
 */
static int clfs_cont_after(const struct clfs_meta_info *mi, u32 after,
			   bool any)
{
	int best = -1;
	u32 i;

	for (i = 0; i < mi->n_containers; i++) {
		u32 id = mi->containers[i].logical_id;

		if ((any || id > after) &&
		    (best < 0 || id < mi->containers[best].logical_id))
			best = (int)i;
	}
	return best;
}

/*
 * Read and validate the block at offset @off of table entry @c
 * (clfs_block_read()).  On -EUCLEAN, *@why says what was there.
 */
static int clfs_image_block_read(struct clfs_image *img, u32 c, u32 off,
				 struct clfs_block_info *bi,
				 enum clfs_image_why *why)
{
	const struct clfs_meta_info *mi = img->mi;
	const struct clfs_container_info *ci = &mi->containers[c];
	const struct clfs_image_dev *dev;
	u64 lsn = clfs_lsn_make(ci->logical_id, off, 0);
	u32 max, size;
	int ret;

	if (img->cont_dev[c] < 0) {	/* clfs_image_open() failed */
		*why = CLFS_WHY_IO;
		return -EIO;
	}
	if (off < CLFS_BLOCKS_START || off >= mi->container_size) {
		*why = CLFS_WHY_END;
		return -EUCLEAN;
	}
	dev = &img->devs[img->cont_dev[c]];
	/* The container lies inside its device: clfs_cont_check(). */
	max = (u32)min_t(u64, mi->block_size, mi->container_size - off);
	ret = clfs_dev_read(dev, ci->dev_offset + off, img->buf, mi->io_unit);
	if (ret) {
		*why = CLFS_WHY_IO;
		return ret;
	}
	*why = CLFS_WHY_INVALID;
	ret = clfs_block_peek(img->buf, mi->io_unit, lsn, mi->io_unit, max,
			      &size);
	if (ret) {
		switch (clfs_block_identify(img->buf, mi->io_unit, lsn)) {
		case CLFS_NOT_CLFS:
			*why = CLFS_WHY_UNWRITTEN;
			break;
		case CLFS_OTHER_LSN:
			*why = CLFS_WHY_STALE;
			break;
		default:
			break;
		}
		return ret;
	}
	if (size > mi->io_unit) {
		ret = clfs_dev_read(dev, ci->dev_offset + off + mi->io_unit,
				    (u8 *)img->buf + mi->io_unit,
				    size - mi->io_unit);
		if (ret) {
			*why = CLFS_WHY_IO;
			return ret;
		}
	}
	return clfs_block_decode(img->buf, size, img->seed, lsn, mi->io_unit,
				 max, mi->next_stream, bi);
}

/* Does @next continue the log after @prev, truncation included? */
static bool clfs_image_follows(const struct clfs_image *img,
			       const struct clfs_block_info *prev,
			       const struct clfs_block_info *next,
			       enum clfs_image_why *why)
{
	switch (clfs_log_follows(img->mi, prev, next)) {
	case CLFS_FOLLOWS:
		return true;
	case CLFS_NOT_CHAINED:
		*why = CLFS_WHY_CHAIN;
		return false;
	default:
		*why = CLFS_WHY_TRUNCATED;
		return false;
	}
}

/*
 * The block after @prev (NULL: the first block), which ended at *@offp of
 * table entry *@cp: there, or at the first block of the next container
 * (clfs_recover_next()).  Notes in img->stop what was refused.
 *
 * Return: 0 with *@cp, *@offp and *@bi set; -ENOENT at the end of the
 * log; another negative errno for a read error.
 */
static int clfs_image_next(struct clfs_image *img, u32 *cp, u32 *offp,
			   const struct clfs_block_info *prev,
			   struct clfs_block_info *bi)
{
	const struct clfs_meta_info *mi = img->mi;
	u32 logical = mi->containers[*cp].logical_id;
	enum clfs_image_why why;
	int n, ret;

	img->stop[0].why = img->stop[1].why = CLFS_WHY_NONE;
	img->stop[0].lsn = clfs_lsn_make(logical, *offp, 0);
	if (*offp < mi->container_size) {
		ret = clfs_image_block_read(img, *cp, *offp, bi, &why);
		if (ret && ret != -EUCLEAN)
			return ret;
		if (!ret && (!prev || clfs_image_follows(img, prev, bi, &why)))
			return 0;
		img->stop[0].why = why;
		if (!prev)
			return -ENOENT;
	} else {
		img->stop[0].why = CLFS_WHY_END;
	}
	n = clfs_cont_after(mi, logical, false);
	if (n < 0) {
		img->stop[1].why = CLFS_WHY_NO_CONTAINER;
		return -ENOENT;
	}
	img->stop[1].lsn = clfs_lsn_make(mi->containers[n].logical_id,
					 CLFS_BLOCKS_START, 0);
	ret = clfs_image_block_read(img, (u32)n, CLFS_BLOCKS_START, bi, &why);
	if (ret && ret != -EUCLEAN)
		return ret;
	if (ret || !clfs_image_follows(img, prev, bi, &why)) {
		img->stop[1].why = why;
		return -ENOENT;
	}
	*cp = (u32)n;
	*offp = CLFS_BLOCKS_START;
	return 0;
}

static int clfs_image_push(struct clfs_image *img, u32 c,
			   const struct clfs_block_info *bi)
{
	struct clfs_image_block *b;
	size_t n;

	if (img->n_blocks == img->n_alloc) {
		n = img->n_alloc ? img->n_alloc * 2 : 64;
		if (n > SIZE_MAX / sizeof(*b))
			return -ENOMEM;
		b = realloc(img->blocks, n * sizeof(*b));
		if (!b)
			return -ENOMEM;
		img->blocks = b;
		img->n_alloc = n;
	}
	b = &img->blocks[img->n_blocks++];
	b->cont = c;
	b->bi = *bi;
	b->kept = bi->n_records;
	return 0;
}

int clfs_image_recover(struct clfs_image *img)
{
	const struct clfs_meta_info *mi = img->mi;
	struct clfs_block_info bi, prev;
	struct clfs_image_block *b;
	u32 c, off = CLFS_BLOCKS_START;
	u64 end, last;
	int first, ret;

	if (!mi)
		return -EINVAL;
	img->n_blocks = 0;
	img->first_lsn = img->last_lsn = CLFS_LSN_INVALID;
	img->next_lsn = 0;
	img->last_seq = 0;
	img->stop[0].why = img->stop[1].why = CLFS_WHY_NONE;
	img->start_lsn = clfs_start_lsn(mi);
	first = clfs_cont_after(mi, 0, true);
	if (first < 0) {
		img->stop[1].why = CLFS_WHY_NO_CONTAINER;
		return 0;
	}
	if (!img->buf)
		img->buf = malloc(mi->block_size);
	if (!img->buf)
		return -ENOMEM;
	c = (u32)first;
	for (;;) {
		ret = clfs_image_next(img, &c, &off,
				      img->n_blocks ? &prev : NULL, &bi);
		if (ret)
			break;
		ret = clfs_image_push(img, c, &bi);
		if (ret)
			break;
		if (img->n_blocks > 1) {
			b = &img->blocks[img->n_blocks - 2];
			/* clfs_block_follows(): prev_last's index < n_records */
			b->kept = clfs_lsn_record(bi.prev_last) + 1;
		}
		prev = bi;
		off += bi.size;	/* bi.size <= container_size - off */
	}
	if (ret != -ENOENT)
		return ret;
	if (!img->n_blocks)
		return 0;
	b = &img->blocks[img->n_blocks - 1];
	last = b->bi.lsn + b->bi.n_records - 1;
	end = mi->end_lsn;
	if (end != CLFS_LSN_INVALID && end >= b->bi.lsn && end < last) {
		b->kept = clfs_lsn_record(end) + 1;
		last = end;
	}
	img->last_lsn = last;
	img->first_lsn = max_t(u64, img->blocks[0].bi.lsn, img->start_lsn);
	if (img->first_lsn > last)
		img->first_lsn = CLFS_LSN_INVALID;
	img->next_lsn = clfs_lsn_make(mi->containers[b->cont].logical_id,
				      clfs_lsn_block_offset(b->bi.lsn) +
				      b->bi.size, 0);
	img->last_seq = b->bi.seq;
	return 0;
}

int clfs_image_records(struct clfs_image *img,
		       int (*fn)(void *arg, const struct clfs_record_view *rv,
				 const void *data),
		       void *arg)
{
	struct clfs_record_view rv;
	struct clfs_block_info bi;
	enum clfs_image_why why;
	size_t i;
	u32 k, off;
	int ret;

	for (i = 0; i < img->n_blocks; i++) {
		const struct clfs_image_block *b = &img->blocks[i];

		ret = clfs_image_block_read(img, b->cont,
					    clfs_lsn_block_offset(b->bi.lsn),
					    &bi, &why);
		if (ret)
			return ret;
		if (bi.seq != b->bi.seq || bi.size != b->bi.size ||
		    bi.n_records != b->bi.n_records)
			return -EUCLEAN;
		off = sizeof(struct clfs_block_header);
		for (k = 0; k < b->kept; k++) {
			if (clfs_record_at(img->buf, bi.used, off, &rv))
				return -EUCLEAN;
			off = rv.next_offset;
			if (rv.lsn < img->start_lsn)
				continue;
			ret = fn(arg, &rv, (const u8 *)img->buf + rv.data_offset);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* Is @lsn a record the recovered log keeps? */
static bool clfs_image_has(const struct clfs_image *img, u64 lsn)
{
	u64 block = lsn - clfs_lsn_record(lsn);
	size_t lo = 0, hi = img->n_blocks, mid;

	if (!clfs_lsn_is_valid(lsn))
		return false;
	/* Blocks are in log order, which is LSN order. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (img->blocks[mid].bi.lsn < block)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < img->n_blocks && img->blocks[lo].bi.lsn == block &&
	       clfs_lsn_record(lsn) < img->blocks[lo].kept;
}

/* Is @lsn's container still in the table (not recycled since)? */
static bool clfs_image_mapped(const struct clfs_image *img, u64 lsn)
{
	return clfs_lsn_is_valid(lsn) &&
	       clfs_meta_find_logical(img->mi, clfs_lsn_container(lsn));
}

/* A restart record of the log: its LSN and the previous one it names. */
struct clfs_check_restart {
	u64 lsn;
	u64 previous;
};

struct clfs_check_walk {
	u64 restart_lsn;
	u32 restart_type;
	u64 n_records;
	struct clfs_check_restart *rs;	/* in LSN order */
	size_t n_rs, a_rs;
};

static int clfs_check_record(void *arg, const struct clfs_record_view *rv,
			     const void *data)
{
	struct clfs_check_walk *w = arg;

	(void)data;
	w->n_records++;
	if (rv->lsn == w->restart_lsn)
		w->restart_type = rv->type;
	if (rv->type == CLFS_RECORD_RESTART) {
		if (w->n_rs == w->a_rs) {
			size_t a = w->a_rs ? 2 * w->a_rs : 64;
			void *p = realloc(w->rs, a * sizeof(*w->rs));

			if (!p)
				return -ENOMEM;
			w->rs = p;
			w->a_rs = a;
		}
		w->rs[w->n_rs].lsn = rv->lsn;
		w->rs[w->n_rs].previous = rv->previous;
		w->n_rs++;
	}
	return 0;
}

/* The restart record at @lsn, or NULL. */
static const struct clfs_check_restart *
clfs_check_find(const struct clfs_check_walk *w, u64 lsn)
{
	size_t lo = 0, hi = w->n_rs, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (w->rs[mid].lsn < lsn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < w->n_rs && w->rs[lo].lsn == lsn ? &w->rs[lo] : NULL;
}

/*
 * Walk the restart chain from the newest restart area, as the module's
 * truncation does: every link must end the chain or go strictly back
 * (clfs_chain_back() of the format code) to another restart area of the
 * log, until it leaves the active log.  Linear: each step goes back.
 * Returns the number of problems (0 or 1).
 */
static int clfs_check_restart_chain(struct clfs_image *img,
				    const struct clfs_check_walk *w)
{
	const struct clfs_check_restart *r = clfs_check_find(w, w->restart_lsn);
	const struct clfs_check_restart *prev;
	u64 next;

	while (r) {
		next = r->previous;
		if (clfs_chain_end(next))
			return 0;
		if (!clfs_chain_back(r->lsn, next)) {
			clfs_image_report(img, -EUCLEAN,
					  "restart area 0x%016llx names 0x%016llx as the one before it: the restart chain loops or points forward",
					  (unsigned long long)r->lsn,
					  (unsigned long long)next);
			return 1;
		}
		if (next < img->start_lsn || !clfs_image_mapped(img, next))
			return 0;	/* older than the active log */
		if (!clfs_image_has(img, next)) {
			clfs_image_report(img, -EUCLEAN,
					  "restart area 0x%016llx names 0x%016llx as the one before it, which is no record of the log",
					  (unsigned long long)r->lsn,
					  (unsigned long long)next);
			return 1;
		}
		prev = clfs_check_find(w, next);
		if (!prev) {
			clfs_image_report(img, -EUCLEAN,
					  "restart area 0x%016llx names 0x%016llx as the one before it, which is no restart area",
					  (unsigned long long)r->lsn,
					  (unsigned long long)next);
			return 1;
		}
		r = prev;
	}
	return 0;
}

/*
 * A clean-close marker must say where the scan found the end, and the
 * floor must cover the last block (format.rst, "Clean close").
 */
static int clfs_check_clean(struct clfs_image *img)
{
	const struct clfs_meta_info *mi = img->mi;
	u64 block = CLFS_LSN_INVALID;

	if (!(mi->flags & CLFS_META_CLEAN))
		return 0;
	if (img->n_blocks)
		block = img->blocks[img->n_blocks - 1].bi.lsn;
	if (mi->clean_block != block || mi->clean_last != img->last_lsn ||
	    mi->clean_next != img->next_lsn) {
		clfs_image_report(img, -EUCLEAN,
				  "clean-close marker says the log ends at block 0x%016llx, record 0x%016llx, next 0x%016llx; the chain ends at block 0x%016llx, record 0x%016llx, next 0x%016llx",
				  (unsigned long long)mi->clean_block,
				  (unsigned long long)mi->clean_last,
				  (unsigned long long)mi->clean_next,
				  (unsigned long long)block,
				  (unsigned long long)img->last_lsn,
				  (unsigned long long)img->next_lsn);
		return 1;
	}
	if (img->last_seq > mi->seq_floor) {
		clfs_image_report(img, -EUCLEAN,
				  "clean close: the last block's sequence number %llu is above the sequence floor %llu",
				  (unsigned long long)img->last_seq,
				  (unsigned long long)mi->seq_floor);
		return 1;
	}
	return 0;
}

int clfs_image_check(struct clfs_image *img)
{
	const struct clfs_meta_info *mi = img->mi;
	struct clfs_check_walk w = { .restart_lsn = CLFS_LSN_INVALID };
	int problems = 0, ret;
	size_t i;

	if (!mi)
		return -EINVAL;
	for (i = 0; i < img->n_blocks; i++) {
		const struct clfs_block_info *bi = &img->blocks[i].bi;

		if (bi->floor > mi->seq_floor) {
			clfs_image_report(img, -EUCLEAN,
					  "block 0x%016llx: written under floor %llu, above the metadata's sequence floor %llu",
					  (unsigned long long)bi->lsn,
					  (unsigned long long)bi->floor,
					  (unsigned long long)mi->seq_floor);
			problems++;
		}
	}
	if (mi->restart_lsn != CLFS_LSN_INVALID &&
	    mi->restart_lsn >= img->start_lsn &&
	    clfs_image_mapped(img, mi->restart_lsn))
		w.restart_lsn = mi->restart_lsn;
	ret = clfs_image_records(img, clfs_check_record, &w);
	if (ret == -ENOMEM) {
		free(w.rs);
		return ret;
	}
	if (ret) {
		clfs_image_report(img, ret,
				  "blocks of the log no longer validate (the image changed?)");
		problems++;
	}
	img->n_records = w.n_records;
	if (mi->base_lsn != CLFS_LSN_NULL && !clfs_image_has(img, mi->base_lsn)) {
		clfs_image_report(img, -EUCLEAN,
				  "base LSN 0x%016llx names no record of the log",
				  (unsigned long long)mi->base_lsn);
		problems++;
	}
	if (mi->archive_tail != CLFS_LSN_INVALID &&
	    !clfs_image_has(img, mi->archive_tail)) {
		clfs_image_report(img, -EUCLEAN,
				  "archive tail 0x%016llx names no record of the log",
				  (unsigned long long)mi->archive_tail);
		problems++;
	}
	if (w.restart_lsn != CLFS_LSN_INVALID) {
		if (!clfs_image_has(img, w.restart_lsn)) {
			clfs_image_report(img, -EUCLEAN,
					  "restart LSN 0x%016llx names no record of the log",
					  (unsigned long long)w.restart_lsn);
			problems++;
		} else if (!ret && w.restart_type != CLFS_RECORD_RESTART) {
			clfs_image_report(img, -EUCLEAN,
					  "restart LSN 0x%016llx names a record that is no restart area",
					  (unsigned long long)w.restart_lsn);
			problems++;
		} else if (!ret) {
			problems += clfs_check_restart_chain(img, &w);
		}
	}
	free(w.rs);
	problems += clfs_check_clean(img);
	if (mi->end_lsn != CLFS_LSN_INVALID && mi->end_lsn >= img->start_lsn &&
	    clfs_image_mapped(img, mi->end_lsn) &&
	    !clfs_image_has(img, mi->end_lsn)) {
		clfs_image_report(img, -EUCLEAN,
				  "truncation point 0x%016llx names no record of the log",
				  (unsigned long long)mi->end_lsn);
		problems++;
	}
	return problems;
}

void clfs_image_close(struct clfs_image *img)
{
	free(img->copies[0]);
	free(img->copies[1]);
	free(img->blocks);
	free(img->buf);
	img->copies[0] = img->copies[1] = NULL;
	img->blocks = NULL;
	img->buf = NULL;
	img->n_blocks = img->n_alloc = 0;
	img->mi = NULL;
	img->copy = -1;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * clfs format code: the encoders, decoders and validators of the
 * on-disk format (Documentation/clfs/format.rst).
 *
 * Design: pure functions over caller buffers, shared verbatim by the
 * kernel module and user space (clfs_format_env.h gives both the same
 * vocabulary).  Decoders assume the disk is hostile: every length and
 * offset is checked with overflow-safe arithmetic before it is used, the
 * checksum is verified before any other field is believed, and any
 * violation is -EUCLEAN.  Nothing here allocates, sleeps or logs; callers
 * name the log and the reason in their own messages.
 */
#include "clfs_format.h"

#define CLFS_META_CRC_OFFSET	40U
#define CLFS_CONT_CRC_OFFSET	12U
#define CLFS_BLOCK_CRC_OFFSET	4U
#define CLFS_META_HDR_BYTES	((u32)sizeof(struct clfs_meta))
#define CLFS_META_ENTRY_BYTES	((u32)sizeof(struct clfs_meta_container))
#define CLFS_META_STREAM_BYTES	((u32)sizeof(struct clfs_meta_stream))
#define CLFS_SEQ_MAX		BIT_ULL(62)

static_assert(sizeof(struct clfs_meta) == 256);
static_assert(sizeof(struct clfs_meta_container) == 48);
static_assert(sizeof(struct clfs_meta_stream) == 96);
static_assert(offsetof(struct clfs_meta, n_streams) == 120);
static_assert(offsetof(struct clfs_record_header, stream) == 32);
static_assert(sizeof(struct clfs_container_header) == 128);
static_assert(sizeof(struct clfs_block_header) == 64);
static_assert(sizeof(struct clfs_record_header) == 40);
static_assert(offsetof(struct clfs_meta, crc) == CLFS_META_CRC_OFFSET);
static_assert(offsetof(struct clfs_container_header, crc) ==
	      CLFS_CONT_CRC_OFFSET);
static_assert(offsetof(struct clfs_block_header, crc) ==
	      CLFS_BLOCK_CRC_OFFSET);
static_assert(256 + 48 * CLFS_MAX_CONTAINERS + 96 * CLFS_MAX_STREAMS <=
	      CLFS_META_COPY_SIZE);
static_assert(CLFS_META_B_OFFSET + CLFS_META_COPY_SIZE <=
	      CLFS_CONTAINERS_START);

/* Is [p, p + len) all zero? */
static bool clfs_zero(const void *p, size_t len)
{
	const u8 *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

/* crc32c(seed) over @len bytes with the 4-byte field at @crc_off as zero. */
static u32 clfs_crc_skip(u32 seed, const void *buf, size_t len, size_t crc_off)
{
	static const u8 zero[4];
	u32 crc;

	crc = clfs_crc32c(seed, buf, crc_off);
	crc = clfs_crc32c(crc, zero, sizeof(zero));
	return clfs_crc32c(crc, (const u8 *)buf + crc_off + 4,
			   len - crc_off - 4);
}

/**
 * clfs_seed() - the per-log checksum seed
 * @uuid: the log's UUID
 *
 * Return: crc32c(~0, uuid, 16).
 */
u32 clfs_seed(const u8 uuid[16])
{
	return clfs_crc32c(~0U, uuid, 16);
}

bool clfs_uuid_is_zero(const u8 uuid[16])
{
	return clfs_zero(uuid, 16);
}

static bool clfs_io_unit_ok(u32 io_unit)
{
	return is_power_of_2(io_unit) && io_unit >= CLFS_IO_UNIT_MIN &&
	       io_unit <= CLFS_IO_UNIT_MAX;
}

static bool clfs_container_size_ok(u64 size)
{
	return size >= CLFS_CONTAINER_ALIGN && size <= CLFS_CONTAINER_MAX_SIZE &&
	       IS_ALIGNED(size, CLFS_CONTAINER_ALIGN);
}

/*
 * An LSN that names a block position inside an active container: its
 * logical id is in the table, its offset lies in the block area and on an
 * I/O-unit boundary.
 */
static bool clfs_meta_lsn_ok(const struct clfs_meta_info *mi, u64 lsn)
{
	const struct clfs_container_info *c;
	u32 off = clfs_lsn_block_offset(lsn);

	if (!clfs_lsn_is_valid(lsn))
		return false;
	c = clfs_meta_find_logical(mi, clfs_lsn_container(lsn));
	return c && c->state == CLFS_CONT_ACTIVE && off >= CLFS_BLOCKS_START &&
	       off < mi->container_size && IS_ALIGNED(off, mi->io_unit);
}

/*
 * An LSN shaped like one this log could have handed out: a logical id
 * already issued and a block offset as in clfs_meta_lsn_ok().  Its
 * container may have been recycled since (the restart LSN and the
 * truncation point may name records that are gone).
 */
static bool clfs_meta_lsn_form_ok(const struct clfs_meta_info *mi, u64 lsn)
{
	u32 off = clfs_lsn_block_offset(lsn);

	return clfs_lsn_is_valid(lsn) &&
	       clfs_lsn_container(lsn) < mi->next_logical &&
	       off >= CLFS_BLOCKS_START && off < mi->container_size &&
	       IS_ALIGNED(off, mi->io_unit);
}

/**
 * clfs_meta_find_logical() - the container entry with a logical id
 * @mi: decoded metadata
 * @logical_id: the id to find
 *
 * Return: the entry, or NULL.
 */
const struct clfs_container_info *
clfs_meta_find_logical(const struct clfs_meta_info *mi, u32 logical_id)
{
	u32 i;

	for (i = 0; i < mi->n_containers && i < CLFS_MAX_CONTAINERS; i++)
		if (mi->containers[i].logical_id == logical_id &&
		    mi->containers[i].state != CLFS_CONT_FREE)
			return &mi->containers[i];
	return NULL;
}

/**
 * clfs_stream_name_ok() - is @name a valid stream name?
 * @name: a buffer of CLFS_STREAM_NAME_SIZE bytes
 *
 * Return: true for 1..31 bytes of [A-Za-z0-9._-] followed by NUL bytes
 * to the end of the buffer.
 */
bool clfs_stream_name_ok(const char *name)
{
	u32 i, n = 0;

	while (n < CLFS_STREAM_NAME_SIZE && name[n])
		n++;
	if (!n || n >= CLFS_STREAM_NAME_SIZE)
		return false;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return false;
	}
	return clfs_zero(name + n, CLFS_STREAM_NAME_SIZE - n);
}

/**
 * clfs_meta_find_stream() - the stream table entry with an id
 * @mi: decoded metadata
 * @id: the id to find
 *
 * Return: the entry, or NULL (no such stream: never created, or deleted).
 */
const struct clfs_stream_info *
clfs_meta_find_stream(const struct clfs_meta_info *mi, u32 id)
{
	u32 lo = 0, hi = mi->n_streams < CLFS_MAX_STREAMS ? mi->n_streams :
			 CLFS_MAX_STREAMS;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (mi->streams[mid].id == id)
			return &mi->streams[mid];
		if (mi->streams[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/**
 * clfs_meta_find_stream_name() - the stream table entry with a name
 * @mi: decoded metadata
 * @name: the name, NUL-terminated
 *
 * Return: the entry, or NULL.
 */
const struct clfs_stream_info *
clfs_meta_find_stream_name(const struct clfs_meta_info *mi, const char *name)
{
	u32 i;

	for (i = 0; i < mi->n_streams && i < CLFS_MAX_STREAMS; i++)
		if (!strncmp(mi->streams[i].name, name, CLFS_STREAM_NAME_SIZE))
			return &mi->streams[i];
	return NULL;
}

/**
 * clfs_stream_start() - the start of a stream's active part
 * @st: the stream
 *
 * Return: min(its base, its archive tail), the archive tail counting only
 * when one is set.
 */
u64 clfs_stream_start(const struct clfs_stream_info *st)
{
	if (st->archive_tail == CLFS_LSN_INVALID)
		return st->base_lsn;
	return st->base_lsn < st->archive_tail ? st->base_lsn :
						 st->archive_tail;
}

/* The LSN rules of a base, an archive tail and a restart LSN. */
static bool clfs_meta_tails_ok(const struct clfs_meta_info *mi, u64 base,
			       u64 archive, u64 restart)
{
	if (base != CLFS_LSN_NULL && !clfs_meta_lsn_ok(mi, base))
		return false;
	if (archive != CLFS_LSN_INVALID && !clfs_meta_lsn_ok(mi, archive))
		return false;
	return restart == CLFS_LSN_INVALID ||
	       clfs_meta_lsn_form_ok(mi, restart);
}

/*
 * The clean-close fields (format.rst, "Clean close"): with CLFS_META_CLEAN,
 * an empty log (every field INVALID, @clean_next 0), or a last block in an
 * active container whose last record and next position lie after it in
 * that container, and an oldest record of this log's form not after the
 * last.  The streams' are INVALID or of this log's form, oldest not after
 * newest, newest not after the log's last (all INVALID in an empty log).
 */
static bool clfs_meta_clean_ok(const struct clfs_meta_info *mi)
{
	u32 off = clfs_lsn_block_offset(mi->clean_block);
	u32 id = clfs_lsn_container(mi->clean_block);
	u32 next = clfs_lsn_block_offset(mi->clean_next);
	u32 i;

	if (!(mi->flags & CLFS_META_CLEAN))
		return true;
	if (mi->clean_block == CLFS_LSN_INVALID) {
		if (mi->clean_last != CLFS_LSN_INVALID ||
		    mi->clean_first != CLFS_LSN_INVALID || mi->clean_next)
			return false;
	} else if (!clfs_meta_lsn_ok(mi, mi->clean_block) ||
		   clfs_lsn_record(mi->clean_block) ||
		   mi->clean_last < mi->clean_block ||
		   mi->clean_last - mi->clean_block >=
		   CLFS_MAX_RECORDS_PER_BLOCK ||
		   clfs_lsn_container(mi->clean_next) != id ||
		   clfs_lsn_record(mi->clean_next) || next <= off ||
		   next > mi->container_size || next - off > mi->block_size ||
		   !IS_ALIGNED(next, mi->io_unit) ||
		   !clfs_meta_lsn_form_ok(mi, mi->clean_first) ||
		   mi->clean_first > mi->clean_last) {
		return false;
	}
	for (i = 0; i < mi->n_streams && i < CLFS_MAX_STREAMS; i++) {
		const struct clfs_stream_info *st = &mi->streams[i];

		if (st->clean_last == CLFS_LSN_INVALID) {
			if (st->clean_first != CLFS_LSN_INVALID)
				return false;
			continue;
		}
		/* INVALID compares above every LSN: an empty log, checked. */
		if (mi->clean_last == CLFS_LSN_INVALID ||
		    !clfs_meta_lsn_form_ok(mi, st->clean_last) ||
		    st->clean_last > mi->clean_last ||
		    (st->clean_first != CLFS_LSN_INVALID &&
		     (!clfs_meta_lsn_form_ok(mi, st->clean_first) ||
		      st->clean_first > st->clean_last)))
			return false;
	}
	return true;
}

/**
 * clfs_meta_clear_clean() - drop the clean-close marker
 * @mi: the metadata: from now on the log may be written
 */
void clfs_meta_clear_clean(struct clfs_meta_info *mi)
{
	u32 i;

	mi->flags &= ~CLFS_META_CLEAN;
	mi->clean_block = CLFS_LSN_INVALID;
	mi->clean_last = CLFS_LSN_INVALID;
	mi->clean_next = 0;
	mi->clean_first = CLFS_LSN_INVALID;
	for (i = 0; i < mi->n_streams && i < CLFS_MAX_STREAMS; i++) {
		mi->streams[i].clean_first = CLFS_LSN_INVALID;
		mi->streams[i].clean_last = CLFS_LSN_INVALID;
	}
}

/* The stream table: ids in increasing order below next_stream, names. */
static int clfs_meta_check_streams(const struct clfs_meta_info *mi)
{
	u32 i, j;

	if (!clfs_meta_multiplexed(mi))
		return mi->n_streams || mi->next_stream ? -EUCLEAN : 0;
	if (mi->n_streams > CLFS_MAX_STREAMS || !mi->next_stream ||
	    mi->next_stream > CLFS_STREAM_ID_MAX)
		return -EUCLEAN;
	if (mi->base_lsn != CLFS_LSN_NULL ||
	    mi->archive_tail != CLFS_LSN_INVALID ||
	    mi->restart_lsn != CLFS_LSN_INVALID ||
	    mi->end_lsn != CLFS_LSN_INVALID)
		return -EUCLEAN;
	for (i = 0; i < mi->n_streams; i++) {
		const struct clfs_stream_info *st = &mi->streams[i];

		if (!st->id || st->id >= mi->next_stream ||
		    (i && st->id <= mi->streams[i - 1].id))
			return -EUCLEAN;
		if (!clfs_stream_name_ok(st->name))
			return -EUCLEAN;
		if (!clfs_meta_tails_ok(mi, st->base_lsn, st->archive_tail,
					st->restart_lsn))
			return -EUCLEAN;
		for (j = 0; j < i; j++)
			if (!strncmp(mi->streams[j].name, st->name,
				     CLFS_STREAM_NAME_SIZE))
				return -EUCLEAN;
	}
	return 0;
}

static int clfs_meta_check_entry(const struct clfs_meta_info *mi, u32 i)
{
	const struct clfs_container_info *c = &mi->containers[i];
	u64 end, oend;
	u32 j;

	if (c->state < CLFS_CONT_FREE || c->state > CLFS_CONT_PENDING_REMOVAL)
		return -EUCLEAN;
	if (c->logical_id >= mi->next_logical)
		return -EUCLEAN;
	if (!IS_ALIGNED(c->dev_offset, mi->io_unit))
		return -EUCLEAN;
	if (clfs_uuid_is_zero(c->dev_uuid) &&
	    c->dev_offset < CLFS_CONTAINERS_START)
		return -EUCLEAN;
	if (check_add_overflow(c->dev_offset, mi->container_size, &end))
		return -EUCLEAN;
	for (j = 0; j < i; j++) {
		const struct clfs_container_info *o = &mi->containers[j];

		if (o->physical_id == c->physical_id ||
		    o->logical_id == c->logical_id)
			return -EUCLEAN;
		if (memcmp(o->dev_uuid, c->dev_uuid, 16))
			continue;
		oend = o->dev_offset + mi->container_size; /* checked at j */
		if (c->dev_offset < oend && o->dev_offset < end)
			return -EUCLEAN;
	}
	return 0;
}

/**
 * clfs_meta_check() - validate decoded metadata as a whole
 * @mi: the metadata
 *
 * Checks every rule of the format document's "Validation of a copy" that
 * does not concern the encoding itself: sizes, the container table (ids,
 * states, overlaps), the LSNs, the kind and the stream table.  Device
 * sizes are the caller's to check.
 *
 * Return: 0, or -EUCLEAN.
 */
int clfs_meta_check(const struct clfs_meta_info *mi)
{
	u32 i;
	int ret;

	if (!clfs_io_unit_ok(mi->io_unit))
		return -EUCLEAN;
	if (mi->block_size < CLFS_BLOCK_SIZE_MIN ||
	    mi->block_size > CLFS_BLOCK_SIZE_MAX ||
	    !IS_ALIGNED(mi->block_size, mi->io_unit))
		return -EUCLEAN;
	if (!clfs_container_size_ok(mi->container_size) ||
	    mi->block_size > mi->container_size - CLFS_BLOCKS_START)
		return -EUCLEAN;
	if (mi->n_containers > CLFS_MAX_CONTAINERS)
		return -EUCLEAN;
	if (mi->next_logical > (u32)(CLFS_LSN_INVALID >> 32))
		return -EUCLEAN;
	if (mi->seq_floor > CLFS_SEQ_MAX)
		return -EUCLEAN;
	if (clfs_uuid_is_zero(mi->uuid))
		return -EUCLEAN;
	for (i = 0; i < mi->n_containers; i++) {
		ret = clfs_meta_check_entry(mi, i);
		if (ret)
			return ret;
	}
	if (!clfs_meta_tails_ok(mi, mi->base_lsn, mi->archive_tail,
				mi->restart_lsn))
		return -EUCLEAN;
	if (mi->end_lsn == CLFS_LSN_INVALID ? mi->end_floor != 0 :
	    !clfs_meta_lsn_form_ok(mi, mi->end_lsn) ||
	    mi->end_floor > mi->seq_floor)
		return -EUCLEAN;
	if (mi->flags & ~(CLFS_META_MULTIPLEXED | CLFS_META_CLEAN))
		return -EUCLEAN;
	ret = clfs_meta_check_streams(mi);
	if (ret)
		return ret;
	return clfs_meta_clean_ok(mi) ? 0 : -EUCLEAN;
}

/**
 * clfs_meta_decode() - decode and fully validate one metadata copy
 * @buf: the copy as read from disk
 * @len: bytes in @buf (at most CLFS_META_COPY_SIZE are looked at)
 * @mi: filled in; meaningful only on success
 *
 * Return: 0, or -EUCLEAN for anything but a valid v3 copy.
 */
int clfs_meta_decode(const void *buf, size_t len, struct clfs_meta_info *mi)
{
	const struct clfs_meta *m = buf;
	const struct clfs_meta_container *t;
	const struct clfs_meta_stream *st;
	u32 bytes, n, ns, i;
	bool clean;

	if (len < CLFS_META_HDR_BYTES)
		return -EUCLEAN;
	if (le64_to_cpu(m->magic) != CLFS_META_MAGIC ||
	    le16_to_cpu(m->version_major) != CLFS_FORMAT_MAJOR)
		return -EUCLEAN;
	n = le32_to_cpu(m->n_containers);
	ns = le32_to_cpu(m->n_streams);
	bytes = le32_to_cpu(m->bytes);
	/* Both counts are bounded first: the product cannot overflow. */
	if (n > CLFS_MAX_CONTAINERS || ns > CLFS_MAX_STREAMS ||
	    bytes != CLFS_META_HDR_BYTES + n * CLFS_META_ENTRY_BYTES +
		     ns * CLFS_META_STREAM_BYTES ||
	    bytes > len || bytes > CLFS_META_COPY_SIZE)
		return -EUCLEAN;
	if (clfs_crc_skip(clfs_seed(m->log_uuid), buf, bytes,
			  CLFS_META_CRC_OFFSET) != le32_to_cpu(m->crc))
		return -EUCLEAN;
	if (!clfs_zero(m->reserved, sizeof(m->reserved)))
		return -EUCLEAN;

	mi->generation = le64_to_cpu(m->generation);
	memcpy(mi->uuid, m->log_uuid, 16);
	mi->io_unit = le32_to_cpu(m->io_unit);
	mi->block_size = le32_to_cpu(m->block_size);
	mi->n_containers = n;
	mi->next_logical = le32_to_cpu(m->next_logical);
	mi->container_size = le64_to_cpu(m->container_size);
	mi->base_lsn = le64_to_cpu(m->base_lsn);
	mi->archive_tail = le64_to_cpu(m->archive_tail);
	mi->restart_lsn = le64_to_cpu(m->restart_lsn);
	mi->seq_floor = le64_to_cpu(m->seq_floor);
	mi->end_lsn = le64_to_cpu(m->end_lsn);
	mi->end_floor = le64_to_cpu(m->end_floor);
	mi->flags = le32_to_cpu(m->flags);
	mi->n_streams = ns;
	mi->next_stream = le32_to_cpu(m->next_stream);
	clean = mi->flags & CLFS_META_CLEAN;
	if (!clean && (m->clean_block || m->clean_last || m->clean_next ||
		       m->clean_first))
		return -EUCLEAN;
	mi->clean_block = clean ? le64_to_cpu(m->clean_block) :
				  CLFS_LSN_INVALID;
	mi->clean_last = clean ? le64_to_cpu(m->clean_last) : CLFS_LSN_INVALID;
	mi->clean_next = clean ? le64_to_cpu(m->clean_next) : 0;
	mi->clean_first = clean ? le64_to_cpu(m->clean_first) :
				  CLFS_LSN_INVALID;

	t = (const struct clfs_meta_container *)(m + 1);
	for (i = 0; i < n; i++) {
		struct clfs_container_info *c = &mi->containers[i];

		if (t[i].reserved || t[i].reserved2)
			return -EUCLEAN;
		c->physical_id = le32_to_cpu(t[i].physical_id);
		c->logical_id = le32_to_cpu(t[i].logical_id);
		c->state = le32_to_cpu(t[i].state);
		memcpy(c->dev_uuid, t[i].dev_uuid, 16);
		c->dev_offset = le64_to_cpu(t[i].dev_offset);
	}
	st = (const struct clfs_meta_stream *)(t + n);
	for (i = 0; i < ns; i++) {
		struct clfs_stream_info *si = &mi->streams[i];

		if (st[i].flags || !clfs_zero(st[i].reserved,
					      sizeof(st[i].reserved)))
			return -EUCLEAN;
		si->id = le32_to_cpu(st[i].id);
		memcpy(si->name, st[i].name, CLFS_STREAM_NAME_SIZE);
		si->base_lsn = le64_to_cpu(st[i].base_lsn);
		si->archive_tail = le64_to_cpu(st[i].archive_tail);
		si->restart_lsn = le64_to_cpu(st[i].restart_lsn);
		if (!clean && (st[i].clean_first || st[i].clean_last))
			return -EUCLEAN;
		si->clean_first = clean ? le64_to_cpu(st[i].clean_first) :
					  CLFS_LSN_INVALID;
		si->clean_last = clean ? le64_to_cpu(st[i].clean_last) :
					 CLFS_LSN_INVALID;
	}
	return clfs_meta_check(mi);
}

/**
 * clfs_meta_encode() - encode metadata into one copy
 * @mi: the metadata; it must pass clfs_meta_check()
 * @buf: destination; all @len bytes are written (zero past the table)
 * @len: bytes in @buf, at least the encoded size
 *
 * Return: the encoded size in bytes, or -EINVAL if @mi is invalid or does
 * not fit in @len.
 */
int clfs_meta_encode(const struct clfs_meta_info *mi, void *buf, size_t len)
{
	struct clfs_meta *m = buf;
	struct clfs_meta_container *t;
	struct clfs_meta_stream *st;
	u32 bytes, i;

	if (clfs_meta_check(mi))
		return -EINVAL;
	bytes = CLFS_META_HDR_BYTES + mi->n_containers * CLFS_META_ENTRY_BYTES +
		mi->n_streams * CLFS_META_STREAM_BYTES;
	if (bytes > len)
		return -EINVAL;
	memset(buf, 0, len);
	m->magic = cpu_to_le64(CLFS_META_MAGIC);
	m->version_major = cpu_to_le16(CLFS_FORMAT_MAJOR);
	m->version_minor = cpu_to_le16(CLFS_FORMAT_MINOR);
	m->bytes = cpu_to_le32(bytes);
	m->generation = cpu_to_le64(mi->generation);
	memcpy(m->log_uuid, mi->uuid, 16);
	m->io_unit = cpu_to_le32(mi->io_unit);
	m->block_size = cpu_to_le32(mi->block_size);
	m->n_containers = cpu_to_le32(mi->n_containers);
	m->container_size = cpu_to_le64(mi->container_size);
	m->next_logical = cpu_to_le32(mi->next_logical);
	m->base_lsn = cpu_to_le64(mi->base_lsn);
	m->archive_tail = cpu_to_le64(mi->archive_tail);
	m->restart_lsn = cpu_to_le64(mi->restart_lsn);
	m->seq_floor = cpu_to_le64(mi->seq_floor);
	m->end_lsn = cpu_to_le64(mi->end_lsn);
	m->end_floor = cpu_to_le64(mi->end_floor);
	m->flags = cpu_to_le32(mi->flags);
	m->n_streams = cpu_to_le32(mi->n_streams);
	m->next_stream = cpu_to_le32(mi->next_stream);
	if (mi->flags & CLFS_META_CLEAN) {
		m->clean_block = cpu_to_le64(mi->clean_block);
		m->clean_last = cpu_to_le64(mi->clean_last);
		m->clean_next = cpu_to_le64(mi->clean_next);
		m->clean_first = cpu_to_le64(mi->clean_first);
	}
	t = (struct clfs_meta_container *)(m + 1);
	for (i = 0; i < mi->n_containers; i++) {
		const struct clfs_container_info *c = &mi->containers[i];

		t[i].physical_id = cpu_to_le32(c->physical_id);
		t[i].logical_id = cpu_to_le32(c->logical_id);
		t[i].state = cpu_to_le32(c->state);
		memcpy(t[i].dev_uuid, c->dev_uuid, 16);
		t[i].dev_offset = cpu_to_le64(c->dev_offset);
	}
	st = (struct clfs_meta_stream *)(t + mi->n_containers);
	for (i = 0; i < mi->n_streams; i++) {
		const struct clfs_stream_info *si = &mi->streams[i];

		st[i].id = cpu_to_le32(si->id);
		memcpy(st[i].name, si->name, CLFS_STREAM_NAME_SIZE);
		st[i].base_lsn = cpu_to_le64(si->base_lsn);
		st[i].archive_tail = cpu_to_le64(si->archive_tail);
		st[i].restart_lsn = cpu_to_le64(si->restart_lsn);
		if (mi->flags & CLFS_META_CLEAN) {
			st[i].clean_first = cpu_to_le64(si->clean_first);
			st[i].clean_last = cpu_to_le64(si->clean_last);
		}
	}
	m->crc = cpu_to_le32(clfs_crc_skip(clfs_seed(mi->uuid), buf, bytes,
					   CLFS_META_CRC_OFFSET));
	return (int)bytes;
}

/**
 * clfs_meta_choose() - pick the copy to use from the two decode results
 * @ra: clfs_meta_decode() result of copy A
 * @a: copy A (looked at only if @ra is 0)
 * @rb: clfs_meta_decode() result of copy B
 * @b: copy B (looked at only if @rb is 0)
 *
 * Return: 0 for A, 1 for B, or -EUCLEAN when neither is valid, when the
 * two valid copies belong to different logs, or when they carry one
 * generation (the update rule never produces that).
 */
int clfs_meta_choose(int ra, const struct clfs_meta_info *a,
		     int rb, const struct clfs_meta_info *b)
{
	if (ra && rb)
		return -EUCLEAN;
	if (ra)
		return 1;
	if (rb)
		return 0;
	if (memcmp(a->uuid, b->uuid, 16) || a->generation == b->generation)
		return -EUCLEAN;
	return a->generation > b->generation ? 0 : 1;
}

/**
 * clfs_cont_hdr_encode() - write a container header
 * @ci: the header's fields
 * @buf: at least 128 bytes; the caller zeroes the rest of the I/O unit
 * @seed: the log's checksum seed
 */
void clfs_cont_hdr_encode(const struct clfs_cont_hdr_info *ci, void *buf,
			  u32 seed)
{
	struct clfs_container_header *h = buf;

	memset(h, 0, sizeof(*h));
	h->magic = cpu_to_le64(CLFS_CONT_MAGIC);
	h->version_major = cpu_to_le16(CLFS_CONT_FORMAT_MAJOR);
	memcpy(h->log_uuid, ci->log_uuid, 16);
	memcpy(h->dev_uuid, ci->dev_uuid, 16);
	h->physical_id = cpu_to_le32(ci->physical_id);
	h->io_unit = cpu_to_le32(ci->io_unit);
	h->container_size = cpu_to_le64(ci->container_size);
	h->dev_offset = cpu_to_le64(ci->dev_offset);
	h->crc = cpu_to_le32(clfs_crc_skip(seed, h, sizeof(*h),
					   CLFS_CONT_CRC_OFFSET));
}

/**
 * clfs_cont_hdr_decode() - decode and validate a container header
 * @buf: the container's first bytes
 * @len: bytes in @buf
 * @seed: the expected log's seed: a header of another log fails its crc
 * @ci: filled in on success; the caller compares it with the metadata
 *
 * Return: 0, or -EUCLEAN.
 */
int clfs_cont_hdr_decode(const void *buf, size_t len, u32 seed,
			 struct clfs_cont_hdr_info *ci)
{
	const struct clfs_container_header *h = buf;

	if (len < sizeof(*h))
		return -EUCLEAN;
	if (le64_to_cpu(h->magic) != CLFS_CONT_MAGIC ||
	    le16_to_cpu(h->version_major) != CLFS_CONT_FORMAT_MAJOR)
		return -EUCLEAN;
	if (clfs_crc_skip(seed, h, sizeof(*h), CLFS_CONT_CRC_OFFSET) !=
	    le32_to_cpu(h->crc))
		return -EUCLEAN;
	if (!clfs_zero(h->reserved, sizeof(h->reserved)))
		return -EUCLEAN;
	memcpy(ci->log_uuid, h->log_uuid, 16);
	memcpy(ci->dev_uuid, h->dev_uuid, 16);
	ci->physical_id = le32_to_cpu(h->physical_id);
	ci->io_unit = le32_to_cpu(h->io_unit);
	ci->container_size = le64_to_cpu(h->container_size);
	ci->dev_offset = le64_to_cpu(h->dev_offset);
	if (!clfs_io_unit_ok(ci->io_unit) ||
	    !clfs_container_size_ok(ci->container_size))
		return -EUCLEAN;
	return 0;
}

/**
 * clfs_block_init() - start an empty block in a write buffer
 * @buf: the buffer, at least a block header long
 * @lsn: LSN of the block (record index 0)
 * @seq: its sequence number
 * @floor: the sequence floor in effect
 * @prev_lsn: LSN of the block before it, or CLFS_LSN_INVALID
 * @prev_last: LSN of that block's last record still in the log (fewer than
 *	it holds after a truncation), or CLFS_LSN_INVALID with @prev_lsn
 */
void clfs_block_init(void *buf, u64 lsn, u64 seq, u64 floor, u64 prev_lsn,
		     u64 prev_last)
{
	struct clfs_block_header *h = buf;

	memset(h, 0, sizeof(*h));
	h->magic = cpu_to_le32(CLFS_BLOCK_MAGIC);
	h->seq = cpu_to_le64(seq);
	h->lsn = cpu_to_le64(lsn);
	h->used = cpu_to_le32(sizeof(*h));
	h->prev_lsn = cpu_to_le64(prev_lsn);
	h->floor = cpu_to_le64(floor);
	h->prev_last = cpu_to_le64(prev_last);
}

/**
 * clfs_block_add_record() - append a record header to a block being built
 * @buf: the buffer, started with clfs_block_init()
 * @capacity: bytes the block may grow to
 * @undo_next: the record's undo-next LSN
 * @previous: the record's previous LSN
 * @type: CLFS_RECORD_DATA or CLFS_RECORD_RESTART
 * @length: bytes of data the caller copies to @data_offset afterwards
 * @stream: the record's stream (0 in a dedicated log)
 * @lsn: the record's LSN
 * @data_offset: where its data goes; the alignment padding after it is
 *	already zero
 *
 * Return: 0, -ENOSPC if the record does not fit in @capacity or the block
 * has CLFS_MAX_RECORDS_PER_BLOCK records, -EINVAL for a bad @type or
 * @stream.
 */
int clfs_block_add_record(void *buf, u32 capacity, u64 undo_next,
			  u64 previous, u32 type, u32 length, u32 stream,
			  u64 *lsn, u32 *data_offset)
{
	struct clfs_block_header *h = buf;
	struct clfs_record_header *r;
	u32 used = le32_to_cpu(h->used);
	u32 n = le16_to_cpu(h->n_records);
	u32 space;

	if ((type != CLFS_RECORD_DATA && type != CLFS_RECORD_RESTART) ||
	    stream >= CLFS_STREAM_ID_MAX)
		return -EINVAL;
	if (n >= CLFS_MAX_RECORDS_PER_BLOCK ||
	    length > clfs_record_max(CLFS_BLOCK_SIZE_MAX))
		return -ENOSPC;
	space = clfs_record_space(length);
	if (used > capacity || space > capacity - used)
		return -ENOSPC;
	r = (struct clfs_record_header *)((u8 *)buf + used);
	/* The caller writes every data byte: only the rest is zeroed here. */
	memset(r, 0, sizeof(*r));
	memset((u8 *)(r + 1) + length, 0, space - sizeof(*r) - length);
	*lsn = le64_to_cpu(h->lsn) + n;
	r->lsn = cpu_to_le64(*lsn);
	r->undo_next = cpu_to_le64(undo_next);
	r->previous = cpu_to_le64(previous);
	r->type = cpu_to_le32(type);
	r->length = cpu_to_le32(length);
	r->stream = cpu_to_le32(stream);
	*data_offset = used + (u32)sizeof(*r);
	h->used = cpu_to_le32(used + space);
	h->n_records = cpu_to_le16(n + 1);
	return 0;
}

/**
 * clfs_block_pad() - finish a block for writing, all but its checksum
 * @buf: the block; its buffer must reach the next I/O unit boundary
 * @io_unit: the log's I/O unit
 *
 * Pads the block with zeros to an I/O-unit multiple, records its size and
 * zeroes its checksum field: the checksum is then crc32c(seed) of the
 * block's bytes as they are (clfs_block_set_crc()), which a caller may
 * compute in parts.
 *
 * Return: the block's size on disk.
 */
u32 clfs_block_pad(void *buf, u32 io_unit)
{
	struct clfs_block_header *h = buf;
	u32 used = le32_to_cpu(h->used);
	u32 size = round_up(used, io_unit);

	memset((u8 *)buf + used, 0, size - used);
	h->size = cpu_to_le32(size);
	h->crc = 0;
	return size;
}

/**
 * clfs_block_set_crc() - set a padded block's checksum
 * @buf: the block, clfs_block_pad() done
 * @crc: crc32c(seed) of its clfs_block_pad() bytes
 */
void clfs_block_set_crc(void *buf, u32 crc)
{
	struct clfs_block_header *h = buf;

	h->crc = cpu_to_le32(crc);
}

/**
 * clfs_block_seal() - finish a block for writing
 * @buf: the block; its buffer must reach the next I/O unit boundary
 * @io_unit: the log's I/O unit
 * @seed: the log's checksum seed
 *
 * Pads the block with zeros to an I/O-unit multiple, records its size and
 * sets its checksum.
 *
 * Return: the block's size on disk.
 */
u32 clfs_block_seal(void *buf, u32 io_unit, u32 seed)
{
	u32 size = clfs_block_pad(buf, io_unit);

	clfs_block_set_crc(buf, clfs_crc32c(seed, buf, size));
	return size;
}

/**
 * clfs_block_peek() - check a block header enough to learn its size
 * @buf: the block's first bytes
 * @len: bytes in @buf
 * @expect_lsn: the LSN of the position it was read from
 * @io_unit: the log's I/O unit
 * @max_size: the largest size possible here (block size, container end)
 * @size: the block's size, to read the rest before clfs_block_decode()
 *
 * Return: 0, or -EUCLEAN if this is no block of this position.
 */
int clfs_block_peek(const void *buf, size_t len, u64 expect_lsn,
		    u32 io_unit, u32 max_size, u32 *size)
{
	const struct clfs_block_header *h = buf;
	u32 s;

	if (len < sizeof(*h))
		return -EUCLEAN;
	if (le32_to_cpu(h->magic) != CLFS_BLOCK_MAGIC ||
	    le64_to_cpu(h->lsn) != expect_lsn)
		return -EUCLEAN;
	s = le32_to_cpu(h->size);
	if (!s || !clfs_io_unit_ok(io_unit) || !IS_ALIGNED(s, io_unit) ||
	    s > max_size)
		return -EUCLEAN;
	*size = s;
	return 0;
}

/* clfs_block_peek(), and all of the block's @size bytes are in @buf. */
static int clfs_block_whole(const void *buf, size_t len, u64 expect_lsn,
			    u32 io_unit, u32 max_size, u32 *size)
{
	int ret = clfs_block_peek(buf, len, expect_lsn, io_unit, max_size,
				  size);

	return ret ?: (*size > len ? -EUCLEAN : 0);
}

/**
 * clfs_block_crc() - the checksum of a block, as its header should say
 * @buf: the block
 * @size: its size (its header's)
 * @seed: the log's checksum seed
 *
 * For a reader that checksums blocks apart from decoding them
 * (clfs_block_decode_crc()), as the kernel's parallel block scan does.
 *
 * Return: crc32c over the block, its crc field as zero.
 */
u32 clfs_block_crc(const void *buf, u32 size, u32 seed)
{
	return clfs_crc_skip(seed, buf, size, CLFS_BLOCK_CRC_OFFSET);
}

/**
 * clfs_block_decode() - validate a whole block read from disk
 * @buf: the block
 * @len: bytes in @buf
 * @seed: the log's checksum seed
 * @expect_lsn: the LSN of the position it was read from
 * @io_unit: the log's I/O unit
 * @max_size: the largest size possible at this position
 * @next_stream: 0 for a dedicated log, else the metadata's next_stream
 * @bi: filled in on success
 *
 * Checks the header, the checksum over the whole block, and every record
 * header (see clfs_block_records()).
 *
 * Return: 0, or -EUCLEAN for a torn, stale, foreign or corrupt block.
 */
int clfs_block_decode(const void *buf, size_t len, u32 seed, u64 expect_lsn,
		      u32 io_unit, u32 max_size, u32 next_stream,
		      struct clfs_block_info *bi)
{
	u32 size;
	int ret;

	ret = clfs_block_whole(buf, len, expect_lsn, io_unit, max_size, &size);
	if (ret)
		return ret;
	return clfs_block_decode_crc(buf, len, clfs_block_crc(buf, size, seed),
				     expect_lsn, io_unit, max_size,
				     next_stream, bi);
}

/**
 * clfs_block_decode_crc() - clfs_block_decode() with the block's checksum
 *	already computed
 * @buf: the block
 * @len: bytes in @buf
 * @crc: clfs_block_crc() of these very bytes, over the size in their
 *	header
 * @expect_lsn: as clfs_block_decode()
 * @io_unit: as clfs_block_decode()
 * @max_size: as clfs_block_decode()
 * @next_stream: as clfs_block_decode()
 * @bi: as clfs_block_decode()
 *
 * Return: as clfs_block_decode().
 */
int clfs_block_decode_crc(const void *buf, size_t len, u32 crc,
			  u64 expect_lsn, u32 io_unit, u32 max_size,
			  u32 next_stream, struct clfs_block_info *bi)
{
	const struct clfs_block_header *h = buf;
	u32 size, used, n;
	int ret;

	ret = clfs_block_whole(buf, len, expect_lsn, io_unit, max_size, &size);
	if (ret)
		return ret;
	if (crc != le32_to_cpu(h->crc))
		return -EUCLEAN;
	used = le32_to_cpu(h->used);
	n = le16_to_cpu(h->n_records);
	if (h->flags || h->reserved)
		return -EUCLEAN;
	if (used > size || used < sizeof(*h) || n == 0 ||
	    n > CLFS_MAX_RECORDS_PER_BLOCK)
		return -EUCLEAN;
	if (!clfs_zero((const u8 *)buf + used, size - used))
		return -EUCLEAN;
	bi->seq = le64_to_cpu(h->seq);
	bi->floor = le64_to_cpu(h->floor);
	bi->lsn = expect_lsn;
	bi->prev_lsn = le64_to_cpu(h->prev_lsn);
	bi->prev_last = le64_to_cpu(h->prev_last);
	bi->size = size;
	bi->used = used;
	bi->n_records = n;
	if (bi->seq == 0 || bi->seq > CLFS_SEQ_MAX || bi->floor >= bi->seq)
		return -EUCLEAN;
	/* prev_last names a record of the block prev_lsn names. */
	if (bi->prev_lsn == CLFS_LSN_INVALID ?
	    bi->prev_last != CLFS_LSN_INVALID :
	    bi->prev_last - clfs_lsn_record(bi->prev_last) != bi->prev_lsn)
		return -EUCLEAN;
	return clfs_block_records(buf, used, expect_lsn, n, next_stream);
}

/**
 * clfs_record_at() - decode the record header at an offset of a block
 * @buf: the block
 * @used: its used bytes (already bounded by the block's size)
 * @offset: the header's offset
 * @rv: filled in on success
 *
 * Return: 0, or -EUCLEAN if the header or its data fall outside @used or
 * its fields are invalid.
 */
int clfs_record_at(const void *buf, u32 used, u32 offset,
		   struct clfs_record_view *rv)
{
	const struct clfs_record_header *r;
	u32 space, end;

	if (offset > used || used - offset < sizeof(*r) ||
	    !IS_ALIGNED(offset, CLFS_RECORD_ALIGN))
		return -EUCLEAN;
	r = (const struct clfs_record_header *)((const u8 *)buf + offset);
	rv->lsn = le64_to_cpu(r->lsn);
	rv->undo_next = le64_to_cpu(r->undo_next);
	rv->previous = le64_to_cpu(r->previous);
	rv->type = le32_to_cpu(r->type);
	rv->length = le32_to_cpu(r->length);
	rv->stream = le32_to_cpu(r->stream);
	if (r->reserved || rv->stream >= CLFS_STREAM_ID_MAX ||
	    (rv->type != CLFS_RECORD_DATA && rv->type != CLFS_RECORD_RESTART))
		return -EUCLEAN;
	if (rv->length > used)
		return -EUCLEAN;
	space = clfs_record_space(rv->length);
	if (check_add_overflow(offset, space, &end) || end > used)
		return -EUCLEAN;
	rv->data_offset = offset + (u32)sizeof(*r);
	rv->next_offset = end;
	return 0;
}

/**
 * clfs_block_records() - validate the record headers of a block
 * @buf: the block
 * @used: its used bytes (already bounded by the block's size)
 * @block_lsn: the block's LSN
 * @n_records: the record count from its header
 * @next_stream: 0 for a dedicated log, else the metadata's next_stream
 *
 * Each record's LSN must be the block's plus its index, its type known,
 * its stream 0 in a dedicated log (@next_stream 0) and in [1,
 * @next_stream) in a multiplexed one, its data and padding inside @used
 * with the padding zero, and the last record must end exactly at @used.
 *
 * Return: 0, or -EUCLEAN.
 */
int clfs_block_records(const void *buf, u32 used, u64 block_lsn,
		       u32 n_records, u32 next_stream)
{
	struct clfs_record_view rv;
	u32 off = sizeof(struct clfs_block_header);
	u32 i;

	if (clfs_lsn_record(block_lsn) != 0 ||
	    n_records > CLFS_MAX_RECORDS_PER_BLOCK)
		return -EUCLEAN;
	for (i = 0; i < n_records; i++) {
		if (clfs_record_at(buf, used, off, &rv))
			return -EUCLEAN;
		if (rv.lsn != block_lsn + i)
			return -EUCLEAN;
		if (next_stream ? !rv.stream || rv.stream >= next_stream :
				  rv.stream)
			return -EUCLEAN;
		if (!clfs_zero((const u8 *)buf + rv.data_offset + rv.length,
			       rv.next_offset - rv.data_offset - rv.length))
			return -EUCLEAN;
		off = rv.next_offset;
	}
	return off == used ? 0 : -EUCLEAN;
}

/**
 * clfs_block_follows() - does @next continue the log after @prev?
 * @prev: a validated block
 * @next: the validated block at the position after it
 *
 * @next must name @prev as its predecessor and one of @prev's records as
 * the last one kept (a truncation keeps fewer than @prev holds), and its
 * sequence number must be @prev's plus one, or the first of a new floor
 * that @prev does not exceed (the jump recovery and truncation make;
 * format.rst, "Torn and stale blocks").
 *
 * Return: true if @next continues the log.
 */
bool clfs_block_follows(const struct clfs_block_info *prev,
			const struct clfs_block_info *next)
{
	if (next->prev_lsn != prev->lsn ||
	    clfs_lsn_record(next->prev_last) >= prev->n_records)
		return false;
	if (next->seq == prev->seq + 1)
		return true;
	return next->seq == next->floor + 1 && prev->seq <= next->floor;
}

/**
 * clfs_log_follows() - does @next continue the log after @prev, with the
 *	metadata's truncation applied?
 * @mi: the metadata the log was opened with
 * @prev: a validated block of the log
 * @next: the validated block at the position after it
 *
 * The chain rule is clfs_block_follows().  The truncation rule: when the
 * metadata records a truncation (end_lsn) inside @prev, a block after
 * @prev belongs to the log only if it was written after the truncation
 * (its floor is at least end_floor) and keeps exactly @prev's records up
 * to end_lsn.  The engine's recovery and the offline reader both decide
 * by this function.
 *
 * Return: CLFS_FOLLOWS, CLFS_NOT_CHAINED or CLFS_CUT_BY_TRUNCATION.
 */
enum clfs_follows clfs_log_follows(const struct clfs_meta_info *mi,
				   const struct clfs_block_info *prev,
				   const struct clfs_block_info *next)
{
	return clfs_log_follows_end(mi->end_lsn, mi->end_floor, prev, next);
}

/**
 * clfs_log_follows_end() - clfs_log_follows() with the truncation given
 * @end: the metadata's end_lsn
 * @end_floor: its end_floor
 * @prev: a validated block of the log
 * @next: the validated block at the position after it
 *
 * Return: CLFS_FOLLOWS, CLFS_NOT_CHAINED or CLFS_CUT_BY_TRUNCATION.
 */
enum clfs_follows clfs_log_follows_end(u64 end, u64 end_floor,
				       const struct clfs_block_info *prev,
				       const struct clfs_block_info *next)
{
	if (!clfs_block_follows(prev, next))
		return CLFS_NOT_CHAINED;
	if (end != CLFS_LSN_INVALID && end - clfs_lsn_record(end) == prev->lsn &&
	    (next->floor < end_floor || next->prev_last != end))
		return CLFS_CUT_BY_TRUNCATION;
	return CLFS_FOLLOWS;
}

/**
 * clfs_start_lsn() - the start of the active log in a metadata state
 * @mi: the metadata
 *
 * Return: min(base LSN, archive tail), the archive tail counting only when
 * one is set; for a multiplexed log the smallest of its streams' starts,
 * or CLFS_LSN_NULL (the lowest logical container) with no stream.
 */
u64 clfs_start_lsn(const struct clfs_meta_info *mi)
{
	u64 start = CLFS_LSN_INVALID, s;
	u32 i;

	if (!clfs_meta_multiplexed(mi)) {
		if (mi->archive_tail == CLFS_LSN_INVALID)
			return mi->base_lsn;
		return mi->base_lsn < mi->archive_tail ? mi->base_lsn :
							 mi->archive_tail;
	}
	for (i = 0; i < mi->n_streams && i < CLFS_MAX_STREAMS; i++) {
		s = clfs_stream_start(&mi->streams[i]);
		if (s < start)
			start = s;
	}
	return start == CLFS_LSN_INVALID ? CLFS_LSN_NULL : start;
}

/**
 * clfs_meta_identify() - what a metadata copy that failed to decode is
 * @buf: the copy as read
 * @len: bytes at @buf
 * @major: receives the format version it claims, if it is clfs metadata
 * @minor: likewise
 *
 * For messages only: a copy is used only after clfs_meta_decode().
 *
 * Return: CLFS_NOT_CLFS (no clfs magic, or too short), CLFS_OTHER_VERSION
 * (clfs metadata of another format version) or CLFS_CORRUPT.
 */
enum clfs_identity clfs_meta_identify(const void *buf, u32 len, u32 *major,
				      u32 *minor)
{
	const struct clfs_meta *m = buf;

	if (len < sizeof(*m) || le64_to_cpu(m->magic) != CLFS_META_MAGIC)
		return CLFS_NOT_CLFS;
	*major = le16_to_cpu(m->version_major);
	*minor = le16_to_cpu(m->version_minor);
	if (*major != CLFS_FORMAT_MAJOR)
		return CLFS_OTHER_VERSION;
	return CLFS_CORRUPT;
}

/**
 * clfs_block_identify() - what a position that holds no valid block holds
 * @buf: the first I/O unit at the position, as read
 * @len: bytes at @buf
 * @lsn: the LSN a block there would have
 *
 * For messages only, after clfs_block_peek() or clfs_block_decode()
 * refused the block.
 *
 * Return: CLFS_NOT_CLFS (no block magic: never written, or not a log
 * block), CLFS_OTHER_LSN (a block of another position or lap: stale) or
 * CLFS_CORRUPT.
 */
enum clfs_identity clfs_block_identify(const void *buf, u32 len, u64 lsn)
{
	const struct clfs_block_header *h = buf;

	if (len < sizeof(*h) || le32_to_cpu(h->magic) != CLFS_BLOCK_MAGIC)
		return CLFS_NOT_CLFS;
	if (le64_to_cpu(h->lsn) != lsn)
		return CLFS_OTHER_LSN;
	return CLFS_CORRUPT;
}

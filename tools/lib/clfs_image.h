/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs_image: read a clfs log offline, from device images or the devices
 * themselves, exactly as the module's open and recovery see it.
 *
 * The caller describes the devices (the base device first, then the other
 * devices holding containers) as read callbacks, then calls
 * clfs_image_open() (metadata copies, device binding, container headers;
 * src/clfs_meta.c, clfs_log.c, clfs_container.c), clfs_image_recover()
 * (the block chain; src/clfs_recover.c) and clfs_image_records() (the
 * records a reader of the module gets, in LSN order; src/clfs_read.c).
 * clfs_image_check() adds the cross checks an offline checker wants.
 * Everything read from the images goes through the shared format code
 * (src/format/clfs_format.c) before it is used.
 *
 * Problems are reported one line each through the caller's callback;
 * functions return 0 or the negative errno the module would give
 * (-EUCLEAN, -ENODEV, -EINVAL, -EIO, -ENOMEM).
 */
#ifndef CLFS_IMAGE_H
#define CLFS_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "clfs_format.h"

/**
 * struct clfs_image_dev - one device of the log
 * @name: for messages
 * @bytes: its size
 * @read: read @len bytes at @off into @buf; 0 or a negative errno.  Only
 *	called for ranges inside [0, @bytes).
 * @priv: passed to @read
 */
struct clfs_image_dev {
	const char *name;
	uint64_t bytes;
	int (*read)(void *priv, uint64_t off, void *buf, size_t len);
	void *priv;
};

/* Why the recovery scan did not accept a block at a position. */
enum clfs_image_why {
	CLFS_WHY_NONE,		/* not tried */
	CLFS_WHY_UNWRITTEN,	/* no block header there */
	CLFS_WHY_STALE,		/* a block of another position or lap */
	CLFS_WHY_INVALID,	/* a block of this position that fails
				 * validation: torn or corrupt */
	CLFS_WHY_CHAIN,		/* a valid block that does not continue the
				 * chain (seq, prev_lsn, prev_last) */
	CLFS_WHY_TRUNCATED,	/* it continues the chain but was written
				 * before the truncation */
	CLFS_WHY_IO,		/* read error */
	CLFS_WHY_NO_CONTAINER,	/* no next container */
	CLFS_WHY_END		/* position at or past the container end */
};

/**
 * struct clfs_image_block - one block of the recovered log
 * @cont: its container's index in the chosen metadata's table
 * @bi: its decoded header (n_records as on disk)
 * @kept: records still in the log (fewer after a truncation)
 */
struct clfs_image_block {
	uint32_t cont;
	struct clfs_block_info bi;
	uint32_t kept;
};

/**
 * struct clfs_image - an offline view of a log
 * @devs: in: the devices, the base device first
 * @n_devs: in: entries at @devs, 1..CLFS_MAX_CONTAINERS + 1
 * @report: in: called once per problem found (may be NULL)
 * @report_arg: in: passed to @report
 *
 * The rest is filled in by clfs_image_open() and clfs_image_recover():
 * @copies: both decoded metadata copies (valid if @meta_ret[i] is 0)
 * @meta_ret: clfs_meta_decode() result of copies A and B
 * @copy: the copy in use (0: A, 1: B), -1 before a successful open
 * @mi: the copy in use
 * @seed: the log's checksum seed
 * @dev_bound: per device, whether it was bound to a clfs device uuid
 *	(the base device needs none)
 * @dev_uuid: per device, the uuid it was bound to
 * @cont_dev: per table entry, the index of its device in @devs (-1: none)
 * @cont_ret: per table entry, the result of its header check
 * @blocks: the recovered blocks in log order
 * @n_blocks: their number
 * @start_lsn: the active log's start, min(base LSN, archive tail)
 * @first_lsn: the first readable record (CLFS_LSN_INVALID: none)
 * @last_lsn: the last record (CLFS_LSN_INVALID: none)
 * @next_lsn: where the next block goes (0 for an empty log)
 * @last_seq: the last block's sequence number (0: none)
 * @stop: the positions the scan tried after the last block, and why it
 *	did not accept them: [0] the position after the last block in its
 *	container, [1] the first block of the next container
 * @n_records: records of the active log (set by clfs_image_check())
 */
struct clfs_image {
	const struct clfs_image_dev *devs;
	unsigned int n_devs;
	void (*report)(void *arg, int err, const char *msg);
	void *report_arg;

	struct clfs_meta_info *copies[2];
	int meta_ret[2];
	int copy;
	const struct clfs_meta_info *mi;
	uint32_t seed;
	bool dev_bound[CLFS_MAX_CONTAINERS + 1];
	uint8_t dev_uuid[CLFS_MAX_CONTAINERS + 1][16];
	int cont_dev[CLFS_MAX_CONTAINERS];
	int cont_ret[CLFS_MAX_CONTAINERS];

	struct clfs_image_block *blocks;
	size_t n_blocks;
	uint64_t start_lsn;
	uint64_t first_lsn;
	uint64_t last_lsn;
	uint64_t next_lsn;
	uint64_t last_seq;
	struct {
		uint64_t lsn;
		enum clfs_image_why why;
	} stop[2];
	uint64_t n_records;

	/* private */
	void *buf;
	size_t n_alloc;
};

/**
 * clfs_image_open() - read the metadata and check the containers
 * @img: the image, its input fields set and the rest zero
 *
 * Every problem is reported; the first one the module's open would fail
 * with is returned.  @copies, @meta_ret and @copy are filled in even on
 * failure (for a report of what is there); @mi is set only on success.
 *
 * Return: 0, -EUCLEAN (no valid metadata copy, or a container header
 * that does not match, or a container past its device's end), -ENODEV (a
 * device holding containers was not given), -EINVAL (a device holding no
 * container of the log), -EIO (a read failed or ran past the base
 * device), -ENOMEM.
 */
int clfs_image_open(struct clfs_image *img);

/**
 * clfs_image_recover() - scan the block chain as the module's recovery
 * @img: an image opened with clfs_image_open()
 *
 * Return: 0, -EIO (a read failed), -ENOMEM.
 */
int clfs_image_recover(struct clfs_image *img);

/**
 * clfs_image_records() - every record of the active log, in LSN order
 * @img: a recovered image
 * @fn: called per record with the record's header and data (valid during
 *	the call); a non-zero return stops the walk and is returned
 * @arg: passed to @fn
 *
 * Blocks are read and validated again.
 *
 * Return: 0, @fn's non-zero result, -EUCLEAN (a block no longer
 * validates: the image changed), -EIO.
 */
int clfs_image_records(struct clfs_image *img,
		       int (*fn)(void *arg, const struct clfs_record_view *rv,
				 const void *data),
		       void *arg);

/**
 * clfs_image_check() - cross-check a recovered image
 * @img: a recovered image
 *
 * Reports a block written under a floor above the metadata's sequence
 * floor, and tails, restart area and truncation point that name no record
 * of the recovered log (where the format says they must), and every block
 * that no longer validates.
 *
 * Return: the number of problems reported, or a negative errno (-ENOMEM,
 * -EIO).
 */
int clfs_image_check(struct clfs_image *img);

/**
 * clfs_image_close() - free what the image allocated
 * @img: the image (its input fields are left alone)
 */
void clfs_image_close(struct clfs_image *img);

/* Short text for a clfs_image_why. */
const char *clfs_image_why_text(enum clfs_image_why why);

/**
 * clfs_image_fd_read() - a struct clfs_image_dev read callback over a file
 *	descriptor
 * @priv: pointer to the int descriptor
 * @off: byte offset
 * @buf: destination
 * @len: bytes
 *
 * Return: 0, -EIO at a short read, or the negative errno of pread(2).
 */
int clfs_image_fd_read(void *priv, uint64_t off, void *buf, size_t len);

/**
 * clfs_meta_from_v2() - a v2 metadata copy as the v3 copy it becomes
 * @in: the copy as read (CLFS_META_COPY_SIZE bytes)
 * @out: receives the same bytes with version_major 3 and the checksum
 *	recomputed (CLFS_META_COPY_SIZE bytes)
 * @mi: receives the decoded v3 copy
 *
 * A v2 log is a dedicated v3 log but for the metadata's version
 * (Documentation/clfs/format.rst, "Upgrading a v2 image"): this is the
 * whole conversion, and clfs_meta_decode() then checks every field.
 *
 * Return: 0; -EUCLEAN (not a valid v2.0 copy: another version, a bad
 * checksum, or a field v3 refuses).
 */
int clfs_meta_from_v2(const void *in, void *out, struct clfs_meta_info *mi);

#endif /* CLFS_IMAGE_H */

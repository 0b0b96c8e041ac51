/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs_src.c: a record's bytes, ready to be copied into a log block
 * outside the log's locks.  Engine-internal; a file includes the headers
 * of the layers it calls (Documentation/clfs/design.rst, "Layers").
 */
#ifndef CLFS_SRC_H
#define CLFS_SRC_H

#include <linux/bvec.h>
#include <linux/uio.h>

#include "clfs_internal.h"

/* Pages a source holds without an allocation: a record of 28 KiB. */
#define CLFS_SRC_SMALL	8

/*
 * The bytes of one record: @it over kernel memory, over the pages of
 * user memory taken in @bv (@nr of them; @small_bv unless more were
 * needed), or over @bounce (@kv), a copy of user memory whose pages
 * cannot be taken.  The caller's, on its stack, from clfs_src_get() to
 * clfs_src_put().
 */
struct clfs_src {
	struct iov_iter it;
	size_t len;
	struct bio_vec *bv;
	unsigned int nr;
	void *bounce;
	struct kvec kv;
	struct bio_vec small_bv[CLFS_SRC_SMALL];
	struct page *small_pages[CLFS_SRC_SMALL];
};

int clfs_src_get(struct clfs_src *s, struct iov_iter *from, size_t len);
void clfs_src_copy(struct clfs_src *s, void *dst);
void clfs_src_put(struct clfs_src *s);

#endif /* CLFS_SRC_H */

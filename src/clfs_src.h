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
 * The largest user record copied under io_mutex rather than from its
 * pages (clfs_src_get()): taking a page (about 1.2 us more CPU per 256 B
 * record than the copy, stock 6.12 under TCG) costs more than copying this
 * much while others wait.
 */
#define CLFS_SRC_INLINE	1024

/*
 * The bytes of one record: @it over kernel memory, over the pages of
 * user memory taken in @bv (@nr of them; @small_bv unless more were
 * needed), over @bounce (@kv), a copy of user memory whose pages cannot
 * be taken, or over user memory itself (@user_inline: a small record,
 * copied under the lock).  The caller's, on its stack, from
 * clfs_src_get() to clfs_src_put().
 */
struct clfs_src {
	struct iov_iter it;
	bool user_inline;
	size_t len;
	struct bio_vec *bv;
	unsigned int nr;
	void *bounce;
	struct kvec kv;
	struct bio_vec small_bv[CLFS_SRC_SMALL];
	struct page *small_pages[CLFS_SRC_SMALL];
};

int clfs_src_get(struct clfs_src *s, struct iov_iter *from, size_t len,
		 bool inline_ok);
int clfs_src_take(struct clfs_src *s, struct iov_iter *from);
int clfs_src_copy_locked(struct clfs_src *s, void *dst);
void clfs_src_copy(struct clfs_src *s, void *dst);
void clfs_src_put(struct clfs_src *s);

#endif /* CLFS_SRC_H */

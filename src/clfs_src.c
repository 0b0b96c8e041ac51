// SPDX-License-Identifier: GPL-2.0
/*
 * clfs record sources: a record's bytes, made ready to be copied into a
 * log block without a page fault and without failing.
 *
 * An append places its record under log->io_mutex (LSN, header, space)
 * and copies the bytes after dropping it, in parallel with every other
 * appender; the block is submitted when the last of those copies is in
 * (clfs_buf_hold(), clfs_buf_put()).  Once the LSN is handed out the copy
 * can no longer fail, and it may not sleep on user memory either: other
 * callers' records share the block and wait for it.  So the pages of a
 * record in user memory are taken (iov_iter_get_pages2(), as direct I/O
 * does) before io_mutex, where a fault or an unmapped page fails the
 * call before anything changed, and the copy reads those pages through
 * the kernel mapping (a bvec iterator).  Kernel memory is copied as it
 * is.  The record is still copied once, from the caller's pages into the
 * block; only memory whose pages cannot be taken (a driver's mapping) is
 * copied into a kernel buffer first, outside every lock.
 */
#include <linux/bvec.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>

#include "clfs_src.h"

/* Release the pages of @s and what held them. */
static void clfs_src_unpin(struct clfs_src *s)
{
	unsigned int i;

	for (i = 0; i < s->nr; i++)
		put_page(s->bv[i].bv_page);
	if (s->bv != s->small_bv)
		kfree(s->bv);
	s->nr = 0;
	s->bv = s->small_bv;
}

/*
 * Take the pages of @len bytes of user memory at @from into @s->bv;
 * @from is left as it was.
 */
static int clfs_src_pin(struct clfs_src *s, struct iov_iter *from,
			size_t len)
{
	struct iov_iter it = *from;
	unsigned int max = iov_iter_npages(&it, INT_MAX);
	struct page **pages = s->small_pages;
	size_t got = 0;
	int ret = 0;

	if (max > CLFS_SRC_SMALL) {
		/* One allocation: the bvecs, then the pages' pointers. */
		s->bv = kmalloc_array(max, sizeof(*s->bv) + sizeof(*pages),
				      CLFS_GFP);
		if (!s->bv) {
			s->bv = s->small_bv;
			return -ENOMEM;
		}
		pages = (struct page **)(s->bv + max);
	}
	while (got < len) {
		unsigned int n, k;
		size_t start;
		ssize_t r;

		if (s->nr == max) {
			ret = -EFAULT;
			break;
		}
		r = iov_iter_get_pages2(&it, pages, len - got, max - s->nr,
					&start);
		if (r <= 0) {
			ret = r ? (int)r : -EFAULT;
			break;
		}
		n = DIV_ROUND_UP(start + r, PAGE_SIZE);
		for (k = 0; k < n; k++) {
			size_t off = k ? 0 : start;
			size_t end = min_t(size_t, start + r,
					   (size_t)(k + 1) * PAGE_SIZE) -
				     (size_t)k * PAGE_SIZE;

			bvec_set_page(&s->bv[s->nr + k], pages[k], end - off,
				      off);
		}
		s->nr += n;
		got += r;
	}
	if (ret)
		clfs_src_unpin(s);
	return ret;
}

/**
 * clfs_src_get() - make a record's bytes ready to be copied
 * @s: the source, the caller's (clfs_src_put() after it)
 * @from: the record's bytes: user or kernel memory (ITER_SOURCE)
 * @len: how many, all of @from's
 *
 * @from is left as it was; the caller advances it once the record is
 * appended.
 *
 * Context: process context; sleeps (page faults).
 * Return: 0; -EFAULT (user memory that cannot be read); -ENOMEM.
 */
int clfs_src_get(struct clfs_src *s, struct iov_iter *from, size_t len)
{
	int ret;

	s->bv = s->small_bv;
	s->nr = 0;
	s->len = len;
	s->bounce = NULL;
	if (!len || !user_backed_iter(from)) {
		s->it = *from;
		return 0;
	}
	ret = clfs_src_pin(s, from, len);
	if (!ret) {
		iov_iter_bvec(&s->it, ITER_SOURCE, s->bv, s->nr, len);
		return 0;
	}
	if (ret != -EFAULT)
		return ret;
	/*
	 * Memory a copy can read but whose pages cannot be taken (a
	 * driver's VM_IO or VM_PFNMAP mapping): one copy into a kernel
	 * buffer here, outside every lock, and the block's copy from it.
	 */
	s->bounce = kvmalloc(len, CLFS_GFP);
	if (!s->bounce)
		return -ENOMEM;
	s->it = *from;
	if (copy_from_iter(s->bounce, len, &s->it) != len) {
		kvfree(s->bounce);
		s->bounce = NULL;
		return -EFAULT;
	}
	s->kv.iov_base = s->bounce;
	s->kv.iov_len = len;
	iov_iter_kvec(&s->it, ITER_SOURCE, &s->kv, 1, len);
	return 0;
}

/**
 * clfs_src_copy() - copy a record's bytes into its place in the block
 * @s: the source, from clfs_src_get()
 * @dst: where the record's bytes go
 *
 * Never faults, never sleeps, never fails.
 */
void clfs_src_copy(struct clfs_src *s, void *dst)
{
	size_t got = copy_from_iter(dst, s->len, &s->it);

	/* Pinned pages or kernel memory: all of it, or a caller's bug. */
	WARN_ON_ONCE(got != s->len);
}

/**
 * clfs_src_put() - release what clfs_src_get() took
 * @s: the source
 */
void clfs_src_put(struct clfs_src *s)
{
	clfs_src_unpin(s);
	kvfree(s->bounce);
}

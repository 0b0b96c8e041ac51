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
 * copied into a kernel buffer first, outside every lock.  A small record
 * (CLFS_SRC_INLINE) is cheaper to copy under io_mutex, page faults
 * disabled, than to take its page: it is, and its pages are taken only if
 * that copy faults.
 */
#include <linux/bvec.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
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
 * clfs_src_take() - take the pages of a record in user memory, or a copy
 *	of it where they cannot be taken
 * @s: the source, from clfs_src_get(): also one it left in user memory
 *	(@s->user_inline) whose copy under the lock faulted
 * @from: as given to clfs_src_get()
 *
 * Context: process context; sleeps (page faults).
 * Return: as clfs_src_get().
 */
int clfs_src_take(struct clfs_src *s, struct iov_iter *from)
{
	size_t len = s->len;
	int ret;

	s->user_inline = false;
	ret = clfs_src_pin(s, from, len);
	if (!ret) {
		iov_iter_bvec(&s->it, ITER_SOURCE, s->bv, s->nr, len);
		return 0;
	}
	if (ret != -EFAULT)
		return ret;
	/*
	 * Memory a copy can read but whose pages cannot be taken (a
	 * driver's VM_IO or VM_PFNMAP mapping, memfd_secret): one copy into
	 * a kernel buffer here, outside every lock, and the block's copy
	 * from it.
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
 * clfs_src_get() - make a record's bytes ready to be copied
 * @s: the source, the caller's (clfs_src_put() after it)
 * @from: the record's bytes: user or kernel memory (ITER_SOURCE)
 * @len: how many, all of @from's
 * @inline_ok: a small record in user memory may be copied under the
 *	log's lock instead (@s->user_inline; clfs_src_copy_locked())
 *
 * Taking a page costs more than copying a small record where it goes,
 * under the lock, with page faults disabled: a record of at most
 * CLFS_SRC_INLINE bytes in user memory is left as it is, and its pages
 * are taken only if that copy faults (clfs_src_take()).  @from is left
 * as it was; the caller advances it once the record is appended.
 *
 * Context: process context; sleeps (page faults).
 * Return: 0; -EFAULT (user memory that cannot be read); -ENOMEM.
 */
int clfs_src_get(struct clfs_src *s, struct iov_iter *from, size_t len,
		 bool inline_ok)
{
	s->bv = s->small_bv;
	s->nr = 0;
	s->len = len;
	s->bounce = NULL;
	s->user_inline = false;
	s->it = *from;
	if (!len || !user_backed_iter(from))
		return 0;
	if (inline_ok && len <= CLFS_SRC_INLINE) {
		s->user_inline = true;
		return 0;
	}
	return clfs_src_take(s, from);
}

/**
 * clfs_src_copy_locked() - copy a small user record under the log's lock
 * @s: the source, @s->user_inline
 * @dst: where the record's bytes go
 *
 * Context: any; page faults disabled here, never sleeps.
 * Return: 0; -EFAULT if a page was not there (nothing counts as copied:
 * the caller takes the record out again).
 */
int clfs_src_copy_locked(struct clfs_src *s, void *dst)
{
	size_t got;

	pagefault_disable();
	got = copy_from_iter(dst, s->len, &s->it);
	pagefault_enable();
	if (got == s->len)
		return 0;
	iov_iter_revert(&s->it, got);
	return -EFAULT;
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

	/*
	 * Pinned pages or kernel memory: all of it, or a caller's bug; then
	 * the rest is zeros, not what the buffer held before (a record's
	 * data is not zeroed when it is placed).
	 */
	if (WARN_ON_ONCE(got != s->len))
		memset((u8 *)dst + got, 0, s->len - got);
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

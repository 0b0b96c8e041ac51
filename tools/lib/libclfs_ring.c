// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libclfs rings: appends and flushes on one marshalling area, many in
 * flight from one thread, their completions reaped when the caller wants
 * them (libclfs.h, "Rings").
 *
 * A ring is an io_uring (liburing) whose commands are clfs's io_uring
 * commands (struct clfs_uring_cmd of <linux/clfs.h>): the kernel runs each
 * append at submission and completes it, or its flush, on the ring when
 * the record is durable, with no thread asleep per waiter.  Every command
 * has a slot of the ring's, which holds its argument struct (and its
 * iovecs) from clfs_ring_append()/clfs_ring_flush() to its completion;
 * the SQE's user_data is the slot's index.  CQEs are 32 bytes
 * (IORING_SETUP_CQE32): a flush's first extra word is the LSN up to which
 * all is durable.
 *
 * A ring holds its own descriptor of the area (a duplicate, registered
 * with io_uring as fixed file 0), so its commands go to the area it was
 * opened on even when the caller's descriptor number is closed or made to
 * name another file meanwhile.
 *
 * The fallback: when io_uring cannot be set up (a kernel without it, or
 * with it disabled), when the module does not take io_uring commands (the
 * probe: a VERSION command on the area), or when the caller asks for it
 * (CLFS_RING_NO_URING), each command runs as its ioctl at submission, and
 * its completion is ready at once.  Callers see the same calls either way.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <liburing.h>

#include "libclfs.h"

/* Iovecs a slot holds without an allocation of its own. */
#define CLFS_RING_INLINE_IOV 4

enum clfs_slot_state { CLFS_SLOT_FREE, CLFS_SLOT_QUEUED, CLFS_SLOT_FLIGHT,
		       CLFS_SLOT_DONE };

struct clfs_ring_slot {
	enum clfs_slot_state state;
	unsigned long cmd;		/* the ioctl */
	uint64_t tag;
	int32_t ret;			/* CLFS_SLOT_DONE */
	uint64_t flushed;		/* a flush's, when done */
	union {
		struct clfs_append append;
		struct clfs_flush flush;
	} arg;
	struct clfs_iovec inline_iov[CLFS_RING_INLINE_IOV];
	struct clfs_iovec *iov;		/* inline_iov, or allocated */
};

struct clfs_ring {
	int ma_fd;			/* the ring's own descriptor of the area */
	int mode;			/* CLFS_RING_MODE_* */
	unsigned int depth;
	unsigned int in_flight;		/* slots QUEUED, FLIGHT or DONE */
	/* the QUEUED slots' indices, in the order queued: a FIFO */
	unsigned int *queue;
	unsigned int q_head;
	unsigned int queued;
	struct io_uring uring;		/* CLFS_RING_MODE_URING */
	struct clfs_ring_slot *slots;
	unsigned int next_done;		/* where the fallback looks first */
};

static uint64_t clfs_ring_ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* Queue the io_uring command of @slot (index @i). */
static int clfs_ring_prep(struct clfs_ring *r, unsigned int i)
{
	struct clfs_ring_slot *s = &r->slots[i];
	struct io_uring_sqe *sqe = io_uring_get_sqe(&r->uring);
	struct clfs_uring_cmd c = { .arg = clfs_ring_ptr(&s->arg) };

	if (!sqe)
		return -EBUSY;
	/* Fixed file 0: the area the ring was opened on. */
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, 0, NULL, 0, 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	sqe->cmd_op = (uint32_t)s->cmd;
	memcpy(sqe->cmd, &c, sizeof(c));
	io_uring_sqe_set_data64(sqe, i);
	return 0;
}

/*
 * Is io_uring usable on @ma_fd?  A VERSION command says, by its result
 * and by writing the version: a file whose io_uring commands do nothing
 * (/dev/null's complete with 0) is no marshalling area.
 */
static int clfs_ring_probe(struct clfs_ring *r)
{
	struct clfs_version v = { .size = sizeof(v), .major = UINT32_MAX };
	struct clfs_uring_cmd c = { .arg = clfs_ring_ptr(&v) };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int ret;

	ret = io_uring_register_files(&r->uring, &r->ma_fd, 1);
	if (ret)
		return ret;
	sqe = io_uring_get_sqe(&r->uring);
	if (!sqe)
		return -EBUSY;
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, 0, NULL, 0, 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	sqe->cmd_op = (uint32_t)CLFS_IOC_VERSION;
	memcpy(sqe->cmd, &c, sizeof(c));
	io_uring_sqe_set_data64(sqe, UINT64_MAX);
	ret = io_uring_submit_and_wait(&r->uring, 1);
	if (ret < 0)
		return ret;
	ret = io_uring_wait_cqe(&r->uring, &cqe);
	if (ret < 0)
		return ret;
	ret = cqe->res;
	io_uring_cqe_seen(&r->uring, cqe);
	if (!ret && v.major == UINT32_MAX)
		ret = -EOPNOTSUPP;
	return ret;
}

int clfs_ring_open(int ma_fd, unsigned int depth, uint32_t flags,
		   struct clfs_ring **ring)
{
	int ret = -ENOMEM, saved = errno;
	struct clfs_ring *r;

	if (!ring || ma_fd < 0 || !depth || depth > CLFS_RING_DEPTH_MAX ||
	    (flags & ~CLFS_RING_NO_URING))
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->slots = calloc(depth, sizeof(*r->slots));
	r->queue = calloc(depth, sizeof(*r->queue));
	if (!r->slots || !r->queue)
		goto out_free;
	/*
	 * The ring's own descriptor (and, for io_uring, a registered file):
	 * the area it was opened on, whatever the caller's descriptor
	 * number comes to name later.
	 */
	r->ma_fd = fcntl(ma_fd, F_DUPFD_CLOEXEC, 0);
	if (r->ma_fd < 0) {
		ret = -errno;
		goto out_free;
	}
	r->depth = depth;
	r->mode = CLFS_RING_MODE_IOCTL;
	if (!(flags & CLFS_RING_NO_URING) &&
	    !io_uring_queue_init(depth, &r->uring, IORING_SETUP_CQE32)) {
		if (!clfs_ring_probe(r))
			r->mode = CLFS_RING_MODE_URING;
		else
			io_uring_queue_exit(&r->uring);
	}
	errno = saved;
	*ring = r;
	return 0;

out_free:
	free(r->queue);
	free(r->slots);
	free(r);
	errno = saved;
	return ret;
}

int clfs_ring_mode(const struct clfs_ring *ring)
{
	return ring ? ring->mode : -EINVAL;
}

/* A free slot for a new command, or NULL: the ring is full. */
static struct clfs_ring_slot *clfs_ring_slot(struct clfs_ring *r,
					     unsigned long cmd, uint64_t tag)
{
	unsigned int i;

	if (r->in_flight >= r->depth)
		return NULL;
	for (i = 0; i < r->depth; i++) {
		struct clfs_ring_slot *s = &r->slots[i];

		if (s->state != CLFS_SLOT_FREE)
			continue;
		memset(s, 0, sizeof(*s));
		s->cmd = cmd;
		s->tag = tag;
		return s;
	}
	return NULL;
}

/* Free slot @s's iovec array if it has one of its own. */
static void clfs_ring_free_iov(struct clfs_ring_slot *s)
{
	if (s->iov && s->iov != s->inline_iov)
		free(s->iov);
	s->iov = NULL;
}

/* Queue slot @s at the FIFO's end: for io_uring, its SQE too. */
static int clfs_ring_queue(struct clfs_ring *r, struct clfs_ring_slot *s)
{
	unsigned int i = (unsigned int)(s - r->slots);
	int ret;

	if (r->mode == CLFS_RING_MODE_URING) {
		ret = clfs_ring_prep(r, i);
		if (ret) {
			clfs_ring_free_iov(s);
			return ret;
		}
	}
	s->state = CLFS_SLOT_QUEUED;
	r->queue[(r->q_head + r->queued) % r->depth] = i;
	r->queued++;
	r->in_flight++;
	return 0;
}

/* The oldest queued slot, taken off the FIFO. */
static struct clfs_ring_slot *clfs_ring_pop(struct clfs_ring *r)
{
	struct clfs_ring_slot *s = &r->slots[r->queue[r->q_head]];

	r->q_head = (r->q_head + 1) % r->depth;
	r->queued--;
	return s;
}

int clfs_ring_append(struct clfs_ring *ring, const struct iovec *iov,
		     unsigned int n_iov, uint64_t undo_next, uint64_t previous,
		     uint32_t flags, uint64_t tag)
{
	struct clfs_ring_slot *s;
	unsigned int i;

	if (!ring || !n_iov || n_iov > CLFS_MAX_IOV || !iov)
		return -EINVAL;
	s = clfs_ring_slot(ring, CLFS_IOC_RESERVE_AND_APPEND, tag);
	if (!s)
		return -EBUSY;
	s->iov = s->inline_iov;
	if (n_iov > CLFS_RING_INLINE_IOV) {
		s->iov = calloc(n_iov, sizeof(*s->iov));
		if (!s->iov)
			return -ENOMEM;
	}
	for (i = 0; i < n_iov; i++) {
		s->iov[i].base = clfs_ring_ptr(iov[i].iov_base);
		s->iov[i].len = iov[i].iov_len;
		if (iov[i].iov_len > UINT32_MAX) {
			clfs_ring_free_iov(s);
			return -EMSGSIZE;
		}
	}
	s->arg.append.size = sizeof(s->arg.append);
	s->arg.append.flags = flags;
	s->arg.append.iov = clfs_ring_ptr(s->iov);
	s->arg.append.n_iov = n_iov;
	s->arg.append.undo_next = undo_next;
	s->arg.append.previous = previous;
	s->arg.append.lsn = CLFS_LSN_INVALID;
	return clfs_ring_queue(ring, s);
}

int clfs_ring_flush(struct clfs_ring *ring, uint64_t lsn, uint64_t tag)
{
	struct clfs_ring_slot *s;

	if (!ring)
		return -EINVAL;
	s = clfs_ring_slot(ring, lsn == CLFS_LSN_INVALID ?
				 CLFS_IOC_FLUSH_BUFFERS : CLFS_IOC_FLUSH_TO_LSN,
			   tag);
	if (!s)
		return -EBUSY;
	s->arg.flush.size = sizeof(s->arg.flush);
	s->arg.flush.lsn = lsn == CLFS_LSN_INVALID ? 0 : lsn;
	s->arg.flush.flushed = CLFS_LSN_INVALID;
	return clfs_ring_queue(ring, s);
}

/* The fallback: run queued slot @s as its ioctl. */
static void clfs_ring_run(struct clfs_ring *r, struct clfs_ring_slot *s)
{
	s->ret = ioctl(r->ma_fd, s->cmd, &s->arg) ? -errno : 0;
	if (s->cmd != CLFS_IOC_RESERVE_AND_APPEND)
		s->flushed = s->arg.flush.flushed;
	s->state = CLFS_SLOT_DONE;
}

int clfs_ring_submit(struct clfs_ring *ring)
{
	unsigned int n;
	int ret, saved = errno;

	if (!ring)
		return -EINVAL;
	n = ring->queued;
	if (ring->mode == CLFS_RING_MODE_URING) {
		/* SQEs go in order; those not taken stay queued. */
		ret = io_uring_submit(&ring->uring);
		if (ret < 0)
			return ret;
		n = (unsigned int)ret < n ? (unsigned int)ret : n;
		for (ret = 0; ret < (int)n; ret++)
			clfs_ring_pop(ring)->state = CLFS_SLOT_FLIGHT;
	} else {
		for (ret = 0; ret < (int)n; ret++)
			clfs_ring_run(ring, clfs_ring_pop(ring));
		errno = saved;
	}
	return (int)n;
}

/* Hand slot @s's completion to @out, and free the slot. */
static void clfs_ring_take(struct clfs_ring *r, struct clfs_ring_slot *s,
			   struct clfs_ring_done *out)
{
	out->tag = s->tag;
	out->ret = s->ret;
	out->cmd = (uint32_t)s->cmd;
	out->lsn = s->cmd == CLFS_IOC_RESERVE_AND_APPEND ?
		   s->arg.append.lsn : s->flushed;
	clfs_ring_free_iov(s);
	s->state = CLFS_SLOT_FREE;
	r->in_flight--;
}

/* io_uring: turn CQEs into completions; wait for @min of them in all. */
static int clfs_ring_reap_uring(struct clfs_ring *r,
				struct clfs_ring_done *out, unsigned int n,
				unsigned int min)
{
	struct io_uring_cqe *cqe;
	unsigned int got = 0;
	int ret;

	while (got < n) {
		if (got < min)
			ret = io_uring_wait_cqe(&r->uring, &cqe);
		else
			ret = io_uring_peek_cqe(&r->uring, &cqe);
		if (ret == -EAGAIN)
			break;
		if (ret == -EINTR && got)
			break;
		if (ret < 0)
			return got ? (int)got : ret;
		if (cqe->user_data < r->depth &&
		    r->slots[cqe->user_data].state == CLFS_SLOT_FLIGHT) {
			struct clfs_ring_slot *s = &r->slots[cqe->user_data];

			s->ret = cqe->res;
			/* An append that says 0 wrote its LSN, or did not run. */
			if (!s->ret && s->cmd == CLFS_IOC_RESERVE_AND_APPEND &&
			    s->arg.append.lsn == CLFS_LSN_INVALID)
				s->ret = -EPROTO;
			/* Written at submission, or with a queued flush's end. */
			s->flushed = s->arg.flush.flushed != CLFS_LSN_INVALID ?
				     s->arg.flush.flushed : cqe->big_cqe[0];
			clfs_ring_take(r, s, &out[got++]);
		}
		io_uring_cqe_seen(&r->uring, cqe);
	}
	return (int)got;
}

int clfs_ring_wait(struct clfs_ring *ring, struct clfs_ring_done *out,
		   unsigned int n, unsigned int min)
{
	unsigned int got = 0, i, k;

	if (!ring || !out || !n || min > n)
		return -EINVAL;
	if (min > ring->in_flight - ring->queued)
		return -EAGAIN;	/* never submitted: would wait forever */
	if (ring->mode == CLFS_RING_MODE_URING)
		return clfs_ring_reap_uring(ring, out, n, min);
	/* The fallback's completions are ready once submitted. */
	for (k = 0; k < ring->depth && got < n; k++) {
		i = (ring->next_done + k) % ring->depth;
		if (ring->slots[i].state == CLFS_SLOT_DONE)
			clfs_ring_take(ring, &ring->slots[i], &out[got++]);
	}
	ring->next_done = (ring->next_done + k) % ring->depth;
	return (int)got;
}

void clfs_ring_close(struct clfs_ring *ring)
{
	struct clfs_ring_done d;
	unsigned int i;
	int saved;

	if (!ring)
		return;
	/* Submitted commands still use their slots: wait for them. */
	if (ring->mode == CLFS_RING_MODE_URING) {
		while (ring->in_flight > ring->queued)
			if (clfs_ring_reap_uring(ring, &d, 1, 1) < 0)
				break;
		/* The area's file goes now, not with the ring's teardown. */
		io_uring_unregister_files(&ring->uring);
		io_uring_queue_exit(&ring->uring);
	}
	for (i = 0; i < ring->depth; i++)
		clfs_ring_free_iov(&ring->slots[i]);
	saved = errno;
	close(ring->ma_fd);
	errno = saved;
	free(ring->queue);
	free(ring->slots);
	free(ring);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs ioctl layer internals: the objects behind the descriptors that
 * /dev/clfs hands out, and the helpers every ioctl uses to move its
 * argument struct across the user boundary.
 *
 * Object lifetime.  Each descriptor is an anonymous-inode file whose
 * private_data is its object; the VFS keeps the file (and so the object)
 * alive while any ioctl on it runs, even when another thread closes the
 * descriptor meanwhile: ->release runs only after the last reference goes.
 * Objects pin what they depend on with a file reference (get_file):
 *
 *   log file          private_data: struct clfs_ulog; release closes the
 *                     log (drops one opener: opens are shared); O_RDONLY
 *                     for a read-only handle
 *   stream file       struct clfs_ulog with @log_file set: a stream of a
 *                     multiplexed log (OPEN_STREAM); holds the log file,
 *                     release closes the stream
 *   marshalling file  struct clfs_uma; holds the log or stream file
 *   read-context file struct clfs_uctx; holds the log, stream or
 *                     marshalling file it was opened on
 *
 * so a log handle is closed only after its streams are closed, its
 * marshalling areas deleted and its read contexts terminated, whatever
 * order user space closes them in.  No ioctl can reach freed state.
 */
#ifndef CLFS_UAPI_INTERNAL_H
#define CLFS_UAPI_INTERNAL_H

#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/refcount.h>

struct io_uring_cmd;

#include <linux/clfs.h>

/*
 * A log's or a stream's descriptor.  @st is the stream its calls use: a
 * dedicated log's own, the opened stream of a stream handle, or NULL on a
 * multiplexed log's own handle (which only manages its streams).
 */
struct clfs_ulog {
	struct clfs_log *log;		/* [fixed] */
	struct clfs_stream *st;		/* [fixed] */
	struct file *log_file;		/* [fixed] a stream's: pins the log */
};

/* A marshalling area's descriptor. */
struct clfs_uma {
	struct clfs_marshal *ma;
	struct file *log_file;		/* pins the log (or stream) handle */
};

/* The stream an area's records go to: the one its handle was on. */
static inline struct clfs_stream *clfs_uma_stream(const struct clfs_uma *u)
{
	const struct clfs_ulog *ul = u->log_file->private_data;

	return ul->st;
}

/* A descriptor being created: reserved, not yet visible to user space. */
struct clfs_newfd {
	int fd;
	struct file *file;
};

int clfs_arg_in(void *karg, size_t ksize, const void __user *uarg);
int clfs_arg_size(const void __user *uarg, size_t ksize);
int clfs_arg_out(void __user *uarg, void *karg, size_t ksize);
int clfs_newfd_prepare(struct clfs_newfd *nf, const char *name,
		       const struct file_operations *fops, void *priv,
		       int mode);
int clfs_newfd_publish(struct clfs_newfd *nf, s32 *fd_field,
		       void __user *uarg, void *karg, size_t ksize);
void clfs_newfd_abort(struct clfs_newfd *nf);
int clfs_lsn_arg_in(const void __user *uarg, u64 *lsn);
int clfs_fd_devt_mode(int fd, dev_t *devt, bool *writable);
int clfs_fd_devt(int fd, dev_t *devt);
int clfs_file_writable(const struct file *file);
long clfs_ioc_version(void __user *uarg);

/* clfs_ioctl_log.c */
int clfs_log_fd_new(struct clfs_log *log, bool writable,
		    struct clfs_newfd *nf);

/*
 * An io_uring command that may wait for durability (clfs_ioctl_uring.c):
 * allocated at submission, freed by its completion.  @fl is the engine's
 * from the call that queued it (-EIOCBQUEUED) until its @done, which sets
 * @ret.  @err is set by the submission, after that call, when an output
 * could not be written, and becomes the completion's result.  @ref: two,
 * the engine's @done and the submission's end; whichever comes last posts
 * the completion, so it never precedes the outputs, even when the command
 * runs in an io_uring worker while the submitter's task reaps.
 */
struct clfs_uring_req {
	struct clfs_flush_req fl;
	struct io_uring_cmd *ioucmd;
	refcount_t ref;
	int err;
	int ret;
};

/* clfs_ioctl_ma.c */
int clfs_ma_fd_new(struct file *log_file, struct clfs_marshal *ma,
		   struct clfs_newfd *nf);
long clfs_ioc_append(struct clfs_marshal *ma, void __user *uarg,
		     struct clfs_uring_req *ur);
long clfs_ioc_append_batch(struct clfs_marshal *ma, void __user *uarg,
			   struct clfs_uring_req *ur);
long clfs_ioc_flush(struct clfs_uma *u, unsigned int cmd, void __user *uarg,
		    struct clfs_uring_req *ur);

/* clfs_ioctl_uring.c */
int clfs_ma_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags);

/* clfs_ioctl_read.c */
long clfs_ioc_read_open(struct file *file, struct clfs_stream *st,
			unsigned int cmd, void __user *uarg);

#endif /* CLFS_UAPI_INTERNAL_H */

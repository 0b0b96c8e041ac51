// SPDX-License-Identifier: GPL-2.0
/*
 * clfs ioctl helpers: argument structs in and out, new descriptors, and
 * block devices named by descriptor.
 *
 * Argument structs (include/uapi/linux/clfs.h) begin with their own __u32 size.
 * clfs_arg_in() accepts a caller's struct between the kernel's size and
 * CLFS_ARG_SIZE_MAX bytes, and through copy_struct_from_user() requires
 * the bytes past the kernel's struct to be zero (-E2BIG otherwise): a
 * newer caller's request for something this module does not know is
 * refused, never silently ignored.  clfs_arg_out() writes back no more
 * than the caller's size, with @size set to the kernel's.
 *
 * A descriptor is created in two steps so that user space never sees one
 * that the ioctl then fails to report: the fd number and file are
 * reserved (clfs_newfd_prepare), the result struct is copied out, and
 * only then is the file installed, or dropped (clfs_newfd_publish; the
 * fput of clfs_newfd_abort runs the object's release).
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/uaccess.h>
#include <linux/clfs.h>

#include "clfs_uapi.h"

/**
 * clfs_arg_size() - the caller's size of an argument struct
 * @uarg: the user's struct
 * @ksize: the kernel's size of the struct (its first version)
 *
 * Return: the size, or -EFAULT, or -EINVAL (below @ksize or above
 * CLFS_ARG_SIZE_MAX).
 */
int clfs_arg_size(const void __user *uarg, size_t ksize)
{
	u32 usize;

	if (get_user(usize, (const u32 __user *)uarg))
		return -EFAULT;
	if (usize < ksize || usize > CLFS_ARG_SIZE_MAX)
		return -EINVAL;
	return usize;
}

/**
 * clfs_arg_in() - copy in an argument struct
 * @karg: the kernel's struct
 * @ksize: its size
 * @uarg: the user's struct
 *
 * Return: 0, -EFAULT, -EINVAL (bad size), -E2BIG (non-zero bytes past the
 * kernel's struct).
 */
int clfs_arg_in(void *karg, size_t ksize, const void __user *uarg)
{
	int usize = clfs_arg_size(uarg, ksize);

	if (usize < 0)
		return usize;
	return copy_struct_from_user(karg, ksize, uarg, usize);
}

/**
 * clfs_arg_out() - copy a result struct back to the caller
 * @uarg: the user's struct, whose @size was checked by clfs_arg_in()
 * @karg: the kernel's struct; its @size is set to @ksize
 * @ksize: its size
 *
 * Return: 0 or -EFAULT.
 */
int clfs_arg_out(void __user *uarg, void *karg, size_t ksize)
{
	*(u32 *)karg = ksize;
	return copy_to_user(uarg, karg, ksize) ? -EFAULT : 0;
}

/**
 * clfs_newfd_prepare() - reserve a descriptor for a new object
 * @nf: receives the fd number and the file
 * @name: the anonymous inode's name, "[clfs-...]"
 * @fops: the object's file operations
 * @priv: the object; on failure the caller still owns it
 * @mode: O_RDWR, or O_RDONLY for a read-only handle (a log opened
 *	through a descriptor open for reading only, or a read context)
 *
 * Return: 0, or -EMFILE, -ENFILE, -ENOMEM.
 */
int clfs_newfd_prepare(struct clfs_newfd *nf, const char *name,
		       const struct file_operations *fops, void *priv,
		       int mode)
{
	nf->fd = get_unused_fd_flags(O_CLOEXEC);
	if (nf->fd < 0)
		return nf->fd;
	nf->file = anon_inode_getfile(name, fops, priv, mode | O_CLOEXEC);
	if (IS_ERR(nf->file)) {
		put_unused_fd(nf->fd);
		return PTR_ERR(nf->file);
	}
	return 0;
}

/**
 * clfs_newfd_abort() - drop a prepared descriptor and its object
 * @nf: the descriptor from clfs_newfd_prepare(); the file's release frees
 *	the object
 */
void clfs_newfd_abort(struct clfs_newfd *nf)
{
	put_unused_fd(nf->fd);
	fput(nf->file);
}

/**
 * clfs_newfd_publish() - report a prepared descriptor, then install it
 * @nf: the descriptor from clfs_newfd_prepare()
 * @fd_field: the field of @karg that reports it
 * @uarg: the user's struct
 * @karg: the kernel's struct
 * @ksize: its size
 *
 * The result struct goes out first; if that fails, the descriptor and its
 * object are dropped and user space never sees either.
 *
 * Return: 0 or -EFAULT.
 */
int clfs_newfd_publish(struct clfs_newfd *nf, s32 *fd_field,
		       void __user *uarg, void *karg, size_t ksize)
{
	int ret;

	*fd_field = nf->fd;
	ret = clfs_arg_out(uarg, karg, ksize);
	if (ret) {
		clfs_newfd_abort(nf);
		return ret;
	}
	fd_install(nf->fd, nf->file);
	return 0;
}

/**
 * clfs_lsn_arg_in() - copy in a struct clfs_lsn_arg
 * @uarg: the user's struct
 * @lsn: receives its LSN
 *
 * Return: 0, or the errors of clfs_arg_in(), -EINVAL (flags).
 */
int clfs_lsn_arg_in(const void __user *uarg, u64 *lsn)
{
	struct clfs_lsn_arg a;
	int ret = clfs_arg_in(&a, sizeof(a), uarg);

	if (ret)
		return ret;
	if (a.flags)
		return -EINVAL;
	*lsn = a.lsn;
	return 0;
}

/**
 * clfs_fd_devt_mode() - the block device behind a caller's descriptor, and
 *	whether it was opened for writing
 * @fd: a descriptor the caller opened on a block device node
 * @devt: receives the device number
 * @writable: receives whether @fd is open for writing
 *
 * The descriptor proves the caller's right to the device: the open it
 * made passed the permission checks of the device node, for reading or
 * for writing.  The module opens the device itself (exclusively, by
 * number), so the caller may close @fd afterwards.
 *
 * Return: 0; -EBADF (not an open descriptor, or an O_PATH one); -ENOTBLK
 * (not a block device).
 */
int clfs_fd_devt_mode(int fd, dev_t *devt, bool *writable)
{
	struct file *f = fget(fd);
	int ret = 0;

	if (!f)
		return -EBADF;
	if (!S_ISBLK(file_inode(f)->i_mode)) {
		ret = -ENOTBLK;
	} else if (!(f->f_mode & (FMODE_READ | FMODE_WRITE))) {
		ret = -EBADF;
	} else {
		*devt = file_inode(f)->i_rdev;
		*writable = f->f_mode & FMODE_WRITE;
	}
	fput(f);
	return ret;
}

/**
 * clfs_fd_devt() - the block device behind a descriptor open for writing
 * @fd: a descriptor the caller opened on a block device node for writing
 * @devt: receives the device number
 *
 * Return: as clfs_fd_devt_mode(); -EBADF also when @fd is not open for
 * writing.
 */
int clfs_fd_devt(int fd, dev_t *devt)
{
	bool writable;
	int ret = clfs_fd_devt_mode(fd, devt, &writable);

	return ret ?: writable ? 0 : -EBADF;
}

/**
 * clfs_file_writable() - may this handle change its log?
 * @file: a log or marshalling area descriptor
 *
 * A read-only log handle (CLFS_OPEN_READ_ONLY, or a base device opened for
 * reading only) is an O_RDONLY file; everything that appends, moves a
 * tail, truncates or changes containers refuses it with -EBADF, as
 * write(2) refuses a descriptor not open for writing.
 *
 * Return: 0 or -EBADF.
 */
int clfs_file_writable(const struct file *file)
{
	return file->f_mode & FMODE_WRITE ? 0 : -EBADF;
}

/**
 * clfs_ioc_version() - CLFS_IOC_VERSION, on any clfs descriptor
 * @uarg: the user's struct clfs_version
 *
 * Return: 0, -EFAULT, -EINVAL, -E2BIG.
 */
long clfs_ioc_version(void __user *uarg)
{
	struct clfs_version v;
	int ret = clfs_arg_in(&v, sizeof(v), uarg);

	if (ret)
		return ret;
	v.major = CLFS_VERSION_MAJOR;
	v.minor = CLFS_VERSION_MINOR;
	v.patch = CLFS_VERSION_PATCH;
	return clfs_arg_out(uarg, &v, sizeof(v));
}

// SPDX-License-Identifier: GPL-2.0
/*
 * clfs character device: /dev/clfs, the user-space door to the module.
 *
 * Opening the device grants nothing by itself (it is mode 0666): its
 * ioctls are VERSION and the two that make a log descriptor, CREATE_LOG
 * and OPEN_LOG.  Those take the log's devices as descriptors the caller
 * opened (clfs_fd_devt_mode), so a caller reaches only devices it could
 * reach itself: CREATE_LOG, and a writable OPEN_LOG, need descriptors open
 * for writing; a base device open for reading only gives a read-only log
 * handle.  Naming a device by path instead needs CAP_SYS_ADMIN.
 * Everything else happens on the descriptors these return
 * (clfs_ioctl_log.c, clfs_ioctl_ma.c, clfs_ioctl_read.c).
 *
 * The argument structs hold no pointers or longs, only __u64 and fixed
 * fields laid out identically for 32- and 64-bit callers, so 32-bit
 * callers go through compat_ptr_ioctl with the same structs.
 */
#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/clfs.h>

#include "clfs_internal.h"
#include "clfs_uapi.h"

/*
 * The base device of CREATE_LOG and OPEN_LOG: a descriptor, or a path for
 * CAP_SYS_ADMIN, as a device number.  Either way the log is then opened
 * through the exported calls by number, the one way in-kernel clients
 * have too.
 */
static int clfs_base_device(s32 dev_fd, u64 upath, dev_t *devt,
			    bool *writable)
{
	char *path;
	int ret;

	*writable = true;
	if (dev_fd != CLFS_FD_NONE)
		return upath ? -EINVAL :
		       clfs_fd_devt_mode(dev_fd, devt, writable);
	if (!upath)
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	path = strndup_user(u64_to_user_ptr(upath), PATH_MAX);
	if (IS_ERR(path))
		return PTR_ERR(path);
	ret = lookup_bdev(path, devt);
	kfree(path);
	return ret;
}

/* Hand a newly opened log to user space through @log_fd in @karg. */
static long clfs_log_return(struct clfs_log *log, bool writable,
			    void __user *uarg, void *karg, size_t ksize,
			    s32 *log_fd)
{
	struct clfs_newfd nf;
	int ret = clfs_log_fd_new(log, writable, &nf);

	if (ret)
		return ret;
	return clfs_newfd_publish(&nf, log_fd, uarg, karg, ksize);
}

static long clfs_ioc_create_log(void __user *uarg)
{
	struct clfs_create_log a;
	struct clfs_create_params p;
	struct clfs_log *log;
	bool writable;
	dev_t devt = 0;
	int ret;

	ret = clfs_arg_in(&a, sizeof(a), uarg);
	if (ret)
		return ret;
	if ((a.flags & ~CLFS_CREATE_MULTIPLEXED) || a.reserved[0] ||
	    a.reserved[1])
		return -EINVAL;
	ret = clfs_base_device(a.dev_fd, a.path, &devt, &writable);
	if (ret)
		return ret;
	if (!writable)
		return -EBADF;
	p.flags = a.flags;
	p.block_size = a.block_size;
	p.container_size = a.container_size;
	p.n_containers = a.n_containers;
	ret = clfs_log_create_by_dev(devt, &p, &log);
	if (ret)
		return ret;
	return clfs_log_return(log, true, uarg, &a, sizeof(a), &a.log_fd);
}

static long clfs_ioc_open_log(void __user *uarg)
{
	struct clfs_open_log a;
	struct clfs_log *log;
	dev_t devt = 0, *devts = NULL;
	bool writable, dev_writable, all_writable = true;
	s32 *fds = NULL;
	u32 i;
	int ret;

	ret = clfs_arg_in(&a, sizeof(a), uarg);
	if (ret)
		return ret;
	if ((a.flags & ~CLFS_OPEN_READ_ONLY) || a.reserved ||
	    a.reserved2[0] || a.reserved2[1] ||
	    a.n_devices > CLFS_MAX_CONTAINERS || (a.n_devices && !a.devices))
		return -EINVAL;
	if (a.n_devices) {
		fds = memdup_user(u64_to_user_ptr(a.devices),
				  array_size(a.n_devices, sizeof(*fds)));
		if (IS_ERR(fds))
			return PTR_ERR(fds);
		devts = kcalloc(a.n_devices, sizeof(*devts),
				CLFS_GFP);
		if (!devts) {
			ret = -ENOMEM;
			goto out_free_fds;
		}
		for (i = 0; i < a.n_devices; i++) {
			ret = clfs_fd_devt_mode(fds[i], &devts[i],
						&dev_writable);
			if (ret)
				goto out_free_devts;
			all_writable &= dev_writable;
		}
	}
	ret = clfs_base_device(a.dev_fd, a.path, &devt, &writable);
	if (ret)
		goto out_free_devts;
	/* A handle may write only if every device was given for writing. */
	writable &= all_writable && !(a.flags & CLFS_OPEN_READ_ONLY);
	ret = clfs_log_open_by_dev(devt, devts, a.n_devices, &log);
	if (!ret)
		ret = clfs_log_return(log, writable, uarg, &a, sizeof(a),
				      &a.log_fd);
out_free_devts:
	kfree(devts);
out_free_fds:
	kfree(fds);
	return ret;
}

static long clfs_ctl_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (CLFS_IOC_NR(cmd)) {
	case CLFS_IOC_NR(CLFS_IOC_VERSION):
		return clfs_ioc_version(uarg);
	case CLFS_IOC_NR(CLFS_IOC_CREATE_LOG):
		return clfs_ioc_create_log(uarg);
	case CLFS_IOC_NR(CLFS_IOC_OPEN_LOG):
		return clfs_ioc_open_log(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations clfs_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.unlocked_ioctl = clfs_ctl_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice clfs_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = CLFS_DEVICE_NAME,
	.fops = &clfs_fops,
	.mode = 0666,
};

int clfs_chardev_init(void)
{
	return misc_register(&clfs_miscdev);
}

void clfs_chardev_exit(void)
{
	misc_deregister(&clfs_miscdev);
}

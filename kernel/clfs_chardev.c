// SPDX-License-Identifier: GPL-2.0
/*
 * clfs character device: /dev/clfs, the user-space door to the module.
 *
 * The device is a misc device with a dynamic minor.  Opening it grants
 * nothing by itself: every ioctl checks its own rights.  Each ioctl copies
 * its argument struct in, validates every field, acts, and copies the
 * result out; argument structs start with their own size so they can grow
 * (see uapi/linux/clfs.h).  32-bit callers use the same structs, which hold
 * no pointers or longs, through compat_ptr_ioctl.
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <linux/clfs.h>

#include "clfs_internal.h"

/*
 * CLFS_IOC_VERSION: the caller states how large its struct clfs_version is;
 * it must hold at least the fields of version 0 of the struct.  The module
 * writes back its own struct, whose @size tells the caller how much of its
 * buffer was filled.
 */
static long clfs_ioc_version(struct clfs_version __user *uarg)
{
	struct clfs_version v = {
		.size = sizeof(v),
		.major = CLFS_VERSION_MAJOR,
		.minor = CLFS_VERSION_MINOR,
		.patch = CLFS_VERSION_PATCH,
	};
	u32 usize;

	if (get_user(usize, &uarg->size))
		return -EFAULT;
	if (usize < sizeof(v))
		return -EINVAL;
	if (copy_to_user(uarg, &v, sizeof(v)))
		return -EFAULT;
	return 0;
}

static long clfs_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case CLFS_IOC_VERSION:
		return clfs_ioc_version(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations clfs_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.unlocked_ioctl = clfs_ioctl,
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

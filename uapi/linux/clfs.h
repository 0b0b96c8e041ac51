/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * clfs user ABI: the /dev/clfs character device.
 *
 * The device's ioctls mirror the CLFS routines one for one.  Every ioctl
 * argument is a struct of fixed-width fields, padded explicitly to a
 * multiple of 8 bytes, whose first field is its own size so that it can
 * grow: the kernel accepts a caller's struct that is shorter (old caller;
 * missing fields read as zero) or longer (new caller; the extra bytes must
 * be zero) than its own.  Reserved fields must be zero.  Pointers travel
 * as __u64.
 *
 * This header also holds the version of the clfs ABI and the module, the
 * single source of the version for the kernel module and the tools.
 */
#ifndef _UAPI_LINUX_CLFS_H
#define _UAPI_LINUX_CLFS_H

#include <linux/types.h>
#include <linux/ioctl.h>
#include <linux/clfs_lsn.h>

#define CLFS_VERSION_MAJOR	0
#define CLFS_VERSION_MINOR	1
#define CLFS_VERSION_PATCH	0

/* The name of the misc device: /dev/clfs. */
#define CLFS_DEVICE_NAME	"clfs"

/* ioctl type byte; 0xC1 is unassigned in ioctl-number.rst. */
#define CLFS_IOC_MAGIC		0xC1

/**
 * struct clfs_version - CLFS_IOC_VERSION result
 * @size: in: sizeof(struct clfs_version) as the caller knows it
 * @major: out: CLFS_VERSION_MAJOR of the loaded module
 * @minor: out: CLFS_VERSION_MINOR of the loaded module
 * @patch: out: CLFS_VERSION_PATCH of the loaded module
 */
struct clfs_version {
	__u32 size;
	__u32 major;
	__u32 minor;
	__u32 patch;
};

/* Report the loaded module's version.  Errors: EFAULT, EINVAL (size). */
#define CLFS_IOC_VERSION	_IOWR(CLFS_IOC_MAGIC, 0x00, struct clfs_version)

#endif /* _UAPI_LINUX_CLFS_H */

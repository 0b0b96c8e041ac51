/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs internal declarations shared between the module's source files.
 * Nothing here is ABI: user space sees include/uapi/linux/clfs*.h only, and
 * in-kernel clients will see include/linux/clfs.h.
 */
#ifndef CLFS_INTERNAL_H
#define CLFS_INTERNAL_H

#include <linux/gfp.h>
#include <linux/printk.h>
#include <linux/types.h>

#include "compat/clfs_compat.h"

#define CLFS_NAME "clfs"

/*
 * Every allocation a call makes, in the engine and the ioctl layer: charged
 * to the caller's memory cgroup (most are sized by the caller), and a
 * failure is the caller's -ENOMEM, never a kernel warning a caller could
 * trigger at will (tests/uapi/clfs_faults.c fails each one in turn).
 */
#define CLFS_GFP (GFP_KERNEL_ACCOUNT | __GFP_NOWARN)

struct clfs_log;

int clfs_io_init(void);
void clfs_io_exit(void);
int clfs_chardev_init(void);
void clfs_chardev_exit(void);

#endif /* CLFS_INTERNAL_H */

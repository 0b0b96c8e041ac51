/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs internal declarations shared between the module's source files.
 * Nothing here is ABI: user space sees include/uapi/linux/clfs*.h only, and
 * in-kernel clients will see include/linux/clfs.h.
 */
#ifndef CLFS_INTERNAL_H
#define CLFS_INTERNAL_H

#include <linux/printk.h>
#include <linux/types.h>

#include "compat/clfs_compat.h"

#define CLFS_NAME "clfs"

struct clfs_log;

int clfs_chardev_init(void);
void clfs_chardev_exit(void);

#endif /* CLFS_INTERNAL_H */

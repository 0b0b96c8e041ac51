// SPDX-License-Identifier: GPL-2.0
/*
 * clfs: a Common Log File System for Linux.
 *
 * clfs gives kernel and user clients the log service of Windows' CLFS: logs
 * made of equal-size containers on block devices, records appended through
 * marshalling areas and made durable by flushes, restart areas, and reads
 * along the forward, previous and undo-next chains, with LSNs laid out as
 * CLFS lays them out (include/uapi/linux/clfs_lsn.h).
 *
 * This file holds only module load and unload.  Load registers the /dev/clfs
 * misc device (clfs_chardev.c) last, so user space can reach the module only
 * once everything behind the device is ready; unload removes the device
 * first, so no new caller can enter while the rest is torn down.
 */
#include <linux/module.h>
#include <linux/clfs.h>

#include "clfs_internal.h"

#define CREATE_TRACE_POINTS
#include "clfs_trace.h"

#define CLFS_STR(x) #x
#define CLFS_XSTR(x) CLFS_STR(x)
#define CLFS_VERSION_STRING CLFS_XSTR(CLFS_VERSION_MAJOR) "." \
	CLFS_XSTR(CLFS_VERSION_MINOR) "." CLFS_XSTR(CLFS_VERSION_PATCH)

static int __init clfs_init(void)
{
	int ret;

	ret = clfs_io_init();
	if (ret)
		return ret;
	ret = clfs_chardev_init();
	if (ret) {
		pr_err("cannot register /dev/" CLFS_DEVICE_NAME ": %d\n",
		       ret);
		clfs_io_exit();
		return ret;
	}
	pr_info("version " CLFS_VERSION_STRING " loaded\n");
	return 0;
}

static void __exit clfs_exit(void)
{
	clfs_chardev_exit();
	clfs_io_exit();
	pr_info("unloaded\n");
}

module_init(clfs_init);
module_exit(clfs_exit);

MODULE_DESCRIPTION("clfs: Common Log File System for Linux");
MODULE_AUTHOR("The clfs developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(CLFS_VERSION_STRING);

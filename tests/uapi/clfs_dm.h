/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs_dm: device-mapper devices for the guest tests, through the
 * device-mapper ioctls themselves (no dmsetup, no udev): one target over a
 * whole device, replaced under I/O (suspend, load, resume) to inject
 * faults (dm-flakey) or to copy writes away (dm-log-writes).
 */
#ifndef CLFS_DM_H
#define CLFS_DM_H

#include <stdint.h>

/**
 * struct clfs_dm - one device-mapper device
 * @ctl: /dev/mapper/control
 * @name: its name
 * @node: the block device node made for it
 * @sectors: its size in 512-byte sectors (the size of the device under it)
 * @under: "major:minor" of the device under it
 */
struct clfs_dm {
	int ctl;
	char name[64];
	char node[96];
	uint64_t sectors;
	char under[32];
};

/*
 * clfs_dm_devnum() - "major:minor" of block device @path, and its size in
 * sectors when @sectors is not NULL.  Return: 0 or a negative errno.
 */
int clfs_dm_devnum(const char *path, char *out, unsigned int len,
		   uint64_t *sectors);

/*
 * clfs_dm_create() - device @name over the whole of @under, first with
 * target @target and its parameters @params, in which "%s" is the device
 * under it; its node is /tmp/@name.  Return: 0 or a negative errno, with
 * the reason printed.
 */
int clfs_dm_create(struct clfs_dm *dm, const char *name, const char *under,
		   const char *target, const char *params);

/* clfs_dm_load() - replace the table: suspend (waits for I/O), load, resume. */
int clfs_dm_load(struct clfs_dm *dm, const char *target, const char *params);

/* clfs_dm_message() - a target message, such as "mark NAME". */
int clfs_dm_message(struct clfs_dm *dm, const char *msg);

/* clfs_dm_remove() - remove the device and its node. */
int clfs_dm_remove(struct clfs_dm *dm);

#endif /* CLFS_DM_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * clfs_dm: device-mapper devices for the guest tests (see clfs_dm.h).
 * Every request is one struct dm_ioctl followed by its data, as
 * include/uapi/linux/dm-ioctl.h lays out; failures are printed as
 * "device-mapper ...", and the caller decides whether they fail a test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "clfs_dm.h"

struct dm_req {
	struct dm_ioctl io;
	char data[4096];
};

static void dm_init(struct dm_req *r, const struct clfs_dm *dm)
{
	memset(r, 0, sizeof(*r));
	r->io.version[0] = DM_VERSION_MAJOR;
	r->io.data_size = sizeof(*r);
	r->io.data_start = sizeof(r->io);
	snprintf(r->io.name, sizeof(r->io.name), "%s", dm->name);
}

static int dm_call(const struct clfs_dm *dm, unsigned long cmd,
		   struct dm_req *r, const char *what)
{
	if (ioctl(dm->ctl, cmd, r) == 0)
		return 0;
	printf("device-mapper %s %s: %s\n", what, dm->name, strerror(errno));
	return -errno;
}

int clfs_dm_devnum(const char *path, char *out, unsigned int len,
		   uint64_t *sectors)
{
	struct stat st;
	uint64_t bytes;
	int fd, ret = 0;

	if (stat(path, &st) || !S_ISBLK(st.st_mode))
		return -ENOTBLK;
	snprintf(out, len, "%u:%u", major(st.st_rdev), minor(st.st_rdev));
	if (!sectors)
		return 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, BLKGETSIZE64, &bytes))
		ret = -errno;
	close(fd);
	*sectors = bytes >> 9;
	return ret;
}

static int dm_table(struct clfs_dm *dm, const char *target, const char *params)
{
	struct dm_target_spec *sp;
	struct dm_req r;
	size_t plen;

	dm_init(&r, dm);
	r.io.target_count = 1;
	sp = (struct dm_target_spec *)r.data;
	sp->sector_start = 0;
	sp->length = dm->sectors;
	snprintf(sp->target_type, sizeof(sp->target_type), "%s", target);
	plen = (size_t)snprintf((char *)(sp + 1), sizeof(r.data) - sizeof(*sp),
				params, dm->under) + 1;
	sp->next = (uint32_t)((sizeof(*sp) + plen + 7) & ~7UL);
	return dm_call(dm, DM_TABLE_LOAD, &r, target);
}

int clfs_dm_create(struct clfs_dm *dm, const char *name, const char *under,
		   const char *target, const char *params)
{
	struct dm_req r;
	uint64_t dev;
	int ret;

	memset(dm, 0, sizeof(*dm));
	snprintf(dm->name, sizeof(dm->name), "%s", name);
	snprintf(dm->node, sizeof(dm->node), "/tmp/%s", name);
	dm->ctl = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
	if (dm->ctl < 0) {
		printf("FAIL /dev/mapper/control: %s\n", strerror(errno));
		return -errno;
	}
	ret = clfs_dm_devnum(under, dm->under, sizeof(dm->under), &dm->sectors);
	if (ret) {
		printf("FAIL %s: not a block device\n", under);
		goto out_close;
	}
	dm_init(&r, dm);
	ret = dm_call(dm, DM_DEV_CREATE, &r, "create");
	if (ret)
		goto out_close;
	ret = dm_table(dm, target, params);
	if (ret)
		goto out_remove;
	dm_init(&r, dm);
	ret = dm_call(dm, DM_DEV_SUSPEND, &r, "resume");
	if (ret)
		goto out_remove;
	/* The kernel's dev_t encoding (huge_encode_dev()). */
	dev = r.io.dev;
	unlink(dm->node);
	if (mknod(dm->node, S_IFBLK | 0600,
		  makedev((unsigned int)((dev & 0xfff00) >> 8),
			  (unsigned int)((dev & 0xff) | ((dev >> 12) & 0xfff00))))) {
		ret = -errno;
		printf("FAIL mknod %s: %s\n", dm->node, strerror(errno));
		goto out_remove;
	}
	return 0;
out_remove:
	dm_init(&r, dm);
	ioctl(dm->ctl, DM_DEV_REMOVE, &r);
out_close:
	close(dm->ctl);
	dm->ctl = -1;
	return ret;
}

int clfs_dm_load(struct clfs_dm *dm, const char *target, const char *params)
{
	struct dm_req r;
	int ret;

	dm_init(&r, dm);
	r.io.flags = DM_SUSPEND_FLAG;
	ret = dm_call(dm, DM_DEV_SUSPEND, &r, "suspend");
	if (ret)
		return ret;
	ret = dm_table(dm, target, params);
	/* Resume in any case: the old table stays if the new one failed. */
	dm_init(&r, dm);
	if (dm_call(dm, DM_DEV_SUSPEND, &r, "resume") && !ret)
		ret = -EIO;
	return ret;
}

int clfs_dm_message(struct clfs_dm *dm, const char *msg)
{
	struct dm_target_msg *m;
	struct dm_req r;

	dm_init(&r, dm);
	m = (struct dm_target_msg *)r.data;
	m->sector = 0;
	snprintf(m->message, sizeof(r.data) - sizeof(*m), "%s", msg);
	return dm_call(dm, DM_TARGET_MSG, &r, "message");
}

int clfs_dm_remove(struct clfs_dm *dm)
{
	struct dm_req r;
	int ret;

	if (dm->ctl < 0)
		return 0;
	unlink(dm->node);
	dm_init(&r, dm);
	ret = dm_call(dm, DM_DEV_REMOVE, &r, "remove");
	close(dm->ctl);
	dm->ctl = -1;
	return ret;
}

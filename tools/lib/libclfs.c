// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libclfs: thin wrappers over the /dev/clfs ioctls.  Each wrapper fills in
 * the size field of the argument struct, issues the ioctl, and turns a
 * failure into a negative errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libclfs.h"

int clfs_open_control(void)
{
	int fd = open(CLFS_CONTROL_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

void clfs_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

int clfs_get_version(int fd, struct clfs_version *v)
{
	memset(v, 0, sizeof(*v));
	v->size = sizeof(*v);
	return ioctl(fd, CLFS_IOC_VERSION, v) < 0 ? -errno : 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libclfs: the user-space interface to clfs.  Each call maps to one ioctl
 * of /dev/clfs (uapi/linux/clfs.h) and returns 0 or a negative errno, the
 * same errno the kernel returned, so callers never consult errno.
 */
#ifndef LIBCLFS_H
#define LIBCLFS_H

#include <linux/clfs.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CLFS_CONTROL_PATH "/dev/" CLFS_DEVICE_NAME

/* Open /dev/clfs; returns a file descriptor or a negative errno. */
int clfs_open_control(void);

/* Close a descriptor returned by libclfs. */
void clfs_close(int fd);

/* The loaded module's version (CLFS_IOC_VERSION). */
int clfs_get_version(int fd, struct clfs_version *v);

#ifdef __cplusplus
}
#endif

#endif /* LIBCLFS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs_dev.c: the log's block devices.  Engine-internal; a file includes the
 * headers of the layers it calls (Documentation/clfs/design.rst, "Layers").
 */
#ifndef CLFS_DEV_H
#define CLFS_DEV_H

#include "clfs_log.h"

/* A device as a caller names it: by path, or (path NULL) by number. */
struct clfs_devref {
	const char *path;
	dev_t devt;
};

struct clfs_dev *clfs_dev_get(struct clfs_log *log,
			      const struct clfs_devref *ref, bool *opened);
void clfs_dev_put_all(struct clfs_log *log);
void clfs_dev_put_unused(struct clfs_log *log);
struct clfs_dev *clfs_dev_find_uuid(struct clfs_log *log, const u8 uuid[16]);
int clfs_dev_flush_all(struct clfs_log *log);

#endif /* CLFS_DEV_H */

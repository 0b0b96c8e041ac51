/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs_meta.c: the two metadata copies.  Engine-internal; a file includes
 * the headers of the layers it calls (Documentation/clfs/design.rst,
 * "Layers").
 */
#ifndef CLFS_META_H
#define CLFS_META_H

#include "clfs_log.h"

int clfs_meta_read(struct clfs_log *log);
int clfs_meta_commit(struct clfs_log *log);
void clfs_meta_prepare(struct clfs_log *log);

#endif /* CLFS_META_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs_registry.c: the open logs by base device, for shared opens.
 * Engine-internal; a file includes the headers of the layers it calls
 * (Documentation/clfs/design.rst, "Layers").
 */
#ifndef CLFS_REGISTRY_H
#define CLFS_REGISTRY_H

#include "clfs_log.h"

int clfs_reg_get(dev_t devt, bool create, struct clfs_log **logp);
void clfs_reg_set(dev_t devt, struct clfs_log *log);
bool clfs_reg_put(struct clfs_log *log);
void clfs_reg_undo_put(struct clfs_log *log);
void clfs_reg_gone(struct clfs_reg *r);

#endif /* CLFS_REGISTRY_H */

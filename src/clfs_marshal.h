/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs_marshal.c: marshalling areas.  Engine-internal; a file includes the
 * headers of the layers it calls (Documentation/clfs/design.rst,
 * "Layers").
 */
#ifndef CLFS_MARSHAL_H
#define CLFS_MARSHAL_H

#include "clfs_log.h"

int clfs_marshal_delete_all(struct clfs_log *log);

#endif /* CLFS_MARSHAL_H */

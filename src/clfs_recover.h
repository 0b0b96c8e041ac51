/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs_recover.c: recovery at open, the clean-close marker at close.
 * Engine-internal; a file includes the headers of the layers it calls
 * (Documentation/clfs/design.rst, "Layers").
 */
#ifndef CLFS_RECOVER_H
#define CLFS_RECOVER_H

#include "clfs_log.h"

int clfs_recover(struct clfs_log *log, u64 *last_seq);
int clfs_recover_close(struct clfs_log *log);

#endif /* CLFS_RECOVER_H */

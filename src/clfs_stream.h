/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs_stream.c: the stream objects, for recovery and the log above.
 * Engine-internal; a file includes the headers of the layers it calls
 * (Documentation/clfs/design.rst, "Layers").
 */
#ifndef CLFS_STREAM_H
#define CLFS_STREAM_H

#include "clfs_log.h"

int clfs_streams_load(struct clfs_log *log);
void clfs_streams_free(struct clfs_log *log);
struct clfs_stream *clfs_stream_find(struct clfs_log *log, u32 id);
bool clfs_streams_busy(struct clfs_log *log);

#endif /* CLFS_STREAM_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * The module's format code (src/format/clfs_format.c), compiled into the KUnit
 * test module as well: the encoders and decoders are not exported from
 * clfs.ko, so the "clfs_format" suite links its own copy of the very same
 * source, built with the same flags and environment (clfs_format_env.h).
 */
#include "clfs_format.c"

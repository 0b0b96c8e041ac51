// SPDX-License-Identifier: GPL-2.0
/*
 * Up to v6.14: crc32c() is declared in <linux/crc32c.h> (LIBCRC32C); later
 * kernels declare it in <linux/crc32.h>.
 */
#include <linux/crc32c.h>

u32 (*clfs_probe_crc32c)(u32, const void *, unsigned int) = crc32c;

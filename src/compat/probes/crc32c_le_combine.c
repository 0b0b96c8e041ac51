// SPDX-License-Identifier: GPL-2.0
/*
 * Up to v6.14: two crc32c values are joined with __crc32c_le_combine();
 * later kernels call it crc32c_combine().
 */
#include <linux/crc32.h>

u32 (*clfs_probe_crc32c_le_combine)(u32, u32, size_t) = __crc32c_le_combine;

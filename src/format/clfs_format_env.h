/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment of the shared format code (clfs_format.c): the same
 * source builds in the kernel module and in user space (tools, host tests,
 * the fuzz target).  This header gives both builds one vocabulary: the
 * kernel's integer types, endian helpers, errno values, static_assert and a
 * crc32c with the kernel's convention (caller's seed, no final inversion).
 */
#ifndef CLFS_FORMAT_ENV_H
#define CLFS_FORMAT_ENV_H

#ifdef __KERNEL__

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/byteorder.h>

#include "../compat/clfs_compat.h"

static inline u32 clfs_crc32c(u32 seed, const void *buf, size_t len)
{
	return crc32c(seed, buf, len);
}

#else

#include "clfs_user_env.h"

#endif /* __KERNEL__ */

#endif /* CLFS_FORMAT_ENV_H */

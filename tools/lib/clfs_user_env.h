/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User space's half of src/format/clfs_format_env.h: the kernel vocabulary the
 * shared format code uses (integer types, endian helpers, EUCLEAN,
 * static_assert, overflow and alignment helpers), mapped onto libc and
 * compiler builtins, and the crc32c of tools/lib/crc32c.c.  Builds that
 * compile src/format/clfs_format.c in user space add -Itools/lib.
 */
#ifndef CLFS_USER_ENV_H
#define CLFS_USER_ENV_H

#include <assert.h>
#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define cpu_to_le16(x) ((__le16)htole16(x))
#define cpu_to_le32(x) ((__le32)htole32(x))
#define cpu_to_le64(x) ((__le64)htole64(x))
#define le16_to_cpu(x) le16toh((uint16_t)(x))
#define le32_to_cpu(x) le32toh((uint32_t)(x))
#define le64_to_cpu(x) le64toh((uint64_t)(x))

#undef static_assert
#define static_assert(expr) _Static_assert(expr, #expr)
#ifndef EUCLEAN
#define EUCLEAN 117
#endif
#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d) __builtin_mul_overflow(a, b, d)
#define is_power_of_2(n) ((n) != 0 && (((n) & ((n) - 1)) == 0))
#define round_up(x, y) ((((x) - 1) | ((__typeof__(x))(y) - 1)) + 1)
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))

u32 clfs_crc32c(u32 seed, const void *buf, size_t len);

#define BIT_ULL(n) (1ULL << (n))

#endif /* CLFS_USER_ENV_H */

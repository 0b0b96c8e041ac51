// SPDX-License-Identifier: GPL-2.0
/*
 * crc32c (Castagnoli, reflected polynomial 0x82f63b78) for user space,
 * with the kernel's crc32c() convention: the caller passes the running
 * value as the seed and no final inversion is applied.  The format code
 * (src/format/clfs_format.c) needs exactly this to read what the kernel wrote.
 * Byte-at-a-time with a table built on first use: the tools check images
 * offline, where this is fast enough.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

uint32_t clfs_crc32c(uint32_t seed, const void *buf, size_t len);

static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_table_init(void)
{
	uint32_t i, j, c;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = (c >> 1) ^ (0x82f63b78U & -(c & 1));
		crc_table[i] = c;
	}
}

uint32_t clfs_crc32c(uint32_t seed, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t crc = seed;

	pthread_once(&crc_once, crc_table_init);
	while (len--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs_fail: how the single-process guest test programs report: a failed
 * check prints one "FAIL ..." line and counts it; the program exits with
 * the count (at most 100).
 */
#ifndef CLFS_FAIL_H
#define CLFS_FAIL_H

#include <stdarg.h>
#include <stdio.h>

static unsigned int failures;

static inline __attribute__((format(printf, 1, 2)))
void failf(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	failures++;
}

static inline int fail_status(void)
{
	return failures > 100 ? 100 : (int)failures;
}

#endif /* CLFS_FAIL_H */

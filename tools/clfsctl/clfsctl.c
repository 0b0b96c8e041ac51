// SPDX-License-Identifier: GPL-2.0
/*
 * clfsctl: command-line control of clfs.
 *
 * Subcommands (more arrive with the log engine):
 *   clfsctl version                     the module's version, via /dev/clfs
 *   clfsctl lsn decode LSN              split an LSN into its three parts
 *   clfsctl lsn make CID OFFSET RECORD  build an LSN from its parts
 *
 * Output is human-readable, or JSON with --json.  Every error is one line
 * on stderr and a non-zero exit status: 1 for a failed operation, 2 for a
 * usage error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/libclfs.h"

static int json;

static int usage(void)
{
	fprintf(stderr,
		"usage: clfsctl [--json] version\n"
		"       clfsctl [--json] lsn decode LSN\n"
		"       clfsctl [--json] lsn make CONTAINER OFFSET RECORD\n");
	return 2;
}

/* Parse a whole unsigned number (decimal, 0x hex or 0 octal) up to max. */
static int parse_u64(const char *what, const char *s, uint64_t max,
		     uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (*s == '-' || *s == '\0')
		goto bad;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	fprintf(stderr, "clfsctl: %s '%s' is not a number in 0..%#" PRIx64 "\n",
		what, s, max);
	return -1;
}

static void print_lsn(uint64_t lsn)
{
	const char *kind = lsn == CLFS_LSN_INVALID ? "invalid" :
			   !clfs_lsn_is_valid(lsn) ? "beyond-invalid" :
			   clfs_lsn_is_null(lsn) ? "null" : "valid";

	if (json)
		printf("{\"lsn\":\"0x%016" PRIx64 "\",\"container\":%u,"
		       "\"block_offset\":%u,\"record\":%u,\"kind\":\"%s\"}\n",
		       lsn, clfs_lsn_container(lsn), clfs_lsn_block_offset(lsn),
		       clfs_lsn_record(lsn), kind);
	else
		printf("lsn 0x%016" PRIx64 ": container %u, block offset %#x, "
		       "record %u (%s)\n", lsn, clfs_lsn_container(lsn),
		       clfs_lsn_block_offset(lsn), clfs_lsn_record(lsn), kind);
}

static int cmd_lsn(int argc, char **argv)
{
	uint64_t lsn, cid, off, rec;

	if (argc == 2 && !strcmp(argv[0], "decode")) {
		if (parse_u64("LSN", argv[1], UINT64_MAX, &lsn))
			return 2;
		print_lsn(lsn);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[0], "make")) {
		if (parse_u64("container", argv[1], UINT32_MAX, &cid) ||
		    parse_u64("offset", argv[2], UINT32_MAX, &off) ||
		    parse_u64("record", argv[3], UINT32_MAX, &rec))
			return 2;
		lsn = clfs_lsn_make(cid, off, rec);
		if (lsn == CLFS_LSN_INVALID) {
			fprintf(stderr, "clfsctl: no LSN has container %" PRIu64
				", offset %#" PRIx64 ", record %" PRIu64
				" (container <= %#x, offset a multiple of %u up to %#x, record < %u)\n",
				cid, off, rec, CLFS_LSN_MAX_CONTAINER,
				CLFS_LSN_SECTOR_SIZE, CLFS_LSN_MAX_BLOCK_OFFSET,
				CLFS_LSN_MAX_RECORDS);
			return 1;
		}
		print_lsn(lsn);
		return 0;
	}
	return usage();
}

static int cmd_version(void)
{
	struct clfs_version v;
	int fd, ret;

	fd = clfs_open_control();
	if (fd < 0) {
		fprintf(stderr, "clfsctl: cannot open %s: %s%s\n",
			CLFS_CONTROL_PATH, strerror(-fd),
			fd == -ENOENT ? " (is the clfs module loaded?)" : "");
		return 1;
	}
	ret = clfs_get_version(fd, &v);
	clfs_close(fd);
	if (ret) {
		fprintf(stderr, "clfsctl: version: %s\n", strerror(-ret));
		return 1;
	}
	if (json)
		printf("{\"module\":\"%u.%u.%u\",\"tools\":\"%u.%u.%u\"}\n",
		       v.major, v.minor, v.patch, CLFS_VERSION_MAJOR,
		       CLFS_VERSION_MINOR, CLFS_VERSION_PATCH);
	else
		printf("clfs module %u.%u.%u, clfsctl %u.%u.%u\n", v.major,
		       v.minor, v.patch, CLFS_VERSION_MAJOR, CLFS_VERSION_MINOR,
		       CLFS_VERSION_PATCH);
	return 0;
}

int main(int argc, char **argv)
{
	argc--;
	argv++;
	if (argc && !strcmp(argv[0], "--json")) {
		json = 1;
		argc--;
		argv++;
	}
	if (argc == 1 && !strcmp(argv[0], "version"))
		return cmd_version();
	if (argc >= 1 && !strcmp(argv[0], "lsn"))
		return cmd_lsn(argc - 1, argv + 1);
	return usage();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * clfsctl: command-line control of clfs.
 *
 *   clfsctl [--json] [--device D]... COMMAND ARGS...
 *
 * Log commands name the log by its base block device, which clfsctl opens
 * read-write and hands to the module as a descriptor; each opens
 * /dev/clfs, opens the log, creates a marshalling area if it needs one,
 * does one job and closes everything.  dump and check read images
 * offline, without the module.  version and lsn keep their original
 * output exactly.  The commands live in log_cmds.c, record_cmds.c and
 * image_cmds.c; help() below is the one list of them (and the man page,
 * clfsctl.8, the long one).
 *
 * Output is human-readable, or JSON with --json.  Every error is one line
 * on stderr and a non-zero exit status: 1 for a failed operation, 2 for a
 * usage error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "clfsctl.h"

int help(FILE *f)
{
	fputs("usage: clfsctl [--json] [--device D]... COMMAND [ARGS]\n"
	      "  version\n"
	      "  lsn decode LSN\n"
	      "  lsn make CONTAINER OFFSET RECORD\n"
	      "  create DEV --containers N --container-size S [--block-size B]\n"
	      "         [--multiplexed]\n"
	      "  stream create|delete DEV NAME\n"
	      "  stream list DEV\n"
	      "  info DEV\n"
	      "  containers DEV\n"
	      "  add-container DEV [--on D2] [--offset OFF] [--count N]\n"
	      "  remove-container DEV ID\n"
	      "  append DEV [--undo-next LSN] [--previous LSN] [--chain] [--flush]\n"
	      "         [--force] [--use-reservation] [--reserve SIZE]... [--batch]\n"
	      "         (DATA... | --file F | --stdin [--lines])\n"
	      "  flush DEV [--to LSN]\n"
	      "  restart write DEV [--base LSN] [--use-reservation] (DATA | --file F)\n"
	      "  restart read DEV [--all]\n"
	      "  read DEV [--from LSN] [--mode forward|previous|undo-next]\n"
	      "           [--type data|restart|any] [--max N] [--follow]\n"
	      "  advance-base DEV LSN\n"
	      "  set-archive-tail DEV LSN\n"
	      "  truncate DEV LSN\n"
	      "  dump IMAGE [--device IMG]...\n"
	      "  check IMAGE [--device IMG]...\n"
	      "  upgrade DEV [--device D]...\n"
	      "A multiplexed log's stream is named DEV::STREAM wherever a log is.\n"
	      "Sizes take K, M, G or T suffixes; LSNs are numbers (0x...), 'null'\n"
	      "or 'invalid'.  See clfsctl(8).\n", f);
	return f == stderr ? EXIT_USAGE : 0;
}

static void print_lsn(uint64_t lsn)
{
	const char *kind = lsn == CLFS_LSN_INVALID ? "invalid" :
			   !clfs_lsn_is_valid(lsn) ? "beyond-invalid" :
			   clfs_lsn_is_null(lsn) ? "null" : "valid";

	if (cli.json)
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

	if (argc >= 1 && !strcmp(argv[0], "decode"))
		cli.cmd = "lsn decode";
	else if (argc >= 1 && !strcmp(argv[0], "make"))
		cli.cmd = "lsn make";
	if (argc == 2 && !strcmp(argv[0], "decode")) {
		if (parse_u64("LSN", argv[1], UINT64_MAX, &lsn))
			return EXIT_USAGE;
		print_lsn(lsn);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[0], "make")) {
		if (parse_u64("container", argv[1], UINT32_MAX, &cid) ||
		    parse_u64("offset", argv[2], UINT32_MAX, &off) ||
		    parse_u64("record", argv[3], UINT32_MAX, &rec))
			return EXIT_USAGE;
		lsn = clfs_lsn_make((__u32)cid, (__u32)off, (__u32)rec);
		if (lsn == CLFS_LSN_INVALID) {
			fprintf(stderr, "clfsctl: lsn make: no LSN has container %" PRIu64
				", offset %#" PRIx64 ", record %" PRIu64
				" (container <= %#x, offset a multiple of %u up to %#x, record < %u)\n",
				cid, off, rec, CLFS_LSN_MAX_CONTAINER,
				CLFS_LSN_SECTOR_SIZE, CLFS_LSN_MAX_BLOCK_OFFSET,
				CLFS_LSN_MAX_RECORDS);
			return EXIT_FAIL;
		}
		print_lsn(lsn);
		return 0;
	}
	if (argc == 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")))
		return help(stdout);
	return usage_error("expected 'lsn decode LSN' or 'lsn make CONTAINER OFFSET RECORD'");
}

static int cmd_version(int argc, char **argv)
{
	struct clfs_version v;
	int fd, ret;

	(void)argv;
	if (argc)
		return usage_error("takes no arguments");
	fd = open_control();
	if (fd < 0)
		return EXIT_FAIL;
	ret = clfs_get_version(fd, &v);
	clfs_close(fd);
	if (ret)
		return fail(ret, "query version");
	if (cli.json)
		printf("{\"module\":\"%u.%u.%u\",\"tools\":\"%u.%u.%u\"}\n",
		       v.major, v.minor, v.patch, CLFS_VERSION_MAJOR,
		       CLFS_VERSION_MINOR, CLFS_VERSION_PATCH);
	else
		printf("clfs module %u.%u.%u, clfsctl %u.%u.%u\n", v.major,
		       v.minor, v.patch, CLFS_VERSION_MAJOR, CLFS_VERSION_MINOR,
		       CLFS_VERSION_PATCH);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "version", cmd_version },
	{ "lsn", cmd_lsn },
	{ "create", cmd_create },
	{ "stream", cmd_stream },
	{ "info", cmd_info },
	{ "containers", cmd_containers },
	{ "add-container", cmd_add_container },
	{ "remove-container", cmd_remove_container },
	{ "append", cmd_append },
	{ "flush", cmd_flush },
	{ "restart", cmd_restart },
	{ "read", cmd_read },
	{ "advance-base", cmd_lsn_op },
	{ "set-archive-tail", cmd_lsn_op },
	{ "truncate", cmd_lsn_op },
	{ "dump", cmd_dump },
	{ "check", cmd_check },
	{ "upgrade", cmd_upgrade },
};

int main(int argc, char **argv)
{
	size_t i;

	argc--;
	argv++;
	/* Global options, before the command. */
	while (argc && argv[0][0] == '-') {
		if (!strcmp(argv[0], "--json")) {
			cli.json = true;
		} else if (!strcmp(argv[0], "--device") ||
			   !strncmp(argv[0], "--device=", 9)) {
			const char *d = argv[0][8] ? argv[0] + 9 : argv[1];

			if (!argv[0][8]) {
				if (argc < 2)
					return usage_error("option '--device' needs an argument");
				argc--;
				argv++;
			}
			if (cli.n_devices >= MAX_DEVICES)
				return usage_error("more than %u devices",
						   MAX_DEVICES);
			cli.devices[cli.n_devices++] = d;
		} else if (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
			return help(stdout);
		} else {
			return usage_error("unknown option '%s'", argv[0]);
		}
		argc--;
		argv++;
	}
	if (!argc)
		return usage_error("no command");
	if (!strcmp(argv[0], "help"))
		return help(stdout);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[0], commands[i].name))
			continue;
		cli.cmd = commands[i].name;	/* cmd_lsn_op() reads it */
		return commands[i].fn(argc - 1, argv + 1);
	}
	return usage_error("unknown command '%s'", argv[0]);
}

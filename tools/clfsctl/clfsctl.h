/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfsctl: what the command files share.
 *
 *   clfsctl.c      main: global options, dispatch, help, version, lsn
 *   util.c         messages, option and number parsing, output helpers
 *                  (the record format of read and dump), file input
 *   log_cmds.c     log sessions and the log-level commands (create, info,
 *                  containers, add-container, remove-container, flush,
 *                  advance-base, set-archive-tail, truncate)
 *   record_cmds.c  append, restart write/read, read
 *   image_cmds.c   dump and check (offline, no module)
 *
 * Every command returns its exit status: 0, 1 (the operation failed; one
 * line on stderr) or 2 (usage error; one line on stderr).
 */
#ifndef CLFSCTL_H
#define CLFSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "libclfs.h"

#define EXIT_FAIL	1
#define EXIT_USAGE	2

/* Devices given with --device, globally or per command. */
#define MAX_DEVICES	CLFS_MAX_CONTAINERS

/**
 * struct cli - the invocation
 * @json: --json
 * @cmd: the command's name for messages ("append", "restart write")
 * @devices: --device arguments
 * @n_devices: their number
 */
struct cli {
	bool json;
	const char *cmd;
	const char *devices[MAX_DEVICES];
	unsigned int n_devices;
};

extern struct cli cli;

/* Messages: one line on stderr each; they return the exit status. */
int fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int fail_sys(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int help(FILE *f);

/* Options of a command: --name or --name=value, "--" ends them. */
struct opt {
	const char *name;
	bool has_arg;
	int id;
};

enum {
	OPT_END = -1,		/* no more arguments */
	OPT_ERR = -2,		/* usage error, already reported */
	OPT_POS = -3,		/* a positional argument, in *val */
	OPT_HELP = -4,		/* --help or -h */
	OPT_DEVICE = -5,	/* --device D, already added to cli.devices */
};

struct opt_state {
	int argc;
	char **argv;
	int i;
	bool only_pos;
};

void opt_init(struct opt_state *st, int argc, char **argv);
int opt_next(struct opt_state *st, const struct opt *opts, const char **val);

/* Number parsing; on failure they report a usage error and return -1. */
int parse_u64(const char *what, const char *s, uint64_t max, uint64_t *out);
int parse_size(const char *what, const char *s, uint64_t max, uint64_t *out);
int parse_lsn(const char *what, const char *s, uint64_t *out);

/* Output. */
void put_lsn(uint64_t lsn);			/* 0x%016llx */
void put_json_lsn(const char *key, uint64_t lsn);	/* "key":"0x..." */
void put_json_str(const char *s);		/* a JSON string */
void fmt_uuid(const uint8_t uuid[16], char out[37]);
const char *record_type_name(uint32_t type);
void put_record(const struct clfs_record_info *r, const void *data);

/* An object: JSON, or human "key value" lines (see util.c). */
struct obj {
	bool any;
	bool line;
};

void obj_begin(struct obj *o, bool line);
void obj_u64(struct obj *o, const char *key, uint64_t v);
void obj_lsn(struct obj *o, const char *key, uint64_t lsn);
void obj_str(struct obj *o, const char *key, const char *s);
void obj_uuid(struct obj *o, const char *key, const uint8_t uuid[16]);
void obj_end(struct obj *o);

/* A list printed one element per line: "[", elements with commas, "]". */
struct list {
	bool any;
};

void list_begin(struct list *l, const char *open);
void list_item(struct list *l);
void list_end(struct list *l, const char *close);

/* Read a whole file (or stdin, fd 0) of at most @max bytes. */
int read_all(int fd, size_t max, uint8_t **buf, size_t *len);

/* A log opened for a command (log_cmds.c). */
struct session {
	int log;		/* the log's or the stream's descriptor */
	int ma;
	const char *dev;	/* the base device */
	char devbuf[4096];
};

/*
 * SESSION_READ: a read-only handle (devices opened for reading only; the
 * log is shared if it is open elsewhere, and nothing is written);
 * SESSION_WRITE: a handle that may write; SESSION_AREA: that and a
 * marshalling area in s->ma.
 */
enum session_kind { SESSION_READ, SESSION_WRITE, SESSION_AREA };

int session_open(struct session *s, const char *name, enum session_kind kind);
void session_close(struct session *s);
int open_control(void);

int cmd_create(int argc, char **argv);
int cmd_stream(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_containers(int argc, char **argv);
int cmd_add_container(int argc, char **argv);
int cmd_remove_container(int argc, char **argv);
int cmd_flush(int argc, char **argv);
int cmd_lsn_op(int argc, char **argv);
int cmd_append(int argc, char **argv);
int cmd_restart(int argc, char **argv);
int cmd_read(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_upgrade(int argc, char **argv);

#endif /* CLFSCTL_H */

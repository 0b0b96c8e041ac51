// SPDX-License-Identifier: GPL-2.0
/*
 * clfsctl offline commands: dump and check, over images (regular files) or
 * block devices opened read-only, without the module; and upgrade, which
 * converts a v2 log to v3 with one metadata write per copy.
 *
 * Both run the image reader of tools/lib/clfs_image.c, which repeats the
 * module's open and recovery, so dump shows the records a reader of the
 * module would get (printed by put_record(), like read) and check reports
 * every rule the module would refuse the log for, plus the cross checks
 * of clfs_image_check().  Block devices are read through the page cache
 * after dropping it, since the module writes around it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>

#include "clfsctl.h"
#include "clfs_image.h"

struct image_files {
	struct clfs_image_dev devs[MAX_DEVICES + 1];
	int fds[MAX_DEVICES + 1];
	unsigned int n;
};

static void image_files_close(struct image_files *f)
{
	unsigned int i;

	for (i = 0; i < f->n; i++)
		close(f->fds[i]);
	f->n = 0;
}

/*
 * Open IMAGE and every --device read-only (IMAGE read-write and, for a
 * block device, exclusively with @write: no module or mount may hold it);
 * refuse one given twice.
 */
static int image_files_open(struct image_files *f, const char *image,
			    bool write)
{
	struct stat st[MAX_DEVICES + 1];
	unsigned int i, j;
	uint64_t bytes;
	const char *path;
	int fd;

	f->n = 0;
	for (i = 0; i <= cli.n_devices; i++) {
		path = i ? cli.devices[i - 1] : image;
		fd = open(path, (!i && write ? O_RDWR : O_RDONLY) | O_CLOEXEC);
		if (fd >= 0 && !i && write && fstat(fd, &st[0]) == 0 &&
		    S_ISBLK(st[0].st_mode)) {
			close(fd);
			fd = open(path, O_RDWR | O_EXCL | O_CLOEXEC);
		}
		if (fd < 0)
			goto sys_fail;
		f->fds[f->n++] = fd;
		if (fstat(fd, &st[i]))
			goto sys_fail;
		if (S_ISREG(st[i].st_mode)) {
			bytes = (uint64_t)st[i].st_size;
		} else if (S_ISBLK(st[i].st_mode)) {
			if (ioctl(fd, BLKGETSIZE64, &bytes))
				goto sys_fail;
			posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		} else {
			image_files_close(f);
			return fail_sys(EINVAL, "%s: not a regular file or block device",
					path);
		}
		for (j = 0; j < i; j++) {
			if (S_ISBLK(st[i].st_mode) ? st[j].st_rdev == st[i].st_rdev &&
			    S_ISBLK(st[j].st_mode) :
			    st[j].st_dev == st[i].st_dev &&
			    st[j].st_ino == st[i].st_ino) {
				image_files_close(f);
				return fail_sys(EINVAL, "%s: given twice", path);
			}
		}
		f->devs[i].name = path;
		f->devs[i].bytes = bytes;
		f->devs[i].read = clfs_image_fd_read;
		f->devs[i].priv = &f->fds[i];
	}
	return 0;
sys_fail:
	fd = errno;
	image_files_close(f);
	return fail_sys(fd, "open %s", path);
}

struct image_args {
	const char *image;
};

static int image_args(int argc, char **argv, struct image_args *a)
{
	static const struct opt no_opts[] = { { NULL, false, 0 } };
	struct opt_state st;
	const char *val;
	int o;

	a->image = NULL;
	opt_init(&st, argc, argv);
	while ((o = opt_next(&st, no_opts, &val)) != OPT_END) {
		if (o == OPT_ERR)
			return EXIT_USAGE;
		if (o == OPT_HELP) {
			help(stdout);
			return -1;
		}
		if (a->image)
			return usage_error("unexpected argument '%s'", val);
		a->image = val;
	}
	if (!a->image) {
		usage_error("missing argument IMAGE");
		return EXIT_USAGE;
	}
	return 0;
}

/* dump: keep the last problem, to name it if the image cannot be read. */
static void dump_report(void *arg, int err, const char *msg)
{
	char *last = arg;

	(void)err;
	snprintf(last, 512, "%s", msg);
}

static int dump_record(void *arg, const struct clfs_record_view *rv,
		       const void *data)
{
	struct clfs_record_info r = {
		.lsn = rv->lsn,
		.undo_next = rv->undo_next,
		.previous = rv->previous,
		.type = rv->type,
		.length = rv->length,
	};

	if (cli.json)
		list_item(arg);
	put_record(&r, data);
	if (!cli.json)
		putchar('\n');
	return 0;
}

/* Why the scan ended, as "LSN: reason[; LSN: reason]". */
static void stop_text(const struct clfs_image *img, char *s, size_t len)
{
	size_t n = 0;
	int i, w;

	s[0] = '\0';
	for (i = 0; i < 2; i++) {
		if (img->stop[i].why == CLFS_WHY_NONE)
			continue;
		if (img->stop[i].why == CLFS_WHY_NO_CONTAINER ||
		    img->stop[i].why == CLFS_WHY_END)
			w = snprintf(s + n, len - n, "%s%s", n ? "; " : "",
				     clfs_image_why_text(img->stop[i].why));
		else
			w = snprintf(s + n, len - n, "%s0x%016" PRIx64 ": %s",
				     n ? "; " : "", img->stop[i].lsn,
				     clfs_image_why_text(img->stop[i].why));
		if (w < 0 || (size_t)w >= len - n)
			break;
		n += (size_t)w;
	}
}

static void put_meta(const struct clfs_image *img)
{
	const struct clfs_meta_info *mi = img->mi;
	char stop[256];
	struct obj o;
	int i;

	obj_begin(&o, false);
	obj_str(&o, "copy", img->copy ? "B" : "A");
	for (i = 0; i < 2; i++) {
		char key[16];

		snprintf(key, sizeof(key), "copy_%c", 'a' + i);
		obj_str(&o, key, img->meta_ret[i] ? "invalid" : "valid");
		if (!img->meta_ret[i]) {
			snprintf(key, sizeof(key), "generation_%c", 'a' + i);
			obj_u64(&o, key, img->copies[i]->generation);
		}
	}
	obj_u64(&o, "generation", mi->generation);
	obj_uuid(&o, "uuid", mi->uuid);
	obj_u64(&o, "io_unit", mi->io_unit);
	obj_u64(&o, "block_size", mi->block_size);
	obj_u64(&o, "container_size", mi->container_size);
	obj_u64(&o, "n_containers", mi->n_containers);
	obj_u64(&o, "next_logical", mi->next_logical);
	obj_lsn(&o, "base_lsn", mi->base_lsn);
	obj_lsn(&o, "archive_tail", mi->archive_tail);
	obj_lsn(&o, "restart_lsn", mi->restart_lsn);
	obj_u64(&o, "seq_floor", mi->seq_floor);
	obj_lsn(&o, "end_lsn", mi->end_lsn);
	obj_u64(&o, "end_floor", mi->end_floor);
	obj_u64(&o, "clean", !!(mi->flags & CLFS_META_CLEAN));
	if (mi->flags & CLFS_META_CLEAN) {
		obj_lsn(&o, "clean_block", mi->clean_block);
		obj_lsn(&o, "clean_last", mi->clean_last);
		obj_lsn(&o, "clean_next", mi->clean_next);
		obj_lsn(&o, "clean_first", mi->clean_first);
	}
	obj_lsn(&o, "start_lsn", img->start_lsn);
	obj_lsn(&o, "first_lsn", img->first_lsn);
	obj_lsn(&o, "last_lsn", img->last_lsn);
	obj_lsn(&o, "next_lsn", img->next_lsn);
	obj_u64(&o, "last_seq", img->last_seq);
	obj_u64(&o, "blocks", img->n_blocks);
	stop_text(img, stop, sizeof(stop));
	obj_str(&o, "end_reason", stop);
	obj_end(&o);
}

static void put_container(const struct clfs_image *img, uint32_t i)
{
	const struct clfs_container_info *ci = &img->mi->containers[i];
	const char *state;
	struct obj o;
	int d = img->cont_dev[i];

	state = ci->state == CLFS_CONT_FREE ? "free" :
		ci->state == CLFS_CONT_ACTIVE ? "active" : "pending-removal";
	if (!cli.json)
		fputs("container ", stdout);
	obj_begin(&o, true);
	obj_u64(&o, "physical_id", ci->physical_id);
	obj_u64(&o, "logical_id", ci->logical_id);
	obj_str(&o, "state", state);
	obj_u64(&o, "dev_offset", ci->dev_offset);
	obj_uuid(&o, "dev_uuid", ci->dev_uuid);
	obj_str(&o, "device", d >= 0 ? img->devs[d].name : "-");
	obj_str(&o, "header", img->cont_ret[i] ? "bad" : "ok");
	obj_end(&o);
}

int cmd_dump(int argc, char **argv)
{
	static struct clfs_image img;
	static struct image_files f;
	struct image_args a;
	char last[512] = "";
	struct list l;
	uint32_t i;
	int ret;

	ret = image_args(argc, argv, &a);
	if (ret)
		return ret < 0 ? 0 : ret;
	ret = image_files_open(&f, a.image, false);
	if (ret)
		return ret;
	img.devs = f.devs;
	img.n_devs = f.n;
	img.report = dump_report;
	img.report_arg = last;
	ret = clfs_image_open(&img);
	if (!ret)
		ret = clfs_image_recover(&img);
	if (ret) {
		ret = fail(ret, "%s", last[0] ? last : a.image);
		goto out;
	}
	if (cli.json)
		fputs("{\"meta\":", stdout);
	put_meta(&img);
	if (cli.json)
		list_begin(&l, ",\n\"containers\":[");
	for (i = 0; i < img.mi->n_containers; i++) {
		if (cli.json)
			list_item(&l);
		put_container(&img, i);
	}
	if (cli.json) {
		list_end(&l, "],");
		list_begin(&l, "\"records\":[");
	}
	ret = clfs_image_records(&img, dump_record, &l);
	if (cli.json)
		list_end(&l, "]}");
	if (ret)
		ret = fail(ret, "%s: read records", a.image);
out:
	clfs_image_close(&img);
	image_files_close(&f);
	return ret;
}

/* check: every problem is a line of output, or a JSON list element. */
struct problems {
	unsigned int n;
	struct list list;
};

static void check_report(void *arg, int err, const char *msg)
{
	struct problems *p = arg;

	(void)err;
	p->n++;
	if (!cli.json) {
		printf("problem: %s\n", msg);
		return;
	}
	list_item(&p->list);
	put_json_str(msg);
}

int cmd_check(int argc, char **argv)
{
	static struct clfs_image img;
	static struct image_files f;
	struct problems p = { 0, { false } };
	struct image_args a;
	char stop[256];
	struct obj o;
	int ret, err;

	ret = image_args(argc, argv, &a);
	if (ret)
		return ret < 0 ? 0 : ret;
	ret = image_files_open(&f, a.image, false);
	if (ret)
		return ret;
	img.devs = f.devs;
	img.n_devs = f.n;
	img.report = check_report;
	img.report_arg = &p;
	if (cli.json) {
		fputs("{\"image\":", stdout);
		put_json_str(a.image);
		list_begin(&p.list, ",\"problems\":[");
	}
	err = clfs_image_open(&img);
	if (!err)
		err = clfs_image_recover(&img);
	if (!err) {
		ret = clfs_image_check(&img);
		if (ret < 0)
			err = ret;
	}
	if (cli.json) {
		list_end(&p.list, "],");
		printf("\"consistent\":%s,\"summary\":",
		       p.n || err ? "false" : "true");
	} else if (!p.n && !err) {
		printf("%s: consistent: ", a.image);
	}
	if (cli.json || (!p.n && !err)) {
		obj_begin(&o, true);
		if (img.mi) {
			obj_str(&o, "copy", img.copy ? "B" : "A");
			obj_u64(&o, "generation", img.mi->generation);
			obj_u64(&o, "containers", img.mi->n_containers);
			obj_u64(&o, "blocks", img.n_blocks);
			obj_u64(&o, "records", img.n_records);
			obj_lsn(&o, "first_lsn", img.first_lsn);
			obj_lsn(&o, "last_lsn", img.last_lsn);
			stop_text(&img, stop, sizeof(stop));
			obj_str(&o, "end_reason", stop);
		}
		obj_end(&o);
	}
	if (cli.json)
		puts("}");
	ret = 0;
	if (p.n)
		ret = fail(err ? err : -EUCLEAN, "%s: %u problem%s found",
			   a.image, p.n, p.n == 1 ? "" : "s");
	else if (err)
		ret = fail(err, "%s", a.image);
	clfs_image_close(&img);
	image_files_close(&f);
	return ret;
}

/*
 * upgrade: a v2 log to v3 (format.rst, "Upgrading a v2 image").  Both
 * copies are read; each is valid v3 already, valid v2 (converted by
 * clfs_meta_from_v2()), or neither.  The newest valid one is the log.
 * Both new copies are encoded first (the other copy's place with
 * generation + 1, the newest copy's with generation + 2) and the whole
 * log is checked exactly as it will read after the upgrade (the image
 * reader sees the new copies through upgrade_read()); only a log without
 * problems is written: the first, synced, then the second, synced.  A
 * crash leaves a v2 log, or a v3 log whose older copy is still v2, which
 * a new run finishes.
 */
struct upgrade_base {
	int fd;
	const u8 *meta[2];	/* what copies A and B will hold */
};

static int upgrade_read(void *priv, uint64_t off, void *buf, size_t len)
{
	static const uint64_t at[2] = { CLFS_META_A_OFFSET, CLFS_META_B_OFFSET };
	struct upgrade_base *ub = priv;
	uint64_t lo, hi;
	int i, ret;

	ret = clfs_image_fd_read(&ub->fd, off, buf, len);
	for (i = 0; !ret && i < 2; i++) {
		lo = off > at[i] ? off : at[i];
		hi = off + len < at[i] + CLFS_META_COPY_SIZE ?
		     off + len : at[i] + CLFS_META_COPY_SIZE;
		if (lo < hi)
			memcpy((u8 *)buf + (lo - off), ub->meta[i] + (lo - at[i]),
			       hi - lo);
	}
	return ret;
}

static void upgrade_report(void *arg, int err, const char *msg)
{
	unsigned int *n = arg;

	(void)err;
	(*n)++;
	printf("problem: %s\n", msg);
}

static int upgrade_write(int fd, int copy, const u8 *buf)
{
	uint64_t off = copy ? CLFS_META_B_OFFSET : CLFS_META_A_OFFSET;

	errno = 0;
	if (pwrite(fd, buf, CLFS_META_COPY_SIZE, (off_t)off) !=
	    (ssize_t)CLFS_META_COPY_SIZE)
		return errno ? -errno : -EIO;
	return fsync(fd) ? -errno : 0;
}

int cmd_upgrade(int argc, char **argv)
{
	static const uint64_t at[2] = { CLFS_META_A_OFFSET, CLFS_META_B_OFFSET };
	static struct clfs_meta_info mi[2];
	static struct clfs_image img;
	static struct image_files f;
	static u8 raw[2][CLFS_META_COPY_SIZE], conv[2][CLFS_META_COPY_SIZE];
	struct upgrade_base ub;
	unsigned int problems = 0;
	bool v3[2] = { false, false }, ok[2] = { false, false };
	struct image_args a;
	int i, newest, ret;
	uint64_t gen;

	ret = image_args(argc, argv, &a);
	if (ret)
		return ret < 0 ? 0 : ret;
	ret = image_files_open(&f, a.image, true);
	if (ret)
		return ret;
	for (i = 0; i < 2; i++) {
		ret = clfs_image_fd_read(&f.fds[0], at[i], raw[i],
					 CLFS_META_COPY_SIZE);
		if (ret) {
			ret = fail(ret, "%s: read metadata copy %c", a.image,
				   'A' + i);
			goto out;
		}
		memcpy(conv[i], raw[i], CLFS_META_COPY_SIZE);
		v3[i] = !clfs_meta_decode(raw[i], CLFS_META_COPY_SIZE, &mi[i]);
		ok[i] = v3[i] || !clfs_meta_from_v2(raw[i], conv[i], &mi[i]);
	}
	if (v3[0] && v3[1]) {
		printf("%s: already format v%u; nothing to do\n", a.image,
		       CLFS_FORMAT_MAJOR);
		ret = 0;
		goto out;
	}
	newest = clfs_meta_choose(ok[0] ? 0 : -EUCLEAN, &mi[0],
				  ok[1] ? 0 : -EUCLEAN, &mi[1]);
	if (newest < 0) {
		ret = fail(-EUCLEAN, "%s: no valid v2 or v3 metadata, or two copies that contradict each other",
			   a.image);
		goto out;
	}
	/* The two copies the upgrade writes, and the log as it will read. */
	gen = mi[newest].generation;
	for (i = 0; i < 2; i++) {
		mi[newest].generation = gen + (i == newest ? 2 : 1);
		if (clfs_meta_encode(&mi[newest], conv[i],
				     CLFS_META_COPY_SIZE) < 0) {
			ret = fail(-EINVAL, "%s: cannot encode the new metadata",
				   a.image);
			goto out;
		}
	}
	ub.fd = f.fds[0];
	ub.meta[0] = conv[0];
	ub.meta[1] = conv[1];
	f.devs[0].read = upgrade_read;
	f.devs[0].priv = &ub;
	img.devs = f.devs;
	img.n_devs = f.n;
	img.report = upgrade_report;
	img.report_arg = &problems;
	ret = clfs_image_open(&img);
	if (!ret)
		ret = clfs_image_recover(&img);
	if (!ret && clfs_image_check(&img))
		ret = -EUCLEAN;
	clfs_image_close(&img);
	if (ret || problems) {
		ret = fail(ret ? ret : -EUCLEAN, "%s: the log has problems (above); nothing written",
			   a.image);
		goto out;
	}
	ret = upgrade_write(f.fds[0], newest ^ 1, conv[newest ^ 1]);
	if (!ret)
		ret = upgrade_write(f.fds[0], newest, conv[newest]);
	if (ret) {
		ret = fail(ret, "%s: write metadata", a.image);
		goto out;
	}
	printf("%s: upgraded to format v%u (generation %llu)\n", a.image,
	       CLFS_FORMAT_MAJOR, (unsigned long long)(gen + 2));
out:
	image_files_close(&f);
	return ret;
}

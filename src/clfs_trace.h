/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clfs tracepoints: what the log does, for perf trace and trace-cmd
 * (events clfs:*).  Each event names its log by the base device's number.
 *
 *   clfs_seal          a write buffer closed into a block
 *   clfs_submit        the block's bio goes to the device
 *   clfs_complete      a block retired in log order (its write completed)
 *   clfs_flush         a cache flush made completed blocks durable
 *   clfs_meta_commit   a metadata copy written
 *   clfs_recycle       a container given a new logical id
 *   clfs_truncate      the end of the log moved back
 *   clfs_recover       an open found the end of the log
 *
 * clfs_main.c instantiates them (CREATE_TRACE_POINTS).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM clfs

#if !defined(CLFS_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define CLFS_TRACE_H

#include <linux/tracepoint.h>
#include <linux/types.h>

DECLARE_EVENT_CLASS(clfs_block_class,
	TP_PROTO(dev_t dev, u64 lsn, u64 last, u32 size),
	TP_ARGS(dev, lsn, last, size),
	TP_STRUCT__entry(
		__field(dev_t, dev)
		__field(u64, lsn)
		__field(u64, last)
		__field(u32, size)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->lsn = lsn;
		__entry->last = last;
		__entry->size = size;
	),
	TP_printk("log %u:%u block %#llx records ..%#llx size %u",
		  MAJOR(__entry->dev), MINOR(__entry->dev), __entry->lsn,
		  __entry->last, __entry->size)
);

DEFINE_EVENT(clfs_block_class, clfs_seal,
	TP_PROTO(dev_t dev, u64 lsn, u64 last, u32 size),
	TP_ARGS(dev, lsn, last, size));

TRACE_EVENT(clfs_submit,
	TP_PROTO(dev_t dev, u64 lsn, dev_t to, u64 sector, u32 size, bool fua,
		 bool preflush),
	TP_ARGS(dev, lsn, to, sector, size, fua, preflush),
	TP_STRUCT__entry(
		__field(dev_t, dev)
		__field(u64, lsn)
		__field(dev_t, to)
		__field(u64, sector)
		__field(u32, size)
		__field(bool, fua)
		__field(bool, preflush)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->lsn = lsn;
		__entry->to = to;
		__entry->sector = sector;
		__entry->size = size;
		__entry->fua = fua;
		__entry->preflush = preflush;
	),
	TP_printk("log %u:%u block %#llx to %u:%u sector %llu size %u%s%s",
		  MAJOR(__entry->dev), MINOR(__entry->dev), __entry->lsn,
		  MAJOR(__entry->to), MINOR(__entry->to), __entry->sector,
		  __entry->size, __entry->preflush ? " PREFLUSH" : "",
		  __entry->fua ? (__entry->preflush ? "|FUA" : " FUA") : "")
);

TRACE_EVENT(clfs_complete,
	TP_PROTO(dev_t dev, u64 lsn, u64 last, int status, bool durable),
	TP_ARGS(dev, lsn, last, status, durable),
	TP_STRUCT__entry(
		__field(dev_t, dev)
		__field(u64, lsn)
		__field(u64, last)
		__field(int, status)
		__field(bool, durable)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->lsn = lsn;
		__entry->last = last;
		__entry->status = status;
		__entry->durable = durable;
	),
	TP_printk("log %u:%u block %#llx records ..%#llx status %d%s",
		  MAJOR(__entry->dev), MINOR(__entry->dev), __entry->lsn,
		  __entry->last, __entry->status,
		  __entry->durable ? " durable" : "")
);

TRACE_EVENT(clfs_flush,
	TP_PROTO(dev_t dev, u64 want, u64 durable, int ret),
	TP_ARGS(dev, want, durable, ret),
	TP_STRUCT__entry(
		__field(dev_t, dev)
		__field(u64, want)
		__field(u64, durable)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->want = want;
		__entry->durable = durable;
		__entry->ret = ret;
	),
	TP_printk("log %u:%u cache flush for %#llx: durable to %#llx, %d",
		  MAJOR(__entry->dev), MINOR(__entry->dev), __entry->want,
		  __entry->durable, __entry->ret)
);

TRACE_EVENT(clfs_meta_commit,
	TP_PROTO(dev_t dev, u64 generation, int copy, u64 base, u64 end,
		 int ret),
	TP_ARGS(dev, generation, copy, base, end, ret),
	TP_STRUCT__entry(
		__field(dev_t, dev)
		__field(u64, generation)
		__field(int, copy)
		__field(u64, base)
		__field(u64, end)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->generation = generation;
		__entry->copy = copy;
		__entry->base = base;
		__entry->end = end;
		__entry->ret = ret;
	),
	TP_printk("log %u:%u generation %llu to copy %c base %#llx end %#llx: %d",
		  MAJOR(__entry->dev), MINOR(__entry->dev), __entry->generation,
		  'A' + __entry->copy, __entry->base, __entry->end, __entry->ret)
);

TRACE_EVENT(clfs_recycle,
	TP_PROTO(dev_t dev, u32 physical, u32 from, u32 to),
	TP_ARGS(dev, physical, from, to),
	TP_STRUCT__entry(
		__field(dev_t, dev)
		__field(u32, physical)
		__field(u32, from)
		__field(u32, to)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->physical = physical;
		__entry->from = from;
		__entry->to = to;
	),
	TP_printk("log %u:%u container %u: logical id %u -> %u",
		  MAJOR(__entry->dev), MINOR(__entry->dev), __entry->physical,
		  __entry->from, __entry->to)
);

TRACE_EVENT(clfs_truncate,
	TP_PROTO(dev_t dev, u64 end, u64 floor),
	TP_ARGS(dev, end, floor),
	TP_STRUCT__entry(
		__field(dev_t, dev)
		__field(u64, end)
		__field(u64, floor)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->end = end;
		__entry->floor = floor;
	),
	TP_printk("log %u:%u ends at %#llx, sequence floor %llu",
		  MAJOR(__entry->dev), MINOR(__entry->dev), __entry->end,
		  __entry->floor)
);

TRACE_EVENT(clfs_recover,
	TP_PROTO(dev_t dev, u64 blocks, u64 last, int ret),
	TP_ARGS(dev, blocks, last, ret),
	TP_STRUCT__entry(
		__field(dev_t, dev)
		__field(u64, blocks)
		__field(u64, last)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->blocks = blocks;
		__entry->last = last;
		__entry->ret = ret;
	),
	TP_printk("log %u:%u %llu blocks, last record %#llx: %d",
		  MAJOR(__entry->dev), MINOR(__entry->dev), __entry->blocks,
		  __entry->last, __entry->ret)
);

#endif /* CLFS_TRACE_H */

/* The kernel's trace machinery includes this file again from here. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE clfs_trace
#include <trace/define_trace.h>

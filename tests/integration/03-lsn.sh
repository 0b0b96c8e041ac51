# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh source-path=SCRIPTDIR # busybox ash in the guest
# clfsctl's LSN commands give the CLFS layout exactly, and reject
# malformed input with exit status 1 (no such LSN) or 2 (usage).
# shellcheck source=../qemu/guest-lib.sh # installed as /tests/lib.sh
. /tests/lib.sh

expect_eq "$(clfsctl lsn decode 0x100000203)" \
	"lsn 0x0000000100000203: container 1, block offset 0x200, record 3 (valid)" \
	"decode 0x100000203"
expect_eq "$(clfsctl lsn decode 0xffffffff00000000)" \
	"lsn 0xffffffff00000000: container 4294967295, block offset 0, record 0 (invalid)" \
	"decode CLFS_LSN_INVALID"
expect_eq "$(clfsctl --json lsn make 42 0x1f400 5)" \
	'{"lsn":"0x0000002a0001f405","container":42,"block_offset":128000,"record":5,"kind":"valid"}' \
	"make 42 0x1f400 5"
expect_status 1 clfsctl lsn make 1 0x201 0
expect_status 1 clfsctl lsn make 0xffffffff 0 0
expect_status 1 clfsctl lsn make 1 0 512
expect_status 2 clfsctl lsn decode -1
expect_status 2 clfsctl lsn decode 0x1g
expect_status 2 clfsctl lsn frobnicate

# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh source-path=SCRIPTDIR # busybox ash in the guest
# Many actors on one log through /dev/clfs (tests/uapi/clfs_stress.c):
# 3 processes of 4 threads on shared descriptors, then 8 threads closing
# and reopening every kind of descriptor under each other's calls; every
# result checked against a model, and every acknowledged record read back
# after each phase and after a reopen.  Two loop devices over tmpfs files
# are the disks.
# shellcheck source=../qemu/guest-lib.sh # installed as /tests/lib.sh
. /tests/lib.sh

with_loops "32M 32M" clfs_stress -s "${CLFS_STRESS_SEED:-20261203}" -p 3 -t 4 -T 8 -n 1500

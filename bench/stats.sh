# SPDX-License-Identifier: ISC
# stats.sh - the summaries the bench scripts print, sourced by each of them
# so that a median means the same everywhere.

# median FILE: the median of the numbers in FILE, one a line.
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# p99 FILE: the 99th percentile of FILE, by nearest rank: the smallest
# value that at least 99% of them do not exceed.
p99() { sort -n "$1" | awk '{ v[NR] = $1 } END { i = int(NR * 0.99); if (i < NR * 0.99) i++; if (i < 1) i = 1; print v[i] }'; }

# machine: the line that says what the figures were measured on.
machine() { echo "machine: $(nproc) cores, $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"; }

#ifndef DECANT_CSYSTEM_H
#define DECANT_CSYSTEM_H

#include <stddef.h>
#include <stdint.h>

/// Asks the kernel to start writing a file range back to disk without waiting
/// (Linux `sync_file_range` with SYNC_FILE_RANGE_WRITE); a no-op elsewhere.
/// Returns 0 on success, -1 with errno set.
int decant_start_writeback(int fd, int64_t offset, int64_t length);

/// Atomically swaps the directory entries `a` and `b`, which must both exist
/// (Linux `renameat2` with RENAME_EXCHANGE). Returns 0 on success, -1 with errno
/// set (EINVAL or ENOSYS where the system or file system cannot do it).
int decant_exchange(const char *a, const char *b);

/// Hints that memory at `address` will be read soon.
static inline void decant_prefetch(const void *address) { __builtin_prefetch(address, 0, 1); }

/// The offset of the first occurrence of `needle` in `hay`, or -1 (glibc `memmem`,
/// which Swift's Glibc module does not export).
int64_t decant_find_bytes(const void *hay, size_t hayLength, const void *needle, size_t needleLength);

#endif

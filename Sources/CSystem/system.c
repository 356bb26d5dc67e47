#define _GNU_SOURCE
#include "CSystem.h"

#include <fcntl.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int decant_start_writeback(int fd, int64_t offset, int64_t length) {
#if defined(__linux__)
  return sync_file_range(fd, (off_t)offset, (off_t)length, SYNC_FILE_RANGE_WRITE);
#else
  (void)fd;
  (void)offset;
  (void)length;
  return 0;
#endif
}

void decant_keep_freed_memory(void) {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

#ifndef ARTTUI_CWRITEBACK_SHIM_H
#define ARTTUI_CWRITEBACK_SHIM_H
#include <stdint.h>

#ifdef __linux__
/* glibc declares sync_file_range only under _GNU_SOURCE, which Swift's Glibc module is not built
   with; its offsets are off64_t, which is int64_t on every 64-bit Linux. */
int sync_file_range(int fd, int64_t offset, int64_t nbytes, unsigned int flags);

/// Asks the kernel to start writing `length` bytes of `fd` from `offset` to the disk and returns
/// without waiting for them (SYNC_FILE_RANGE_WRITE): a later fsync then waits only for what is
/// still in flight. 0, or -1 with errno set.
static inline int arttui_start_writeback(int fd, int64_t offset, int64_t length) {
    return sync_file_range(fd, offset, length, 2u /* SYNC_FILE_RANGE_WRITE */);
}
#else
/// Elsewhere there is no such call: fsync does all the writing, as before.
static inline int arttui_start_writeback(int fd, int64_t offset, int64_t length) {
    (void)fd; (void)offset; (void)length;
    return 0;
}
#endif
#endif

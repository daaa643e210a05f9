#ifndef ARTTUI_CWRITEBACK_SHIM_H
#define ARTTUI_CWRITEBACK_SHIM_H
#include <errno.h>
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

/* fallocate is declared only under _GNU_SOURCE too; posix_fallocate is no substitute, since glibc
   emulates it by writing zeros where the file system cannot allocate. */
int fallocate(int fd, int mode, int64_t offset, int64_t length);

/// Allocates `length` bytes of `fd` from `offset` on the disk without writing them (mode 0: the
/// file grows to cover them). 0, or -1 with errno set (EOPNOTSUPP where the file system cannot).
static inline int arttui_allocate(int fd, int64_t offset, int64_t length) {
    return fallocate(fd, 0, offset, length);
}
#else
/// Elsewhere blocks are allocated as they are written.
static inline int arttui_allocate(int fd, int64_t offset, int64_t length) {
    (void)fd; (void)offset; (void)length;
    errno = EOPNOTSUPP;
    return -1;
}

/// Elsewhere there is no such call: fsync does all the writing, as before.
static inline int arttui_start_writeback(int fd, int64_t offset, int64_t length) {
    (void)fd; (void)offset; (void)length;
    return 0;
}
#endif
#endif

import CSQLiteConfig
/// How a process asks glibc's allocator to hand memory back: one place for the server and the command line.
///
/// glibc serves a block of 128 KiB or more with its own `mmap`, and returns it to the system when it is
/// freed; but after the first such block is freed it raises that threshold to the block's size (up to
/// 32 MiB). From then on every buffer below the new threshold comes from the heap, and a freed one leaves
/// a hole that the small allocations around it keep from being returned.
public enum MemoryTuning {
    /// For `arttui-server`: a pack body, its checked copy and its sealed form are MiB each, allocated on
    /// whichever of the blocking-call threads runs the request; after a 500 MiB put the server stayed at
    /// 338 MiB resident. A fixed 1 MiB threshold keeps those buffers mmapped, and four arenas keep the
    /// small allocations of many threads together.
    ///
    /// Below that threshold, a freed buffer at the top of an arena is handed back (`MADV_DONTNEED`)
    /// once more than the trim threshold is free there, 128 KiB by default: then every answer's
    /// buffers (a ranged GET's body, a window of records, libcurl's 512 KiB receive buffer, taken anew
    /// for each transfer) would be faulted in again page by page. Up to 8 MiB per arena stays mapped
    /// for the next request instead.
    public static func applyForServer() {
        apply(mmapThreshold: 1 << 20, arenas: 4, trimThreshold: 8 << 20)
    }

    /// For `arttui`: a put or get of 100,000 files grows arrays and dictionaries of per-file records by
    /// doubling, so each growth frees the previous buffer (MiB each). Once the threshold had risen past
    /// them they stayed on the heap as holes between per-file strings: a put of 100,000 tiny files peaked
    /// at 245 MiB resident for 141 MiB of live heap. With the threshold fixed at its default of 128 KiB
    /// they go back to the system when freed. The arenas stay glibc's own: one arena made it worse (the
    /// worker threads' short-lived buffers then sit between the main thread's long-lived records).
    ///
    /// SQLite's memory statistics are turned off as well (nothing reads them): with them on, each of
    /// SQLite's allocations takes one process-wide mutex (`perf`: 2 % of a hardlink `get` of 20,600
    /// cached files in `pthread_mutex_lock` and `unlock`, from two threads).
    public static func applyForCommandLine() {
        apply(mmapThreshold: 128 << 10, arenas: nil, trimThreshold: nil)
        _ = arttui_sqlite_no_memory_statistics()
    }

    private static func apply(mmapThreshold: Int32, arenas: Int32?, trimThreshold: Int32?) {
        #if os(Linux)
        // The parameters' values in glibc's <malloc.h>, which the Glibc module does not import.
        let trimThresholdParameter: Int32 = -1, mmapThresholdParameter: Int32 = -3, arenaMaxParameter: Int32 = -8
        // Setting the threshold at all also stops glibc from raising it.
        _ = glibcMallopt(mmapThresholdParameter, mmapThreshold)
        if let arenas { _ = glibcMallopt(arenaMaxParameter, arenas) }
        if let trimThreshold { _ = glibcMallopt(trimThresholdParameter, trimThreshold) }
        #endif
    }
}

#if os(Linux)
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

/// How the server asks glibc's allocator to hand memory back.
///
/// A pack body, its checked copy and its sealed form are MiB each, allocated on whichever of the
/// blocking-call threads runs the request. glibc raises its mmap threshold after the first such buffer
/// is freed, so later ones come from per-thread heaps that keep the memory: after a 500 MiB put the
/// server stayed at 338 MiB resident. A fixed threshold keeps large buffers mmapped (returned to the
/// system when freed), and few arenas keep the small allocations of many threads together.
enum MemoryTuning {
    static func apply() {
        #if os(Linux)
        // The parameters' values in glibc's <malloc.h>, which the Glibc module does not import.
        let mmapThreshold: Int32 = -3, arenaMax: Int32 = -8
        _ = glibcMallopt(mmapThreshold, 1 << 20)
        _ = glibcMallopt(arenaMax, 4)
        #endif
    }
}

#if os(Linux)
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

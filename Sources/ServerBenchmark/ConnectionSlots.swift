/// Lets a fixed number of uploads hold a connection at once; the others wait for a free one without
/// holding a thread (a pack's send blocks a dispatch thread while it runs, and a dispatch thread parked
/// on a semaphore is one the cutting's `concurrentPerform` could not use).
actor ConnectionSlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) {
        free = max(1, count)
    }

    /// Returns once a connection is free, taking it.
    func take() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands a connection to the longest waiting upload, or frees it.
    func give() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

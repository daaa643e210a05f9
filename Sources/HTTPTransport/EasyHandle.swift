import CHTTPTransport

/// One libcurl easy handle with its error buffer, and the multi handle its transfers run on, which
/// keeps their connections open between requests: a handle reused for the next request to the same
/// server skips the connect and TLS handshake. Used by one thread at a time (the client's pool hands it out).
final class EasyHandle: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    private let multi: UnsafeMutableRawPointer
    /// libcurl writes a failure's details here (CURL_ERROR_SIZE is 256).
    let errorBuffer: UnsafeMutablePointer<CChar>

    /// A new handle, or nil when libcurl could not make one.
    init?() {
        guard let pointer = arttui_curl_easy_init() else { return nil }
        guard let multi = arttui_curl_multi_init() else {
            arttui_curl_easy_cleanup(pointer)
            return nil
        }
        self.pointer = pointer
        self.multi = multi
        errorBuffer = .allocate(capacity: 256)
        errorBuffer.initialize(repeating: 0, count: 256)
    }

    deinit {
        arttui_curl_multi_cleanup(multi)
        arttui_curl_easy_cleanup(pointer)
        errorBuffer.deallocate()
    }

    /// Every option back to libcurl's default; open connections stay.
    func reset() {
        arttui_curl_easy_reset(pointer)
        errorBuffer[0] = 0
    }

    @discardableResult
    func set(_ option: Int32, _ value: Int) -> Int32 { arttui_curl_setopt_long(pointer, option, value) }

    @discardableResult
    func set(_ option: Int32, pointer value: UnsafeRawPointer?) -> Int32 {
        arttui_curl_setopt_pointer(pointer, option, value)
    }

    @discardableResult
    func set(_ option: Int32, text: UnsafePointer<CChar>) -> Int32 { arttui_curl_setopt_pointer(pointer, option, text) }

    @discardableResult
    func set(_ option: Int32, offset value: Int64) -> Int32 { arttui_curl_setopt_offset(pointer, option, value) }

    @discardableResult
    func set(_ option: Int32, callback: arttui_curl_data_callback) -> Int32 {
        arttui_curl_setopt_callback(pointer, option, callback)
    }

    @discardableResult
    func set(_ option: Int32, progress: arttui_curl_xferinfo_callback) -> Int32 {
        arttui_curl_setopt_xferinfo(pointer, option, progress)
    }

    /// Runs the transfer the options describe and returns its CURLcode; the progress callback, when
    /// set, runs at least every `wakeMilliseconds` even while no byte moves.
    func perform(wakeMilliseconds: Int) -> Int32 {
        arttui_curl_multi_transfer(multi, pointer, Int32(clamping: wakeMilliseconds))
    }

    func info(long info: Int32) -> Int {
        var value = 0
        return arttui_curl_getinfo_long(pointer, info, &value) == 0 ? value : 0
    }

    func info(offset info: Int32) -> Int64 {
        var value: Int64 = 0
        return arttui_curl_getinfo_offset(pointer, info, &value) == 0 ? value : 0
    }

    /// What libcurl said about the last failure: its error buffer, else its text for `code`.
    func message(for code: Int32) -> String {
        let detail = String(cString: errorBuffer)
        if !detail.isEmpty { return detail.split(whereSeparator: \.isNewline).joined(separator: " ") }
        return arttui_curl_strerror(code).map { String(cString: $0) } ?? "libcurl error \(code)"
    }
}

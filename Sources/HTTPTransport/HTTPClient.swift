import CHTTPTransport
import Foundation
import Synchronization

/// Blocking HTTP/1.1 and HTTP/2 requests over libcurl's easy API, for callers on ordinary threads.
///
/// Each request runs on the calling thread: no dispatch queues, no event-fd wake-ups. The client
/// keeps a small pool of easy handles, each with its open connections, so a thread that sends one
/// request after another reuses its connection. Bodies go out from the caller's memory (or a mapped
/// file); answers come back in one buffer sized from `Content-Length`, or to a receiver as they arrive.
/// Safe to share between threads.
public final class HTTPClient: Sendable {
    /// Timeouts, certificate checks and redirects for every request.
    public let settings: HTTPSettings
    private let idleHandles = Mutex<[EasyHandle]>([])
    /// Handles kept for reuse; more concurrent requests than this get handles of their own.
    private let poolSize = 16

    /// Creates a client; libcurl is loaded with the first request.
    public init(settings: HTTPSettings) {
        self.settings = settings
    }

    /// Sends `request` and returns its final answer with the whole body.
    /// - Throws: `HTTPTransportError` when no complete answer came; an error status is an answer.
    public func send(_ request: HTTPRequest) throws(HTTPTransportError) -> HTTPResponse {
        let collector = ResponseCollector(receiver: nil)
        try perform(request, collector: collector)
        return HTTPResponse(statusCode: collector.statusCode, headers: collector.headers, body: collector.takeBody())
    }

    /// Sends `request` and hands a 2xx answer's body to `receive` piece by piece as it arrives (the
    /// response's `body` is then empty); any other answer's body is collected as `send` does.
    /// - Throws: `HTTPTransportError`, or what `receive` threw (which stops the transfer).
    public func send(_ request: HTTPRequest, receive: (UnsafeRawBufferPointer) throws -> Void) throws -> HTTPResponse {
        try withoutActuallyEscaping(receive) { receiver in
            let collector = ResponseCollector(receiver: receiver)
            do {
                try perform(request, collector: collector)
            } catch {
                throw collector.receiverError ?? error
            }
            return HTTPResponse(statusCode: collector.statusCode, headers: collector.headers, body: collector.takeBody())
        }
    }

    // MARK: - One transfer

    private func perform(_ request: HTTPRequest, collector: ResponseCollector) throws(HTTPTransportError) {
        try Self.loadLibcurl()
        guard let scheme = request.url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw HTTPTransportError(kind: .invalidRequest, message: "\(request.url.absoluteString) is not an http(s) URL")
        }
        let handle = try takeHandle()
        defer { giveBack(handle) }
        handle.reset()
        configure(handle, for: request)

        var headerList: UnsafeMutableRawPointer?
        defer { if let headerList { arttui_curl_slist_free_all(headerList) } }
        // `Name:` with nothing after it tells libcurl to leave out a header it would add itself.
        var lines = request.headers.map { $0.value.isEmpty ? "\($0.name):" : "\($0.name): \($0.value)" }
        let hasBody: Bool
        switch request.body {
        case .none: hasBody = ["PUT", "POST", "PATCH"].contains(request.method.uppercased())
        case .bytes, .file: hasBody = true
        }
        // A body sent as POST fields gets curl's form content type unless the request names its own;
        // an empty `Content-Type:` line removes it.
        if hasBody && !request.headers.contains(where: { $0.name.caseInsensitiveCompare("Content-Type") == .orderedSame }) {
            lines.append("Content-Type:")
        }
        for line in lines { headerList = arttui_curl_slist_append(headerList, line) }
        handle.set(CurlOption.httpHeader, pointer: headerList)

        var fileError: Int32 = 0
        let idle = [settings.idleTimeout, request.stallTimeout].compactMap { $0 }.min()
        let watch = idle == nil && request.answerTimeout == nil
            ? nil
            : StallWatch(idle: idle, answer: request.answerTimeout ?? idle, collector: collector)
        let code: Int32 = withExtendedLifetime((collector, watch)) {
            let context = Unmanaged.passUnretained(collector).toOpaque()
            handle.set(CurlOption.writeFunction, callback: bodyCallback)
            handle.set(CurlOption.writeData, pointer: context)
            handle.set(CurlOption.headerFunction, callback: headerCallback)
            handle.set(CurlOption.headerData, pointer: context)
            if let watch {
                handle.set(CurlOption.noProgress, 0)
                handle.set(CurlOption.transferInfoFunction, progress: progressCallback)
                handle.set(CurlOption.transferInfoData, pointer: Unmanaged.passUnretained(watch).toOpaque())
            }
            let wakeMilliseconds = watch?.wakeMilliseconds ?? 1000
            return request.url.absoluteString.withCString { url in
                handle.set(CurlOption.url, text: url)
                return request.method.uppercased().withCString { method in
                    switch request.body {
                    case .none:
                        return send(nil, method: method, hasBody: hasBody, on: handle, wake: wakeMilliseconds)
                    case .bytes(let data):
                        return data.withUnsafeBytes { send($0, method: method, hasBody: true, on: handle, wake: wakeMilliseconds) }
                    case .file(let path):
                        return MappedFile.withContents(of: path) { contents in
                            guard let contents else {
                                fileError = errno
                                return -1
                            }
                            return send(contents, method: method, hasBody: true, on: handle, wake: wakeMilliseconds)
                        }
                    }
                }
            }
        }
        if code == -1, case .file(let path) = request.body {
            throw HTTPTransportError(
                kind: .invalidRequest, message: "cannot read \(path): \(String(cString: strerror(fileError)))")
        }
        guard code != 0 else { return }
        if code == CurlCode.abortedByCallback, let stall = watch?.stall {
            throw HTTPTransportError(kind: .timedOut, message: "\(request.url.absoluteString): \(stall)", code: code)
        }
        throw failure(code, on: handle)
    }

    /// Sets what every request shares: timeouts, certificates, redirects, protocols, buffers.
    private func configure(_ handle: EasyHandle, for request: HTTPRequest) {
        handle.set(CurlOption.errorBuffer, pointer: handle.errorBuffer)
        // Several threads use libcurl at once: no signals (curl would use SIGALRM for DNS timeouts).
        handle.set(CurlOption.noSignal, 1)
        if handle.set(CurlOption.protocolsText, text: "http,https") != 0 {
            handle.set(CurlOption.protocols, CurlOption.httpAndHTTPS)
        }
        handle.set(CurlOption.connectTimeoutMilliseconds, Self.milliseconds(settings.connectTimeout))
        if let total = settings.totalTimeout {
            handle.set(CurlOption.timeoutMilliseconds, Self.milliseconds(total))
        }
        if let idle = settings.idleTimeout {
            // Stalls are the progress callback's (see StallWatch); keep-alive probes find a peer that
            // vanished while a request waits longer than that for the server's work.
            let seconds = max(1, Int(idle.rounded(.up)))
            handle.set(CurlOption.tcpKeepAlive, 1)
            handle.set(CurlOption.tcpKeepIdle, seconds)
            handle.set(CurlOption.tcpKeepInterval, seconds)
        }
        if settings.followsRedirects {
            handle.set(CurlOption.followLocation, 1)
            handle.set(CurlOption.maxRedirects, 10)
            if handle.set(CurlOption.redirectProtocolsText, text: "http,https") != 0 {
                handle.set(CurlOption.redirectProtocols, CurlOption.httpAndHTTPS)
            }
        }
        if !settings.verifiesCertificates {
            handle.set(CurlOption.sslVerifyPeer, 0)
            handle.set(CurlOption.sslVerifyHost, 0)
        } else if let caFile = settings.caFile {
            // The file's certificates replace the system's roots, the directory of them included.
            caFile.withCString { _ = handle.set(CurlOption.caInfo, text: $0) }
            handle.set(CurlOption.caPath, pointer: nil)
        }
        // Socket reads of up to 64 KiB, into a buffer the allocator keeps. libcurl 7.88 allocates its receive
        // buffer anew for each transfer, even on a reused handle, and frees it at the end (`strace`: one
        // mapping per request). At 512 KiB it was above glibc's mmap threshold in `arttui` (128 KiB,
        // `MemoryTuning`), so every request of a remote get mapped it and faulted in its pages again: 135
        // mappings per get, a third of its extra page faults. Below the threshold it comes from the heap,
        // already resident.
        handle.set(CurlOption.bufferSize, Self.receiveBufferSize)
        // Large socket writes: a pack is megabytes.
        handle.set(CurlOption.uploadBufferSize, 1 << 20)
    }

    /// Sets the method and body, then runs the transfer. A body is sent as POST fields straight from
    /// `body`'s memory (`CUSTOMREQUEST` names the method when it is not POST).
    private func send(
        _ body: UnsafeRawBufferPointer?, method: UnsafePointer<CChar>, hasBody: Bool, on handle: EasyHandle, wake: Int
    ) -> Int32 {
        let name = String(cString: method)
        if name == "HEAD" {
            handle.set(CurlOption.noBody, 1)
        } else if hasBody {
            handle.set(CurlOption.postFieldSizeLarge, offset: Int64(body?.count ?? 0))
            handle.set(CurlOption.postFields, pointer: body?.baseAddress ?? Self.emptyBody)
            if name != "POST" { handle.set(CurlOption.customRequest, text: method) }
        } else if name != "GET" {
            handle.set(CurlOption.customRequest, text: method)
        }
        return handle.perform(wakeMilliseconds: wake)
    }

    /// libcurl's receive buffer, allocated per transfer (see `configure`).
    private static let receiveBufferSize = 64 << 10

    /// Where an empty body "is": libcurl wants a pointer even for zero bytes.
    private static var emptyBody: UnsafeRawPointer { UnsafeRawPointer(("" as StaticString).utf8Start) }

    private func failure(_ code: Int32, on handle: EasyHandle) -> HTTPTransportError {
        let message = handle.message(for: code)
        let kind: HTTPTransportError.Kind
        switch code {
        case CurlCode.couldNotResolveHost, CurlCode.couldNotConnect, CurlCode.couldNotResolveProxy:
            kind = .unreachable
        case CurlCode.operationTimedOut:
            // Never connected: the connect timeout, so the server is unreachable rather than slow.
            kind = handle.info(offset: CurlInfo.connectTime) == 0 ? .unreachable : .timedOut
        case CurlCode.unsupportedProtocol, CurlCode.urlMalformed:
            kind = .invalidRequest
        case CurlCode.weirdServerReply, CurlCode.badContentEncoding, CurlCode.tooLarge:
            kind = .invalidAnswer
        case _ where CurlCode.tls.contains(code):
            kind = .tls
        default:
            kind = .connectionLost
        }
        return HTTPTransportError(kind: kind, message: message, code: code)
    }

    // MARK: - Handles

    private func takeHandle() throws(HTTPTransportError) -> EasyHandle {
        if let handle = idleHandles.withLock({ $0.popLast() }) { return handle }
        guard let handle = EasyHandle() else {
            throw HTTPTransportError(kind: .unavailable, message: "curl_easy_init failed")
        }
        return handle
    }

    private func giveBack(_ handle: EasyHandle) {
        idleHandles.withLock { idle in
            if idle.count < poolSize { idle.append(handle) }
        }
    }

    private static func loadLibcurl() throws(HTTPTransportError) {
        var reason = [CChar](repeating: 0, count: 512)
        guard arttui_curl_load(&reason, reason.count) != 0 else { return }
        throw HTTPTransportError(
            kind: .unavailable, message: String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    private static func milliseconds(_ seconds: TimeInterval) -> Int {
        max(1, Int((seconds * 1000).rounded(.up)))
    }
}

/// CURLOPT_WRITEFUNCTION: body bytes for the transfer's collector; a short count stops the transfer.
private let bodyCallback: arttui_curl_data_callback = { bytes, size, count, context in
    let length = size * count
    let collector = Unmanaged<ResponseCollector>.fromOpaque(context!).takeUnretainedValue()
    return collector.body(UnsafeRawBufferPointer(start: bytes, count: length)) ? length : 0
}

/// CURLOPT_HEADERFUNCTION: one header line at a time.
private let headerCallback: arttui_curl_data_callback = { bytes, size, count, context in
    let length = size * count
    Unmanaged<ResponseCollector>.fromOpaque(context!).takeUnretainedValue()
        .header(UnsafeRawBufferPointer(start: bytes, count: length))
    return length
}

/// CURLOPT_XFERINFOFUNCTION: the transfer's counters for its stall watch; non-zero stops the transfer.
private let progressCallback: arttui_curl_xferinfo_callback = { context, _, downloaded, uploadTotal, uploaded in
    Unmanaged<StallWatch>.fromOpaque(context!).takeUnretainedValue()
        .isStalled(downloaded: downloaded, uploadTotal: uploadTotal, uploaded: uploaded) ? 1 : 0
}

/// The libcurl option numbers HTTPTransport sets, as curl.h defines them (`CURLOPT(name, type, n)`:
/// longs are `n`, pointers 10000 + n, callbacks 20000 + n, curl_off_t 30000 + n). They are part of
/// libcurl's ABI and do not change.
enum CurlOption {
    static let writeData: Int32 = 10001  // CURLOPT_WRITEDATA
    static let url: Int32 = 10002  // CURLOPT_URL
    static let errorBuffer: Int32 = 10010  // CURLOPT_ERRORBUFFER
    static let writeFunction: Int32 = 20011  // CURLOPT_WRITEFUNCTION
    static let postFields: Int32 = 10015  // CURLOPT_POSTFIELDS
    static let httpHeader: Int32 = 10023  // CURLOPT_HTTPHEADER
    static let headerData: Int32 = 10029  // CURLOPT_HEADERDATA
    static let customRequest: Int32 = 10036  // CURLOPT_CUSTOMREQUEST
    static let noProgress: Int32 = 43  // CURLOPT_NOPROGRESS
    static let noBody: Int32 = 44  // CURLOPT_NOBODY
    static let transferInfoData: Int32 = 10057  // CURLOPT_XFERINFODATA (the same number as PROGRESSDATA)
    static let followLocation: Int32 = 52  // CURLOPT_FOLLOWLOCATION
    static let sslVerifyPeer: Int32 = 64  // CURLOPT_SSL_VERIFYPEER
    static let caInfo: Int32 = 10065  // CURLOPT_CAINFO
    static let maxRedirects: Int32 = 68  // CURLOPT_MAXREDIRS
    static let headerFunction: Int32 = 20079  // CURLOPT_HEADERFUNCTION
    static let httpGet: Int32 = 80  // CURLOPT_HTTPGET
    static let sslVerifyHost: Int32 = 81  // CURLOPT_SSL_VERIFYHOST
    static let caPath: Int32 = 10097  // CURLOPT_CAPATH
    static let bufferSize: Int32 = 98  // CURLOPT_BUFFERSIZE
    static let noSignal: Int32 = 99  // CURLOPT_NOSIGNAL
    static let postFieldSizeLarge: Int32 = 30120  // CURLOPT_POSTFIELDSIZE_LARGE
    static let timeoutMilliseconds: Int32 = 155  // CURLOPT_TIMEOUT_MS
    static let connectTimeoutMilliseconds: Int32 = 156  // CURLOPT_CONNECTTIMEOUT_MS
    static let transferInfoFunction: Int32 = 20219  // CURLOPT_XFERINFOFUNCTION
    static let tcpKeepAlive: Int32 = 213  // CURLOPT_TCP_KEEPALIVE
    static let tcpKeepIdle: Int32 = 214  // CURLOPT_TCP_KEEPIDLE, seconds
    static let tcpKeepInterval: Int32 = 215  // CURLOPT_TCP_KEEPINTVL, seconds
    static let protocolsText: Int32 = 10318  // CURLOPT_PROTOCOLS_STR (libcurl 7.85 and later)
    static let redirectProtocolsText: Int32 = 10319  // CURLOPT_REDIR_PROTOCOLS_STR
    static let protocols: Int32 = 181  // CURLOPT_PROTOCOLS: the bit mask older libcurls know
    static let redirectProtocols: Int32 = 182  // CURLOPT_REDIR_PROTOCOLS
    static let uploadBufferSize: Int32 = 280  // CURLOPT_UPLOAD_BUFFERSIZE

    /// CURLPROTO_HTTP | CURLPROTO_HTTPS, for the bit-mask options.
    static let httpAndHTTPS = 1 | 2
}

/// libcurl's CURLINFO numbers (curl.h: CURLINFO_LONG 0x200000, CURLINFO_OFF_T 0x600000, plus n).
enum CurlInfo {
    static let responseCode: Int32 = 0x200000 + 2  // CURLINFO_RESPONSE_CODE
    static let connectTime: Int32 = 0x600000 + 52  // CURLINFO_CONNECT_TIME_T, microseconds
}

/// The CURLcode values HTTPTransport tells apart (curl.h's `CURLcode`).
enum CurlCode {
    static let unsupportedProtocol: Int32 = 1
    static let urlMalformed: Int32 = 3
    static let couldNotResolveProxy: Int32 = 5
    static let couldNotResolveHost: Int32 = 6
    static let couldNotConnect: Int32 = 7
    static let weirdServerReply: Int32 = 8
    static let http2: Int32 = 16
    static let partialFile: Int32 = 18
    static let writeError: Int32 = 23
    static let operationTimedOut: Int32 = 28
    static let sslConnectError: Int32 = 35
    static let abortedByCallback: Int32 = 42
    static let gotNothing: Int32 = 52
    static let sendError: Int32 = 55
    static let receiveError: Int32 = 56
    static let badContentEncoding: Int32 = 61
    static let sendFailRewind: Int32 = 65
    static let http2Stream: Int32 = 92
    static let tooLarge: Int32 = 100
    /// Certificates, handshakes, CA files: 35, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91, 98.
    static let tls: Set<Int32> = [35, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91, 98]
}

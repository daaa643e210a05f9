import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends one HTTP request and waits for its whole answer, from any thread that is not running
/// Swift concurrency tasks (it blocks until URLSession's delegate queue reports completion).
final class S3Transport: @unchecked Sendable {
    /// What a request sends.
    enum Body {
        case none
        case data(Data)
        case file(URL)
    }

    /// A request that got no HTTP answer.
    struct Failure: Error {
        var kind: S3Error.Kind
        var message: String
    }

    private let session: URLSession

    init(requestTimeout: TimeInterval) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = requestTimeout
        configuration.timeoutIntervalForResource = 24 * 3600
        configuration.httpMaximumConnectionsPerHost = 32
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        session = URLSession(configuration: configuration)
    }

    deinit { session.finishTasksAndInvalidate() }

    func send(_ request: URLRequest, body: Body) -> Result<(HTTPURLResponse, Data), Failure> {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox()
        let completion: @Sendable (Data?, URLResponse?, (any Error)?) -> Void = { data, response, error in
            if let error {
                box.result = .failure(Self.failure(from: error))
            } else if let http = response as? HTTPURLResponse {
                box.result = .success((http, data ?? Data()))
            } else {
                box.result = .failure(Failure(kind: .invalidResponse, message: "not an HTTP answer"))
            }
            done.signal()
        }
        let task: URLSessionTask
        switch body {
        case .none: task = session.dataTask(with: request, completionHandler: completion)
        case .data(let data): task = session.uploadTask(with: request, from: data, completionHandler: completion)
        case .file(let url): task = session.uploadTask(with: request, fromFile: url, completionHandler: completion)
        }
        task.resume()
        done.wait()
        return box.result ?? .failure(Failure(kind: .invalidResponse, message: "no answer"))
    }

    private static func failure(from error: any Error) -> Failure {
        guard let urlError = error as? URLError else {
            return Failure(kind: .connectionLost, message: String(describing: error))
        }
        let kind: S3Error.Kind
        switch urlError.code {
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet:
            kind = .unreachable
        case .timedOut:
            kind = .timedOut
        default:
            kind = .connectionLost
        }
        return Failure(kind: kind, message: urlError.localizedDescription)
    }
}

/// Carries a completion handler's result to the waiting thread; the semaphore orders the accesses.
private final class ResultBox: @unchecked Sendable {
    var result: Result<(HTTPURLResponse, Data), S3Transport.Failure>?
}

import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Blocking HTTP requests over `URLSession`, for the command line's synchronous commands.
enum HTTPTransfer {
    /// A response without its body.
    struct Head {
        var status: Int
        var headers: [String: String]

        /// A header by name, ignoring case.
        func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    /// Why a request failed before any response came.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A session that never answers from a cache: a reference is checked against its source as it is now.
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        return URLSession(configuration: configuration)
    }()

    private final class Outcome<Value>: @unchecked Sendable {
        var value: Result<Value, Error> = .failure(Failure(description: "no response"))
    }

    /// Sends `request` and returns the status, headers and body (meant for small bodies).
    static func data(_ request: URLRequest, session: URLSession = HTTPTransfer.session) throws -> (Head, Data) {
        let outcome = Outcome<(Head, Data)>()
        let done = DispatchSemaphore(value: 0)
        session.dataTask(with: request) { data, response, error in
            defer { done.signal() }
            if let error {
                outcome.value = .failure(Failure(description: error.localizedDescription))
            } else if let http = response as? HTTPURLResponse {
                outcome.value = .success((head(http), data ?? Data()))
            }
        }.resume()
        done.wait()
        return try outcome.value.get()
    }

    /// Sends `request` and saves the body to a new temporary file, which the caller removes.
    static func download(_ request: URLRequest, session: URLSession = HTTPTransfer.session) throws -> (Head, URL) {
        let outcome = Outcome<(Head, URL)>()
        let done = DispatchSemaphore(value: 0)
        session.downloadTask(with: request) { location, response, error in
            defer { done.signal() }
            if let error {
                outcome.value = .failure(Failure(description: error.localizedDescription))
                return
            }
            guard let http = response as? HTTPURLResponse, let location else { return }
            // The session removes its file when this handler returns: move it out first.
            let kept = FileManager.default.temporaryDirectory
                .appendingPathComponent("arttui-fetch-\(UUID().uuidString)")
            do {
                try FileManager.default.moveItem(at: location, to: kept)
                outcome.value = .success((head(http), kept))
            } catch {
                outcome.value = .failure(Failure(description: "cannot keep the download: \(error.localizedDescription)"))
            }
        }.resume()
        done.wait()
        return try outcome.value.get()
    }

    /// Streams a file's bytes into `sink` a megabyte at a time.
    static func stream(_ file: URL, into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Int64 {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var total: Int64 = 0
        while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty {
            try block.withUnsafeBytes { try sink($0) }
            total += Int64(block.count)
        }
        return total
    }

    private static func head(_ response: HTTPURLResponse) -> Head {
        var headers: [String: String] = [:]
        for (key, value) in response.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key] = value }
        }
        return Head(status: response.statusCode, headers: headers)
    }
}

import ArgumentParser
import ArtifactStore
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
import PostgresNIO
import ServiceLifecycle

/// `arttui-server serve`: answers the HTTP API until SIGTERM, then finishes the requests in flight.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the server.")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "HOST:PORT to listen on.")
    var listen = "127.0.0.1:8080"

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain: serve HTTPS.")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key for --tls-cert.")
    var tlsKey: String?

    @Flag(name: .customLong("insecure-http"), help: "Serve plain HTTP on an address other than loopback.")
    var insecureHTTP = false

    @Option(name: .customLong("upload-expiry"), parsing: .unconditional, help: ArgumentHelp(
        "Seconds after which an unused upload's staged packs are removed (default: 86400, at most a year).",
        valueName: "seconds"),
        transform: ServerNumbers.uploadExpiry.read)
    var uploadExpiry: Int64 = 86400

    @Option(name: .customLong("cache-ttl"), parsing: .unconditional, help: ArgumentHelp(
        "Seconds a token's or project's lookup is reused (env ARTTUI_CACHE_TTL, default 1; 0 caches nothing). "
            + "Changes through any server or admin command clear the caches at once; this bounds the rest.",
        valueName: "seconds"), transform: ServerNumbers.cacheLifetime.read)
    var cacheTTL: Double?

    /// `--cache-ttl`, else `$ARTTUI_CACHE_TTL`, else one second.
    func cacheLifetime() throws -> Duration {
        let environment = ProcessInfo.processInfo.environment
        guard let seconds = try cacheTTL ?? ServerNumbers.environment("ARTTUI_CACHE_TTL", ServerNumbers.cacheLifetime, in: environment)
        else { return .seconds(1) }
        return .milliseconds(Int64(seconds * 1000))
    }

    func run() async throws {
        try await reportingFailure {
            MemoryTuning.applyForServer()
            let logger = makeLogger("arttui-server", default: .info)
            let (host, port) = try ListenAddress.parse(listen)
            let tls = try tlsConfiguration()
            if tls == nil, !ListenAddress.isLoopback(host), !insecureHTTP {
                throw CommandFailure(description: "without --tls-cert and --tls-key the server listens only on loopback; give --insecure-http to serve plain HTTP on \(host)")
            }
            // Every setting is read before any service is asked, so a bad one is refused at once.
            let lifetime = try cacheLifetime()
            _ = try connection.s3Timeout()
            let url = try connection.database()
            let storeSettings = try connection.storeSettings()
            try await DatabaseConnector.check(url, logger: logger)
            let (store, objectsReachable) = try connection.openStore(storeSettings, logger: logger)
            let server: HTTPServerBuilder = try tls.map { try HTTPServerBuilder.tls(.http1(), tlsConfiguration: $0) } ?? .http1()
            let usesTLS = tls != nil
            let client = DatabaseConnector.client(url, logger: logger)
            let accounts = AccountStore(
                client: client, logger: logger, timeout: try connection.databaseTimeout(),
                cacheLifetime: lifetime)
            let api = ArttuiAPI(store: store, accounts: accounts, objectsReachable: objectsReachable)
            var app = Application(
                router: api.makeRouter(),
                server: server,
                configuration: .init(address: .hostname(host, port: port), serverName: "arttui-server"),
                services: [client, AccessChangeFollower(accounts: accounts)],
                onServerRunning: { channel in
                    let address = channel.localAddress.map { "\($0)" } ?? "\(host):\(port)"
                    logger.info("listening", metadata: ["address": "\(address)", "tls": "\(usesTLS)"])
                },
                logger: logger)
            app.beforeServerStarts {
                try await accounts.migrate()
            }
            let expiry = Duration.seconds(uploadExpiry)
            let sweeper = Task {
                // Abandoned uploads' packs go after `expiry`; checked a few times per period, at most every 10 minutes.
                let interval = Duration.seconds(max(1, min(uploadExpiry / 4, 600)))
                while !Task.isCancelled {
                    // Cancelled when the server stops: a failure then is no expiry failing.
                    do { try await Task.sleep(for: interval) } catch { break }
                    do {
                        let removed = try await api.expireAbandonedUploads(unusedFor: expiry)
                        if removed > 0 { logger.info("abandoned uploads expired", metadata: ["packs": "\(removed)"]) }
                    } catch {
                        logger.warning("expiring abandoned uploads failed", metadata: ["error": "\(error)"])
                    }
                }
            }
            defer { sweeper.cancel() }
            do {
                try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
            } catch let error as IOError where [EADDRINUSE, EADDRNOTAVAIL, EACCES].contains(error.errnoCode) {
                // NIO's words name the system call, not the address: "bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)".
                let reason = String(cString: strerror(error.errnoCode))
                throw CommandFailure(description: "cannot listen on \(listen): \(reason.prefix(1).lowercased() + reason.dropFirst())")
            }
        }
    }

    private func tlsConfiguration() throws -> TLSConfiguration? {
        switch (tlsCertificate, tlsKey) {
        case (nil, nil):
            return nil
        case let (certificate?, key?):
            // Which file is at fault, in words: NIOSSL's error names neither the file nor the cause.
            for (flag, path) in [("--tls-cert", certificate), ("--tls-key", key)] where !FileManager.default.isReadableFile(atPath: path) {
                let reason = FileManager.default.fileExists(atPath: path) ? "is not readable" : "does not exist"
                throw CommandFailure(description: "\(flag) \(path) \(reason)")
            }
            let chain: [NIOSSLCertificateSource]
            do {
                chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
            } catch {
                throw CommandFailure(description: "--tls-cert \(certificate) is not a PEM certificate")
            }
            let privateKey: NIOSSLPrivateKey
            do {
                privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
            } catch {
                throw CommandFailure(description: "--tls-key \(key) is not a PEM private key")
            }
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(privateKey))
            // BoringSSL checks that the key is the certificate's when a context takes both; NIOSSL then
            // says only "failedToLoadPrivateKey", when the server is about to listen.
            do {
                _ = try NIOSSLContext(configuration: configuration)
            } catch NIOSSLError.failedToLoadPrivateKey {
                throw CommandFailure(description: "--tls-key \(key) is not the private key of the certificate in --tls-cert \(certificate)")
            }
            // A connection the server closes (at SIGTERM, after its request) waits this long for the
            // client's close_notify, which curl and libcurl clients never send: NIOSSL's default of 5 s
            // held every graceful shutdown 5 s past its last answer. The answer is sent before the wait.
            configuration.shutdownTimeout = .milliseconds(500)
            return configuration
        default:
            throw CommandFailure(description: "--tls-cert and --tls-key go together: give both or neither")
        }
    }
}

/// `HOST:PORT` as `--listen` takes it.
enum ListenAddress {
    static func parse(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port)
        else { throw CommandFailure(description: "--listen \(text) must be HOST:PORT, such as 127.0.0.1:8080") }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw CommandFailure(description: "--listen \(text) names no host") }
        return (host, port)
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

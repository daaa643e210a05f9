import Foundation

/// Reads and atomically replaces one small JSON file in the user's configuration directory.
struct ConfigurationFile {
    /// The file.
    let url: URL

    /// The bytes of the file, or nil when it does not exist.
    func read() throws -> Data? {
        do {
            return try Data(contentsOf: url)
        } catch CocoaError.fileReadNoSuchFile {
            return nil
        } catch {
            throw CommandFailure(message: "cannot read \(url.path): \(error.localizedDescription)")
        }
    }

    /// Replaces the file with `data`, created with `mode`: written to a new file beside it, flushed,
    /// then renamed over it, so a reader sees the old file or the new one and never a part.
    func write(_ data: Data, mode: mode_t) throws {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw CommandFailure(message: "cannot create \(directory.path): \(error.localizedDescription)")
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        unlink(temporary.path)
        // Created with its final mode: the token is never readable by others, not even for a moment.
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw CommandFailure(message: "cannot write \(temporary.path): \(String(cString: strerror(errno)))")
        }
        var failure: String?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        if failure == nil, fchmod(descriptor, mode) != 0 || fsync(descriptor) != 0 {
            failure = String(cString: strerror(errno))
        }
        close(descriptor)
        if failure == nil, rename(temporary.path, url.path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary.path)
            throw CommandFailure(message: "cannot write \(url.path): \(failure)")
        }
    }
}

import Foundation

/// Why the user's editor could not be used; the text stays as it was.
struct EditorFailure: Error, CustomStringConvertible {
    var description: String
}

/// The user's editor on a text, as git runs it for a commit message: `$VISUAL`, else `$EDITOR`,
/// else `vi`, started through `sh -c` (so `EDITOR="code --wait"` works) on a temporary file.
struct ExternalEditor {
    /// The environment the editor is chosen from and runs in.
    let environment: [String: String]

    /// The command line of the editor.
    var command: String {
        for name in ["VISUAL", "EDITOR"] {
            if let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return value }
        }
        return "vi"
    }

    /// Writes `text` to a temporary file named `fileName`, runs the editor on it and returns
    /// the file's text when the editor exits with status 0.
    /// - Throws: `EditorFailure` when the file cannot be written or read, or the editor cannot
    ///   start or exits with another status.
    func edit(_ text: String, fileName: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("arttui-edit-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        let file = directory.appendingPathComponent(fileName)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data((text.isEmpty ? "" : text + "\n").utf8).write(to: file)
        } catch {
            throw EditorFailure(description: "could not write \(file.path) for the editor: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command + " \"$@\"", command, file.path]
        process.environment = environment
        do {
            try process.run()
        } catch {
            throw EditorFailure(description: "could not start the editor \"\(command)\": \(error.localizedDescription)")
        }
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw EditorFailure(description: "the editor \"\(command)\" exited with status \(process.terminationStatus); "
                + "the description is unchanged")
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw EditorFailure(description: "the editor left no file at \(file.path); the description is unchanged")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

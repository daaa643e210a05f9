/// "1 file", "2 files": a count with its noun, for messages people read. Shared by the command
/// line and the browser so both count in English the same way.
/// - Parameters:
///   - count: how many.
///   - noun: the singular; the plural adds `s`.
public func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(pluralized(noun, count))"
}

/// The noun as it reads after a count: `file` for 1, `files` otherwise (0 included).
public func pluralized(_ noun: String, _ count: Int) -> String {
    count == 1 ? noun : noun + "s"
}

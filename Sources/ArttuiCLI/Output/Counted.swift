/// "1 file", "2 files": a count with its noun, for messages people read.
func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}

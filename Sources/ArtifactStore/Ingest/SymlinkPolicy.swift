/// What adding a directory does with a symbolic link that leaves it (links inside it are always followed).
public enum SymlinkPolicy: String, Sendable, CaseIterable {
    /// Refuse the whole directory, naming the link: nothing outside the tree goes in unasked.
    case refuse
    /// Store what the link points at, as if it were in the tree; loops and devices are refused.
    case follow
    /// Record a `file://` reference to what the link points at: its bytes stay where they are.
    case reference
}

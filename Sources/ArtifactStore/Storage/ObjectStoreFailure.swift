/// An object store's own error that can say whether the store itself failed (down, hung, refusing the
/// credentials) rather than the object being missing or damaged.
///
/// A check that meets an outage stops and reports it instead of counting every object it could not
/// open as lost: `verify` against a team server whose bucket hangs is answered "the object store is
/// unavailable", not a list of lost chunks. Errors that do not conform count as the object's fault.
public protocol ObjectStoreFailure: Error {
    /// True when the store failed, not the object.
    var isOutage: Bool { get }
}

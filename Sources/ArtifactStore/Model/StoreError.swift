import Foundation

/// Everything the store refuses or fails at, each case carrying what a user needs to fix it.
///
/// `description` is one line naming the thing at fault; the command line prints it as is.
public enum StoreError: Error, Equatable, Sendable {
    /// A project, artifact, entity or type name breaks a naming rule.
    case invalidName(kind: String, value: String, rule: String)
    /// An alias breaks an alias rule.
    case invalidAlias(alias: String, rule: String)
    /// Metadata is not a JSON object of the allowed shape.
    case invalidMetadata(reason: String)
    /// A description is not acceptable.
    case invalidDescription(reason: String)
    /// A size such as `1GB` could not be read.
    case invalidSize(text: String, reason: String)
    /// An artifact address such as `project/name:v3` could not be read.
    case invalidAddress(text: String, reason: String)
    /// Some other argument is not acceptable.
    case invalidArgument(String)
    /// No project of this name exists.
    case projectNotFound(project: String)
    /// No artifact of this name exists in the project.
    case artifactNotFound(project: String, name: String)
    /// The artifact exists but has no version matching the reference.
    case versionNotFound(artifact: String, reference: String)
    /// The version does not carry this alias.
    case aliasNotFound(artifact: String, alias: String)
    /// A version that still has hand-set aliases was asked to be deleted without `deleteAliases`.
    case versionHasAliases(version: String, aliases: [String])
    /// The artifact exists with another type.
    case typeMismatch(artifact: String, existing: String, requested: String)
    /// The directory is not an arttui store.
    case notAStore(path: String, reason: String)
    /// The store was written by a newer arttui.
    case unsupportedStoreFormat(path: String, found: Int, supported: Int)
    /// A file to add is of a kind that cannot be stored.
    case unsupportedFile(path: String, kind: String)
    /// A path would escape the directory it belongs to.
    case unsafePath(path: String, reason: String)
    /// Two files were given for one artifact path with different content.
    case conflictingPath(path: String)
    /// Stored bytes do not match their digest.
    case corruptData(what: String, detail: String)
    /// A file of a version cannot be restored because its stored bytes are missing or damaged.
    case damagedFile(version: String, path: String, detail: String)
    /// A file system operation failed.
    case io(operation: String, path: String, reason: String)
    /// The catalog database failed.
    case catalog(String)
    /// No run has this id.
    case runNotFound(id: String)
    /// No run of the sweep has the metric as a number, so none is the best.
    case rankedRunNotFound(sweep: String, project: String, metric: String)
    /// A run with this id exists and was not to be resumed.
    case runExists(id: String)
    /// A run id is unique in a store (and on a server): this one is a run of another project, which
    /// neither a new run nor a resume in this project may take. The other project is not named: on a
    /// server the caller may not be allowed to know it.
    case runInAnotherProject(id: String)
    /// A parallel writer added a path the pending version already holds with other content.
    case upsertConflict(artifact: String, distributedID: String, path: String)
    /// No pending version of the artifact has this distributed id.
    case noPendingVersion(artifact: String, distributedID: String)
    /// A table file or entry cannot be read as a table.
    case invalidTable(name: String, reason: String)
    /// The version has no table of this name.
    case tableNotFound(version: String, name: String)
    /// A reference URI cannot be used.
    case invalidReference(uri: String, reason: String)
    /// A reference names more objects than the limit allows; nothing was stored.
    case tooManyObjects(uri: String, count: Int, limit: Int)
    /// What a reference points at cannot be read (gone, refused, unreachable).
    case referenceUnavailable(path: String, uri: String, reason: String)
    /// What a reference points at is no longer what was recorded.
    case referenceChanged(path: String, uri: String, recorded: String, current: String)
}

extension StoreError: CustomStringConvertible, LocalizedError {
    public var description: String {
        switch self {
        case let .invalidName(kind, value, rule):
            return "\(kind) name \(quoted(value)) \(rule)"
        case let .invalidAlias(alias, rule):
            return "alias \(quoted(alias)) \(rule)"
        case let .invalidMetadata(reason):
            return "metadata \(reason)"
        case let .invalidDescription(reason):
            return "description \(reason)"
        case let .invalidSize(text, reason):
            return "size \(quoted(text)) \(reason)"
        case let .invalidAddress(text, reason):
            return "artifact address \(quoted(text)) \(reason)"
        case let .invalidArgument(message):
            return message
        case let .projectNotFound(project):
            return "project \(quoted(project)) not found"
        case let .artifactNotFound(project, name):
            return "artifact \(quoted("\(project)/\(name)")) not found"
        case let .versionNotFound(artifact, reference):
            return "artifact \(quoted(artifact)) has no version \(quoted(reference))"
        case let .aliasNotFound(artifact, alias):
            return "\(artifact) has no alias \(quoted(alias))"
        case let .versionHasAliases(version, aliases):
            return "\(version) still has aliases \(aliases.joined(separator: ", ")); remove them first or pass --delete-aliases"
        case let .typeMismatch(artifact, existing, requested):
            return "artifact \(quoted(artifact)) has type \(quoted(existing)), not \(quoted(requested))"
        case let .notAStore(path, reason):
            return "\(EscapedText.oneLine(path)) is not an arttui store: \(reason)"
        case let .unsupportedStoreFormat(path, found, supported):
            return "store \(EscapedText.oneLine(path)) has format \(found); this arttui reads format \(supported)"
        case let .unsupportedFile(path, kind):
            return "cannot store \(EscapedText.oneLine(path)): it is a \(kind)"
        case let .unsafePath(path, reason):
            return "unsafe path \(quoted(path)): \(reason)"
        case let .conflictingPath(path):
            return "path \(quoted(path)) was added twice with different content"
        case let .corruptData(what, detail):
            return "corrupt \(what): \(detail)"
        case let .damagedFile(version, path, detail):
            return "\(version): file \(quoted(path)) is damaged: \(detail)"
        case let .io(operation, path, reason):
            return "cannot \(operation) \(EscapedText.oneLine(path)): \(reason)"
        case let .catalog(message):
            return "catalog: \(message)"
        case let .runNotFound(id):
            return "run \(quoted(id)) not found"
        case let .rankedRunNotFound(sweep, project, metric):
            return "no run of sweep \(quoted(sweep)) in \(quoted(project)) has a numeric summary metric \(quoted(metric))"
        case let .runExists(id):
            return "run \(quoted(id)) already exists; pass --resume allow to reopen it"
        case let .runInAnotherProject(id):
            return "run id \(quoted(id)) is taken by a run of another project; choose another"
        case let .upsertConflict(artifact, distributedID, path):
            return "path \(quoted(path)) is already in the pending version of \(artifact) (distributed id "
                + "\(quoted(distributedID))) with different content"
        case let .noPendingVersion(artifact, distributedID):
            return "\(artifact) has no pending version with distributed id \(quoted(distributedID))"
        case let .invalidTable(name, reason):
            return "table \(quoted(name)) \(reason)"
        case let .tableNotFound(version, name):
            return "\(version) has no table \(quoted(name))"
        case let .invalidReference(uri, reason):
            return "reference \(quoted(uri)) \(reason)"
        case let .tooManyObjects(uri, count, limit):
            return "reference \(quoted(uri)) names \(count) objects, more than the limit of \(limit) "
                + "(--max-objects); nothing was stored"
        case let .referenceUnavailable(path, uri, reason):
            return "cannot read reference \(quoted(path)) at \(uri): \(reason)"
        case let .referenceChanged(path, uri, recorded, current):
            return "reference \(quoted(path)) at \(uri) changed: recorded checksum \(recorded), now \(current)"
        }
    }

    public var errorDescription: String? { description }
}

/// Quotes a user-supplied value for an error message, escaping what would break the line.
func quoted(_ value: String) -> String {
    EscapedText.quoted(value)
}

extension StoreError {
    /// What sort of failure an error is, for programs that act on it rather than print it: the team
    /// server answers with the HTTP status of its kind, and `arttui` reports it with
    /// `ARTTUI_ERROR_FORMAT=json`.
    public enum Kind: String, Sendable, CaseIterable {
        /// No project, artifact, version, alias, run or table answers the name.
        case notFound
        /// The request contradicts what is stored (an alias held, a run that exists, a type that differs).
        case conflict
        /// The request itself is wrong: a name, an alias, metadata, a size, an address or an argument.
        case invalid
        /// The catalog, or the source a reference names, could not be reached or answered with an error.
        case unavailable
        /// What is stored is damaged or unreadable, or is not a store this release reads.
        case damaged
        /// Reading or writing a file failed: permissions, a full disk, a path that is not a directory.
        case io
    }

    /// The kind of this error.
    public var kind: Kind {
        switch self {
        case .projectNotFound, .artifactNotFound, .versionNotFound, .aliasNotFound, .runNotFound, .rankedRunNotFound,
            .noPendingVersion, .tableNotFound:
            .notFound
        case .versionHasAliases, .runExists, .runInAnotherProject, .upsertConflict, .typeMismatch, .conflictingPath,
            .referenceChanged:
            .conflict
        case .catalog, .referenceUnavailable:
            .unavailable
        case .corruptData, .damagedFile, .notAStore, .unsupportedStoreFormat:
            .damaged
        case .io:
            .io
        case .invalidName, .invalidAlias, .invalidMetadata, .invalidDescription, .invalidSize, .invalidAddress,
            .invalidArgument, .unsupportedFile, .unsafePath, .invalidTable, .invalidReference, .tooManyObjects:
            .invalid
        }
    }
}

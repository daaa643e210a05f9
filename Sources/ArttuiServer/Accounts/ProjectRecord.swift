import ArtifactStore

/// A project `ENTITY/PROJECT` as the account store records it.
public struct ProjectRecord: Sendable, Equatable {
    /// The project's id in the account store.
    public var id: Int64
    /// The entity (user or team) owning it.
    public var entity: String
    /// The project's name within the entity.
    public var name: String
    /// Who may read and write it.
    public var visibility: Visibility

    /// Creates a record.
    public init(id: Int64, entity: String, name: String, visibility: Visibility) {
        self.id = id
        self.entity = entity
        self.name = name
        self.visibility = visibility
    }

    /// `ENTITY/PROJECT`.
    public var path: String { "\(entity)/\(name)" }

    /// The project's name in the catalog. Catalog project names may not contain `/`, and entity names
    /// may not contain `~`, so `ENTITY~PROJECT` names each project once and splits back unambiguously.
    public var catalogName: String { Self.catalogName(entity: entity, project: name) }

    /// The catalog name of `entity/project`.
    public static func catalogName(entity: String, project: String) -> String { "\(entity)~\(project)" }

    /// `ENTITY/PROJECT` for a catalog project name made by `catalogName`; other names pass unchanged.
    public static func path(ofCatalogName catalogName: String) -> String {
        guard let separator = catalogName.firstIndex(of: "~") else { return catalogName }
        return "\(catalogName[..<separator])/\(catalogName[catalogName.index(after: separator)...])"
    }
}

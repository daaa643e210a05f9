import ArgumentParser

/// Who may read and write a project.
enum ProjectVisibility: String, CaseIterable, ExpressibleByArgument, Codable {
    case `private`, `public`, open
}

import ArgumentParser
import ArtifactWire
import Foundation

/// `arttui project create|ls|set`: projects on a team server and who may read and write them.
struct ProjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project", abstract: "Create and list projects on a team server, and set their visibility.",
        subcommands: [Create.self, List.self, Set.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Create a project: private (the team), public (all read), open (all write).")

        @OptionGroup var server: ServerOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: ArgumentHelp("The project; ENTITY/ defaults to your own.", valueName: "entity/project"))
        var path: String
        @Option(help: "private, public or open.") var visibility: ProjectVisibility = .private

        func run() throws {
            let parsed = try ServerProjectPath(parsing: path)
            let client = try server.client(for: server.requiredServer())
            let (entity, project) = try parsed.resolved { try client.whoami().name }
            let created = try ServerRepository(client: client).createProject("\(entity)/\(project)", visibility: visibility)
            if output.json { return try JSONOutput.print(created) }
            print("created \(created.path) (\(created.visibility))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls", abstract: "List the projects you may read, or those of one entity.")

        @OptionGroup var server: ServerOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: ArgumentHelp("Only this user's or team's projects.", valueName: "entity")) var entity: String?

        func run() throws {
            if let entity { _ = try ServerNames.entity(entity, in: entity) }
            let target = try server.requiredServer()
            let projects = try server.client(for: target).get("/api/v1/projects", as: [WireProject].self)
                .filter { entity == nil || $0.entity == entity }
                .sorted { $0.path < $1.path }
            if output.json { return try JSONOutput.print(projects) }
            TextTable(["PROJECT", "VISIBILITY", "ACCESS"])
                .printing(projects.map { [$0.path, $0.visibility, $0.access] },
                          empty: entity.map { "no projects of \($0) on \(target) you may read" }
                              ?? "no projects on \(target) you may read")
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Change a project's visibility (team admins).")

        @OptionGroup var server: ServerOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: ArgumentHelp("The project; ENTITY/ defaults to your own.", valueName: "entity/project"))
        var path: String
        @Option(help: "private, public or open.") var visibility: ProjectVisibility

        func run() throws {
            let parsed = try ServerProjectPath(parsing: path)
            let client = try server.client(for: server.requiredServer())
            let (entity, project) = try parsed.resolved { try client.whoami().name }
            let changed: WireProject = try client.send(
                "PATCH", "/api/v1/projects/\(pathSegment(entity))/\(pathSegment(project))",
                body: WireProjectChange(visibility: visibility.rawValue))
            if output.json { return try JSONOutput.print(changed) }
            print("\(changed.path) is now \(changed.visibility)")
        }
    }
}

/// One `arttui` command line that must be refused, and the one line it must be refused with: the table
/// the end-to-end tests run against a local store and the server tests run again with `--remote`, so
/// both front ends are held to the same words.
public struct RefusedCommandLine: Sendable, CustomStringConvertible {
    /// The arguments, after `arttui`.
    public var arguments: [String]
    /// The whole line on stderr, without its newline.
    public var message: String

    /// A case refusing `arguments` with `arttui: error: ` and `error`.
    public init(_ arguments: [String], _ error: String) {
        self.arguments = arguments
        self.message = "arttui: error: " + error
    }

    /// The command line as a user types it, naming the case in a failed expectation.
    public var description: String { "arttui " + arguments.joined(separator: " ") }

    /// Every numeric option of every subcommand given a negative, zero-where-invalid, fractional, huge,
    /// non-finite or non-numeric value: `address` names an artifact and `project` its project, as the
    /// store or server at hand spells them.
    public static func numericOptions(address: String, project: String) -> [RefusedCommandLine] {
        let count = "must be a whole number of 0 or more"
        let countRange = "must be a whole number from 0 to 9223372036854775807"
        let limit = "must be a whole number of 1 or more"
        let limitRange = "must be a whole number from 1 to 9223372036854775807"
        let timeout = "must be a number of seconds more than 0 and at most 3600"
        var cases: [RefusedCommandLine] = []
        for (value, requirement) in [("-1", count), ("1.5", count), ("ten", count), ("", count),
                                     ("99999999999999999999", countRange), ("--dry-run", count)] {
            cases.append(.init(["prune", project, "--keep-last", value],
                               "--keep-last \(requirement), got \(value.isEmpty ? "\"\"" : value)"))
        }
        cases.append(.init(["prune", project, "--keep-last=-3"], "--keep-last \(count), got -3"))
        for (value, requirement) in [("-1", count), ("1e3", count), ("-99999999999999999999", countRange)] {
            cases.append(.init(["verify", "--orphan-grace", value], "--orphan-grace \(requirement), got \(value)"))
        }
        for (value, requirement) in [("0", limit), ("-5", limit), ("x", limit), ("99999999999999999999", limitRange)] {
            cases.append(.init(["ls", address, "--limit", value], "--limit \(requirement), got \(value)"))
            cases.append(.init(["find", "--limit", value], "--limit \(requirement), got \(value)"))
            cases.append(.init(["show", address, "--table", "t", "--limit", value], "--limit \(requirement), got \(value)"))
        }
        for (value, requirement) in [("-1", count), ("ten", count), ("2.5", count)] {
            cases.append(.init(["lineage", address, "--up", value], "--up \(requirement), got \(value)"))
            cases.append(.init(["lineage", address, "--down", value], "--down \(requirement), got \(value)"))
        }
        for (value, requirement) in [("0", limit), ("-1", limit), ("many", limit)] {
            cases.append(.init(["put", "-n", address, "--max-objects", value], "--max-objects \(requirement), got \(value)"))
        }
        for value in ["-1", "0", "3601", "nan", "inf", "1e999", "soon"] {
            cases.append(.init(["ls", "--timeout", value], "--timeout \(timeout), got \(value)"))
        }
        cases.append(.init(["--timeout", "-2", "whoami"], "--timeout \(timeout), got -2"))
        return cases
    }

    /// Malformed addresses, metadata, types, aliases and files, refused in the same words by a store and
    /// a server: `address` names an existing artifact as the store or server at hand spells it,
    /// `directory` is a directory and `missing` a path where nothing is.
    public static func badInput(address: String, directory: String, missing: String) -> [RefusedCommandLine] {
        let put = ["put", directory, "-n", address]
        return [
            .init(["show", address + ":"], "artifact address \"\(address):\" has an empty reference after ':'"),
            .init(["show", address + "::v1"], "artifact address \"\(address)::v1\" has more than one ':'"),
            .init(["show", address + ":v99999999999999999999"],
                  "artifact address \"\(address):v99999999999999999999\" has a version number v99999999999999999999 larger than v2147483647"),
            .init(["show", address + ":a/b"], "artifact address \"\(address):a/b\" is invalid: alias \"a/b\" may not contain '/' or ':'"),
            .init(["show", "a/b/c/d"], "artifact address \"a/b/c/d\" has too many '/'; write [ENTITY/]PROJECT/NAME"),
            .init(["show", ":v1"], "artifact address \":v1\" is empty"),
            .init(["show", "/a"], "artifact address \"/a\" is missing the project name before '/'"),
            .init(["put", directory, "-n", address + ":v1"],
                  "artifact address \"\(address):v1\" may not name a version or alias here; leave out the ':' part"),
            .init(put + ["--metadata", "[1,2]"], "metadata must be a JSON object, not an array"),
            .init(put + ["--metadata", "null"], "metadata must be a JSON object, not null"),
            .init(put + ["--metadata", "@" + directory], "cannot read metadata from \(directory): it is a directory, not a file"),
            .init(put + ["--metadata", "@" + missing], "cannot read metadata from \(missing): No such file or directory"),
            .init(put + ["--table", "t=" + directory], "cannot read table from \(directory): it is a directory, not a file"),
            .init(put + ["-t", ""], "type name \"\" must not be empty"),
            .init(put + ["-a", ""], "alias \"\" must not be empty"),
            .init(put + ["-a", "v3"], "alias \"v3\" is managed by the store and cannot be set by hand"),
            .init(["put", missing, "-n", address], "cannot read \(missing): No such file or directory"),
            .init(["put", directory, "-n", "a/b/c/d"], "artifact address \"a/b/c/d\" has too many '/'; write [ENTITY/]PROJECT/NAME"),
            .init(["get", address + ":"], "artifact address \"\(address):\" has an empty reference after ':'"),
            .init(["get", address + ":v99999999999999999999"],
                  "artifact address \"\(address):v99999999999999999999\" has a version number v99999999999999999999 larger than v2147483647"),
            .init(["edit", address, "--metadata", "[1]"], "metadata must be a JSON object, not an array"),
        ]
    }
}

import Foundation
import Testing
@testable import ArtifactStore

/// `find`'s two ways on the embedded catalog: a limited query first looks at a window of the first versions
/// in its order, and searches from its conditions when the window holds too few matches; an `and` drives
/// from its most selective side. Whichever way runs, the answer must be the first matches of the full,
/// unlimited answer. A window of 12 versions over a store of 40 reaches every way.
@Suite("SQLite search plans")
struct SQLiteSearchPlanTests {
    /// 40 versions of 4 artifacts; `acc` repeats every 7 versions (ties), `rare` is set on 3 old ones,
    /// `group` alternates, `mixed` is a number except on one version where it is text.
    private func populated() throws -> (StoreFixture, SQLiteCatalog) {
        let fixture = try StoreFixture()
        for index in 0..<40 {
            var metadata: [String: JSONValue] = [
                "acc": .double(Double(index % 7) / 10), "group": .string("g\(index % 2)"), "mixed": .int(Int64(index)),
            ]
            if index < 3 { metadata["rare"] = .bool(true) }
            if index == 20 { metadata["mixed"] = .string("text") }
            var draft = ArtifactDraft(name: "m\(index % 4)", type: "model", metadata: metadata)
            try draft.addData(Data("\(index)".utf8), as: "f")
            try fixture.store.log(draft, project: "p")
        }
        let catalog = try SQLiteCatalog(
            path: fixture.root.appendingPathComponent("store/catalog.sqlite").path, searchWindow: 12)
        return (fixture, catalog)
    }

    /// The limited query's answer, checked against the first `limit` of the unlimited one.
    private func expectPrefix(
        _ catalog: SQLiteCatalog, _ conditions: [String], sort: String = "-created", limit: Int,
        count expected: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var query = VersionQuery(conditions: try conditions.map(QueryParser.parse), sort: try QueryParser.parseSortKey(sort))
        let all = try catalog.findVersions(query)
        query.limit = limit
        let limited = try catalog.findVersions(query)
        #expect(limited.map(\.qualifiedName) == Array(all.prefix(limit)).map(\.qualifiedName),
                "\(conditions) sorted by \(sort)", sourceLocation: sourceLocation)
        if let expected { #expect(all.count == expected, sourceLocation: sourceLocation) }
    }

    @Test("a condition most versions meet, newest first with a limit: the newest matches, from the window")
    func nonSelectiveNewestFirst() throws {
        let (fixture, catalog) = try populated()
        _ = fixture
        let found = try catalog.findVersions(VersionQuery(conditions: [try QueryParser.parse("acc >= 0.1")], limit: 5))
        // Versions 39, 38, 37, 36, 34 (35 has acc 0).
        #expect(found.compactMap { $0.metadata["mixed"] } == [39, 38, 37, 36, 34].map { JSONValue.int($0) })
        try expectPrefix(catalog, ["acc >= 0.1"], limit: 5, count: 34)
        try expectPrefix(catalog, ["acc exists"], limit: 12, count: 40)
        try expectPrefix(catalog, ["acc exists"], sort: "created", limit: 5)
        try expectPrefix(catalog, [#"not group = "g1""#], sort: "created", limit: 7, count: 20)
    }

    @Test("a condition the window misses falls back to searching from the condition")
    func selectiveOutsideTheWindow() throws {
        let (fixture, catalog) = try populated()
        _ = fixture
        try expectPrefix(catalog, ["rare = true"], limit: 5, count: 3)
        try expectPrefix(catalog, ["rare = true"], sort: "-acc", limit: 2, count: 3)
        try expectPrefix(catalog, ["mixed < 14"], limit: 10, count: 14)
    }

    @Test("sorted by a numeric key with ties at the window's edge, both directions; a key with text sorts the general way")
    func metadataSortWithTies() throws {
        let (fixture, catalog) = try populated()
        _ = fixture
        try expectPrefix(catalog, [], sort: "-acc", limit: 6)
        try expectPrefix(catalog, [], sort: "acc", limit: 9)
        try expectPrefix(catalog, [#"group = "g0""#], sort: "-acc", limit: 4)
        let top = try catalog.findVersions(VersionQuery(sort: try QueryParser.parseSortKey("-acc"), limit: 7))
        #expect(top.compactMap { $0.metadata["acc"] } == Array(repeating: JSONValue.double(0.6), count: 5) + [.double(0.5), .double(0.5)])
        // Newest first among equal values.
        #expect(top.prefix(5).compactMap { $0.metadata["mixed"] } == [.int(34), .int(27), .string("text"), .int(13), .int(6)])
        try expectPrefix(catalog, [], sort: "-mixed", limit: 3)
        try expectPrefix(catalog, ["mixed exists"], sort: "mixed", limit: 3)
    }

    @Test("an and drives from its selective side and probes the other, with the same answer")
    func andOfABroadAndANarrowCondition() throws {
        let (fixture, catalog) = try populated()
        _ = fixture
        let both = try catalog.findVersions(VersionQuery(
            conditions: [try QueryParser.parse(#"group = "g0" and rare exists"#)], sort: .newestFirst))
        #expect(both.compactMap { $0.metadata["mixed"] } == [2, 0].map { JSONValue.int($0) })
        let separate = try catalog.findVersions(VersionQuery(
            conditions: [try QueryParser.parse("rare exists"), try QueryParser.parse(#"group = "g0""#)]))
        #expect(separate.map(\.qualifiedName) == both.map(\.qualifiedName))
        try expectPrefix(catalog, ["acc > 0.2 and mixed >= 10", "not rare exists"], limit: 4)
        try expectPrefix(catalog, [#"(group = "g1" or rare exists) and acc < 0.3"#], sort: "name", limit: 5)
    }
}

import Foundation
import Testing
@testable import ArtifactStore

@Suite struct StoreTableTests {
    @Test func tablesRoundTripInTheReferenceShape() throws {
        let fixture = try StoreFixture()
        var draft = ArtifactDraft(name: "t")
        try draft.addTable(Table(columns: ["a", "b"], rows: [[.int(1), .string("x")]]), named: "scores")
        let version = try fixture.store.log(draft, project: "proj").version
        #expect(try fixture.store.tableNames(in: version) == ["scores"])
        let entry = try fixture.store.files(of: version)[0]
        #expect(entry.path == "scores.table.json")
        let json = try JSONDecoder().decode(JSONValue.self, from: fixture.store.contents(of: entry, in: version))
        #expect(json == .object(["_type": .string("table"), "columns": .array([.string("a"), .string("b")]),
                                 "data": .array([.array([.int(1), .string("x")])])]))
    }

    @Test func csvCellsBecomeNumbersWhereTheyAreNumbers() throws {
        let table = try Table(csv: "name,n,score\nalpha,3,0.5\n\"b, c\",4,x\n", name: "t")
        #expect(table.columns == ["name", "n", "score"])
        #expect(table.rows == [[.string("alpha"), .int(3), .double(0.5)], [.string("b, c"), .int(4), .string("x")]])
    }

    @Test func partitionedTablesReadPartsInNaturalOrder() throws {
        let fixture = try StoreFixture()
        var draft = ArtifactDraft(name: "p")
        for part in [10, 2, 1] {
            try draft.addTable(Table(columns: ["i"], rows: [[.int(Int64(part))]]), named: "parts/table_\(part)")
        }
        try draft.addPartitionedTable(PartitionedTable(partsPath: "parts"), named: "all")
        let version = try fixture.store.log(draft, project: "proj").version
        #expect(try fixture.store.table(named: "all", in: version).rows == [[.int(1)], [.int(2)], [.int(10)]])
        #expect(try fixture.store.table(named: "all", in: version, limit: 2).rows.count == 2)
        #expect(throws: StoreError.tableNotFound(version: "proj/p:v0", name: "none")) {
            try fixture.store.table(named: "none", in: version)
        }
    }
}

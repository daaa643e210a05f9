import Foundation
import Testing
@testable import ArtifactStore

/// The `find --where` language: every operator, precedence, parentheses, literals, and errors with carets.
@Suite("query language")
struct QueryParserTests {
    private func parse(_ text: String) throws -> QueryExpression { try QueryParser.parse(text) }
    private let acc = QueryField.metadata(["acc"])

    @Test("each comparison operator", arguments: QueryComparison.allCases)
    func comparisons(_ comparison: QueryComparison) throws {
        #expect(try parse("acc \(comparison.rawValue) 0.5") == .comparison(acc, comparison, .number(0.5)))
    }

    @Test("== and <> are accepted spellings of = and !=")
    func alternateSpellings() throws {
        #expect(try parse("acc == 1") == .comparison(acc, .equal, .number(1)))
        #expect(try parse("acc <> 1") == .comparison(acc, .notEqual, .number(1)))
    }

    @Test("contains and exists; keywords in any case")
    func containsAndExists() throws {
        #expect(try parse(#"tags contains "gold""#) == .contains(.metadata(["tags"]), .string("gold")))
        #expect(try parse("tags CONTAINS 3") == .contains(.metadata(["tags"]), .number(3)))
        #expect(try parse("best Exists") == .exists(.metadata(["best"])))
    }

    @Test("not binds tighter than and, and tighter than or; parentheses override")
    func precedence() throws {
        let a = QueryExpression.exists(.metadata(["a"]))
        let b = QueryExpression.exists(.metadata(["b"]))
        let c = QueryExpression.exists(.metadata(["c"]))
        #expect(try parse("a exists or b exists and c exists") == .or(a, .and(b, c)))
        #expect(try parse("(a exists or b exists) and c exists") == .and(.or(a, b), c))
        #expect(try parse("not a exists and b exists") == .and(.not(a), b))
        #expect(try parse("not (a exists and b exists)") == .not(.and(a, b)))
        #expect(try parse("a exists and b exists and c exists") == .and(.and(a, b), c))
        #expect(try parse("not not a exists") == .not(.not(a)))
    }

    @Test("fields: built-ins, metadata with and without the prefix, nested and quoted keys")
    func fields() throws {
        #expect(try parse("size > 1") == .comparison(.size, .greater, .number(1)))
        #expect(try parse("files >= 2") == .comparison(.files, .greaterOrEqual, .number(2)))
        #expect(try parse("metadata.train.lr < 1e-3") == .comparison(.metadata(["train", "lr"]), .less, .number(0.001)))
        #expect(try parse("train.lr < 1e-3") == .comparison(.metadata(["train", "lr"]), .less, .number(0.001)))
        #expect(try parse("metadata.size = 3") == .comparison(.metadata(["size"]), .equal, .number(3)))
        #expect(try parse(#"metadata."learning rate" = 3"#) == .comparison(.metadata(["learning rate"]), .equal, .number(3)))
        #expect(try parse("metadata.and exists") == .exists(.metadata(["and"])))
        #expect(try parse("layer-2.units = 3") == .comparison(.metadata(["layer-2", "units"]), .equal, .number(3)))
        // Keys in any script need no quotes; they were refused as "unexpected character 'ü'".
        #expect(try parse("精度 > 0.9") == .comparison(.metadata(["精度"]), .greater, .number(0.9)))
        #expect(try parse("größe.über_2 contains 2") == .contains(.metadata(["größe", "über_2"]), .number(2)))
        #expect(try QueryParser.parseSortKey("-métrique") == VersionSortKey(field: .field(.metadata(["métrique"])), descending: true))
    }

    @Test("values: numbers, strings in both quotes with escapes, booleans, null, dates")
    func values() throws {
        #expect(try parse("a = -3") == .comparison(.metadata(["a"]), .equal, .number(-3)))
        #expect(try parse("a = 2.5e2") == .comparison(.metadata(["a"]), .equal, .number(250)))
        #expect(try parse(#"a = "x \"y\"""#) == .comparison(.metadata(["a"]), .equal, .string(#"x "y""#)))
        #expect(try parse(#"a = 'it\'s'"#) == .comparison(.metadata(["a"]), .equal, .string("it's")))
        #expect(try parse("a = true") == .comparison(.metadata(["a"]), .equal, .bool(true)))
        #expect(try parse("a != FALSE") == .comparison(.metadata(["a"]), .notEqual, .bool(false)))
        #expect(try parse("a = null") == .comparison(.metadata(["a"]), .equal, .null))
        let may = try #require(QueryDate.parse("2024-05-01"))
        #expect(may == Date(timeIntervalSince1970: 1_714_521_600))
        #expect(try parse("created >= 2024-05-01") == .comparison(.created, .greaterOrEqual, .date(may, text: "2024-05-01")))
        #expect(QueryDate.parse("2024-05-01T12:30:00Z") == may.addingTimeInterval(12.5 * 3600))
        #expect(QueryDate.parse("2024-05-01T12:30") == may.addingTimeInterval(12.5 * 3600))
        #expect(QueryDate.parse("2024-05-01T14:30:00+02:00") == may.addingTimeInterval(12.5 * 3600))
        #expect(QueryDate.parse("yesterday") == nil)
    }

    @Test("sizes: decimal and binary units through ByteSize")
    func sizes() throws {
        #expect(try parse("size > 10MB") == .comparison(.size, .greater, .size(10_000_000)))
        #expect(try parse("size > 1.5GiB") == .comparison(.size, .greater, .size(1_610_612_736)))
        #expect(try parse("size <= 2KiB") == .comparison(.size, .lessOrEqual, .size(2048)))
        #expect(try parse("size < 3kb") == .comparison(.size, .less, .size(3000)))
        #expect(try parse("bytes = 1TB") == .comparison(.metadata(["bytes"]), .equal, .size(1_000_000_000_000)))
    }

    @Test("sort keys")
    func sortKeys() throws {
        #expect(try QueryParser.parseSortKey("-created") == .newestFirst)
        #expect(try QueryParser.parseSortKey("size") == VersionSortKey(field: .field(.size), descending: false))
        #expect(try QueryParser.parseSortKey("-metadata.val.acc")
            == VersionSortKey(field: .field(.metadata(["val", "acc"])), descending: true))
        #expect(try QueryParser.parseSortKey("name") == VersionSortKey(field: .name, descending: false))
        let error = try #require(throws: QueryError.self) { try QueryParser.parseSortKey("-size >") }
        #expect(error.offset == 6)
    }

    /// Each bad expression, the column (0-based) the caret points at, and words the reason must contain.
    static let badExpressions: [(String, Int, String)] = [
        ("", 0, "empty expression"),
        ("acc >", 5, "expected a value after '>'"),
        ("acc > and", 6, "expected a value"),
        ("acc 0.9", 4, "expected an operator"),
        ("acc > 0.9 b = 1", 10, "expected 'and', 'or'"),
        ("(acc > 1", 0, "unclosed '('"),
        ("acc > 1)", 7, "unexpected ')'"),
        ("()", 1, "empty parentheses"),
        (#"name = "abc"#, 7, "unclosed string"),
        ("name = abc", 7, "bare word 'abc'"),
        ("acc ! 1", 4, "'!' must be followed by '='"),
        ("acc > 1 and", 11, "expected a condition"),
        ("size > 10XB", 7, "unknown unit"),
        ("size > \"big\"", 7, "'size' compares with numbers"),
        ("files = 1MB", 8, "'files' compares with numbers"),
        ("created > 5", 10, "'created' compares with dates"),
        ("created > 2024-13-45", 10, "is not a date"),
        ("flag < true", 5, "cannot order booleans"),
        ("size contains 1", 5, "'contains' applies to metadata keys"),
        ("size exists", 5, "always exists"),
        ("metadata = 1", 0, "name a key after 'metadata.'"),
        ("and = 1", 0, "found the keyword 'and'"),
        ("acc > 1 & b", 8, "unexpected character '&'"),
        ("名前 = 値", 5, "bare word '値'"),
        ("train. = 1", 6, "expected a key name after '.'"),
        ("size > -1KB", 7, "may not be negative"),
        ("acc > 1.2.3", 6, "is not a number"),
    ]

    @Test("errors point at the token where reading stopped", arguments: badExpressions)
    func reportsErrors(_ text: String, _ offset: Int, _ reason: String) throws {
        let error = try #require(throws: QueryError.self) { try QueryParser.parse(text) }
        #expect(error.offset == offset, "\(error)")
        #expect(error.reason.contains(reason), "\(error)")
        #expect(error.expression == text)
    }

    @Test("the caret lines put the caret under the column, after the message")
    func caretLines() throws {
        let error = try #require(throws: QueryError.self) { try QueryParser.parse("acc > and") }
        let lines = error.caretLines(prefix: "E: ").split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2)
        let caret = try #require(lines[1].firstIndex(of: "^"))
        let column = lines[1].distance(from: lines[1].startIndex, to: caret)
        #expect(Array(lines[0])[column] == "a")
        #expect(lines[0].hasSuffix(": acc > and"))
        #expect(error.description.contains("column 7"))
    }
}

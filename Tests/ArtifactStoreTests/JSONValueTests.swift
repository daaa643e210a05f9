import Foundation
import Testing
@testable import ArtifactStore

@Suite struct JSONValueTests {
    private func decode(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test func numbersAndBooleansKeepTheirKind() throws {
        #expect(try decode("1") == .int(1))
        #expect(try decode("0") == .int(0))
        #expect(try decode("true") == .bool(true))
        #expect(try decode("false") == .bool(false))
        #expect(try decode("1.5") == .double(1.5))
        #expect(try decode("[1, true, 0, false]") == .array([.int(1), .bool(true), .int(0), .bool(false)]))
        // Beyond Int64 the value is kept approximately rather than refused.
        #expect(try decode("12345678901234567890") == .double(1.2345678901234567e19))
    }

    /// Foundation on Linux pretty-prints `{}` as three lines with a blank one between; `show` printed
    /// `summary   {` and `}` with nothing between, and `--json` did the same inside every version.
    @Test func emptyObjectsAndArraysArePrintedOnOneLine() throws {
        #expect(JSONValue.object([:]).prettyJSONText == "{}")
        #expect(JSONValue.array([]).prettyJSONText == "[]")
        let nested = JSONValue.object([
            "a": .object([:]), "b": .array([]), "c": .array([.object([:])]), "text": .string("{\n \n}[  ]"),
        ]).prettyJSONText
        #expect(!nested.contains("\n\n"), "\(nested)")
        #expect(nested.contains(#""a" : {}"#) && nested.contains(#""b" : []"#), "\(nested)")
        #expect(nested.contains(#"{\n \n}[  ]"#), "a string's text is never touched: \(nested)")
        #expect(try decode(nested) == .object([
            "a": .object([:]), "b": .array([]), "c": .array([.object([:])]), "text": .string("{\n \n}[  ]"),
        ]))
    }

    @Test func encodesWithSortedKeys() {
        let value = JSONValue.object(["b": .int(1), "a": .array([.bool(true), .null, .double(0.5), .string("x")])])
        #expect(value.jsonText == #"{"a":[true,null,0.5,"x"],"b":1}"#)
    }
}

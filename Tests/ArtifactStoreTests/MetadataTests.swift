import Testing
@testable import ArtifactStore

@Suite struct MetadataTests {
    @Test func parsesNestedObjects() throws {
        let parsed = try Metadata.parse(#"{"lr": 0.01, "epochs": 10, "ok": true, "tags": ["a", 2], "net": {"depth": 50, "act": null}}"#)
        #expect(parsed == [
            "lr": .double(0.01), "epochs": .int(10), "ok": .bool(true), "tags": .array([.string("a"), .int(2)]),
            "net": .object(["depth": .int(50), "act": .null]),
        ])
    }

    @Test func bareNaNIsRefusedNamingWhereItIs() throws {
        #expect {
            try Metadata.parse("{\"loss\": NaN}")
        } throws: { message(of: $0) == #"metadata value at "loss" is NaN; only finite numbers are allowed"# }
        #expect {
            try Metadata.parse("{\"ok\": 1, \"hist\": [1, 2, NaN]}")
        } throws: { message(of: $0) == #"metadata value at "hist[2]" is NaN; only finite numbers are allowed"# }
        #expect(try Metadata.parse("{\"loss\": null}") == ["loss": .null])
    }

    @Test func aNulCharacterInAKeyOrStringIsRefusedNamingWhereItIs() throws {
        #expect {
            try Metadata.parse(#"{"ok": 1, "a\u0000b": 2}"#)
        } throws: { message(of: $0) == #"metadata key "a\u{00}b" contains a NUL character, which is not allowed"# }
        #expect {
            try Metadata.validate(["net": .object(["tags": .array([.string("x"), .string("y\u{0}")])])])
        } throws: { message(of: $0) == #"metadata value at "net.tags[1]" contains a NUL character, which is not allowed"# }
        #expect {
            try Metadata.parseValue(#""\u0000""#)
        } throws: { message(of: $0) == "metadata value contains a NUL character, which is not allowed" }
        #expect(try Metadata.parse(#"{"a\u0001b": "\u001f"}"#) == ["a\u{1}b": .string("\u{1f}")], "other control characters stay")
    }

    @Test func naNInsideAStringStaysText() throws {
        let parsed = try Metadata.parse(#"{"note": "NaN and Infinity \" NaN", "NaN": "Infinity"}"#)
        #expect(parsed == ["note": .string(#"NaN and Infinity " NaN"#), "NaN": .string("Infinity")])
    }

    @Test(arguments: [
        (#"{"loss": Infinity}"#, #"metadata value at "loss" is Infinity; only finite numbers are allowed"#),
        (#"{"loss": -Infinity}"#, #"metadata value at "loss" is -Infinity; only finite numbers are allowed"#),
        (#"{"m": {"hist": [1, 2, -Infinity]}}"#, #"metadata value at "m.hist[2]" is -Infinity; only finite numbers are allowed"#),
    ])
    func infinityIsRejectedWithItsPath(_ text: String, _ expected: String) {
        #expect { try Metadata.parse(text) } throws: { message(of: $0) == expected }
    }

    @Test func keyCountLimit() throws {
        func object(keys: Int) -> String {
            "{" + (0..<keys).map { "\"k\($0)\": \($0)" }.joined(separator: ", ") + "}"
        }
        #expect(try Metadata.parse(object(keys: 100)).count == 100)
        #expect {
            try Metadata.parse(object(keys: 101))
        } throws: { message(of: $0) == "metadata has 101 top-level keys; at most 100 are allowed" }
        // Nested keys do not count toward the limit.
        let nested = "{\"inner\": \(object(keys: 150))}"
        #expect(try Metadata.parse(nested).count == 1)
    }

    @Test(arguments: [
        ("[1, 2]", "an array"), (#""text""#, "a string"), ("3", "a number"), ("null", "null"), ("true", "a boolean"),
    ])
    func topLevelMustBeAnObject(_ text: String, _ kind: String) {
        #expect { try Metadata.parse(text) } throws: { message(of: $0) == "metadata must be a JSON object, not \(kind)" }
    }

    @Test func malformedJSONNamesThePosition() {
        #expect {
            try Metadata.parse(#"{"a": x}"#)
        } throws: { message(of: $0) == "metadata is not valid JSON: unexpected character at line 1 column 7" }
        #expect {
            try Metadata.parse("{\"a\": null,\n \"b\": 1, \"c\": ?}")
        } throws: { message(of: $0) == "metadata is not valid JSON: unexpected character at line 2 column 15" }
        #expect {
            try Metadata.parse(#"{"a": [1, 2"#)
        } throws: { message(of: $0).hasPrefix("metadata is not valid JSON: it ends too early") }
        #expect { try Metadata.parse("  ") } throws: { message(of: $0) == "metadata is not valid JSON: it is empty" }
    }

    /// `{"x": 1e400}` used to be refused as "not a JSON value", which it is; the number is what is wrong.
    @Test func aNumberBeyondDoubleIsNamed() throws {
        for (text, number) in [(#"{"x": 1e400}"#, "1e400"), (#"{"a": [1, -2.5E+999]}"#, "-2.5E+999")] {
            #expect {
                try Metadata.parse(text)
            } throws: { message(of: $0) == "metadata is not valid JSON: the number \(number) is out of range (a 64-bit float reaches about ±1.8e308)" }
        }
        #expect(try Metadata.parse(#"{"x": 1e300}"#)["x"] == .double(1e300))
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let deep = "{\"a\": " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect {
            try Metadata.parse(deep)
        } throws: { message(of: $0) == "metadata is not valid JSON: it nests arrays and objects too deeply (at most 512 levels)" }
        let fine = "{\"a\": " + String(repeating: "[", count: 100) + "null" + String(repeating: "]", count: 100) + "}"
        #expect(try Metadata.parse(fine).count == 1)
    }

    @Test func escapedKeysAreNamedDecoded() {
        #expect {
            try Metadata.parse(#"{"caf\u00e9": {"x\"y": Infinity}}"#)
        } throws: { message(of: $0) == #"metadata value at "café.x\"y" is Infinity; only finite numbers are allowed"# }
    }

    @Test func repeatedKeysAreRejected() {
        #expect {
            try Metadata.parse(#"{"a": 1, "b": {"c": 1, "c": 2}}"#)
        } throws: { message(of: $0) == #"metadata has the key "c" twice in "b""# }
        #expect {
            try Metadata.parse(#"{"a": 1, "a": 2}"#)
        } throws: { message(of: $0) == #"metadata has the key "a" twice"# }
    }

    @Test func parseValueAcceptsAnyJSONValue() throws {
        #expect(try Metadata.parseValue("1") == .int(1))
        #expect(try Metadata.parseValue("1.5") == .double(1.5))
        #expect(try Metadata.parseValue("-3") == .int(-3))
        #expect(try Metadata.parseValue("true") == .bool(true))
        #expect(try Metadata.parseValue("false") == .bool(false))
        #expect(try Metadata.parseValue("null") == .null)
        #expect(throws: StoreError.self) { try Metadata.parseValue("NaN") }
        #expect(try Metadata.parseValue(#""hello""#) == .string("hello"))
        #expect(throws: StoreError.self) { try Metadata.parseValue("[1, NaN]") }
        #expect(try Metadata.parseValue(#"{"a": 1}"#) == .object(["a": .int(1)]))
    }

    @Test func parseValueRejectsBareWordsAndInfinity() {
        #expect {
            try Metadata.parseValue("hello")
        } throws: { message(of: $0) == #"metadata is not valid JSON: unexpected character at line 1 column 1; to give a string, quote it: "hello""# }
        #expect {
            try Metadata.parseValue("ture")
        } throws: { message(of: $0).contains("not valid JSON") }
        #expect {
            try Metadata.parseValue("-Infinity")
        } throws: { message(of: $0) == "metadata value is -Infinity; only finite numbers are allowed" }
        #expect {
            try Metadata.parseValue("Infinity")
        } throws: { message(of: $0) == "metadata value is Infinity; only finite numbers are allowed" }
    }

    @Test func validateChecksObjectsBuiltInCode() throws {
        try Metadata.validate(["a": .double(1.5)])
        #expect {
            try Metadata.validate(["a": .array([.object(["b": .double(.infinity)])])])
        } throws: { message(of: $0) == #"metadata value at "a[0].b" is Infinity; only finite numbers are allowed"# }
        #expect {
            try Metadata.validate(["n": .double(.nan)])
        } throws: { message(of: $0) == #"metadata value at "n" is NaN; only finite numbers are allowed"# }
        let tooMany = Dictionary(uniqueKeysWithValues: (0...100).map { ("k\($0)", JSONValue.int(Int64($0))) })
        #expect(throws: StoreError.invalidMetadata(reason: "has 101 top-level keys; at most 100 are allowed")) {
            try Metadata.validate(tooMany)
        }
    }
}

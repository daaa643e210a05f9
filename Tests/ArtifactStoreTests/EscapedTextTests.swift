import ArtifactStore
import Testing

/// `EscapedText`: a name a user chose is printed on one line and cannot move the cursor.
@Suite struct EscapedTextTests {
    @Test func controlCharactersAreEscapedAndOtherTextKept() {
        #expect(EscapedText.oneLine("plain é 精度") == "plain é 精度")
        #expect(EscapedText.oneLine("a\nb\rc\td") == #"a\nb\rc\td"#)
        // C0, DEL and C1 (U+009B is a CSI to terminals that read C1 controls).
        #expect(EscapedText.oneLine("\u{1B}[2J\u{7F}\u{9B}2J\u{85}") == #"\u{1B}[2J\u{7F}\u{9B}2J\u{85}"#)
        #expect(EscapedText.oneLine(#"say "hi" \ bye"#, escaping: ["\""]) == #"say \"hi\" \\ bye"#)
        #expect(EscapedText.quoted("pul\n\"x\"") == #""pul\n\"x\"""#)
    }

    @Test func aBackslashIsEscapedSoItCannotPassForAnEscape() {
        // The two characters \ and n, and a real line break, used to print alike as \n.
        #expect(EscapedText.oneLine(#"new\nline"#) == #"new\\nline"#)
        #expect(EscapedText.oneLine(#"new\nline"#) != EscapedText.oneLine("new\nline"))
        #expect(EscapedText.oneLine(#"\u{1B}"#) != EscapedText.oneLine("\u{1B}"))
        #expect(EscapedText.quoted(#"a\b"#) == #""a\\b""#)
        #expect(EscapedText.oneLine(#"a\é"#, nonASCII: true) == #"a\\\u{E9}"#)
    }

    @Test func nonASCIIWrittenOutTellsApartSpellingsThatLookAlike() {
        let composed = EscapedText.oneLine("\u{E9}.txt", nonASCII: true)
        let decomposed = EscapedText.oneLine("e\u{301}.txt", nonASCII: true)
        #expect(composed == #"\u{E9}.txt"# && decomposed == #"e\u{301}.txt"#)
        #expect(EscapedText.oneLine("new\n\u{E9}", nonASCII: true) == #"new\n\u{E9}"#)
    }
}

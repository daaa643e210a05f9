import BrowserCore
import Testing

@Suite struct DisplayWidthTests {
    @Test func widthsAsTerminalsDrawThem() {
        #expect(DisplayWidth.width(of: "abc") == 3)
        #expect(DisplayWidth.width(of: "本番") == 4)
        #expect(DisplayWidth.width(of: "🚀") == 2)
        #expect(DisplayWidth.width(of: "e\u{301}") == 1)  // combining accent
    }

    @Test func emojiSequencesAreNormalisedToWhatNcursesAndTheTerminalAgreeOn() {
        #expect(DisplayWidth.normalize("❤️") == "❤")  // VS16 dropped: ncurses counts 1
        #expect(DisplayWidth.width(of: DisplayWidth.normalize("❤️")) == 1)
        #expect(DisplayWidth.normalize("👩‍💻") == "👩")  // ZWJ sequence keeps its first scalar
        #expect(DisplayWidth.width(of: "👨‍👩‍👧") == 2)
        #expect(DisplayWidth.normalize("👍🏽") == "👍")  // skin tone dropped
        #expect(DisplayWidth.width(of: "🇯🇵") == 2)  // a flag: two regional indicators of 1
        #expect(DisplayWidth.normalize("\u{7}") == "\u{FFFD}")
    }

    @Test func fitPadsToExactWidth() {
        #expect(DisplayWidth.fit("語", to: 4) == "語  ")
        #expect(DisplayWidth.fit("12", to: 4, alignRight: true) == "  12")
        #expect(DisplayWidth.width(of: DisplayWidth.fit("語彙語彙", to: 5)) == 5)
    }

    @Test func gridReplacesAWideCharacterThatDoesNotFitWithSpace() {
        var grid = ScreenGrid(width: 3, height: 1)
        grid.put("a語b", x: 0, y: 0, role: .normal, maxWidth: 2)
        #expect(grid.line(0) == "a")
        grid.put("語", x: 0, y: 0, role: .normal)
        grid.put("x", x: 1, y: 0, role: .normal)  // overwriting the right half blanks the left
        #expect(grid.line(0) == " x")
    }
}

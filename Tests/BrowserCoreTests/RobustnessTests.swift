import BrowserCore
import BrowserTestSupport
import Testing

@Suite struct RobustnessTests {
    @Test func resizeStormNeverCrashesAndEndsAtTheLastSize() {
        var session = modelSession(FixtureStore(generatedVersions: 5000))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<400 {
            session.resize(Int.random(in: 0...300, using: &generator), Int.random(in: 0...100, using: &generator))
            _ = session.grid
        }
        session.resize(120, 40)
        #expect(session.grid.width == 120 && session.grid.height == 40)
        #expect(session.screen.contains("3 Versions"))
        #expect(session.state.selectedVersion?.versionName == "v7")
    }

    @Test func everyTinySizeSaysTooSmall() {
        for width in 1..<40 {
            for height in [1, 2, 5, 7] {
                var session = modelSession()
                session.resize(width, height)
                let grid = session.grid
                #expect(grid.width == width && grid.height == height)
                if width >= 20, height >= 2 {
                    #expect(session.screen.contains("terminal too small"))
                }
            }
        }
    }

    @Test func everyScreenAtManySizesWithWideCharacters() {
        let scripts = ["", "G<Enter><Enter>", "G<Enter><Enter><Tab>", "G<Enter><Enter>L", "C", "?", "<Enter>j<Enter>P",
                       "<Enter>j<Enter>d", "<Enter>j<Enter>a", "G<Enter><Enter>x", "G<Enter><Enter>e"]
        for script in scripts {
            for (width, height) in [(40, 8), (41, 9), (57, 13), (80, 24), (133, 41), (300, 100)] {
                var session = ScriptedSession(store: FixtureStore(), width: width, height: height)
                session.press(script)
                let grid = session.grid
                // No wide character is cut: every width-2 cell is followed by its continuation.
                for y in 0..<grid.height {
                    for x in 0..<grid.width where grid[x, y].width == 2 {
                        #expect(x + 1 < grid.width && grid[x + 1, y].width == 0)
                    }
                }
            }
        }
    }

    @Test func wideCharactersKeepColumnsAligned() {
        var session = ScriptedSession(store: FixtureStore(), width: 120, height: 40)
        session.press("G<Enter><Enter>")
        let grid = session.grid
        // In the versions pane the SIZE heading and the size of v0 end in the same column,
        // although the row holds the badge [本番].
        func column(of text: String, row: Int) -> Int? {
            var x = 0
            var columns: [Int] = []
            var line = ""
            while x < grid.width {
                let cell = grid[x, row]
                if cell.width > 0 {
                    line.append(cell.character)
                    columns.append(x)
                }
                x += 1
            }
            guard let range = line.range(of: text) else { return nil }
            let lastCharacter = line.distance(from: line.startIndex, to: range.upperBound) - 1
            return columns[lastCharacter] + Int(grid[columns[lastCharacter], row].width) - 1
        }
        let headerRow = 2, firstRow = 3
        #expect(grid.line(firstRow).contains("[本番]"))
        let header = column(of: "SIZE", row: headerRow)
        let value = column(of: "2.0 MiB", row: firstRow)
        #expect(header != nil && header == value)
    }

    @Test func onlyVisibleVersionsAreLoaded() {
        let store = FixtureStore(generatedVersions: 100_000)
        var session = ScriptedSession(store: store, width: 120, height: 40)
        session.press("/stress<Enter><Enter><Enter>")
        #expect(session.state.versionRowCount == 100_000)
        var loads = store.callLog.filter { $0.hasPrefix("versions(stress") }
        #expect(loads == ["versions(stress/frames, 0, 64)"])
        session.press("G")
        loads = store.callLog.filter { $0.hasPrefix("versions(stress") }
        #expect(loads.count <= 3)
        #expect(session.state.selectedVersion?.versionName == "v0")
    }

    @Test func truncationNeverSplitsAWideCharacterAndEndsWithEllipsis() {
        #expect(DisplayWidth.truncate("語彙-vocab", to: 4) == "語…")
        #expect(DisplayWidth.truncate("語彙-vocab", to: 3) == "語…")
        #expect(DisplayWidth.truncate("語彙", to: 4) == "語彙")
        #expect(DisplayWidth.truncate("abc", to: 0) == "")
        #expect(DisplayWidth.width(of: DisplayWidth.truncate("多言語-nlp", to: 5)) <= 5)
    }
}

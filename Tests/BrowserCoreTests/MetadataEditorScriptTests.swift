import ArtifactStore
import BrowserCore
import BrowserTestSupport
import Testing

/// `M`: set a key to a JSON value, checked as `arttui edit --set` checks it, or remove a key.
@Suite struct MetadataEditorScriptTests {
    @Test func setsAKeyToAJSONValue() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("M")
        session.type("lr")
        session.press("<Tab>")
        session.type("0.01")
        session.press("<Enter>")
        #expect(session.state.modal == nil)
        #expect(try modelVersion(store, 7).metadata["lr"] == .double(0.01))
        #expect(try modelVersion(store, 7).metadata["loss"] == .double(0.75), "other keys stay")
        #expect(session.state.status == StatusMessage("metadata of v7 saved", .success))
    }

    @Test func refusesWhatTheCommandLineRefusesInPlace() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("M")
        session.type("best")
        session.press("<Enter>")  // Enter in the key field moves to the value
        session.type("ture")
        session.press("<Enter>")
        guard case .metadata(let dialog)? = session.state.modal else {
            Issue.record("the dialog stays open on a refusal")
            return
        }
        // The same words `arttui edit --set best=ture` prints, from the same parser.
        #expect(dialog.error != nil)
        #expect(dialog.error == errorText { _ = try MetadataChange.assignment("best=ture") })
        #expect(session.screen.contains("quote it"))
        session.press("<C-u>")
        session.type("NaN")
        session.press("<Enter>")
        #expect(session.screen.contains("NaN"))
        #expect(try modelVersion(store, 7).metadata["best"] == nil)
    }

    @Test func picksAnExistingKeyAndRemovesIt() throws {
        let store = FixtureStore()
        var session = modelSession(store)
        session.press("M<Down>")
        guard case .metadata(let dialog)? = session.state.modal else {
            Issue.record("the dialog should be open")
            return
        }
        #expect(dialog.key.text == "loss")
        #expect(dialog.value.text == "0.75")
        session.press("<C-r>")
        #expect(try modelVersion(store, 7).metadata.keys.sorted() == ["step"])
    }

    @Test func removingAKeyThatIsNotThereSaysSo() throws {
        var session = modelSession()
        session.press("M")
        session.type("nope")
        session.press("<C-r>")
        #expect(session.screen.contains("v7 has no metadata key \"nope\""))
    }

    @Test func metadataScreen() {
        var session = modelSession()
        session.press("M<Down><Down>")
        assertGolden(session.screen, named: "metadata-80x24")
    }

    private func errorText(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return String(describing: error)
        }
    }
}

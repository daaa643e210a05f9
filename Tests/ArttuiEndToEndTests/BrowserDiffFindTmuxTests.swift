import Foundation
import ProcessTestSupport
import Testing

/// `D` and `F` in the real browser on the demo store, through the real store's diff and find.
@Suite("browser diff and find in tmux", .demoStoreTemplate, .childProcesses)
struct BrowserDiffFindTmuxTests {
    @Test("D diffs model:v5 against v4 and Enter shows config.json's patch; F finds val_acc > 0.83 and jumps to it",
          .enabled(if: TmuxSession.executable != nil, Comment(rawValue: BrowserTmuxTests.tmuxMissing)))
    func diffAndFind() async throws {
        let sandbox = try await Sandbox.withDemoStore()
        let browser = try await BrowserInTmux(sandbox)
        defer { browser.session.kill() }
        try await browser.openModelVersions()

        try await browser.session.press("D")
        try await browser.session.waitFor("Diff · v4 → capsule-gpt/model:v5", "metadata ~ val_acc: 0.834 → 0.822",
                                                "M  config.json")
        try await browser.session.press("Enter")
        try await browser.session.waitFor("Patch · config.json", "-{\"layers\": 12, \"heads\": 8, \"lr\": 0.0001, \"run\": \"sweep-run-4\"}")
        try await browser.session.press("Escape", "Escape")
        try await browser.session.waitFor("│ capsule-gpt/model:v5")

        try await browser.session.press("F")
        try await browser.session.waitFor("Find versions")
        try await browser.session.type("val_acc > 0.83")
        try await browser.session.press("Enter")
        try await browser.session.waitFor("1 versions match", "capsule-gpt/model:v4")
        try await browser.session.press("Enter")
        try await browser.session.waitFor("│ capsule-gpt/model:v4")
        try await browser.quit()
    }
}

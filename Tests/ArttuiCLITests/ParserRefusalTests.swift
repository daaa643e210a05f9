import ArgumentParser
@testable import ArttuiCLI
import CommandLineSupport
import Testing

/// `ParserRefusal`: what swift-argument-parser refuses comes out as one line, and a refused number reads
/// as every other refusal of a number (`--keep-last must be …, got -1`).
@Suite struct ParserRefusalTests {
    @Test func aRefusedNumberIsWordedAsTheNumberRulesWordIt() {
        let line = Arttui.refusalLine(for: parseError(["prune", "p", "--keep-last", "two"]))
        #expect(line == "--keep-last must be a whole number of 0 or more, got two")
    }

    @Test func anyOtherRefusalIsItsFirstLineWithoutThePrefix() throws {
        let line = Arttui.refusalLine(for: parseError(["put", "-n", "p/a", "--bogus"]))
        #expect(line == "Unknown option '--bogus'")
        #expect(ParserRefusal.line(of: "Error: first\nUsage: second") == "first")
        #expect(ParserRefusal.line(of: "") == nil)
    }

    private func parseError(_ arguments: [String]) -> any Error {
        do {
            _ = try Arttui.parseAsRoot(arguments)
        } catch {
            return error
        }
        Issue.record("\(arguments) parsed")
        return CancellationError()
    }
}

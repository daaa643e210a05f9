import Foundation
@testable import ArttuiServer
import ProcessTestSupport
import Testing

/// `arttui-server admin …` changes are in the audit trail, where the API's own records are read
/// (`/api/v1/entities/ENTITY/audit`): under the entity changed, with the command line as the actor.
@Suite(.enabled(if: ServerFixture.enabled), .childProcesses) struct AdminAuditTests {
    @Test func commandLineChangesAreAudited() async throws {
        try await ServerFixture.withDatabase { url, accounts in
            for arguments in [
                ["admin", "user", "add", "alice", "--admin"], ["admin", "user", "add", "bob"], ["admin", "team", "add", "ml"],
                ["admin", "team", "member", "ml", "bob", "--role", "viewer"], ["admin", "token", "add", "bob"],
                ["admin", "token", "revoke", "bob"],
            ] {
                let outcome = try await AdminCommandTests.run(arguments, databaseURL: url)
                #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
            }
            // A refused command changes nothing, so records nothing.
            #expect(try await AdminCommandTests.run(["admin", "token", "add", "nobody"], databaseURL: url).status != 0)

            let actor = AuditRecord.commandLineActor()
            #expect(actor.hasPrefix("admin (command line, unix user "))
            let summary = { (records: [AuditRecord]) in records.reversed().map { "\($0.user)|\($0.action)|\($0.target)" } }
            #expect(summary(try await accounts.auditRecords(entity: "alice", limit: 10)) == ["\(actor)|user.add|alice admin"])
            #expect(summary(try await accounts.auditRecords(entity: "bob", limit: 10)) == [
                "\(actor)|user.add|bob", "\(actor)|token.add|bob", "\(actor)|token.revoke|bob",
            ])
            #expect(summary(try await accounts.auditRecords(entity: "ml", limit: 10)) == [
                "\(actor)|team.add|ml", "\(actor)|member.set|bob viewer",
            ])
            #expect(try await accounts.auditRecords(entity: "nobody", limit: 10).isEmpty)
        }
    }
}

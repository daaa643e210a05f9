import ArgumentParser
import Foundation

/// `arttui logout [URL]`: forgets the token stored for a server.
struct LogoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout", abstract: "Forget the token stored for a team server.")

    @OptionGroup var server: ServerOptions

    @Argument(help: ArgumentHelp(
        "The server: an address or a remote's name (default: --remote, $ARTTUI_REMOTE, else the only one signed in to).",
        valueName: "url"))
    var address: String?

    func run() throws {
        let credentials = CredentialStore()
        let target: ServerURL
        if let address {
            target = try ServerOptions.resolve(address)
        } else if let selected = try server.selectedServer() {
            target = selected
        } else {
            let signedIn = try credentials.servers()
            guard signedIn.count == 1 else {
                throw CommandFailure(message: signedIn.isEmpty
                    ? "not signed in to any server"
                    : "signed in to \(signedIn.count) servers (\(signedIn.map(\.text).joined(separator: ", "))); name one")
            }
            target = signedIn[0]
        }
        if try credentials.remove(for: target) {
            print("signed out of \(target)")
        } else {
            print("no token stored for \(target)")
        }
    }
}

import ArtifactStorePostgres
import Testing

/// The one reader of database URLs (the catalog's and `arttui-server`'s): every mistake a user can make
/// in one, each answered with one line naming the setting, the URL without its password, and the fault.
@Suite("database URLs")
struct DatabaseURLTests {
    @Test func urlsAreReadAsLibpqDoes() throws {
        let full = try PostgresConnectionConfiguration(url: "postgresql://ann%40lab:p%2Fss@db.example:6543/cat?sslmode=require")
        #expect(full.user == "ann@lab" && full.password == "p/ss" && full.host == "db.example" && full.port == 6543)
        #expect(full.database == "cat" && full.tlsMode == .require)
        #expect(full.description == "postgres://ann@lab@db.example:6543/cat?sslmode=require")
        let short = try PostgresConnectionConfiguration(url: "postgres://bob@127.0.0.1")
        #expect(short.port == 5432 && short.database == "bob" && short.password == nil && short.tlsMode == .prefer)
        let socket = try PostgresConnectionConfiguration(url: "postgres://bob@/cat?host=/run/pg")
        #expect(socket.socketDirectory == "/run/pg" && socket.endpoint == "socket in /run/pg")
    }

    @Test(arguments: [
        ("mysql://a:secret@b/c", #""mysql://a@b/c" starts with mysql://, not postgres:// (postgres://USER:PASSWORD@HOST:PORT/DATABASE)"#),
        ("postgres://a:secret@b/c?sslmode=sometimes",
         #""postgres://a@b/c?sslmode=sometimes" has sslmode=sometimes; use one of disable, prefer, require, verify-full"#),
        ("postgres://:secret@b/c", #""postgres://@b/c" names no user (postgres://USER:PASSWORD@HOST:PORT/DATABASE)"#),
        ("postgres://a:secret@/c", #""postgres://a@/c" names no host (postgres://USER:PASSWORD@HOST:PORT/DATABASE)"#),
        ("postgres://a:secret@b:70000/c", #""postgres://a@b:70000/c" has port 70000; a port is 1 to 65535"#),
        ("postgres://a:secret@b/c/d", #""postgres://a@b/c/d" names database "c/d", which may not contain '/'"#),
        ("postgres://a:secret@b/c?timeout=3", #""postgres://a@b/c?timeout=3" has unknown parameter "timeout" (known: sslmode, host)"#),
        ("127.0.0.1:5432", "is not a postgres://USER:PASSWORD@HOST:PORT/DATABASE URL"),
    ])
    func badURLsNameTheSettingAndTheFaultWithoutThePassword(url: String, problem: String) {
        for setting in ["$ARTTUI_DATABASE_URL", "--database-url"] {
            #expect {
                try PostgresConnectionConfiguration(url: url, setting: setting)
            } throws: { error in
                let text = "\(error)"
                return text == "\(setting) \(problem)" && !text.contains("secret")
            }
        }
    }
}

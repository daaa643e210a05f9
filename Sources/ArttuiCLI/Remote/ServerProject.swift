/// A project as the server answers and `project ls --json` prints it.
struct ServerProject: Codable {
    var entity: String
    var name: String
    var path: String
    var visibility: String
    var access: String
}

/// The parts of an `application/problem+json` answer the client shows.
struct ServerProblem: Decodable {
    var title: String?
    var status: Int?
    var detail: String
    /// For a commit refused for chunks the server lacks: which (every other refusal has none).
    var missing: [String]?
}

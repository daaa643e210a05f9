import ArtifactStore

/// `F`: the search view's state: a `find --where` expression, its error or its results.
public struct SearchViewState: Hashable, Sendable {
    /// The expression typed.
    public var field = TextField()
    /// Whether keys go to the field (else to the results list).
    public var editing = true
    /// Why the expression was refused, with the column of the caret.
    public var error: QueryError?
    /// A failure of the search itself.
    public var failure: String?
    /// The results of the last search, nil before the first.
    public var results: [ArtifactVersion]?
    /// The expression the results are for.
    public var searched: String?
    /// Cursor and scroll over the results.
    public var position = ListPosition()
    /// Ticket of the search in flight.
    public var pendingTicket: Int?

    /// The most results a search shows.
    public static let limit = 1000
}

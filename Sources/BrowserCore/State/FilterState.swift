/// The filter of one pane: `/` starts typing it, Esc clears it.
public struct FilterState: Hashable, Sendable {
    /// What is typed, matched case-insensitively against names, aliases and metadata text.
    public var query = TextField()
    /// Whether keys go to the query (until Enter).
    public var editing = true
    /// Ticket of the versions scan in flight, if any.
    var scanTicket: Int?

    /// The query, lowercased; empty means no filter.
    var needle: String { query.text.lowercased() }
}

import ArtifactStore
import Foundation

/// Everything the browser shows, as a value: the update function changes it, the renderer
/// draws it, and tests inspect it.
public struct BrowserState: Sendable {
    /// The store's directory, for the status line.
    public var storePath: String
    /// What messages call the store ("store", or "server" for a team server).
    public var storeNoun: String
    /// The terminal's size.
    public var size: TerminalSize
    /// Box-drawing and `…` when the locale is UTF-8; ASCII otherwise.
    public var unicode: Bool
    /// Time zone for dates in lists.
    public var timeZone: TimeZone

    /// The pane with the keyboard.
    public var focus: Pane = .projects
    /// Projects, nil until loaded.
    public var projects: [ProjectSummary]?
    /// Artifacts per project, as loaded.
    public var artifacts: [String: [ArtifactSummary]] = [:]
    /// Versions per artifact, as loaded.
    public var versionLists: [ArtifactKey: VersionList] = [:]
    /// Files per version id, as loaded.
    public var fileLists: [Int64: FileList] = [:]
    /// Cursor and scroll per list pane.
    public var positions: [Pane: ListPosition] = [:]
    /// Scroll of the detail pane.
    public var detailScroll = 0
    /// Filters per pane.
    public var filters: [Pane: FilterState] = [:]

    /// The version `m` marked for `D` to diff against.
    public var markedVersion: ArtifactVersion?
    /// An open dialog or view.
    public var modal: Modal?
    /// The outcome of the last action.
    public var status: StatusMessage?
    /// Work in flight, by ticket.
    public var busy: [Int: BusyTask] = [:]
    /// Advances on every tick while busy.
    public var spinnerFrame = 0
    /// Loads asked for whose answers have not come back (of any generation): the spinner turns
    /// while there are any, so a slow store shows as latency, not as a frozen screen.
    public var loadsInFlight = 0
    /// Set when the last answer was that the store could not be reached; cleared by the next
    /// answer. Empty lists then say so instead of claiming the store is empty.
    public var storeUnreachable = false
    /// Set when the user quits.
    public var wantsQuit = false
    /// Set by Ctrl-L: the backend repaints every cell, whatever it thinks is on screen.
    public var redrawRequested = false
    /// Commands run from the `:` line this session, oldest first.
    public var commandHistory: [String] = []

    /// Bumped by reload: results of older loads are dropped.
    var generation = 0
    /// Whether projects have been asked for in this generation.
    var projectsRequested = false
    /// Projects whose artifacts have been asked for in this generation.
    var artifactsRequested: Set<String> = []
    /// The next ticket for work that can be told apart.
    var nextTicket = 1
    /// A lineage jump waiting for the target's artifacts to load.
    var pendingJump: PendingJump?

    /// A browser that has loaded nothing yet.
    public init(storePath: String, storeNoun: String = "store", size: TerminalSize, unicode: Bool = true,
                timeZone: TimeZone = .current) {
        self.storePath = storePath
        self.storeNoun = storeNoun
        self.size = size
        self.unicode = unicode
        self.timeZone = timeZone
    }

    /// A fresh ticket.
    mutating func ticket() -> Int {
        defer { nextTicket += 1 }
        return nextTicket
    }

    /// The position of a pane's list.
    public func position(_ pane: Pane) -> ListPosition { positions[pane] ?? ListPosition() }
}

/// Where a lineage jump is going: the artifact and the version's row in it.
struct PendingJump: Hashable, Sendable {
    var key: ArtifactKey
    var row: Int
}

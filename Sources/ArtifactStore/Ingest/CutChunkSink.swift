/// Receives a draft's chunks as `DraftCutter` reads them, so that a put to a team server can ask for and
/// send what the server lacks while the rest is still being read, and read each file's bytes once.
///
/// Each cutting thread makes one sink and is the only one to call it: first `chunk(_:digest:)` for every
/// chunk of a file in order, then `fileRead(_:)` once that file was read whole and found unchanged since
/// the put began, and so on for the thread's next files; `finish()` when the thread stops, also when
/// another thread failed (it then stops between files) or its own file failed (chunks shown since the
/// last `fileRead` then belong to a file that was not read whole).
public protocol CutChunkSink: AnyObject {
    /// One chunk of the file being read and its SHA-256, as bytes and as the hex text the cut content
    /// keeps (the same string: holding it costs no copy); `bytes` is valid only during the call.
    /// - Throws: anything, to stop the cut.
    func chunk(_ bytes: UnsafeRawBufferPointer, digest: [UInt8], hex: String) throws

    /// The file whose chunks were shown since the last call was read whole and did not change.
    /// - Throws: anything, to stop the cut.
    func fileRead(_ file: DraftCutter.CutFile) throws

    /// The thread has no more files to read.
    /// - Throws: anything, to make the cut fail (when nothing failed before).
    func finish() throws
}

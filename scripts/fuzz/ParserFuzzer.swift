// libFuzzer entry point for arttui's parsers, compiled together with their sources by scripts/fuzz.sh.
//
// The first input byte picks the parser, the rest is its input. A parser may refuse its input with a
// StoreError; anything else (a trap, an out-of-bounds access, a hang) is a bug. A parser that accepts
// an input must accept its own rendering of the result too, where it has one.

@_cdecl("LLVMFuzzerTestOneInput")
public func parserFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data + 1, count: size - 1)
    let text = String(decoding: bytes, as: UTF8.self)
    switch data[0] % 6 {
    case 0:
        if let address = try? ArtifactAddress(parsing: text) {
            // What an address prints must read back as the same address.
            let again = try! ArtifactAddress(parsing: address.description)
            precondition(again.project == address.project && again.name == address.name)
        }
    case 1:
        _ = try? ProjectScope(parsing: text)
    case 2:
        if let value = try? ByteSize.parse(text) { precondition(value >= 0) }
    case 3:
        if let metadata = try? Metadata.parse(text) {
            // Stored metadata is the JSON text of the object: it must parse back.
            _ = try! Metadata.parse(JSONValue.object(metadata).jsonText)
        }
    case 4:
        _ = try? ManifestPath.validate(text)
    default:
        // Stored pack record headers: decoding arbitrary bytes must refuse or succeed, never trap.
        _ = try? PackRecordHeader(decoding: UnsafeRawBufferPointer(bytes))
    }
    return 0
}

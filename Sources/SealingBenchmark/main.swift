import ArtifactStore
import Crypto
import Foundation

// Seals and opens 256 MiB in memory through the sealed-object format (64 KiB segments, reused
// buffers) and prints throughput next to SHA-256 of the same bytes timed in the same run, so the
// figures read as ratios independent of the machine. Build with `-c release`.

let megabytes = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 256
let size = megabytes << 20
var plaintext = Data(count: size)
plaintext.withUnsafeMutableBytes { raw in
    var generator = SystemRandomNumberGenerator()
    let words = raw.bindMemory(to: UInt64.self)
    for index in words.indices { words[index] = generator.next() }
}
let keyring = try MasterKeyring(keys: [1: Array(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })])

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func rate(_ seconds: Double) -> String { String(format: "%.2f GB/s", Double(size) / seconds / 1e9) }

var digest = SHA256.Digest?.none
let hashing = seconds { digest = SHA256.hash(data: plaintext) }
var sealed = Data()
let sealing = try seconds { sealed = try SealedObjectFormat.seal(plaintext, objectKey: "bench", keyring: keyring) }
var opened = Data()
let opening = try seconds { opened = try SealedObjectFormat.open(sealed, objectKey: "bench", keyring: keyring) }
precondition(opened == plaintext && digest != nil)
print("\(megabytes) MiB in \(SealedObjectFormat.segmentSize >> 10) KiB segments, one core:")
print("  SHA-256 (reference) \(rate(hashing))")
print("  seal                \(rate(sealing))  (\(String(format: "%.2f", hashing / sealing))x SHA-256)")
print("  open                \(rate(opening))  (\(String(format: "%.2f", hashing / opening))x SHA-256)")
print("  overhead            \(sealed.count - plaintext.count) bytes (\(String(format: "%.3f", Double(sealed.count - plaintext.count) / Double(size) * 100)) %)")

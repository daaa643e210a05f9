import Testing
@testable import ArtifactStore

@Suite struct ByteOrderTests {
    @Test func ordersByUTF8BytesLikeSQLite() {
        // "é" (C3 A9) sorts after "z" (7A) by bytes; a prefix sorts first; equal strings do not precede.
        let sorted = ["", "a", "a/b", "ab", "z", "é", "日本"]
        for (index, left) in sorted.enumerated() {
            for (other, right) in sorted.enumerated() {
                #expect(ByteOrder.precedes(left, right) == (index < other), "\(left) vs \(right)")
            }
        }
        #expect(sorted.shuffled().sorted(by: ByteOrder.precedes) == sorted)
        #expect(sorted.sorted(by: ByteOrder.precedes) == sorted.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }
}

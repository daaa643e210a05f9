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

    /// `order(of:)` sorts positions as `precedes` sorts strings, and keeps equal strings in their given order.
    @Test func orderOfStringsIsTheirByteOrderWithTiesInPlace() {
        let strings = ["b/c", "a", "日本", "a.txt", "a/b", "", "é", "a", "ab", "z", "b/c"]
        let order = ByteOrder.order(of: strings)
        #expect(order.map { strings[$0] } == strings.sorted(by: ByteOrder.precedes))
        #expect(order.filter { strings[$0] == "a" } == [1, 7])
        #expect(order.filter { strings[$0] == "b/c" } == [0, 10])
        #expect(ByteOrder.order(of: []) == [])
    }
}

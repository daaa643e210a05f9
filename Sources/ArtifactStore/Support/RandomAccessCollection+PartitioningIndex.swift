extension RandomAccessCollection {
    /// The index of the first element for which `belongsInSecondPartition` is true, in a collection
    /// where every such element comes after every other (a sorted table searched for a key): a binary
    /// search, `endIndex` when there is none.
    public func partitioningIndex(where belongsInSecondPartition: (Element) throws -> Bool) rethrows -> Index {
        var low = startIndex
        var count = self.count
        while count > 0 {
            let half = count / 2
            let middle = index(low, offsetBy: half)
            if try belongsInSecondPartition(self[middle]) {
                count = half
            } else {
                low = index(after: middle)
                count -= half + 1
            }
        }
        return low
    }
}

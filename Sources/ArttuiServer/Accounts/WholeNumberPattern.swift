/// Regular expressions that match exactly the whole numbers of a range, so the OpenAPI document can
/// state a bound the server checks numerically (a token lifetime of at most 3650 days, in any unit).
enum WholeNumberPattern {
    /// An unanchored group matching the decimal numbers 1...`highest`, without leading zeros.
    static func oneThrough(_ highest: Int64) -> String {
        precondition(highest >= 1)
        let digits = Array(String(highest))
        var alternatives: [String] = []
        // Numbers with fewer digits than `highest`.
        if digits.count > 1 { alternatives.append("[1-9]" + repeated("[0-9]", 0...(digits.count - 2))) }
        // As many digits: the same first `index` digits, a smaller one there, anything after.
        for (index, digit) in digits.enumerated() {
            let smallest: Character = index == 0 ? "1" : "0"
            guard let value = digit.wholeNumberValue, value > smallest.wholeNumberValue! else { continue }
            let below = Character(String(value - 1))
            let choice = smallest == below ? String(below) : "[\(smallest)-\(below)]"
            alternatives.append(String(digits[..<index]) + choice + repeated("[0-9]", (digits.count - index - 1)...(digits.count - index - 1)))
        }
        alternatives.append(String(digits))
        return "(?:" + alternatives.joined(separator: "|") + ")"
    }

    private static func repeated(_ atom: String, _ counts: ClosedRange<Int>) -> String {
        switch (counts.lowerBound, counts.upperBound) {
        case (_, 0): return ""
        case (1, 1): return atom
        case let (low, high) where low == high: return "\(atom){\(low)}"
        case let (low, high): return "\(atom){\(low),\(high)}"
        }
    }
}

import Testing
@testable import ArtifactStore

@Suite struct ByteSizeTests {
    @Test(arguments: [
        ("0", 0), ("512", 512), ("512B", 512), ("512 b", 512), ("1.5", 1),
        ("1K", 1024), ("1k", 1024), ("1KiB", 1024), ("1kib", 1024), ("1KB", 1000), ("1kb", 1000),
        ("1M", 1 << 20), ("1MiB", 1 << 20), ("1MB", 1_000_000), ("1 MB", 1_000_000),
        ("10G", 10 << 30), ("1GiB", 1 << 30), ("1GB", 1_000_000_000), ("1.5GB", 1_500_000_000),
        ("2T", 2 << 40), ("2TiB", 2 << 40), ("2TB", 2_000_000_000_000),
        ("1.5K", 1536), ("0.1K", 102), ("1.999B", 1), (" 3G ", 3 << 30),
        ("8589934591G", 9_223_372_035_781_033_984), ("9223372036854775807", Int64.max),
    ] as [(String, Int64)])
    func parsesValidSizes(_ text: String, _ bytes: Int64) throws {
        #expect(try ByteSize.parse(text) == bytes)
    }

    @Test(arguments: [
        ("1GX", #"has an unknown unit "GX""#), ("10 gigs", #"has an unknown unit "gigs""#),
        ("1e3", #"has an unknown unit "e3""#), ("1PB", #"has an unknown unit "PB""#), ("1 G B", #"has an unknown unit "G B""#),
        ("-5", "may not be negative"), ("-5G", "may not be negative"), ("+5", "may not have a sign"),
        ("", "is empty"), ("   ", "is empty"), ("GB", "has no number"), ("B", "has no number"),
        (".5G", "needs digits on both sides of the decimal point"), ("5.G", "needs digits on both sides of the decimal point"),
        ("1  GB", "may have at most one space between number and unit"),
        ("8589934592G", "is too large"), ("9223372036854775808", "is too large"),
        ("99999999999999999999999", "is too large"), ("9223372036854775807.5K", "is too large"),
        ("1.1234567890123456789K", "has more than 18 decimal places"),
    ])
    func rejectsInvalidSizes(_ text: String, _ reason: String) {
        #expect {
            try ByteSize.parse(text)
        } throws: { error in
            guard case let .invalidSize(actualText, actual)? = error as? StoreError else { return false }
            return actualText == text && actual.hasPrefix(reason)
        }
    }

    @Test func unknownUnitErrorListsTheUnits() {
        #expect {
            try ByteSize.parse("10 gigs")
        } throws: { error in
            message(of: error) == #"size "10 gigs" has an unknown unit "gigs"; use B, K, M, G, T or KiB, MiB, GiB, TiB (powers of 1024), or KB, MB, GB, TB (powers of 1000)"#
        }
    }

    @Test(arguments: [
        (0, "0 B"), (512, "512 B"), (1023, "1023 B"), (1024, "1.0 KiB"), (1536, "1.5 KiB"),
        (12_897_485, "12.3 MiB"), (4 << 30, "4.0 GiB"), (1_048_575, "1.0 MiB"), (3 << 40, "3.0 TiB"),
        (-1536, "-1.5 KiB"), (209_715_200, "200 MiB"), (104_857_600, "100 MiB"), (104_752_742, "99.9 MiB"), (Int64.max, "8.0 EiB"), (Int64.min, "-8.0 EiB"),
    ] as [(Int64, String)])
    func formatsForPeople(_ bytes: Int64, _ text: String) {
        #expect(ByteSize.format(bytes) == text)
    }
}

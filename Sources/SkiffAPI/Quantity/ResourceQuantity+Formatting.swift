extension ResourceQuantity {
    /// The quantity in upstream's canonical form (`Quantity.String()`): with `binary`, a whole
    /// number of at least 1024 takes the largest power-of-1024 suffix that keeps it whole (`1536Mi`,
    /// `1Gi`, `2000`); anything else the largest decimal SI suffix that does (`500m`, `1`, `2k`).
    public func canonical(binary: Bool) -> String {
        let unit: Int128 = 1_000_000_000
        if binary, nanos % unit == 0, abs(nanos / unit) >= 1024 {
            let whole = nanos / unit
            let suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
            var power = 0
            var mantissa = whole
            while power < suffixes.count - 1, mantissa % 1024 == 0 {
                mantissa /= 1024
                power += 1
            }
            return "\(mantissa)\(suffixes[power])"
        }
        let suffixes: [(exponent: Int, suffix: String)] = [(18, "E"), (15, "P"), (12, "T"), (9, "G"), (6, "M"), (3, "k"), (0, ""),
                                                           (-3, "m"), (-6, "u"), (-9, "n")]
        if nanos == 0 { return "0" }
        for (exponent, suffix) in suffixes {
            var divisor: Int128 = 1
            for _ in 0..<(exponent + 9) { divisor *= 10 }
            if nanos % divisor == 0 { return "\(nanos / divisor)\(suffix)" }
        }
        return "\(nanos)n"
    }
}

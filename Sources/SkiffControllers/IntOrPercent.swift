import SkiffAPI

/// Rolling update budgets given as a number or a percentage (`25%`).
enum IntOrPercent {
    /// The number, or the percentage of `total` rounded up or down (upstream's
    /// `GetScaledValueFromIntOrPercent`); 0 when missing or malformed (the server validates it).
    static func scaled(_ value: JSONValue?, of total: Int, roundUp: Bool) -> Int {
        if let number = value?.intValue { return Int(number) }
        guard let text = value?.stringValue, text.hasSuffix("%"), let percent = Int(text.dropLast()) else { return 0 }
        let product = percent * total
        return roundUp ? (product + 99) / 100 : product / 100
    }
}

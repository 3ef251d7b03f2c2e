extension String {
    /// The string in double quotes as Go's `%q` (`strconv.Quote`) writes it, the way upstream's
    /// selector errors show offending keys and values: `\"`, `\\`, the C escapes, `\xNN` for other
    /// ASCII controls and `\uNNNN`/`\UNNNNNNNN` for unprintable non-ASCII characters.
    public var goQuoted: String {
        var quoted = "\""
        for scalar in unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\u{07}": quoted += "\\a"
            case "\u{08}": quoted += "\\b"
            case "\u{0C}": quoted += "\\f"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            case "\u{0B}": quoted += "\\v"
            case _ where Self.isGoPrintable(scalar): quoted.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x80: quoted += "\\x" + Self.hex(scalar.value, digits: 2)
            case _ where scalar.value < 0x10000: quoted += "\\u" + Self.hex(scalar.value, digits: 4)
            default: quoted += "\\U" + Self.hex(scalar.value, digits: 8)
            }
        }
        return quoted + "\""
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: Swift.max(0, digits - text.count)) + text
    }

    /// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static func isGoPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return (0x20...0x7E).contains(scalar.value) }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }
}

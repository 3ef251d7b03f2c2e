/// The pieces of Prometheus' text exposition format: names, label sets, numbers.
public enum PrometheusText {
    /// `name` with every character a metric or label name may not hold (`[a-zA-Z_:][a-zA-Z0-9_:]*`)
    /// replaced by `_`.
    public static func sanitizedName(_ name: String) -> String {
        // Names are valid nearly always: checking bytes spares the Unicode lookups of `Character`.
        if isValidName(name.utf8) { return name }
        var result = ""
        for (index, character) in name.enumerated() {
            let allowed = character.isASCII && (character.isLetter || character == "_" || character == ":" || (index > 0 && character.isNumber))
            result.append(allowed ? character : "_")
        }
        return result.isEmpty ? "_" : result
    }

    private static func isValidName(_ bytes: String.UTF8View) -> Bool {
        var first = true
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"), UInt8(ascii: ":"): break
            case UInt8(ascii: "0")...UInt8(ascii: "9") where !first: break
            default: return false
            }
            first = false
        }
        return !first
    }

    /// `{name="value",…}` with the values escaped (backslash, double quote, newline); empty for no labels.
    public static func labels(_ pairs: [(String, String)]) -> String {
        guard !pairs.isEmpty else { return "" }
        return "{" + pairs.map { "\($0.0)=\"\(escaped($0.1))\"" }.joined(separator: ",") + "}"
    }

    /// A label value as the format writes it between double quotes.
    public static func escaped(_ value: String) -> String {
        var result = ""
        for character in value {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }

    /// A sample value or bucket bound as Prometheus' Go client writes it: integers without a
    /// fraction, `+Inf`, `-Inf`, `NaN`, otherwise the shortest exact decimal.
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}

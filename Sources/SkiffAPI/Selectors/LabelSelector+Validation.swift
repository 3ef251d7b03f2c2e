extension LabelSelector {
    /// The problems with a label key, as upstream's `IsQualifiedName`: an optional prefix (a DNS-1123
    /// subdomain of at most 253 characters) and `/`, then a name of at most 63 characters matching
    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`. Empty when the key is valid.
    public static func validateKey(_ key: String) -> [String] {
        let parts = key.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        var problems: [String] = []
        switch parts.count {
        case 1:
            break
        case 2 where parts[0].isEmpty:
            problems.append("prefix part must be non-empty")
        case 2:
            problems += NameValidation.dns1123Subdomain(String(Substring(parts[0]))).map { "prefix part " + $0 }
        default:
            return ["a qualified name " + nameFormatMessage + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        let name = parts[parts.count - 1]
        if name.isEmpty {
            problems.append("name part must be non-empty")
        } else if name.count > 63 {
            problems.append("name part must be no more than 63 characters")
        }
        if !isLabelToken(name) {
            problems.append("name part " + nameFormatMessage)
        }
        return problems
    }

    /// The problems with a label value, as upstream's `IsValidLabelValue`: empty, or at most 63
    /// characters matching `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`. Empty when the value is valid.
    public static func validateValue(_ value: String) -> [String] {
        var problems: [String] = []
        if value.utf8.count > 63 {
            problems.append("must be no more than 63 characters")
        }
        if !value.isEmpty && !isLabelToken(value.utf8) {
            problems.append(
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
            )
        }
        return problems
    }

    private static let nameFormatMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"

    /// Whether `bytes` match `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
    private static func isLabelToken(_ bytes: some Collection<UInt8>) -> Bool {
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
        }
        guard let first = bytes.first, let last = bytes.reversed().first, isAlphanumeric(first), isAlphanumeric(last) else {
            return false
        }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }
}

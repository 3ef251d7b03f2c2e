import SkiffAPI

/// Port numbers, port names and protocols, validated as upstream (containers and services).
enum PortValidation {
    /// The protocols a port may use, sorted as upstream lists them.
    static let protocols = ["SCTP", "TCP", "UDP"]

    /// A port number between 1 and 65535; a missing or zero number is `Required value` when `required`.
    static func portNumber(_ value: JSONValue?, field: String, required: Bool) -> [FieldError] {
        let number = value?.intValue ?? 0
        if number == 0 && required { return [.required(field)] }
        return (1...65535).contains(number) ? [] : [.invalid(field, .int(number), "must be between 1 and 65535, inclusive")]
    }

    /// The problems of a port name (an IANA service name: at most 15 lowercase alphanumerics and
    /// single hyphens, with a letter).
    static func portNameProblems(_ name: String) -> [String] {
        var problems: [String] = []
        if name.utf8.count > 15 { problems.append("must be no more than 15 characters") }
        let bytes = Array(name.utf8)
        if bytes.isEmpty || !bytes.allSatisfy({ (97...122).contains($0) || (48...57).contains($0) || $0 == 45 }) {
            problems.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        } else if !bytes.contains(where: { (97...122).contains($0) }) {
            problems.append("must contain at least one letter (a-z)")
        } else if name.contains("--") {
            problems.append("must not contain consecutive hyphens")
        } else if bytes.first == 45 || bytes.last == 45 {
            problems.append("must not begin or end with a hyphen")
        }
        return problems
    }
}

import SkiffAPI

extension AuditEvent {
    /// The event as one line of upstream's `legacy` log format (`--audit-log-format legacy`):
    /// `TIME AUDIT: id="…" stage="…" ip="…" method="…" user="…" groups="…" as="…" asgroups="…"
    /// user-agent="…" namespace="…" uri="…" response="…"`, values quoted as Go's `%q` (`String.goQuoted`).
    public func legacyLine() -> [UInt8] {
        var username = "<none>"
        var groups = "<none>"
        if !user.name.isEmpty {
            username = user.name
            if !user.groups.isEmpty { groups = Self.quotedList(user.groups) }
        }
        var asUser = "<self>"
        var asGroups = "<lookup>"
        if let impersonatedUser {
            asUser = impersonatedUser.name
            asGroups = Self.quotedList(impersonatedUser.groups)
        }
        let namespace = requestInfo.isResourceRequest && !requestInfo.namespace.isEmpty ? requestInfo.namespace : "<none>"
        let response = responseCode.map(String.init) ?? "<deferred>"
        let fields: [(String, String)] = [
            ("id", auditID), ("stage", stage.rawValue), ("ip", sourceIPs.first ?? "<unknown>"), ("method", verb),
            ("user", username), ("groups", groups), ("as", asUser), ("asgroups", asGroups), ("user-agent", userAgent ?? ""),
            ("namespace", namespace), ("uri", requestURI),
        ]
        let line = Self.rfc3339Nano(requestReceivedTimestamp) + " AUDIT: "
            + fields.map { "\($0.0)=\($0.1.goQuoted)" }.joined(separator: " ") + " response=\"\(response)\"\n"
        return Array(line.utf8)
    }

    /// Go's `time.RFC3339Nano`: the fraction without trailing zeros, none when whole.
    static func rfc3339Nano(_ time: Timestamp) -> String {
        var fraction = String(time.nanoseconds)
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let whole = String(time.rfc3339.dropLast())
        return fraction.isEmpty ? whole + "Z" : whole + "." + fraction + "Z"
    }

    /// Each value quoted, joined by commas (upstream's `auditStringSlice`).
    private static func quotedList(_ values: [String]) -> String {
        values.map(\.goQuoted).joined(separator: ",")
    }
}

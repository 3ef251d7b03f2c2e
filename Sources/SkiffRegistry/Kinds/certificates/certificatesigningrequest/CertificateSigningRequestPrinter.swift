import SkiffAPI

extension CertificateSigningRequestStrategy {
    var tableColumns: [TableColumn] {
        [.name, .age, TableColumn("SignerName"), TableColumn("Requestor"), TableColumn("RequestedDuration"), TableColumn("Condition")]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let duration = object[path: "spec", "expirationSeconds"]?.intValue.map { Age.format(seconds: $0) } ?? "<none>"
        return [.string(object.name ?? ""), .string(Age.since(object, now: now)), .string(object.stringValue(at: "spec", "signerName")),
                .string(object.stringValue(at: "spec", "username")), .string(duration), .string(Self.condition(object))]
    }

    /// `Denied`, `Approved` or `Pending`, then `,Failed` and `,Issued` when they apply.
    static func condition(_ object: JSONValue) -> String {
        let types = Set(object.elements(at: "status", "conditions").map { $0.stringValue(at: "type") })
        var text = types.contains("Denied") ? "Denied" : types.contains("Approved") ? "Approved" : "Pending"
        if types.contains("Failed") { text += ",Failed" }
        if !object.stringValue(at: "status", "certificate").isEmpty { text += ",Issued" }
        return text
    }
}

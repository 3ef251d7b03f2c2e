import SkiffAPI

/// The `CREATED AT` column of kinds upstream prints with its default table convertor (limit
/// ranges, roles, cluster roles).
extension TableColumn {
    static let createdAt = TableColumn("Created At", type: "date", description: "CreationTimestamp is a timestamp representing the server time when this object was created.")
}

extension TableFormat {
    /// The `NAME` and `CREATED AT` cells: the creation time in RFC 3339, UTC.
    static func nameAndCreatedAt(_ object: JSONValue) -> [JSONValue] {
        [.string(object.name ?? ""), .string(object.stringValue(at: "metadata", "creationTimestamp"))]
    }
}

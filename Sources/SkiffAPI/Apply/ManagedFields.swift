/// One entry of `metadata.managedFields`: the fields one manager owns through one kind of
/// operation (and subresource).
public struct ManagedFields: Sendable, Equatable {
    /// `Apply` or `Update`.
    public enum Operation: String, Sendable {
        case apply = "Apply"
        case update = "Update"
    }

    public var manager: String
    public var operation: Operation
    public var subresource: String?
    public var apiVersion: String
    public var time: Timestamp?
    public var fields: FieldSet

    public init(manager: String, operation: Operation, subresource: String?, apiVersion: String, time: Timestamp?, fields: FieldSet) {
        self.manager = manager
        self.operation = operation
        self.subresource = subresource
        self.apiVersion = apiVersion
        self.time = time
        self.fields = fields
    }

    /// Whether this entry is the one of `manager`, `operation` and `subresource`.
    func isEntry(of manager: String, _ operation: Operation, _ subresource: String?) -> Bool {
        self.manager == manager && self.operation == operation && self.subresource == subresource
    }

    /// How conflicts name this manager: `"kubectl"`, or `"kubectl-edit" using v1` for updates.
    var conflictName: String {
        var name = String(reflecting: manager)
        if let subresource { name += " with subresource \(String(reflecting: subresource))" }
        if operation == .update { name += " using \(apiVersion)" }
        return name
    }
}

extension ManagedFields {
    /// The entries of an object's `metadata.managedFields`; malformed entries are dropped.
    static func entries(of object: JSONValue) -> [ManagedFields] {
        (object[path: "metadata", "managedFields"]?.arrayValue ?? []).compactMap(ManagedFields.init(json:))
    }

    init?(json: JSONValue) {
        guard let manager = json["manager"]?.stringValue,
              let operation = json["operation"]?.stringValue.flatMap(Operation.init(rawValue:)) else { return nil }
        self.init(manager: manager, operation: operation, subresource: json["subresource"]?.stringValue,
                  apiVersion: json["apiVersion"]?.stringValue ?? "", time: json["time"]?.stringValue.flatMap(Timestamp.init(rfc3339:)),
                  fields: FieldSet(fieldsV1: json["fieldsV1"] ?? .emptyObject))
    }

    /// The JSON form, as upstream writes it.
    var json: JSONValue {
        var entry: JSONValue = [
            "manager": .string(manager), "operation": .string(operation.rawValue), "apiVersion": .string(apiVersion),
            "fieldsType": "FieldsV1", "fieldsV1": fields.fieldsV1,
        ]
        if let time { entry["time"] = .string(time.rfc3339) }
        if let subresource { entry["subresource"] = .string(subresource) }
        return entry
    }
}

/// Accessors for the standard parts of an API object (`apiVersion`, `kind`, `metadata.*`).
extension JSONValue {
    public var apiVersion: String? {
        get { self["apiVersion"]?.stringValue }
        set { self["apiVersion"] = newValue.map(JSONValue.string) }
    }

    public var kind: String? {
        get { self["kind"]?.stringValue }
        set { self["kind"] = newValue.map(JSONValue.string) }
    }

    /// `metadata` as an object (empty when missing).
    public var metadata: JSONValue {
        get { self["metadata"] ?? .emptyObject }
        set { self["metadata"] = newValue }
    }

    public var name: String? {
        get { self[path: "metadata", "name"]?.stringValue }
        set { self[path: "metadata", "name"] = newValue.map(JSONValue.string) }
    }

    public var generateName: String? {
        get { self[path: "metadata", "generateName"]?.stringValue }
        set { self[path: "metadata", "generateName"] = newValue.map(JSONValue.string) }
    }

    public var namespace: String? {
        get { self[path: "metadata", "namespace"]?.stringValue }
        set { self[path: "metadata", "namespace"] = newValue.map(JSONValue.string) }
    }

    public var uid: String? {
        get { self[path: "metadata", "uid"]?.stringValue }
        set { self[path: "metadata", "uid"] = newValue.map(JSONValue.string) }
    }

    public var resourceVersion: String? {
        get { self[path: "metadata", "resourceVersion"]?.stringValue }
        set { self[path: "metadata", "resourceVersion"] = newValue.map(JSONValue.string) }
    }

    public var generation: Int64? {
        get { self[path: "metadata", "generation"]?.intValue }
        set { self[path: "metadata", "generation"] = newValue.map(JSONValue.int) }
    }

    public var deletionTimestamp: String? {
        get { self[path: "metadata", "deletionTimestamp"]?.stringValue }
        set { self[path: "metadata", "deletionTimestamp"] = newValue.map(JSONValue.string) }
    }

    public var deletionGracePeriodSeconds: Int64? {
        get { self[path: "metadata", "deletionGracePeriodSeconds"]?.intValue }
        set { self[path: "metadata", "deletionGracePeriodSeconds"] = newValue.map(JSONValue.int) }
    }

    /// `metadata.labels` (empty when missing); setting an empty map removes the field.
    public var labels: [String: String] {
        get { Self.stringMap(self[path: "metadata", "labels"]) }
        set { self[path: "metadata", "labels"] = newValue.isEmpty ? nil : .object(newValue.mapValues(JSONValue.string)) }
    }

    /// `metadata.annotations` (empty when missing); setting an empty map removes the field.
    public var annotations: [String: String] {
        get { Self.stringMap(self[path: "metadata", "annotations"]) }
        set {
            self[path: "metadata", "annotations"] = newValue.isEmpty ? nil : .object(newValue.mapValues(JSONValue.string))
        }
    }

    /// `metadata.finalizers` (empty when missing); setting an empty list removes the field.
    public var finalizers: [String] {
        get { self[path: "metadata", "finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        set { self[path: "metadata", "finalizers"] = newValue.isEmpty ? nil : .array(newValue.map(JSONValue.string)) }
    }

    /// `metadata.ownerReferences` (empty when missing).
    public var ownerReferences: [JSONValue] {
        get { self[path: "metadata", "ownerReferences"]?.arrayValue ?? [] }
        set { self[path: "metadata", "ownerReferences"] = newValue.isEmpty ? nil : .array(newValue) }
    }

    private static func stringMap(_ value: JSONValue?) -> [String: String] {
        guard let members = value?.objectValue else { return [:] }
        return members.compactMapValues(\.stringValue)
    }
}

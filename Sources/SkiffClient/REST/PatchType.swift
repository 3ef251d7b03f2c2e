/// The format of a patch body, sent as the request's content type.
public struct PatchType: RawRepresentable, Sendable, Hashable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// RFC 6902 JSON patch: a list of operations.
    public static let json = PatchType(rawValue: "application/json-patch+json")
    /// RFC 7386 JSON merge patch.
    public static let merge = PatchType(rawValue: "application/merge-patch+json")
    /// Kubernetes strategic merge patch (lists merged by key where the schema says so).
    public static let strategicMerge = PatchType(rawValue: "application/strategic-merge-patch+json")
    /// Server-side apply of a whole intended object (needs `PatchOptions.fieldManager`).
    public static let apply = PatchType(rawValue: "application/apply-patch+yaml")
}

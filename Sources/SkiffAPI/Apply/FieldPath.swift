/// Path elements in the FieldsV1 spelling, and their rendering in conflict messages.
public enum FieldPath {
    /// `f:name`: a field of an object.
    public static func field(_ name: String) -> String { "f:" + name }

    /// `v:"x"`: the element of a set with this value.
    public static func value(_ value: JSONValue) -> String { "v:" + value.serializedString() }

    /// `i:3`: the element of a list at an index.
    public static func index(_ index: Int) -> String { "i:\(index)" }

    /// A path as upstream prints it in conflicts: `.spec.containers[name="c"].image`.
    public static func render(_ path: [String]) -> String {
        path.map(renderElement).joined()
    }

    private static func renderElement(_ element: String) -> String {
        let body = String(element.dropFirst(2))
        switch element.prefix(2) {
        case "f:":
            return "." + body
        case "k:":
            guard let fields = try? JSONValue(parsing: body).objectValue else { return "[" + body + "]" }
            let rendered = fields.keys.sorted().map { "\($0)=\(fields[$0]!.serializedString())" }
            return "[" + rendered.joined(separator: ",") + "]"
        case "v:":
            return "[=" + body + "]"
        default:
            return "[" + body + "]"
        }
    }
}

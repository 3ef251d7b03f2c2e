import SkiffAPI

/// How kubectl's server-side printers render common values in table cells.
enum TableFormat {
    /// The `CONTAINERS` and `IMAGES` cells of a pod template: names and images joined by commas.
    static func containerCells(_ template: JSONValue?) -> [JSONValue] {
        let containers = template?.elements(at: "spec", "containers") ?? []
        return [
            .string(containers.map { $0.stringValue(at: "name") }.joined(separator: ",")),
            .string(containers.map { $0.stringValue(at: "image") }.joined(separator: ",")),
        ]
    }

    /// A `metav1.LabelSelector` as upstream's `FormatLabelSelector`: `<none>` when it selects
    /// everything or is missing, `<error>` when invalid.
    static func labelSelector(_ selector: JSONValue?) -> String {
        guard let selector, selector != .null else { return "<none>" }
        guard let parsed = try? LabelSelector(selector: selector) else { return "<error>" }
        return parsed.isEverything ? "<none>" : parsed.description
    }

    /// A label map as upstream's `FormatLabels`: sorted `key=value` pairs, or `<none>`.
    static func labels(_ labels: [String: String]) -> String {
        let text = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        return text.isEmpty ? "<none>" : text
    }

    /// The first `limit` items joined by commas, then ` + N more...` for the `total - limit`
    /// left out (`total` counts everything, shown or not).
    static func list(_ items: [String], total: Int, limit: Int = 3) -> String {
        let shown = items.prefix(limit).joined(separator: ",")
        return total > limit ? "\(shown) + \(total - limit) more..." : shown
    }

    /// `text`, or `<none>` when it is missing or empty.
    static func orNone(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "<none>" }
        return text
    }

    /// A boolean pointer as upstream prints it: `True`, `False`, or `<unset>`.
    static func bool(_ value: JSONValue?) -> String {
        guard let value = value?.boolValue else { return "<unset>" }
        return value ? "True" : "False"
    }
}

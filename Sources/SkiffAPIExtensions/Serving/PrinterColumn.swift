import SkiffAPI
import SkiffRegistry

/// One `additionalPrinterColumns` entry: its table column and how a cell is read and formatted
/// (upstream's table convertor: `integer` (truncated), `number`, `boolean` as JSON values, `date`
/// as an age (`<invalid>` when unparseable), `string` as printed; a missing or mistyped value is
/// an empty cell).
public struct PrinterColumn: Sendable {
    public var column: TableColumn
    public var path: SimpleJSONPath

    /// The column of a CRD's `additionalPrinterColumns` entry.
    public init(json: JSONValue) {
        column = TableColumn(json["name"]?.stringValue ?? "", type: json["type"]?.stringValue ?? "string",
                             format: json["format"]?.stringValue ?? "", description: json["description"]?.stringValue ?? "",
                             priority: Int(json["priority"]?.intValue ?? 0))
        path = SimpleJSONPath(json["jsonPath"]?.stringValue ?? "")
    }

    /// The `Age` column served when a version declares no columns.
    public static let age = PrinterColumn(json: [
        "name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp",
        "description": "CreationTimestamp is a timestamp representing the server time when this object was created.",
    ])

    /// The cell of `object`.
    public func cell(for object: JSONValue, now: Timestamp) -> JSONValue {
        guard let value = path.first(in: object), !value.isNull else { return .null }
        switch column.type {
        case "integer":
            if case .int = value { return value }
            if case .double(let number) = value, abs(number) < 9.2e18 { return .int(Int64(number)) }
            return .null
        case "number":
            return value.numberValue.map(JSONValue.double) ?? .null
        case "boolean":
            return value.boolValue.map(JSONValue.bool) ?? .null
        case "date":
            guard let text = value.stringValue else { return .null }
            guard let time = Timestamp(rfc3339: text) else { return "<invalid>" }
            return .string(Age.format(seconds: now.seconds - time.seconds))
        default:
            if case .string = value { return value }
            return .string(value.serializedString())
        }
    }
}

/// The JSONPath subset printer columns and scale paths use: `.a.b`, `[0]`, `[*]`, `['key']` and
/// filters `[?(@.type=="Ready")]`.
public struct SimpleJSONPath: Sendable {
    enum Step: Sendable {
        case field(String)
        case index(Int)
        case all
        case filter(field: [String], value: String)
    }

    let steps: [Step]

    public init(_ text: String) {
        var steps: [Step] = []
        var rest = Substring(text.trimmingCharacters(in: ["{", "}"]))
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let name = rest.prefix { $0 != "." && $0 != "[" }
                if !name.isEmpty { steps.append(.field(String(name))) }
                rest = rest.dropFirst(name.count)
            } else if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else { break }
                let inner = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
                if inner == "*" {
                    steps.append(.all)
                } else if let index = Int(inner) {
                    steps.append(.index(index))
                } else if inner.hasPrefix("?(@.") {
                    let body = inner.dropFirst(4).dropLast(inner.hasSuffix(")") ? 1 : 0)
                    let parts = body.split(separator: "==", maxSplits: 1)
                    guard parts.count == 2 else { continue }
                    let value = parts[1].trimmingCharacters(in: [" ", "\"", "'"])
                    steps.append(.filter(field: parts[0].trimmingCharacters(in: .whitespaces).split(separator: ".").map(String.init), value: value))
                } else {
                    steps.append(.field(inner.trimmingCharacters(in: ["'", "\""])))
                }
            } else {
                let name = rest.prefix { $0 != "." && $0 != "[" }
                steps.append(.field(String(name)))
                rest = rest.dropFirst(name.count)
            }
        }
        self.steps = steps
    }

    /// The path's fields when it has only fields (`.spec.replicas` → `["spec", "replicas"]`).
    public var fields: [String]? {
        var names: [String] = []
        for step in steps {
            guard case .field(let name) = step else { return nil }
            names.append(name)
        }
        return names
    }

    /// The first value the path selects.
    public func first(in object: JSONValue) -> JSONValue? {
        var current = [object]
        for step in steps {
            var next: [JSONValue] = []
            for value in current {
                switch step {
                case .field(let name):
                    if let member = value[name] { next.append(member) }
                case .index(let index):
                    if let elements = value.arrayValue {
                        let resolved = index < 0 ? elements.count + index : index
                        if elements.indices.contains(resolved) { next.append(elements[resolved]) }
                    }
                case .all:
                    if let elements = value.arrayValue {
                        next += elements
                    } else if let members = value.objectValue {
                        next += members.keys.sorted().compactMap { members[$0] }
                    }
                case .filter(let field, let expected):
                    for element in value.arrayValue ?? [] {
                        guard let found = element[path: field[...]] else { continue }
                        if found.stringValue ?? found.serializedString() == expected { next.append(element) }
                    }
                }
            }
            current = next
        }
        return current.first
    }
}

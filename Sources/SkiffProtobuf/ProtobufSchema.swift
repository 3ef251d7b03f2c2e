/// The wire schema of every built-in message: field numbers, JSON names and kinds, parsed once
/// from the generated table.
struct ProtobufSchema: Sendable {
    /// The kind of a field's values.
    indirect enum Kind: Sendable, Equatable {
        case string, bytes, bool, int32, int64, uint32, uint64, double, float
        case message(String)
        case map(key: Kind, value: Kind)
    }

    struct Field: Sendable {
        var number: Int
        var jsonName: String
        var kind: Kind
        var repeated: Bool
        /// Go embeds this struct: its fields appear in the parent's JSON object.
        var inline: Bool
    }

    struct Message: Sendable {
        var name: String
        var fields: [Int: Field]
        var fieldsByJSONName: [String: Field]
        /// The fields in the order the Go struct (and the .proto file) declares them.
        var declared: [Field]
    }

    let messages: [String: Message]
    /// `group/version` + kind → message name, for the envelope's type meta.
    let messagesByKind: [String: String]

    static let shared = ProtobufSchema(table: generatedTable)
    static let listMetaName = "k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta"
    /// `meta/v1` `Status`, which Go sends with the type meta `v1`, `Status` in every group.
    static let statusName = "k8s.io.apimachinery.pkg.apis.meta.v1.Status"

    init(table: String) {
        var messages: [String: Message] = [:]
        var byKind: [String: String] = [:]
        var current: Message?
        func finish() {
            if let message = current { messages[message.name] = message }
        }
        for line in table.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.first == "M" {
                finish()
                let name = String(parts[1])
                current = Message(name: name, fields: [:], fieldsByJSONName: [:], declared: [])
                if parts.count > 2 {
                    let groupVersion = parts[2].hasPrefix("/") ? String(parts[2].dropFirst()) : String(parts[2])
                    byKind[groupVersion + "/" + name.split(separator: ".").last!] = name
                }
            } else if parts.first == "F", parts.count >= 4, let number = Int(parts[1]) {
                let field = Field(number: number, jsonName: String(parts[2]), kind: Self.kind(parts[3]),
                                  repeated: parts.count > 4 && parts[4] == "repeated", inline: parts.count > 4 && parts[4] == "inline")
                current?.fields[number] = field
                current?.fieldsByJSONName[field.jsonName] = field
                current?.declared.append(field)
            }
        }
        finish()
        byKind["v1/Status"] = Self.statusName
        self.messages = messages
        self.messagesByKind = byKind
    }

    /// The message of a kind given the envelope's `apiVersion` and `kind`.
    func message(apiVersion: String, kind: String) -> Message? {
        messagesByKind[apiVersion + "/" + kind].flatMap { messages[$0] }
    }

    private static func kind(_ code: Substring) -> Kind {
        if code.hasPrefix("m:") { return .message(String(code.dropFirst(2))) }
        if code.hasPrefix("map:") {
            let parts = code.split(separator: ":", maxSplits: 2)
            return .map(key: kind(parts[1]), value: kind(parts[2]))
        }
        switch code {
        case "s": return .string
        case "b": return .bytes
        case "B": return .bool
        case "i": return .int32
        case "l": return .int64
        case "u": return .uint32
        case "U": return .uint64
        case "d": return .double
        case "f": return .float
        default: return .bytes
        }
    }
}

extension JSONValue {
    /// The compact JSON encoding, with object members in sorted order (as Go encodes maps), so the
    /// same value always yields the same bytes.
    public func serialized() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(to: &output)
        return output
    }

    /// The compact JSON encoding as a string.
    public func serializedString() -> String {
        String(decoding: serialized(), as: UTF8.self)
    }

    /// The compact JSON encoding with the members of objects of known shapes in their declared
    /// order (Go's struct order, for built-in kinds: see `JSONShapes`); this value is shaped by its
    /// own `apiVersion` and `kind`, and objects of no known shape sort their members.
    public func serialized(shapes: JSONShapes) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(to: &output, shapes: shapes)
        return output
    }

    /// Appends the compact JSON encoding to `output`, with members sorted.
    public func write(to output: inout [UInt8]) {
        write(to: &output, shapes: nil, shape: nil)
    }

    /// Appends the compact JSON encoding to `output`, ordered as `serialized(shapes:)` orders it.
    public func write(to output: inout [UInt8], shapes: JSONShapes) {
        guard case .object(let members) = self else { return write(to: &output, shapes: shapes, shape: nil) }
        write(to: &output, shapes: shapes, shape: shapes.shape(of: members))
    }

    private func write(to output: inout [UInt8], shapes: JSONShapes?, shape: Int?) {
        switch self {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let value):
            output.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value):
            output.append(contentsOf: String(value).utf8)
        case .double(let value):
            Self.writeDouble(value, to: &output)
        case .string(let value):
            Self.writeString(value, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                element.write(to: &output, shapes: shapes, shape: shape)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            Self.writeObject(members, to: &output, shapes: shapes, shape: shape)
        }
    }

    private static func writeObject(_ members: [String: JSONValue], to output: inout [UInt8], shapes: JSONShapes?, shape: Int?) {
        output.append(UInt8(ascii: "{"))
        var first = true
        func member(_ key: String, _ value: JSONValue, shape: Int?) {
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            writeString(key, to: &output)
            output.append(UInt8(ascii: ":"))
            value.write(to: &output, shapes: shapes, shape: shape)
        }
        var prepared = shape.flatMap { shapes?.prepared[$0] }
        if case .embedded? = prepared?.shape {
            prepared = shapes?.shape(of: members).flatMap { shapes?.prepared[$0] }
        }
        switch prepared?.shape {
        case .structure(let declared)?:
            let typeMetaFirst = prepared.unsafelyUnwrapped.declaresTypeMeta == false
            var written = 0
            if typeMetaFirst {
                for key in ["kind", "apiVersion"] {
                    if let value = members[key] { member(key, value, shape: nil); written += 1 }
                }
            }
            for declaredMember in declared {
                if let value = members[declaredMember.name] { member(declaredMember.name, value, shape: declaredMember.shape); written += 1 }
            }
            if written < members.count {
                let names = prepared.unsafelyUnwrapped.names
                for key in members.keys.sorted() where !names.contains(key) && !(typeMetaFirst && (key == "kind" || key == "apiVersion")) {
                    member(key, members[key].unsafelyUnwrapped, shape: nil)
                }
            }
        case .map(let valueShape)?:
            for key in members.keys.sorted() { member(key, members[key].unsafelyUnwrapped, shape: valueShape) }
        case .embedded?, nil:
            for key in members.keys.sorted() { member(key, members[key].unsafelyUnwrapped, shape: nil) }
        }
        output.append(UInt8(ascii: "}"))
    }

    private static func writeDouble(_ value: Double, to output: inout [UInt8]) {
        guard value.isFinite else {
            output.append(contentsOf: "null".utf8)
            return
        }
        if value.rounded() == value, abs(value) < 1e15 {
            output.append(contentsOf: String(Int64(value)).utf8)
        } else {
            output.append(contentsOf: "\(value)".utf8)
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Writes a JSON string literal, escaping as Go's encoder does (including `<`, `>`, `&`).
    static func writeString(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var runStart = 0
            for (offset, byte) in utf8.enumerated() {
                let escape: [UInt8]?
                switch byte {
                case UInt8(ascii: "\""): escape = Array(#"\""#.utf8)
                case UInt8(ascii: "\\"): escape = Array(#"\\"#.utf8)
                case 0x0A: escape = Array(#"\n"#.utf8)
                case 0x0D: escape = Array(#"\r"#.utf8)
                case 0x09: escape = Array(#"\t"#.utf8)
                case 0x00..<0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                    escape = Array(#"\u00"#.utf8) + [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
                default: escape = nil
                }
                if let escape {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<offset]))
                    output.append(contentsOf: escape)
                    runStart = offset + 1
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        output.append(UInt8(ascii: "\""))
    }
}

extension JSONValue: CustomStringConvertible {
    public var description: String { serializedString() }
}

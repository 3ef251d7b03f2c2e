import SkiffAPI
import SkiffModels

/// The `pod-template-hash` of a Deployment's pod template (upstream's `ComputeHash`): FNV-32a
/// over the template, then over the collision count when there is one, its decimal digits
/// mapped onto the alphabet of characters that cannot spell words. The template is hashed in
/// its normalized JSON form (sorted members, `null` members and a zero `metadata.generation`
/// left out, as Go's typed objects would not tell them from absent), so the hash is stable across
/// processes, though not bit-compatible with Go's object printing.
enum PodTemplateHash {
    /// The label a Deployment adds to its ReplicaSets, their selectors and their pods.
    static let label = "pod-template-hash"

    /// Consonants and digits that cannot form bad words (upstream's `rand.SafeEncodeString` alphabet).
    private static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    /// The hash of `template`, salted with `collisionCount` when set.
    static func compute(_ template: CoreV1.PodTemplateSpec?, collisionCount: Int64?) -> String {
        var hash = FNV32a()
        hash.add(normalized(json(template)).serialized())
        if let collisionCount {
            // Four little-endian bytes of the count padded to eight, as upstream writes it.
            let value = UInt32(truncatingIfNeeded: collisionCount)
            hash.add((0..<8).map { $0 < 4 ? UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) : 0 })
        }
        return String(String(hash.value).utf8.map { alphabet[Int($0) % alphabet.count] })
    }

    /// Whether two pod templates are the same but for the `pod-template-hash` label
    /// (upstream's `EqualIgnoreHash`).
    static func equalIgnoringHash(_ left: CoreV1.PodTemplateSpec?, _ right: CoreV1.PodTemplateSpec?) -> Bool {
        withoutHash(json(left)) == withoutHash(json(right))
    }

    /// The template as a JSON tree (an absent one as an empty object).
    private static func json(_ template: CoreV1.PodTemplateSpec?) -> JSONValue {
        template.flatMap { try? JSONValue(encoding: $0) } ?? .emptyObject
    }

    private static func withoutHash(_ template: JSONValue) -> JSONValue {
        var template = normalized(template)
        template[path: "metadata", "labels", label] = nil
        if template[path: "metadata", "labels"]?.objectValue?.isEmpty == true { template[path: "metadata", "labels"] = nil }
        return template
    }

    /// The template as Go's typed comparison sees it: no `null` members, and no zero
    /// `metadata.generation` (protobuf writes, such as kubectl's, carry one).
    static func normalized(_ template: JSONValue) -> JSONValue {
        var template = canonical(template)
        if template[path: "metadata", "generation"] == .int(0) { template[path: "metadata", "generation"] = nil }
        return template
    }

    /// `value` without `null` members, at any depth (absent and `null` mean the same).
    static func canonical(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members): .object(members.filter { !$0.value.isNull }.mapValues(canonical))
        case .array(let elements): .array(elements.map(canonical))
        default: value
        }
    }
}

/// The 32-bit FNV-1a hash.
struct FNV32a {
    private(set) var value: UInt32 = 2_166_136_261

    mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            value = (value ^ UInt32(byte)) &* 16_777_619
        }
    }
}

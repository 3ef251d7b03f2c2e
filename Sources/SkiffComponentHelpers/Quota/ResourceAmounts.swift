import SkiffAPI

/// Named resource amounts (`requests.cpu: 500m`, `pods: 3`), as quota arithmetic uses upstream's
/// `ResourceList`: added, masked to some names, compared with a quota's hard limits.
public struct ResourceAmounts: Sendable, Equatable {
    public var amounts: [String: ResourceQuantity]
    /// The names whose amounts were written with binary suffixes (`Mi`, `Gi`), printed with them
    /// again, as upstream's quantities keep their format.
    public var binaryNames: Set<String>

    public init(_ amounts: [String: ResourceQuantity] = [:], binaryNames: Set<String> = []) {
        self.amounts = amounts
        self.binaryNames = binaryNames
    }

    /// The amounts of a resource list in JSON (`{"pods": "4", "requests.cpu": "1"}`); members
    /// that are not quantities are left out.
    public init(json: JSONValue?) {
        let members = json?.objectValue ?? [:]
        amounts = members.compactMapValues { ResourceQuantity($0) }
        binaryNames = Set(members.compactMap { name, value in Self.isBinary(value) ? name : nil })
    }

    /// Whether a quantity is written with a binary suffix (`512Mi`).
    public static func isBinary(_ value: JSONValue?) -> Bool {
        guard let text = value?.stringValue, text.hasSuffix("i"), let suffix = text.dropLast().last else { return false }
        return "KMGTPE".contains(suffix)
    }

    public subscript(name: String) -> ResourceQuantity? {
        get { amounts[name] }
        set { amounts[name] = newValue }
    }

    /// Sets the amount of `name` and the format it is printed in.
    public mutating func set(_ name: String, _ amount: ResourceQuantity, binary: Bool) {
        amounts[name] = amount
        if binary { binaryNames.insert(name) } else { binaryNames.remove(name) }
    }

    /// The amount of `name` in canonical form, in the format it was written in.
    public func formatted(_ name: String) -> String? {
        amounts[name].map { $0.canonical(binary: binaryNames.contains(name)) }
    }

    public var names: Set<String> { Set(amounts.keys) }

    public var isEmpty: Bool { amounts.isEmpty }

    /// The list as JSON, each amount in canonical form.
    public var json: JSONValue {
        .object(amounts.keys.reduce(into: [:]) { result, name in result[name] = formatted(name).map(JSONValue.string) })
    }

    /// `name=amount` pairs sorted by name, joined by commas (upstream's quota `prettyPrint`).
    public var prettyPrinted: String {
        amounts.keys.sorted().map { "\($0)=\(formatted($0) ?? "")" }.joined(separator: ",")
    }

    /// Only the amounts named in `names`.
    public func masked(to names: Set<String>) -> ResourceAmounts {
        ResourceAmounts(amounts.filter { names.contains($0.key) }, binaryNames: binaryNames.intersection(names))
    }

    /// The names whose amount here is above the one in `limits` (names `limits` lacks are not compared).
    public func exceeding(_ limits: ResourceAmounts) -> Set<String> {
        Set(amounts.compactMap { name, amount in
            guard let limit = limits[name], amount > limit else { return nil }
            return name
        })
    }

    /// The sum of each amount; a name keeps the format of its first nonzero amount.
    public static func + (lhs: ResourceAmounts, rhs: ResourceAmounts) -> ResourceAmounts {
        var sum = lhs
        for (name, amount) in rhs.amounts {
            let current = lhs.amounts[name]
            sum.amounts[name] = current.map { $0 + amount } ?? amount
            if current == nil || current?.nanos == 0 {
                sum.set(name, sum.amounts[name]!, binary: rhs.binaryNames.contains(name))
            }
        }
        return sum
    }

    /// The larger of each amount, in the larger one's format.
    public func maximum(_ other: ResourceAmounts) -> ResourceAmounts {
        var result = self
        for (name, amount) in other.amounts where amounts[name].map({ amount > $0 }) ?? true {
            result.set(name, amount, binary: other.binaryNames.contains(name))
        }
        return result
    }
}

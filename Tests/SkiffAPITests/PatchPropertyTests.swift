import SkiffAPI
import Testing

/// A seeded generator, so a failing case is reproducible from its seed.
private typealias SeededGenerator = SplitMix64

/// Random JSON objects without nulls (a null means "remove" in merge patches and apply).
private func randomObject(_ random: inout SeededGenerator, depth: Int = 0) -> JSONValue {
    var members: [String: JSONValue] = [:]
    for _ in 0..<Int.random(in: 0...4, using: &random) {
        let key = ["a", "b", "c", "name", "x-y", "with/slash", "tilde~"].randomElement(using: &random)!
        members[key] = randomValue(&random, depth: depth + 1)
    }
    return .object(members)
}

private func randomValue(_ random: inout SeededGenerator, depth: Int) -> JSONValue {
    switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &random) {
    case 0: return .int(Int64.random(in: -1000...1000, using: &random))
    case 1: return .string(["", "v", "ünïcode", "quote\""].randomElement(using: &random)!)
    case 2: return .bool(Bool.random(using: &random))
    case 3: return .double(Double(Int.random(in: 0...100, using: &random)) + 0.5)
    case 4: return .array((0..<Int.random(in: 0...3, using: &random)).map { _ in randomValue(&random, depth: depth + 1) })
    default: return randomObject(&random, depth: depth)
    }
}

/// A JSON pointer token (RFC 6901 escaping).
private func token(_ key: String) -> String {
    key.replacing("~", with: "~0").replacing("/", with: "~1")
}

/// JSON patch operations that build `value` at `pointer` member by member.
private func additions(of value: JSONValue, at pointer: String) -> [JSONValue] {
    guard case .object(let members) = value, !pointer.isEmpty else {
        return [["op": "add", "path": .string(pointer), "value": value]]
    }
    var operations: [JSONValue] = [["op": "add", "path": .string(pointer), "value": .emptyObject]]
    for key in members.keys.sorted() { operations += additions(of: members[key]!, at: pointer + "/" + token(key)) }
    return operations
}

@Suite struct PatchPropertyTests {
    static let seeds: [UInt64] = Array(1...200)

    @Test(arguments: seeds) func mergePatchOfAnObjectIntoItselfIsTheObject(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let object = randomObject(&random)
        #expect(MergePatch.apply(object, to: object) == object)
    }

    @Test(arguments: seeds) func mergePatchIntoAnEmptyObjectIsThePatch(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let object = randomObject(&random)
        #expect(MergePatch.apply(object, to: .emptyObject) == object)
    }

    @Test(arguments: seeds) func buildingAnObjectWithJSONPatchEqualsTheObject(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let object = randomObject(&random)
        var operations: [JSONValue] = []
        for key in (object.objectValue ?? [:]).keys.sorted() { operations += additions(of: object[key]!, at: "/" + token(key)) }
        #expect(try JSONPatch.apply(.array(operations), to: .emptyObject) == object)
        // And testing every member afterwards succeeds.
        let tests = (object.objectValue ?? [:]).map { key, value -> JSONValue in ["op": "test", "path": .string("/" + token(key)), "value": value] }
        #expect(try JSONPatch.apply(.array(tests), to: object) == object)
    }

    @Test(arguments: seeds) func emptyStrategicMergePatchChangesNothing(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let object = randomObject(&random)
        #expect(try StrategicMergePatch.apply(.emptyObject, to: object, schema: nil) == object)
    }

    @Test(arguments: seeds) func applyingTheSameConfigurationTwiceIsStable(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let config = randomObject(&random)
        let manager = FieldManager(schema: nil, scope: .object(excludingStatus: false))
        let request = FieldManager.Request(manager: "m", apiVersion: "v1", time: Timestamp(seconds: 1))
        let once = try manager.apply(config, to: nil, by: request, force: false)
        let twice = try manager.apply(config, to: once, by: request, force: false)
        #expect(twice == once)
        var withoutFields = once
        withoutFields["metadata"] = nil
        var expected = config
        expected["metadata"] = nil
        #expect(withoutFields == expected, "applying to nothing yields the configuration")
    }

    @Test(arguments: seeds) func fieldSetsRoundTripThroughFieldsV1(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let set = FieldSet(of: randomObject(&random), schema: nil)
        #expect(FieldSet(fieldsV1: set.fieldsV1) == set)
    }
}

import SkiffAPI
import SkiffAPIServer
import SkiffTesting
import Testing

/// The Priority admission plugin through the router: classes resolved into pods, the global default, refusals.
@Suite struct PriorityAdmissionTests {
    static func pod(_ name: String, spec extra: [String: JSONValue] = [:]) -> JSONValue {
        var spec: [String: JSONValue] = ["containers": [["name": "app", "image": "nginx"]]]
        spec.merge(extra) { $1 }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)], "spec": .object(spec)]
    }

    static func priorityClass(_ name: String, value: Int64, globalDefault: Bool = false, policy: String? = nil) -> JSONValue {
        var object: JSONValue = [
            "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": ["name": .string(name)], "value": .int(value),
            "globalDefault": .bool(globalDefault),
        ]
        if let policy { object["preemptionPolicy"] = .string(policy) }
        return object
    }

    static let classes = "/apis/scheduling.k8s.io/v1/priorityclasses"
    static let pods = "/api/v1/namespaces/default/pods"

    @Test func podsTakeTheirClassesPriorityAndPolicy() async throws {
        try await APIServerHarness.with(.router) { server in
            #expect(try await server.send(.POST, Self.classes, json: Self.priorityClass("gold", value: 1000, policy: "Never")).status == 201)
            let plain = try await server.send(.POST, Self.pods, json: Self.pod("plain"))
            #expect(plain.status == 201, "\(plain.text)")
            #expect(try plain.json()[path: "spec", "priority"] == 0)
            #expect(try plain.json()[path: "spec", "preemptionPolicy"] == "PreemptLowerPriority")

            let gold = try await server.send(.POST, Self.pods, json: Self.pod("gold", spec: ["priorityClassName": "gold"]))
            #expect(gold.status == 201, "\(gold.text)")
            #expect(try gold.json()[path: "spec", "priority"] == 1000)
            #expect(try gold.json()[path: "spec", "preemptionPolicy"] == "Never")

            let unknown = try await server.send(.POST, Self.pods, json: Self.pod("lost", spec: ["priorityClassName": "platinum"]))
            #expect(unknown.status == 403)
            #expect(try unknown.json()["message"] == #"pods "lost" is forbidden: no PriorityClass with name platinum was found"#)

            let forged = try await server.send(.POST, Self.pods, json: Self.pod("forged", spec: ["priorityClassName": "gold", "priority": 5]))
            #expect(forged.status == 403)
            #expect(try forged.json()["message"] == .string(#"pods "forged" is forbidden: the integer value of priority (5) must not be provided "#
                + "in pod spec; priority admission controller computed 1000 from the given PriorityClass name"))
        }
    }

    @Test func theGlobalDefaultClassAppliesAndIsUnique() async throws {
        try await APIServerHarness.with(.router) { server in
            #expect(try await server.send(.POST, Self.classes, json: Self.priorityClass("standard", value: 100, globalDefault: true)).status == 201)
            let second = try await server.send(.POST, Self.classes, json: Self.priorityClass("other", value: 5, globalDefault: true))
            #expect(second.status == 403)
            #expect(try second.json()["message"]
                    == #"priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass standard is already marked as default. Only one default can exist"#)
            // Pods read the classes from the watch cache, which may lag a moment behind the create.
            var attempt = 0
            try await waitUntil("a pod to take the default class") {
                attempt += 1
                let pod = try await server.send(.POST, Self.pods, json: Self.pod("p\(attempt)"))
                #expect(pod.status == 201, "\(pod.text)")
                return try pod.json()[path: "spec", "priorityClassName"] == "standard"
            }
            let pod = try await server.send(.GET, Self.pods + "/p\(attempt)")
            #expect(try pod.json()[path: "spec", "priority"] == 100)
        }
    }
}

import ArgumentParser
import Foundation
import SkiffAPI
import SkiffSchemas

/// The server's CPU cost, stage by stage, of a server-side apply of a wide Deployment (every
/// image changed each time), measured in process on one thread (`skiff bench apply`).
public enum ApplyBenchmark {
    /// What to measure (the flags of `skiff bench`).
    public struct Options: ParsableArguments, Sendable {
        @Option(help: "Containers in the Deployment.")
        public var containers = 50

        @Option(help: "Applies to time.")
        public var rounds = 500

        public init() {}
    }

    /// Measures as `options` say and writes the result lines to `report`.
    public static func run(_ options: Options, report: @escaping BenchmarkReport) throws {
        let (containers, rounds) = (options.containers, options.rounds)
        let definition = "io.k8s.api.apps.v1.Deployment"
        guard let schema = CompiledSchema.builtin(definition),
              let pruner = UnknownFieldPruner(definition: definition) else { throw BenchmarkError("no schema for \(definition)") }
        let manager = FieldManager(schema: schema, scope: .object(excludingStatus: true))
        let request = FieldManager.Request(manager: "bench", apiVersion: "apps/v1")
        let bodies = (0..<2).map { Self.configuration(containers: containers, image: "img-\($0)").serialized() }
        var live = try manager.apply(try JSONValue(parsing: bodies[1]), to: nil, by: request, force: false)

        let clock = ContinuousClock()
        var stages: [String: Duration] = [:]
        func time<T>(_ stage: String, _ work: () throws -> T) rethrows -> T {
            let began = clock.now
            defer { stages[stage, default: .zero] += clock.now - began }
            return try work()
        }
        for round in 0..<rounds {
            let body = bodies[round % 2]
            let config = try time("parse the body") { try JSONValue(parsing: body) }
            let pruned = time("decode against the schema") { pruner.prune(config).object }
            live = try time("apply (merge, conflicts, managed fields)") { try manager.apply(pruned, to: live, by: request, force: false) }
            _ = time("serialize the result") { live.serialized() }
        }
        let total = stages.values.reduce(Duration.zero, +)
        report("server-side apply of a \(containers)-container Deployment, \(rounds) rounds, \(bodies[0].count) byte body:")
        for (stage, duration) in stages.sorted(by: { $0.value > $1.value }) {
            report(Self.row(stage, duration, rounds))
        }
        report(Self.row("total", total, rounds))
    }

    static func row(_ stage: String, _ duration: Duration, _ rounds: Int) -> String {
        "  " + stage.padding(toLength: 44, withPad: " ", startingAt: 0)
            + String(format: "%8.3f ms per apply", milliseconds(duration) / Double(rounds))
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    /// A Deployment with `containers` containers, each with a port, an env var and requests.
    static func configuration(containers: Int, image: String) -> JSONValue {
        let list: [JSONValue] = (0..<containers).map { index in
            [
                "name": .string("c\(index)"), "image": .string("\(image):\(index)"),
                "ports": [["containerPort": .int(Int64(8000 + index))]],
                "env": [["name": "INDEX", "value": .string(String(index))]],
                "resources": ["requests": ["cpu": "10m", "memory": "16Mi"]],
            ]
        }
        return [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "wide", "namespace": "bench"],
            "spec": [
                "replicas": 1, "selector": ["matchLabels": ["app": "wide"]],
                "template": ["metadata": ["labels": ["app": "wide"]], "spec": ["containers": .array(list)]],
            ],
        ]
    }
}

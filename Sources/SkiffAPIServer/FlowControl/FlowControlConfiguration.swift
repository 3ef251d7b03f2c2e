import SkiffAPI

/// The flow schemas and priority levels in force, as upstream's config controller digests them:
/// schemas whose priority level does not exist are left out (they are dangling), the mandatory
/// `exempt` and `catch-all` objects stand in when the store lacks them, and schemas are tried
/// in matching order.
struct FlowControlConfiguration: Sendable {
    /// The schemas in matching order.
    let flowSchemas: [FlowSchemaPolicy]
    let priorityLevels: [String: PriorityLevelPolicy]

    /// Where a request goes: its schema, its level and its flow.
    struct Classification: Sendable {
        var flowSchema: FlowSchemaPolicy
        var priorityLevel: PriorityLevelPolicy
        var flowDistinguisher: String
    }

    init(flowSchemas: [JSONValue], priorityLevels: [JSONValue]) {
        var levels: [String: PriorityLevelPolicy] = [:]
        for object in priorityLevels {
            let level = PriorityLevelPolicy(object)
            levels[level.name] = level
        }
        for object in FlowControlBootstrap.mandatoryPriorityLevels {
            let level = PriorityLevelPolicy(object)
            if levels[level.name] == nil { levels[level.name] = level }
        }
        var schemas = flowSchemas.map(FlowSchemaPolicy.init).filter { levels[$0.priorityLevel] != nil }
        for object in FlowControlBootstrap.mandatoryFlowSchemas where !schemas.contains(where: { $0.name == object.name }) {
            schemas.append(FlowSchemaPolicy(object))
        }
        self.flowSchemas = schemas.sorted(by: FlowSchemaPolicy.precedes)
        self.priorityLevels = levels
    }

    /// The first schema that matches the request; `catch-all` when none does.
    func classify(_ user: UserInfo, _ info: RequestInfo) -> Classification {
        let schema = flowSchemas.first { $0.matches(user, info) } ?? flowSchemas.first { $0.name == "catch-all" } ?? flowSchemas[flowSchemas.count - 1]
        let level = priorityLevels[schema.priorityLevel] ?? PriorityLevelPolicy(FlowControlBootstrap.mandatoryPriorityLevels[1])
        return Classification(flowSchema: schema, priorityLevel: level, flowDistinguisher: schema.flowDistinguisher(user, info))
    }

    /// Each level's limits when the server may serve `serverLimit` requests at once
    /// (`--max-requests-inflight` plus `--max-mutating-requests-inflight`): shared out by the
    /// levels' nominal concurrency shares, the exempt level's included.
    func limits(serverLimit: Int) -> [String: PriorityLevelPolicy.Limits] {
        let shareSum = priorityLevels.values.reduce(0) { $0 + $1.nominalConcurrencyShares }
        return priorityLevels.mapValues { $0.limits(serverLimit: serverLimit, shareSum: shareSum) }
    }
}

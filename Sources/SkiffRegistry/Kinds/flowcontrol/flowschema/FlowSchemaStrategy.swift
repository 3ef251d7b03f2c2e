import SkiffAPI

/// FlowSchemas (flowcontrol.apiserver.k8s.io/v1, cluster-scoped): status kept on main-resource
/// writes, a precedence between 1 and 10000, PRIORITYLEVEL/MATCHINGPRECEDENCE/DISTINGUISHERMETHOD/
/// MISSINGPL columns. `SkiffAPIServer`'s priority and fairness filter classifies requests by them.
struct FlowSchemaStrategy: StatusKeepingStrategy {
    var tracksGeneration: Bool { true }

    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { $0.setDefault("matchingPrecedence", 1000) }
    }
}

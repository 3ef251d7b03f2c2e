import SkiffAPI

/// Services: a cluster IP and node ports allocated on create (the IP immutable afterwards), what
/// an update keeps or drops; defaults, validation and columns in `ServiceDefaults`,
/// `ServiceValidation` and `ServicePrinter`.
struct ServiceStrategy: ResourceStrategy {
    let allocator: ServiceAllocator

    var nameRule: NameValidation.Rule { .dns1035Label }
    var returnsDeletedObject: Bool { true }

    func applyDefaults(to object: inout JSONValue) {
        ServiceDefaults.apply(to: &object)
    }

    func prepareForCreate(_ object: inout JSONValue) {
        object["status"] = ["loadBalancer": .emptyObject]
    }

    /// Keeps the status and what was allocated when the update leaves it out, and drops what
    /// the new type no longer uses (when the update did not change it), as upstream.
    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) {
        object["status"] = old["status"]
        let oldType = old.stringValue(at: "spec", "type")
        let newType = object.stringValue(at: "spec", "type").isEmpty ? "ClusterIP" : object.stringValue(at: "spec", "type")
        if oldType != "ExternalName" && newType != "ExternalName" {
            if object.stringValue(at: "spec", "clusterIP").isEmpty { object[path: "spec", "clusterIP"] = old[path: "spec", "clusterIP"] }
            if object.elements(at: "spec", "clusterIPs").isEmpty { object[path: "spec", "clusterIPs"] = old[path: "spec", "clusterIPs"] }
            // A client that changed only `clusterIP` meant the plural too.
            let clusterIP = object[path: "spec", "clusterIP"] ?? ""
            if clusterIP != old[path: "spec", "clusterIP"], object[path: "spec", "clusterIPs"] == old[path: "spec", "clusterIPs"],
               var clusterIPs = object[path: "spec", "clusterIPs"]?.arrayValue, !clusterIPs.isEmpty {
                clusterIPs[0] = clusterIP
                object[path: "spec", "clusterIPs"] = .array(clusterIPs)
            }
        }
        guard oldType != newType else { return }
        if newType == "ExternalName" {
            for field in ["clusterIP", "clusterIPs", "ipFamilyPolicy", "ipFamilies"] where object[path: "spec", field] == old[path: "spec", field] {
                object[path: "spec", field] = nil
            }
        }
        let sameNodePorts = object.elements(at: "spec", "ports").map { $0["nodePort"] } == old.elements(at: "spec", "ports").map { $0["nodePort"] }
        if !ServiceAllocator.needsNodePorts(object["spec"]) && sameNodePorts {
            object.editMember("spec") { $0.editElements("ports") { $0["nodePort"] = nil } }
        }
        if newType != "LoadBalancer" { object["status"] = ["loadBalancer": .emptyObject] }
    }

    func validate(_ object: JSONValue) -> [FieldError] {
        ServiceValidation.validate(object)
    }

    /// The primary cluster IP never changes (unless the service is or becomes an ExternalName).
    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        ServiceValidation.validateUpdate(object, old: old)
    }

    func beforeCreate(_ object: inout JSONValue, context: StrategyContext) async throws(APIError) {
        try await allocator.allocate(&object, dryRun: context.dryRun)
    }

    func afterDelete(_ object: JSONValue, context: StrategyContext) async {
        await allocator.release(object)
    }

    func afterUpdate(_ object: JSONValue, old: JSONValue) async {
        await allocator.settle(object, old: old)
    }

    var tableColumns: [TableColumn] { ServicePrinter.columns }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        ServicePrinter.cells(for: object, now: now)
    }
}

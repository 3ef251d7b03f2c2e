import SkiffAPI
import SkiffComponentHelpers
import SkiffRegistry

/// Upstream's `ResourceQuota` admission plugin, for creates: each quota of the namespace whose
/// `status.hard` names something the new object uses (and whose scopes select it) must have room
/// for it, else `403`: `exceeded quota: <name>, requested: ..., used: ..., limited: ...`. The
/// object's usage is then added to the quota's `status.used` by compare-and-swap, retried on
/// conflicts, so concurrent creates cannot both take the last unit; the quota controller later
/// recomputes `status.used` from what exists (releasing what deletions and failed writes freed).
///
/// Quotas are read from the watch cache only, as upstream's lister: the quota controller has to
/// have filled a new quota's status before it counts anyway. Updates are not charged.
struct ResourceQuotaAdmission: ValidatingAdmissionPlugin {
    let quotas: ResourceStore
    /// How many times a quota's `status.used` write is tried when others write it meanwhile.
    var maxAttempts = 20

    var name: String { "ResourceQuota" }

    func handles(_ operation: AdmissionAttributes.Operation) -> Bool { operation == .create }

    func validate(_ attributes: AdmissionAttributes) async throws {
        guard attributes.subresource.isEmpty, !attributes.namespace.isEmpty, let object = attributes.object else { return }
        let candidates = quotas.cache.snapshot(filter: WatchFilter(namespace: attributes.namespace)).objects.map(\.decoded)
        guard !candidates.isEmpty else { return }
        let check = QuotaCheck(resource: GroupResource(group: attributes.resource.group, resource: attributes.resource.resource), object: object)
        let applying = try candidates.filter { try check.applies(to: $0) }
        var charged: [String] = []
        for quota in applying {
            if try check.charge(against: quota) != nil { charged.append(quota.name ?? "") }
        }
        guard !attributes.dryRun else { return }
        for name in charged {
            try await charge(check, quotaNamed: name, namespace: attributes.namespace)
        }
    }

    /// Adds the object's usage to the quota's `status.used`, checking again against its latest state.
    private func charge(_ check: QuotaCheck, quotaNamed name: String, namespace: String) async throws {
        for _ in 0..<maxAttempts {
            guard let quota = try? await quotas.get(namespace: namespace, name: name) else { return }
            guard try check.applies(to: quota), let requested = try check.charge(against: quota) else { return }
            var updated = quota
            updated[path: "status", "used"] = (ResourceAmounts(json: quota[path: "status", "used"]) + requested).json
            do {
                _ = try await quotas.update(namespace: namespace, name: name, object: updated, target: .status)
                return
            } catch let error as APIError where error.code == 409 {
                continue
            }
        }
        throw AdmissionRefusal("unable to update quota \(name): too many concurrent updates")
    }
}

/// One object checked against quotas (upstream's quota evaluator at admission).
struct QuotaCheck {
    let resource: GroupResource
    let object: JSONValue
    let usage: ResourceAmounts

    init(resource: GroupResource, object: JSONValue) {
        self.resource = resource
        self.object = object
        usage = QuotaEvaluator.usage(of: object, resource: resource)
    }

    /// Whether the quota limits something the object uses and its scopes select the object;
    /// refuses the object when it leaves a limited compute resource unstated, or when the quota
    /// has no usage yet for what it limits.
    func applies(to quota: JSONValue) throws -> Bool {
        let name = quota.name ?? ""
        let hard = ResourceAmounts(json: quota[path: "status", "hard"])
        let restricted = QuotaEvaluator.matchingResources(hard.names, resource: resource)
        guard !restricted.isEmpty, QuotaScopes.select(object, resource: resource, quota: quota) else { return false }
        if let unmet = QuotaEvaluator.unmetConstraints(of: object, resource: resource, restricted: restricted) {
            throw AdmissionRefusal("failed quota: \(name): \(unmet)")
        }
        let unknown = restricted.subtracting(ResourceAmounts(json: quota[path: "status", "used"]).names)
        if !unknown.isEmpty {
            throw AdmissionRefusal("status unknown for quota: \(name), resources: \(unknown.sorted().joined(separator: ","))")
        }
        return true
    }

    /// What the object adds to a quota that applies (nil when nothing it limits); refuses the
    /// object when that goes beyond `status.hard`.
    func charge(against quota: JSONValue) throws -> ResourceAmounts? {
        let hard = ResourceAmounts(json: quota[path: "status", "hard"])
        let used = ResourceAmounts(json: quota[path: "status", "used"])
        let requested = usage.masked(to: hard.names)
        guard !requested.isEmpty else { return nil }
        let exceeded = (used + requested).masked(to: requested.names).exceeding(hard)
        guard exceeded.isEmpty else {
            throw AdmissionRefusal("exceeded quota: \(quota.name ?? ""), requested: \(requested.masked(to: exceeded).prettyPrinted), "
                                   + "used: \(used.masked(to: exceeded).prettyPrinted), limited: \(hard.masked(to: exceeded).prettyPrinted)")
        }
        return requested
    }
}

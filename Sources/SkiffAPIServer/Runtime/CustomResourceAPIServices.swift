import Logging
import SkiffAPI
import SkiffRegistry

/// Upstream's CRD registration controller with its autoregister sync: every group version a CRD
/// serves (a version with `served: true`) has a local APIService `<version>.<group>` labelled
/// `kube-aggregator.kubernetes.io/automanaged: "true"`, with `groupPriorityMinimum` 1000 and
/// `versionPriority` 100 as upstream, no service and `Available=True` (`Local`), so `kubectl get
/// apiservices` lists it; once no CRD serves the group version any more it is deleted. An
/// APIService of that name without the `true` label (a built-in group's, or one a user made) is
/// left alone, as upstream's autoregister leaves what it does not manage. Synced at start and
/// whenever a CRD's spec changes or a CRD is deleted.
struct CustomResourceAPIServices: Sendable {
    let registry: Registry
    let clock: any TimestampClock
    let logger: Logger

    /// Upstream's priorities of CRD group versions (low: built-in groups win discovery order).
    static let priority: (group: Int64, version: Int64) = (1000, 100)
    /// The `automanaged` label value of the APIServices kept in sync while the server runs.
    static let manager = "true"

    /// Syncs at start and after every CRD change, until cancelled.
    func run() async {
        guard let crds = registry.store(for: GroupResource(group: "apiextensions.k8s.io", resource: "customresourcedefinitions")),
              let apiServices = registry.store(for: GroupResource(group: "apiregistration.k8s.io", resource: "apiservices"))
        else { return }
        await CacheWatchLoop(registry: registry, store: crds, clock: clock)
            .run(syncAll: { await sync(crds: crds, apiServices: apiServices) }) { (event: WatchCacheEvent) in
                guard event.kind == .deleted || event.object?.decoded["spec"] != event.previous?.decoded["spec"] else { return }
                await sync(crds: crds, apiServices: apiServices)
            }
    }

    /// The group versions `crds` serve.
    static func servedGroupVersions(of crds: [JSONValue]) -> Set<GroupVersion> {
        var served = Set<GroupVersion>()
        for crd in crds {
            guard let group = crd[path: "spec", "group"]?.stringValue else { continue }
            for version in crd[path: "spec", "versions"]?.arrayValue ?? [] where version["served"]?.boolValue == true {
                if let name = version["name"]?.stringValue { served.insert(GroupVersion(group: group, version: name)) }
            }
        }
        return served
    }

    /// Creates (and marks available) the APIServices of the served group versions, and deletes
    /// the managed ones no CRD serves.
    func sync(crds: ResourceStore, apiServices: ResourceStore) async {
        let served = Self.servedGroupVersions(of: crds.cache.snapshot(filter: WatchFilter()).objects.map(\.decoded))
        let existing = apiServices.cache.snapshot(filter: WatchFilter()).objects.map(\.decoded)
        let managed = Set(existing.filter { $0[path: "metadata", "labels", LocalAPIServices.automanagedLabel]?.stringValue == Self.manager }
            .compactMap(\.name))
        let others = Set(existing.compactMap(\.name)).subtracting(managed)
        var wanted = Set<String>()
        for groupVersion in served.sorted(by: { $0.apiVersion < $1.apiVersion }) {
            let object = LocalAPIServices.apiService(groupVersion, priority: Self.priority, manager: Self.manager)
            let name = object.name ?? ""
            wanted.insert(name)
            guard !others.contains(name) else { continue }
            do {
                try await LocalAPIServices.ensure(object, in: apiServices)
            } catch {
                logger.warning("registering a CRD group version's APIService failed", metadata: ["apiservice": "\(name)", "error": "\(error)"])
            }
        }
        for name in managed.subtracting(wanted).sorted() {
            do {
                _ = try await apiServices.delete(namespace: nil, name: name)
            } catch let error as APIError where error.reason == .notFound {
                // Deleted already.
            } catch {
                logger.warning("deleting a CRD group version's APIService failed", metadata: ["apiservice": "\(name)", "error": "\(error)"])
            }
        }
    }
}

import SkiffAPI
import SkiffClient

/// Describes one controller of a manager (controller-runtime's builder): the kind it reconciles
/// (`for:`), the kinds it creates and owns (`owns(_:)`: a change to an owned object reconciles
/// its controller owner), other kinds it reacts to (`watches(_:map:)`), then `complete(_:)` adds
/// it to the manager with its reconciler.
///
/// ```swift
/// manager.controller(for: TrainingJob.self)
///     .owns(CoreV1.Pod.self)
///     .owns(CoreV1.Service.self)
///     .complete(TrainingJobReconciler(manager: manager))
/// ```
public struct ControllerBuilder<Resource: KubernetesObject>: Sendable {
    let manager: Manager
    var name: String
    var workers = 1
    var sources: [@Sendable (Controller<Resource>) -> Void] = []

    init(manager: Manager, name: String) {
        self.manager = manager
        self.name = name
    }

    /// Reconcile up to `count` objects at a time (one key is never reconciled twice at once).
    public func workers(_ count: Int) -> Self {
        var builder = self
        builder.workers = count
        return builder
    }

    /// Reconciles the controller owner (of kind `Resource`) of every changed `Owned` object.
    public func owns<Owned: KubernetesObject>(_ type: Owned.Type) -> Self {
        watches(type) { owned in
            guard let owner = owned.metadata?.controllerReference, Self.refersToResource(owner) else { return [] }
            return [Request(namespace: Resource.isNamespaced ? owned.namespace : "", name: owner.name)]
        }
    }

    /// Reconciles the requests `map` gives for every changed `Other` object (before and after an update).
    public func watches<Other: KubernetesObject>(_ type: Other.Type, map: @escaping @Sendable (Other) -> [Request]) -> Self {
        var builder = self
        let informer = manager.informer(for: type)
        builder.sources.append { controller in
            controller.watch(informer) { object in map(object).map(\.key) }
        }
        return builder
    }

    /// Adds the controller, reconciled by `reconciler`, to the manager.
    public func complete<R: ResourceReconciler>(_ reconciler: R) where R.Resource == Resource {
        let controller = Controller(
            configuration: .init(name: name, workers: workers), informer: manager.informer(for: Resource.self), key: \.cacheKey,
            reconciler: KeyedReconciler(wrapped: reconciler), clock: manager.options.clock, logger: manager.options.logger)
        for source in sources { source(controller) }
        manager.add(controller, name: name)
    }

    /// Whether an owner reference names `Resource`'s kind in its group (any version).
    static func refersToResource(_ reference: OwnerReference) -> Bool {
        reference.kind == Resource.groupVersionKind.kind
            && GroupVersion(apiVersion: reference.apiVersion)?.group == Resource.groupVersionKind.group
    }
}

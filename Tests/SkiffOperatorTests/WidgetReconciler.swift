import SkiffAPI
import SkiffClient
import SkiffModels
import SkiffOperator

/// The tests' reconciler: a Widget owns a ConfigMap `<name>-config` holding its size, reports
/// the size and a `Ready` condition in status, and holds a finalizer until it is deleted.
struct WidgetReconciler: ResourceReconciler {
    typealias Resource = Widget
    static let finalizer = "operator.test.skiff.dev/cleanup"

    let manager: Manager

    func reconcile(_ request: Request) async throws -> ReconcileResult {
        guard var widget = manager.lister(for: Widget.self).namespace(request.namespace).get(request.name) else { return .done }
        let widgets = manager.client(for: Widget.self, namespace: request.namespace)
        if widget.isBeingDeleted {
            try await widgets.releaseFinalizer(Self.finalizer, from: widget)
            return .done
        }
        widget = try await widgets.ensureFinalizer(Self.finalizer, on: widget)

        let name = "\(request.name)-config"
        let configMaps = manager.client(for: CoreV1.ConfigMap.self, namespace: request.namespace)
        let size = String(widget.spec.size)
        if let existing = manager.lister(for: CoreV1.ConfigMap.self).namespace(request.namespace).get(name) {
            if existing.data?["size"] != size {
                var updated = existing
                updated.data = ["size": size]
                _ = try await configMaps.update(updated)
            }
        } else {
            var configMap = CoreV1.ConfigMap(data: ["size": size], metadata: ObjectMeta(name: name, namespace: request.namespace))
            try configMap.setControllerReference(widget)
            _ = try await configMaps.create(configMap)
            await manager.eventRecorder().record(ObjectReference(widget), reason: "Created", message: "Created config map \(name)")
        }

        var status = widget.status ?? Widget.Status()
        status.size = widget.spec.size
        var conditions = status.conditions ?? []
        conditions.set(
            "Ready", status: .true, reason: "Reconciled", message: "config map \(name) holds size \(size)",
            observedGeneration: widget.metadata?.generation, now: manager.options.clock.now)
        status.conditions = conditions
        guard status != widget.status else { return .done }
        widget.status = status
        _ = try await widgets.updateStatus(widget)
        return .done
    }
}

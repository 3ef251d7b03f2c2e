import SkiffAPI
import SkiffClient
import SkiffModels
import SkiffOperator
import SkiffTesting
import Testing

/// A manager runs a Widget controller against a real server in process: the CRD generated from
/// the type is served, the reconciler adds its finalizer, creates its owned ConfigMap (and
/// recreates it when deleted: `owns`), reports status and conditions, and releases the
/// finalizer on delete.
struct ManagerTests {
    static func widget(_ name: String, size: Int) -> Widget {
        Widget(metadata: ObjectMeta(name: name, namespace: "default"), spec: Widget.Spec(size: size))
    }

    @Test func reconcilesOwnsReportsAndFinalizes() async throws {
        try await InProcessCluster.withCluster { cluster in
            try await CustomResourceDefinitionInstaller.install(Widget.self, client: cluster.client)
            let manager = Manager(client: cluster.client, options: .init(name: "widget-operator", logger: cluster.logger))
            manager.controller(for: Widget.self).owns(CoreV1.ConfigMap.self).complete(WidgetReconciler(manager: manager))
            let widgets = cluster.client.resource(Widget.self, namespace: "default")
            let configMaps = cluster.client.resource(CoreV1.ConfigMap.self, namespace: "default")

            try await cluster.running([.service("manager") { _ in manager }]) {
                let created = try await widgets.create(Self.widget("one", size: 2))
                try await waitUntil("status and config map") {
                    let widget = try await widgets.get("one")
                    let ready = widget.status?.conditions?.condition("Ready")
                    return widget.status?.size == 2 && ready?.status == "True" && ready?.observedGeneration == 1
                        && widget.hasFinalizer(WidgetReconciler.finalizer)
                }
                let configMap = try await configMaps.get("one-config")
                #expect(configMap.data == ["size": "2"])
                #expect(configMap.isControlled(by: created))
                #expect(configMap.metadata?.controllerReference?.kind == "Widget")
                #expect(configMap.metadata?.controllerReference?.apiVersion == "operator.test.skiff.dev/v1")

                try await configMaps.delete("one-config")
                try await waitUntil("the owned config map recreated") {
                    let recreated = try await configMaps.get("one-config")
                    return recreated.metadata?.uid != configMap.metadata?.uid
                }

                var widget = try await widgets.get("one")
                let transition = widget.status?.conditions?.condition("Ready")?.lastTransitionTime
                widget.spec.size = 3
                _ = try await widgets.update(widget)
                try await waitUntil("the new size observed") {
                    let widget = try await widgets.get("one")
                    let ready = widget.status?.conditions?.condition("Ready")
                    let configMap = try await configMaps.get("one-config")
                    return widget.status?.size == 3 && ready?.observedGeneration == 2 && configMap.data == ["size": "3"]
                }
                let ready = try await widgets.get("one").status?.conditions?.condition("Ready")
                #expect(ready?.lastTransitionTime == transition, "the status stayed True: no transition")

                try await widgets.delete("one")
                try await waitUntil("the finalizer released and the widget gone") {
                    do {
                        _ = try await widgets.get("one")
                        return false
                    } catch let error as APIError where error.isNotFound {
                        return true
                    }
                }
            }
        }
    }
}

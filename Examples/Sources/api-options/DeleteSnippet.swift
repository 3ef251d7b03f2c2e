import ArgumentParser
import ExampleSupport
import SkiffAPI
import SkiffClient
import SkiffModels

/// Delete options: preconditions (the uid or resourceVersion must still match, else `409`), and
/// propagation to dependents (objects whose ownerReferences name the deleted one): Orphan leaves
/// them, Background deletes the owner at once and the dependents after (the garbage collector),
/// Foreground keeps the owner, marked with the `foregroundDeletion` finalizer, until they are gone.
struct DeleteSnippet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Preconditions and propagation policies.")

    @OptionGroup var options: SnippetOptions

    func run() async throws {
        try await options.withConfigMaps { configMaps, namespace in
            let owner = try await configMaps.create(Snippets.configMap("snippet-del", namespace: namespace, labels: ["snippet": "delete"]))
            do {
                try await configMaps.delete("snippet-del", options: DeleteOptions(preconditions: .init(uid: "not-the-uid")))
            } catch let error as APIError where error.isConflict {
                print("precondition uid=not-the-uid: \(error.code) \(error.reason.rawValue)")
            }
            try await configMaps.delete("snippet-del", options: DeleteOptions(preconditions: .init(uid: owner.metadata?.uid)))
            print("precondition uid=\(owner.metadata?.uid ?? ""): deleted")

            for policy in [DeleteOptions.PropagationPolicy.orphan, .background, .foreground] {
                let name = "snippet-del-\(policy.rawValue.lowercased())"
                let parent = try await configMaps.create(Snippets.configMap(name, namespace: namespace, labels: ["snippet": "delete"]))
                var child = Snippets.configMap(name + "-child", namespace: namespace, labels: ["snippet": "delete"])
                child.metadata?.ownerReferences = [
                    OwnerReference(apiVersion: "v1", kind: "ConfigMap", name: name, uid: parent.metadata?.uid ?? "", blockOwnerDeletion: true)
                ]
                _ = try await configMaps.create(child)
                try await configMaps.delete(name, options: DeleteOptions(propagationPolicy: policy))
                if policy == .foreground, let marked = try? await configMaps.get(name) {
                    print("\(policy.rawValue): owner kept with finalizers \(marked.metadata?.finalizers ?? []) until its dependents are gone")
                }
                let childGone = try await Snippets.eventually(seconds: policy == .orphan ? 2 : 30) {
                    (try? await configMaps.get(name + "-child")) == nil
                }
                let ownerGone = try await Snippets.eventually { (try? await configMaps.get(name)) == nil }
                print("\(policy.rawValue): owner \(ownerGone ? "deleted" : "still there"), dependent \(childGone ? "deleted" : "kept")")
            }
            try await Snippets.cleanUp(configMaps, snippet: "delete")
        }
    }
}

import SkiffClient
import SkiffModels

extension TypedLister {
    /// The object a work-queue key names (`namespace/name`, or `name` for cluster-scoped objects).
    func get(key: String) -> Object? {
        let (namespace, name) = ObjectKey.split(key)
        return self.namespace(namespace ?? "").get(name)
    }
}

/// Bindings (core/v1, create only): the API server writes a Binding POSTed to the `bindings`
/// collection to the pod it names, as `pods/binding` (nothing is stored under this resource).
struct BindingStrategy: ResourceStrategy {}

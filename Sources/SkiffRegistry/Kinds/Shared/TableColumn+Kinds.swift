/// Columns several kinds' tables share.
extension TableColumn {
    /// The wide `CONTAINERS` column of workloads.
    static let containers = TableColumn("Containers", description: "Names of each container in the template.", priority: 1)
    /// The wide `IMAGES` column of workloads.
    static let images = TableColumn("Images", description: "Images referenced by each container in the template.", priority: 1)
    /// The wide `SELECTOR` column of workloads and services.
    static let selector = TableColumn("Selector", priority: 1)
    /// The `READY` column of deployments and stateful sets (`ready/desired`).
    static let readyReplicas = TableColumn("Ready", description: "Number of the pod with ready state")
}

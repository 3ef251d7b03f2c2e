import SkiffAPI

/// Deployments (apps/v1): defaults, validation and the READY/UP-TO-DATE/AVAILABLE columns.
struct DeploymentStrategy: WorkloadStrategy {
    var scalePaths: ScalePaths? { ScalePaths() }
}

import SkiffAPI
import SkiffModels
import SkiffOperator

/// The example's custom resource: a distributed training run of `workers` pods for `epochs`
/// epochs. Its CRD is generated from this type (`trainingjob-operator --print-crd`).
struct TrainingJob: CustomResource {
    static let group = "ml.example.com"
    static let version = "v1"
    static let kind = "TrainingJob"
    static let plural = "trainingjobs"
    static let shortNames = ["tj"]
    static let printerColumns = [
        PrinterColumn(name: "Workers", type: "integer", jsonPath: ".spec.workers"),
        PrinterColumn(name: "Ready", type: "integer", jsonPath: ".status.readyWorkers"),
        PrinterColumn(name: "Epoch", type: "integer", jsonPath: ".status.epochsCompleted"),
        PrinterColumn(name: "Phase", type: "string", jsonPath: ".status.phase"),
        PrinterColumn(name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp"),
    ]
    /// `kubectl scale trainingjob/x --replicas=4` sets the number of workers.
    static let scaleSubresource: ScaleSubresource? = ScaleSubresource(
        specReplicasPath: ".spec.workers", statusReplicasPath: ".status.workers", labelSelectorPath: ".status.selector")

    struct Spec: Codable, Sendable, Equatable {
        /// The image every worker runs.
        var image: String
        /// How many worker pods train together.
        var workers: Int
        /// How many epochs to train for.
        var epochs: Int
        /// How long an epoch takes (the example simulates training); 5 by default.
        var epochSeconds: Int?
    }

    /// Where a run is.
    enum Phase: String, Codable, Sendable, CaseIterable {
        case pending = "Pending"
        case running = "Running"
        case succeeded = "Succeeded"
    }

    struct Status: Codable, Sendable, Equatable {
        var phase: Phase?
        /// Worker pods that exist (the scale subresource's replicas).
        var workers: Int?
        /// Worker pods that are running.
        var readyWorkers: Int?
        var epochsCompleted: Int?
        /// When the last epoch ended (or training started).
        var lastEpochTime: Timestamp?
        /// The label selector of the workers, for the scale subresource.
        var selector: String?
        var conditions: [MetaV1.Condition]?
    }

    var metadata: ObjectMeta?
    var spec: Spec
    var status: Status?
}

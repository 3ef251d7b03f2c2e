import SkiffAPI
import SkiffModels
import SkiffOperator

/// The custom resource of these tests.
struct Widget: CustomResource {
    static let group = "operator.test.skiff.dev"
    static let version = "v1"
    static let kind = "Widget"
    static let plural = "widgets"
    static let shortNames = ["wd"]
    static let printerColumns = [PrinterColumn(name: "Size", type: "integer", jsonPath: ".spec.size")]
    static let scaleSubresource: ScaleSubresource? = ScaleSubresource(specReplicasPath: ".spec.size", statusReplicasPath: ".status.size")

    enum Color: String, Codable, Sendable, CaseIterable {
        case red, blue
    }

    struct Spec: Codable, Sendable, Equatable {
        var size: Int
        var color: Color?
        var tags: [String]?
        var labels: [String: String]?
        var limit: Quantity?
        var ratio: Double?
        var parts: [Part]?
    }

    struct Part: Codable, Sendable, Equatable {
        var name: String
        var count: Int32?
    }

    struct Status: Codable, Sendable, Equatable {
        var size: Int?
        var conditions: [MetaV1.Condition]?
    }

    var metadata: ObjectMeta?
    var spec: Spec
    var status: Status?
}

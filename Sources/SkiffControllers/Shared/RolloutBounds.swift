import SkiffAPI
import SkiffModels

/// How far a rolling update may go above and below the desired replicas (upstream's
/// `ResolveFenceposts`): `maxSurge` rounds up, `maxUnavailable` rounds down, and when both come
/// out zero one pod may be unavailable, since surging might be impossible (quota).
struct RolloutBounds: Hashable {
    var maxSurge: Int
    var maxUnavailable: Int

    /// An int-or-percent field that is neither an integer nor `N%`.
    struct InvalidValue: Error, Hashable, CustomStringConvertible {
        var value: String
        var description: String { "invalid value for IntOrString: \(value)" }
    }

    /// The bounds for `desired` replicas from a `rollingUpdate` strategy's fields (absent → 0).
    init(maxSurge: IntOrString?, maxUnavailable: IntOrString?, desired: Int) throws(InvalidValue) {
        self.maxSurge = try Self.scaled(maxSurge, total: desired, roundUp: true)
        self.maxUnavailable = try Self.scaled(maxUnavailable, total: desired, roundUp: false)
        if self.maxSurge == 0 && self.maxUnavailable == 0 { self.maxUnavailable = 1 }
    }

    /// The bounds of a Deployment: zero for the Recreate strategy, `maxUnavailable` at most the
    /// desired replicas (and zero for none), as upstream's `MaxSurge`/`MaxUnavailable`. Values
    /// validation would reject count as zero, as upstream.
    init(deployment: AppsV1.Deployment) {
        let desired = deployment.specReplicas
        let rolling = deployment.spec?.strategy?.rollingUpdate
        guard deployment.isRollingUpdate,
            let resolved = try? Self(maxSurge: rolling?.maxSurge, maxUnavailable: rolling?.maxUnavailable, desired: desired)
        else {
            maxSurge = 0
            maxUnavailable = 0
            return
        }
        maxSurge = resolved.maxSurge
        maxUnavailable = desired == 0 ? 0 : min(resolved.maxUnavailable, desired)
    }

    /// An int-or-percent value applied to `total` (upstream's `GetScaledValueFromIntOrPercent`).
    static func scaled(_ value: IntOrString?, total: Int, roundUp: Bool) throws(InvalidValue) -> Int {
        switch value {
        case nil:
            return 0
        case .int(let number)?:
            return number
        case .string(let text)?:
            guard text.hasSuffix("%"), let percent = Int(text.dropLast()) else { throw InvalidValue(value: text) }
            let product = percent * total
            return roundUp ? (product + 99) / 100 : product / 100
        }
    }
}

import SkiffAPI
import SkiffModels

/// Upstream's `normalizeDesiredReplicas` and `normalizeDesiredReplicasWithBehaviors`: the
/// calculated replica count stabilized over the recent recommendations (the highest of the
/// scale-down window, and with `behavior` the lowest of the scale-up window), then limited by
/// `minReplicas`, `maxReplicas` and the scaling rate (without `behavior`: at most double or 4;
/// with it, its policies over their periods). Gives the conditions upstream sets on the way.
struct ReplicaNormalizer: Sendable {
    /// The scale-down stabilization window without `behavior` (`--horizontal-pod-autoscaler-downscale-stabilization`).
    var downscaleStabilization: Duration = .seconds(300)

    struct Outcome: Sendable, Equatable {
        var replicas: Int32
        /// `AbleToScale`'s reason and message.
        var ableToScale: (reason: String, message: String)
        /// Whether `ScalingLimited` is true, and its reason and message.
        var limited: (isLimited: Bool, reason: String, message: String)

        static func == (lhs: Outcome, rhs: Outcome) -> Bool {
            lhs.replicas == rhs.replicas && lhs.ableToScale == rhs.ableToScale && lhs.limited == rhs.limited
        }
    }

    static let readyForNewScale = (reason: "ReadyForNewScale", message: "recommended size matches current size")
    static let withinRange = (reason: "DesiredWithinRange", message: "the desired count is within the acceptable range")

    func normalize(_ entry: inout ScalingHistory.Entry, spec: AutoscalingV2.HorizontalPodAutoscalerSpec, current: Int32, desired: Int32,
                   now: Timestamp) -> Outcome {
        let minimum = spec.minReplicas ?? 1
        guard let behavior = spec.behavior else {
            var stabilized = desired
            var old: Int?
            for (index, recommendation) in entry.recommendations.enumerated() {
                if recommendation.at < now.advanced(by: .zero - downscaleStabilization) {
                    old = index
                } else {
                    stabilized = max(stabilized, recommendation.replicas)
                }
            }
            record(&entry, desired, at: now, replacing: old)
            let able = stabilized != desired
                ? (reason: "ScaleDownStabilized", message: "recent recommendations were higher than current one, applying the highest recent recommendation")
                : Self.readyForNewScale
            let upLimit = max(2 * current, 4)
            let (maximum, reason, message) = spec.maxReplicas > upLimit
                ? (upLimit, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
                : (spec.maxReplicas, "TooManyReplicas", "the desired replica count is more than the maximum replica count")
            if stabilized < minimum {
                return Outcome(replicas: minimum, ableToScale: able,
                               limited: (true, "TooFewReplicas", "the desired replica count is less than the minimum replica count"))
            }
            if stabilized > maximum { return Outcome(replicas: maximum, ableToScale: able, limited: (true, reason, message)) }
            return Outcome(replicas: stabilized, ableToScale: able, limited: (false, Self.withinRange.reason, Self.withinRange.message))
        }
        let scaleUp = behavior.scaleUp, scaleDown = behavior.scaleDown
        let upCutoff = now.advanced(by: .seconds(-Int64(scaleUp?.stabilizationWindowSeconds ?? 0)))
        let downCutoff = now.advanced(by: .seconds(-Int64(scaleDown?.stabilizationWindowSeconds ?? 300)))
        var up = desired, down = desired
        var old: Int?
        for (index, recommendation) in entry.recommendations.enumerated() {
            if recommendation.at > upCutoff { up = min(up, recommendation.replicas) }
            if recommendation.at > downCutoff { down = max(down, recommendation.replicas) }
            if recommendation.at < upCutoff && recommendation.at < downCutoff { old = index }
        }
        let stabilized = min(max(current, up), down)
        record(&entry, desired, at: now, replacing: old)
        let able: (reason: String, message: String)
        if stabilized == desired {
            able = Self.readyForNewScale
        } else if desired >= current {
            able = ("ScaleUpStabilized", "recent recommendations were lower than current one, applying the lowest recent recommendation")
        } else {
            able = ("ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation")
        }
        let (replicas, reason, message) = limitRate(stabilized, current: current, minimum: minimum, maximum: spec.maxReplicas,
                                                    scaleUp: scaleUp, scaleDown: scaleDown, entry: entry, now: now)
        return Outcome(replicas: replicas, ableToScale: able, limited: (replicas != stabilized, reason, message))
    }

    /// Records a rescale from `from` to `to` (for the policies' periods).
    static func recordScale(_ entry: inout ScalingHistory.Entry, from: Int32, to: Int32, at now: Timestamp, longestPeriod: Duration) {
        let cutoff = now.advanced(by: .zero - longestPeriod)
        entry.scaleUps.removeAll { $0.at < cutoff }
        entry.scaleDowns.removeAll { $0.at < cutoff }
        if to > from { entry.scaleUps.append(.init(change: to - from, at: now)) }
        if to < from { entry.scaleDowns.append(.init(change: from - to, at: now)) }
    }

    private func record(_ entry: inout ScalingHistory.Entry, _ replicas: Int32, at now: Timestamp, replacing old: Int?) {
        let recommendation = ScalingHistory.Recommendation(replicas: replicas, at: now)
        if let old { entry.recommendations[old] = recommendation } else { entry.recommendations.append(recommendation) }
    }

    /// Upstream's `convertDesiredReplicasWithBehaviorRate`.
    private func limitRate(_ desired: Int32, current: Int32, minimum: Int32, maximum: Int32, scaleUp: AutoscalingV2.HPAScalingRules?,
                           scaleDown: AutoscalingV2.HPAScalingRules?, entry: ScalingHistory.Entry, now: Timestamp) -> (Int32, String, String) {
        if desired > current {
            let limit = max(Self.limit(scaleUp, current: current, entry: entry, now: now, up: true), current)
            let (allowed, reason, message) = maximum > limit
                ? (limit, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
                : (maximum, "TooManyReplicas", "the desired replica count is more than the maximum replica count")
            if desired > allowed { return (allowed, reason, message) }
        } else if desired < current {
            let limit = min(Self.limit(scaleDown, current: current, entry: entry, now: now, up: false), current)
            let (allowed, reason, message) = minimum < limit
                ? (limit, "ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate")
                : (minimum, "TooFewReplicas", "the desired replica count is less than the minimum replica count")
            if desired < allowed { return (allowed, reason, message) }
        }
        return (desired, Self.withinRange.reason, Self.withinRange.message)
    }

    /// The replica count the policies allow at most (scaling up) or at least (scaling down).
    private static func limit(_ rules: AutoscalingV2.HPAScalingRules?, current: Int32, entry: ScalingHistory.Entry, now: Timestamp, up: Bool) -> Int32 {
        let policy = rules?.selectPolicy ?? "Max"
        if policy == "Disabled" { return current }
        let policies = rules?.policies ?? (up ? [.init(periodSeconds: 15, type: "Pods", value: 4), .init(periodSeconds: 15, type: "Percent", value: 100)]
                                                : [.init(periodSeconds: 15, type: "Percent", value: 100)])
        // `Max` picks the policy allowing the biggest change: the highest limit up, the lowest down.
        let takeHighest = (policy == "Min") != up
        var result: Int32 = takeHighest ? .min : .max
        for rule in policies {
            let cutoff = now.advanced(by: .seconds(-Int64(rule.periodSeconds)))
            let added = entry.scaleUps.filter { $0.at > cutoff }.reduce(0) { $0 + $1.change }
            let removed = entry.scaleDowns.filter { $0.at > cutoff }.reduce(0) { $0 + $1.change }
            let start = Double(current - added + removed)
            let proposed: Int32
            switch (rule.type, up) {
            case ("Pods", true): proposed = Int32(start) + rule.value
            case ("Pods", false): proposed = Int32(start) - rule.value
            case (_, true): proposed = Int32((start * (1 + Double(rule.value) / 100)).rounded(.up))
            case (_, false): proposed = Int32(start * (1 - Double(rule.value) / 100))
            }
            result = takeHighest ? max(result, proposed) : min(result, proposed)
        }
        return result
    }
}

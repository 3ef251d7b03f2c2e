import SkiffAPI
import SkiffModels

/// A job's `spec.podFailurePolicy` applied to a failed pod (upstream's
/// `matchPodFailurePolicy`): the first rule whose exit codes (of a terminated container, init
/// containers after the others, exit code 0 never matching) or pod conditions match decides;
/// `FailJob` fails the job with a message naming the match, `Ignore` keeps the failure from
/// counting towards `backoffLimit`, `Count` (and no match) counts it.
enum JobPodFailurePolicy {
    /// What a failed pod means for its job.
    struct Verdict: Hashable {
        /// The job's failure message, when a `FailJob` rule matched.
        var failJobMessage: String?
        /// Whether the failure counts towards `backoffLimit` (and `status.failed`).
        var counts = true
    }

    static func verdict(for pod: CoreV1.Pod, policy: BatchV1.PodFailurePolicy?) -> Verdict {
        guard let rules = policy?.rules else { return Verdict() }
        let subject = "\(pod.namespace)/\(pod.name)"
        for (index, rule) in rules.enumerated() {
            let action = rule.action
            let matched: String?
            if let requirement = rule.onExitCodes {
                matched = matchingContainer(pod, requirement).map { name, code in
                    "Container \(name) for pod \(subject) failed with exit code \(code) matching \(action) rule at index \(index)"
                }
            } else if let patterns = rule.onPodConditions {
                matched = matchingCondition(pod, patterns).map { type in
                    "Pod \(subject) has condition \(type) matching \(action) rule at index \(index)"
                }
            } else {
                matched = nil
            }
            guard let matched else { continue }
            switch action {
            case "Ignore": return Verdict(counts: false)
            case "Count": return Verdict()
            case "FailJob": return Verdict(failJobMessage: matched)
            default: continue
            }
        }
        return Verdict()
    }

    /// The first terminated container (name, exit code) whose non-zero exit code the
    /// requirement's operator accepts.
    private static func matchingContainer(_ pod: CoreV1.Pod, _ requirement: BatchV1.PodFailurePolicyOnExitCodesRequirement) -> (String, Int32)? {
        let statuses = (pod.status?.containerStatuses ?? []) + (pod.status?.initContainerStatuses ?? [])
        for status in statuses {
            guard let code = status.state?.terminated?.exitCode, code != 0 else { continue }
            if let container = requirement.containerName, container != status.name { continue }
            switch requirement.operator {
            case "In" where requirement.values.contains(code): return (status.name, code)
            case "NotIn" where !requirement.values.contains(code): return (status.name, code)
            default: continue
            }
        }
        return nil
    }

    /// The type of the first pod condition a pattern (type and status) matches.
    private static func matchingCondition(_ pod: CoreV1.Pod, _ patterns: [BatchV1.PodFailurePolicyOnPodConditionsPattern]) -> String? {
        for condition in pod.status?.conditions ?? [] {
            for pattern in patterns where pattern.type == condition.type && pattern.status == condition.status {
                return condition.type
            }
        }
        return nil
    }
}

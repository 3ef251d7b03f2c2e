import SkiffAPI

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

    static func verdict(for pod: JSONValue, policy: JSONValue?) -> Verdict {
        guard let rules = policy?["rules"]?.arrayValue else { return Verdict() }
        let subject = "\(pod.namespace ?? "")/\(pod.name ?? "")"
        for (index, rule) in rules.enumerated() {
            let action = rule["action"]?.stringValue ?? ""
            let matched: String?
            if let requirement = rule["onExitCodes"] {
                matched = matchingContainer(pod, requirement).map { name, code in
                    "Container \(name) for pod \(subject) failed with exit code \(code) matching \(action) rule at index \(index)"
                }
            } else if let patterns = rule["onPodConditions"]?.arrayValue {
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
    private static func matchingContainer(_ pod: JSONValue, _ requirement: JSONValue) -> (String, Int64)? {
        let statuses = (pod[path: "status", "containerStatuses"]?.arrayValue ?? [])
            + (pod[path: "status", "initContainerStatuses"]?.arrayValue ?? [])
        let values = (requirement["values"]?.arrayValue ?? []).compactMap(\.intValue)
        for status in statuses {
            guard let code = status[path: "state", "terminated", "exitCode"]?.intValue, code != 0,
                let name = status["name"]?.stringValue
            else { continue }
            if let container = requirement["containerName"]?.stringValue, container != name { continue }
            switch requirement["operator"]?.stringValue {
            case "In" where values.contains(code): return (name, code)
            case "NotIn" where !values.contains(code): return (name, code)
            default: continue
            }
        }
        return nil
    }

    /// The type of the first pod condition a pattern (type and status) matches.
    private static func matchingCondition(_ pod: JSONValue, _ patterns: [JSONValue]) -> String? {
        for condition in pod[path: "status", "conditions"]?.arrayValue ?? [] {
            for pattern in patterns where pattern["type"] == condition["type"]
                && (pattern["status"]?.stringValue ?? "True") == condition["status"]?.stringValue {
                return condition["type"]?.stringValue
            }
        }
        return nil
    }
}

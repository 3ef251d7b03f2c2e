import SkiffAPI
import SkiffRegistry
import Synchronization

/// Labels every object it admits `admitted-by=<user>`, and remembers what it saw.
final class LabellingPlugin: MutatingAdmissionPlugin {
    var name: String { "TestLabelling" }
    let seen = Mutex<[AdmissionAttributes]>([])

    func handles(_ operation: AdmissionAttributes.Operation) -> Bool { operation == .create || operation == .update }

    func admit(_ attributes: inout AdmissionAttributes) async throws {
        seen.withLock { $0.append(attributes) }
        attributes.object?[path: "metadata", "labels", "admitted-by"] = .string(attributes.userInfo.name)
    }
}

/// Refuses objects labelled `deny=yes` with a plain error (which becomes `403`), and objects
/// labelled `deny=invalid` with its own `422` Status; remembers what it saw.
final class DenyingPlugin: ValidatingAdmissionPlugin {
    var name: String { "TestDenying" }
    let seen = Mutex<[AdmissionAttributes]>([])

    struct Refusal: Error, CustomStringConvertible {
        var description: String { "objects labelled deny=yes are not welcome" }
    }

    func validate(_ attributes: AdmissionAttributes) async throws {
        seen.withLock { $0.append(attributes) }
        switch attributes.object?.labels["deny"] {
        case "yes": throw Refusal()
        case "invalid":
            throw APIError.invalid(kind: attributes.kind.groupKind, name: attributes.name, errors: [.forbidden("metadata.labels", "deny=invalid")])
        default: return
        }
    }
}

/// Holds creates of objects named `held` until `release()`, so a test can keep a request in flight.
final class GatePlugin: MutatingAdmissionPlugin {
    var name: String { "TestGate" }
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))
    /// How many requests reached the gate.
    let arrived = Atomic<Int>(0)

    func handles(_ operation: AdmissionAttributes.Operation) -> Bool { operation == .create }

    func admit(_ attributes: inout AdmissionAttributes) async throws {
        guard attributes.name == "held" else { return }
        arrived.add(1, ordering: .relaxed)
        await withCheckedContinuation { continuation in
            let open = state.withLock { state in
                if !state.open { state.waiters.append(continuation) }
                return state.open
            }
            if open { continuation.resume() }
        }
    }

    func release() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }
}

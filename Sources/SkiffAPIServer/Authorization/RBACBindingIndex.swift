import SkiffAPI

/// Role bindings (or cluster role bindings) indexed by the users and groups they name, so a
/// request looks at the bindings of its own user and groups only instead of walking them all.
struct RBACBindingIndex: Sendable {
    /// The bindings of one namespace (`""` for cluster role bindings).
    private struct Namespace {
        var bindings: [String: RBACBinding] = [:]
        /// The names of the bindings naming each subject.
        var names: [RBACBinding.SubjectKey: Set<String>] = [:]
    }

    private var namespaces: [String: Namespace] = [:]

    init() {}

    /// An index of `bindings`.
    init(_ bindings: some Sequence<RBACBinding>) {
        for binding in bindings { insert(binding) }
    }

    /// Adds `binding`, or replaces the one of the same namespace and name (its subjects may have
    /// changed).
    mutating func insert(_ binding: RBACBinding) {
        remove(namespace: binding.namespace, name: binding.name)
        namespaces[binding.namespace, default: Namespace()].bindings[binding.name] = binding
        for key in binding.subjectKeys {
            namespaces[binding.namespace, default: Namespace()].names[key, default: []].insert(binding.name)
        }
    }

    /// Removes the binding `namespace/name`, if held.
    mutating func remove(namespace: String, name: String) {
        guard var entry = namespaces[namespace], let old = entry.bindings.removeValue(forKey: name) else { return }
        for key in old.subjectKeys {
            entry.names[key]?.remove(name)
            if entry.names[key]?.isEmpty == true { entry.names[key] = nil }
        }
        namespaces[namespace] = entry.bindings.isEmpty ? nil : entry
    }

    /// The bindings of `namespace` that name `user`, one of its groups or its service account,
    /// sorted by name (the order the watch cache lists them in, which upstream's reasons follow).
    func bindings(naming user: UserInfo, in namespace: String) -> [RBACBinding] {
        guard let entry = namespaces[namespace] else { return [] }
        var names = entry.names[.user(user.name)] ?? []
        for group in user.groups { names.formUnion(entry.names[.group(group)] ?? []) }
        return names.sorted().compactMap { entry.bindings[$0] }
    }
}

extension RBACBinding {
    /// What a subject is found by: a user name (a `ServiceAccount` subject by its user name,
    /// `system:serviceaccount:NAMESPACE:NAME`) or a group name.
    enum SubjectKey: Hashable, Sendable {
        case user(String)
        case group(String)
    }

    /// The key of `subject`; nil for a kind that names nobody.
    func key(of subject: Subject) -> SubjectKey? {
        switch subject.kind {
        case "User": return .user(subject.name)
        case "Group": return .group(subject.name)
        case "ServiceAccount":
            let namespace = subject.namespace.isEmpty ? self.namespace : subject.namespace
            return .user(UserInfo.serviceAccountPrefix + namespace + ":" + subject.name)
        default: return nil
        }
    }

    /// The keys of every subject.
    var subjectKeys: Set<SubjectKey> { Set(subjects.compactMap(key(of:))) }
}

/// The flags every operator built on the SDK takes (what `OperatorMain.run` parses), so that a
/// scaffolded operator needs no argument parser of its own.
public struct OperatorCommandLine: Sendable, Equatable {
    /// `--kubeconfig PATH`: the kubeconfig (default: `KUBECONFIG`, then `~/.kube/config`).
    public var kubeconfig: String?
    /// `--context NAME`: the kubeconfig context (default: its current context).
    public var context: String?
    /// `--namespace NAME`: watch one namespace (default: all).
    public var namespace: String?
    /// `--print-crd`: print the CustomResourceDefinitions (YAML) and exit.
    public var printCRD = false
    /// `--install-crd`: create or update the CustomResourceDefinitions before starting.
    public var installCRD = false
    /// `--leader-elect`: run only while holding the operator's Lease.
    public var leaderElect = false
    /// `--leader-elect-namespace NAME`: the Lease's namespace (`default`).
    public var leaderElectNamespace = "default"
    /// `--help`.
    public var help = false

    public static let usage = """
        Flags:
          --kubeconfig PATH              the kubeconfig (default: KUBECONFIG, then ~/.kube/config)
          --context NAME                 the kubeconfig context (default: its current context)
          --namespace NAME               watch only this namespace (default: all namespaces)
          --print-crd                    print the CustomResourceDefinitions (YAML) and exit
          --install-crd                  create or update the CustomResourceDefinitions, then run
          --leader-elect                 run only while holding a Lease (several replicas)
          --leader-elect-namespace NAME  the Lease's namespace (default: default)
        """

    /// An argument the operator does not know, or a flag without its value.
    public struct UsageError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { "\(message)\n\(OperatorCommandLine.usage)" }
    }

    public init() {}

    /// Parses `arguments` (without the program name); `--flag=value` and `--flag value` both work.
    public init(arguments: [String]) throws(UsageError) {
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            let flag = parts[0]
            func value() throws(UsageError) -> String {
                if parts.count == 2 { return parts[1] }
                guard let next = remaining.popFirst() else { throw UsageError(message: "\(flag) needs a value") }
                return next
            }
            switch flag {
            case "--kubeconfig": kubeconfig = try value()
            case "--context": context = try value()
            case "--namespace": namespace = try value()
            case "--leader-elect-namespace": leaderElectNamespace = try value()
            case "--print-crd": printCRD = true
            case "--install-crd": installCRD = true
            case "--leader-elect": leaderElect = true
            case "--help", "-h": help = true
            default: throw UsageError(message: "unknown argument \(argument)")
            }
        }
    }
}

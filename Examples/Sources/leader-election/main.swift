import ArgumentParser
import ExampleSupport
import Logging
import SkiffAPI
import SkiffClient

/// client-go's leader-election example: every copy contends for one Lease; the holder runs the
/// "controller loop" while the others wait. SIGTERM or SIGINT makes the leader release the lease
/// (`releaseOnCancel`), so another copy takes over within a retry period instead of waiting for
/// the lease to expire. Run two copies with different `--id`s and stop the leader.
@main
struct LeaderElectionExample: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "leader-election", abstract: "Contend for a Lease; lead until stopped.")

    @OptionGroup var client: ClientOptions

    @Option(help: "The holder identity name.")
    var id: String

    @Option(help: "The lease lock resource name.")
    var leaseLockName = "example"

    @Option(help: "The lease lock resource namespace.")
    var leaseLockNamespace = "default"

    func run() async throws {
        let id = self.id
        var configuredElection = LeaderElector<SystemClock>.Configuration(namespace: leaseLockNamespace, name: leaseLockName, identity: id)
        configuredElection.releaseOnCancel = true
        let election = configuredElection
        let callbacks = LeaderElector<SystemClock>.Callbacks(
            onStartedLeading: {
                // The leader's work: here a loop that only says it runs, until leading ends.
                while !Task.isCancelled {
                    say("\(id): Controller loop...")
                    try? await Task.sleep(for: .seconds(5))
                }
            },
            onStoppedLeading: { say("leader lost: \(id)") },
            onNewLeader: { identity in
                say(identity == id ? "\(id): still the leader!" : "new leader elected: \(identity)")
            })
        let configuration = try client.configuration()
        try await untilSignalled {
            try await withClient(configuration) { client in
                let elector = LeaderElector(
                    configuration: election, callbacks: callbacks, client: client.dynamic, clock: SystemClock(),
                    logger: Logger(label: "leader-election"))
                await elector.run()
            }
        }
    }
}

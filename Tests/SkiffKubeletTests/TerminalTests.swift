import Foundation
import Testing

@testable import SkiffKubelet

/// TTY sessions: the client's resize messages and the kubelet's pseudo-terminals.
struct TerminalTests {
    @Test func resizeMessagesCarryWidthAndHeight() {
        #expect(TerminalSize(resizeMessage: Array(#"{"Width":101,"Height":33}"#.utf8)) == TerminalSize(width: 101, height: 33))
        #expect(TerminalSize(resizeMessage: Array(#"{"Height":0,"Width":0}"#.utf8)) == TerminalSize(width: 0, height: 0))
    }

    @Test func malformedResizeMessagesAreIgnored() {
        for message in ["", "80x24", #"{"Width":80}"#, #"{"Width":-1,"Height":24}"#, #"{"Width":70000,"Height":24}"#, #"{"Width":"80","Height":24}"#] {
            #expect(TerminalSize(resizeMessage: Array(message.utf8)) == nil, "\(message)")
        }
    }

    @Test func aCommandOnThePseudoTerminalSeesATerminalOfTheSizeSet() async throws {
        let sizes = AsyncStream<TerminalSize> { $0.yield(TerminalSize(width: 101, height: 33)) }
        let collected = Collected()
        let streams = ExecStreams(command: [], tty: true, resize: sizes) { stream, bytes in await collected.add(stream, bytes) }
        // The command waits until the size has been set (the new terminal's is 0 0).
        let script = #"until [ "$(stty size)" != "0 0" ]; do sleep 0.01; done; test -t 0 && test -t 1 && stty size; exit 4"#
        let code = try await ExecProcess.run(["sh", "-c", script], streams)
        #expect(code == 4)
        #expect(String(decoding: await collected.bytes, as: UTF8.self) == "33 101\r\n")
        #expect(await collected.streams == [.stdout])
    }
}

/// The output a test's exec produced, and on which streams.
private actor Collected {
    var bytes: [UInt8] = []
    var streams: Set<ExecStreams.Output> = []

    func add(_ stream: ExecStreams.Output, _ more: [UInt8]) {
        streams.insert(stream)
        bytes += more
    }
}

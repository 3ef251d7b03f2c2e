/// Why a pod's ephemeral volume has no claim, in upstream's words.
struct EphemeralVolumeError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

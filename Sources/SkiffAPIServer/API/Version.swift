import SkiffAPI

/// `/version`: the Kubernetes API level Skiff implements, in upstream's format. kubectl's version
/// dispatcher picks its release from `gitVersion`, so it carries the upstream version.
enum Version {
    static let major = "1"
    static let minor = "32"
    static let gitVersion = "v1.32.4-skiff"

    static var info: JSONValue {
        ["major": .string(major), "minor": .string(minor), "gitVersion": .string(gitVersion),
         "gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "clean",
         "buildDate": "2026-11-25T00:00:00Z", "goVersion": "swift6.3", "compiler": "swiftc", "platform": "linux/amd64"]
    }
}

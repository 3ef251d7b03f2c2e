import SkiffAPI

/// ServiceAccounts: `SECRETS` counts referenced secrets; deletes return the object.
struct ServiceAccountStrategy: ResourceStrategy {
    var returnsDeletedObject: Bool { true }
}

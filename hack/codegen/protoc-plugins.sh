#!/usr/bin/env bash
# Sourced by the *-proto.sh generators: sets PLUGINS to a directory holding protoc-gen-swift and
# protoc-gen-grpc-swift-2, built once in a scratch package from the versions Package.swift uses
# (swift-protobuf 1.39.0, grpc-swift-protobuf 2.4.1), unless PLUGINS is already set.
if [ -z "${PLUGINS:-}" ]; then
    scratch=${SCRATCH:-/tmp/skiff-protoc-plugins}
    mkdir -p "$scratch"
    cat >"$scratch/Package.swift" <<'SWIFT'
// swift-tools-version:6.1
import PackageDescription
let package = Package(
    name: "plugins",
    dependencies: [
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0"),
    ],
    targets: []
)
SWIFT
    (cd "$scratch" && swift build -c release --product protoc-gen-swift && swift build -c release --product protoc-gen-grpc-swift-2)
    PLUGINS=$scratch/.build/release
fi

# Runs protoc with both plugins: client code only, internal visibility.
# Usage: generate_swift PROTO_DIR OUT_DIR FILE.proto...
generate_swift() {
    local protos=$1 out=$2
    shift 2
    rm -rf "$out"
    mkdir -p "$out"
    protoc -I "$protos" \
        --plugin=protoc-gen-swift="$PLUGINS/protoc-gen-swift" \
        --plugin=protoc-gen-grpc-swift="$PLUGINS/protoc-gen-grpc-swift-2" \
        --swift_opt=Visibility=Internal --swift_out="$out" \
        --grpc-swift_opt=Visibility=Internal,Server=false --grpc-swift_out="$out" \
        "$@"
    echo "generated:"; find "$out" -name '*.swift' | sort
}

#!/usr/bin/env bash
# Regenerates Sources/SkiffEtcd/Generated/ from the trimmed etcd v3 .proto files in
# hack/codegen/etcd-proto/ (the KV and Watch services; field numbers as etcd's api/etcdserverpb and
# api/mvccpb). Needs protoc (Debian's protobuf-compiler) and the two Swift plugins, built once from
# the package versions Package.swift uses (swift-protobuf 1.39.0, grpc-swift-protobuf 2.4.1):
#
#   hack/codegen/etcd-proto.sh            builds the plugins in a scratch package, then generates
#   PLUGINS=DIR hack/codegen/etcd-proto.sh  uses protoc-gen-swift and protoc-gen-grpc-swift-2 from DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
protos=$repo/hack/codegen/etcd-proto
out=$repo/Sources/SkiffEtcd/Generated

if [ -z "${PLUGINS:-}" ]; then
    scratch=${SCRATCH:-/tmp/skiff-etcd-protoc-plugins}
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

rm -rf "$out"
mkdir -p "$out"
protoc -I "$protos" \
    --plugin=protoc-gen-swift="$PLUGINS/protoc-gen-swift" \
    --plugin=protoc-gen-grpc-swift="$PLUGINS/protoc-gen-grpc-swift-2" \
    --swift_opt=Visibility=Internal --swift_out="$out" \
    --grpc-swift_opt=Visibility=Internal,Server=false --grpc-swift_out="$out" \
    mvccpb/kv.proto etcdserverpb/rpc.proto
echo "generated:"; find "$out" -name '*.swift' | sort

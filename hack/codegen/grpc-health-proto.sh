#!/usr/bin/env bash
# Regenerates Sources/SkiffKubelet/Probes/Generated/ (the client of gRPC's health checking protocol,
# which grpc probes call) from hack/codegen/grpc-health-proto/grpc/health/v1/health.proto.
# Needs protoc (Debian's protobuf-compiler) and the two Swift plugins (see protoc-plugins.sh):
#
#   hack/codegen/grpc-health-proto.sh            builds the plugins in a scratch package, then generates
#   PLUGINS=DIR hack/codegen/grpc-health-proto.sh  uses protoc-gen-swift and protoc-gen-grpc-swift-2 from DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
. hack/codegen/protoc-plugins.sh
generate_swift "$PWD/hack/codegen/grpc-health-proto" "$PWD/Sources/SkiffKubelet/Probes/Generated" grpc/health/v1/health.proto

#!/usr/bin/env bash
# Runs the serving module's GPU path and CPU path on the same ONNX model and reports both, with the largest output
# difference. Needs an NVIDIA GPU with CUDA 12 and cuDNN 9 (ONNX Runtime's CUDA provider); the gpu profile puts
# onnxruntime_gpu on the class path instead of the CPU build. Exit status 2 means no GPU path was available.
#   benchmarks/gpu/gpu-check.sh [batches] [batch-size]
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -Pgpu -pl benchmarks -am package -DskipTests
exec java -Dai.djl.offline=true -Dai.djl.onnx.disable_alternative=true \
    -cp benchmarks/target/benchmarks.jar dev.mlops.benchmarks.GpuCheck "$@"

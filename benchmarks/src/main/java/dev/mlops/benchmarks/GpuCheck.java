package dev.mlops.benchmarks;

import dev.mlops.registry.ModelPackage;
import dev.mlops.serving.DeviceChoice;
import dev.mlops.serving.ModelEngine;
import dev.mlops.serving.Predictor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Runs the serving module's GPU path and CPU path on the same ONNX model and rows, and reports the latency of each
 * and the largest difference between their outputs. Start it with {@code benchmarks/gpu/gpu-check.sh} on a machine
 * with an NVIDIA GPU, CUDA 12 and cuDNN 9; it exits with status 2 when no GPU path is available.
 */
public final class GpuCheck {
    private GpuCheck() {
    }

    /**
     * Runs the check.
     *
     * @param args optionally the number of batches (default 2000) and the batch size (default 64)
     * @throws IOException if the temporary model cannot be written
     */
    public static void main(String[] args) throws IOException {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        PrintStream out = System.out;
        Path dir = Files.createTempDirectory("gpu-check");
        ModelPackage pkg = ServingModels.logistic30(dir.resolve("pkg"));
        float[][] rows = ServingModels.rows(size, 17);
        float[][] cpuOut;
        double cpuMicros;
        try (Predictor cpu = Predictor.builder().modelPackage(pkg).engine(ModelEngine.ONNX).device(DeviceChoice.CPU)
                .build()) {
            cpuOut = cpu.predictDense(rows);
            cpuMicros = time(cpu, rows, batches);
        }
        out.printf(Locale.ROOT, "cpu: %.1f us per batch of %d (%d batches)%n", cpuMicros, size, batches);
        try (Predictor gpu = Predictor.builder().modelPackage(pkg).engine(ModelEngine.ONNX).device(DeviceChoice.GPU)
                .build()) {
            float[][] gpuOut = gpu.predictDense(rows);
            double gpuMicros = time(gpu, rows, batches);
            double maxDiff = 0;
            for (int r = 0; r < rows.length; r++) {
                for (int k = 0; k < cpuOut[r].length; k++) {
                    maxDiff = Math.max(maxDiff, Math.abs(cpuOut[r][k] - gpuOut[r][k]));
                }
            }
            out.printf(Locale.ROOT, "gpu: %.1f us per batch of %d on %s; largest output difference to cpu %.2e%n",
                    gpuMicros, size, gpu.info().device(), maxDiff);
        } catch (RuntimeException e) {
            out.println("gpu: not available: " + e.getMessage());
            System.exit(2);
        }
    }

    private static double time(Predictor p, float[][] rows, int batches) {
        for (int i = 0; i < Math.min(200, batches); i++) {
            p.predictDense(rows);
        }
        long start = System.nanoTime();
        for (int i = 0; i < batches; i++) {
            p.predictDense(rows);
        }
        return (System.nanoTime() - start) / 1e3 / batches;
    }
}

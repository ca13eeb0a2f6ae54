package dev.mlops.serving.internal;

import dev.mlops.api.Signature;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model ready to run, with a reference count: the predictor's slot holds one reference, every in-flight call one
 * more, and the runner closes when the last is released. So a swap never closes a model under a running request.
 */
public final class LoadedModel {
    private final String name;
    private final long version;
    private final String packageDigest;
    private final Signature signature;
    private final ModelRunner runner;
    private final RowChecker checker;
    private final AtomicInteger refs = new AtomicInteger(1);

    /**
     * Wraps a runner; the caller holds the first reference.
     *
     * @param name the model's name
     * @param version its version (0 for a bare package)
     * @param packageDigest the package's digest
     * @param signature the signature
     * @param runner the runner
     */
    public LoadedModel(String name, long version, String packageDigest, Signature signature, ModelRunner runner) {
        this.name = name;
        this.version = version;
        this.packageDigest = packageDigest;
        this.signature = signature;
        this.runner = runner;
        this.checker = new RowChecker(signature, runner.inputs());
    }

    /**
     * Takes a reference unless the model is already closed.
     *
     * @return true if the caller now holds a reference and must release it
     */
    public boolean acquire() {
        while (true) {
            int r = refs.get();
            if (r == 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    /** Gives a reference back; the last one closes the runner. */
    public void release() {
        if (refs.decrementAndGet() == 0) {
            runner.close();
        }
    }

    /**
     * Returns the live reference count, for tests.
     *
     * @return references held
     */
    public int references() {
        return refs.get();
    }

    public String name() {
        return name;
    }

    public long version() {
        return version;
    }

    public String packageDigest() {
        return packageDigest;
    }

    public Signature signature() {
        return signature;
    }

    public ModelRunner runner() {
        return runner;
    }

    public RowChecker checker() {
        return checker;
    }
}

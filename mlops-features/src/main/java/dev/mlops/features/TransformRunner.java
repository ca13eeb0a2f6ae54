package dev.mlops.features;

import dev.mlops.api.DataType;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.MlopsException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs one on-demand transform over rows held as arrays; one runner per call site, not thread-safe. */
final class TransformRunner implements OnDemandTransform.Inputs, OnDemandTransform.Outputs {
    private final OnDemandTransform transform;
    private final String[] inputNames;
    private final Map<String, Integer> inputIndex = new HashMap<>();
    private final List<Feature> outputs;
    private final Map<String, Integer> outputIndex = new HashMap<>();
    private Object[] in;
    private Object[] out;

    TransformRunner(OnDemandTransform transform) {
        if (!transform.hasFunction()) {
            throw new IllegalStateException("on-demand transform '" + transform.name() + "' (version "
                    + transform.version() + ") has no function in this process; apply it with its function first");
        }
        this.transform = transform;
        int n = transform.inputs().size() + transform.requestFields().size();
        inputNames = new String[n];
        int i = 0;
        for (FeatureRef r : transform.inputs()) {
            inputNames[i] = r.feature();
            inputIndex.put(r.feature(), i++);
        }
        for (Feature f : transform.requestFields()) {
            inputNames[i] = f.name();
            inputIndex.put(f.name(), i++);
        }
        outputs = transform.outputs();
        for (int o = 0; o < outputs.size(); o++) {
            outputIndex.put(outputs.get(o).name(), o);
        }
    }

    int inputCount() {
        return inputNames.length;
    }

    String inputName(int i) {
        return inputNames[i];
    }

    /** Runs the function; the result array is fresh for every call. */
    Object[] run(Object[] inputs, String where) {
        this.in = inputs;
        this.out = new Object[outputs.size()];
        try {
            transform.function().apply(this, this);
        } catch (MlopsException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidArgumentException("on-demand transform '" + transform.name() + "' failed on " + where + ": "
                    + e, e);
        } finally {
            this.in = null;
        }
        Object[] result = out;
        out = null;
        return result;
    }

    @Override
    public Object get(String input) {
        Integer i = inputIndex.get(input);
        if (i == null) {
            throw new InvalidArgumentException("on-demand transform '" + transform.name() + "' has no input '" + input
                    + "'; it declares " + List.of(inputNames));
        }
        return in[i];
    }

    @Override
    public void set(String output, Object value) {
        Integer o = outputIndex.get(output);
        if (o == null) {
            throw new InvalidArgumentException("on-demand transform '" + transform.name() + "' has no output '" + output
                    + "'; it declares " + outputs);
        }
        out[o] = coerce(outputs.get(o), value);
    }

    private Object coerce(Feature f, Object value) {
        if (value == null) {
            return null;
        }
        DataType t = f.type();
        Object v = switch (t) {
            case DOUBLE -> value instanceof Number n ? (Object) n.doubleValue() : null;
            case LONG -> value instanceof Long || value instanceof Integer || value instanceof Short
                    || value instanceof Byte ? (Object) ((Number) value).longValue() : null;
            case BOOLEAN -> value instanceof Boolean ? value : null;
            case STRING -> value instanceof String ? value : null;
            case TIMESTAMP -> value instanceof Instant ? value : null;
        };
        if (v == null) {
            throw new InvalidArgumentException("on-demand transform '" + transform.name() + "' set output '" + f.name()
                    + "' (" + t.jsonName() + ") to " + value.getClass().getSimpleName() + " value '" + value + "'");
        }
        return v;
    }
}

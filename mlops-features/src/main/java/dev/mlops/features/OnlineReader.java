package dev.mlops.features;

import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.features.internal.EntityKeys;
import java.util.List;
import java.util.Map;

/** Reads a service's features for a list of entities from the online store and judges their freshness. */
final class OnlineReader {
    private final Context ctx;
    private final java.util.function.Function<String, ServicePlan> resolve;

    OnlineReader(Context ctx, Catalog catalog) {
        this.ctx = ctx;
        this.resolve = catalog::plan;
    }

    /** Entity rows, however the caller holds them. */
    interface Rows {
        int size();

        Object get(int row, String column);

        String describe(int row);
    }

    static Rows of(List<? extends Map<String, ?>> maps) {
        return new Rows() {
            @Override
            public int size() {
                return maps.size();
            }

            @Override
            public Object get(int row, String column) {
                return maps.get(row).get(column);
            }

            @Override
            public String describe(int row) {
                return "entity row " + row;
            }
        };
    }

    static Rows of(Frame frame) {
        return new Rows() {
            @Override
            public int size() {
                return frame.rowCount();
            }

            @Override
            public Object get(int row, String column) {
                return frame.schema().contains(column) ? frame.column(column).get(row) : null;
            }

            @Override
            public String describe(int row) {
                return "entity row " + row;
            }
        };
    }

    OnlineResult read(String service, Rows rows) {
        ServicePlan plan = ctx.plans.get(service, resolve);
        int n = rows.size();
        int views = plan.views().size();
        // Flat arrays, entity-major: one allocation each, whatever the number of entities.
        OnlineRow[] found = new OnlineRow[n * views];
        boolean[] expired = new boolean[n * views];
        long now = ctx.nowMicros();
        for (int vi = 0; vi < views; vi++) {
            ServicePlan.ViewPlan v = plan.views().get(vi);
            List<Field> keys = v.entity().joinKeys();
            String[] encoded = new String[n];
            Object[] keyValues = new Object[keys.size()];
            for (int r = 0; r < n; r++) {
                for (int k = 0; k < keyValues.length; k++) {
                    keyValues[k] = rows.get(r, keys.get(k).name());
                }
                int row = r;
                encoded[r] = EntityKeys.encode(keys, keyValues, () -> rows.describe(row));
            }
            List<OnlineRow> read = ctx.online.read(v.view().name(), v.features(), java.util.Arrays.asList(encoded));
            long ttl = v.layout().ttlMicros();
            for (int r = 0; r < n; r++) {
                OnlineRow row = read.get(r);
                found[r * views + vi] = row;
                if (row != null && ttl != Long.MAX_VALUE) {
                    long et = row.eventMicros();
                    // The age is computed without overflow: a row from the future has a negative age and is fresh.
                    expired[r * views + vi] = now > et && (now - et < 0 || now - et > ttl);
                }
            }
        }
        Object[][] computed = null;
        if (!plan.transforms().isEmpty()) {
            int width = 0;
            for (OnDemandTransform t : plan.transforms()) {
                width += t.outputs().size();
            }
            computed = new Object[n][width];
            int first = 0;
            for (int t = 0; t < plan.transforms().size(); t++) {
                OnDemandTransform tr = plan.transforms().get(t);
                int[] inputs = plan.transformInputs().get(t);
                TransformRunner runner = new TransformRunner(tr);
                for (int r = 0; r < n; r++) {
                    Object[] in = new Object[inputs.length];
                    for (int i = 0; i < inputs.length; i++) {
                        if (inputs[i] >= 0) {
                            int at = r * views + plan.columnView()[inputs[i]];
                            OnlineRow row = found[at];
                            in[i] = row == null || expired[at] ? null : row.value(plan.columnIndex()[inputs[i]]);
                        } else {
                            Feature rf = tr.requestFields().get(i - tr.inputs().size());
                            in[i] = requestValue(rows, r, rf, tr);
                        }
                    }
                    Object[] out = runner.run(in, rows.describe(r));
                    System.arraycopy(out, 0, computed[r], first, out.length);
                }
                first += tr.outputs().size();
            }
        }
        return new OnlineResult(plan, n, found, expired, computed);
    }

    private static Object requestValue(Rows rows, int r, Feature rf, OnDemandTransform tr) {
        Object v = rows.get(r, rf.name());
        if (v == null) {
            return null;
        }
        DataType t = rf.type();
        if (t == DataType.DOUBLE && v instanceof Number num) {
            return num.doubleValue();
        }
        if (t == DataType.LONG && (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte)) {
            return ((Number) v).longValue();
        }
        if (OnlineValues.fits(t, v)) {
            return v;
        }
        throw new InvalidArgumentException(rows.describe(r) + " has " + v.getClass().getSimpleName() + " value '" + v
                + "' for request field '" + rf.name() + "' of on-demand transform '" + tr.name() + "', which is "
                + t.jsonName());
    }
}

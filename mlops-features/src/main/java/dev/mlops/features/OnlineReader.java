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
    private final Catalog catalog;

    OnlineReader(Context ctx, Catalog catalog) {
        this.ctx = ctx;
        this.catalog = catalog;
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
        ServicePlan plan = ctx.plans.get(service, catalog::plan);
        int n = rows.size();
        int width = plan.outputs().size();
        Object[][] values = new Object[n][width];
        FeatureStatus[][] statuses = new FeatureStatus[n][width];
        long[][] eventTimes = new long[n][plan.views().size()];
        long now = ctx.nowMicros();
        for (int vi = 0; vi < plan.views().size(); vi++) {
            ServicePlan.ViewPlan v = plan.views().get(vi);
            List<Field> keys = v.entity().joinKeys();
            String[] encoded = new String[n];
            Object[] keyValues = new Object[keys.size()];
            for (int r = 0; r < n; r++) {
                for (int k = 0; k < keyValues.length; k++) {
                    keyValues[k] = rows.get(r, keys.get(k).name());
                }
                encoded[r] = EntityKeys.encode(keys, keyValues, rows.describe(r));
            }
            List<OnlineRow> found = ctx.online.read(v.view().name(), v.features(), java.util.Arrays.asList(encoded));
            long ttl = v.layout().ttlMicros();
            int[] cols = v.columns();
            for (int r = 0; r < n; r++) {
                OnlineRow row = found.get(r);
                if (row == null) {
                    for (int col : cols) {
                        statuses[r][col] = FeatureStatus.MISSING;
                    }
                    eventTimes[r][vi] = Long.MIN_VALUE;
                    continue;
                }
                long et = row.eventMicros();
                eventTimes[r][vi] = et;
                // The age is computed without overflow: a row from the future has age below zero and is fresh.
                boolean expired = ttl != Long.MAX_VALUE && now > et && (now - et < 0 || now - et > ttl);
                for (int i = 0; i < cols.length; i++) {
                    int col = cols[i];
                    if (expired) {
                        statuses[r][col] = FeatureStatus.EXPIRED;
                    } else {
                        Object value = row.value(i);
                        values[r][col] = value;
                        statuses[r][col] = value == null ? FeatureStatus.NULL_VALUE : FeatureStatus.PRESENT;
                    }
                }
            }
        }
        for (int t = 0; t < plan.transforms().size(); t++) {
            OnDemandTransform tr = plan.transforms().get(t);
            int[] inputs = plan.transformInputs().get(t);
            TransformRunner runner = new TransformRunner(tr);
            int first = width - outputsFrom(plan, t);
            for (int r = 0; r < n; r++) {
                Object[] in = new Object[inputs.length];
                for (int i = 0; i < inputs.length; i++) {
                    if (inputs[i] >= 0) {
                        in[i] = values[r][inputs[i]];
                    } else {
                        Feature rf = tr.requestFields().get(i - tr.inputs().size());
                        in[i] = requestValue(rows, r, rf, tr);
                    }
                }
                Object[] out = runner.run(in, rows.describe(r));
                for (int k = 0; k < out.length; k++) {
                    values[r][first + k] = out[k];
                    statuses[r][first + k] = out[k] == null ? FeatureStatus.NULL_VALUE : FeatureStatus.PRESENT;
                }
            }
        }
        return new OnlineResult(plan.service().name(), plan.service().version(), plan.outputs(), plan.outputIndex(),
                values, statuses, eventTimes, plan.columnView());
    }

    /** The number of output columns from transform {@code t} to the end. */
    private static int outputsFrom(ServicePlan plan, int t) {
        int count = 0;
        for (int i = t; i < plan.transforms().size(); i++) {
            count += plan.transforms().get(i).outputs().size();
        }
        return count;
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

package dev.mlops.features.internal;

import dev.mlops.api.Field;
import java.util.List;

/**
 * Writes the point-in-time join: for each entity row (keys, time {@code t}) and each view, the row with the latest
 * event time {@code <= t} (ties broken by the latest created time), or in "as known at" mode the latest among rows
 * whose event and created times are both {@code <= t}; a row older than the view's TTL counts as absent.
 *
 * <p>The join is DuckDB's {@code ASOF JOIN} on a single ordered key per row, {@code event * 2^64 + created + 2^63},
 * which makes the tie-break part of the ordering instead of a separate de-duplication pass. "As known at" orders
 * rows by the time they became known ({@code max(event, created)}), carries the best key seen so far along that
 * order, and joins back to fetch the row it names.
 */
public final class PointInTimeSql {
    private static final String TWO_64 = "18446744073709551616::HUGEINT";

    /**
     * The features wanted from one view.
     *
     * @param layout the view
     * @param features the features, a subset of the view's
     */
    public record ViewPart(ViewLayout layout, List<Field> features) {
    }

    private PointInTimeSql() {
    }

    /**
     * Builds the query. Its columns are the entity row number, the pass-through columns, then for each view its
     * features and, when asked, its event time (epoch microseconds, null when absent).
     *
     * @param store the offline store, which knows each view's rows
     * @param entityRelation a relation with {@link OfflineStore#ROW}, the join key columns and {@code __mlops_t} (epoch
     *     microseconds)
     * @param passthrough entity columns to return, with their types
     * @param views the views
     * @param asKnownAt whether rows created after an entity row's time are ignored
     * @param eventTimestamps whether to return each view's event time
     * @param ordered whether to return rows in entity row order
     * @return the query
     */
    public static String build(OfflineStore store, String entityRelation, List<Field> passthrough, List<ViewPart> views,
            boolean asKnownAt, boolean eventTimestamps, boolean ordered) {
        boolean anyTieBreak = false;
        for (ViewPart part : views) {
            anyTieBreak |= !asKnownAt && needsTieBreak(part.layout());
        }
        StringBuilder sql = new StringBuilder("WITH e AS (SELECT *");
        if (anyTieBreak) {
            sql.append(", (__mlops_t::HUGEINT * ").append(TWO_64).append(" + 18446744073709551615::HUGEINT) AS __mlops_tk");
        }
        for (int i = 0; i < views.size(); i++) {
            long ttl = views.get(i).layout().ttlMicros();
            if (ttl != Long.MAX_VALUE) {
                // The earliest event time still within the TTL, computed without overflow.
                sql.append(", (greatest(__mlops_t, (").append(Long.MIN_VALUE + ttl).append(")::BIGINT) - ")
                        .append(ttl).append(") AS __mlops_lo").append(i);
            }
        }
        sql.append(" FROM ").append(entityRelation).append(')');
        for (int i = 0; i < views.size(); i++) {
            ViewLayout v = views.get(i).layout();
            sql.append(",\n v").append(i).append(" AS (SELECT *");
            if (asKnownAt || needsTieBreak(v)) {
                sql.append(", (__et::HUGEINT * ").append(TWO_64)
                        .append(" + (__ct::HUGEINT + 9223372036854775808::HUGEINT)) AS __k");
            }
            if (asKnownAt) {
                sql.append(", greatest(__et, __ct) AS __kt");
            }
            sql.append(" FROM ").append(store.viewRows(v)).append(')');
            if (asKnownAt) {
                String keys = keyList(v, null);
                sql.append(",\n b").append(i).append(" AS (SELECT ").append(keys).append(", __kt, max(__k) OVER "
                        + "(PARTITION BY ").append(keys).append(" ORDER BY __kt RANGE BETWEEN UNBOUNDED PRECEDING AND "
                        + "CURRENT ROW) AS __best FROM v").append(i).append(')');
            }
        }
        sql.append("\nSELECT e.").append(OfflineStore.ROW);
        int c = 0;
        for (Field p : passthrough) {
            sql.append(", ").append(Frames.fetchExpression("e." + Sql.id(p.name()), p.type())).append(" AS c")
                    .append(c++);
        }
        for (int i = 0; i < views.size(); i++) {
            ViewPart part = views.get(i);
            boolean ttl = part.layout().ttlMicros() != Long.MAX_VALUE;
            String alias = "v" + i;
            for (Field f : part.features()) {
                String value = Frames.fetchExpression(alias + "." + Sql.id(f.name()), f.type());
                sql.append(", ").append(ttl ? "CASE WHEN " + alias + ".__et >= e.__mlops_lo" + i + " THEN " + value + " END"
                        : value).append(" AS c").append(c++);
            }
            if (eventTimestamps) {
                String et = alias + ".__et";
                sql.append(", ").append(ttl ? "CASE WHEN " + et + " >= e.__mlops_lo" + i + " THEN " + et + " END" : et)
                        .append(" AS c").append(c++);
            }
        }
        sql.append("\nFROM e");
        for (int i = 0; i < views.size(); i++) {
            ViewLayout v = views.get(i).layout();
            if (asKnownAt) {
                sql.append("\n ASOF LEFT JOIN b").append(i).append(" ON ").append(keyEquals(v, "e", "b" + i))
                        .append(" AND e.__mlops_t >= b").append(i).append(".__kt");
                sql.append("\n LEFT JOIN v").append(i).append(" ON ").append(keyEquals(v, "e", "v" + i))
                        .append(" AND v").append(i).append(".__k = b").append(i).append(".__best");
            } else if (needsTieBreak(v)) {
                sql.append("\n ASOF LEFT JOIN v").append(i).append(" ON ").append(keyEquals(v, "e", "v" + i))
                        .append(" AND e.__mlops_tk >= v").append(i).append(".__k");
            } else {
                // Without a created column a view holds at most one row per keys and event time, so the event time
                // alone orders the rows and the join runs on a plain BIGINT.
                sql.append("\n ASOF LEFT JOIN v").append(i).append(" ON ").append(keyEquals(v, "e", "v" + i))
                        .append(" AND e.__mlops_t >= v").append(i).append(".__et");
            }
        }
        if (ordered) {
            sql.append("\nORDER BY e.").append(OfflineStore.ROW);
        }
        return sql.toString();
    }

    /** Whether rows of the view can share keys and event time, so that the created time must break the tie. */
    private static boolean needsTieBreak(ViewLayout v) {
        return v.createdColumn() != null;
    }

    private static String keyList(ViewLayout v, String alias) {
        StringBuilder sb = new StringBuilder();
        for (Field k : v.keys()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(alias == null ? "" : alias + ".").append(Sql.id(k.name()));
        }
        return sb.toString();
    }

    private static String keyEquals(ViewLayout v, String left, String right) {
        StringBuilder sb = new StringBuilder();
        for (Field k : v.keys()) {
            if (sb.length() > 0) {
                sb.append(" AND ");
            }
            sb.append(left).append('.').append(Sql.id(k.name())).append(" = ").append(right).append('.')
                    .append(Sql.id(k.name()));
        }
        return sb.toString();
    }
}

package dev.mlops.tracking.internal;

import dev.mlops.storage.Database;
import dev.mlops.tracking.LifecycleStage;
import dev.mlops.tracking.ViewType;
import dev.mlops.tracking.internal.SearchParser.Clause;
import dev.mlops.tracking.internal.SearchParser.Entity;
import dev.mlops.tracking.internal.SearchParser.Op;
import dev.mlops.tracking.internal.SearchParser.OrderKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns parsed search clauses into one SQL query over the runs table: each metric, param or tag condition joins its
 * table on (run, key), which the primary keys and the key/value indexes serve. Every value is a bound parameter.
 */
public final class SearchSql {
    private SearchSql() {
    }

    /**
     * A query and its arguments.
     *
     * @param sql the SQL text
     * @param args the bound arguments in order
     */
    public record Query(String sql, List<Object> args) {
    }

    /**
     * Builds the query for one page of runs.
     *
     * @param dialect the database dialect
     * @param experimentIds the experiments searched
     * @param view which lifecycle stages are included
     * @param clauses the conditions, all of which must hold
     * @param order the sort keys; start time (newest first) and run id break ties
     * @param limit the page size
     * @param offset the rows skipped
     * @return the query
     */
    public static Query build(Database.Dialect dialect, List<String> experimentIds, ViewType view, List<Clause> clauses,
            List<OrderKey> order, int limit, int offset) {
        StringBuilder from = new StringBuilder(" FROM runs r");
        List<Object> joinArgs = new ArrayList<>();
        List<String> where = new ArrayList<>();
        List<Object> whereArgs = new ArrayList<>();
        where.add("r.experiment_id IN " + TrackingStore.placeholders(experimentIds.size()));
        whereArgs.addAll(experimentIds);
        if (view != ViewType.ALL) {
            where.add("r.lifecycle_stage = ?");
            whereArgs.add(view == ViewType.ACTIVE_ONLY ? LifecycleStage.ACTIVE.name() : LifecycleStage.ARCHIVED.name());
        }
        int alias = 0;
        for (Clause c : clauses) {
            String a = "f" + alias++;
            switch (c.entity()) {
                case METRIC -> {
                    from.append(" JOIN latest_metrics ").append(a).append(" ON ").append(a).append(".run_id = r.run_id AND ")
                            .append(a).append(".key = ?");
                    joinArgs.add(c.key());
                    if (c.op() != Op.NE) {
                        where.add(a + ".is_nan = 0");
                    }
                    condition(dialect, a + ".value", c, where, whereArgs);
                }
                case PARAM, TAG -> {
                    String table = c.entity() == Entity.PARAM ? "params" : "tags";
                    from.append(" JOIN ").append(table).append(' ').append(a).append(" ON ").append(a)
                            .append(".run_id = r.run_id AND ").append(a).append(".key = ?");
                    joinArgs.add(c.key());
                    condition(dialect, a + ".value", c, where, whereArgs);
                }
                case ATTRIBUTE -> condition(dialect, "r." + c.key(), c, where, whereArgs);
                case DATASET -> {
                    List<String> inner = new ArrayList<>();
                    List<Object> innerArgs = new ArrayList<>();
                    condition(dialect, a + "." + c.key(), c, inner, innerArgs);
                    where.add("EXISTS (SELECT 1 FROM inputs " + a + " WHERE " + a + ".run_id = r.run_id AND "
                            + inner.get(0) + ")");
                    whereArgs.addAll(innerArgs);
                }
                default -> throw new IllegalStateException("unknown entity " + c.entity());
            }
        }
        List<String> orderSql = new ArrayList<>();
        for (OrderKey k : order) {
            String dir = k.ascending() ? " ASC" : " DESC";
            switch (k.entity()) {
                case METRIC, PARAM, TAG -> {
                    String a = "o" + alias++;
                    String table = k.entity() == Entity.METRIC ? "latest_metrics" : k.entity() == Entity.PARAM ? "params"
                            : "tags";
                    from.append(" LEFT JOIN ").append(table).append(' ').append(a).append(" ON ").append(a)
                            .append(".run_id = r.run_id AND ").append(a).append(".key = ?");
                    joinArgs.add(k.key());
                    String missing = k.entity() == Entity.METRIC ? a + ".value IS NULL OR " + a + ".is_nan = 1"
                            : a + ".value IS NULL";
                    // Runs without the key (and NaN metrics) sort last in either direction.
                    orderSql.add("CASE WHEN " + missing + " THEN 1 ELSE 0 END");
                    orderSql.add(a + ".value" + dir);
                }
                case ATTRIBUTE -> {
                    orderSql.add("CASE WHEN r." + k.key() + " IS NULL THEN 1 ELSE 0 END");
                    orderSql.add("r." + k.key() + dir);
                }
                default -> throw new IllegalStateException("cannot order by " + k.entity());
            }
        }
        orderSql.add("r.start_time DESC");
        orderSql.add("r.run_id ASC");
        String sql = TrackingStore.RUN_COLUMNS + from + " WHERE " + String.join(" AND ", where) + " ORDER BY "
                + String.join(", ", orderSql) + " LIMIT ? OFFSET ?";
        List<Object> args = new ArrayList<>(joinArgs);
        args.addAll(whereArgs);
        args.add(limit);
        args.add(offset);
        return new Query(sql, args);
    }

    private static void condition(Database.Dialect dialect, String column, Clause c, List<String> where, List<Object> args) {
        switch (c.op()) {
            case IN, NOT_IN -> {
                List<?> values = (List<?>) c.value();
                where.add(column + (c.op() == Op.IN ? " IN " : " NOT IN ") + TrackingStore.placeholders(values.size()));
                args.addAll(values);
            }
            case LIKE -> {
                if (dialect == Database.Dialect.SQLITE) {
                    // SQLite's LIKE ignores ASCII case; GLOB is the case-sensitive match.
                    where.add(column + " GLOB ?");
                    args.add(likeToGlob((String) c.value()));
                } else {
                    where.add(column + " LIKE ?");
                    args.add(c.value());
                }
            }
            case ILIKE -> {
                where.add(dialect == Database.Dialect.SQLITE ? "LOWER(" + column + ") LIKE LOWER(?)" : column + " ILIKE ?");
                args.add(c.value());
            }
            default -> {
                where.add(column + " " + c.op().text + " ?");
                args.add(c.value());
            }
        }
    }

    /** Rewrites a LIKE pattern ({@code %}, {@code _}) as a GLOB pattern, escaping GLOB's own wildcards. */
    static String likeToGlob(String like) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < like.length(); i++) {
            char ch = like.charAt(i);
            switch (ch) {
                case '%' -> sb.append('*');
                case '_' -> sb.append('?');
                case '*' -> sb.append("[*]");
                case '?' -> sb.append("[?]");
                case '[' -> sb.append("[[]");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }
}

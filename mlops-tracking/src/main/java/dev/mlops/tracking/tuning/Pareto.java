package dev.mlops.tracking.tuning;

import dev.mlops.api.tuning.Direction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Non-dominated sorting of complete trials with several objectives. */
final class Pareto {
    private Pareto() {
    }

    /** Tells whether a dominates b: no worse in every objective and better in one. */
    static boolean dominates(List<Double> a, List<Double> b, List<Direction> directions) {
        boolean better = false;
        for (int i = 0; i < directions.size(); i++) {
            double x = directions.get(i).toMinimized(a.get(i));
            double y = directions.get(i).toMinimized(b.get(i));
            if (x > y) {
                return false;
            }
            if (x < y) {
                better = true;
            }
        }
        return better;
    }

    /** The trials no other trial dominates, by number. */
    static List<FrozenTrial> front(List<FrozenTrial> complete, List<Direction> directions) {
        List<FrozenTrial> out = new ArrayList<>();
        for (FrozenTrial t : complete) {
            boolean dominated = false;
            for (FrozenTrial o : complete) {
                if (o != t && dominates(o.values(), t.values(), directions)) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                out.add(t);
            }
        }
        out.sort(Comparator.comparingInt(FrozenTrial::number));
        return out;
    }

    /**
     * All trials, front by front (NSGA-II's fast non-dominated sort, O(m n^2)); inside a front, by crowding distance
     * (most isolated first).
     */
    static List<FrozenTrial> rankByFronts(List<FrozenTrial> complete, List<Direction> directions) {
        int n = complete.size();
        int[] dominatedBy = new int[n];
        List<List<Integer>> dominates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dominates.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (dominates(complete.get(i).values(), complete.get(j).values(), directions)) {
                    dominates.get(i).add(j);
                    dominatedBy[j]++;
                } else if (dominates(complete.get(j).values(), complete.get(i).values(), directions)) {
                    dominates.get(j).add(i);
                    dominatedBy[i]++;
                }
            }
        }
        List<Integer> current = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (dominatedBy[i] == 0) {
                current.add(i);
            }
        }
        List<FrozenTrial> out = new ArrayList<>();
        while (!current.isEmpty()) {
            List<FrozenTrial> front = new ArrayList<>();
            List<Integer> next = new ArrayList<>();
            for (int i : current) {
                front.add(complete.get(i));
                for (int j : dominates.get(i)) {
                    if (--dominatedBy[j] == 0) {
                        next.add(j);
                    }
                }
            }
            out.addAll(byCrowding(front, directions));
            current = next;
        }
        return out;
    }

    private static List<FrozenTrial> byCrowding(List<FrozenTrial> front, List<Direction> directions) {
        int n = front.size();
        double[] distance = new double[n];
        for (int m = 0; m < directions.size(); m++) {
            int obj = m;
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, Comparator.comparingDouble(i -> front.get(i).values().get(obj)));
            double lo = front.get(order[0]).values().get(obj);
            double hi = front.get(order[n - 1]).values().get(obj);
            distance[order[0]] = Double.POSITIVE_INFINITY;
            distance[order[n - 1]] = Double.POSITIVE_INFINITY;
            if (hi > lo) {
                for (int k = 1; k < n - 1; k++) {
                    distance[order[k]] += (front.get(order[k + 1]).values().get(obj)
                            - front.get(order[k - 1]).values().get(obj)) / (hi - lo);
                }
            }
        }
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> -distance[i])
                .thenComparingInt(i -> front.get(i).number()));
        List<FrozenTrial> out = new ArrayList<>();
        for (int i : idx) {
            out.add(front.get(i));
        }
        return out;
    }
}

package dev.mlops.benchmarks;

import dev.mlops.llm.metrics.Bleu;
import dev.mlops.llm.metrics.BleuTokenizer;
import dev.mlops.llm.metrics.Rouge;
import dev.mlops.llm.metrics.RougeType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Corpus BLEU and mean ROUGE-L F over 10,000 sentence pairs, against the straightforward implementations a user
 * would write: n-gram counts in {@code HashMap<List<String>, Integer>} for BLEU, and a regular-expression tokenizer
 * with a two-row LCS over strings for ROUGE-L. The baselines compute the same numbers (checked in setup).
 *
 * <p>The data follow the text-metric baseline of the research notes: references of 20-30 tokens drawn from a
 * 5,000-word vocabulary, hypotheses made from them with about 25 % of the tokens substituted, 5 % dropped and 5 %
 * followed by an inserted token, seed 5. BLEU runs with the {@code none} tokenizer (whitespace split, as for
 * pre-tokenized input) and with sacreBLEU's default {@code 13a}; ROUGE-L includes rouge-score's tokenization. Run:
 *
 * <pre>
 * mvn -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar LlmMetricsBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class LlmMetricsBenchmark {
    private static final int PAIRS = 10_000;

    private List<String> hypotheses;
    private List<String> references;
    private Bleu bleuNone;
    private Bleu bleu13a;
    private Rouge rougeL;

    @Setup(Level.Trial)
    public void makeData() {
        Random rnd = new Random(5);
        hypotheses = new ArrayList<>(PAIRS);
        references = new ArrayList<>(PAIRS);
        for (int i = 0; i < PAIRS; i++) {
            int len = 20 + rnd.nextInt(11);
            List<String> ref = new ArrayList<>(len);
            for (int k = 0; k < len; k++) {
                ref.add("w" + rnd.nextInt(5000));
            }
            List<String> hyp = new ArrayList<>(len + 4);
            for (String t : ref) {
                double u = rnd.nextDouble();
                if (u < 0.05) {
                    continue;
                }
                hyp.add(u < 0.30 ? "w" + rnd.nextInt(5000) : t);
                if (rnd.nextDouble() < 0.05) {
                    hyp.add("w" + rnd.nextInt(5000));
                }
            }
            while (hyp.size() < 20) {
                hyp.add("w" + rnd.nextInt(5000));
            }
            hypotheses.add(String.join(" ", hyp.subList(0, Math.min(30, hyp.size()))));
            references.add(String.join(" ", ref));
        }
        bleuNone = Bleu.builder().tokenizer(BleuTokenizer.NONE).build();
        bleu13a = Bleu.corpus();
        rougeL = Rouge.builder().types(RougeType.ROUGE_L).build();
        double lib = bleuNone.corpusScore(hypotheses, references).score();
        double base = baselineBleu(hypotheses, references);
        double libRouge = rougeLibrary();
        double baseRouge = rougeBaseline();
        if (Math.abs(lib - base) > 1e-9 || Math.abs(libRouge - baseRouge) > 1e-9) {
            throw new IllegalStateException("library and baseline disagree: BLEU " + lib + " vs " + base
                    + ", ROUGE-L " + libRouge + " vs " + baseRouge);
        }
        System.out.printf(Locale.ROOT, "%nBLEU = %.4f, ROUGE-L F = %.4f%n", lib, libRouge);
    }

    @Benchmark
    public double bleuLibraryNoneTokenizer() {
        return bleuNone.corpusScore(hypotheses, references).score();
    }

    @Benchmark
    public double bleuLibrary13a() {
        return bleu13a.corpusScore(hypotheses, references).score();
    }

    @Benchmark
    public double bleuBaseline() {
        return baselineBleu(hypotheses, references);
    }

    @Benchmark
    public double rougeLLibrary() {
        return rougeLibrary();
    }

    @Benchmark
    public double rougeLBaseline() {
        return rougeBaseline();
    }

    private double rougeLibrary() {
        double sum = 0;
        for (int i = 0; i < PAIRS; i++) {
            sum += rougeL.score(hypotheses.get(i), references.get(i)).get(RougeType.ROUGE_L).fmeasure();
        }
        return sum / PAIRS;
    }

    /** Corpus BLEU, the textbook way: maps keyed by token lists, no smoothing needed on this data. */
    static double baselineBleu(List<String> hyps, List<String> refs) {
        long[] match = new long[4];
        long[] total = new long[4];
        long hypLen = 0;
        long refLen = 0;
        for (int i = 0; i < hyps.size(); i++) {
            List<String> h = List.of(hyps.get(i).split(" "));
            List<String> r = List.of(refs.get(i).split(" "));
            hypLen += h.size();
            refLen += r.size();
            for (int n = 1; n <= 4; n++) {
                Map<List<String>, Integer> rc = new HashMap<>();
                for (int k = 0; k + n <= r.size(); k++) {
                    rc.merge(r.subList(k, k + n), 1, Integer::sum);
                }
                Map<List<String>, Integer> hc = new HashMap<>();
                for (int k = 0; k + n <= h.size(); k++) {
                    hc.merge(h.subList(k, k + n), 1, Integer::sum);
                }
                for (Map.Entry<List<String>, Integer> e : hc.entrySet()) {
                    match[n - 1] += Math.min(e.getValue(), rc.getOrDefault(e.getKey(), 0));
                }
                total[n - 1] += Math.max(0, h.size() - n + 1);
            }
        }
        double logSum = 0;
        for (int n = 0; n < 4; n++) {
            logSum += Math.log(100.0 * match[n] / total[n]);
        }
        double bp = hypLen < refLen ? Math.exp(1 - (double) refLen / hypLen) : 1.0;
        return bp * Math.exp(logSum / 4);
    }

    private double rougeBaseline() {
        double sum = 0;
        for (int i = 0; i < PAIRS; i++) {
            List<String> p = tokenize(hypotheses.get(i));
            List<String> r = tokenize(references.get(i));
            if (p.isEmpty() || r.isEmpty()) {
                continue;
            }
            int[] prev = new int[r.size() + 1];
            int[] cur = new int[r.size() + 1];
            for (String a : p) {
                for (int j = 1; j <= r.size(); j++) {
                    cur[j] = a.equals(r.get(j - 1)) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
                }
                int[] t = prev;
                prev = cur;
                cur = t;
            }
            double lcs = prev[r.size()];
            double precision = lcs / p.size();
            double recall = lcs / r.size();
            sum += precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
        }
        return sum / PAIRS;
    }

    private static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        for (String t : s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").split(" ")) {
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }
}

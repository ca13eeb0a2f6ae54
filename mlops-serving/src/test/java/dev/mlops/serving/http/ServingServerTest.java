package dev.mlops.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.registry.ModelPackage;
import dev.mlops.serving.Batching;
import dev.mlops.serving.Predictor;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;

class ServingServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Predictor predictor;
    private ServingServer server;
    private PrometheusMeterRegistry prometheus;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        ModelPackage pkg = ModelPackage.builder().tribuo(new LogisticRegressionTrainer()
                .train(dev.mlops.serving.FixturesAccess.data(300, 1))).build(dir.resolve("pkg"));
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        predictor = Predictor.builder().modelPackage(pkg).meterRegistry(prometheus).build();
        server = ServingServer.builder(predictor).port(0).maxRequestBytes(64 * 1024)
                .metricsEndpoint("/metrics", prometheus::scrape).start();
    }

    @AfterEach
    void stop() {
        server.close();
        predictor.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void healthEndpointsAnswer() throws Exception {
        assertEquals(200, get("/ping").statusCode());
        assertEquals("ok", json(get("/health")).get("status").asText());
        assertTrue(json(get("/version")).has("version"));
        assertEquals(true, json(get("/v2/health/live")).get("live").asBoolean());
        assertEquals(true, json(get("/v2/health/ready")).get("ready").asBoolean());
        HttpResponse<String> missing = get("/nowhere");
        assertEquals(404, missing.statusCode());
        assertEquals("NOT_FOUND", json(missing).get("error_code").asText());
    }

    @Test
    void mlflowInvocationsAcceptEveryFormat() throws Exception {
        String[] bodies = {
            "{\"dataframe_split\": {\"columns\": [\"f0\", \"f1\", \"f2\"], \"data\": [[2, -2, 0], [-2, 2, 0]]}}",
            "{\"dataframe_records\": [{\"f0\": 2, \"f1\": -2, \"f2\": 0}, {\"f0\": -2, \"f1\": 2, \"f2\": 0}]}",
            "{\"instances\": [[2, -2, 0], [-2, 2, 0]]}",
            "{\"instances\": [{\"f0\": 2, \"f1\": -2, \"f2\": 0}, {\"f0\": -2, \"f1\": 2, \"f2\": 0}]}",
            "{\"inputs\": {\"f0\": [2, -2], \"f1\": [-2, 2], \"f2\": [0, 0]}}",
        };
        for (String body : bodies) {
            HttpResponse<String> r = post("/invocations", "application/json", body);
            assertEquals(200, r.statusCode(), body + " -> " + r.body());
            JsonNode predictions = json(r).get("predictions");
            assertEquals(2, predictions.size(), body);
            assertEquals("pos", predictions.get(0).get("label").asText(), body);
            assertEquals("neg", predictions.get(1).get("label").asText(), body);
            assertEquals(1.0, predictions.get(0).get("score.pos").asDouble() + predictions.get(0).get("score.neg")
                    .asDouble(), 1e-5);
            assertEquals(32, predictions.get(0).get("prediction_id").asText().length());
        }
        HttpResponse<String> single = post("/invocations", "application/json",
                "{\"dataframe_records\": [{\"f0\": 2, \"f1\": -2, \"f2\": 0}]}");
        assertEquals("pos", json(single).get("predictions").get(0).get("label").asText());
        HttpResponse<String> csv = post("/invocations", "text/csv", "f2,f0,f1\n0,2,-2\n0,-2,2\n");
        assertEquals(200, csv.statusCode(), csv.body());
        assertEquals("neg", json(csv).get("predictions").get(1).get("label").asText());
    }

    @Test
    void badRequestsGetJsonErrorsThatNameTheProblem() throws Exception {
        record Case(String contentType, String body, int status, String mention) {
        }
        List<Case> cases = List.of(
                new Case("application/json", "{not json", 400, "not valid JSON"),
                new Case("application/json", "", 400, "empty"),
                new Case("application/json", "{\"rows\": []}", 400, "exactly one of the keys"),
                new Case("application/json", "{\"dataframe_records\": [{\"f0\": 1, \"f1\": 2}]}", 400, "'f2'"),
                new Case("application/json", "{\"dataframe_records\": [{\"f0\": 1, \"f1\": 2, \"f2\": \"x\"}]}", 400,
                        "'f2'"),
                new Case("application/json", "{\"dataframe_records\": [{\"f0\": 1, \"f1\": 2, \"f2\": 3, \"z\": 1}]}",
                        400, "'z'"),
                new Case("application/json", "{\"instances\": [[1, 2]]}", 400, "takes 3"),
                new Case("application/json", "{\"instances\": [{\"f0\": [1], \"f1\": 2, \"f2\": 3}]}", 400, "nested"),
                new Case("application/xml", "<x/>", 400, "unsupported content type"),
                new Case("text/csv", "f0,f1,zz\n1,2,3\n", 400, "'zz'"),
                new Case("application/json", "{\"instances\": [" + "[1,2,3],".repeat(10_000) + "[1,2,3]]}", 413,
                        "larger than the limit"));
        for (Case c : cases) {
            HttpResponse<String> r = post("/invocations", c.contentType, c.body);
            assertEquals(c.status, r.statusCode(), (c.body.length() > 80 ? c.body.substring(0, 80) : c.body) + " -> "
                    + r.body());
            assertTrue(r.body().startsWith("{"), "a JSON error body for " + c.body.substring(0, Math.min(40,
                    c.body.length())) + ": " + r.body());
            JsonNode error = json(r);
            assertTrue(error.get("message").asText().contains(c.mention), error + " should mention " + c.mention);
        }
        assertTrue(prometheus.scrape().contains("mlops_serving_http_errors_total"));
    }

    @Test
    void openInferenceProtocolV2() throws Exception {
        JsonNode meta = json(get("/v2/models/package"));
        assertEquals("package", meta.get("name").asText());
        assertEquals(3, meta.get("inputs").size());
        assertEquals("f0", meta.get("inputs").get(0).get("name").asText());
        assertEquals(true, json(get("/v2/models/package/ready")).get("ready").asBoolean());
        assertEquals(404, get("/v2/models/other").statusCode());

        String columns = "{\"id\": \"req-1\", \"inputs\": ["
                + "{\"name\": \"f0\", \"shape\": [2], \"datatype\": \"FP64\", \"data\": [2, -2]},"
                + "{\"name\": \"f1\", \"shape\": [2, 1], \"datatype\": \"FP32\", \"data\": [[-2], [2]]},"
                + "{\"name\": \"f2\", \"shape\": [2], \"datatype\": \"INT64\", \"data\": [0, 0]}]}";
        JsonNode out = json(post("/v2/models/package/infer", "application/json", columns));
        assertEquals("req-1", out.get("id").asText());
        JsonNode labels = out.get("outputs").get(1);
        assertEquals("label", labels.get("name").asText());
        assertEquals("pos", labels.get("data").get(0).asText());
        assertEquals("neg", labels.get("data").get(1).asText());
        assertEquals(4, out.get("outputs").get(2).get("data").size(), "2 rows x 2 classes");

        String matrix = "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", "
                + "\"data\": [2, -2, 0]}]}";
        assertEquals("pos", json(post("/v2/models/package/infer", "application/json", matrix)).get("outputs").get(1)
                .get("data").get(0).asText());

        String bad = "{\"inputs\": [{\"name\": \"f0\", \"shape\": [3], \"datatype\": \"FP32\", \"data\": [1, 2]}]}";
        HttpResponse<String> r = post("/v2/models/package/infer", "application/json", bad);
        assertEquals(400, r.statusCode());
        assertTrue(json(r).get("error").asText().contains("'f0'"), r.body());
        HttpResponse<String> text = post("/v2/models/package/infer", "application/json",
                "{\"inputs\": [{\"name\": \"f0\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"a\"]}]}");
        assertEquals(400, text.statusCode());
    }

    @Test
    void metricsAreScraped() throws Exception {
        post("/invocations", "application/json", "{\"instances\": [[2, -2, 0]]}");
        HttpResponse<String> scrape = get("/metrics");
        assertEquals(200, scrape.statusCode());
        assertTrue(scrape.body().contains("mlops_serving_predictions_seconds_bucket"), "a latency histogram");
        assertTrue(scrape.body().contains("mlops_serving_http_requests_seconds_count{path=\"/invocations\""),
                scrape.body());
    }

    @Test
    void overloadGives503WithRetryAfterAndShutdownLetsInFlightRequestsFinish() throws Exception {
        ModelPackage pkg = ModelPackage.open(dir.resolve("pkg"));
        // A timeout of one nanosecond can only be met when the batch thread answers before the caller starts
        // waiting. Sixteen concurrent requests keep that thread busy, so some of them must time out; a few rounds
        // guard against every caller being descheduled for the whole model call.
        try (Predictor impatient = Predictor.builder().modelPackage(pkg).batching(Batching.defaults()
                .withTimeout(Duration.ofNanos(1))).build()) {
            ServingServer s = ServingServer.builder(impatient).port(0).start();
            try {
                HttpResponse<String> r = null;
                for (int round = 0; round < 5 && (r == null || r.statusCode() != 503); round++) {
                    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
                    for (int i = 0; i < 16; i++) {
                        sent.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port()
                                + "/invocations")).POST(HttpRequest.BodyPublishers.ofString(
                                "{\"instances\": [[1, 2, 3]]}")).header("Content-Type", "application/json").build(),
                                HttpResponse.BodyHandlers.ofString()));
                    }
                    for (CompletableFuture<HttpResponse<String>> f : sent) {
                        HttpResponse<String> one = f.get();
                        if (r == null || one.statusCode() == 503) {
                            r = one;
                        }
                    }
                }
                assertEquals(503, r.statusCode(), r.body());
                assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
            } finally {
                s.close();
            }
        }
        try (Predictor slow = Predictor.builder().modelPackage(pkg).batching(Batching.defaults()
                .withBatch(64, Duration.ofMillis(400))).build()) {
            ServingServer s = ServingServer.builder(slow).port(0).shutdownTimeout(Duration.ofSeconds(10)).start();
            int port = s.port();
            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/invocations")).POST(HttpRequest.BodyPublishers.ofString(
                    "{\"instances\": [[2, -2, 0]]}")).header("Content-Type", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(150);
            s.close();
            HttpResponse<String> finished = inFlight.get();
            assertEquals(200, finished.statusCode(), "the request in flight during shutdown completed");
            assertEquals("pos", json(finished).get("predictions").get(0).get("label").asText());
        }
    }
}

package dev.mlops.serving.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.CsvOptions;
import dev.mlops.api.ErrorCode;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.MlopsException;
import dev.mlops.api.Schema;
import dev.mlops.api.UnavailableException;
import dev.mlops.serving.OverloadedException;
import dev.mlops.serving.Prediction;
import dev.mlops.serving.Predictor;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REST endpoints for a {@link Predictor}, on an embedded Jetty server (through Javalin), in two protocols:
 *
 * <ul>
 *   <li>MLflow's scoring protocol: {@code GET /ping}, {@code /health}, {@code /version}; {@code POST /invocations}
 *       with JSON ({@code dataframe_split}, {@code dataframe_records}, {@code instances} or {@code inputs}) or
 *       {@code text/csv}, answering {@code {"predictions": [...]}};</li>
 *   <li>KServe's Open Inference Protocol v2: {@code /v2/health/live}, {@code /v2/health/ready},
 *       {@code /v2/models/{name}}, {@code /v2/models/{name}/ready} and {@code POST /v2/models/{name}/infer}.</li>
 * </ul>
 *
 * <p>A malformed request gets 400 and an oversized one 413, each with a JSON body that names the problem; an
 * overloaded predictor gives 503 with {@code Retry-After}. {@link #close()} stops taking requests (new ones get 503),
 * lets those in flight finish, then stops. Thread-safe.
 */
public final class ServingServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServingServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Predictor predictor;
    private final Javalin app;
    private final MeterRegistry meters;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Duration shutdownTimeout;
    private final String version;
    private volatile boolean draining;

    private ServingServer(Builder b) {
        this.predictor = b.predictor;
        this.meters = b.meters != null ? b.meters : predictor.meters();
        this.shutdownTimeout = b.shutdownTimeout;
        this.version = Objects.requireNonNullElse(ServingServer.class.getPackage().getImplementationVersion(),
                "development");
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = b.host;
            cfg.jetty.port = b.port;
            cfg.http.maxRequestSize = b.maxRequestBytes;
            cfg.routes.before(ctx -> admit(ctx));
            cfg.routes.after(ctx -> leave(ctx));
            cfg.routes.get("/ping", ctx -> ok(ctx, "{}"));
            cfg.routes.get("/health", ctx -> health(ctx));
            cfg.routes.get("/version", ctx -> json(ctx, 200, Map.of("version", version)));
            cfg.routes.post("/invocations", this::invocations);
            cfg.routes.get("/v2/health/live", ctx -> json(ctx, 200, Map.of("live", true)));
            cfg.routes.get("/v2/health/ready", ctx -> json(ctx, predictor.ready() ? 200 : 503,
                    Map.of("ready", predictor.ready())));
            cfg.routes.get("/v2/models/{name}", this::v2Metadata);
            cfg.routes.get("/v2/models/{name}/ready", ctx -> {
                requireModel(ctx);
                json(ctx, 200, Map.of("name", ctx.pathParam("name"), "ready", predictor.ready()));
            });
            cfg.routes.post("/v2/models/{name}/infer", this::v2Infer);
            if (b.scrape != null) {
                cfg.routes.get(b.metricsPath, ctx -> {
                    ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
                    ctx.result(b.scrape.get());
                });
            }
            cfg.routes.exception(Exception.class, this::failure);
            cfg.routes.error(413, "*", ctx -> {
                String body = ctx.result();
                if (body == null || !body.startsWith("{")) {
                    error(ctx, 413, ErrorCode.INVALID_ARGUMENT, "the request body is larger than the limit of "
                            + b.maxRequestBytes + " bytes");
                }
            });
            cfg.routes.error(404, "*", ctx -> {
                String body = ctx.result();
                if (body == null || !body.startsWith("{")) {
                    error(ctx, 404, ErrorCode.NOT_FOUND, "no endpoint " + ctx.method() + " " + ctx.path());
                }
            });
        });
    }

    /**
     * Starts configuring a server for a predictor.
     *
     * @param predictor the predictor to serve; the caller keeps ownership and closes it after the server
     * @return a new builder
     */
    public static Builder builder(Predictor predictor) {
        return new Builder(predictor);
    }

    private ServingServer start(String host, int port) {
        app.start(host, port);
        LOG.info("serving {} version {} on http://{}:{}", predictor.info().name(), predictor.info().version(), host,
                app.port());
        return this;
    }

    /**
     * Returns the port the server listens on (useful when started on port 0).
     *
     * @return the port
     */
    public int port() {
        return app.port();
    }

    // ---------------------------------------------------------------- lifecycle of a request

    private void admit(Context ctx) {
        if (draining) {
            ctx.header("Retry-After", "1");
            throw new HttpResponseException(503, "the server is shutting down");
        }
        inFlight.incrementAndGet();
        ctx.attribute("mlops.start", System.nanoTime());
    }

    private void leave(Context ctx) {
        Long start = ctx.attribute("mlops.start");
        if (start != null) {
            inFlight.decrementAndGet();
            Timer.builder("mlops.serving.http.requests").tag("path", route(ctx)).tag("status",
                    Integer.toString(ctx.statusCode())).register(meters)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private static String route(Context ctx) {
        String p = ctx.path();
        return p.startsWith("/v2/models/") ? "/v2/models/{name}" + (p.endsWith("/infer") ? "/infer"
                : p.endsWith("/ready") ? "/ready" : "") : p;
    }

    private void health(Context ctx) {
        boolean ready = predictor.ready();
        json(ctx, ready ? 200 : 503, Map.of("status", ready ? "ok" : "unavailable"));
    }

    // ---------------------------------------------------------------- MLflow scoring protocol

    private void invocations(Context ctx) throws IOException {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
        List<Prediction> predictions;
        if (type.startsWith("text/csv")) {
            Frame frame = Frame.readCsv(new StringReader(ctx.body()), CsvOptions.defaults()
                    .withSchema(csvSchema(ctx.body())).withSourceName("request body"));
            predictions = predictor.predict(frame);
        } else if (type.startsWith("application/json") || type.isEmpty()) {
            JsonNode body = parse(ctx);
            predictions = predictRows(MlflowRequests.rows(body, predictor.info().inputs()));
        } else {
            throw new InvalidArgumentException("unsupported content type '" + ctx.contentType()
                    + "'; send application/json or text/csv");
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("predictions");
        for (Prediction p : predictions) {
            ObjectNode o = list.addObject();
            o.put("prediction_id", p.id());
            p.toMap().forEach((k, v) -> {
                if (v instanceof Double d) {
                    o.put(k, d);
                } else {
                    o.put(k, String.valueOf(v));
                }
            });
        }
        ok(ctx, JSON.writeValueAsString(out));
    }

    /** The CSV header decides the columns; the signature decides their types. */
    private Schema csvSchema(String body) {
        int end = body.indexOf('\n');
        String header = (end < 0 ? body : body.substring(0, end)).replace("\r", "");
        List<Field> fields = new ArrayList<>();
        Schema inputs = predictor.info().signature().inputs();
        for (String name : header.split(",", -1)) {
            String n = name.trim().replace("\"", "");
            fields.add(inputs.find(n).map(f -> Field.of(f.name(), f.type())).orElseThrow(() ->
                    new InvalidArgumentException("CSV column '" + n + "' is not an input of the model; inputs are "
                            + inputs.names())));
        }
        return Schema.of(fields);
    }

    private List<Prediction> predictRows(List<Map<String, Object>> rows) {
        if (rows.size() == 1) {
            return List.of(predictor.predict(rows.get(0)));
        }
        Frame.RowBuilder b = Frame.rowBuilder(nullableInputs());
        for (Map<String, Object> row : rows) {
            b.row(MlflowRequests.coerce(row, predictor.info().signature().inputs()));
        }
        return predictor.predict(b.build());
    }

    private Schema nullableInputs() {
        List<Field> fields = new ArrayList<>();
        for (Field f : predictor.info().signature().inputs().fields()) {
            fields.add(Field.of(f.name(), f.type()));
        }
        return Schema.of(fields);
    }

    // ---------------------------------------------------------------- Open Inference Protocol v2

    private void requireModel(Context ctx) {
        String name = ctx.pathParam("name");
        if (!name.equals(predictor.info().name())) {
            throw new dev.mlops.api.NotFoundException("model '" + name + "' is not served here; this server serves '"
                    + predictor.info().name() + "'");
        }
    }

    private void v2Metadata(Context ctx) throws JsonProcessingException {
        requireModel(ctx);
        Predictor.ModelInfo info = predictor.info();
        ObjectNode out = JSON.createObjectNode();
        out.put("name", info.name());
        out.putArray("versions").add(Long.toString(info.version()));
        out.put("platform", info.engine());
        ArrayNode inputs = out.putArray("inputs");
        for (String column : info.inputs()) {
            ObjectNode t = inputs.addObject();
            t.put("name", column);
            t.put("datatype", "FP32");
            t.putArray("shape").add(-1);
        }
        ArrayNode outputs = out.putArray("outputs");
        if (info.classifier()) {
            ObjectNode label = outputs.addObject();
            label.put("name", "label");
            label.put("datatype", "BYTES");
            label.putArray("shape").add(-1);
        }
        ObjectNode scores = outputs.addObject();
        scores.put("name", "scores");
        scores.put("datatype", "FP32");
        scores.putArray("shape").add(-1).add(info.outputs().size());
        ok(ctx, JSON.writeValueAsString(out));
    }

    private void v2Infer(Context ctx) throws IOException {
        requireModel(ctx);
        JsonNode body = parse(ctx);
        Predictor.ModelInfo info = predictor.info();
        List<Map<String, Object>> rows = OipRequests.rows(body, info.inputs());
        List<Prediction> predictions = predictRows(rows);
        ObjectNode out = JSON.createObjectNode();
        out.put("model_name", info.name());
        out.put("model_version", Long.toString(info.version()));
        out.put("id", body.hasNonNull("id") ? body.get("id").asText() : predictions.isEmpty() ? ""
                : predictions.get(0).id());
        ArrayNode outputs = out.putArray("outputs");
        int n = predictions.size();
        ObjectNode ids = outputs.addObject();
        ids.put("name", "prediction_id");
        ids.put("datatype", "BYTES");
        ids.putArray("shape").add(n);
        ArrayNode idData = ids.putArray("data");
        predictions.forEach(p -> idData.add(p.id()));
        if (info.classifier()) {
            ObjectNode labels = outputs.addObject();
            labels.put("name", "label");
            labels.put("datatype", "BYTES");
            labels.putArray("shape").add(n);
            ArrayNode data = labels.putArray("data");
            predictions.forEach(p -> data.add(p.label()));
        }
        ObjectNode scores = outputs.addObject();
        scores.put("name", "scores");
        scores.put("datatype", "FP32");
        scores.putArray("shape").add(n).add(info.outputs().size());
        ArrayNode data = scores.putArray("data");
        for (Prediction p : predictions) {
            p.scores().values().forEach(data::add);
        }
        ok(ctx, JSON.writeValueAsString(out));
    }

    // ---------------------------------------------------------------- responses and errors

    private JsonNode parse(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw new InvalidArgumentException("the request body is empty");
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidArgumentException("the request body is not valid JSON: " + e.getMessage(), e);
        }
    }

    private void failure(Exception e, Context ctx) {
        if (e instanceof HttpResponseException h) {
            int status = h.getStatus();
            error(ctx, status, status == 503 ? ErrorCode.UNAVAILABLE : ErrorCode.INVALID_ARGUMENT,
                    status == 413 ? "the request body is larger than the limit" : h.getMessage());
            return;
        }
        if (e instanceof OverloadedException) {
            ctx.header("Retry-After", "1");
        }
        if (e instanceof MlopsException m) {
            int status = m.code().httpStatus();
            if (m.code() == ErrorCode.UNAVAILABLE && !(e instanceof OverloadedException)) {
                ctx.header("Retry-After", "1");
            }
            error(ctx, status, m.code(), m.getMessage());
            return;
        }
        LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
        error(ctx, 500, ErrorCode.INTERNAL, "internal error: " + e.getClass().getSimpleName());
    }

    private void error(Context ctx, int status, ErrorCode code, String message) {
        meters.counter("mlops.serving.http.errors", "status", Integer.toString(status)).increment();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", code.name());
        body.put("message", message);
        if (ctx.path().startsWith("/v2/")) {
            body.put("error", message);
        }
        json(ctx, status, body);
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status);
            ctx.contentType("application/json");
            ctx.result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void ok(Context ctx, String body) {
        ctx.status(200);
        ctx.contentType("application/json");
        ctx.result(body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Stops taking requests (new ones get 503), waits for those in flight up to the shutdown timeout, then stops the
     * server. The predictor stays open.
     */
    @Override
    public void close() {
        draining = true;
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.get() > 0) {
            LOG.warn("stopping with {} requests still in flight after {}", inFlight.get(), shutdownTimeout);
        }
        app.stop();
    }

    /**
     * Configures a {@link ServingServer}. Not thread-safe.
     */
    public static final class Builder {
        private final Predictor predictor;
        private String host = "127.0.0.1";
        private int port = 8080;
        private long maxRequestBytes = 10L << 20;
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private Supplier<String> scrape;
        private String metricsPath = "/metrics";
        private MeterRegistry meters;

        private Builder(Predictor predictor) {
            this.predictor = Objects.requireNonNull(predictor, "predictor");
        }

        /**
         * Sets the address to listen on; the default is {@code 127.0.0.1}.
         *
         * @param value a host name or address, {@code 0.0.0.0} for all interfaces
         * @return this builder
         */
        public Builder host(String value) {
            this.host = Objects.requireNonNull(value, "host");
            return this;
        }

        /**
         * Sets the port; the default is 8080, and 0 picks a free port.
         *
         * @param value the port
         * @return this builder
         */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new InvalidArgumentException("port must be 0 to 65535, but was " + value);
            }
            this.port = value;
            return this;
        }

        /**
         * Sets the largest request body accepted; the default is 10 MiB. Larger bodies get 413.
         *
         * @param bytes the limit
         * @return this builder
         */
        public Builder maxRequestBytes(long bytes) {
            if (bytes < 1) {
                throw new InvalidArgumentException("max request size must be positive, but was " + bytes);
            }
            this.maxRequestBytes = bytes;
            return this;
        }

        /**
         * Sets how long {@link ServingServer#close()} waits for requests in flight; the default is 30 s.
         *
         * @param value the timeout
         * @return this builder
         */
        public Builder shutdownTimeout(Duration value) {
            this.shutdownTimeout = Objects.requireNonNull(value, "shutdownTimeout");
            return this;
        }

        /**
         * Serves a metrics scrape at a path, for instance a Prometheus registry's {@code scrape()}.
         *
         * @param path the path, for instance {@code /metrics}
         * @param scraper produces the scrape text
         * @return this builder
         */
        public Builder metricsEndpoint(String path, Supplier<String> scraper) {
            this.metricsPath = Objects.requireNonNull(path, "path");
            this.scrape = Objects.requireNonNull(scraper, "scraper");
            return this;
        }

        /**
         * Records the HTTP meters into a registry; the default is the predictor's.
         *
         * @param registry the meter registry
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meters = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Starts the server.
         *
         * @return the running server
         * @throws UnavailableException if the port cannot be bound
         */
        public ServingServer start() {
            ServingServer server = new ServingServer(this);
            try {
                return server.start(host, port);
            } catch (RuntimeException e) {
                throw new UnavailableException("cannot start the server on " + host + ":" + port + ": "
                        + e.getMessage(), e);
            }
        }
    }
}

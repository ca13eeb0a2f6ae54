package dev.mlops.features;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.TimestampColumn;
import dev.mlops.api.UnavailableException;
import dev.mlops.api.spi.TimeSource;
import dev.mlops.features.internal.Names;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * An online store in Redis, shared by every serving process that points at the same server and key prefix.
 *
 * <pre>{@code
 * OnlineStore redis = RedisOnlineStore.builder().uri("redis://cache.internal:6379").keyPrefix("prod:features:").build();
 * }</pre>
 *
 * <p>Each entity of a view is one hash, {@code <prefix>v:<view>:<entity key>}, with a field per feature (values in
 * text: doubles as Java prints them, so NaN and infinities round-trip; a null value is an absent field) and the field
 * {@code __k}, the row's event and created time in a sortable form. A server-side script replaces a hash only with a
 * newer row, atomically, so concurrent materializations cannot go back in time. Reads of several entities are
 * pipelined on one connection. Keys do not expire unless {@link Builder#keyRetention(Duration)} is set; freshness is
 * always judged on read. Thread-safe.
 */
public final class RedisOnlineStore implements OnlineStore {
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9:_.\\-]{0,64}");
    private static final String SORT_FIELD = "__k";
    /** Replaces the hash with the new row unless the stored row is newer; ARGV: sort key, expiry ms, field/value pairs. */
    private static final String WRITE_SCRIPT = ""
            + "local cur = redis.call('HGET', KEYS[1], '__k')\n"
            + "if cur and cur > ARGV[1] then return 0 end\n"
            + "redis.call('DEL', KEYS[1])\n"
            + "redis.call('HSET', KEYS[1], '__k', ARGV[1], unpack(ARGV, 3))\n"
            + "if ARGV[2] ~= '0' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end\n"
            + "return 1\n";

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final String prefix;
    private final Duration timeout;
    private final Duration retention;
    private final TimeSource clock;
    private volatile String scriptSha;

    private RedisOnlineStore(Builder b) {
        RedisURI uri;
        try {
            uri = RedisURI.create(b.uri);
        } catch (RuntimeException e) {
            throw new InvalidArgumentException("Redis URI " + Names.show(redact(b.uri)) + " is not valid: "
                    + e.getMessage(), e);
        }
        uri.setTimeout(b.timeout);
        this.client = RedisClient.create(uri);
        try {
            this.connection = client.connect();
        } catch (RedisException e) {
            client.shutdown();
            throw new UnavailableException("cannot connect to Redis at " + redact(b.uri) + ": " + e.getMessage(), e);
        }
        this.prefix = b.prefix;
        this.timeout = b.timeout;
        this.retention = b.retention;
        this.clock = b.clock;
    }

    /**
     * Connects to a Redis server with the default key prefix {@code mlops:features:}.
     *
     * @param uri for instance {@code redis://127.0.0.1:6379}
     * @return the store
     * @throws UnavailableException if the server cannot be reached
     */
    public static RedisOnlineStore connect(String uri) {
        return builder().uri(uri).build();
    }

    /**
     * Starts configuring a store.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "redis";
    }

    /**
     * Returns the key prefix.
     *
     * @return the prefix
     */
    public String keyPrefix() {
        return prefix;
    }

    private String rowKey(String view, String key) {
        return prefix + "v:" + view + ":" + key;
    }

    private String watermarkKey(String view) {
        return prefix + "w:" + view;
    }

    static String sortKey(long eventMicros, long createdMicros) {
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits(eventMicros ^ Long.MIN_VALUE) + hex.toHexDigits(createdMicros ^ Long.MIN_VALUE);
    }

    @Override
    public void write(String view, List<Feature> features, Duration ttl, List<OnlineRow> rows) {
        Names.definition("feature view", view);
        try {
            writeOnce(view, features, ttl, rows);
        } catch (UnavailableException e) {
            if (!(e.getCause() instanceof RedisNoScriptException)) {
                throw e;
            }
            scriptSha = null; // the server lost its script cache (a restart): load the script again, write again
            writeOnce(view, features, ttl, rows);
        }
    }

    private void writeOnce(String view, List<Feature> features, Duration ttl, List<OnlineRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        RedisAsyncCommands<String, String> async = connection.async();
        String sha = script();
        long nowMillis = clock.now().toEpochMilli();
        List<RedisFuture<Long>> pending = new ArrayList<>(rows.size());
        for (OnlineRow r : rows) {
            r.check(view, features);
            String expiry = "0";
            if (retention != null && ttl != null) {
                long expiresAtMillis = saturatedAdd(Math.floorDiv(r.eventMicros(), 1000L),
                        saturatedAdd(ttl.toMillis(), retention.toMillis()));
                long inMillis = expiresAtMillis - nowMillis;
                if (inMillis <= 0) {
                    continue; // expired beyond the retention already: nothing a reader could use
                }
                expiry = Long.toString(inMillis);
            }
            List<String> args = new ArrayList<>(2 + 2 * features.size());
            args.add(sortKey(r.eventMicros(), r.createdMicros()));
            args.add(expiry);
            for (int i = 0; i < features.size(); i++) {
                Object v = r.value(i);
                if (v != null) {
                    args.add(features.get(i).name());
                    args.add(OnlineValues.encode(features.get(i).type(), v));
                }
            }
            pending.add(async.evalsha(sha, ScriptOutputType.INTEGER, new String[] {rowKey(view, r.key())},
                    args.toArray(String[]::new)));
        }
        await(pending);
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }

    private String script() {
        String sha = scriptSha;
        if (sha == null) {
            try {
                sha = connection.sync().scriptLoad(WRITE_SCRIPT);
            } catch (RedisException e) {
                throw new UnavailableException("Redis failed to load the write script: " + e.getMessage(), e);
            }
            scriptSha = sha;
        }
        return sha;
    }

    @Override
    public List<OnlineRow> read(String view, List<Feature> features, List<String> keys) {
        RedisAsyncCommands<String, String> async = connection.async();
        List<RedisFuture<Map<String, String>>> pending = new ArrayList<>(keys.size());
        for (String k : keys) {
            pending.add(async.hgetall(rowKey(view, k)));
        }
        await(pending);
        OnlineRow[] out = new OnlineRow[keys.size()];
        for (int i = 0; i < out.length; i++) {
            Map<String, String> hash = pending.get(i).toCompletableFuture().getNow(null);
            if (hash == null || hash.isEmpty()) {
                continue;
            }
            String sort = hash.get(SORT_FIELD);
            if (sort == null || sort.length() != 32) {
                throw new dev.mlops.api.IntegrityException("Redis hash " + rowKey(view, keys.get(i))
                        + " lacks a valid '" + SORT_FIELD + "' field");
            }
            long event = Long.parseUnsignedLong(sort, 0, 16, 16) ^ Long.MIN_VALUE;
            long created = Long.parseUnsignedLong(sort, 16, 32, 16) ^ Long.MIN_VALUE;
            Object[] values = new Object[features.size()];
            for (int f = 0; f < values.length; f++) {
                Feature feature = features.get(f);
                String text = hash.get(feature.name());
                if (text != null) {
                    values[f] = OnlineValues.decode(feature.type(), text, "'" + feature.name() + "' of view '" + view
                            + "'");
                }
            }
            out[i] = new OnlineRow(keys.get(i), event, created, values);
        }
        return Arrays.asList(out);
    }

    private void await(List<? extends RedisFuture<?>> futures) {
        if (futures.isEmpty()) {
            return;
        }
        try {
            if (!LettuceFutures.awaitAll(timeout.toMillis(), TimeUnit.MILLISECONDS,
                    futures.toArray(RedisFuture[]::new))) {
                throw new UnavailableException("Redis did not answer " + futures.size() + " commands within " + timeout);
            }
            for (RedisFuture<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new UnavailableException("Redis failed: " + e.getCause().getMessage(), e.getCause());
        } catch (RedisException e) {
            Throwable cause = e.getCause() instanceof ExecutionException ee ? ee.getCause() : e;
            throw new UnavailableException("Redis failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for Redis", e);
        }
    }

    @Override
    public Optional<Instant> watermark(String view) {
        try {
            String w = connection.sync().get(watermarkKey(Names.definition("feature view", view)));
            return w == null ? Optional.empty() : Optional.of(TimestampColumn.toInstant(Long.parseLong(w)));
        } catch (RedisException e) {
            throw new UnavailableException("Redis failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void setWatermark(String view, Instant watermark) {
        try {
            connection.sync().set(watermarkKey(Names.definition("feature view", view)),
                    Long.toString(TimestampColumn.toMicros(watermark)));
        } catch (RedisException e) {
            throw new UnavailableException("Redis failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void deleteView(String view) {
        Names.definition("feature view", view);
        RedisCommands<String, String> sync = connection.sync();
        try {
            ScanArgs args = ScanArgs.Builder.matches(globEscape(prefix) + "v:" + view + ":*").limit(1000);
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = sync.scan(cursor, args);
                if (!page.getKeys().isEmpty()) {
                    sync.unlink(page.getKeys().toArray(String[]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());
            sync.del(watermarkKey(view));
        } catch (RedisException e) {
            throw new UnavailableException("Redis failed: " + e.getMessage(), e);
        }
    }

    private static String globEscape(String s) {
        return s.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

    @Override
    public void close() {
        try {
            connection.close();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static String redact(String uri) {
        return uri == null ? null : uri.replaceAll("//[^@/]*@", "//***@");
    }

    @Override
    public String toString() {
        return "RedisOnlineStore[prefix=" + prefix + "]";
    }

    /** Configures a {@link RedisOnlineStore}. Not thread-safe. */
    public static final class Builder {
        private String uri;
        private String prefix = "mlops:features:";
        private Duration timeout = Duration.ofSeconds(10);
        private Duration retention;
        private TimeSource clock = TimeSource.system();
        private final java.util.Set<String> set = new java.util.HashSet<>();

        private Builder() {
        }

        private void once(String option, Object value) {
            if (!set.add(option)) {
                throw new IllegalStateException(option + " was already set");
            }
            Objects.requireNonNull(value, option);
        }

        /**
         * Sets the server, for instance {@code redis://127.0.0.1:6379} or {@code rediss://user:pw@host:6380/2}.
         *
         * @param redisUri the URI
         * @return this builder
         */
        public Builder uri(String redisUri) {
            once("uri", redisUri);
            this.uri = redisUri;
            return this;
        }

        /**
         * Sets the prefix of every key, so several stores can share a server; the default is
         * {@code mlops:features:}.
         *
         * @param keyPrefix letters, digits and {@code : _ . -}, at most 64 characters
         * @return this builder
         * @throws InvalidArgumentException if the prefix holds other characters
         */
        public Builder keyPrefix(String keyPrefix) {
            once("keyPrefix", keyPrefix);
            if (!PREFIX.matcher(keyPrefix).matches()) {
                throw new InvalidArgumentException("Redis key prefix " + Names.show(keyPrefix) + " must hold only "
                        + "letters, digits and ':_.-', at most 64 characters");
            }
            this.prefix = keyPrefix;
            return this;
        }

        /**
         * Sets how long a command may take; the default is 10 seconds.
         *
         * @param commandTimeout the timeout
         * @return this builder
         */
        public Builder timeout(Duration commandTimeout) {
            once("timeout", commandTimeout);
            if (commandTimeout.isNegative() || commandTimeout.isZero()) {
                throw new InvalidArgumentException("Redis timeout must be positive, but was " + commandTimeout);
            }
            this.timeout = commandTimeout;
            return this;
        }

        /**
         * Lets Redis delete a key once its row has been expired for this long (event time + TTL + retention, by the
         * store's clock), reclaiming memory; until then reads report it as expired, afterwards as missing. Views
         * without TTL never expire. By default keys are kept.
         *
         * @param afterExpiry how long an expired row stays readable as expired
         * @return this builder
         */
        public Builder keyRetention(Duration afterExpiry) {
            once("keyRetention", afterExpiry);
            if (afterExpiry.isNegative()) {
                throw new InvalidArgumentException("key retention must not be negative, but was " + afterExpiry);
            }
            this.retention = afterExpiry;
            return this;
        }

        /**
         * Sets the clock that key retention is measured on.
         *
         * @param timeSource the clock
         * @return this builder
         */
        public Builder clock(TimeSource timeSource) {
            once("clock", timeSource);
            this.clock = timeSource;
            return this;
        }

        /**
         * Connects.
         *
         * @return the store
         * @throws IllegalStateException if no URI was set
         * @throws UnavailableException if the server cannot be reached
         */
        public RedisOnlineStore build() {
            if (uri == null) {
                throw new IllegalStateException("set uri(...) before build()");
            }
            return new RedisOnlineStore(this);
        }
    }
}

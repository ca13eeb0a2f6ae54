package dev.mlops.features.internal;

import dev.mlops.api.BooleanColumn;
import dev.mlops.api.Column;
import dev.mlops.api.DoubleColumn;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.LongColumn;
import dev.mlops.api.Schema;
import dev.mlops.api.StringColumn;
import dev.mlops.api.TimestampColumn;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 over a stream of frames taken row by row, so the result does not depend on how the rows were batched.
 * Not thread-safe.
 */
public final class RowDigest {
    private final MessageDigest sha;
    private final ByteBuffer buf = ByteBuffer.allocate(9);
    private Schema schema;
    private long rows;

    /** Starts an empty digest. */
    public RowDigest() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
        sha.update("mlops-rows/v1".getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Adds a batch of rows.
     *
     * @param batch the rows; every batch must have the same schema
     * @throws InvalidArgumentException if the schema differs from the first batch's
     */
    public void update(Frame batch) {
        if (schema == null) {
            schema = batch.schema();
            for (Field f : schema.fields()) {
                string(f.name());
                string(f.type().jsonName());
                sha.update((byte) (f.nullable() ? 1 : 0));
            }
        } else if (!schema.equals(batch.schema())) {
            throw new InvalidArgumentException("batch schema " + batch.schema() + " differs from " + schema);
        }
        int n = batch.rowCount();
        Column[] cols = batch.columns().toArray(Column[]::new);
        for (int r = 0; r < n; r++) {
            for (Column c : cols) {
                if (c.isNull(r)) {
                    sha.update((byte) 0);
                    continue;
                }
                buf.clear();
                buf.put((byte) 1);
                switch (c.type()) {
                    case DOUBLE -> buf.putLong(Double.doubleToLongBits(((DoubleColumn) c).getDouble(r)));
                    case LONG -> buf.putLong(((LongColumn) c).getLong(r));
                    case TIMESTAMP -> buf.putLong(((TimestampColumn) c).getMicros(r));
                    case BOOLEAN -> buf.put((byte) (((BooleanColumn) c).getBoolean(r) ? 1 : 0));
                    case STRING -> {
                        sha.update(buf.array(), 0, buf.position());
                        string(((StringColumn) c).getString(r));
                        continue;
                    }
                    default -> throw new IllegalStateException("unknown type " + c.type());
                }
                sha.update(buf.array(), 0, buf.position());
            }
        }
        rows += n;
    }

    private void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        buf.clear();
        buf.putInt(b.length);
        sha.update(buf.array(), 0, 4);
        sha.update(b);
    }

    /**
     * Returns the number of rows added.
     *
     * @return the count
     */
    public long rows() {
        return rows;
    }

    /**
     * Finishes the digest.
     *
     * @return 64 hex characters
     */
    public String hex() {
        ByteBuffer count = ByteBuffer.allocate(8).putLong(rows);
        sha.update(count.array());
        return HexFormat.of().formatHex(sha.digest());
    }
}

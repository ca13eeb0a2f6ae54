package dev.mlops.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Feeds primitive values to a SHA-256 digest in big-endian order through a small buffer. Not thread-safe. */
final class DigestWriter {
    private final MessageDigest digest;
    private final byte[] buffer = new byte[8192];
    private int position;

    DigestWriter() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    void writeByte(int b) {
        if (position == buffer.length) {
            flush();
        }
        buffer[position++] = (byte) b;
    }

    void writeInt(int v) {
        if (position + 4 > buffer.length) {
            flush();
        }
        for (int shift = 24; shift >= 0; shift -= 8) {
            buffer[position++] = (byte) (v >>> shift);
        }
    }

    void writeLong(long v) {
        if (position + 8 > buffer.length) {
            flush();
        }
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[position++] = (byte) (v >>> shift);
        }
    }

    void writeBytes(byte[] bytes) {
        flush();
        digest.update(bytes);
    }

    void writeString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        writeInt(utf8.length);
        writeBytes(utf8);
    }

    private void flush() {
        digest.update(buffer, 0, position);
        position = 0;
    }

    String hex() {
        flush();
        return HexFormat.of().formatHex(digest.digest());
    }
}

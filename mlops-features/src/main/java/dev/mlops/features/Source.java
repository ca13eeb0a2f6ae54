package dev.mlops.features;

import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.features.internal.Names;
import java.nio.file.Path;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Where rows come from: the input of a {@link Pipeline}, the rows of a training request, or the data of a
 * {@link FeatureView}.
 *
 * <p>A feature view reads either its own table in the offline store ({@link #offline()}, the default, filled by
 * pipelines and {@link FeatureStore#write}) or a CSV or Parquet file in place. Pipelines and training requests can
 * also read a JDBC query, a {@link Frame} or another view's offline table. Values are immutable.
 */
public sealed interface Source permits Source.Offline, Source.Csv, Source.Parquet, Source.Jdbc, Source.FrameData,
        Source.View {

    /**
     * Returns the source of a view whose rows live in the offline store.
     *
     * @return the offline source
     */
    static Source offline() {
        return Offline.INSTANCE;
    }

    /**
     * Reads a UTF-8 CSV file with a header row; the offline engine infers column types.
     *
     * @param path the file
     * @return the source
     */
    static Source csv(Path path) {
        return new Csv(path, ',');
    }

    /**
     * Reads a UTF-8 CSV file with a header row and another delimiter.
     *
     * @param path the file
     * @param delimiter the field delimiter
     * @return the source
     */
    static Source csv(Path path, char delimiter) {
        return new Csv(path, delimiter);
    }

    /**
     * Reads a Parquet file, or every file matching a glob such as {@code data/*.parquet}.
     *
     * @param path the file or glob
     * @return the source
     */
    static Source parquet(Path path) {
        return new Parquet(path);
    }

    /**
     * Reads the result of a query through a JDBC driver on the class path; the rows are streamed.
     *
     * @param url the JDBC URL
     * @param query the query
     * @return the source
     */
    static Source jdbc(String url, String query) {
        return new Jdbc(url, null, query);
    }

    /**
     * Reads the result of a query through a data source (for instance a connection pool).
     *
     * @param dataSource where connections come from
     * @param query the query
     * @return the source
     */
    static Source jdbc(DataSource dataSource, String query) {
        return new Jdbc(null, dataSource, query);
    }

    /**
     * Reads a frame held in memory.
     *
     * @param name a name for messages and lineage
     * @param frame the rows
     * @return the source
     */
    static Source frame(String name, Frame frame) {
        return new FrameData(name, frame);
    }

    /**
     * Reads the offline rows of another feature view.
     *
     * @param view the view's name
     * @return the source
     */
    static Source view(String view) {
        return new View(view);
    }

    /**
     * Describes the source in a line, for messages and logs (without credentials).
     *
     * @return the description
     */
    String describe();

    /** The view's own table in the offline store. */
    record Offline() implements Source {
        static final Offline INSTANCE = new Offline();

        @Override
        public String describe() {
            return "offline store";
        }
    }

    /**
     * A CSV file.
     *
     * @param path the file
     * @param delimiter the field delimiter
     */
    record Csv(Path path, char delimiter) implements Source {
        /**
         * Validates the source.
         *
         * @throws InvalidArgumentException if the delimiter is a quote, a line break, a letter or a digit
         */
        public Csv {
            Objects.requireNonNull(path, "path");
            if (delimiter == '"' || delimiter == '\'' || delimiter == '\n' || delimiter == '\r' || delimiter == '\0'
                    || Character.isLetterOrDigit(delimiter)) {
                throw new InvalidArgumentException("CSV delimiter must not be a quote, line break, letter or digit, "
                        + "but was '" + delimiter + "'");
            }
        }

        @Override
        public String describe() {
            return "CSV " + path;
        }
    }

    /**
     * Parquet files.
     *
     * @param path the file or glob
     */
    record Parquet(Path path) implements Source {
        /** Validates the source. */
        public Parquet {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String describe() {
            return "Parquet " + path;
        }
    }

    /**
     * A JDBC query; exactly one of {@code url} and {@code dataSource} is set.
     *
     * @param url the JDBC URL, or {@code null}
     * @param dataSource the data source, or {@code null}
     * @param query the query
     */
    record Jdbc(String url, DataSource dataSource, String query) implements Source {
        /**
         * Validates the source.
         *
         * @throws InvalidArgumentException if neither or both of URL and data source are given, or the query is empty
         */
        public Jdbc {
            if ((url == null) == (dataSource == null)) {
                throw new InvalidArgumentException("a JDBC source needs either a URL or a data source");
            }
            if (query == null || query.isBlank()) {
                throw new InvalidArgumentException("a JDBC source needs a query");
            }
        }

        @Override
        public String describe() {
            String where = url != null ? url.replaceAll("(?i)(password=)[^&;]*", "$1***") : dataSource.toString();
            return "JDBC query on " + where;
        }

        @Override
        public String toString() {
            return "Jdbc[" + describe() + "]";
        }
    }

    /**
     * A frame held in memory.
     *
     * @param name the name used in messages and lineage
     * @param frame the rows
     */
    record FrameData(String name, Frame frame) implements Source {
        /**
         * Validates the source.
         *
         * @throws InvalidArgumentException if the name is not allowed
         */
        public FrameData {
            Names.definition("frame source", name);
            Objects.requireNonNull(frame, "frame");
        }

        @Override
        public String describe() {
            return "frame '" + name + "' (" + frame.rowCount() + " rows)";
        }

        @Override
        public String toString() {
            return "FrameData[" + describe() + "]";
        }
    }

    /**
     * Another view's offline rows.
     *
     * @param view the view's name
     */
    record View(String view) implements Source {
        /**
         * Validates the source.
         *
         * @throws InvalidArgumentException if the name is not allowed
         */
        public View {
            Names.definition("feature view", view);
        }

        @Override
        public String describe() {
            return "feature view '" + view + "'";
        }
    }
}

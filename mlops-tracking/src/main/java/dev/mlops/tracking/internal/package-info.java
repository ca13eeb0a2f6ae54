/**
 * Implementation detail of {@code mlops-tracking}: the JDBC store, migrations, the asynchronous log writer, the
 * search parser and the artifact store. Not part of the API; users must not import these classes.
 */
package dev.mlops.tracking.internal;

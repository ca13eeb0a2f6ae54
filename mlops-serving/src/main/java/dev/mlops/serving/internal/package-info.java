/**
 * Implementation detail of {@code mlops-serving}: the engines that run models, the micro-batcher, input checks and
 * the protocol codecs. Not part of the API; users must not import these classes.
 */
package dev.mlops.serving.internal;

/**
 * Implementation detail of {@code mlops-api}: codecs and helpers behind the public types. Not part of the API;
 * users must not import these classes, which may change in any release.
 */
package dev.mlops.api.internal;

/**
 * The OpenTelemetry metrics of the CDI bean and of the deployed endpoints ({@code OpenTelemetryMetrics}): the only
 * use of the OpenTelemetry API, loaded only when the API is on the class path.
 *
 * <p>This package is not API: its classes are public only for use by the library's other packages, and they may
 * change or disappear without notice in any release.
 *
 * @since 0.2
 */
package dev.wskit.redis.internal.cdi.metrics;

/**
 * Helpers every other internal package may use, and which use none of them: masking secrets and quoting values in
 * messages ({@code Masking}), throttled logging of repeating failures ({@code ThrottledLog}), describing connection
 * failures without credentials ({@code Failures}), and the bridge to the options' secrets ({@code OptionsSecrets}).
 *
 * <p>This package is not API: its classes are public only for use by the library's other packages, and they may
 * change or disappear without notice in any release.
 */
package dev.wskit.redis.internal.support;

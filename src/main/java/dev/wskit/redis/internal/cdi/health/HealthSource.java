package dev.wskit.redis.internal.cdi.health;

import java.util.function.Supplier;

import dev.wskit.redis.internal.health.HealthView;

/**
 * Where the health checks get the view of the bean's instance: a synthetic bean of the extension, injected into
 * {@link ReadinessCheck} and {@link LivenessCheck}. Uses nothing of the Health API.
 */
public final class HealthSource {

    private final Supplier<HealthView> view;

    /**
     * Create the source.
     *
     * @param view what the instance looks like now; returns {@code null} when there is none
     */
    public HealthSource(Supplier<HealthView> view) {
        this.view = view;
    }

    /**
     * Return the view now.
     *
     * @return the view; {@code null} when there is no instance (not started yet, or stopped)
     */
    public HealthView view() {
        return view.get();
    }
}

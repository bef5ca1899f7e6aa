package io.github.genrnn;

import java.util.Locale;

/**
 * How much data and training the notebooks use, read from the environment variable
 * {@code COURSE_SCALE}: {@code smoke} (seconds, for tests), {@code default} (minutes on a laptop)
 * or {@code full} (the whole data set, for a long run).
 */
public enum CourseScale {
    SMOKE, DEFAULT, FULL;

    /** The scale named by {@code COURSE_SCALE}, or {@link #DEFAULT} when it is not set. */
    public static CourseScale current() {
        return parse(System.getenv("COURSE_SCALE"));
    }

    /** The scale with this name (case-insensitive); blank or null means {@link #DEFAULT}. */
    static CourseScale parse(String name) {
        if (name == null || name.isBlank()) {
            return DEFAULT;
        }
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("COURSE_SCALE is '" + name + "'; use smoke, default or full");
        }
    }

    /** One of three values, chosen by this scale: {@code scale.pick(200, 20_000, 120_000)}. */
    public <T> T pick(T smoke, T normal, T full) {
        return switch (this) {
            case SMOKE -> smoke;
            case DEFAULT -> normal;
            case FULL -> full;
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

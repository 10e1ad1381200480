package dev.wskit.redis.testing;

import java.lang.System.Logger;
import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link System.Logger} that records everything logged to it, at every level, for unit tests. */
public final class RecordingLogger implements Logger {

    /** One logged message. */
    public record Entry(Level level, String message, Throwable thrown) {
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    /** Everything logged so far, in order. */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The messages logged at {@code level}, in order. */
    public List<String> at(Level level) {
        return entries.stream().filter(e -> e.level() == level).map(Entry::message).toList();
    }

    /** The entries logged at {@code level}, in order. */
    public List<Entry> entriesAt(Level level) {
        return entries.stream().filter(e -> e.level() == level).toList();
    }

    @Override
    public String getName() {
        return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        entries.add(new Entry(level, msg, thrown));
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        entries.add(new Entry(level, params == null || params.length == 0 ? format
                : MessageFormat.format(format, params), null));
    }
}

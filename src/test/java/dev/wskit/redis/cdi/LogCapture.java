package dev.wskit.redis.cdi;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Records every log record of the library ({@code dev.wskit.redis} and below, through {@code System.Logger}, which
 * goes to {@code java.util.logging} here), at every level, until {@link #close()}.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    // a strong reference: java.util.logging only keeps loggers weakly, and a collected logger would lose its level
    private final Logger logger = Logger.getLogger("dev.wskit.redis");
    private final Level previousLevel;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogCapture() {
        previousLevel = logger.getLevel();
        setLevel(Level.ALL);
        logger.setLevel(Level.ALL);
        logger.addHandler(this);
    }

    /**
     * Start recording.
     *
     * @return the capture; close it after the test
     */
    public static LogCapture start() {
        return new LogCapture();
    }

    /**
     * Return the records so far.
     *
     * @return the records; never {@code null}
     */
    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /**
     * Return every message so far, with the messages of the thrown exceptions and their causes, one per line.
     *
     * @return the text; never {@code null}
     */
    public String text() {
        return records.stream().map(LogCapture::describe).collect(Collectors.joining(System.lineSeparator()));
    }

    /**
     * Return the messages of the records at a level.
     *
     * @param level the level
     * @return the messages; never {@code null}
     */
    public List<String> messages(Level level) {
        return records.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage).toList();
    }

    private static String describe(LogRecord record) {
        StringBuilder sb = new StringBuilder(record.getLevel() + " " + record.getMessage());
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            sb.append(" | ").append(t);
        }
        return sb.toString();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(previousLevel);
    }
}

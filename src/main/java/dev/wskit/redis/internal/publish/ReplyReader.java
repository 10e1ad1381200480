package dev.wskit.redis.internal.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.wskit.redis.internal.connection.ConnectionIo;

import redis.clients.jedis.Connection;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Reads the replies of every link in turn, completes the futures and counts them. It blocks in the socket's read
 * (bounded by the connection's read timeout, the {@code commandTimeout}) only while something is in flight, and
 * otherwise parks until the publisher thread writes. A failed read fails the link: the reader fails everything
 * in flight ("may or may not have been delivered") and wakes the publisher thread, which reconnects.
 */
final class ReplyReader implements Runnable {

    /** A batch of one PING: what the reader reads a PING's reply for. */
    private static final BatchWriter.Pending PING = new BatchWriter.Pending(new byte[0], new byte[0], -1);

    static {
        PING.endsBatch = true;
    }

    /** The batch a PING is written as. */
    static final List<BatchWriter.Pending> PING_ONLY = List.of(PING);

    /**
     * How many batches may await their replies before the next is held back. A message is written at once while
     * one batch is answered (no wait behind a round trip at low rates); under load the messages accumulate while two
     * are in flight, so that one flush and one round trip serve thousands of them.
     */
    static final int MAX_BATCHES_IN_FLIGHT = 2;

    /**
     * One connection and what was written to it and not answered yet. The publisher thread adds (in write order)
     * and writes; the reply reader alone takes from {@code inFlight}, so a reply is always matched to its message.
     * Once the reader stops serving the link ({@link #close}), nothing more is added.
     */
    static final class Link {
        final Connection connection;
        final ConcurrentLinkedQueue<BatchWriter.Pending> inFlight = new ConcurrentLinkedQueue<>();
        /** Batches written whose last reply was not read yet. */
        final AtomicInteger batchesInFlight = new AtomicInteger();
        /** The publisher thread waits for a batch to be answered (see {@link #MAX_BATCHES_IN_FLIGHT}). */
        volatile boolean writerWaiting;
        /** Why the connection must not be used any more; set by either thread, first one wins. */
        volatile RuntimeException failure;
        private boolean accepting = true;

        Link(Connection connection) {
            this.connection = connection;
        }

        /** Queue a batch for its replies; false if the reader has given the link up. */
        synchronized boolean add(List<BatchWriter.Pending> messages) {
            if (!accepting) {
                return false;
            }
            batchesInFlight.incrementAndGet();
            inFlight.addAll(messages);
            return true;
        }

        /** The reader is done with the link: nothing is added any more. */
        synchronized void close() {
            accepting = false;
        }

        /** The publisher thread gives the connection up; the reader fails what is in flight. */
        void abandon(RuntimeException why) {
            fail(why);
            ConnectionIo.forceDisconnect(connection);
        }

        void fail(RuntimeException why) {
            synchronized (this) {
                if (failure == null) {
                    failure = why;
                }
            }
        }
    }

    private final BatchWriter writer;
    private final Supplier<String> endpoint;
    private final long idleParkNanos;

    ReplyReader(BatchWriter writer, Supplier<String> endpoint, long idleParkNanos) {
        this.writer = writer;
        this.endpoint = endpoint;
        this.idleParkNanos = idleParkNanos;
    }

    private final ConcurrentLinkedQueue<Link> links = new ConcurrentLinkedQueue<>();
    private final List<BatchWriter.Pending> answered = new ArrayList<>(BatchWriter.MAX_BATCH);
    private final List<Object> answers = new ArrayList<>(BatchWriter.MAX_BATCH);
    private volatile Thread thread;
    private volatile boolean sleeping;
    private volatile boolean running = true;

    void serve(Link link) {
        links.add(link);
        wakeUp();
    }

    void wakeUp() {
        Thread t = thread;
        if (t != null && sleeping) {
            LockSupport.unpark(t);
        }
    }

    void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        while (true) {
            Link link = links.poll();
            if (link != null) {
                serveUntilGivenUp(link);
            } else if (!running) {
                break;
            } else {
                park(() -> links.isEmpty() && running);
            }
        }
    }

    private void serveUntilGivenUp(Link link) {
        while (true) {
            BatchWriter.Pending next = link.inFlight.peek();
            if (link.failure != null) {
                giveUp(link, link.failure);
                return;
            }
            if (next == null) {
                park(() -> link.inFlight.isEmpty() && link.failure == null);
                continue;
            }
            try {
                readAvailable(link);
            } catch (RuntimeException e) {
                giveUp(link, e);
                writer.wakeUp();
                return;
            } finally {
                completeAnswered();
            }
        }
    }

    /** Read the replies of what is in flight, in write order, up to a batch's worth. */
    private void readAvailable(Link link) {
        BatchWriter.Pending p;
        while (answered.size() < BatchWriter.MAX_BATCH && (p = link.inFlight.peek()) != null) {
            Object reply;
            try {
                reply = link.connection.getUnflushedObject();
            } catch (JedisDataException e) {
                // an error reply answers this message only; the connection is fine
                reply = e;
            }
            link.inFlight.poll();
            if (p != PING) {
                answered.add(p);
                answers.add(reply);
            }
            if (p.endsBatch) {
                link.batchesInFlight.decrementAndGet();
                if (link.writerWaiting) {
                    writer.wakeUp();
                }
            }
        }
    }

    private void completeAnswered() {
        try {
            if (!answered.isEmpty()) {
                writer.complete(answered, answers, endpoint.get(), "PUBLISH", null);
            }
        } finally {
            answered.clear();
            answers.clear();
        }
    }

    /** Stop serving the link: fail what is in flight; nothing is added any more. */
    private void giveUp(Link link, RuntimeException why) {
        link.fail(why);
        link.close();
        List<BatchWriter.Pending> lost = new ArrayList<>();
        BatchWriter.Pending p;
        while ((p = link.inFlight.poll()) != null) {
            if (p != PING) {
                lost.add(p);
            }
        }
        writer.lost(lost, endpoint.get(), link.failure);
    }

    private void park(BooleanSupplier stillIdle) {
        sleeping = true;
        try {
            if (stillIdle.getAsBoolean()) {
                LockSupport.parkNanos(this, idleParkNanos);
            }
        } finally {
            sleeping = false;
        }
    }
}

package dev.wskit.redis.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import dev.wskit.redis.internal.codec.ChannelNames;
import dev.wskit.redis.internal.codec.DefaultCodec;

/** JMH microbenchmarks of the hot paths: channel naming, default (de)serialization. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Micro {

    private final ChannelNames names = new ChannelNames("ws");
    private final String json = "{\"user\":\"ann\",\"text\":\"hello there, how are you?\",\"n\":42}";
    private final String text = "hello there, how are you? this is a 64-byte chat message ......";

    @Benchmark
    public String channelToWire() {
        return names.toWire("chat:general");
    }

    @Benchmark
    public Object deserializeJsonObject() {
        return DefaultCodec.INSTANCE.deserialize(json);
    }

    @Benchmark
    public Object deserializePlainText() {
        return DefaultCodec.INSTANCE.deserialize(text);
    }

    @Benchmark
    public String serializeString() {
        return DefaultCodec.INSTANCE.serialize(text);
    }

    @Benchmark
    public String serializeSmallNumber() {
        return DefaultCodec.INSTANCE.serialize(42);
    }

    @Benchmark
    public Object deserializeMap() {
        return DefaultCodec.INSTANCE.deserialize("{\"a\":1}") instanceof Map<?, ?> m ? m : null;
    }
}

package dev.wskit.redis.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.wskit.redis.StreamPosition;

/** The envelopes of channels with history: one message ({@code w1}) and a batch ({@code w2}); hostile input. */
class EnvelopeTest {

    @Test
    void oneMessageRoundTrips() {
        String text = Envelope.encode(StreamPosition.of(42, "Ab3"), "hello: world");

        assertThat(text).isEqualTo("w1:42:Ab3:hello: world");
        assertThat(Envelope.decodeAll(text)).containsExactly(
                new Envelope(StreamPosition.of(42, "Ab3"), "hello: world"));
        assertThat(Envelope.decode(text)).isEqualTo(new Envelope(StreamPosition.of(42, "Ab3"), "hello: world"));
    }

    @Test
    void aBatchCarriesConsecutiveOffsetsAndPayloadsWithColonsAndMultiByteCharacters() {
        List<String> payloads = List.of("a", "", "x:3:y", "ünïcødé ✓ 😀", "{\"k\":1}");
        String text = Envelope.encodeBatch(StreamPosition.of(7, "E_-9"), payloads);

        assertThat(text).startsWith("w2:7:E_-9:5:1:a:0::5:x:3:y:");
        assertThat(Envelope.decodeAll(text)).containsExactly(
                new Envelope(StreamPosition.of(7, "E_-9"), "a"),
                new Envelope(StreamPosition.of(8, "E_-9"), ""),
                new Envelope(StreamPosition.of(9, "E_-9"), "x:3:y"),
                new Envelope(StreamPosition.of(10, "E_-9"), "ünïcødé ✓ 😀"),
                new Envelope(StreamPosition.of(11, "E_-9"), "{\"k\":1}"));
        assertThat(Envelope.decode(text)).as("not one message").isNull();
    }

    @Test
    void lengthsAreUtf8BytesAsRedisCountsThem() {
        String payload = "é😀✓a";
        assertThat(Envelope.utf8Length(payload)).isEqualTo(payload.getBytes(StandardCharsets.UTF_8).length);
        assertThat(Envelope.skipUtf8("é😀✓a!", 0, 10)).isEqualTo(5);
        assertThat(Envelope.skipUtf8("é😀✓a!", 0, 2)).isEqualTo(1);
        assertThat(Envelope.skipUtf8("é😀✓a!", 0, 1)).as("inside a character").isEqualTo(-1);
        assertThat(Envelope.skipUtf8("é😀", 0, 4)).as("inside a pair").isEqualTo(-1);
        assertThat(Envelope.skipUtf8("ab", 0, 3)).as("past the end").isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hello", "w1:", "w1::E:x", "w1:0:E:x", "w1:1:E", "w1:1::x", "w1:1:E!:x",
        "w1:1234567890123456789:E:x", "w1:-1:E:x", "w1:1a:E:x", "w3:1:E:x",
        "w2:1:E", "w2:1:E:", "w2:1:E:0", "w2:1:E:1", "w2:1:E:1:", "w2:1:E:1:1", "w2:1:E:1:1:", "w2:1:E:1:2:a",
        "w2:1:E:1:1:ab", "w2:1:E:2:1:a", "w2:1:E:2:1:a:1", "w2:1:E:1:x:a", "w2:1:E:1:-1:a", "w2:0:E:1:1:a",
        "w2:1:E:99999999999:1:a", "w2:1:E:4294967297:1:a", "w2:1:E:1:99999999999:a", "w2:1:E:1:1:é",
        "w2:1:E:1:1:a:0:"})
    void anythingElseIsNotAnEnvelope(String text) {
        assertThat(Envelope.decodeAll(text)).isNull();
        assertThat(Envelope.decode(text)).isNull();
    }

    @Test
    void aHugeCountIsRefusedBeforeAnythingIsAllocated() {
        assertThat(Envelope.decodeAll("w2:1:E:2147483647:0::0::0:")).isNull();
    }
}

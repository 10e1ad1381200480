package dev.wskit.redis.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChannelNamesTest {

    private final ChannelNames names = new ChannelNames("ws");

    @Test
    void prefixIsTheNamespaceAndAColon() {
        assertThat(names.prefix()).isEqualTo("ws:");
        assertThat(new ChannelNames("tenant:acme").prefix()).isEqualTo("tenant:acme:");
    }

    @Test
    void channelIsPrefixedOnTheWire() {
        assertThat(names.toWire("chat:general")).isEqualTo("ws:chat:general");
        assertThat(new ChannelNames("myapp:prod").toWire("notifications")).isEqualTo("myapp:prod:notifications");
    }

    @Test
    void prefixIsStrippedFromTheWire() {
        assertThat(names.fromWire("ws:chat:general")).isEqualTo("chat:general");
    }

    @Test
    void wireChannelWithoutThePrefixIsReturnedUnchanged() {
        assertThat(names.fromWire("other:chat")).isEqualTo("other:chat");
    }

    @Test
    void roundTrip() {
        assertThat(names.fromWire(names.toWire("room:42:message"))).isEqualTo("room:42:message");
    }

    @Test
    void nonAsciiLettersAndPunctuationAreAllowed() {
        assertThat(names.toWire("raum:grüße/€-1_2.3{x}")).isEqualTo("ws:raum:grüße/€-1_2.3{x}");
    }

    @Test
    void nullChannelIsRejected() {
        assertThatThrownBy(() -> names.toWire(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("channel must not be null");
    }

    @Test
    void emptyChannelIsRejected() {
        assertThatThrownBy(() -> names.toWire(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("channel must not be empty, was \"\"");
    }

    @Test
    void channelOf1024CharactersIsAllowedButNotLonger() {
        assertThat(names.toWire("c".repeat(1024))).hasSize(1027);
        assertThatThrownBy(() -> names.toWire("c".repeat(1025)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("channel must be at most 1024 characters, was \"" + "c".repeat(64)
                        + "\"... (1025 characters)");
    }

    @Test
    void whitespaceIsRejected() {
        assertThatThrownBy(() -> names.toWire("a b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("channel must not contain whitespace or control characters, was \"a b\"");
        assertThatThrownBy(() -> names.toWire("a\tb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("channel must not contain whitespace or control characters, was \"a\\tb\"");
        assertThatThrownBy(() -> names.toWire("a\u00a0b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("channel must not contain whitespace or control characters");
        assertThatThrownBy(() -> names.toWire("a\u2028b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("channel must not contain whitespace or control characters");
    }

    @Test
    void controlCharactersAreRejected() {
        assertThatThrownBy(() -> names.toWire("a\u0000b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("channel must not contain whitespace or control characters, was \"a\\u0000b\"");
        assertThatThrownBy(() -> names.toWire("a\u007fb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("channel must not contain whitespace or control characters, was \"a\\u007fb\"");
        assertThatThrownBy(() -> names.toWire("a\u0085b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("channel must not contain whitespace or control characters");
    }

    @Test
    void channelWithTheNamespacePrefixIsRejected() {
        assertThatThrownBy(() -> names.toWire("ws:chat"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("channel must not start with the namespace prefix \"ws:\", was \"ws:chat\";"
                        + " pass the channel without the namespace");
    }

    @Test
    void channelMerelyStartingWithTheNamespaceIsAllowed() {
        assertThat(names.toWire("ws")).isEqualTo("ws:ws");
        assertThat(names.toWire("wsx:chat")).isEqualTo("ws:wsx:chat");
    }

    @Test
    void globCharactersAreRejectedInChannels() {
        for (String channel : new String[] {"chat:*", "chat:?", "chat:[ab]", "a]"}) {
            assertThatThrownBy(() -> names.toWire(channel))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("channel must not contain the glob characters * ? [ ], was \"" + channel
                            + "\"; use psubscribe for patterns");
        }
    }

    @Test
    void patternMayContainGlobCharacters() {
        assertThat(names.patternToWire("chat:*")).isEqualTo("ws:chat:*");
        assertThat(names.patternToWire("room:?:[ab]*")).isEqualTo("ws:room:?:[ab]*");
        assertThat(names.patternToWire("*")).isEqualTo("ws:*");
    }

    @Test
    void patternRulesNameThePattern() {
        assertThatThrownBy(() -> names.patternToWire(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pattern must not be null");
        assertThatThrownBy(() -> names.patternToWire(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pattern must not be empty, was \"\"");
        assertThatThrownBy(() -> names.patternToWire("chat *"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pattern must not contain whitespace or control characters, was \"chat *\"");
        assertThatThrownBy(() -> names.patternToWire("ws:*"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pattern must not start with the namespace prefix \"ws:\", was \"ws:*\";"
                        + " pass the pattern without the namespace");
        assertThatThrownBy(() -> names.patternToWire("p".repeat(1025)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("pattern must be at most 1024 characters, was \"ppp");
    }

    @Test
    void nullNamespaceIsRejected() {
        assertThatThrownBy(() -> new ChannelNames(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("namespace must not be null");
    }
}

package io.chipwatch.jobs.sink.influx;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LineProtocolTest {
    private final StringBuilder text = new StringBuilder();
    private final LineProtocol point = new LineProtocol(text);

    @Test
    void writesMeasurementTagsFieldsOfEachTypeAndTimestamp() {
        point.measurement("m").tag("a", "1").tag("b", "x").field("f", 0.5).field("i", 42L).field("s", "hi")
                .time(1_700_000_000_123L);
        point.measurement("m").field("f", -3.0).field("n", -7L).time(0);

        assertThat(text).hasToString("m,a=1,b=x f=0.5,i=42i,s=\"hi\" 1700000000123\nm f=-3.0,n=-7i 0\n");
    }

    @Test
    void escapesCommasAndSpacesInTheMeasurementAndEqualsSignsTooInKeysAndTagValues() {
        point.measurement("my m,x=1").tag("k ey,=", "v a,l=ue").field("f i,e=ld", 1.0).time(5);

        assertThat(text).hasToString("my\\ m\\,x=1,k\\ ey\\,\\==v\\ a\\,l\\=ue f\\ i\\,e\\=ld=1.0 5\n");
    }

    @Test
    void leavesBackslashesLiteralInNamesAndEscapesThemOnlyBeforeASpecialCharacter() {
        point.measurement("m").tag("t", "a\\b").tag("u", "a\\ b").tag("v", "a\\,b").field("f", 1L).time(0);

        // a\b stays; "a\ b" becomes a\\ b: InfluxDB reads \<space> as a space after the literal backslash
        assertThat(text).hasToString("m,t=a\\b,u=a\\\\ b,v=a\\\\,b f=1i 0\n");
    }

    @Test
    void quotesStringFieldsEscapingQuotesAndBackslashesAndKeepingNewlines() {
        point.measurement("m").field("s", "say \"hi\"\\n, x=1\nnext").time(0);

        assertThat(text).hasToString("m s=\"say \\\"hi\\\"\\\\n, x=1\nnext\" 0\n");
    }

    @Test
    void writesFloatsAsTheyReadBackAndIntegersWithTheirSuffix() {
        point.measurement("m").field("a", 1e-5).field("b", 0.1 + 0.2).field("c", 1.0E21).field("d", Long.MIN_VALUE)
                .field("e", -0.0).time(0);

        assertThat(text).hasToString("m a=1.0E-5,b=0.30000000000000004,c=1.0E21,d=-9223372036854775808i,e=-0.0 0\n");
    }

    @Test
    void leavesOutEmptyTagsAndFloatsThatAreNotFinite() {
        point.measurement("m").tag("a", "").tag("b", null).tag("c", "x").field("nan", Double.NaN)
                .field("inf", Double.NEGATIVE_INFINITY).field("v", 2.0).time(0);

        assertThat(text).hasToString("m,c=x v=2.0 0\n");
    }

    @Test
    void rejectsWhatLineProtocolCannotCarry() {
        assertThatThrownBy(() -> new LineProtocol(new StringBuilder()).measurement("m").tag("t", "x\\"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends with a backslash");
        assertThatThrownBy(() -> new LineProtocol(new StringBuilder()).measurement("m").tag("t", "a\nb"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
        assertThatThrownBy(() -> new LineProtocol(new StringBuilder()).measurement(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> new LineProtocol(new StringBuilder()).measurement("m").field("", 1L))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LineProtocol(new StringBuilder()).measurement("m").field("f", Double.NaN).time(0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least one field");
        assertThatThrownBy(() -> new LineProtocol(new StringBuilder()).measurement("m").field("f", 1L).tag("t", "x"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("before the fields");
    }

    @Test
    void discardingAHalfWrittenPointLeavesTheLinesBeforeIt() {
        point.measurement("m").field("f", 1L).time(1);
        int length = text.length();
        point.measurement("m").tag("t", "x");

        point.discardFrom(length);
        point.measurement("m").field("f", 2L).time(2);

        assertThat(text).hasToString("m f=1i 1\nm f=2i 2\n");
    }
}

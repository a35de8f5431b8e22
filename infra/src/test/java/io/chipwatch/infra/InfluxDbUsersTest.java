package io.chipwatch.infra;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InfluxDbUsersTest {
    @Test
    void readsUserNamesFromShowUsers() {
        String json = "{\"results\":[{\"statement_id\":0,\"series\":[{\"columns\":[\"user\",\"admin\"],"
                + "\"values\":[[\"chipwatch_admin\",true],[\"chipwatch_writer\",false],[\"odd\\\"name\",false]]}]}]}";
        assertThat(InfluxDbUsers.userNames(json)).containsExactlyInAnyOrder("chipwatch_admin", "chipwatch_writer",
                "odd\"name");
        assertThat(InfluxDbUsers.userNames("{\"results\":[{\"statement_id\":0}]}")).isEmpty();
    }

    @Test
    void quotesLiteralsAndIdentifiers() {
        assertThat(InfluxDbUsers.literal("a'b\\c")).isEqualTo("'a\\'b\\\\c'");
        assertThat(InfluxDbUsers.ident("te\"le")).isEqualTo("\"te\\\"le\"");
    }
}

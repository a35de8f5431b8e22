package io.chipwatch.testsupport;

import org.junit.jupiter.api.Test;

import static io.chipwatch.testsupport.RealClients.consume;
import static io.chipwatch.testsupport.RealClients.produce;
import static io.chipwatch.testsupport.RealClients.query;
import static io.chipwatch.testsupport.RealClients.write;
import static org.assertj.core.api.Assertions.assertThat;

/** The API other modules' tests use, on whatever infrastructure this machine offers. */
@RealInfrastructure
class RealInfrastructureExtensionIT {

    @Test
    void sharedKafkaCarriesRecords(KafkaService kafka) throws Exception {
        String topic = kafka.createUniqueTopic("samples", 2);
        produce(kafka.bootstrapServers(), topic, "hello");
        assertThat(consume(kafka.bootstrapServers(), topic, 1)).containsExactly("hello");
    }

    @Test
    void sharedInstancesAreOnePerJvm(KafkaService kafka, InfluxService influx, TestInfrastructure infrastructure) {
        assertThat(infrastructure.kafka().bootstrapServers()).isEqualTo(kafka.bootstrapServers());
        assertThat(TestInfrastructure.get().influx().url()).isEqualTo(influx.url());
    }

    @Test
    void sharedInfluxStoresPoints(InfluxService influx) throws Exception {
        String db = TestTopics.unique("telemetry");
        influx.createDatabase(db);
        write(influx.url(), db, "chip,chip=c1 temp=71.5 1000");
        assertThat(query(influx.url(), db, "SELECT temp FROM chip")).contains("71.5");
    }

    @Test
    void aStoppedSharedInfluxIsRunningAgainWhenHandedOut() throws Exception {
        InfluxService first = TestInfrastructure.get().influx();
        String db = TestTopics.unique("outage");
        first.createDatabase(db);
        first.stop(); // what a test should not do to a shared instance; the next one must not suffer from it
        InfluxService next = TestInfrastructure.get().influx();
        assertThat(next.url()).isEqualTo(first.url());
        assertThat(query(next.url(), db, "SHOW MEASUREMENTS")).doesNotContain("error");
    }

    @Test
    void aDedicatedKafkaKeepsRecordsOverARestart(DedicatedKafka kafka, KafkaService shared) throws Exception {
        assertThat(kafka.bootstrapServers()).isNotEqualTo(shared.bootstrapServers());
        String topic = TestTopics.unique("restart");
        kafka.createTopic(topic, 1);
        produce(kafka.bootstrapServers(), topic, "before");

        String address = kafka.bootstrapServers();
        kafka.stop();
        kafka.start();

        assertThat(kafka.bootstrapServers()).isEqualTo(address);
        produce(kafka.bootstrapServers(), topic, "after");
        assertThat(consume(kafka.bootstrapServers(), topic, 2)).containsExactly("before", "after");
    }

    @Test
    void aDedicatedInfluxKeepsDataOverARestart(DedicatedInflux influx) throws Exception {
        String db = TestTopics.unique("restart");
        influx.createDatabase(db);
        write(influx.url(), db, "chip,chip=c1 temp=1.5 1000");
        String url = influx.url();
        influx.stop();
        influx.start();
        assertThat(influx.url()).isEqualTo(url);
        assertThat(query(url, db, "SELECT temp FROM chip")).contains("1.5");
    }
}
